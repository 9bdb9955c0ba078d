#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# packet02-rewriting: the programs on a packet set and on fuzzed frames
# (tests/fuzz_rewrite: a reference rewrite and a checksum oracle of its
# own; tests/swap_kern.c puts rewrite_helpers.h's address swaps there too),
# then end to end: a datagram and a TCP connection to port 2000
# reach listeners on 1999 with the receiver verifying every checksum, and
# VLAN tags popped and pushed as tcpdump sees them.
source "$(dirname "$0")/lib/assignments.sh"	# xdp.sh, and apply_fixture
require_root

LESSON=$TOP/packet02-rewriting
SOLUTION=$TOP/packet-solutions/packet02-rewriting
SOL_OBJ=$SOLUTION/xdp_prog_kern.o
FUZZ=$TOP/tests/fuzz_rewrite
PROBE=$TOP/tests/lib/socket_probe.py
PROGS="xdp_port_rewrite_func xdp_vlan_swap_func"
P2_TMP=$(mktemp -d)	# every file this test makes
p2_remove_tmp() { rm -rf "$P2_TMP"; }
netenv_on_exit p2_remove_tmp

# IPv4 and IPv6; TCP, UDP, ICMP, ICMPv6 and no transport; 0, 1, 2 (and 3)
# tags of both kinds; IPv4 and TCP options; ports at the wrap; UDP without
# a checksum; then malformed: length fields that lie, bad checksums, frames
# cut inside each header.
P2_PACKETS="ipv4,udp ipv4,tcp ipv4,icmp ipv6,udp ipv6,tcp ipv6,icmp6 ethertype=0x0806
vlan,ipv4,udp svlan,ipv6,tcp vlan,svlan,ipv4,tcp svlan,vlan,ipv6,udp vlan,vlan,ipv4,icmp
svlan,svlan,ipv6,tcp vlan,svlan,vlan,ipv4,udp vid=4095,vlan,ipv6,udp
ipv4,ipopt=40,udp ipv4,ipopt=8,tcp,tcpopt=12 ipv4,udp,nocsum ipv6,udp,dport=0
ipv4,tcp,dport=1 ipv4,udp,dport=2000 ipv6,tcp,dport=2000 ipv4,udp,len=1500
ipv4,ihl=4,udp ipv4,ihl=15,tcp ipv4,iplen=10,udp ipv4,iplen=0,tcp ipv6,iplen=0,udp ipv4,tcp,doff=3
ipv4,tcp,doff=15 ipv4,udp,udplen=0 ipv4,udp,udplen=4 ipv6,udp,udplen=4 ipv4,udp,badcsum ipv6,tcp,badcsum
trunc=14 vlan,ipv4,udp,trunc=15 vlan,ipv4,udp,trunc=17 ipv4,udp,trunc=33
ipv4,udp,trunc=34 ipv4,udp,trunc=41 ipv6,tcp,trunc=53 ipv6,tcp,trunc=73"

# ------------------------------------------------------------ packet checks ---

for prog in $PROGS; do
	for spec in $P2_PACKETS; do
		expect_verdict "$LESSON/xdp_prog_kern.o" "$prog" "$spec" XDP_PASS
	done
done

# The solution against the reference, frame by frame: verdict, bytes, and
# every checksum recomputed.
spec_args=()
for spec in $P2_PACKETS; do
	spec_args+=(-p "$spec")
done
for prog in $PROGS; do
	out=$("$FUZZ" "$SOL_OBJ" "$prog" "${spec_args[@]}" 2>&1)
	for spec in $P2_PACKETS; do
		line=$(grep -m1 -- " $spec\(:\|$\)" <<<"$out")
		[ "$line" = "ok $spec" ]
		ok $? "solution $prog on $spec: bytes as the reference's, checksums valid"
		[ "$line" = "ok $spec" ] || diag "${line:-no result; fuzz_rewrite said:}" "$out"
	done
done

# The reference itself, held to bytes written out here.
# p2_out PROG SPEC [BYTE COUNT]: the solution's output frame in hex, or
# COUNT of its bytes from BYTE on
p2_out() {
	local hex
	hex=$("$XDP_RUN" "$SOL_OBJ" "$1" -p "$2" | sed -n 's/^out: *//p')
	[ $# -eq 4 ] && hex=${hex:$(($3 * 2)):$(($4 * 2))}
	echo "$hex"
}

check_equal "UDP/IPv4 to 2000 leaves for 1999 (bytes 36-37)" 07cf -- \
	p2_out xdp_port_rewrite_func ipv4,udp,dport=2000 36 2
check_equal "802.1Q TCP/IPv6 to 2000 leaves for 1999 (bytes 60-61)" 07cf -- \
	p2_out xdp_port_rewrite_func vlan,ipv6,tcp,dport=2000 60 2
check_equal "UDP/IPv4 without a checksum keeps checksum 0 (bytes 40-41)" 0000 -- \
	p2_out xdp_port_rewrite_func ipv4,udp,nocsum 40 2
in=$(frame_hex ipv6,icmp6)
check_equal "an untagged frame gets 802.1Q VLAN 1 after the MAC addresses" \
	"${in:0:24}81000001${in:24}" -- p2_out xdp_vlan_swap_func ipv6,icmp6
in=$(frame_hex svlan,vlan,ipv4,udp)
check_equal "an 802.1ad+802.1Q frame loses the outer (802.1ad) tag" \
	"${in:0:24}${in:32}" -- p2_out xdp_vlan_swap_func svlan,vlan,ipv4,udp

# Differential fuzzing, a new seed each run (printed, to reproduce a
# failure): both lessons' programs, the solution's tc egress program (its
# checksum update; end to end below, a TCP reply's checksum is finished
# after tc instead), and the address swaps of rewrite_helpers.h through
# tests/swap_kern.c.
for prog in $PROGS tc_port_restore_func "$TOP/tests/swap_kern.o:xdp_swap_func"; do
	obj=$SOL_OBJ
	[[ $prog == *:* ]] && obj=${prog%:*} prog=${prog#*:}
	out=$("$FUZZ" "$obj" "$prog" -n 100000 2>&1)
	[[ $out == "ok: "* ]]
	ok $? "$prog: the edge cases and 100000 random and mutated frames agree with the reference"
	diag "$out"
done

# ---------------------------------------------------- end to end: the ports ---

# p2_addr REGEX: the environment's outer IPv6 address matching REGEX
p2_addr() {
	ip -6 -o addr show dev "$ENV" scope global | awk '{ print $4 }' | cut -d/ -f1 | grep -m1 -E "$1"
}

# The receiver must really check checksums: veth otherwise marks them as
# checked (rx) or leaves them to be done later (tx), which is how broken
# checksum updates have gone unnoticed.
p2_offload_off() {
	ethtool -K "$ENV" tx off rx off >/dev/null && testenv exec -- ethtool -K veth0 tx off rx off >/dev/null
}

p2_load() {	# p2_load OBJ PROG: attach PROG (alone) to $ENV
	testenv unload --all >/dev/null 2>&1
	testenv load -n "$2" -- "$1" >/dev/null
}

# p2_udp_to_2000: a datagram sent from inside to port 2000; what a listener
# on port 1999 of the outer address received.
p2_udp_to_2000() {
	local out=$P2_TMP/udp-recv
	netenv_start "$out" python3 "$PROBE" udp-recv "$OUTER6" 1999 10
	netenv_wait_for 5 grep -q listening "$out"
	testenv exec -- python3 "$PROBE" udp-send "$OUTER6" 2000 hello-udp
	netenv_stop "$NETENV_PID" TERM >/dev/null
	out=$(grep -v listening "$out")
	echo "$out"	# a builtin last: see netenv.sh on $(...)
}

# p2_tcp_to_2000: connect from inside to port 2000, with a server on 1999
# of the outer address; the client's output.
p2_tcp_to_2000() {
	local out=$P2_TMP/tcp-serve
	netenv_start "$out" python3 "$PROBE" tcp-serve "$OUTER6" 1999 10
	netenv_wait_for 5 grep -q listening "$out"
	testenv exec -- python3 "$PROBE" tcp-send "$OUTER6" 2000 hello-tcp 3 2>&1
	netenv_stop "$NETENV_PID" TERM >/dev/null
	true	# a builtin last: see netenv.sh on $(...)
}

p2_remove_tc() { tc qdisc del dev "$ENV" clsact; }

# p2_load_fixture NAME: the solution with tests/fixtures/packet02-rewriting/NAME
# applied, built in P2_TMP, its xdp_port_rewrite_func attached to $ENV
p2_load_fixture() {
	local dir=$P2_TMP/$1
	mkdir -p "$dir" && cp "$SOLUTION/xdp_prog_kern.c" "$dir/" &&
		apply_fixture "$TOP/tests/fixtures/packet02-rewriting/$1" "$dir" &&
		make -s -C "$dir" -f "$TOP/common/common.mk" XDP_TARGETS=xdp_prog_kern >/dev/null &&
		p2_load "$dir/xdp_prog_kern.o" xdp_port_rewrite_func
}

p2_ports_end_to_end() {
	local answer
	OUTER6=$(p2_addr '^fc00:dead:cafe:[0-9a-f]{1,2}::1$')
	check "checksum offload off on both ends (ethtool -K tx off rx off)" -- p2_offload_off || return

	answer=$(p2_udp_to_2000)
	[[ $answer != *received* ]]
	ok $? "without a program, a datagram to port 2000 does not reach port 1999"
	diag "listener on 1999: ${answer:-nothing}"
	check "attach xdp_port_rewrite_func (solution)" -- p2_load "$SOL_OBJ" xdp_port_rewrite_func || return
	answer=$(p2_udp_to_2000)
	[ "$answer" = "udp port 1999 received 'hello-udp'" ]
	ok $? "a datagram to port 2000 reaches port 1999, checksum verified"
	diag "listener on 1999: ${answer:-nothing}"

	answer=$(p2_tcp_to_2000)
	[[ $answer != "answer "* ]]
	ok $? "without the tc program, a TCP connection to 2000 gets no answer (replies come from 1999)"
	netenv_on_exit p2_remove_tc
	check "attach tc_port_restore_func at $ENV's tc egress" -- tc qdisc add dev "$ENV" clsact &&
		check "tc filter add ... egress bpf tc_port_restore_func" -- \
			tc filter add dev "$ENV" egress bpf direct-action obj "$SOL_OBJ" sec tc
	answer=$(p2_tcp_to_2000)
	[ "$answer" = "answer 'echo: hello-tcp'" ]
	ok $? "a TCP connection to port 2000 is served by the listener on 1999"
	diag "client: ${answer:-nothing}"

	# A checksum update that loses its carry: the receiver now drops the
	# SYN, so the connection fails; that is what offload off is for.
	check "the fixture checksum-no-carry builds and attaches" -- p2_load_fixture checksum-no-carry
	answer=$(p2_tcp_to_2000)
	[[ $answer != "answer "* ]]
	ok $? "a carry-losing checksum update (fixture checksum-no-carry) breaks the TCP connection"
	diag "client: ${answer:-nothing}"
	check "tc qdisc del dev $ENV clsact (ours)" -- p2_remove_tc
	testenv unload --all >/dev/null
}

if ! command -v ethtool >/dev/null; then
	skip "UDP and TCP port rewrite end to end" "ethtool is not installed (./configure --install-deps installs it)"
elif netenv_setup "p2p$$"; then
	p2_ports_end_to_end
	netenv_done
fi

# ----------------------------------------------------- end to end: VLANs ---

p2_seen() { [ "$(grep -c "$2" "$3")" -ge "$1" ]; }	# p2_seen N TEXT FILE

# p2_echo_requests [PING OPTIONS]: ping from inside (3 packets) while
# tcpdump watches $ENV; its lines for the echo requests. Sets P2_PINGS to
# the number answered.
p2_echo_requests() {
	local out=$P2_TMP/tcpdump
	# --immediate-mode: each frame printed as it comes, not a buffer later
	netenv_start "$out" timeout 10 tcpdump -i "$ENV" -e -n -l --immediate-mode
	netenv_wait_for 5 grep -q "listening on" "$out"
	P2_PINGS=$(testenv ping "$@" -- -c 3 -i 0.2 -W 1 | sed -n 's/.* \([0-9]*\) received.*/\1/p')
	netenv_wait_for 2 p2_seen 3 "echo request" "$out"
	netenv_stop "$NETENV_PID" >/dev/null
	out=$(grep "echo request" "$out")
	echo "$out"	# a builtin last: see netenv.sh on $(...)
}

# p2_tags WHERE LINES UNTAGGED|"vlan 1": every echo request tcpdump saw
# shows that, and it saw at least 2 of the 3 (on a busy machine it can
# miss one; the pings' answers are counted separately).
p2_tags() {
	local n bad
	n=$(grep -c . <<<"$2")
	if [ "$3" = untagged ]; then
		bad=$(grep -c "802.1Q\|802.1ad\|vlan" <<<"$2")
	else
		bad=$(grep -vc "ethertype 802.1Q (0x8100), .*: $3, p 0, ethertype IPv6" <<<"$2")
	fi
	if [ "$n" -ge 2 ] && [ "$bad" -eq 0 ]; then
		ok 0 "$1: the echo requests are $3 on the wire ($n seen)"
	else
		ok 1 "$1: the echo requests are $3 on the wire"
		diag "tcpdump saw:" "$2"
	fi
}

# Debian's 6.12 refuses a program that moves the packet's head in a slot of
# libxdp 1.3's dispatcher; testenv load then loads it alone and says so.
p2_load_vlan_swap() { p2_load "$SOL_OBJ" xdp_vlan_swap_func 2>"$P2_TMP/load-note"; }
p2_head_mover_alone() {
	local note
	note=$(cat "$P2_TMP/load-note")
	if [[ $note != *"loading it alone"* ]]; then
		skip "testenv load: a head-moving program refused by the dispatcher is loaded alone" \
			"this kernel took it as it was${note:+ (said: $note)}"
		return
	fi
	! netenv_dispatcher_on "$ENV"
	ok $? "testenv load: refused in a dispatcher slot, loaded alone, one note: $note"
	[ "$(wc -l <<<"$note")" = 1 ]
	ok $? "testenv load: the refusal is one line (got $(wc -l <<<"$note"))"
}

p2_vlan_end_to_end() {
	local lines
	lines=$(p2_echo_requests)
	p2_tags "no program, plain ping" "$lines" untagged
	lines=$(p2_echo_requests --vlan)
	p2_tags "no program, testenv --vlan ping" "$lines" "vlan 1"

	check "attach xdp_vlan_swap_func (solution)" -- p2_load_vlan_swap || return
	p2_head_mover_alone
	p2_echo_requests >/dev/null	# P2_PINGS is set in this shell, not in $(...)
	[ "$P2_PINGS" = 3 ]
	ok $? "plain pings answered with a tag pushed (testenv's tc takes VLAN 1 off again)"
	lines=$(p2_echo_requests)
	p2_tags "xdp_vlan_swap_func, plain ping: pushed" "$lines" "vlan 1"
	p2_echo_requests --vlan >/dev/null
	if [ -e "/sys/class/net/$ENV.1" ]; then
		# Whether the stack answers then is its business, not the
		# program's (Debian's 6.1 did, its 6.12 did not).
		skip "VLAN pings answered with their tag popped" \
			"802.1Q interfaces: the popped frame arrives on $ENV, while $ENV.1 holds its address"
	else
		[ "$P2_PINGS" = 3 ]
		ok $? "VLAN pings answered with their tag popped (got $P2_PINGS of 3)"
	fi
	lines=$(p2_echo_requests --vlan)
	p2_tags "xdp_vlan_swap_func, testenv --vlan ping: popped" "$lines" untagged
	testenv unload --all >/dev/null
}

if netenv_setup "p2v$$" --vlan; then
	p2_vlan_end_to_end
	netenv_done
fi
done_testing
