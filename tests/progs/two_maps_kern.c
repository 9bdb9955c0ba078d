// SPDX-License-Identifier: GPL-2.0
/* xdp_stats_map and a second map, and a global variable (a .bss map): what
 * basic04's loader pins, all or nothing. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xdp_stats_kern.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} second_map SEC(".maps");

__u64 packets_seen;

SEC("xdp")
int xdp_pass_func(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&second_map, &key);

	if (v)
		*v += 1;
	packets_seen++;
	return xdp_stats_record_action(ctx, XDP_PASS);
}

char _license[] SEC("license") = "GPL";
