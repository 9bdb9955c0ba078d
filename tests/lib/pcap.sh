# SPDX-License-Identifier: GPL-2.0
# Reading pcap files without the tool that wrote them: the tests' own
# parser, so what a capture tool wrote is judged independently of it.
#
#   pcap_records FILE    one line per record: "CAPLEN ORIGLEN HEX"; fails
#                        (a line on stderr) unless FILE is a
#                        whole pcap file (classic format, either byte
#                        order) with Ethernet frames
pcap_records() {
	perl -e '
		local $/;
		open(my $f, "<", $ARGV[0]) or die "cannot read $ARGV[0]\n";
		binmode $f;
		my $d = <$f> // "";
		die "shorter than a pcap header\n" if length($d) < 24;
		my $magic = unpack("V", $d);
		my $e = $magic == 0xa1b2c3d4 ? "V" : $magic == 0xd4c3b2a1 ? "N" :
			die sprintf("not a pcap file (magic 0x%08x)\n", $magic);
		my $linktype = unpack($e, substr($d, 20, 4));
		die "link type $linktype, not Ethernet (1)\n" if $linktype != 1;
		my $off = 24;
		while ($off < length($d)) {
			die "a record header cut short at byte $off\n" if $off + 16 > length($d);
			my ($sec, $usec, $incl, $orig) = unpack("$e$e$e$e", substr($d, $off, 16));
			$off += 16;
			die "a record cut short at byte $off\n" if $off + $incl > length($d);
			print "$incl $orig ", unpack("H*", substr($d, $off, $incl)), "\n";
			$off += $incl;
		}' "$1"
}
