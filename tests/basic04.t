#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# basic04-pinning-maps: the programs count exactly (N runs: N packets and
# N x length bytes); xdp_stats reads maps pinned by xdp_loader and by
# xdp-loader --pin-path (testenv.sh load) and agrees with the interface's
# rx_packets; reloads and --reuse-maps; and every bad input: one line, the
# documented exit code, nothing left behind.
source "$(dirname "$0")/lib/xdp.sh"
require_root

LESSON=$TOP/basic04-pinning-maps
SOLUTION=$TOP/basic-solutions/basic04-pinning-maps
STATS=$SOLUTION/xdp_stats	# the finished one, as testenv.sh stats runs it
RUNS=9

# ---------------------------------------------------------- packet checks ---

expect_verdicts "$LESSON/xdp_prog_kern.o" xdp_pass_func XDP_PASS
expect_verdicts "$LESSON/xdp_prog_kern.o" xdp_drop_func XDP_DROP
expect_verdicts "$LESSON/xdp_prog_kern.o" xdp_abort_func XDP_ABORTED
for spec in ipv6,icmp6 ipv4,tcp,len=1514 trunc=14; do
	len=$(frame_len "$spec")
	for prog_key in xdp_abort_func:0 xdp_drop_func:1 xdp_pass_func:2; do
		prog=${prog_key%:*} key=${prog_key#*:}
		got=$(netenv_runs_sum "$LESSON/xdp_prog_kern.o" "$prog" "$spec" "$RUNS" \
			xdp_stats_map "$key" rx_packets)
		got_bytes=$(netenv_runs_sum "$LESSON/xdp_prog_kern.o" "$prog" "$spec" "$RUNS" \
			xdp_stats_map "$key" rx_bytes)
		[ "$got" = "$RUNS" ] && [ "$got_bytes" = $((RUNS * len)) ]
		ok $? "$prog, $RUNS runs on $spec ($len bytes): $got packets, $got_bytes bytes under key $key"
	done
done

# ---------------------------------------------------------- helpers ---

no_pins_for() { [ ! -e "/sys/fs/bpf/$1" ]; }
pin_of() { echo "/sys/fs/bpf/$1/xdp_stats_map"; }
pinned_map_id() { bpftool_json map show pinned "$(pin_of "$1")" | sed -n 's/^id=//p'; }
nothing_left_on() { no_xdp_on "$1" && no_pins_for "$1"; }

# What the end-to-end steps do with the lesson's loader (in $LESSON)
load_and_pin() { ./xdp_loader --dev "$ENV" -q && [ -e "$(pin_of "$ENV")" ]; }
reload() { ./xdp_loader --dev "$ENV" --unload-all -q && ./xdp_loader --dev "$ENV" -q; }
reload_reusing_maps() {
	./xdp_loader --dev "$ENV" --unload-all -q &&
		"$SOLUTION/xdp_loader" --dev "$ENV" --reuse-maps -q
}
testenv_unload_removes_pins() { testenv unload && no_pins_for "$ENV"; }
testenv_load_pins() { testenv load -- "$LESSON/xdp_prog_kern.o" >/dev/null && [ -e "$(pin_of "$ENV")" ]; }

# pass_count_settled: "RX PASS", read at one instant (see netenv_settled)
pass_count_settled() { netenv_settled "$ENV" netenv_map_sum pinned "$(pin_of "$ENV")" 2 rx_packets; }

# counts_match_pings WHAT: ping 5 times; the pinned XDP_PASS count must rise
# exactly as much as rx_packets
counts_match_pings() {
	local rx0 m0 rx1 m1
	read -r rx0 m0 < <(pass_count_settled)
	check "$1: pings are answered" -- testenv ping -- -c 5 -i 0.1 -W 1
	read -r rx1 m1 < <(pass_count_settled)
	[ $((m1 - m0)) -eq $((rx1 - rx0)) ] && [ $((rx1 - rx0)) -ge 5 ]
	ok $? "$1: XDP_PASS rose by $((m1 - m0)), rx_packets by $((rx1 - rx0))"
	LAST_PASS=$m1
}

# stats_start OUT [CMD...]: the finished xdp_stats on $ENV (or CMD) in the
# background, once it has printed a round
stats_start() {
	local out=$1
	shift
	[ $# -gt 0 ] || set -- "$STATS" --dev "$ENV" -i 0.2
	netenv_start "$out" "$@"
	STATS_PID=$NETENV_PID
	netenv_wait_for 5 grep -q '^XDP_PASS ' "$out"
}

# stats_stop OUT WHAT: Ctrl-C xdp_stats; its last XDP_PASS total must lie
# between the count read after the pings (LAST_PASS) and the count now
stats_stop() {
	local shown now
	netenv_stop "$STATS_PID"
	ok $? "$2: xdp_stats exits 0 on Ctrl-C (SIGINT)"
	shown=$(grep '^XDP_PASS ' "$1" | tail -n 1 | awk '{ print $2 }')
	now=$(netenv_map_sum pinned "$(pin_of "$ENV")" 2 rx_packets)
	[ -n "$shown" ] && [ "$shown" -ge "$LAST_PASS" ] && [ "$shown" -le "$now" ]
	ok $? "$2: xdp_stats shows XDP_PASS $shown (map: $LAST_PASS after the pings, $now now)"
}

# ---------------------------------------------------------- end to end ---

netenv_setup b4t$$ || { done_testing; exit; }
out=$(mktemp)
netenv_on_exit rm -f "$out"
cd "$LESSON" || exit 1

check "xdp_loader attaches xdp_pass_func and pins its map" -- load_and_pin
stats_start "$out"
ok $? "xdp_stats prints while it runs (line-buffered into a file)"
counts_match_pings "xdp_loader's map"
sleep 0.5	# two more rounds
stats_stop "$out" "xdp_loader's map"
period=$(grep -o 'period [0-9.]*' "$out" | tail -n 1 | awk '{ print $2 }')
awk -v p="$period" 'BEGIN { exit !(p >= 0.19 && p < 0.4) }'
ok $? "xdp_stats measures the period: $period s for -i 0.2"
check "the pin is still there after xdp_stats" -- test -e "$(pin_of "$ENV")"

# Reload with the lesson's loader: a new map replaces the pinned one.
stats_start "$out"
old_id=$(pinned_map_id "$ENV")
check "reload: --unload-all, then load again" -- reload
new_id=$(pinned_map_id "$ENV")
[ -n "$new_id" ] && [ "$new_id" != "$old_id" ]
ok $? "the reload pinned a new map (id $old_id -> $new_id)"
check "xdp_stats says the program was reloaded" -- \
	netenv_wait_for 3 grep -q "reloaded.*id $new_id" "$out"
counts_match_pings "after the reload"
sleep 0.5
stats_stop "$out" "after the reload"

# Reload with the finished loader and --reuse-maps: the counters carry over.
before=$LAST_PASS
check "reload with --reuse-maps" -- reload_reusing_maps
[ "$(pinned_map_id "$ENV")" = "$new_id" ]
ok $? "--reuse-maps kept map id $new_id"
after=$(netenv_map_sum pinned "$(pin_of "$ENV")" 2 rx_packets)
[ "$after" -ge "$before" ] && [ "$before" -ge 5 ]
ok $? "the counters carried over: XDP_PASS $before before, $after after"
counts_match_pings "after --reuse-maps"

# xdp-loader --pin-path, as testenv.sh load uses it, pins the same map.
check "testenv unload removes program and pins" -- testenv_unload_removes_pins
check "testenv load pins xdp_stats_map" -- testenv_load_pins
stats_start "$out" "$NETENV_TESTENV" --name "$ENV" stats -- -i 0.2
ok $? "testenv.sh stats (the finished xdp_stats) reads the map xdp-loader pinned"
counts_match_pings "xdp-loader's map"
sleep 0.5
stats_stop "$out" "xdp-loader's map"

# Stopping xdp_stats any way leaves the pins alone.
for sig in TERM KILL; do
	stats_start "$out"
	netenv_stop "$STATS_PID" "$sig"
	rc=$?
	[ "$sig" = KILL ] || [ "$rc" -eq 0 ]
	ok $? "xdp_stats on SIG$sig: exit $rc"
	check "the pin survives SIG$sig" -- test -e "$(pin_of "$ENV")"
done
check "testenv unload" -- testenv unload
netenv_done

# ---------------------------------------------------------- bad input ---

dev=b4q$$
netenv_quiet_veth "$dev"
check_error "xdp_stats, nothing pinned" 1 "no map pinned at /sys/fs/bpf/$dev/xdp_stats_map: load" -- \
	"$STATS" --dev "$dev"
check "  ... and it created nothing" -- no_pins_for "$dev"
check_error "xdp_stats, no such device" 2 "no such interface: 'nosuchdev0'" -- \
	"$STATS" --dev nosuchdev0

# An array's key is always 4 bytes: a wrong key size needs a hash.
for layout in "percpu_array key 4 value 8" "percpu_hash key 8 value 16"; do
	mkdir -p "/sys/fs/bpf/$dev"
	# shellcheck disable=SC2086 # $layout is several words on purpose
	"$NETENV_BPFTOOL" map create "$(pin_of "$dev")" type $layout entries 5 name xdp_stats_map
	check_error "xdp_stats, pinned map with $layout" 1 "is not an xdp_stats map.*remove it" -- \
		"$STATS" --dev "$dev"
	check "  ... and the pin is left alone" -- test -e "$(pin_of "$dev")"
	check_error "xdp_loader --reuse-maps, pinned map with $layout" 1 "differs.*remove it" -- \
		"$SOLUTION/xdp_loader" --dev "$dev" --filename "$LESSON/xdp_prog_kern.o" --reuse-maps
	check "  ... and nothing is attached" -- no_xdp_on "$dev"
	rm -r "/sys/fs/bpf/$dev"
done

for loader in "$LESSON/xdp_loader" "$SOLUTION/xdp_loader"; do
	name=${loader#"$TOP"/}
	check_error "$name, no such program" 1 "no program 'nope' in .*xdp_prog_kern.o" -- \
		"$loader" --dev "$dev" --filename "$LESSON/xdp_prog_kern.o" --progname nope
	check_error "$name, missing object" 1 "cannot open /nonexistent.o" -- \
		"$loader" --dev "$dev" --filename /nonexistent.o
	check "  ... nothing attached, nothing pinned" -- \
		nothing_left_on "$dev"
done

# A bridge has no native XDP (a veth has).
br=b4br$$
netenv_on_exit netenv_remove_link "$br"
ip link add dev "$br" type bridge
check_error "xdp_loader --native-mode on a bridge" 1 "no native XDP support: try --skb-mode" -- \
	"$LESSON/xdp_loader" --dev "$br" --filename "$LESSON/xdp_prog_kern.o" --native-mode
check "  ... nothing attached, nothing pinned" -- \
	nothing_left_on "$br"
check "  ... while --skb-mode works there" -- \
	"$LESSON/xdp_loader" --dev "$br" --filename "$LESSON/xdp_prog_kern.o" --skb-mode -q

# ------------------------------------------------ pins: all or nothing ---

TWO_MAPS=$TOP/tests/progs/two_maps_kern.o
pd=b4p$$
netenv_quiet_veth "$pd"
check "an object with two maps and a global variable loads and pins" -- \
	"$SOLUTION/xdp_loader" --dev "$pd" --filename "$TWO_MAPS" -q
check "  ... both maps are pinned, the .bss map of the global variable is not" -- \
	test "$(ls "/sys/fs/bpf/$pd" | tr '\n' ' ')" = "second_map xdp_stats_map "
old_id=$(pinned_map_id "$pd")
check "unload (the pins stay)" -- "$SOLUTION/xdp_loader" --dev "$pd" --unload-all -q
# Make pinning the second map fail: its temporary name is taken by a directory.
mkdir "/sys/fs/bpf/$pd/second_map_new"
check_error "a load whose pinning fails" 1 "cannot pin /sys/fs/bpf/$pd/second_map_new" -- \
	"$SOLUTION/xdp_loader" --dev "$pd" --filename "$TWO_MAPS"
[ "$(pinned_map_id "$pd")" = "$old_id" ]
ok $? "  ... leaves the old pin in place (map id $(pinned_map_id "$pd"), was $old_id)"
no_temporary_pin() { [ ! -e "/sys/fs/bpf/$pd/xdp_stats_map_new" ]; }
check "  ... and nothing attached" -- no_xdp_on "$pd"
check "  ... and no temporary pin left" -- no_temporary_pin
rmdir "/sys/fs/bpf/$pd/second_map_new"

# Ctrl-C or SIGTERM while loading: either nothing changed, or the program is
# attached and the pins are its maps; never a program without its pins.
consistent=0
for i in $(seq 20); do
	"$SOLUTION/xdp_loader" --dev "$pd" --unload-all -q >/dev/null 2>&1
	"$SOLUTION/xdp_loader" --dev "$pd" --filename "$TWO_MAPS" -q >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$((RANDOM % 10))"
	kill -s "$( ((i % 2)) && echo TERM || echo INT)" "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	prog=$(netenv_xdp_loaded_prog_id "$pd")
	if [ -z "$prog" ] || [ "$(netenv_prog_map_id "$prog" xdp_stats_map)" = "$(pinned_map_id "$pd")" ]; then
		consistent=$((consistent + 1))
	else
		diag "try $i: program $prog attached, pinned map $(pinned_map_id "$pd") is not its map"
	fi
done
[ "$consistent" -eq 20 ]
ok $? "20 loads stopped by SIGINT/SIGTERM at random: $consistent of 20 left a program with its pins or none"

done_testing
