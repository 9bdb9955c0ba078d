// SPDX-License-Identifier: GPL-2.0
/*
 * packet02: changing packets.
 *
 *   xdp_port_rewrite_func  TCP and UDP: destination port minus one
 *   xdp_vlan_swap_func     tagged frames lose their outer VLAN tag,
 *                          untagged frames get one
 *   tc_port_restore_func   tc egress: TCP and UDP source port plus one
 *
 * Reading headers: ../common/parsing_helpers.h. Changing them (checksum
 * updates, VLAN pop and push, address swaps): ../common/rewrite_helpers.h.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <linux/pkt_cls.h>
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
	case IPPROTO_TCP: {
		__be16 old = tcph->dest;

		tcph->dest = bpf_htons(bpf_ntohs(old) - 1);
		csum_replace2(&tcph->check, old, tcph->dest);
		break;
	}
	case IPPROTO_UDP: {
		__be16 old = udph->dest;

		udph->dest = bpf_htons(bpf_ntohs(old) - 1);
		udp_csum_replace2(&udph->check, old, udph->dest);
		break;
	}
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
		/* -1 means an incomplete tag: the frame stays as it is. */
		vlan_tag_pop(ctx, eth);
	} else if (vlan_tag_push(ctx, bpf_htons(ETH_P_8021Q), VLAN_ID) < 0) {
		return XDP_ABORTED;
	}
	return XDP_PASS;
}

/*
 * tc egress, the way back: a TCP connection to port 2000 that
 * xdp_port_rewrite_func sent to a listener on 1999 gets its answers from
 * port 1999, which the client does not expect. This puts one back on every
 * TCP and UDP source port, the inverse of the rewrite above.
 *
 * Why not csum_replace2() here? A packet the host itself sends usually
 * leaves with its TCP or UDP checksum still to be completed, by the
 * network card or by the kernel after tc (CHECKSUM_PARTIAL): the field
 * then holds only the pseudo-header's sum, and the port, which is not in
 * it, must not be added. bpf_l4_csum_replace() knows the packet's checksum
 * state and updates the field only when that is right; BPF_F_MARK_MANGLED_0
 * gives UDP the same 0 rules as udp_csum_replace2().
 */
SEC("tc")
int tc_port_restore_func(struct __sk_buff *skb)
{
	void *data_end = (void *)(long)skb->data_end;
	void *data = (void *)(long)skb->data;
	struct hdr_cursor nh = { .pos = data };
	__u64 flags = sizeof(__be16);
	__u32 port_off, csum_off;
	struct tcphdr *tcph;
	struct udphdr *udph;
	__be16 old, new;

	/* data..data_end is the skb's linear part, which holds the headers
	 * of anything the host sends; a frame whose headers are not all in
	 * it does not parse, and leaves unchanged. */
	switch (parse_tcp_udp(&nh, data_end, &tcph, &udph)) {
	case IPPROTO_TCP:
		port_off = (void *)&tcph->source - data;
		csum_off = (void *)&tcph->check - data;
		old = tcph->source;
		break;
	case IPPROTO_UDP:
		port_off = (void *)&udph->source - data;
		csum_off = (void *)&udph->check - data;
		old = udph->source;
		flags |= BPF_F_MARK_MANGLED_0;
		break;
	default:
		return TC_ACT_OK;
	}
	new = bpf_htons(bpf_ntohs(old) + 1);
	if (bpf_l4_csum_replace(skb, csum_off, old, new, flags) ||
	    bpf_skb_store_bytes(skb, port_off, &new, sizeof(new), 0))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
