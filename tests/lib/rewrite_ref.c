// SPDX-License-Identifier: GPL-2.0
/* The references and the checksum oracle; see rewrite_ref.h. */
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include "rewrite_ref.h"

/* ------------------------------------------------ one's complement sums --- */

uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sum += i & 1 ? p[i] : p[i] << 8;
	return sum;
}

uint16_t oc_fold(uint32_t sum)
{
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t oc_add(uint16_t a, uint16_t b) { return oc_fold((uint32_t)a + b); }

/* ----------------------------------------------------- where things are --- */

static void locate_l4(const uint8_t *p, size_t len, struct layout *lo)
{
	const uint8_t *h = p + lo->l4_off;

	if (lo->later_fragment)
		return;
	if (lo->l4 == IPPROTO_TCP)
		lo->l4_ok = lo->l4_off + 20 <= len && h[12] >> 4 >= 5 &&
			    lo->l4_off + (h[12] >> 4) * 4 <= len;
	else if (lo->l4 == IPPROTO_UDP)
		lo->l4_ok = lo->l4_off + 8 <= len && get16(h + 4) >= 8;
}

void locate(const uint8_t *p, size_t len, struct layout *lo)
{
	size_t off = 14;
	const uint8_t *ip;

	memset(lo, 0, sizeof(*lo));
	lo->l4 = -1;
	if (len < 14)
		return;
	lo->l3 = get16(p + 12);
	while (lo->ntags < 2 && (lo->l3 == TPID_8021Q || lo->l3 == TPID_8021AD)) {
		if (off + 4 > len)
			return;
		lo->l3 = get16(p + off + 2);
		lo->ntags++;
		off += 4;
	}
	lo->l3_off = off;
	ip = p + off;
	if (lo->l3 == ETYPE_IPV4) {
		if (off + 20 > len)
			return;
		lo->l3_len = (ip[0] & 0xf) * 4;
		if (lo->l3_len < 20 || off + lo->l3_len > len || get16(ip + 2) < lo->l3_len)
			return;
		lo->l4 = ip[9];
		lo->later_fragment = get16(ip + 6) & 0x1fff;
	} else if (lo->l3 == ETYPE_IPV6) {
		lo->l3_len = 40;
		if (off + 40 > len)
			return;
		lo->l4 = ip[6];
	} else {
		return;
	}
	lo->l4_off = off + lo->l3_len;
	locate_l4(p, len, lo);
}

bool is_tagged(const uint8_t *p, size_t len)
{
	return len >= 14 && (get16(p + 12) == TPID_8021Q || get16(p + 12) == TPID_8021AD);
}


const char *field_at(const uint8_t *p, size_t len, size_t off)
{
	struct layout lo;

	locate(p, len, &lo);
	if (off < 12)
		return "MAC addresses";
	if (off < lo.l3_off)
		return off < 14 ? "EtherType" : "VLAN tag";
	if (lo.l4 < 0 || off < lo.l4_off)
		return "IP header";
	off -= lo.l4_off;
	if (lo.l4 == IPPROTO_TCP)
		return off < 2 ? "TCP source port" : off < 4 ? "TCP destination port" :
		       off == 16 || off == 17 ? "TCP checksum" : "TCP header or payload";
	if (lo.l4 == IPPROTO_UDP)
		return off < 2 ? "UDP source port" : off < 4 ? "UDP destination port" :
		       off == 6 || off == 7 ? "UDP checksum" : "UDP header or payload";
	return "payload";
}


/* ----------------------------------------------------------- references --- */

/* RFC 1624 eqn. 3 on host-order values: HC' = ~(~HC + ~m + m'). */
static uint16_t ref_csum_update(uint16_t hc, uint16_t m, uint16_t m_new)
{
	return ~oc_add(oc_add(~hc, ~m), m_new);
}

/* The TCP or UDP port at @port_off (0 source, 2 destination) plus @delta. */
static void ref_port_change(const uint8_t *in, size_t len, struct result *r,
			    size_t port_off, int delta)
{
	struct layout lo;
	uint16_t port, check;
	uint8_t *l4;

	memcpy(r->p, in, len);
	r->len = len;
	locate(in, len, &lo);
	if (!lo.l4_ok)
		return;
	l4 = r->p + lo.l4_off;
	port = get16(l4 + port_off);
	put16(l4 + port_off, port + delta);
	if (lo.l4 == IPPROTO_TCP) {
		put16(l4 + 16, ref_csum_update(get16(l4 + 16), port, port + delta));
		return;
	}
	check = get16(l4 + 6);
	if (check == 0)		/* RFC 768: no checksum, and it stays so */
		return;
	check = ref_csum_update(check, port, port + delta);
	put16(l4 + 6, check ? check : 0xffff);
}

static void ref_port_rewrite(const uint8_t *in, size_t len, struct result *r)
{
	r->verdict = XDP_PASS;
	ref_port_change(in, len, r, 2, -1);
}

/* The solution's tc egress program: source port plus one. */
static void ref_port_restore(const uint8_t *in, size_t len, struct result *r)
{
	r->verdict = TC_ACT_OK;
	ref_port_change(in, len, r, 0, +1);
}

static void ref_vlan_swap(const uint8_t *in, size_t len, struct result *r)
{
	r->verdict = XDP_PASS;
	memcpy(r->p, in, len);
	r->len = len;
	if (len < 14)
		return;
	if (is_tagged(in, len)) {
		if (len < 18)	/* an incomplete tag: left alone */
			return;
		memcpy(r->p + 12, in + 16, len - 16);	/* the tag's inner type on */
		r->len = len - 4;
	} else {
		put16(r->p + 12, TPID_8021Q);
		put16(r->p + 14, PUSHED_TCI);
		memcpy(r->p + 16, in + 12, len - 12);
		r->len = len + 4;
	}
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/* tests/swap_kern.c: MAC addresses, then IPv4 or IPv6 addresses swapped. */
static void ref_swap(const uint8_t *in, size_t len, struct result *r)
{
	struct layout lo;
	uint8_t *ip = r->p;

	memcpy(r->p, in, len);
	r->len = len;
	locate(in, len, &lo);
	r->verdict = lo.l3_off ? XDP_TX : XDP_PASS;	/* no l3_off: a tag cut short */
	if (!lo.l3_off)
		return;
	swap_bytes(r->p, r->p + 6, 6);
	ip += lo.l3_off;
	if (lo.l3 == ETYPE_IPV4 && lo.l4 >= 0)
		swap_bytes(ip + 12, ip + 16, 4);
	else if (lo.l3 == ETYPE_IPV6 && lo.l4 >= 0)
		swap_bytes(ip + 8, ip + 24, 16);
}

static const struct reference references[] = {
	{ "xdp_port_rewrite_func", ref_port_rewrite, false },
	{ "xdp_vlan_swap_func", ref_vlan_swap, false },
	{ "xdp_swap_func", ref_swap, false },
	{ "tc_port_restore_func", ref_port_restore, true },
};

const struct reference *find_reference(const char *prog)
{
	for (size_t i = 0; i < sizeof(references) / sizeof(references[0]); i++)
		if (!strcmp(prog, references[i].prog))
			return &references[i];
	return NULL;
}

/* -------------------------------------------------- the checksum oracle --- */

uint32_t pseudo_sum(const uint8_t *p, const struct layout *lo, size_t l4_len)
{
	const uint8_t *ip = p + lo->l3_off;
	uint32_t sum = lo->l4 + l4_len;

	if (lo->l3 == ETYPE_IPV4)
		return sum_bytes(sum, ip + 12, 8);
	return sum_bytes(sum, ip + 8, 32);
}

bool checksums_valid(const uint8_t *p, size_t len, char *why, size_t why_len)
{
	static const struct { int proto; size_t check_off; const char *name; } l4s[] = {
		{ IPPROTO_TCP, 16, "TCP" }, { IPPROTO_UDP, 6, "UDP" },
		{ IPPROTO_ICMP, 2, "ICMP" }, { IPPROTO_ICMPV6, 2, "ICMPv6" },
	};
	const uint8_t *ip, *l4;
	struct layout lo;
	size_t l4_len;
	uint32_t sum;

	locate(p, len, &lo);
	if (lo.l4 < 0)
		return true;
	ip = p + lo.l3_off;
	l4 = p + lo.l4_off;
	if (lo.l3 == ETYPE_IPV4) {
		if (oc_fold(sum_bytes(0, ip, lo.l3_len)) != 0xffff) {
			snprintf(why, why_len, "IPv4 header checksum 0x%04x is wrong", get16(ip + 10));
			return false;
		}
		if (get16(ip + 6) & 0x3fff)	/* a fragment: no whole datagram here */
			return true;
		l4_len = get16(ip + 2) - lo.l3_len;
	} else {
		l4_len = get16(ip + 4);
	}
	for (size_t i = 0; i < sizeof(l4s) / sizeof(l4s[0]); i++) {
		if (l4s[i].proto != lo.l4 || lo.l4_off + l4_len > len || l4_len < l4s[i].check_off + 2)
			continue;
		if (lo.l4 == IPPROTO_UDP && get16(l4 + 6) == 0)
			return true;	/* no checksum (RFC 768) */
		sum = lo.l4 == IPPROTO_ICMP ? 0 : pseudo_sum(p, &lo, l4_len);
		if (oc_fold(sum_bytes(sum, l4, l4_len)) != 0xffff) {
			snprintf(why, why_len, "%s checksum 0x%04x is wrong", l4s[i].name,
				 get16(l4 + l4s[i].check_off));
			return false;
		}
	}
	return true;
}
