/* SPDX-License-Identifier: GPL-2.0 */
/* xdpdump's text output: one tcpdump-like line per frame (the format is in
 * README.org), and the frame's bytes in hex. */
#ifndef PACKET_LINE_H
#define PACKET_LINE_H

#include <stdio.h>
#include <linux/types.h>

/* A captured frame: its first cap_len bytes, of pkt_len in all. */
struct frame {
	const __u8 *data;
	__u32 cap_len;
	__u32 pkt_len;
	double time;		/* seconds since the epoch */
};

/* "12:34:56.789012 IP6 fc00::2 > fc00::1: ICMP6 echo request, id 7, seq 1, length 118" */
void print_packet_line(FILE *out, const struct frame *f);

/* The captured bytes, 16 to a line, each line led by its offset. */
void print_hex(FILE *out, const struct frame *f);

#endif /* PACKET_LINE_H */
