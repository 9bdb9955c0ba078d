// SPDX-License-Identifier: GPL-2.0
/* Reads the Ethernet header without checking it is there: the verifier
 * rejects it ("R1 offset is outside of the packet"). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_unchecked_func(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	return eth->h_proto ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
