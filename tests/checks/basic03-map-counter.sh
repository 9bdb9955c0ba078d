# SPDX-License-Identifier: GPL-2.0
# basic03-map-counter: the assignment checks. The oracles: the program run a
# known number of times through BPF_PROG_TEST_RUN (xdp_run, bpftool prog
# run), and the map's records as xdp_run reads them through BTF. The tool's
# output is read by the contract in README.org (tests/lib/stats_output.sh).
source "$TOP/tests/lib/stats_output.sh"

B3_RUNS=7		# test runs for the map checks
B3_TOOL_RUNS=1000	# runs of the attached program, per CPU, for the tool
B3_SPEC=ipv4,udp,len=200
B3_INTERVAL=0.2

# b3_map_check OBJ PROG SPEC KEY FIELD WANT: after B3_RUNS runs of PROG on
# SPEC, FIELD of xdp_stats_map's record KEY (added up over CPUs) is WANT.
b3_map_check() {
	local obj=$1 prog=$2 spec=$3 key=$4 field=$5 want=$6 got
	run_xdp "$obj" "$prog" -p "$spec" -n "$B3_RUNS" -m xdp_stats_map || return
	got=$(records_sum "$field" "key=$key" <<<"$XDP_OUT") ||
		{ not_yet "xdp_stats_map's record has no $field field: $(grep -m1 "key=$key" <<<"$XDP_OUT")"; return; }
	[ "$got" = "$want" ] ||
		not_yet "after $B3_RUNS runs of $prog on $spec, $(action_name "$key")'s $field is $got (expected $want)"
}

# b3_tool_run DIR PROG ACTION CPU...: DIR's xdp_load_and_stats attaches
# PROG to a veth that carries no traffic; the attached program then runs
# B3_TOOL_RUNS times on each CPU given; once the tool has printed more ACTION
# lines, Ctrl-C. Its output in B3_OUT, the program's id in B3_PROG_ID.
# Reports what went wrong, if anything.
b3_tool_run() {
	local dir=$1 prog=$2 dev=b3c$BASHPID out frame cpu rc
	B3_ACTION=$3
	shift 3
	out=$(mktemp) frame=$(mktemp)
	netenv_on_exit rm -f "$out" "$frame"
	netenv_frame "$B3_SPEC" "$frame" && netenv_quiet_veth "$dev" ||
		{ cannot_check "could not make the test interface $dev"; return; }
	netenv_start "$out" "$dir/xdp_load_and_stats" --dev "$dev" \
		--filename "$dir/xdp_prog_kern.o" --progname "$prog" -i "$B3_INTERVAL"
	if ! netenv_wait_for 5 netenv_xdp_prog_id "$dev"; then
		netenv_stop "$NETENV_PID"
		tool_failed "xdp_load_and_stats --progname $prog" "$?" "$(<"$out")"
		return
	fi
	B3_PROG_ID=$(netenv_xdp_prog_id "$dev")	# what runs: the dispatcher, if any
	B3_LOADED_ID=$(netenv_xdp_loaded_prog_id "$dev")	# the lesson's program
	stats_wait_rounds "$out" "$B3_ACTION" 1	# a round before the runs
	for cpu in "$@"; do
		netenv_run_prog "$B3_PROG_ID" "$frame" "$B3_TOOL_RUNS" "$cpu" ||
			{ cannot_check "bpftool prog run failed on CPU $cpu"; return; }
	done
	stats_wait_rounds "$out" "$B3_ACTION" 3	# two whole rounds after the runs
	netenv_stop "$NETENV_PID"
	rc=$?
	B3_OUT=$(<"$out")
	[ "$rc" -eq 0 ] ||
		not_yet "xdp_load_and_stats exited with status $rc on Ctrl-C: $(grep . "$out" | tail -n 1)"
}

# b3_shows OUTPUT ACTION UNIT WANT: the last ACTION line shows WANT UNIT.
b3_shows() {
	local line got
	line=$(stats_lines "$1" "$2" | tail -n 1)
	[ -n "$line" ] || { not_yet "xdp_load_and_stats printed no line for $2"; return; }
	got=$(stats_figure "$line" "$3") ||
		{ not_yet "the $2 line shows no $3 count (see README.org for the format): '$line'"; return; }
	[ "$got" = "$4" ] ||
		not_yet "the last $2 line shows $got $3, expected $4: '$line'"
}

# b3_rates_add_up OUTPUT ACTION UNIT TOTAL WHAT: the UNIT (pps, mbits)
# figures on the ACTION lines, each over one interval, add up to TOTAL, the
# WHAT the runs carried.
b3_rates_add_up() {
	local rates label=${3/mbits/Mbit\/s}
	rates=$(stats_figures "$1" "$2" "$3")
	[ -n "$rates" ] ||
		{ not_yet "the $2 lines show no $label figure: '$(stats_lines "$1" "$2" | tail -n 1)'"; return; }
	stats_rates_plausible "$rates" "$4" "$B3_INTERVAL" ||
		not_yet "the $label figures on the $2 lines ($(paste -sd ' ' <<<"$rates")), each over $B3_INTERVAL s, add up to $(awk -v i="$B3_INTERVAL" '{ s += $1 * i } END { print s + 0 }' <<<"$rates") $5, not the $4 $5 the runs carried"
}

counts_bytes() {
	local spec len bits
	for spec in "$B3_SPEC" ipv6,icmp6; do
		len=$(frame_len "$spec")
		b3_map_check "$1/xdp_prog_kern.o" xdp_count_pass_func "$spec" 2 rx_packets "$B3_RUNS" &&
		b3_map_check "$1/xdp_prog_kern.o" xdp_count_pass_func "$spec" 2 rx_bytes \
			$((B3_RUNS * len)) || return
	done
	b3_tool_run "$1" xdp_count_pass_func XDP_PASS 0 || return
	len=$(frame_len "$B3_SPEC")
	bits=$(awk -v b=$((B3_TOOL_RUNS * len)) 'BEGIN { print b * 8 / 1e6 }')
	b3_shows "$B3_OUT" XDP_PASS packets "$B3_TOOL_RUNS" &&
	b3_shows "$B3_OUT" XDP_PASS bytes $((B3_TOOL_RUNS * len)) &&
	b3_rates_add_up "$B3_OUT" XDP_PASS mbits "$bits" Mbit || return
	if [ -n "$(stats_figures "$B3_OUT" XDP_PASS pps)" ]; then
		b3_rates_add_up "$B3_OUT" XDP_PASS pps "$B3_TOOL_RUNS" packets || return
	fi
	pass "the map counts packets and bytes; the XDP_PASS line shows $B3_TOOL_RUNS packets, $((B3_TOOL_RUNS * len)) bytes and Mbit/s adding up to $bits Mbit"
}
assignment 1 "count bytes as well as packets" counts_bytes \
	"add __u64 rx_bytes to struct datarec, add ctx->data_end - ctx->data to it, and print bytes and Mbit/s on the XDP_PASS line"

counts_every_action() {
	local action verdict
	run_xdp "$1/xdp_prog_kern.o" xdp_count_drop_func || return
	verdict=$(xdp_out_verdict)
	[ "$verdict" = XDP_DROP ] ||
		{ not_yet "xdp_count_drop_func returned $verdict (expected XDP_DROP)"; return; }
	b3_map_check "$1/xdp_prog_kern.o" xdp_count_drop_func "$B3_SPEC" 1 rx_packets "$B3_RUNS" &&
	b3_map_check "$1/xdp_prog_kern.o" xdp_count_drop_func "$B3_SPEC" 2 rx_packets 0 &&
	b3_map_check "$1/xdp_prog_kern.o" xdp_count_pass_func "$B3_SPEC" 2 rx_packets "$B3_RUNS" &&
	b3_map_check "$1/xdp_prog_kern.o" xdp_count_pass_func "$B3_SPEC" 1 rx_packets 0 || return
	b3_tool_run "$1" xdp_count_drop_func XDP_DROP 0 || return
	for action in XDP_ABORTED XDP_PASS XDP_TX XDP_REDIRECT; do
		b3_shows "$B3_OUT" "$action" packets 0 || return
	done
	b3_shows "$B3_OUT" XDP_DROP packets "$B3_TOOL_RUNS" || return
	pass "each program counts under its own verdict; the tool prints all five actions, XDP_DROP with $B3_TOOL_RUNS packets"
}
assignment 2 "count every XDP action and print them all" counts_every_action \
	"count in one function that takes the action as the key and returns it; print a line per action, each with xdp_action_name()"

counts_per_cpu() {
	local want=$((2 * B3_TOOL_RUNS))
	[ "$(nproc)" -ge 2 ] || { unsupported "needs two CPUs to run the program on"; return; }
	run_xdp "$1/xdp_prog_kern.o" xdp_count_pass_func -m xdp_stats_map || return
	grep -q ' cpu=' <<<"$XDP_OUT" ||
		{ not_yet "xdp_stats_map is not per-CPU: one record per key ('$(grep -m1 '^map=' <<<"$XDP_OUT")')"; return; }
	b3_tool_run "$1" xdp_count_pass_func XDP_PASS 0 1 || return
	b3_shows "$B3_OUT" XDP_PASS packets "$want" || return
	# An atomic add shows up as "lock" in the program the kernel runs.
	if "$NETENV_BPFTOOL" prog dump xlated id "$B3_LOADED_ID" | grep -qw lock; then
		not_yet "xdp_count_pass_func still adds atomically (lock in bpftool prog dump xlated): a plain += is enough per CPU"
		return
	fi
	pass "per-CPU records, no atomic add; $B3_TOOL_RUNS runs on each of CPUs 0 and 1 show as $want XDP_PASS packets"
}
assignment 3 "per-CPU counters, added up in user space" counts_per_cpu \
	"make the map BPF_MAP_TYPE_PERCPU_ARRAY, replace __sync_fetch_and_add by +=, and add up the libbpf_num_possible_cpus() records in read_sample()"
