#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# packet01-parsing: the lesson as committed is refused by the verifier, with
# its reason on one line; the solution (common/parsing_helpers.h) gives the
# right verdict on every frame of the packet set below and never changes a
# frame; it agrees with an independent reference parser on 100,000 seeded
# random and mutated frames (tests/fuzz_parse); and on a real veth pair
# ping shows only odd icmp_seq answered, over IPv6 and IPv4, untagged and
# behind an 802.1Q tag (testenv --vlan), while the pinned counters count
# exactly the even requests as dropped.
source "$(dirname "$0")/lib/assignments.sh"	# xdp.sh, and apply_fixture
require_root

# Fixture trees and captured output, removed at exit.
SCRATCH=$(mktemp -d /tmp/packet01.XXXXXX) || exit 1
remove_scratch() { rm -rf "$SCRATCH"; }
netenv_on_exit remove_scratch

LESSON=$TOP/packet01-parsing
SOLUTION=$TOP/packet-solutions/packet01-parsing
OBJ=$SOLUTION/xdp_prog_kern.o
PROG=xdp_parser_func

# ------------------------------------------------------ the lesson as given ---

check_error "lesson: xdp_run reports the verifier's reason" 1 \
	"the verifier rejected $PROG: .*outside of the packet.*-v shows the whole log" -- \
	"$XDP_RUN" "$LESSON/xdp_prog_kern.o" "$PROG"
check_error "lesson: xdp_loader reports the verifier's reason" 1 \
	"the verifier rejected $PROG: .*outside of the packet" -- \
	"$TOP/basic04-pinning-maps/xdp_loader" --dev lo --filename "$LESSON/xdp_prog_kern.o" \
	--progname "$PROG"
check "lesson: nothing left attached to lo" -- no_xdp_on lo

# ------------------------------------------------------------- packet set ---

# Every protocol behind 0, 1 and 2 tags of both kinds: echo requests with an
# odd sequence number pass, even ones are dropped, the rest passes.
for tags in "" vlan svlan vlan,vlan vlan,svlan svlan,vlan svlan,svlan; do
	tags=${tags:+$tags,}
	for ip in ipv6,icmp6 ipv4,icmp; do
		expect_verdict "$OBJ" $PROG "${tags}${ip},seq=1" XDP_PASS
		expect_verdict "$OBJ" $PROG "${tags}${ip},seq=2" XDP_DROP
	done
	for l3 in ipv6 ipv4; do
		expect_verdict "$OBJ" $PROG "${tags}${l3},tcp" XDP_PASS
		expect_verdict "$OBJ" $PROG "${tags}${l3},udp,len=300" XDP_PASS
	done
done

while read -r spec verdict; do
	expect_verdict "$OBJ" $PROG "$spec" "$verdict"
done <<'EOF'
ipv6,icmp6,seq=0			XDP_DROP
ipv6,icmp6,seq=256			XDP_DROP
ipv6,icmp6,seq=257			XDP_PASS
ipv6,icmp6,seq=65534,len=1514		XDP_DROP
ipv6,icmp6,seq=65535			XDP_PASS
ipv6,icmp6,type=129,seq=2		XDP_PASS
ipv6,icmp6,type=135			XDP_PASS
ipv6,proto=1,len=80			XDP_PASS
ipv6,iplen=0,icmp6,seq=3		XDP_PASS
ipv6					XDP_PASS
ipv4,icmp,seq=0				XDP_DROP
ipv4,icmp,seq=256			XDP_DROP
ipv4,icmp,seq=257			XDP_PASS
ipv4,icmp,type=0,seq=2			XDP_PASS
ipv4,icmp,type=3			XDP_PASS
ipv4,proto=58,len=80			XDP_PASS
ipv4					XDP_PASS
ipv4,ipopt=4,icmp,seq=2			XDP_DROP
ipv4,ipopt=40,icmp,seq=2		XDP_DROP
ipv4,ipopt=40,icmp,seq=3		XDP_PASS
ipv4,ipopt=40,tcp,tcpopt=40		XDP_PASS
ipv6,tcp,tcpopt=12,len=200		XDP_PASS
vlan,vlan,vlan,ipv6,icmp6,seq=2		XDP_PASS
svlan,vlan,svlan,ipv4,icmp,seq=2	XDP_PASS
trunc=14				XDP_PASS
ethertype=0x0806,len=60			XDP_PASS
vlan,ethertype=0x0806,len=60		XDP_PASS
EOF

# Malformed: length fields that lie. IPv4: IHL below 5, a header reaching
# past the frame, a total length below the header; TCP: data offset below 5
# or past the frame; UDP: a length below 8. Lengths that are merely longer
# than the frame are not the parser's business (the IP stack's), so pass.
for n in 0 1 2 3 4; do
	expect_verdict "$OBJ" $PROG "ipv4,ihl=$n,icmp,seq=1" XDP_DROP
	expect_verdict "$OBJ" $PROG "ipv4,tcp,doff=$n" XDP_DROP
	expect_verdict "$OBJ" $PROG "ipv6,tcp,doff=$n,len=200" XDP_DROP
done
for n in 0 1 7; do
	expect_verdict "$OBJ" $PROG "ipv4,udp,udplen=$n" XDP_DROP
	expect_verdict "$OBJ" $PROG "vlan,ipv6,udp,udplen=$n,len=100" XDP_DROP
done
while read -r spec verdict; do
	expect_verdict "$OBJ" $PROG "$spec" "$verdict"
done <<'EOF'
ipv4,ihl=6,icmp,seq=1			XDP_DROP
ipv4,ihl=15,icmp,seq=1,len=73		XDP_DROP
ipv4,ihl=15,icmp,seq=1,len=81		XDP_DROP
ipv4,ihl=15,icmp,seq=1,len=82		XDP_PASS
ipv4,icmp,seq=1,iplen=0			XDP_DROP
ipv4,icmp,seq=1,iplen=19		XDP_DROP
ipv4,icmp,seq=1,iplen=20		XDP_PASS
ipv4,ipopt=8,icmp,seq=1,iplen=27	XDP_DROP
ipv4,icmp,seq=1,iplen=65535		XDP_PASS
ipv4,tcp,doff=6				XDP_DROP
ipv4,tcp,doff=6,len=58			XDP_PASS
ipv4,tcp,doff=15,len=200		XDP_PASS
ipv4,tcp,tcpopt=8,doff=8		XDP_DROP
ipv4,tcp,tcpopt=8			XDP_PASS
ipv4,udp,udplen=8			XDP_PASS
ipv4,udp,udplen=65535			XDP_PASS
EOF

# Cut at every byte before the end of the last header: always dropped; cut
# in the payload: passed.
for spec in ipv6,icmp6,seq=1 ipv4,ipopt=8,icmp,seq=1 vlan,svlan,ipv6,tcp,tcpopt=8 \
	    svlan,vlan,ipv4,udp; do
	full=$(frame_len "$spec")
	wrong=""
	for ((cut = 14; cut < full; cut++)); do
		[ "$(verdict "$OBJ" $PROG "$spec,trunc=$cut")" = XDP_DROP ] || wrong+=" $cut"
	done
	ok "$([ -z "$wrong" ]; echo $?)" "$spec cut at each of bytes 14..$((full - 1)): XDP_DROP${wrong:+ (not at:$wrong)}"
	expect_verdict "$OBJ" $PROG "$spec,len=$((full + 20)),trunc=$((full + 10))" XDP_PASS
done
check_error "a frame shorter than Ethernet cannot be tested: the kernel refuses it" 1 \
	"shorter than 14 bytes" -- "$XDP_RUN" "$OBJ" $PROG -p trunc=13

# ------------------------------------------------------------- fuzzing ---

out=$("$TOP/tests/fuzz_parse" -n 100000 "$OBJ" $PROG 2>&1)
ok $? "fuzz_parse: the solution and the reference agree on 100,000 frames"
diag "$out"
check_error "fuzz_parse: the lesson is refused, with the verifier's reason" 1 \
	"verifier rejected $PROG" -- "$TOP/tests/fuzz_parse" -n 10 "$LESSON/xdp_prog_kern.o"

# The fuzzer has teeth: wrong parsers (fixtures of the assignment checks:
# the solution with one parser replaced) are caught, each with the frame.
# fixture_obj FIXTURE: build it in a tree of its own; the object's path
fixture_obj() {
	local top=$SCRATCH/$1 entry dir
	mkdir "$top" || return 1
	for entry in "$TOP"/*; do
		[ "$(basename "$entry")" = packet01-parsing ] || ln -s "$entry" "$top/"
	done
	dir=$top/packet01-parsing
	mkdir "$dir" && cp "$LESSON/Makefile" "$SOLUTION/xdp_prog_kern.c" "$dir/" &&
		apply_fixture "$TOP/tests/fixtures/packet01-parsing/$1" "$dir" >/dev/null 2>&1 &&
		make -s -C "$dir" >/dev/null 2>&1 && echo "$dir/xdp_prog_kern.o"
}
for fixture in ihl-below-5 ipv4-no-options one-vlan-tag vlan-8021q-only ip6-sizeof-pointer \
	       seq-byte-order; do
	obj=$(fixture_obj "$fixture") || { ok 1 "fixture $fixture builds"; continue; }
	out=$("$TOP/tests/fuzz_parse" -s 1 -n 100000 "$obj" 2>&1)
	[ $? -eq 1 ] && grep -q "the reference" <<<"$out" && grep -q '^frame: [0-9a-f]*$' <<<"$out"
	ok $? "fuzz_parse catches the wrong parser $fixture: $(head -n 1 <<<"$out" | cut -c1-160)"
done

# ------------------------------------------------------------ end to end ---

# icmp_seqs OUTPUT: the sequence numbers answered, in order
icmp_seqs() { grep -o 'icmp_seq=[0-9]*' <<<"$1" | cut -d= -f2 | tr '\n' ' ' | sed 's/ $//'; }

drops() { netenv_map_sum pinned "/sys/fs/bpf/$ENV/xdp_stats_map" 1 rx_packets; }

# ping_odd_only WHAT [PING-FLAGS]: six pings, answers to 1 3 5 only, and
# exactly three more drops counted
ping_odd_only() {
	local what=$1 before out seqs after
	shift
	before=$(drops)
	out=$(testenv ping "$@" -- -c 6 -i 0.2 -W 1 2>&1)
	seqs=$(icmp_seqs "$out")
	[ "$seqs" = "1 3 5" ]
	ok $? "$what: ping -c 6 answered icmp_seq $seqs (expected 1 3 5)"
	after=$(drops)
	[ "$((after - before))" -eq 3 ]
	ok $? "$what: XDP_DROP counted $((after - before)) more (expected 3)"
}

netenv_setup p1t$$ --legacy-ip --vlan || { done_testing; exit; }
check "testenv load attaches the solution" -- testenv load -- "$OBJ"
ping_odd_only "IPv6"
ping_odd_only "IPv4" --legacy-ip
ping_odd_only "IPv6 behind an 802.1Q tag" --vlan
ping_odd_only "IPv4 behind an 802.1Q tag" --legacy-ip --vlan

stats_out=$SCRATCH/stats.out
netenv_start "$stats_out" "$NETENV_TESTENV" --name "$ENV" stats -i 0.2
netenv_wait_for 5 grep -q '^XDP_DROP ' "$stats_out"
netenv_stop "$NETENV_PID" >/dev/null
shown=$(grep '^XDP_DROP ' "$stats_out" | tail -n 1 | awk '{ print $2 }')
[ "$shown" = "$(drops)" ]
ok $? "testenv stats shows XDP_DROP ${shown:-nothing} (the map: $(drops))"
check "testenv unload" -- testenv unload
netenv_done
done_testing
