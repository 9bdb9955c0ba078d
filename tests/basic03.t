#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# basic03-map-counter: after N test runs the map holds exactly N packets and
# N x the frame's length in bytes; on real pings, xdp_load_and_stats counts
# exactly what the interface's own rx_packets counter counts.
source "$(dirname "$0")/lib/xdp.sh"
require_root

LESSON=$TOP/basic03-map-counter
SOLUTION=$TOP/basic-solutions/basic03-map-counter
RUNS=9

# expect_sum OBJ PROG SPEC KEY FIELD WANT
expect_sum() {
	local got
	got=$(netenv_runs_sum "$1" "$2" "$3" "$RUNS" xdp_stats_map "$4" "$5")
	[ "$got" = "$6" ]
	ok $? "${1#"$TOP"/} $2, $RUNS runs on $3: key $4 $5 = $6"
	[ "$got" = "$6" ] || diag "got ${got:-nothing}, expected $6"
}

# ---------------------------------------------------------- packet checks ---

for obj in "$LESSON/xdp_prog_kern.o" "$SOLUTION/xdp_prog_kern.o"; do
	expect_verdicts "$obj" xdp_count_pass_func XDP_PASS
	expect_verdicts "$obj" xdp_count_drop_func XDP_DROP
done

# The lesson counts XDP_PASS packets only, with an atomic add.
expect_sum "$LESSON/xdp_prog_kern.o" xdp_count_pass_func ipv6,icmp6 2 rx_packets "$RUNS"
expect_sum "$LESSON/xdp_prog_kern.o" xdp_count_drop_func ipv6,icmp6 1 rx_packets 0

# The solution counts packets and bytes for each verdict, per CPU.
for spec in ipv6,icmp6 ipv4,udp,len=200 ipv4,udp,len=1514 trunc=14; do
	len=$(frame_len "$spec")
	expect_sum "$SOLUTION/xdp_prog_kern.o" xdp_count_pass_func "$spec" 2 rx_packets "$RUNS"
	expect_sum "$SOLUTION/xdp_prog_kern.o" xdp_count_pass_func "$spec" 2 rx_bytes $((RUNS * len))
	expect_sum "$SOLUTION/xdp_prog_kern.o" xdp_count_drop_func "$spec" 1 rx_bytes $((RUNS * len))
done
check_match "the solution's map is per-CPU" ' cpu=' -- \
	"$XDP_RUN" "$SOLUTION/xdp_prog_kern.o" xdp_count_pass_func -m xdp_stats_map

# ---------------------------------------------------------- end to end ---

netenv_setup b3t$$ || { done_testing; exit; }

# last_count OUTPUT: the packet count on the last XDP_PASS line printed
last_count() { grep '^XDP_PASS ' <<<"$1" | tail -n 1 | awk '{ print $2 }'; }

# live_run DIR: xdp_load_and_stats from DIR, on pings
live_run() {
	local dir=$1 name=${1#"$TOP"/} out pid prog map rx0 m0 rx1 m1 m2 shown
	out=$(mktemp)
	netenv_on_exit rm -f "$out"
	cd "$dir" || return 1
	netenv_start "$out" ./xdp_load_and_stats --dev "$ENV" -i 0.3
	pid=$NETENV_PID
	check "$name: xdp_load_and_stats attaches" -- netenv_wait_for 5 netenv_xdp_prog_id "$ENV" ||
		return 1
	prog=$(netenv_xdp_loaded_prog_id "$ENV")
	map=$(netenv_prog_map_id "$prog" xdp_stats_map)

	read -r rx0 m0 < <(netenv_settled "$ENV" netenv_map_sum id "$map" 2 rx_packets)
	check "$name: pings are answered" -- testenv ping -- -c 5 -i 0.2 -W 1
	read -r rx1 m1 < <(netenv_settled "$ENV" netenv_map_sum id "$map" 2 rx_packets)
	[ $((m1 - m0)) -eq $((rx1 - rx0)) ] && [ $((rx1 - rx0)) -ge 5 ]
	ok $? "$name: XDP_PASS rose by $((m1 - m0)), rx_packets by $((rx1 - rx0))"

	sleep 0.7	# two more rounds
	check "$name: output arrives line by line while it runs (into a file)" -- \
		grep -q '^XDP_PASS ' "$out"
	netenv_stop "$pid"
	ok $? "$name: exits 0 on Ctrl-C (SIGINT)"
	m2=$(netenv_map_sum id "$map" 2 rx_packets)
	shown=$(last_count "$(<"$out")")
	[ -n "$shown" ] && [ "$shown" -ge "$m1" ] && [ "$shown" -le "$m2" ]
	ok $? "$name: last XDP_PASS line shows $shown (map: $m1 before, $m2 after)"
	check "$name: says the program stays attached" -- grep -q 'stays attached' "$out"
	check "$name: and it does" -- netenv_xdp_prog_id "$ENV"
	check "$name: --unload-all detaches it" -- ./xdp_load_and_stats --dev "$ENV" --unload-all
	check "$name: nothing attached" -- no_xdp_on "$ENV"
}

live_run "$LESSON"
live_run "$SOLUTION"

# A tool and an object whose maps disagree (half-way through assignment 3):
# refused before anything is attached, not read past the record's end.
check_error "lesson tool, per-CPU object: the layouts differ" 1 \
	"xdp_stats_map is percpu_array .* reads array .*make the two agree" -- \
	"$LESSON/xdp_load_and_stats" --dev "$ENV" --filename "$SOLUTION/xdp_prog_kern.o"
check "  ... nothing attached" -- no_xdp_on "$ENV"
check_error "finished tool, lesson object: the layouts differ" 1 \
	"xdp_stats_map is array .* reads percpu_array .*make the two agree" -- \
	"$SOLUTION/xdp_load_and_stats" --dev "$ENV" --filename "$LESSON/xdp_prog_kern.o"
check "  ... nothing attached" -- no_xdp_on "$ENV"
netenv_done
done_testing
