/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counter record, shared by xdp_prog_kern.c (which writes it) and
 * xdp_load_and_stats.c (which reads it): one definition, so the two sides
 * always agree on its layout.
 */
#ifndef COUNTER_KERN_USER_H
#define COUNTER_KERN_USER_H

#include <linux/types.h>
#include <linux/bpf.h>

/* One record per XDP action: the map's key is the action's value. */
#ifndef XDP_ACTION_MAX
#define XDP_ACTION_MAX (XDP_REDIRECT + 1)
#endif

struct datarec {
	__u64 rx_packets;
	__u64 rx_bytes;		/* Assignment 1 */
};

#endif /* COUNTER_KERN_USER_H */
