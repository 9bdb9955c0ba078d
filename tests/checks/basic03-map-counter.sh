# SPDX-License-Identifier: GPL-2.0
# basic03-map-counter: the assignment checks. Each runs the program a known
# number of times (BPF_PROG_TEST_RUN), which is the oracle: the map and
# xdp_load_and_stats must show exactly that many packets and bytes.

B3_RUNS=7
B3_LEN=200
B3_SPEC=ipv4,udp,len=$B3_LEN

b3_map_sum() {	# b3_map_sum OBJ PROG ACTION FIELD: after B3_RUNS runs
	netenv_runs_sum "$1" "$2" "$B3_SPEC" "$B3_RUNS" xdp_stats_map "$3" "$4"
}

# b3_tool_output DIR PROG CPU...: attach PROG with DIR's xdp_load_and_stats
# to a quiet veth, run it B3_RUNS times on each CPU given, and print the
# tool's output once it has printed a round after the runs. Run it in a
# subshell, $(...), which removes what it made on exit.
b3_tool_output() {
	local dir=$1 prog=$2 dev=b3c$BASHPID out frame id cpu
	shift 2
	out=$(mktemp) frame=$(mktemp)
	netenv_on_exit "rm -f '$out' '$frame'"
	netenv_frame "$B3_SPEC" "$frame" && netenv_quiet_veth "$dev" || return 1
	netenv_start "$out" "$dir/xdp_load_and_stats" --dev "$dev" \
		--filename "$dir/xdp_prog_kern.o" --progname "$prog" -i 0.2
	netenv_wait_for 5 netenv_xdp_prog_id "$dev" || return 1
	id=$(netenv_xdp_prog_id "$dev")
	for cpu in "$@"; do
		netenv_run_prog "$id" "$frame" "$B3_RUNS" "$cpu" || return 1
	done
	sleep 0.5	# more than two rounds of -i 0.2
	netenv_stop "$NETENV_PID"
	echo "$(<"$out")"	# a builtin last: see netenv.sh on $(...)
}

# b3_last_line_has OUTPUT ACTION WORD...: the last line for ACTION holds
# every WORD (numbers, as whole words).
b3_last_line_has() {
	local line word
	line=$(grep "^$2 " <<<"$1" | tail -n 1)
	shift 2
	for word in "$@"; do
		grep -qw -- "$word" <<<"$line" || return 1
	done
}

counts_bytes() {
	[ "$(b3_map_sum "$1/xdp_prog_kern.o" xdp_count_pass_func 2 rx_bytes)" = \
	  $((B3_RUNS * B3_LEN)) ] || return 1
	b3_last_line_has "$(b3_tool_output "$1" xdp_count_pass_func 0)" XDP_PASS \
		"$B3_RUNS" $((B3_RUNS * B3_LEN))
}
assignment 1 "count bytes as well as packets" \
	"add __u64 rx_bytes to struct datarec, add ctx->data_end - ctx->data to it in xdp_count_pass_func, and print it on the XDP_PASS line" \
	counts_bytes

counts_every_action() {
	local out action
	[ "$(b3_map_sum "$1/xdp_prog_kern.o" xdp_count_drop_func 1 rx_packets)" = \
	  "$B3_RUNS" ] || return 1
	out=$(b3_tool_output "$1" xdp_count_drop_func 0)
	b3_last_line_has "$out" XDP_DROP "$B3_RUNS" || return 1
	for action in XDP_ABORTED XDP_PASS XDP_TX XDP_REDIRECT; do
		grep -q "^$action " <<<"$out" || return 1
	done
}
assignment 2 "count every XDP action and print them all" \
	"count with a function that uses the action as key (return it from both programs), and print one line per action, each starting with its name (xdp_action_name())" \
	counts_every_action

counts_per_cpu() {
	local cpus=0
	"$XDP_RUN" "$1/xdp_prog_kern.o" xdp_count_pass_func -m xdp_stats_map |
		grep -q '^map xdp_stats_map key [0-9]* cpu ' || return 1
	# Atomic adds show up as "lock" (or atomic_*) instructions.
	! llvm-objdump -d "$1/xdp_prog_kern.o" | grep -Eqi 'lock|atomic' || return 1
	[ "$(nproc)" -gt 1 ] && cpus="0 1"
	# shellcheck disable=SC2086 # one argument per CPU
	b3_last_line_has "$(b3_tool_output "$1" xdp_count_pass_func $cpus)" XDP_PASS \
		$((B3_RUNS * $(wc -w <<<"$cpus")))
}
assignment 3 "per-CPU counters, added up in user space" \
	"make the map BPF_MAP_TYPE_PERCPU_ARRAY, replace __sync_fetch_and_add by +=, and add up the libbpf_num_possible_cpus() records in read_sample()" \
	counts_per_cpu
