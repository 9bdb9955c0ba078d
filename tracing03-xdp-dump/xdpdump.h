/* SPDX-License-Identifier: GPL-2.0 */
/* What xdpdump_kern.c sends to user space for each packet, and the limits
 * both sides agree on. */
#ifndef XDPDUMP_H
#define XDPDUMP_H

#include <linux/types.h>

/*
 * One sample: this header, then the first cap_len bytes of the frame. A perf
 * record is at most 64 KiB including its own headers, so the snap length
 * stops a little short of that.
 */
#define SNAPLEN_MAX 65000

struct pkt_meta {
	__u64 time_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 ifindex;		/* interface the frame arrived on */
	__u32 rx_queue;		/* its receive queue */
	__u32 pkt_len;		/* length of the whole frame */
	__u32 cap_len;		/* bytes of it that follow: min(pkt_len, snaplen) */
};

#endif /* XDPDUMP_H */
