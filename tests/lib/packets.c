// SPDX-License-Identifier: GPL-2.0
/* Builds test frames from a spec; see packets.h for the language. */
#include <arpa/inet.h>
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
	int l3_proto;		/* ETH_P_IP / ETH_P_IPV6 once an IP layer is in */
	size_t l3_off, l4_off;
	int l4_proto;
};

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static __sum16 csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons(~sum & 0xffff);
}

static void *push(struct frame *f, size_t len)
{
	void *p = f->buf + f->len;

	memset(p, 0, len);
	f->len += len;
	return p;
}

static void set_next_proto(struct frame *f, int proto)
{
	__be16 p = htons(proto);

	memcpy(f->buf + f->proto_off, &p, sizeof(p));
}

static int add_vlan(struct frame *f, int id)
{
	struct vlan_tag *v;

	set_next_proto(f, ETH_P_8021Q);
	v = push(f, sizeof(*v));
	v->tci = htons(id);
	f->proto_off = f->len - sizeof(v->encap_proto);
	return 0;
}

static int add_ipv4(struct frame *f)
{
	struct iphdr *ip;

	set_next_proto(f, ETH_P_IP);
	f->l3_off = f->len;
	ip = push(f, sizeof(*ip));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->saddr = htonl(0x0a0b0102);	/* 10.11.1.2 */
	ip->daddr = htonl(0x0a0b0101);	/* 10.11.1.1 */
	f->l3_proto = ETH_P_IP;
	return 0;
}

static int add_ipv6(struct frame *f)
{
	struct ipv6hdr *ip6;

	set_next_proto(f, ETH_P_IPV6);
	f->l3_off = f->len;
	ip6 = push(f, sizeof(*ip6));
	ip6->version = 6;
	ip6->hop_limit = 64;
	inet_pton(AF_INET6, "fc00:dead:cafe:1::2", &ip6->saddr);
	inet_pton(AF_INET6, "fc00:dead:cafe:1::1", &ip6->daddr);
	f->l3_proto = ETH_P_IPV6;
	return 0;
}

static int add_l4(struct frame *f, int proto)
{
	if (!f->l3_proto)
		return -1;
	f->l4_off = f->len;
	f->l4_proto = proto;
	switch (proto) {
	case IPPROTO_ICMP: {
		struct icmphdr *h = push(f, sizeof(*h));

		h->type = ICMP_ECHO;
		h->un.echo.id = htons(0x4242);
		h->un.echo.sequence = htons(1);
		break;
	}
	case IPPROTO_ICMPV6: {
		struct icmp6hdr *h = push(f, sizeof(*h));

		h->icmp6_type = ICMPV6_ECHO_REQUEST;
		h->icmp6_identifier = htons(0x4242);
		h->icmp6_sequence = htons(1);
		break;
	}
	case IPPROTO_UDP: {
		struct udphdr *h = push(f, sizeof(*h));

		h->source = htons(4242);
		h->dest = htons(4243);
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr *h = push(f, sizeof(*h));

		h->source = htons(4242);
		h->dest = htons(4243);
		h->doff = 5;
		h->syn = 1;
		h->window = htons(65535);
		break;
	}
	}
	return 0;
}

/* Fill in lengths and checksums once the whole frame is known. */
static void finish(struct frame *f)
{
	size_t l4_len = f->l4_off ? f->len - f->l4_off : 0;
	unsigned char *l4 = f->buf + f->l4_off;
	uint32_t sum = 0;
	__sum16 *check = NULL;

	if (f->l3_proto == ETH_P_IP) {
		struct iphdr *ip = (void *)(f->buf + f->l3_off);

		ip->tot_len = htons(f->len - f->l3_off);
		ip->protocol = f->l4_proto ? f->l4_proto : IPPROTO_RAW;
		ip->check = csum_fold(csum_add(0, ip, sizeof(*ip)));
		sum = csum_add(0, &ip->saddr, 8);
	} else if (f->l3_proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = (void *)(f->buf + f->l3_off);

		ip6->payload_len = htons(f->len - f->l3_off - sizeof(*ip6));
		ip6->nexthdr = f->l4_proto ? f->l4_proto : IPPROTO_NONE;
		sum = csum_add(0, &ip6->saddr, 32);
	}
	if (!f->l4_proto)
		return;
	/* ICMPv4 has no pseudo-header; the others do. */
	if (f->l4_proto == IPPROTO_ICMP)
		sum = 0;
	else
		sum += f->l4_proto + l4_len;
	switch (f->l4_proto) {
	case IPPROTO_ICMP: check = &((struct icmphdr *)l4)->checksum; break;
	case IPPROTO_ICMPV6: check = &((struct icmp6hdr *)l4)->icmp6_cksum; break;
	case IPPROTO_UDP:
		((struct udphdr *)l4)->len = htons(l4_len);
		check = &((struct udphdr *)l4)->check;
		break;
	case IPPROTO_TCP: check = &((struct tcphdr *)l4)->check; break;
	}
	*check = csum_fold(csum_add(sum, l4, l4_len));
}

static int add_layer(struct frame *f, const char *name, const char *arg)
{
	if (!strcmp(name, "vlan"))
		return add_vlan(f, arg ? atoi(arg) : 1 + (f->len > ETH_HLEN));
	if (arg)
		return -1;
	if (!strcmp(name, "ipv4"))
		return add_ipv4(f);
	if (!strcmp(name, "ipv6"))
		return add_ipv6(f);
	if (!strcmp(name, "icmp") && f->l3_proto == ETH_P_IP)
		return add_l4(f, IPPROTO_ICMP);
	if (!strcmp(name, "icmp6") && f->l3_proto == ETH_P_IPV6)
		return add_l4(f, IPPROTO_ICMPV6);
	if (!strcmp(name, "udp"))
		return add_l4(f, IPPROTO_UDP);
	if (!strcmp(name, "tcp"))
		return add_l4(f, IPPROTO_TCP);
	return -1;
}

int build_packet(const char *spec, unsigned char *buf)
{
	struct frame f = { .buf = buf };
	struct ethhdr *eth = push(&f, sizeof(*eth));
	char copy[256], *tok, *save;
	size_t pad_to = 0, trunc = 0;

	memcpy(eth->h_dest, dst_mac, ETH_ALEN);
	memcpy(eth->h_source, src_mac, ETH_ALEN);
	f.proto_off = offsetof(struct ethhdr, h_proto);
	if (strlen(spec) >= sizeof(copy))
		return -1;
	strcpy(copy, spec);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *arg = strchr(tok, '=');

		if (arg)
			*arg++ = '\0';
		if (!strcmp(tok, "len") && arg)
			pad_to = strtoul(arg, NULL, 0);
		else if (!strcmp(tok, "trunc") && arg)
			trunc = strtoul(arg, NULL, 0);
		else if (f.l4_proto || add_layer(&f, tok, arg))
			return -1;
	}
	if (pad_to > PKT_MAX || (pad_to && pad_to < f.len))
		return -1;
	if (pad_to)
		push(&f, pad_to - f.len);
	finish(&f);
	if (trunc && trunc < f.len)
		f.len = trunc;
	return f.len;
}
