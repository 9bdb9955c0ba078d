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

/* The next @len bytes, or NULL when fewer were captured. */
static const void *take(struct cursor *c, size_t len)
{
	const void *p = c->pos;

	if ((size_t)(c->end - c->pos) < len)
		return NULL;
	c->pos += len;
	return p;
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
	const struct icmphdr *ih = take(c, sizeof(*ih));
	const char *name;

	if (!ih) {
		fprintf(out, "%s [truncated]", label);
		return;
	}
	name = v6 ? icmp6_type_name(ih->type) : icmp_type_name(ih->type);
	if (name)
		fprintf(out, "%s %s", label, name);
	else
		fprintf(out, "%s type %u code %u", label, ih->type, ih->code);
	if (ih->type == (v6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO) ||
	    ih->type == (v6 ? ICMPV6_ECHO_REPLY : ICMP_ECHOREPLY))
		fprintf(out, ", id %u, seq %u", ntohs(ih->un.echo.id),
			ntohs(ih->un.echo.sequence));
}

/* "SRC[.PORT] > DST[.PORT]: DETAILS" for the layer-4 protocol @proto. */
static void print_transport(FILE *out, struct cursor *c, __u8 proto,
			    const char *src, const char *dst)
{
	const struct tcphdr *th;
	const struct udphdr *uh;

	switch (proto) {
	case IPPROTO_TCP:
		if (!(th = take(c, sizeof(*th))))
			break;
		fprintf(out, "%s.%u > %s.%u: TCP ", src, ntohs(th->source),
			dst, ntohs(th->dest));
		print_tcp_flags(out, th);
		fprintf(out, ", seq %u", ntohl(th->seq));
		return;
	case IPPROTO_UDP:
		if (!(uh = take(c, sizeof(*uh))))
			break;
		fprintf(out, "%s.%u > %s.%u: UDP", src, ntohs(uh->source),
			dst, ntohs(uh->dest));
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
	const struct iphdr *iph = take(c, sizeof(*iph));
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];

	if (!iph || iph->ihl < 5 || !take(c, iph->ihl * 4 - sizeof(*iph))) {
		fputs("IP [truncated]", out);
		return;
	}
	inet_ntop(AF_INET, &iph->saddr, src, sizeof(src));
	inet_ntop(AF_INET, &iph->daddr, dst, sizeof(dst));
	fputs("IP ", out);
	if (iph->frag_off & htons(IPV4_FRAG_OFFSET))	/* a later fragment: no L4 header */
		fprintf(out, "%s > %s: fragment, ip-proto %u", src, dst, iph->protocol);
	else
		print_transport(out, c, iph->protocol, src, dst);
}

/* Extension headers are not followed: the line shows the first one. */
static void print_ipv6(FILE *out, struct cursor *c)
{
	const struct ipv6hdr *ip6h = take(c, sizeof(*ip6h));
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (!ip6h) {
		fputs("IP6 [truncated]", out);
		return;
	}
	inet_ntop(AF_INET6, &ip6h->saddr, src, sizeof(src));
	inet_ntop(AF_INET6, &ip6h->daddr, dst, sizeof(dst));
	fputs("IP6 ", out);
	print_transport(out, c, ip6h->nexthdr, src, dst);
}

void print_packet_line(FILE *out, const struct frame *f)
{
	struct cursor c = { f->data, f->data + f->cap_len };
	const struct ethhdr *eth = take(&c, sizeof(*eth));
	__u16 proto = eth ? ntohs(eth->h_proto) : 0;
	const __be16 *tag;

	print_time(out, f->time);
	/* 802.1Q and 802.1ad tags: 2 bytes TCI, then the next ethertype. */
	while (eth && (proto == ETH_P_8021Q || proto == ETH_P_8021AD)) {
		if (!take(&c, 2) || !(tag = take(&c, 2))) {
			eth = NULL;
			break;
		}
		proto = ntohs(*tag);
	}
	if (!eth)
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
