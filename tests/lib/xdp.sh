# SPDX-License-Identifier: GPL-2.0
# Packet checks: run a program on a crafted frame (tests/xdp_run) and look
# at the verdict and the bytes that came out.

source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
XDP_RUN=$TOP/tests/xdp_run

# Frames every program is tried on: each protocol, 0/1/2 VLAN tags, and
# truncated frames (only an Ethernet header; IPv6 cut in its header).
PACKETS="ipv4,icmp ipv6,icmp6 ipv4,tcp ipv4,udp ipv6,tcp ipv6,udp
vlan,ipv6,icmp6 vlan,vlan,ipv4,udp ipv4,udp,len=1500 trunc=14 ipv6,udp,trunc=20"

# verdict OBJ PROG [SPEC]: the verdict PROG gives the frame SPEC.
verdict() {
	"$XDP_RUN" "$1" "$2" ${3:+-p "$3"} 2>/dev/null | sed -n 's/^verdict: //p'
}

# frame_hex SPEC: the frame SPEC describes, in hex, as xdp_run builds it.
frame_hex() {
	"$XDP_RUN" "$TOP/basic01-xdp-pass/xdp_pass_kern.o" xdp_pass_func -p "$1" |
		sed -n 's/^in: *//p'
}

frame_len() {	# frame_len SPEC: the frame's length in bytes
	local hex
	hex=$(frame_hex "$1")
	echo $((${#hex} / 2))
}

# expect_verdict OBJ PROG SPEC VERDICT: that verdict, frame unchanged; on
# failure, what came out and what was expected.
expect_verdict() {
	local out verdict in_hex out_hex
	out=$("$XDP_RUN" "$1" "$2" -p "$3" 2>&1)
	verdict=$(sed -n 's/^verdict: //p' <<<"$out")
	in_hex=$(sed -n 's/^in: *//p' <<<"$out")
	out_hex=$(sed -n 's/^out: *//p' <<<"$out")
	[ "$verdict" = "$4" ] && [ "$in_hex" = "$out_hex" ]
	ok $? "$(basename "$(dirname "$1")")/$(basename "$1") $2 on $3: $4, frame unchanged"
	if [ -z "$verdict" ]; then
		diag "got no verdict: $out" "expected: $4"
	elif [ "$verdict" != "$4" ]; then
		diag "got verdict $verdict" "expected $4"
	elif [ "$in_hex" != "$out_hex" ]; then
		diag "got frame:      $out_hex" "expected (in):  $in_hex"
	fi
}

# expect_verdicts OBJ PROG VERDICT: expect_verdict on every frame in $PACKETS.
expect_verdicts() {
	local spec
	for spec in $PACKETS; do
		expect_verdict "$1" "$2" "$spec" "$3"
	done
}

source "$(dirname "${BASH_SOURCE[0]}")/netenv.sh"
