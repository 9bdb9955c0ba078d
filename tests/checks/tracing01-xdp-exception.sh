# SPDX-License-Identifier: GPL-2.0
# tracing01-xdp-exception: the assignment checks. The oracle is the outer
# interface's own rx_packets counter: while xdp_abort_func (or
# xdp_bad_action_func) is attached there, every packet that arrives is one
# exception, so the line trace_load_and_stats prints for that interface
# (and action) must rise by exactly as much as rx_packets.

source "$TOP/tests/lib/exceptions.sh"

T01_PINGS=5

# t01_start DIR NAME [TOOL ARGS]: an environment NAME, and DIR's tool
# running, its output in T01_OUT; one line and false on failure.
t01_start() {
	local dir=$1 name=$2
	shift 2
	[ "$(id -u)" -eq 0 ] || { echo "needs root (BPF programs, namespaces): run it as root"; return 1; }
	T01_OUT=$(mktemp)
	netenv_on_exit _t01_remove_out
	exc_env "$name" || return 1
	exc_tool_start "$dir" "$T01_OUT" "$@" && return 0
	echo "trace_load_and_stats $* did not start: $(grep . "$T01_OUT" | tail -n 1)"
	return 1
}
_t01_remove_out() { rm -f "$T01_OUT"; }

# t01_measure NAME [ACTION]: ping NAME; T01_RX is how much its rx_packets
# rose, T01_COUNT how much the tool's count for it (and ACTION) did.
t01_measure() {
	local name=$1 rx0 c0 rx1 c1
	shift
	if ! read -r rx0 c0 < <(exc_settled "$name" "$T01_OUT" "$EXC_IFINDEX" "$@"); then
		echo "packets kept arriving on $name: no quiet moment to compare counts at"
		return 1
	fi
	exc_ping "$name" "$T01_PINGS"
	if ! read -r rx1 c1 < <(exc_settled "$name" "$T01_OUT" "$EXC_IFINDEX" "$@"); then
		echo "packets kept arriving on $name: no quiet moment to compare counts at"
		return 1
	fi
	T01_RX=$((rx1 - rx0)) T01_COUNT=$((c1 - c0))
	[ "$T01_RX" -ge "$T01_PINGS" ] && return 0
	echo "only $T01_RX of $T01_PINGS pings arrived on $name"
	return 1
}

t01_last_line() { grep -E "ifindex[[:space:]]+$EXC_IFINDEX([[:space:]]|$)" "$T01_OUT" | tail -n 1; }

t01_other_lines() {
	local line
	line=$(grep . "$T01_OUT" | tail -n 1)
	[ -n "$line" ] && echo "the last line was '$line'" || echo "it printed no line"
}

counts_per_action() {
	local dir=$1 name=t01a$BASHPID aborted
	t01_start "$dir" "$name" -d "$name" || return 2
	exc_load "$name" "$dir" xdp_abort_func && t01_measure "$name" 0 || return 2
	if ! t01_last_line | grep -qw action; then
		not_yet "the lines show no action: '$(t01_last_line)'"
		return
	fi
	[ "$T01_COUNT" -eq "$T01_RX" ] ||
		{ not_yet "XDP_ABORTED (action 0) on ifindex $EXC_IFINDEX rose by $T01_COUNT while $T01_RX packets arrived"; return; }

	exc_unload "$name"
	exc_load "$name" "$dir" xdp_bad_action_func || return 2
	# No more aborts from here on: the action 0 count must stay where it
	# is two lines later (a packet may have come before the swap).
	sleep 0.5
	aborted=$(exc_count "$T01_OUT" "$EXC_IFINDEX" 0)
	t01_measure "$name" 7 || return 2
	[ "$T01_COUNT" -eq "$T01_RX" ] ||
		{ not_yet "action 7 on ifindex $EXC_IFINDEX rose by $T01_COUNT while $T01_RX packets arrived (last line: '$(t01_last_line)')"; return; }
	[ "$(exc_count "$T01_OUT" "$EXC_IFINDEX" 0)" -eq "$aborted" ] ||
		{ not_yet "action 7's packets were counted under action 0 too: $aborted, then $(exc_count "$T01_OUT" "$EXC_IFINDEX" 0)"; return; }
	pass "on ifindex $EXC_IFINDEX: action 0 (XDP_ABORTED) $aborted and action 7 $T01_COUNT, apart, as packets arrived"
}
assignment 1 "count per (ifindex, action)" counts_per_action \
	"key the map by a struct of ifindex and action (in a header both sides include), and print 'action A' on each line"

counts_with_tp_btf() {
	local dir=$1 name=t01b$BASHPID why="this kernel has no BTF (/sys/kernel/btf/vmlinux): tp_btf programs cannot load"
	[ -e /sys/kernel/btf/vmlinux ] || { unsupported "$why"; return; }
	# Every interface: a program that counts under a wrong index shows.
	t01_start "$dir" "$name" --btf || return 2
	exc_load "$name" "$dir" xdp_abort_func && t01_measure "$name" || return 2
	if [ -z "$(t01_last_line)" ]; then
		not_yet "with --btf, no line for ifindex $EXC_IFINDEX after $T01_RX packets arrived; $(t01_other_lines)"
		return
	fi
	[ "$T01_COUNT" -eq "$T01_RX" ] ||
		{ not_yet "with --btf, ifindex $EXC_IFINDEX rose by $T01_COUNT while $T01_RX packets arrived"; return; }
	pass "with --btf, ifindex $EXC_IFINDEX rose by $T01_COUNT, as $T01_RX packets arrived"
}
assignment 2 "count in the tp_btf program, from its typed arguments" counts_with_tp_btf \
	"in trace_xdp_exception_btf, count as trace_xdp_exception does, with dev->ifindex"
