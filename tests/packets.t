#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tests/lib/packets.c, the frame builder every packet check trusts: its
# frames are what the spec says (tags, fields, lengths), every checksum is
# valid unless the spec says otherwise (recomputed here, independently, in
# Perl), and a spec that does not fit or is not understood is refused with
# one line, never built past its buffer.
source "$(dirname "$0")/lib/xdp.sh"
require_root

# frame_facts HEX: one line describing the frame, checksums recomputed:
#   "tags 8100:1,88a8:2 ipv4 ihl=5 len=ok csum=ok icmp csum=ok seq=1"
frame_facts() {
	perl -e '
		my $f = pack("H*", $ARGV[0]); my $n = length $f;
		sub u16 { unpack("n", substr($f, $_[0], 2)) }
		sub sum { my ($s, $d) = @_; $d .= "\0" if length($d) % 2;
			  $s += $_ for unpack("n*", $d); $s = ($s & 0xffff) + ($s >> 16) while $s >> 16; $s }
		sub ok { $_[0] == 0xffff ? "ok" : "bad" }
		my ($off, @out, @tags) = (14);
		my $type = u16(12);
		while ($type == 0x8100 || $type == 0x88a8) {
			push @tags, sprintf("%x:%d", $type, u16($off) & 0xfff);
			$type = u16($off + 2); $off += 4;
		}
		push @out, "tags " . (join(",", @tags) || "none");
		my ($proto, $pseudo, $l4len);
		if ($type == 0x0800) {
			my $ihl = ord(substr($f, $off, 1)) & 15;
			my $tot = u16($off + 2);
			push @out, "ipv4 ihl=$ihl len=" . ($tot == $n - $off ? "ok" : $tot) .
				" csum=" . ok(sum(0, substr($f, $off, $ihl * 4)));
			$proto = ord(substr($f, $off + 9, 1));
			$pseudo = sum(0, substr($f, $off + 12, 8));
			$off += $ihl * 4;
		} elsif ($type == 0x86dd) {
			my $plen = u16($off + 4);
			push @out, "ipv6 len=" . ($plen == $n - $off - 40 ? "ok" : $plen);
			$proto = ord(substr($f, $off + 6, 1));
			$pseudo = sum(0, substr($f, $off + 8, 32));
			$off += 40;
		} else {
			push @out, sprintf("ethertype %04x", $type);
		}
		$l4len = $n - $off;
		my $l4 = substr($f, $off);
		undef $proto if $l4len < 8;	# cut before its transport header
		if (defined $proto && ($proto == 1 || $proto == 58)) {
			my $s = sum($proto == 58 ? $pseudo + $proto + $l4len : 0, $l4);
			push @out, ($proto == 1 ? "icmp" : "icmp6") . " type=" . ord($l4) .
				" csum=" . ok($s) . " seq=" . u16($off + 6);
		} elsif (defined $proto && $proto == 17) {
			my $s = sum($pseudo + 17 + $l4len, $l4);
			push @out, "udp " . u16($off) . ">" . u16($off + 2) . " len=" .
				(u16($off + 4) == $l4len ? "ok" : u16($off + 4)) .
				" csum=" . (u16($off + 6) == 0 ? "none" : ok($s));
		} elsif (defined $proto && $proto == 6) {
			my $s = sum($pseudo + 6 + $l4len, $l4);
			push @out, "tcp " . u16($off) . ">" . u16($off + 2) . " doff=" .
				(ord(substr($f, $off + 12, 1)) >> 4) . " csum=" . ok($s);
		}
		print join(" ", @out), " bytes=$n\n";' "$1"
}

# expect_frame SPEC FACTS: the frame SPEC builds is described by FACTS
expect_frame() {
	local got
	got=$(frame_facts "$(frame_hex "$1")")
	[ "$got" = "$2" ]
	ok $? "$1: $got"
	[ "$got" = "$2" ] || diag "expected: $2"
}

while IFS='|' read -r spec facts; do
	expect_frame "$spec" "$facts"
done <<'EOF'
ipv6,icmp6|tags none ipv6 len=ok icmp6 type=128 csum=ok seq=1 bytes=62
ipv4,icmp,seq=2|tags none ipv4 ihl=5 len=ok csum=ok icmp type=8 csum=ok seq=2 bytes=42
ipv4,icmp,type=0,seq=7,len=1514|tags none ipv4 ihl=5 len=ok csum=ok icmp type=0 csum=ok seq=7 bytes=1514
ipv6,icmp6,type=129,seq=65535,len=99|tags none ipv6 len=ok icmp6 type=129 csum=ok seq=65535 bytes=99
ipv4,udp|tags none ipv4 ihl=5 len=ok csum=ok udp 4242>4243 len=ok csum=ok bytes=42
ipv6,udp,sport=53,dport=2000,len=301|tags none ipv6 len=ok udp 53>2000 len=ok csum=ok bytes=301
ipv4,tcp,dport=2000|tags none ipv4 ihl=5 len=ok csum=ok tcp 4242>2000 doff=5 csum=ok bytes=54
ipv6,tcp,tcpopt=12,len=333|tags none ipv6 len=ok tcp 4242>4243 doff=8 csum=ok bytes=333
vlan,ipv6,icmp6|tags 8100:1 ipv6 len=ok icmp6 type=128 csum=ok seq=1 bytes=66
svlan,vlan,ipv4,udp|tags 88a8:1,8100:2 ipv4 ihl=5 len=ok csum=ok udp 4242>4243 len=ok csum=ok bytes=50
qinq,vid=100,vlan,ipv4,tcp|tags 88a8:1,8100:100 ipv4 ihl=5 len=ok csum=ok tcp 4242>4243 doff=5 csum=ok bytes=62
vlan=4095,svlan=7,vlan,ipv6,udp|tags 8100:4095,88a8:7,8100:3 ipv6 len=ok udp 4242>4243 len=ok csum=ok bytes=74
ipv4,ipopt=8,icmp,seq=4|tags none ipv4 ihl=7 len=ok csum=ok icmp type=8 csum=ok seq=4 bytes=50
ipv4,ipopt=40,tcp,tcpopt=40|tags none ipv4 ihl=15 len=ok csum=ok tcp 4242>4243 doff=15 csum=ok bytes=134
ipv4,icmp,iplen=19|tags none ipv4 ihl=5 len=19 csum=ok icmp type=8 csum=ok seq=1 bytes=42
ipv6,iplen=0,udp|tags none ipv6 len=0 udp 4242>4243 len=ok csum=ok bytes=62
ipv4,tcp,doff=3|tags none ipv4 ihl=5 len=ok csum=ok tcp 4242>4243 doff=3 csum=ok bytes=54
ipv4,udp,udplen=7|tags none ipv4 ihl=5 len=ok csum=ok udp 4242>4243 len=7 csum=ok bytes=42
ipv4,udp,nocsum|tags none ipv4 ihl=5 len=ok csum=ok udp 4242>4243 len=ok csum=none bytes=42
ipv4,udp,badcsum|tags none ipv4 ihl=5 len=ok csum=ok udp 4242>4243 len=ok csum=bad bytes=42
ipv6,tcp,badcsum|tags none ipv6 len=ok tcp 4242>4243 doff=5 csum=bad bytes=74
ipv4,badcsum|tags none ipv4 ihl=5 len=ok csum=bad bytes=34
ethertype=0x0806,len=60|tags none ethertype 0806 bytes=60
vlan,ethertype=0x88cc,len=64|tags 8100:1 ethertype 88cc bytes=64
ipv6,icmp6,trunc=30|tags none ipv6 len=8 bytes=30
EOF

# A lying IHL is written as given; the checksum covers the real 20 bytes.
hex=$(frame_hex ipv4,ihl=4,icmp)
sum=$(perl -e '$s += $_ for unpack("n*", pack("H*", $ARGV[0]));
	$s = ($s & 0xffff) + ($s >> 16) while $s >> 16; print $s' "${hex:28:40}")
[ "${hex:28:2}" = 44 ] && [ "$sum" = 65535 ]
ok $? "ipv4,ihl=4,icmp: version/IHL byte ${hex:28:2} (expected 44), header sum $sum (expected 65535)"

# A UDP checksum that comes out as 0 is sent as 0xffff (0 means "none").
# Search the source ports for a datagram whose sum is 0, then look at it.
zero=$(perl -e '
	for my $p (0 .. 65535) {
		my $s = 0x0a0b + 0x0102 + 0x0a0b + 0x0101 + 17 + 8 + $p + 4243 + 8;
		$s = ($s & 0xffff) + ($s >> 16) while $s >> 16;
		if ($s == 0xffff) { print $p; last }
	}')
hex=$(frame_hex "ipv4,udp,sport=$zero")
[ "${hex: -4}" = ffff ]
ok $? "ipv4,udp,sport=$zero: a checksum of 0 is sent as ffff (got ${hex: -4})"

# Refused, one line each, exit 1: nothing is built past the buffer.
long=$(printf 'vlan,%.0s' $(seq 380))ipv6
while read -r spec; do
	check_error "refused: ${spec:0:40}" 1 "bad packet spec" -- \
		"$XDP_RUN" "$TOP/basic01-xdp-pass/xdp_pass_kern.o" xdp_pass_func -p "$spec"
done <<EOF
$long
ipv4,udp,len=1515
ipv4,ipopt=40,tcp,tcpopt=40,len=1514,len=2000
ipv4,ipopt=6
ipv4,ipopt=44
ipv4,ipopt=40,ipopt=4
ipv6,icmp
ipv4,icmp6
ipv4,vlan
ipv4,ipv6
vid=5
ipv4,udp,tcp
ipv6,ihl=5
ipv4,udp,doff=5
ipv4,tcp,udplen=8
ipv4,seq=1
ipv4,icmp,seq=65536
ipv4,udp,sport=-1
ipv4,udp,dport=1e3
vlan=4096
trunc=99999
ipv4,nosuchword
ipv4,,udp=
EOF
done_testing
