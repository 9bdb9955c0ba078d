// SPDX-License-Identifier: GPL-2.0
/* Count packets in a BPF map, which user space reads while the program runs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "counter_kern_user.h"

/*
 * One record per XDP action, the action being the key. Every entry of an
 * ARRAY exists from the start, zeroed, so there is nothing to create.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct datarec);
	__uint(max_entries, XDP_ACTION_MAX);
} xdp_stats_map SEC(".maps");

SEC("xdp")
int xdp_count_pass_func(struct xdp_md *ctx)
{
	__u32 key = XDP_PASS;
	struct datarec *rec;

	rec = bpf_map_lookup_elem(&xdp_stats_map, &key);
	/* Cannot fail for a key below max_entries, but the verifier rejects a
	 * program that could dereference NULL. */
	if (!rec)
		return XDP_ABORTED;
	/* All CPUs update this one record at the same time; a plain ++ would
	 * lose some of their updates, an atomic add loses none. */
	__sync_fetch_and_add(&rec->rx_packets, 1);

	/* Assignment 1: count bytes too, in rx_bytes. The packet is the memory
	 * from ctx->data to ctx->data_end (cast each with (void *)(long)). */
	return XDP_PASS;
}

/*
 * Drops every packet, so pings go unanswered.
 *
 * Assignment 2: count these too, under the key XDP_DROP. Move the counting
 * above into a function that takes the action and returns it, and end both
 * programs with: return that_function(ctx, XDP_...);
 */
SEC("xdp")
int xdp_count_drop_func(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/*
 * Assignment 3: make the map BPF_MAP_TYPE_PERCPU_ARRAY. Each CPU then has
 * its own copy of every record, so a plain += is safe and much cheaper
 * than the atomic add; user space adds the copies up.
 */

char _license[] SEC("license") = "GPL";
