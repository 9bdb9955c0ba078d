/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Changing packets in XDP: checksum updates, VLAN tag pop and push, and
 * swapping addresses to send a packet back where it came from.
 *
 * Every function that moves the packet (bpf_xdp_adjust_head) invalidates
 * all packet pointers the caller holds: after vlan_tag_pop() or
 * vlan_tag_push(), start again from ctx->data. The verifier rejects a
 * program that does not.
 */
#ifndef REWRITE_HELPERS_H
#define REWRITE_HELPERS_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "parsing_helpers.h"	/* struct vlan_hdr, proto_is_vlan() */

/* ------------------------------------------------------------ checksums ---
 *
 * IP, TCP, UDP and ICMP checksums are the one's complement of the one's
 * complement sum of 16-bit words. That sum does not depend on byte order
 * (RFC 1071 2.B), so these functions take the fields as they are in the
 * packet, in network order, with no byte swapping.
 */

/* Add the carries out of the low 16 bits back in ("end-around carry").
 * The first round can carry once more; the second cannot. */
static __always_inline __u16 csum_fold32(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

/*
 * A 16-bit field covered by the checksum *sum changes from @from to @to:
 * update *sum without reading the rest of the packet. RFC 1624, eqn. 3:
 *
 *	HC' = ~(~HC + ~m + m')
 *
 * RFC 1141's older HC' = HC + m + ~m' can give 0xffff where a checksum
 * computed afresh is 0x0000 (RFC 1624 section 3); adding
 * to the field as a plain integer (check += ...) loses the carry. Both
 * pass most tests and break some.
 */
static __always_inline void csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	__u32 s = (__u16)~*sum + (__u16)~from + (__u16)to;

	*sum = ~csum_fold32(s);
}

/*
 * The same for a UDP checksum, which has two special values (RFC 768):
 * 0 means "the sender computed no checksum" and must stay 0, and a
 * checksum that comes out as 0 is sent as 0xffff (the same number in one's
 * complement). Only IPv4 allows a zero UDP checksum; over IPv6 it is kept
 * too (tunnels may use it, RFC 6936), as making one up would hide the
 * sender's choice.
 */
static __always_inline void udp_csum_replace2(__sum16 *sum, __be16 from, __be16 to)
{
	if (*sum == 0)
		return;
	csum_replace2(sum, from, to);
	if (*sum == 0)
		*sum = 0xffff;
}

/* ------------------------------------------------------------- Ethernet --- */

static __always_inline void swap_src_dst_mac(struct ethhdr *eth)
{
	__u8 tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
}

/*
 * Remove the outermost VLAN tag (802.1Q or 802.1ad) behind @eth, which
 * must be ctx->data. The frame then carries the tag's inner EtherType (or
 * its inner tag). Returns the removed tag's TCI (priority, DEI and VLAN
 * id, in host order), or -1 with the frame unchanged when there is no
 * complete tag.
 */
static __always_inline int vlan_tag_pop(struct xdp_md *ctx, struct ethhdr *eth)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct vlan_hdr *vlh = (void *)(eth + 1);
	struct ethhdr eth_copy;
	__u16 tci;

	if ((void *)(vlh + 1) > data_end || !proto_is_vlan(eth->h_proto))
		return -1;
	tci = bpf_ntohs(vlh->h_vlan_TCI);

	/* The tag sits between the MAC addresses and the EtherType: keep the
	 * addresses, take the tag's inner type, and drop the first 4 bytes
	 * of the frame; the new Ethernet header is written where the old
	 * one's last 4 bytes and the tag were. */
	__builtin_memcpy(&eth_copy, eth, sizeof(eth_copy));
	eth_copy.h_proto = vlh->h_vlan_encapsulated_proto;
	if (bpf_xdp_adjust_head(ctx, (int)sizeof(*vlh)))
		return -1;

	eth = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if ((void *)(eth + 1) > data_end)	/* cannot fail: we checked the tag */
		return -1;
	__builtin_memcpy(eth, &eth_copy, sizeof(*eth));
	return tci;
}

/*
 * Put a tag of type @vlan_proto (bpf_htons(ETH_P_8021Q) or
 * bpf_htons(ETH_P_8021AD)) with @vlan_tci (host order; the VLAN id is its
 * low 12 bits) in front of the frame's EtherType, outside any tag it has.
 * Returns 0, or -1 with the frame unchanged (shorter than an Ethernet
 * header, or no room in front of it).
 */
static __always_inline int vlan_tag_push(struct xdp_md *ctx, __be16 vlan_proto, __u16 vlan_tci)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = (void *)(long)ctx->data;
	struct ethhdr eth_copy;
	struct vlan_hdr *vlh;

	if ((void *)(eth + 1) > data_end)
		return -1;
	__builtin_memcpy(&eth_copy, eth, sizeof(eth_copy));
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(*vlh)))
		return -1;

	eth = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	vlh = (void *)(eth + 1);
	if ((void *)(vlh + 1) > data_end)	/* cannot fail: we grew it */
		return -1;
	__builtin_memcpy(eth->h_dest, eth_copy.h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth_copy.h_source, ETH_ALEN);
	eth->h_proto = vlan_proto;
	vlh->h_vlan_TCI = bpf_htons(vlan_tci);
	vlh->h_vlan_encapsulated_proto = eth_copy.h_proto;
	return 0;
}

/* ------------------------------------------------------------------- IP ---
 * Swapping source and destination changes neither the IPv4 header checksum
 * nor a TCP/UDP checksum: both addresses stay in the sum, and addition
 * does not care about order.
 */

static __always_inline void swap_src_dst_ipv4(struct iphdr *iph)
{
	__be32 tmp = iph->saddr;

	iph->saddr = iph->daddr;
	iph->daddr = tmp;
}

static __always_inline void swap_src_dst_ipv6(struct ipv6hdr *ip6h)
{
	struct in6_addr tmp = ip6h->saddr;

	ip6h->saddr = ip6h->daddr;
	ip6h->daddr = tmp;
}

#endif /* REWRITE_HELPERS_H */
