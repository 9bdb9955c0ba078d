// SPDX-License-Identifier: GPL-2.0
/*
 * The address swaps of common/rewrite_helpers.h, which no lesson program
 * uses yet, as a program tests/fuzz_rewrite can hold to its reference:
 * send every frame back where it came from.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "parsing_helpers.h"
#include "rewrite_helpers.h"

SEC("xdp")
int xdp_swap_func(struct xdp_md *ctx)
{
	struct hdr_cursor nh = { .pos = (void *)(long)ctx->data };
	void *data_end = (void *)(long)ctx->data_end;
	struct ipv6hdr *ip6h;
	struct ethhdr *eth;
	struct iphdr *iph;
	int eth_type;

	eth_type = parse_ethhdr(&nh, data_end, &eth);
	if (eth_type < 0)
		return XDP_PASS;
	swap_src_dst_mac(eth);
	if (eth_type == bpf_htons(ETH_P_IP) && parse_iphdr(&nh, data_end, &iph) >= 0)
		swap_src_dst_ipv4(iph);
	else if (eth_type == bpf_htons(ETH_P_IPV6) && parse_ip6hdr(&nh, data_end, &ip6h) >= 0)
		swap_src_dst_ipv6(ip6h);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
