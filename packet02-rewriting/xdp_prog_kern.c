// SPDX-License-Identifier: GPL-2.0
/*
 * packet02: changing packets.
 *
 *   xdp_port_rewrite_func  TCP and UDP: destination port minus one
 *   xdp_vlan_swap_func     tagged frames lose their outer VLAN tag,
 *                          untagged frames get one
 *
 * Reading headers: ../common/parsing_helpers.h. Changing them (checksum
 * updates, VLAN pop and push, address swaps): ../common/rewrite_helpers.h.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "parsing_helpers.h"
#include "rewrite_helpers.h"

/* The tag xdp_vlan_swap_func pushes is VLAN 1: testenv.sh --vlan's. */
#define VLAN_ID 1

/* The fragment offset in iphdr->frag_off (the other 3 bits are flags). */
#define IP_FRAG_OFFSET 0x1fff

/*
 * Find the frame's TCP or UDP header, behind up to two VLAN tags and any
 * IPv4 options. Returns IPPROTO_TCP with *tcph set, IPPROTO_UDP with *udph
 * set, or -1: another protocol, an IPv4 fragment other than the first
 * (which has no TCP or UDP header), or a malformed frame.
 */
static __always_inline int parse_tcp_udp(struct hdr_cursor *nh, void *data_end,
					 struct tcphdr **tcph, struct udphdr **udph)
{
	struct ipv6hdr *ip6h;
	struct ethhdr *eth;
	struct iphdr *iph;
	int eth_type, ip_type;

	eth_type = parse_ethhdr(nh, data_end, &eth);
	if (eth_type == bpf_htons(ETH_P_IP)) {
		ip_type = parse_iphdr(nh, data_end, &iph);
		if (ip_type >= 0 && (iph->frag_off & bpf_htons(IP_FRAG_OFFSET)))
			return -1;
	} else if (eth_type == bpf_htons(ETH_P_IPV6)) {
		ip_type = parse_ip6hdr(nh, data_end, &ip6h);
	} else {
		return -1;
	}
	if (ip_type == IPPROTO_TCP && parse_tcphdr(nh, data_end, tcph) >= 0)
		return IPPROTO_TCP;
	if (ip_type == IPPROTO_UDP && parse_udphdr(nh, data_end, udph) >= 0)
		return IPPROTO_UDP;
	return -1;
}

SEC("xdp")
int xdp_port_rewrite_func(struct xdp_md *ctx)
{
	struct hdr_cursor nh = { .pos = (void *)(long)ctx->data };
	void *data_end = (void *)(long)ctx->data_end;
	struct tcphdr *tcph;
	struct udphdr *udph;

	switch (parse_tcp_udp(&nh, data_end, &tcph, &udph)) {
	case IPPROTO_TCP:
		/* Assignment 1: one less on tcph->dest, and its checksum
		 * updated to match (csum_replace2()). */
		break;
	case IPPROTO_UDP:
		/* Assignment 1: the same for udph->dest; mind UDP's checksum
		 * 0 (udp_csum_replace2()). */
		break;
	}
	return XDP_PASS;
}

SEC("xdp")
int xdp_vlan_swap_func(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = (void *)(long)ctx->data;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (proto_is_vlan(eth->h_proto)) {
		/* Assignment 2: remove the outermost tag (vlan_tag_pop()). */
	} else {
		/* Assignment 3: put an 802.1Q tag with VLAN id VLAN_ID on
		 * the frame (vlan_tag_push()); if that fails, the frame
		 * cannot go where it belongs: return XDP_ABORTED. */
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
