// SPDX-License-Identifier: GPL-2.0
/* A map the kernel refuses to create (no entries): libbpf's own reason for
 * the failure must reach the user, however quiet the tool is otherwise. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 0);
} empty_map SEC(".maps");

SEC("xdp")
int xdp_pass_func(struct xdp_md *ctx)
{
	__u32 key = 0;

	return bpf_map_lookup_elem(&empty_map, &key) ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
