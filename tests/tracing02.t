#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tracing02-xdp-fentry-fexit: xdp_trace attaches fentry and fexit programs
# to a running XDP program (basic02's xdp_drop_func) and prints a line per
# packet, going in and coming out, with the verdict; the traced program's
# verdicts do not change; the links go when the tool does. On a kernel that
# refuses trampolines the tool says so in one line, and the rest is skipped
# (make vmtest runs it on kernels that allow them).
source "$(dirname "$0")/lib/trace.sh"
require_root

LESSON=$TOP/tracing02-xdp-fentry-fexit
SOLUTION=$TOP/tracing-solutions/tracing02-xdp-fentry-fexit
DEV=t2t$$
OUT=$(mktemp)
netenv_on_exit rm -f "$OUT"

check_error "no program named" 2 "give the program to trace" -- "$LESSON/xdp_trace"
check_error "both --dev and --prog-id" 2 "give the program to trace" -- \
	"$LESSON/xdp_trace" --dev lo --prog-id 1
check_error "missing interface" 2 "no such interface" -- "$LESSON/xdp_trace" --dev nosuchif0
check_error "bad id" 2 "must be a decimal number" -- "$LESSON/xdp_trace" --prog-id 12x
check_error "no XDP program on lo" 1 "no XDP program on lo" -- "$LESSON/xdp_trace" --dev lo
check_error "unknown program id" 1 "no BPF program with id 4294967295" -- \
	"$LESSON/xdp_trace" --prog-id 4294967295

trace_target "$DEV" xdp_drop_func
ok $? "xdp-loader attaches xdp_drop_func to $DEV"

if ! trace_start "$SOLUTION" "$OUT" --dev "$DEV" -c 4; then
	if trace_refused "$OUT"; then
		ok 0 "the kernel refuses fentry/fexit: one line naming make vmtest"
		skip "xdp_trace on a running program" "$(cat "$OUT")"
	else
		ok 1 "xdp_trace starts tracing xdp_drop_func on $DEV"
		diag "its output:" "$(cat "$OUT")"
	fi
	done_testing
	exit
fi
ok 0 "xdp_trace starts tracing xdp_drop_func on $DEV"
diag "$(cat "$OUT")"
verdict=$(trace_run "$DEV" ipv4,udp 2)
[ "$verdict" = 1 ]
ok $? "tracing changes no verdict: the program still returns 1, XDP_DROP (got ${verdict:-nothing})"
trace_wait "$OUT" 4
trace_exit
ok $? "-c 4: exits 0 after 4 lines"
diag "output on $(uname -r):" "$(cat "$OUT")"
want=$(printf 'Tracing packet: %s (%s, ifindex %s)\n' \
	"$TRACE_IPV4" fentry "$TRACE_IFINDEX" "$TRACE_IPV4" "fexit: XDP_DROP" "$TRACE_IFINDEX" \
	"$TRACE_IPV4" fentry "$TRACE_IFINDEX" "$TRACE_IPV4" "fexit: XDP_DROP" "$TRACE_IFINDEX")
[ "$(grep '^Tracing packet:' "$OUT")" = "$want" ]
ok $? "two IPv4 frames: fentry then fexit with XDP_DROP, each with $DEV's ifindex"
[ $? -eq 0 ] || diag "wanted:" "$want"

# By id: the program's id is the one behind libxdp's dispatcher, if any.
id=$(sed -n 's/^Tracing XDP program \([0-9]*\) (xdp_drop_func).*/\1/p' "$OUT")
check "the banner names xdp_drop_func and its id (${id:-none})" -- test -n "$id"
if trace_start "$SOLUTION" "$OUT" --prog-id "${id:-0}" -c 2; then
	trace_run "$DEV" ipv6,udp 1 >/dev/null
	trace_wait "$OUT" 2
	grep -qx "Tracing packet: $TRACE_IPV6 (fexit: XDP_DROP, ifindex $TRACE_IFINDEX)" "$OUT"
	ok $? "--prog-id $id: an IPv6 frame, with its addresses and verdict"
	netenv_stop "$NETENV_PID" >/dev/null
else
	ok 1 "--prog-id $id starts tracing"
	diag "$(cat "$OUT")"
fi

# The lesson as committed: fexit lines carry no verdict yet.
if trace_start "$LESSON" "$OUT" --dev "$DEV" -c 2; then
	trace_run "$DEV" ipv4,udp 1 >/dev/null
	trace_wait "$OUT" 2
	[ "$(grep '^Tracing packet:' "$OUT")" = "$(printf 'Tracing packet: %s (fentry)\nTracing packet: %s (fexit)' "$TRACE_IPV4" "$TRACE_IPV4")" ]
	ok $? "the lesson's programs (before the assignments): (fentry), then (fexit) without a verdict"
	[ $? -eq 0 ] || diag "$(cat "$OUT")"
	netenv_stop "$NETENV_PID" >/dev/null
else
	ok 1 "the lesson's xdp_trace starts tracing"
	diag "$(cat "$OUT")"
fi

# However it ends, its links go with it.
for sig in INT TERM KILL; do
	if ! trace_start "$SOLUTION" "$OUT" --dev "$DEV"; then
		ok 1 "xdp_trace starts (for SIG$sig)"
		continue
	fi
	links=$(trace_links "$NETENV_PID")
	netenv_stop "$NETENV_PID" "$sig"
	rc=$?
	[ "$sig" = KILL ] || { [ "$rc" -eq 0 ]; ok $? "SIG$sig: exits 0 (got $rc)"; }
	# shellcheck disable=SC2086 # one argument per link id
	[ "$(wc -w <<<"$links")" -eq 2 ] && netenv_wait_for 5 trace_links_gone $links
	ok $? "SIG$sig: its two links (${links//$'\n'/ }) are gone"
done

# Two programs on one interface: libxdp's dispatcher (it needs freplace).
if xdp-loader load -m native "$DEV" "$TRACE_TARGET_OBJ" -n xdp_pass_func >/dev/null 2>&1; then
	check_error "two programs behind the dispatcher: pick one" 1 \
		"$DEV runs 2 XDP programs.*--prog-id" -- "$SOLUTION/xdp_trace" --dev "$DEV"
else
	skip "two programs behind the dispatcher" "libxdp could not add a second program to $DEV: this kernel refuses freplace (legacy mode)"
fi
done_testing
