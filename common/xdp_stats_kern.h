/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-action packet and byte counters for any XDP program. End the program
 * with
 *
 *	return xdp_stats_record_action(ctx, action);
 *
 * and read the counters with xdp_stats (basic04-pinning-maps).
 */
#ifndef XDP_STATS_KERN_H
#define XDP_STATS_KERN_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xdp_stats_kern_user.h"

/*
 * Per-CPU: each CPU updates its own copy of the record, so the hot path
 * needs no atomic instructions; user space adds the copies up.
 *
 * LIBBPF_PIN_BY_NAME lets a loader that is given a pin directory
 * (xdp-loader --pin-path, what testenv.sh load uses) pin the map there as
 * "xdp_stats_map", and reuse it when it is already pinned. A loader given
 * none gets libbpf's default, /sys/fs/bpf/xdp_stats_map, shared by every
 * program loaded that way: one that should not pin clears the pin path
 * (bpf_map__set_pin_path(map, NULL)) before loading.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, XDP_ACTION_MAX);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} xdp_stats_map SEC(".maps");

/* Count the packet under @action, then return @action unchanged. */
static __always_inline __u32 xdp_stats_record_action(struct xdp_md *ctx, __u32 action)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct datarec *rec;

	/* The lookup fails only for a key past XDP_ACTION_MAX, which is not a
	 * verdict the kernel knows: report it as the error it is. */
	rec = bpf_map_lookup_elem(&xdp_stats_map, &action);
	if (!rec)
		return XDP_ABORTED;
	rec->rx_packets++;
	rec->rx_bytes += data_end - data;
	return action;
}

#endif /* XDP_STATS_KERN_H */
