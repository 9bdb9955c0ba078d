# SPDX-License-Identifier: GPL-2.0
# tracing02's xdp_trace, driven the same way by its tests and its
# assignment checks: a known XDP program on a quiet veth, known frames run
# through it with BPF_PROG_TEST_RUN (which enters the program as a packet
# would, so fentry/fexit see it), and the lines the tool printed.
#
#   trace_target DEV PROG        veth pair DEV/DEVp (removed at exit), both
#                                ends down, with basic02's PROG attached by
#                                xdp-loader; its ifindex in TRACE_IFINDEX
#   trace_start DIR OUT ARGS     DIR/xdp_trace ARGS in the background
#                                (NETENV_PID), output to OUT; true once it
#                                traces, false (OUT says why) if it exited
#   trace_refused OUT            OUT is the one-line "this kernel does not
#                                allow fentry/fexit"
#   trace_run DEV SPEC N         run what is attached to DEV N times on the
#                                frame SPEC, received on DEV; print the
#                                verdict it returned (a number)
#   trace_wait OUT N             wait until OUT has N "Tracing packet:" lines
#   trace_exit                   wait for the tool to exit (after -c), at
#                                most 20 s, then kill it; its exit code
#   trace_links PID              ids of the bpf_links process PID holds
#   trace_links_gone ID...       none of these links exists any more

# Sourced by a test, or by a checks file the harness (which has xdp.sh) reads.
declare -F expect_verdict >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/xdp.sh"

TRACE_TARGET_OBJ=$TOP/basic02-prog-by-name/xdp_prog_kern.o
# What trace_prog_kern.c's lines say for tests/lib/packets.c's frames.
TRACE_IPV4="10.11.1.2 -> 10.11.1.1"
TRACE_IPV6="fc00:dead:cafe:1::2 -> fc00:dead:cafe:1::1"

trace_target() {
	netenv_quiet_veth "$1" || return 1
	xdp-loader load -m native "$1" "$TRACE_TARGET_OBJ" -n "$2" >/dev/null 2>&1 || return 1
	TRACE_IFINDEX=$(cat "/sys/class/net/$1/ifindex")
}

trace_start() {
	local dir=$1 out=$2
	shift 2
	netenv_start "$out" "$dir/xdp_trace" "$@"
	# Loading and attaching takes seconds under an emulated CPU (vmtest).
	netenv_wait_for 30 trace_started_or_gone "$out" "$NETENV_PID"
	grep -q '^Tracing XDP program' "$out"
}

trace_refused() {
	[ "$(grep -c '' "$1")" -eq 1 ] && grep -q 'does not allow fentry/fexit.*make vmtest' "$1"
}

# xdp_md as BPF_PROG_TEST_RUN takes it: data, data_end, data_meta,
# ingress_ifindex, rx_queue_index, egress_ifindex.
trace_started_or_gone() { grep -q '^Tracing XDP program' "$1" || ! _netenv_running "$2"; }
trace_lines_at_least() { [ "$(grep -c '^Tracing packet:' "$1")" -ge "$2" ]; }
trace_gone() { ! _netenv_running "$1"; }

trace_run() {
	local dev=$1 spec=$2 n=$3 frame ctx id
	frame=$(mktemp) ctx=$(mktemp)
	netenv_frame "$spec" "$frame" &&
	perl -e 'print pack("L6", 0, $ARGV[0], 0, $ARGV[1], 0, 0)' \
		"$(stat -c %s "$frame")" "$(cat "/sys/class/net/$dev/ifindex")" >"$ctx" &&
	id=$(netenv_xdp_prog_id "$dev") &&
	"$NETENV_BPFTOOL" prog run id "$id" data_in "$frame" ctx_in "$ctx" repeat "$n" |
		sed -n 's/^Return value: \([0-9]*\).*/\1/p'
	local rc=${PIPESTATUS[0]}
	rm -f "$frame" "$ctx"
	return $rc
}

trace_wait() {
	netenv_wait_for 20 trace_lines_at_least "$1" "$2"
}

trace_exit() {
	netenv_wait_for 20 trace_gone "$NETENV_PID" || kill -9 "$NETENV_PID"
	wait "$NETENV_PID"
}

trace_links() {
	cat "/proc/$1/fdinfo/"* 2>/dev/null | sed -n 's/^link_id:[[:space:]]*//p'
}

trace_links_gone() {
	local id
	for id in "$@"; do
		! "$NETENV_BPFTOOL" link show id "$id" >/dev/null 2>&1 || return 1
	done
}
