// SPDX-License-Identifier: GPL-2.0
/* Count packets in a BPF map, which user space reads while the program runs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "counter_kern_user.h"

/*
 * One record per XDP action, the action being the key. Assignment 3: per
 * CPU, each CPU has its own copy of every record, so the updates below need
 * no atomic instructions; user space adds the copies up.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, XDP_ACTION_MAX);
} xdp_stats_map SEC(".maps");

/* Assignment 2: count the packet under its verdict, and return the verdict. */
static __always_inline __u32 record_action(struct xdp_md *ctx, __u32 action)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct datarec *rec;

	rec = bpf_map_lookup_elem(&xdp_stats_map, &action);
	/* Fails only for a key past max_entries: not a verdict we know. */
	if (!rec)
		return XDP_ABORTED;
	rec->rx_packets++;
	rec->rx_bytes += data_end - data;	/* Assignment 1 */
	return action;
}

SEC("xdp")
int xdp_count_pass_func(struct xdp_md *ctx)
{
	return record_action(ctx, XDP_PASS);
}

/* Drops every packet, so pings go unanswered. */
SEC("xdp")
int xdp_count_drop_func(struct xdp_md *ctx)
{
	return record_action(ctx, XDP_DROP);
}

char _license[] SEC("license") = "GPL";
