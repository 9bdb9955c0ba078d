// SPDX-License-Identifier: GPL-2.0
/* Builds test frames from a spec; see packets.h for the language. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "packets.h"

#define NONE (-1L)

struct vlan_tag {
	__be16 tci;
	__be16 encap_proto;
};

static const unsigned char dst_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x01 };
static const unsigned char src_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };

struct frame {
	unsigned char *buf;
	size_t len;
	size_t proto_off;	/* where the next layer's ethertype goes */
	int ntags;
	long next_vid;
	int l3_proto;		/* ETH_P_IP / ETH_P_IPV6 once an IP layer is in */
	size_t l3_off, l3_hlen;
	int l4_proto;		/* IPPROTO_* once a transport layer is in */
	size_t l4_off, l4_hlen;
	/* NONE unless the spec sets them */
	long ethertype, ip_proto, ihl, iplen, doff, udplen, pad_to, trunc;
	bool bad_csum, no_csum;
};

/* Append len zero bytes; NULL when they do not fit. */
static void *push(struct frame *f, size_t len)
{
	void *p = f->buf + f->len;

	if (len > PKT_MAX - f->len)
		return NULL;
	memset(p, 0, len);
	f->len += len;
	return p;
}

static void put_be16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Layers */

static int add_tag(struct frame *f, int tpid, long vid)
{
	struct vlan_tag *v;

	if (f->l3_proto)
		return -1;
	if (vid == NONE)
		vid = f->next_vid != NONE ? f->next_vid : f->ntags + 1;
	v = push(f, sizeof(*v));
	if (!v)
		return -1;
	put_be16(f->buf + f->proto_off, tpid);
	v->tci = htons(vid);
	f->proto_off = f->len - sizeof(v->encap_proto);
	f->ntags++;
	f->next_vid = NONE;
	return 0;
}

/* Headers are built in an aligned struct and copied in: in the frame they
 * sit at offsets a struct iphdr may not be read at. */
static int add_ip(struct frame *f, int proto, const void *hdr, size_t len)
{
	unsigned char *p;

	if (f->l3_proto || !(p = push(f, len)))
		return -1;
	memcpy(p, hdr, len);
	put_be16(f->buf + f->proto_off, proto);
	f->l3_off = p - f->buf;
	f->l3_hlen = len;
	f->l3_proto = proto;
	return 0;
}

static int add_ipv4(struct frame *f)
{
	struct iphdr ip = {
		.version = 4, .ttl = 64,
		.saddr = htonl(0x0a0b0102),	/* 10.11.1.2 */
		.daddr = htonl(0x0a0b0101),	/* 10.11.1.1 */
	};

	return add_ip(f, ETH_P_IP, &ip, sizeof(ip));
}

static int add_ipv6(struct frame *f)
{
	struct ipv6hdr ip6 = { .version = 6, .hop_limit = 64 };

	inet_pton(AF_INET6, "fc00:dead:cafe:1::2", &ip6.saddr);
	inet_pton(AF_INET6, "fc00:dead:cafe:1::1", &ip6.daddr);
	return add_ip(f, ETH_P_IPV6, &ip6, sizeof(ip6));
}

static int add_l4(struct frame *f, int proto, size_t hlen)
{
	unsigned char *h;

	if (!f->l3_proto || f->l4_proto || !(h = push(f, hlen)))
		return -1;
	f->l4_off = h - f->buf;
	f->l4_hlen = hlen;
	f->l4_proto = proto;
	switch (proto) {
	case IPPROTO_ICMP:
		h[0] = ICMP_ECHO;
		break;
	case IPPROTO_ICMPV6:
		h[0] = ICMPV6_ECHO_REQUEST;
		break;
	case IPPROTO_TCP:
		h[13] = 0x02;			/* flags: SYN */
		put_be16(h + offsetof(struct tcphdr, window), 65535);
		__attribute__((fallthrough));	/* the ports, as UDP's */
	case IPPROTO_UDP:
		put_be16(h, 4242);
		put_be16(h + 2, 4243);
		return 0;
	}
	put_be16(h + 4, 0x4242);	/* echo identifier and sequence */
	put_be16(h + 6, 1);
	return 0;
}

/* Options: NOPs, n bytes, into the header just pushed (so nothing follows it). */
static int add_options(struct frame *f, size_t *hlen, long n)
{
	unsigned char *opt;

	if (n % 4 || *hlen + n > 60 || !(opt = push(f, n)))
		return -1;
	memset(opt, IPOPT_NOP, n);	/* TCP's NOP is 1 as well */
	*hlen += n;
	return 0;
}

/* Words of the language: a name and what it does with its number. */

enum need { ANY, NO_IP, IPV4_LAST, IP, NO_L4, IPV4, TCP, UDP, PORTS, ICMPS, L4_OR_IPV4 };

struct word {
	const char *name;
	enum need need;
	long min, max;		/* the number's range; max 0: no number */
	bool optional;		/* the number may be left out */
	int (*apply)(struct frame *f, long n);
};

static int w_vlan(struct frame *f, long n) { return add_tag(f, ETH_P_8021Q, n); }
static int w_svlan(struct frame *f, long n) { return add_tag(f, ETH_P_8021AD, n); }
static int w_ipv4(struct frame *f, long n) { return add_ipv4(f); }
static int w_ipv6(struct frame *f, long n) { return add_ipv6(f); }
static int w_icmp(struct frame *f, long n)
{
	return f->l3_proto == ETH_P_IP ? add_l4(f, IPPROTO_ICMP, sizeof(struct icmphdr)) : -1;
}
static int w_icmp6(struct frame *f, long n)
{
	return f->l3_proto == ETH_P_IPV6 ?
		add_l4(f, IPPROTO_ICMPV6, sizeof(struct icmp6hdr)) : -1;
}
static int w_udp(struct frame *f, long n) { return add_l4(f, IPPROTO_UDP, sizeof(struct udphdr)); }
static int w_tcp(struct frame *f, long n) { return add_l4(f, IPPROTO_TCP, sizeof(struct tcphdr)); }
static int w_ipopt(struct frame *f, long n) { return add_options(f, &f->l3_hlen, n); }
static int w_tcpopt(struct frame *f, long n)
{
	return f->len == f->l4_off + f->l4_hlen ? add_options(f, &f->l4_hlen, n) : -1;
}
static int w_vid(struct frame *f, long n) { f->next_vid = n; return 0; }
static int w_ethertype(struct frame *f, long n) { f->ethertype = n; return 0; }
static int w_proto(struct frame *f, long n) { f->ip_proto = n; return 0; }
static int w_ihl(struct frame *f, long n) { f->ihl = n; return 0; }
static int w_iplen(struct frame *f, long n) { f->iplen = n; return 0; }
static int w_doff(struct frame *f, long n) { f->doff = n; return 0; }
static int w_udplen(struct frame *f, long n) { f->udplen = n; return 0; }
static int w_len(struct frame *f, long n) { f->pad_to = n; return 0; }
static int w_trunc(struct frame *f, long n) { f->trunc = n; return 0; }
static int w_badcsum(struct frame *f, long n) { f->bad_csum = true; return 0; }
static int w_nocsum(struct frame *f, long n) { f->no_csum = true; return 0; }
static int w_type(struct frame *f, long n) { f->buf[f->l4_off] = n; return 0; }
static int w_code(struct frame *f, long n) { f->buf[f->l4_off + 1] = n; return 0; }
static int w_seq(struct frame *f, long n) { put_be16(f->buf + f->l4_off + 6, n); return 0; }
static int w_sport(struct frame *f, long n) { put_be16(f->buf + f->l4_off, n); return 0; }
static int w_dport(struct frame *f, long n) { put_be16(f->buf + f->l4_off + 2, n); return 0; }

static const struct word words[] = {
	{ "vlan",	NO_IP,	0, 4095, true, w_vlan },
	{ "svlan",	NO_IP,	0, 4095, true, w_svlan },
	{ "qinq",	NO_IP,	0, 0, false, w_svlan },
	{ "vid",	NO_IP,	0, 4095, false, w_vid },
	{ "ethertype",	ANY,	0, 0xffff, false, w_ethertype },
	{ "ipv4",	ANY,	0, 0, false, w_ipv4 },
	{ "ipv6",	ANY,	0, 0, false, w_ipv6 },
	{ "ipopt",	IPV4_LAST, 0, 40, false, w_ipopt },
	{ "proto",	IP,	0, 255, false, w_proto },
	{ "ihl",	IPV4,	0, 15, false, w_ihl },
	{ "iplen",	IP,	0, 0xffff, false, w_iplen },
	{ "icmp",	NO_L4,	0, 0, false, w_icmp },
	{ "icmp6",	NO_L4,	0, 0, false, w_icmp6 },
	{ "udp",	NO_L4,	0, 0, false, w_udp },
	{ "tcp",	NO_L4,	0, 0, false, w_tcp },
	{ "tcpopt",	TCP,	0, 40, false, w_tcpopt },
	{ "doff",	TCP,	0, 15, false, w_doff },
	{ "udplen",	UDP,	0, 0xffff, false, w_udplen },
	{ "nocsum",	UDP,	0, 0, false, w_nocsum },
	{ "sport",	PORTS,	0, 0xffff, false, w_sport },
	{ "dport",	PORTS,	0, 0xffff, false, w_dport },
	{ "type",	ICMPS,	0, 255, false, w_type },
	{ "code",	ICMPS,	0, 255, false, w_code },
	{ "seq",	ICMPS,	0, 0xffff, false, w_seq },
	{ "badcsum",	L4_OR_IPV4, 0, 0, false, w_badcsum },
	{ "len",	ANY,	0, PKT_MAX, false, w_len },
	{ "trunc",	ANY,	0, PKT_MAX, false, w_trunc },
};

static bool need_met(const struct frame *f, enum need need)
{
	switch (need) {
	case ANY: return true;
	case NO_IP: return !f->l3_proto;
	case IPV4_LAST: return f->l3_proto == ETH_P_IP && f->len == f->l3_off + f->l3_hlen;
	case IP: return f->l3_proto;
	case NO_L4: return f->l3_proto && !f->l4_proto;
	case IPV4: return f->l3_proto == ETH_P_IP;
	case TCP: return f->l4_proto == IPPROTO_TCP;
	case UDP: return f->l4_proto == IPPROTO_UDP;
	case PORTS: return f->l4_proto == IPPROTO_TCP || f->l4_proto == IPPROTO_UDP;
	case ICMPS: return f->l4_proto == IPPROTO_ICMP || f->l4_proto == IPPROTO_ICMPV6;
	case L4_OR_IPV4: return f->l4_proto || f->l3_proto == ETH_P_IP;
	}
	return false;
}

/* Decimal, or hex with 0x; the whole string, within [min, max]. */
static int parse_number(const char *s, long min, long max, long *n)
{
	int base = strncmp(s, "0x", 2) ? 10 : 16;
	char *end;

	if (base == 16)
		s += 2;
	if (*s < '0' || *s > (base == 16 ? 'f' : '9'))
		return -1;
	errno = 0;
	*n = strtol(s, &end, base);
	return errno || *end || *n < min || *n > max ? -1 : 0;
}

static int apply_word(struct frame *f, const char *name, const char *arg)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const struct word *w = &words[i];
		long n = NONE;

		if (strcmp(name, w->name))
			continue;
		if (!need_met(f, w->need))
			return -1;
		if (arg ? !w->max || parse_number(arg, w->min, w->max, &n)
			: w->max && !w->optional)
			return -1;
		return w->apply(f, n);
	}
	return -1;
}

/* Lengths, lies and checksums, once the whole frame is known. */

static void finish_ipv4(struct frame *f)
{
	unsigned char *ip = f->buf + f->l3_off;
	uint16_t check;

	ip[0] = 0x40 | (f->ihl != NONE ? f->ihl : (long)f->l3_hlen / 4);
	put_be16(ip + offsetof(struct iphdr, tot_len),
		 f->iplen != NONE ? f->iplen : (long)(f->len - f->l3_off));
	ip[offsetof(struct iphdr, protocol)] = f->ip_proto != NONE ? f->ip_proto :
					       f->l4_proto ? f->l4_proto : IPPROTO_RAW;
	check = csum_fold(csum_add(0, ip, f->l3_hlen));
	put_be16(ip + offsetof(struct iphdr, check), check ^ (f->bad_csum && !f->l4_proto));
}

static void finish_ipv6(struct frame *f)
{
	unsigned char *ip6 = f->buf + f->l3_off;
	size_t payload = f->len - f->l3_off - f->l3_hlen;

	put_be16(ip6 + offsetof(struct ipv6hdr, payload_len),
		 f->iplen != NONE ? f->iplen : (long)payload);
	ip6[offsetof(struct ipv6hdr, nexthdr)] = f->ip_proto != NONE ? f->ip_proto :
						 f->l4_proto ? f->l4_proto : IPPROTO_NONE;
}

static void finish_l4(struct frame *f)
{
	unsigned char *l4 = f->buf + f->l4_off;
	size_t l4_len = f->len - f->l4_off;
	uint32_t sum = 0;
	size_t check_off;
	uint16_t check;

	switch (f->l4_proto) {
	case IPPROTO_TCP:
		l4[12] = (f->doff != NONE ? f->doff : (long)f->l4_hlen / 4) << 4;
		check_off = offsetof(struct tcphdr, check);
		break;
	case IPPROTO_UDP:
		put_be16(l4 + offsetof(struct udphdr, len), f->udplen != NONE ? f->udplen : (long)l4_len);
		check_off = offsetof(struct udphdr, check);
		break;
	default:	/* ICMP, ICMPv6 */
		check_off = 2;
	}
	/* The pseudo-header: all but ICMPv4 have one. */
	if (f->l3_proto == ETH_P_IP && f->l4_proto != IPPROTO_ICMP)
		sum = csum_add(0, f->buf + f->l3_off + offsetof(struct iphdr, saddr), 8);
	else if (f->l3_proto == ETH_P_IPV6)
		sum = csum_add(0, f->buf + f->l3_off + offsetof(struct ipv6hdr, saddr), 32);
	if (f->l4_proto != IPPROTO_ICMP)
		sum += f->l4_proto + l4_len;
	check = csum_fold(csum_add(sum, l4, l4_len));
	if (f->l4_proto == IPPROTO_UDP && !check)
		check = 0xffff;		/* 0 would mean "no checksum" */
	if (f->no_csum)
		check = 0;
	put_be16(l4 + check_off, check ^ f->bad_csum);
}

static int finish(struct frame *f)
{
	if (f->pad_to != NONE) {
		if (f->pad_to < (long)f->len)
			return -1;
		push(f, f->pad_to - f->len);
	}
	if (f->ethertype != NONE)
		put_be16(f->buf + f->proto_off, f->ethertype);
	if (f->l3_proto == ETH_P_IP)
		finish_ipv4(f);
	else if (f->l3_proto == ETH_P_IPV6)
		finish_ipv6(f);
	if (f->l4_proto)
		finish_l4(f);
	if (f->trunc != NONE && f->trunc < (long)f->len)
		f->len = f->trunc;
	return 0;
}

int build_packet(const char *spec, unsigned char *buf)
{
	struct frame f = {
		.buf = buf, .next_vid = NONE, .ethertype = NONE, .ip_proto = NONE,
		.ihl = NONE, .iplen = NONE, .doff = NONE, .udplen = NONE,
		.pad_to = NONE, .trunc = NONE,
	};
	struct ethhdr *eth = push(&f, sizeof(*eth));
	char *copy, *tok, *save;
	int err = 0;

	memcpy(eth->h_dest, dst_mac, ETH_ALEN);
	memcpy(eth->h_source, src_mac, ETH_ALEN);
	f.proto_off = offsetof(struct ethhdr, h_proto);
	copy = strdup(spec);
	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok && !err; tok = strtok_r(NULL, ",", &save)) {
		char *arg = strchr(tok, '=');

		if (arg)
			*arg++ = '\0';
		err = apply_word(&f, tok, arg);
	}
	free(copy);
	if (err || f.next_vid != NONE || finish(&f))
		return -1;
	return f.len;
}
