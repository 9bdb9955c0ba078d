// SPDX-License-Identifier: GPL-2.0
/*
 * One line per frame, as README.org states the format:
 *
 *   TIME PROTO SRC > DST: DETAILS, length LEN
 *
 * The frame is walked header by header, each step checking that the bytes
 * it reads were captured; whatever could not be read (a short snaplen, a
 * malformed frame) ends the line with "[truncated]".
 */
#include <stdbool.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>

#include "packet_line.h"

#define IPV4_FRAG_OFFSET 0x1fff	/* the fragment offset bits of frag_off */

/* A read position in the captured bytes. */
struct cursor {
	const __u8 *pos;
	const __u8 *end;
};

/*
 * Copy the next @len bytes to @hdr (NULL: skip them); false when fewer were
 * captured. A copy, because a header in a perf sample is not aligned as
 * its struct is.
 */
static bool take(struct cursor *c, void *hdr, size_t len)
{
	if ((size_t)(c->end - c->pos) < len)
		return false;
	if (hdr)
		memcpy(hdr, c->pos, len);
	c->pos += len;
	return true;
}

static void print_time(FILE *out, double t)
{
	time_t sec = (time_t)t;
	struct tm tm;

	localtime_r(&sec, &tm);
	fprintf(out, "%02d:%02d:%02d.%06ld ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		(long)((t - sec) * 1e6));
}

static void print_tcp_flags(FILE *out, const struct tcphdr *th)
{
	fputc('[', out);
	if (th->syn) fputc('S', out);
	if (th->fin) fputc('F', out);
	if (th->rst) fputc('R', out);
	if (th->psh) fputc('P', out);
	if (th->urg) fputc('U', out);
	if (th->ack) fputc('.', out);	/* tcpdump's mark for ACK */
	fputc(']', out);
}

static const char *icmp_type_name(__u8 type)
{
	switch (type) {
	case ICMP_ECHOREPLY: return "echo reply";
	case ICMP_DEST_UNREACH: return "destination unreachable";
	case ICMP_ECHO: return "echo request";
	case ICMP_TIME_EXCEEDED: return "time exceeded";
	default: return NULL;
	}
}

static const char *icmp6_type_name(__u8 type)
{
	switch (type) {
	case ICMPV6_DEST_UNREACH: return "destination unreachable";
	case ICMPV6_TIME_EXCEED: return "time exceeded";
	case ICMPV6_ECHO_REQUEST: return "echo request";
	case ICMPV6_ECHO_REPLY: return "echo reply";
	case 133: return "router solicitation";
	case 134: return "router advertisement";
	case 135: return "neighbor solicitation";
	case 136: return "neighbor advertisement";
	default: return NULL;
	}
}

/* ICMP and ICMPv6 share the first 8 bytes: type, code, checksum, id, seq. */
static void print_icmp(FILE *out, struct cursor *c, const char *label, bool v6)
{
	struct icmphdr ih;
	const char *name;

	if (!take(c, &ih, sizeof(ih))) {
		fprintf(out, "%s [truncated]", label);
		return;
	}
	name = v6 ? icmp6_type_name(ih.type) : icmp_type_name(ih.type);
	if (name)
		fprintf(out, "%s %s", label, name);
	else
		fprintf(out, "%s type %u code %u", label, ih.type, ih.code);
	if (ih.type == (v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO) ||
	    ih.type == (v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHOREPLY))
		fprintf(out, ", id %u, seq %u", ntohs(ih.un.echo.id),
			ntohs(ih.un.echo.sequence));
}

/* "SRC[.PORT] > DST[.PORT]: DETAILS" for the layer-4 protocol @proto. */
static void print_transport(FILE *out, struct cursor *c, __u8 proto,
			    const char *src, const char *dst)
{
	struct tcphdr th;
	struct udphdr uh;

	switch (proto) {
	case IPPROTO_TCP:
		if (!take(c, &th, sizeof(th)))
			break;
		fprintf(out, "%s.%u > %s.%u: TCP ", src, ntohs(th.source),
			dst, ntohs(th.dest));
		print_tcp_flags(out, &th);
		fprintf(out, ", seq %u", ntohl(th.seq));
		return;
	case IPPROTO_UDP:
		if (!take(c, &uh, sizeof(uh)))
			break;
		fprintf(out, "%s.%u > %s.%u: UDP", src, ntohs(uh.source),
			dst, ntohs(uh.dest));
		return;
	case IPPROTO_ICMP:
		fprintf(out, "%s > %s: ", src, dst);
		print_icmp(out, c, "ICMP", false);
		return;
	case IPPROTO_ICMPV6:
		fprintf(out, "%s > %s: ", src, dst);
		print_icmp(out, c, "ICMP6", true);
		return;
	case IPPROTO_HOPOPTS:	/* IPv6 only: MLD reports start with it */
		fprintf(out, "%s > %s: hop-by-hop options", src, dst);
		return;
	default:
		fprintf(out, "%s > %s: ip-proto %u", src, dst, proto);
		return;
	}
	fprintf(out, "%s > %s: %s [truncated]", src, dst,
		proto == IPPROTO_TCP ? "TCP" : "UDP");
}

static void print_ipv4(FILE *out, struct cursor *c)
{
	struct iphdr iph;
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	if (!take(c, &iph, sizeof(iph)) || iph.ihl < 5 ||
	    !take(c, NULL, iph.ihl * 4 - sizeof(iph))) {	/* options */
		fputs("IP [truncated]", out);
		return;
	}
	inet_ntop(AF_INET, &iph.saddr, src, sizeof(src));
	inet_ntop(AF_INET, &iph.daddr, dst, sizeof(dst));
	fputs("IP ", out);
	if (iph.frag_off & htons(IPV4_FRAG_OFFSET))	/* a later fragment: no L4 header */
		fprintf(out, "%s > %s: fragment, ip-proto %u", src, dst, iph.protocol);
	else
		print_transport(out, c, iph.protocol, src, dst);
}

/* Extension headers are not followed: the line shows the first one. */
static void print_ipv6(FILE *out, struct cursor *c)
{
	struct ipv6hdr ip6h;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (!take(c, &ip6h, sizeof(ip6h))) {
		fputs("IP6 [truncated]", out);
		return;
	}
	inet_ntop(AF_INET6, &ip6h.saddr, src, sizeof(src));
	inet_ntop(AF_INET6, &ip6h.daddr, dst, sizeof(dst));
	fputs("IP6 ", out);
	print_transport(out, c, ip6h.nexthdr, src, dst);
}

/* The ethertype after the Ethernet header and any 802.1Q/802.1ad tags (a
 * tag: 2 bytes TCI, then the next ethertype); false if cut short. */
static bool take_ethertype(struct cursor *c, __u16 *proto)
{
	struct ethhdr eth;
	__be16 next;

	if (!take(c, &eth, sizeof(eth)))
		return false;
	*proto = ntohs(eth.h_proto);
	while (*proto == ETH_P_8021Q || *proto == ETH_P_8021AD) {
		if (!take(c, NULL, 2) || !take(c, &next, sizeof(next)))
			return false;
		*proto = ntohs(next);
	}
	return true;
}

void print_packet_line(FILE *out, const struct frame *f)
{
	struct cursor c = { f->data, f->data + f->cap_len };
	__u16 proto;

	print_time(out, f->time);
	if (!take_ethertype(&c, &proto))
		fputs("[truncated]", out);
	else if (proto == ETH_P_IP)
		print_ipv4(out, &c);
	else if (proto == ETH_P_IPV6)
		print_ipv6(out, &c);
	else if (proto == ETH_P_ARP)
		fputs("ARP", out);
	else
		fprintf(out, "ethertype 0x%04x", proto);
	fprintf(out, ", length %u\n", f->pkt_len);
}

void print_hex(FILE *out, const struct frame *f)
{
	for (__u32 off = 0; off < f->cap_len; off += 16) {
		fprintf(out, "\t0x%04x: ", off);
		for (__u32 i = off; i < off + 16 && i < f->cap_len; i++)
			fprintf(out, "%s%02x", i % 2 ? "" : " ", f->data[i]);
		fputc('\n', out);
	}
}
