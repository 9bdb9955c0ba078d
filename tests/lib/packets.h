/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test frames from a short description, for the packet checks, the fuzzer
 * and the benchmark. A spec is a comma-separated list of words, read left to
 * right: layers stack up after the Ethernet header, and each modifier
 * applies to the layer it names (which must already be there).
 *
 *   ipv6,icmp6                echo request fc00:dead:cafe:1::2 -> ::1, seq 1
 *   ipv4,udp                  10.11.1.2 -> 10.11.1.1, port 4242 -> 4243
 *   vlan,svlan,ipv6,tcp       802.1Q tag (VID 1), 802.1ad tag (VID 2), IPv6/TCP
 *   ipv4,ipopt=8,icmp,seq=2   IPv4 with 8 bytes of options (IHL 7), echo seq 2
 *   ipv4,tcp,doff=3           TCP whose data offset says 3 words (malformed)
 *   ipv6,udp,trunc=30         cut to its first 30 bytes (malformed)
 *
 * Layers, outermost first:
 *   vlan[=VID]        802.1Q tag (TPID 0x8100)
 *   svlan[=VID], qinq 802.1ad tag (TPID 0x88a8)
 *                     tags come before IP, any number and order; the n-th
 *                     tag's VID is n unless given
 *   ipv4, ipv6        one IP header
 *   icmp (IPv4 only), icmp6 (IPv6 only), udp, tcp
 *                     one transport header, after IP
 * Modifiers:
 *   vid=N             VID of the next tag (0..4095)
 *   ethertype=N       the ethertype after the last tag, whatever follows it
 *                     (without IP: ARP is ethertype=0x0806,len=60)
 *   ipopt=N           IPv4 options (NOPs), N bytes, a multiple of 4 up to 40,
 *                     right after ipv4; the IHL follows
 *   proto=N           IP protocol / IPv6 next header (default: the transport
 *                     layer, or 255 / 59 "no next header" without one)
 *   tcpopt=N          TCP options (NOPs), N bytes, a multiple of 4 up to 40;
 *                     the data offset follows
 *   type=N, code=N    ICMP/ICMPv6 type and code (default: echo request, 0)
 *   seq=N             echo sequence number (default 1)
 *   sport=N, dport=N  UDP/TCP ports (default 4242 -> 4243)
 *   len=N             pad with zero payload to N bytes in all
 *   trunc=N           cut the finished frame to its first N bytes
 * Lies (the header says something the frame does not match):
 *   ihl=N             IPv4 IHL field (0..15)
 *   iplen=N           IPv4 total length / IPv6 payload length field
 *   doff=N            TCP data offset field (0..15)
 *   udplen=N          UDP length field
 *   badcsum           the transport checksum (the IPv4 header's, without a
 *                     transport layer) is wrong: its lowest bit flipped
 *   nocsum            UDP checksum 0 ("none", RFC 768)
 * Numbers are decimal, or hex with 0x. Otherwise every length field is true
 * and every checksum is valid (computed after the lies are written). A spec
 * that does not fit in PKT_MAX bytes, or is not understood, is an error.
 */
#ifndef TESTS_PACKETS_H
#define TESTS_PACKETS_H

#include <stddef.h>

#define PKT_MAX 1514

/* Build the frame into buf (PKT_MAX bytes); its length, or -1 on a bad spec. */
int build_packet(const char *spec, unsigned char *buf);

#endif
