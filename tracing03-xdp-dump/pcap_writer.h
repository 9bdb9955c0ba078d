/* SPDX-License-Identifier: GPL-2.0 */
/* The classic pcap file format (what tcpdump -w writes and -r reads):
 * a file header, then per frame a record header and the captured bytes. */
#ifndef PCAP_WRITER_H
#define PCAP_WRITER_H

#include <stdio.h>

#include "packet_line.h"

/* Write the file header for Ethernet frames of at most @snaplen bytes. */
int pcap_write_header(FILE *out, __u32 snaplen);

/* Append one frame. Both return 0, or a negative errno. */
int pcap_write_frame(FILE *out, const struct frame *f);

#endif /* PCAP_WRITER_H */
