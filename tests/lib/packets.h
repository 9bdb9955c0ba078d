/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test frames from a short description, for the packet checks and the
 * benchmark. A spec is a comma-separated list of layers after Ethernet:
 *
 *   ipv6,icmp6          echo request fc00:dead:cafe:1::2 -> ::1
 *   ipv4,udp            10.11.1.2 -> 10.11.1.1, port 4242 -> 4243
 *   vlan,vlan,ipv6,tcp  two 802.1Q tags (ids 1, 2), then IPv6/TCP
 *   ipv4,icmp,len=200   padded with payload to 200 bytes in all
 *   ipv6,udp,trunc=30   cut to its first 30 bytes (a malformed frame)
 *
 * Layers: vlan[=ID], ipv4, ipv6, icmp, icmp6, udp, tcp; options: len=N,
 * trunc=N. All checksums are valid.
 */
#ifndef TESTS_PACKETS_H
#define TESTS_PACKETS_H

#include <stddef.h>

#define PKT_MAX 1514

/* Build the frame into buf (PKT_MAX bytes); its length, or -1 on a bad spec. */
int build_packet(const char *spec, unsigned char *buf);

#endif
