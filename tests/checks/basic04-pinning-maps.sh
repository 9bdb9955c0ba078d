# SPDX-License-Identifier: GPL-2.0
# basic04-pinning-maps: the assignment checks. Each loads with the loader in
# the directory checked, onto a veth pair that carries no traffic, and runs
# the attached program a known number of times (BPF_PROG_TEST_RUN): the
# pinned map (read with bpftool) and xdp_stats's output (read by the
# contract in basic03's README.org) must show exactly those runs.
source "$TOP/tests/lib/stats_output.sh"

B4_RUNS_OLD=9	# runs counted in the first map
B4_RUNS_NEW=5	# runs counted in the map a reload pins: fewer, so a rate
		# from the old counters would be negative
B4_INTERVAL=0.2

# b4_env DIR: a quiet veth B4_DEV with DIR's xdp_pass_func attached and its
# map pinned at B4_PIN, and a frame in B4_FRAME; all removed when the check
# ends.
b4_env() {
	B4_DEV=b4c$BASHPID
	B4_PIN=/sys/fs/bpf/$B4_DEV/xdp_stats_map
	B4_FRAME=$(mktemp)
	netenv_on_exit rm -f "$B4_FRAME"
	netenv_frame ipv6,icmp6 "$B4_FRAME" && netenv_quiet_veth "$B4_DEV" ||
		{ cannot_check "could not make the test interface $B4_DEV"; return; }
	b4_load "$1"
}

# b4_load DIR [LOADER OPTIONS]: detach whatever is on B4_DEV, then attach
# xdp_pass_func with DIR's xdp_loader (which pins its map).
b4_load() {
	local dir=$1 out
	shift
	"$dir/xdp_loader" --dev "$B4_DEV" --unload-all -q >/dev/null 2>&1
	out=$("$dir/xdp_loader" --dev "$B4_DEV" --filename "$dir/xdp_prog_kern.o" -q "$@" 2>&1) ||
		{ tool_failed "xdp_loader $*" "$?" "$out"; return; }
	[ -e "$B4_PIN" ] || not_yet "xdp_loader $* pinned nothing at $B4_PIN"
}

b4_run() {	# b4_run N: the attached program, N times
	netenv_run_prog "$(netenv_xdp_prog_id "$B4_DEV")" "$B4_FRAME" "$1" ||
		cannot_check "bpftool prog run failed on the program attached to $B4_DEV"
}

b4_pinned_id() { bpftool_json map show pinned "$B4_PIN" | sed -n 's/^id=//p'; }

# b4_rates_sane OUTPUT: every pps and Mbit/s figure on every action line
# lies between 0 and twice what the most runs in one round could give.
b4_rates_sane() {
	local action line pps mbits max_pps max_mbits
	max_pps=$(awk -v n="$B4_RUNS_OLD" -v i="$B4_INTERVAL" 'BEGIN { print 2 * n / i }')
	max_mbits=$(awk -v p="$max_pps" -v len="$(frame_len ipv6,icmp6)" \
		'BEGIN { print p * len * 8 / 1e6 }')
	for action in XDP_ABORTED XDP_DROP XDP_PASS XDP_TX XDP_REDIRECT; do
		while IFS= read -r line; do
			pps=$(stats_figure "$line" pps) || pps=0
			mbits=$(stats_figure "$line" mbits) || mbits=0
			awk -v p="$pps" -v m="$mbits" -v mp="$max_pps" -v mm="$max_mbits" \
				'BEGIN { exit !(p >= 0 && p <= mp && m >= 0 && m <= mm) }' ||
				{ not_yet "a rate no run could give (at most $max_pps pps, $max_mbits Mbit/s): '$line'"; return; }
		done < <(stats_lines "$1" "$action")
	done
}

follows_reload() {
	local out seen line got rc
	b4_env "$1" || return
	out=$(mktemp)
	netenv_on_exit rm -f "$out"
	netenv_start "$out" "$1/xdp_stats" --dev "$B4_DEV" -i "$B4_INTERVAL"
	if ! netenv_wait_for 5 grep -q XDP_PASS "$out"; then
		netenv_stop "$NETENV_PID"
		tool_failed xdp_stats "$?" "$(<"$out")"
		return
	fi
	b4_run "$B4_RUNS_OLD" || return
	stats_wait_rounds "$out" XDP_PASS 2
	# A loader may unpin before it pins: xdp_stats must wait, not exit.
	rm -f "$B4_PIN"
	stats_wait_rounds "$out" XDP_PASS 2
	if ! _netenv_running "$NETENV_PID"; then
		netenv_stop "$NETENV_PID"
		not_yet "xdp_stats exited (status $?) while nothing was pinned at $B4_PIN: $(grep . "$out" | tail -n 1)"
		return
	fi
	b4_load "$1" && b4_run "$B4_RUNS_NEW" || return
	stats_wait_rounds "$out" XDP_PASS 3	# two whole rounds after the runs
	seen=$(<"$out")
	if ! _netenv_running "$NETENV_PID"; then
		netenv_stop "$NETENV_PID"
		not_yet "xdp_stats exited (status $?) after the reload: $(grep . "$out" | tail -n 1)"
		return
	fi
	# Then a map of another layout at the same path.
	rm -f "$B4_PIN"
	"$NETENV_BPFTOOL" map create "$B4_PIN" type percpu_array key 4 value 8 entries 5 \
		name xdp_stats_map || { cannot_check "bpftool could not create a map at $B4_PIN"; return; }
	netenv_wait_for 5 _netenv_ended "$NETENV_PID"
	netenv_stop "$NETENV_PID"
	rc=$?

	line=$(stats_lines "$seen" XDP_PASS | tail -n 1)
	got=$(stats_figure "$line" packets)
	[ "$got" = "$B4_RUNS_NEW" ] ||
		{ not_yet "after the reload the last XDP_PASS line shows ${got:-no} packets; the new map holds $B4_RUNS_NEW, the old one $B4_RUNS_OLD: '$line'"; return; }
	b4_rates_sane "$seen" || return
	case $rc in
	1) ;;
	0) not_yet "xdp_stats went on reading a map of another layout (value 8 B) pinned at $B4_PIN; expected an error and exit 1"
	   return ;;
	*) not_yet "xdp_stats ended with status $rc on a map of another layout (value 8 B) pinned at $B4_PIN; expected an error and exit 1"
	   return ;;
	esac
	pass "xdp_stats waited while nothing was pinned, showed the new map's $B4_RUNS_NEW packets after the reload at sane rates, and refused a map of another layout"
}
assignment 1 "xdp_stats follows a reload" follows_reload \
	"each round, open the pin again; if its map id differs from map->id, check its layout, switch to it and count the previous sample from zero"

keeps_counters() {
	local old_id new_id got out rc
	b4_env "$1" && b4_run "$B4_RUNS_OLD" || return
	old_id=$(b4_pinned_id)
	b4_load "$1" --reuse-maps && b4_run "$B4_RUNS_NEW" || return
	new_id=$(b4_pinned_id)
	got=$(netenv_map_sum pinned "$B4_PIN" 2 rx_packets)
	[ "$got" = $((B4_RUNS_OLD + B4_RUNS_NEW)) ] ||
		{ not_yet "after a reload with --reuse-maps the pinned map (id $old_id, now $new_id) holds $got XDP_PASS packets, expected $((B4_RUNS_OLD + B4_RUNS_NEW))"; return; }

	# A pinned map the program cannot use as its own must be refused.
	"$1/xdp_loader" --dev "$B4_DEV" --unload-all -q >/dev/null 2>&1
	rm -f "$B4_PIN"
	"$NETENV_BPFTOOL" map create "$B4_PIN" type array key 4 value 16 entries 5 \
		name xdp_stats_map || { cannot_check "bpftool could not create a map at $B4_PIN"; return; }
	out=$("$1/xdp_loader" --dev "$B4_DEV" --filename "$1/xdp_prog_kern.o" --reuse-maps -q 2>&1)
	rc=$?
	if [ -n "$(netenv_xdp_prog_id "$B4_DEV")" ]; then
		not_yet "xdp_loader --reuse-maps attached over a pinned array (not a percpu_array), exit $rc; expected it to refuse"
		return
	fi
	[ "$rc" -eq 1 ] ||
		{ not_yet "xdp_loader --reuse-maps over a pinned array (not a percpu_array) exited $rc; expected an error and exit 1"; return; }
	pass "--reuse-maps kept map id $new_id and its counts ($got packets), and refused a pinned map of another layout: $out"
}
assignment 2 "xdp_loader --reuse-maps keeps the counters" keeps_counters \
	"in prepare_maps(), open the pin (bpf_obj_get), check type, key and value size and entries against the program's map, then bpf_map__reuse_fd()"
