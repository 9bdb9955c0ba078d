/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics record, as the XDP program writes it and as user space
 * reads it. Both sides include this one header so they cannot disagree on
 * the layout; xdp_stats refuses a pinned map whose value size differs.
 */
#ifndef XDP_STATS_KERN_USER_H
#define XDP_STATS_KERN_USER_H

#include <linux/types.h>
#include <linux/bpf.h>

/* The map's name, which is also the file it is pinned as. */
#define XDP_STATS_MAP_NAME "xdp_stats_map"

/* One record per XDP action: the map's key is the action's value. */
#ifndef XDP_ACTION_MAX
#define XDP_ACTION_MAX (XDP_REDIRECT + 1)
#endif

struct datarec {
	__u64 rx_packets;
	__u64 rx_bytes;
};

#endif /* XDP_STATS_KERN_USER_H */
