/* SPDX-License-Identifier: GPL-2.0 */
/* One record per traced packet, from trace_prog_kern.c to xdp_trace. */
#ifndef TRACE_EVENT_H
#define TRACE_EVENT_H

#include <linux/types.h>

enum trace_point {
	TRACE_FENTRY = 1,	/* the XDP program is about to run */
	TRACE_FEXIT = 2,	/* it has returned */
};

/* In verdict when the event does not carry one. */
#define TRACE_NO_VERDICT 0xffffffffu

struct trace_event {
	__u32 point;		/* enum trace_point */
	__u32 verdict;		/* what the program returned (fexit) */
	__u32 ifindex;		/* where the packet came in; 0: not known */
	__u16 eth_proto;	/* host byte order: ETH_P_IP, ETH_P_IPV6, ... */
	__u16 unused;
	/* IPv4 in the first 4 bytes, IPv6 in all 16; for other protocols
	 * the Ethernet addresses, in the first 6. */
	__u8 src[16];
	__u8 dst[16];
};

#endif /* TRACE_EVENT_H */
