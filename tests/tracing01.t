#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tracing01-xdp-exception: trace_load_and_stats counts, per interface,
# exactly the packets that arrive while an aborting XDP program is attached
# (the interface's own rx_packets is the oracle); two environments get lines
# of their own; an interface that goes away keeps its line, by index; the
# tool exits 0 on Ctrl-C and SIGTERM, and after those and kill -9 the link
# and program it made are gone; bad input gets one line and the exit code.
# The solution's tool, with --btf, counts an unknown action under its own
# number. (The assignment checks judge lesson and solution more closely.)
source "$(dirname "$0")/lib/xdp.sh"
source "$TOP/tests/lib/exceptions.sh"
require_root

LESSON=$TOP/tracing01-xdp-exception
SOLUTION=$TOP/tracing-solutions/tracing01-xdp-exception
TOOL=$LESSON/trace_load_and_stats

# expect_line NAME REGEX TEXT: TEXT is one line matching REGEX
expect_line() {
	local rc
	[[ $3 =~ $2 ]] && [ "$(grep -c '' <<<"$3")" -eq 1 ]
	rc=$?
	ok "$rc" "$1"
	[ "$rc" -eq 0 ] || diag "got: '$3'" "expected a line matching /$2/"
}

# ------------------------------------------------------------ bad input ---

help_states_line_format() { "$TOOL" --help | grep -q 'IFNAME ifindex N COUNT pkts RATE pps'; }
check "--help exits 0 and states the line format" -- help_states_line_format
check_error "unknown option" 2 "unknown option '--nope'" -- "$TOOL" --nope
check_error "unknown interface" 2 "no such interface: 'nosuch$$'" -- "$TOOL" -d "nosuch$$"
check_error "interval 0" 2 "interval must be" -- "$TOOL" -i 0
check_error "stray argument" 2 "unexpected argument 'extra'" -- "$TOOL" extra
check_error "not root" 1 "needs root" -- setpriv --reuid=65534 --regid=65534 --clear-groups "$TOOL"

# CMD in a mount namespace of its own, where tracefs is not mounted.
without_tracefs() {
	unshare -m --propagation private sh -c \
		'umount /sys/kernel/tracing 2>/dev/null; exec "$@"' sh "$@"
}
out=$(mktemp) out_dev=$(mktemp) out_sol=$(mktemp) err=$(mktemp)
remove_files() { rm -f "$out" "$out_dev" "$out_sol" "$err"; }
netenv_on_exit remove_files

without_tracefs timeout --preserve-status -s INT 1 "$TOOL" -q 2>"$err"
ok $? "without tracefs: mounts it, runs, exits 0 on Ctrl-C"
expect_line "without tracefs: says so, in one line" \
	'^trace_load_and_stats: mounted tracefs at /sys/kernel/tracing$' "$(<"$err")"

# ---------------------------------------------------------- end to end ---


# measure NAME IFINDEX OUT: "RX COUNT" for NAME, read while nothing arrived
measure() { exc_settled "$1" "$3" "$2"; }

# expect_rise NAME PINGS RX0 COUNT0 RX1 COUNT1
expect_rise() {
	local rx=$(($5 - $3)) count=$(($6 - $4))
	[ "$count" -eq "$rx" ] && [ "$rx" -ge "$2" ]
	ok $? "$1: $2 pings, count rose by $count, rx_packets by $rx"
}

# last_line OUT IFINDEX: the last line the tool printed for IFINDEX
last_line() { grep -E "ifindex +$2( |$)" "$1" | tail -n 1; }
# fresh_last_line OUT IFINDEX: the same, two lines later
fresh_last_line() { sleep 0.5; last_line "$@"; }

a=t01x$$ b=t01y$$
exc_env "$a" && ifindex_a=$EXC_IFINDEX && exc_env "$b" && ifindex_b=$EXC_IFINDEX
ok $? "two environments: $a, $b"
exc_load "$a" "$LESSON" xdp_abort_func && exc_load "$b" "$LESSON" xdp_abort_func
ok $? "xdp_abort_func attached to both"

exc_tool_start "$LESSON" "$out"
ok $? "trace_load_and_stats runs and holds a bpf_link"
pid_all=$EXC_PID ids_all=$(exc_owned_ids "$pid_all")
exc_tool_start "$LESSON" "$out_dev" -d "$a"
ok $? "trace_load_and_stats -d $a runs too"
pid_dev=$EXC_PID ids_dev=$(exc_owned_ids "$pid_dev")

read -r rx_a0 count_a0 < <(measure "$a" "$ifindex_a" "$out")
read -r rx_b0 count_b0 < <(measure "$b" "$ifindex_b" "$out")
exc_ping "$a" 3
exc_ping "$b" 6
read -r rx_a1 count_a1 < <(measure "$a" "$ifindex_a" "$out")
read -r rx_b1 count_b1 < <(measure "$b" "$ifindex_b" "$out")
expect_rise "$a" 3 "$rx_a0" "$count_a0" "$rx_a1" "$count_a1"
expect_rise "$b" 6 "$rx_b0" "$count_b0" "$rx_b1" "$count_b1"

read -r rx_a2 line < <(netenv_settled "$a" fresh_last_line "$out" "$ifindex_a")
expect_line "$a's line when quiet: name, index, count (as rx_packets rose), rate 0" \
	"^$a +ifindex +$ifindex_a +$((count_a0 + rx_a2 - rx_a0)) pkts +0\.0 pps$" "$line"
grep -E "^$b +ifindex +$ifindex_b " "$out" | awk '{ print $(NF - 1) }' | grep -qv '^0\.0$'
ok $? "$b's lines showed a rate while the pings came"
[ "$(grep -c . "$out_dev")" -gt 0 ] && ! grep -vqE "^$a +ifindex +$ifindex_a " "$out_dev"
ok $? "-d $a: lines for $a only"

teardown_b() { "$NETENV_TESTENV" --name "$b" teardown; }
check "$b torn down" -- teardown_b
sleep 0.5	# two more lines
line=$(last_line "$out" "$ifindex_b")
expect_line "$b's line stays, by index, once the interface is gone" \
	"^\(gone\) +ifindex +$ifindex_b +[0-9]+ pkts" "$line"
gone_count=$(grep -oE '[0-9]+ pkts' <<<"$line" | grep -oE '^[0-9]+')
[ "${gone_count:-0}" -ge "$count_b1" ]
ok $? "$b's count stays too: $gone_count, at least the $count_b1 counted before"

# The solution, both assignments: tp_btf, counted per action.
exc_unload "$a" && exc_load "$a" "$LESSON" xdp_bad_action_func
ok $? "xdp_bad_action_func attached to $a"
exc_tool_start "$SOLUTION" "$out_sol" --btf -d "$a"
ok $? "the solution's trace_load_and_stats --btf runs"
pid_sol=$EXC_PID
read -r rx0 count0 < <(exc_settled "$a" "$out_sol" "$ifindex_a" 7)
exc_ping "$a" 4
read -r rx1 count1 < <(exc_settled "$a" "$out_sol" "$ifindex_a" 7)
expect_rise "solution, --btf, $a action 7" 4 "$rx0" "$count0" "$rx1" "$count1"
expect_line "solution: the line names the action" \
	"^$a +ifindex +$ifindex_a +action 7 +XDP_UNKNOWN +[0-9]+ pkts" \
	"$(grep -E "ifindex +$ifindex_a +action 7 " "$out_sol" | tail -n 1)"
netenv_stop "$pid_sol" 2>/dev/null
ok $? "the solution's tool exits 0 on Ctrl-C"

# stopped PID SIGNAL IDS...: the tool exits 0, and what it made is gone
# (not in a subshell: only the shell that started the tool can wait for it).
stopped() {
	local pid=$1 sig=$2 rc
	shift 2
	netenv_stop "$pid" "$sig" 2>/dev/null
	rc=$?
	netenv_wait_for 5 exc_ids_gone "$@"
	ok $? "$sig: the tool's link and program are gone ($*)"
	ok "$rc" "$sig: the tool exits 0" || diag "exit $rc"
}
# shellcheck disable=SC2086 # one word per id
stopped "$pid_all" INT $ids_all
# shellcheck disable=SC2086
stopped "$pid_dev" TERM $ids_dev
exc_tool_start "$LESSON" "$out"
ids_killed=$(exc_owned_ids "$EXC_PID")
kill -9 "$EXC_PID"
wait "$EXC_PID" 2>/dev/null
# shellcheck disable=SC2086
check "kill -9: the tool's link and program are gone (${ids_killed//$'\n'/ })" -- \
	netenv_wait_for 5 exc_ids_gone $ids_killed

done_testing
