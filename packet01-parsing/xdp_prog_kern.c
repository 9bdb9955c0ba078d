// SPDX-License-Identifier: GPL-2.0
/*
 * packet01-parsing: read a packet's headers one at a time, safely.
 *
 * BROKEN ON PURPOSE: parse_ethhdr() below checks that one byte of the
 * Ethernet header is there and then reads bytes 12 and 13. `make` builds it
 * without a word; the kernel's verifier refuses to load it. Assignment 1 is
 * to read the verifier's reason and fix the check. See README.org.
 *
 * What xdp_parser_func must do once the assignments are done:
 *  - drop ICMPv6 and ICMP echo requests with an even sequence number;
 *  - drop a frame whose headers, as far as it parses them, are cut short
 *    or impossible (an IPv4 IHL below 5, say): it cannot be a real packet;
 *  - pass everything else.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "xdp_stats_kern.h"

/* Where the next header starts. Each parse_*() function checks that its
 * header fits before data_end, moves the cursor past it and returns what
 * comes next (or -1 when the header is cut short). */
struct hdr_cursor {
	void *pos;
};

/* Returns the ethertype, in network byte order: compare it with
 * bpf_htons(ETH_P_IPV6), not with ETH_P_IPV6. */
static __always_inline int parse_ethhdr(struct hdr_cursor *nh, void *data_end,
					struct ethhdr **ethhdr)
{
	struct ethhdr *eth = nh->pos;

	/* Assignment 1: this is the bug. nh->pos is a void pointer, so
	 * nh->pos + 1 is one byte further: only the first byte of the
	 * header is known to be in the packet, but the code below reads
	 * eth->h_proto, at bytes 12 and 13. */
	if (nh->pos + 1 > data_end)
		return -1;

	nh->pos += sizeof(*eth);
	*ethhdr = eth;

	/* Assignment 4: after the Ethernet header may come one or two VLAN
	 * tags (ethertype ETH_P_8021Q or ETH_P_8021AD, 4 bytes each: the tag
	 * control info, then the ethertype of what follows). Step over them
	 * and return the ethertype after the last one. */
	return eth->h_proto;
}

/* Assignment 2: check that the whole IPv6 header is there, move the cursor
 * past it, set *ip6hdr and return its nexthdr field. Until then every IPv6
 * frame counts as one that does not parse, and is dropped. */
static __always_inline int parse_ip6hdr(struct hdr_cursor *nh, void *data_end,
					struct ipv6hdr **ip6hdr)
{
	return -1;
}

/* Assignment 3: the same for the ICMPv6 header; return its icmp6_type. */
static __always_inline int parse_icmp6hdr(struct hdr_cursor *nh, void *data_end,
					  struct icmp6hdr **icmp6hdr)
{
	return -1;
}

SEC("xdp")
int xdp_parser_func(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	void *data = (void *)(long)ctx->data;
	struct hdr_cursor nh = { .pos = data };
	struct icmp6hdr *icmp6h;
	struct ipv6hdr *ip6h;
	struct ethhdr *eth;
	__u32 action = XDP_PASS;
	int nh_type;

	nh_type = parse_ethhdr(&nh, data_end, &eth);
	if (nh_type < 0) {
		action = XDP_DROP;
		goto out;
	}
	if (nh_type == bpf_htons(ETH_P_IPV6)) {
		nh_type = parse_ip6hdr(&nh, data_end, &ip6h);
		if (nh_type < 0) {
			action = XDP_DROP;
			goto out;
		}
		if (nh_type == IPPROTO_ICMPV6) {
			nh_type = parse_icmp6hdr(&nh, data_end, &icmp6h);
			if (nh_type < 0) {
				action = XDP_DROP;
				goto out;
			}
			/* Assignment 3: drop an ICMPV6_ECHO_REQUEST whose
			 * icmp6_sequence is even (it is in network byte
			 * order). */
		}
	}

	/* Assignment 5: IPv4 and ICMP the same way. Write parse_iphdr() (the
	 * header is ihl * 4 bytes long; refuse an ihl below 5 and a tot_len
	 * shorter than the header) and parse_icmphdr(), and drop an
	 * ICMP_ECHO whose un.echo.sequence is even. */
out:
	return xdp_stats_record_action(ctx, action);
}

char _license[] SEC("license") = "GPL";
