/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Header parsing for XDP (and tc) programs, one header at a time.
 *
 * A struct hdr_cursor points at the next header to read. Each parse_*()
 * checks that the whole header lies before data_end, checks the fields that
 * say how long it is, and only then moves the cursor past it and hands back
 * a pointer to it. It returns what tells the caller what comes next (an
 * ethertype, an IP protocol number, an ICMP type, a length), or -1 when the
 * header is cut short or its length field is impossible; the cursor then
 * stays where it was.
 *
 *	struct hdr_cursor nh = { .pos = data };
 *	struct ethhdr *eth;
 *	struct ipv6hdr *ip6h;
 *
 *	if (parse_ethhdr(&nh, data_end, &eth) == bpf_htons(ETH_P_IPV6) &&
 *	    parse_ip6hdr(&nh, data_end, &ip6h) == IPPROTO_ICMPV6)
 *		...
 *
 * The verifier insists on the data_end checks; they are also what keeps a
 * program from reading garbage past a short frame. packet01-parsing builds
 * these step by step.
 */
#ifndef PARSING_HELPERS_H
#define PARSING_HELPERS_H

#include <stddef.h>
#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct hdr_cursor {
	void *pos;
};

/* An 802.1Q or 802.1ad tag, as it follows the MAC addresses; the kernel's
 * own struct vlan_hdr lives in a header BPF programs cannot include. */
struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

/* Tags parse_ethhdr() looks through: single and double (QinQ) tagging. */
#define VLAN_MAX_DEPTH 2
#define VLAN_VID_MASK 0x0fff

/* The VLAN ids found, outermost first (unused slots are left alone). */
struct collect_vlans {
	__u16 id[VLAN_MAX_DEPTH];
};

/* Is this ethertype (network byte order) a VLAN tag: 802.1Q or 802.1ad? */
static __always_inline int proto_is_vlan(__be16 h_proto)
{
	return h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD);
}

/*
 * Ethernet header and up to VLAN_MAX_DEPTH tags, in any combination of
 * 802.1Q and 802.1ad. Returns the ethertype after them, in network byte
 * order; after more than VLAN_MAX_DEPTH tags that is still a VLAN
 * ethertype, which no caller mistakes for IP. vlans may be NULL.
 */
static __always_inline int parse_ethhdr_vlan(struct hdr_cursor *nh, void *data_end,
					     struct ethhdr **ethhdr,
					     struct collect_vlans *vlans)
{
	struct ethhdr *eth = nh->pos;
	struct vlan_hdr *vlh = (void *)(eth + 1);
	__be16 proto;
	int i;

	if ((void *)(eth + 1) > data_end)
		return -1;
	proto = eth->h_proto;

#pragma unroll
	for (i = 0; i < VLAN_MAX_DEPTH; i++) {
		if (!proto_is_vlan(proto))
			break;
		if ((void *)(vlh + 1) > data_end)
			return -1;
		if (vlans)
			vlans->id[i] = bpf_ntohs(vlh->h_vlan_TCI) & VLAN_VID_MASK;
		proto = vlh->h_vlan_encapsulated_proto;
		vlh++;
	}
	nh->pos = vlh;
	*ethhdr = eth;
	return proto;
}

static __always_inline int parse_ethhdr(struct hdr_cursor *nh, void *data_end,
					struct ethhdr **ethhdr)
{
	return parse_ethhdr_vlan(nh, data_end, ethhdr, NULL);
}

/* IPv6 fixed header; returns the next header (extension headers are not
 * followed: an IPv6 packet with one returns its number). */
static __always_inline int parse_ip6hdr(struct hdr_cursor *nh, void *data_end,
					struct ipv6hdr **ip6hdr)
{
	struct ipv6hdr *ip6h = nh->pos;

	if ((void *)(ip6h + 1) > data_end)
		return -1;
	nh->pos = ip6h + 1;
	*ip6hdr = ip6h;
	return ip6h->nexthdr;
}

/* IPv4 header with its options (IHL words); returns the protocol. Refuses
 * IHL < 5 and a total length shorter than the header. */
static __always_inline int parse_iphdr(struct hdr_cursor *nh, void *data_end,
				       struct iphdr **iphdr)
{
	struct iphdr *iph = nh->pos;
	int hdrsize;

	if ((void *)(iph + 1) > data_end)
		return -1;
	hdrsize = iph->ihl * 4;
	if (hdrsize < (int)sizeof(*iph) || bpf_ntohs(iph->tot_len) < hdrsize)
		return -1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	*iphdr = iph;
	return iph->protocol;
}

/* ICMPv6 header (type, code, checksum and the 4-byte body that holds an
 * echo's id and sequence); returns the type. */
static __always_inline int parse_icmp6hdr(struct hdr_cursor *nh, void *data_end,
					  struct icmp6hdr **icmp6hdr)
{
	struct icmp6hdr *icmp6h = nh->pos;

	if ((void *)(icmp6h + 1) > data_end)
		return -1;
	nh->pos = icmp6h + 1;
	*icmp6hdr = icmp6h;
	return icmp6h->icmp6_type;
}

/* ICMP header, 8 bytes as for ICMPv6; returns the type. */
static __always_inline int parse_icmphdr(struct hdr_cursor *nh, void *data_end,
					 struct icmphdr **icmphdr)
{
	struct icmphdr *icmph = nh->pos;

	if ((void *)(icmph + 1) > data_end)
		return -1;
	nh->pos = icmph + 1;
	*icmphdr = icmph;
	return icmph->type;
}

/* UDP header; returns the payload length its length field gives. Refuses
 * a length shorter than the header. */
static __always_inline int parse_udphdr(struct hdr_cursor *nh, void *data_end,
					struct udphdr **udphdr)
{
	struct udphdr *udph = nh->pos;
	int len;

	if ((void *)(udph + 1) > data_end)
		return -1;
	len = bpf_ntohs(udph->len);
	if (len < (int)sizeof(*udph))
		return -1;
	nh->pos = udph + 1;
	*udphdr = udph;
	return len - sizeof(*udph);
}

/* TCP header with its options (doff words); returns the header length.
 * Refuses a data offset < 5. */
static __always_inline int parse_tcphdr(struct hdr_cursor *nh, void *data_end,
					struct tcphdr **tcphdr)
{
	struct tcphdr *tcph = nh->pos;
	int hdrsize;

	if ((void *)(tcph + 1) > data_end)
		return -1;
	hdrsize = tcph->doff * 4;
	if (hdrsize < (int)sizeof(*tcph))
		return -1;
	if (nh->pos + hdrsize > data_end)
		return -1;
	nh->pos += hdrsize;
	*tcphdr = tcph;
	return hdrsize;
}

#endif /* PARSING_HELPERS_H */
