# SPDX-License-Identifier: GPL-2.0
# packet01-parsing: the assignment checks. The oracle is the verdict
# xdp_parser_func gives, through BPF_PROG_TEST_RUN, on frames built from
# tests/lib/packets.h specs; what it must do is stated in the lesson's
# README.org: drop ICMP/ICMPv6 echo requests with an even sequence number,
# drop frames whose headers do not parse, pass everything else.
#
# Each table row is "SPEC VERDICT what the frame is". Sequence numbers 256
# and 257 (0x0100, 0x0101) tell a parity test done in network byte order
# from one done after bpf_ntohs().

# p1_frames DIR ROW...: pass when every frame gets its verdict; otherwise
# say which frame got what. A program the verifier refuses is "not yet"
# with the verifier's reason: that is what assignment 1 is about.
p1_frames() {
	local dir=$1 row spec want what out got
	shift
	for row in "$@"; do
		read -r spec want what <<<"$row"
		if ! out=$("$XDP_RUN" "$dir/xdp_prog_kern.o" xdp_parser_func -p "$spec" 2>&1); then
			p1_run_failed "$out"
			return
		fi
		got=$(sed -n 's/^verdict: //p' <<<"$out")
		[ "$got" = "$want" ] ||
			{ not_yet "xdp_parser_func returned $got on $what ($spec), expected $want"; return; }
	done
	P1_COUNT=$#
}

p1_run_failed() {	# p1_run_failed XDP_RUN_OUTPUT
	local line
	line=$(grep -m1 -e 'verifier rejected' -e "no program" <<<"$1")
	case $line in
	*"verifier rejected"*)
		not_yet "${line#xdp_run: } (assignment 1: the bounds check in parse_ethhdr)" ;;
	*"no program"*)
		not_yet "xdp_prog_kern.o has no program xdp_parser_func" ;;
	*)
		cannot_check "xdp_parser_func did not run: $(grep -m1 . <<<"$1")" ;;
	esac
}

P1_ETHERNET=(
	"trunc=14 XDP_PASS a bare 14-byte Ethernet header"
	"ethertype=0x0806,len=60 XDP_PASS an ARP-type frame"
	"ethertype=0x88cc,len=64 XDP_PASS an LLDP-type frame"
)
P1_IPV6=(
	"ipv6 XDP_PASS an IPv6 header alone"
	"ipv6,udp XDP_PASS IPv6/UDP"
	"ipv6,tcp,len=100 XDP_PASS IPv6/TCP"
	"ipv6,trunc=15 XDP_DROP an IPv6 frame cut after 1 byte of its header"
	"ipv6,trunc=53 XDP_DROP an IPv6 frame cut 1 byte short of its header"
)
# $1: the tags in front ("" or "vlan," ...), $2: ipv6,icmp6 or ipv4,icmp
p1_echo_rows() {
	local t=$1 ip=$2
	echo "${t}${ip},seq=1 XDP_PASS an echo request with sequence 1"
	echo "${t}${ip},seq=2 XDP_DROP an echo request with sequence 2"
	echo "${t}${ip},seq=0 XDP_DROP an echo request with sequence 0"
	echo "${t}${ip},seq=256 XDP_DROP an echo request with sequence 256"
	echo "${t}${ip},seq=257 XDP_PASS an echo request with sequence 257"
	echo "${t}${ip},seq=65535 XDP_PASS an echo request with sequence 65535"
	echo "${t}${ip},seq=4,len=200 XDP_DROP a 200-byte echo request with sequence 4"
}
mapfile -t P1_ICMP6 < <(p1_echo_rows "" ipv6,icmp6)
P1_ICMP6+=(
	"ipv6,icmp6,type=129,seq=2 XDP_PASS an echo reply with sequence 2"
	"ipv6,icmp6,type=135,seq=2 XDP_PASS a neighbour solicitation"
	"ipv6,icmp6,trunc=61 XDP_DROP an ICMPv6 header cut 1 byte short"
)
P1_VLAN=()
for tags in vlan svlan vlan,vlan svlan,vlan vlan,svlan svlan,svlan; do
	mapfile -t -O "${#P1_VLAN[@]}" P1_VLAN < <(p1_echo_rows "$tags," ipv6,icmp6 | sed -n '1,2p')
done
P1_VLAN+=(
	"vlan,ipv6,trunc=17 XDP_DROP a frame cut inside its 802.1Q tag"
	"vlan,svlan,ipv6,trunc=21 XDP_DROP a frame cut inside its second tag"
)
mapfile -t P1_IPV4 < <(p1_echo_rows "" ipv4,icmp)
P1_IPV4+=(
	"ipv4,icmp,type=0,seq=2 XDP_PASS an echo reply with sequence 2"
	"ipv4,udp XDP_PASS IPv4/UDP"
	"ipv4,ipopt=8,icmp,seq=2 XDP_DROP an echo request with sequence 2 after 8 bytes of IPv4 options"
	"ipv4,ipopt=40,icmp,seq=1 XDP_PASS an echo request with sequence 1 after 40 bytes of IPv4 options"
	"ipv4,ihl=4,icmp,seq=1 XDP_DROP an IPv4 header with IHL 4"
	"ipv4,ihl=0,icmp,seq=1 XDP_DROP an IPv4 header with IHL 0"
	"ipv4,ihl=15,icmp,seq=1 XDP_DROP an IPv4 header whose IHL reaches past the frame"
	"ipv4,icmp,seq=1,iplen=19 XDP_DROP an IPv4 total length shorter than its header"
	"ipv4,trunc=33 XDP_DROP an IPv4 frame cut 1 byte short of its header"
	"ipv4,icmp,trunc=41 XDP_DROP an ICMP header cut 1 byte short"
)

p1_ethernet() {
	p1_frames "$1" "${P1_ETHERNET[@]}" || return
	pass "xdp_parser_func loads and passes $P1_COUNT non-IP Ethernet frames, the shortest 14 bytes"
}
p1_ipv6() {
	p1_frames "$1" "${P1_IPV6[@]}" || return
	pass "IPv6 frames pass, and frames cut inside the IPv6 header are dropped ($P1_COUNT frames)"
}
p1_icmp6() {
	p1_frames "$1" "${P1_ICMP6[@]}" || return
	pass "ICMPv6 echo requests with even sequence numbers are dropped, odd ones and other ICMPv6 pass ($P1_COUNT frames)"
}
p1_vlan() {
	p1_frames "$1" "${P1_VLAN[@]}" || return
	pass "echo requests behind one or two 802.1Q/802.1ad tags get their verdicts, frames cut inside a tag are dropped ($P1_COUNT frames)"
}
p1_ipv4() {
	p1_frames "$1" "${P1_IPV4[@]}" || return
	pass "ICMP echo requests get the same verdicts as ICMPv6 ones, IPv4 options are skipped, IHL < 5, short total lengths and cut headers are dropped ($P1_COUNT frames)"
}

assignment 1 "fix the Ethernet bounds check so the verifier accepts the program" p1_ethernet \
	"check that the whole struct ethhdr is before data_end: (void *)(eth + 1) > data_end"
assignment 2 "parse the IPv6 header with parse_ip6hdr()" p1_ipv6 \
	"check sizeof(struct ipv6hdr) bytes, not sizeof a pointer, and drop the frame when it does not parse"
assignment 3 "drop ICMPv6 echo requests with an even sequence number" p1_icmp6 \
	"parse_icmp6hdr(), then bpf_ntohs(icmp6h->icmp6_sequence) % 2 for ICMPV6_ECHO_REQUEST only"
assignment 4 "look through one and two VLAN tags (802.1Q and 802.1ad)" p1_vlan \
	"in parse_ethhdr, loop at most twice over ETH_P_8021Q and ETH_P_8021AD tags, checking each before reading it"
assignment 5 "IPv4 and ICMP the same way" p1_ipv4 \
	"parse_iphdr(): the header is iph->ihl * 4 bytes; refuse ihl < 5 and tot_len < that; then parse_icmphdr()"
