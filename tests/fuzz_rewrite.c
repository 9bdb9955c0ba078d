// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_rewrite: packet02's programs against a reference written here, on a
 * fixed set of edge cases and then on seeded random and mutated frames.
 *
 *   fuzz_rewrite OBJ PROG [-n COUNT] [-s SEED] [-t tagged|untagged] [-l] [-v]
 *   fuzz_rewrite OBJ PROG -p SPEC... [-v]
 *
 * PROG is xdp_port_rewrite_func, xdp_vlan_swap_func or (a tc program)
 * tc_port_restore_func of packet02, or xdp_swap_func (tests/swap_kern.c);
 * each has its reference below. For every frame the verdict and the output bytes must
 * agree with the reference, and when every checksum in the frame that went
 * in was right, every checksum in the output must be right, each
 * recomputed from scratch (the oracle that does not trust either side's
 * arithmetic). -t keeps only tagged or only untagged frames; -l prints
 * every edge case's result ("ok DESC" / "FAIL DESC: ..."). -p runs only
 * the frames given as specs (tests/lib/packets.h), each with a line. -v
 * shows the verifier's whole log when it rejects PROG.
 *
 * Prints "ok: N frames agree (seed S, T s)", or the first disagreement as
 * one line "FAIL DESC: WHAT", followed by the frames in hex and the seed.
 * Exit status as diff(1): 0 all agree, 1 a disagreement, 2 trouble (bad
 * arguments, the object does not load).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "lib/packets.h"

#define TPID_8021Q  0x8100
#define TPID_8021AD 0x88a8
#define ETYPE_IPV4  0x0800
#define ETYPE_IPV6  0x86dd
#define ETYPE_ARP   0x0806
#define PUSHED_TCI  1		/* the tag xdp_vlan_swap_func pushes: VLAN 1 */
#define EDGE_MAX    128
#define ETH_MIN     14	/* the shortest frame BPF_PROG_TEST_RUN takes */
#define DESC_MAX    160
#define SPECS_MAX   64

static uint16_t get16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }

/* ------------------------------------------------ one's complement sums --- */

static uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sum += i & 1 ? p[i] : p[i] << 8;
	return sum;
}

static uint16_t oc_fold(uint32_t sum)
{
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t oc_add(uint16_t a, uint16_t b) { return oc_fold((uint32_t)a + b); }

/* ----------------------------------------------------- where things are --- */

/*
 * The frame's layers, by the rules common/parsing_helpers.h documents: up
 * to two VLAN tags; IPv4 with IHL >= 5, the whole header present and a
 * total length no shorter than it; TCP with data offset >= 5 and the whole
 * header present; UDP with a length >= 8.
 */
struct layout {
	int ntags;
	int l3;			/* ETYPE_IPV4, ETYPE_IPV6, or another EtherType */
	size_t l3_off, l3_len;	/* header length */
	int l4;			/* IPPROTO_*, or -1 (no IP, or malformed IP) */
	size_t l4_off;
	bool later_fragment;	/* IPv4, offset != 0: no L4 header in it */
	bool l4_ok;		/* a TCP or UDP header that parses */
};

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

static void locate(const uint8_t *p, size_t len, struct layout *lo)
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

/* ----------------------------------------------------------- references --- */

struct result {
	int verdict;
	uint8_t p[PKT_MAX + 8];
	size_t len;
};

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

static bool is_tagged(const uint8_t *p, size_t len)
{
	return len >= 14 && (get16(p + 12) == TPID_8021Q || get16(p + 12) == TPID_8021AD);
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

static const struct reference {
	const char *prog;
	void (*ref)(const uint8_t *in, size_t len, struct result *r);
	bool tc;		/* a tc program: verdicts are TC_ACT_* */
} references[] = {
	{ "xdp_port_rewrite_func", ref_port_rewrite, false },
	{ "xdp_vlan_swap_func", ref_vlan_swap, false },
	{ "xdp_swap_func", ref_swap, false },
	{ "tc_port_restore_func", ref_port_restore, true },
};

/* -------------------------------------------------- the checksum oracle --- */

/* The pseudo-header sum of TCP, UDP and ICMPv6 (RFC 793, 768, 8200). */
static uint32_t pseudo_sum(const uint8_t *p, const struct layout *lo, size_t l4_len)
{
	const uint8_t *ip = p + lo->l3_off;
	uint32_t sum = lo->l4 + l4_len;

	if (lo->l3 == ETYPE_IPV4)
		return sum_bytes(sum, ip + 12, 8);
	return sum_bytes(sum, ip + 8, 32);
}

/* On failure, a line saying which checksum is wrong in @why. */
static bool checksums_valid(const uint8_t *p, size_t len, char *why, size_t why_len)
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

/* -------------------------------------------------------- frame builder --- */

/* A valid frame, described by a few choices; random ones or edge cases. */
struct frame_spec {
	int ntags;
	uint16_t tpid[2], tci[2];
	int l3;			/* ETYPE_IPV4, ETYPE_IPV6 or ETYPE_ARP */
	int ihl;		/* IPv4: 5..15 */
	uint16_t frag_off;	/* IPv4 flags and fragment offset */
	int l4;			/* IPPROTO_TCP, _UDP, _ICMP, _ICMPV6, or 0: none */
	int doff;		/* TCP: 5..15 */
	uint16_t sport, dport;
	size_t payload;
	int check;		/* -1: as it comes; else steer the L4 checksum to it */
	bool udp_no_check;	/* UDP checksum 0 */
	size_t pad;		/* Ethernet padding after the IP packet */
};

struct frame {
	uint8_t p[PKT_MAX];
	size_t len;
	char desc[DESC_MAX];
};

static uint64_t rng_state;

static uint32_t rnd(void)	/* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545f4914f6cdd1dULL) >> 32;
}

static uint32_t rnd_below(uint32_t n) { return rnd() % n; }

static void describe(struct frame *f, const char *fmt, ...)
{
	size_t used = strlen(f->desc);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->desc + used, sizeof(f->desc) - used, fmt, ap);
	va_end(ap);
}

static size_t l4_header_len(const struct frame_spec *s)
{
	switch (s->l4) {
	case IPPROTO_TCP: return s->doff * 4;
	case IPPROTO_UDP: case IPPROTO_ICMP: case IPPROTO_ICMPV6: return 8;
	default: return 0;
	}
}

static void write_l4(const struct frame_spec *s, uint8_t *l4, size_t l4_len)
{
	for (size_t i = 0; i < l4_len; i++)
		l4[i] = rnd();
	if (s->l4 == IPPROTO_TCP || s->l4 == IPPROTO_UDP) {
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
	}
	if (s->l4 == IPPROTO_TCP) {
		l4[12] = s->doff << 4;
		put16(l4 + 16, 0);
	} else if (s->l4 == IPPROTO_UDP) {
		put16(l4 + 4, l4_len);
		put16(l4 + 6, 0);
	} else if (s->l4 == IPPROTO_ICMP || s->l4 == IPPROTO_ICMPV6) {
		l4[0] = s->l4 == IPPROTO_ICMP ? 8 : 128;	/* echo request */
		l4[1] = 0;
		put16(l4 + 2, 0);
	}
}

/* Fill in the L4 checksum; with s->check >= 0, first set the payload's
 * first word so that the checksum comes out as s->check. */
static void finish_l4(const struct frame_spec *s, struct frame *f, const struct layout *lo,
		      size_t l4_len)
{
	size_t check_off = s->l4 == IPPROTO_TCP ? 16 : s->l4 == IPPROTO_UDP ? 6 : 2;
	uint8_t *l4 = f->p + lo->l4_off;
	uint32_t sum;

	if (!s->l4 || (s->l4 == IPPROTO_UDP && s->udp_no_check))
		return;
	sum = s->l4 == IPPROTO_ICMP ? 0 : pseudo_sum(f->p, lo, l4_len);
	if (s->check >= 0 && s->payload >= 2) {
		size_t word = l4_header_len(s);

		put16(l4 + word, 0);
		put16(l4 + word, oc_add(~s->check, ~oc_fold(sum_bytes(sum, l4, l4_len))));
	}
	sum = (uint16_t)~oc_fold(sum_bytes(sum, l4, l4_len));
	if (s->l4 == IPPROTO_UDP && sum == 0)
		sum = 0xffff;
	put16(l4 + check_off, sum);
}

static const char *l4_name(int l4)
{
	switch (l4) {
	case IPPROTO_TCP: return "TCP";
	case IPPROTO_UDP: return "UDP";
	case IPPROTO_ICMP: return "ICMP";
	case IPPROTO_ICMPV6: return "ICMPv6";
	default: return "no L4";
	}
}

static void build_frame(const struct frame_spec *s, struct frame *f)
{
	size_t off = 12, l3_len, l4_len = l4_header_len(s) + s->payload;
	struct layout lo;
	uint8_t *ip;

	memset(f, 0, sizeof(*f));
	for (int i = 0; i < 12; i++)
		f->p[i] = rnd();
	f->p[0] &= 0xfe;	/* unicast */
	for (int i = 0; i < s->ntags; i++, off += 4) {
		put16(f->p + off, s->tpid[i]);
		put16(f->p + off + 2, s->tci[i]);
		describe(f, "%s ", s->tpid[i] == TPID_8021Q ? "802.1Q" : "802.1ad");
	}
	put16(f->p + off, s->l3);
	off += 2;
	ip = f->p + off;
	l3_len = s->l3 == ETYPE_IPV4 ? s->ihl * 4 : s->l3 == ETYPE_IPV6 ? 40 : 28;
	for (size_t i = 0; i < l3_len; i++)
		ip[i] = rnd();
	if (s->l3 == ETYPE_IPV4) {
		ip[0] = 0x40 | s->ihl;
		put16(ip + 2, l3_len + l4_len);
		put16(ip + 6, s->frag_off);
		ip[9] = s->l4 ? s->l4 : 253;	/* 253: "for experiments" */
		put16(ip + 10, 0);
		describe(f, "IPv4%s%s ", s->ihl > 5 ? " with options" : "",
			 s->frag_off & 0x1fff ? " later fragment" :
			 s->frag_off & 0x2000 ? " first fragment" : "");
	} else if (s->l3 == ETYPE_IPV6) {
		ip[0] = 0x60;
		put16(ip + 4, l4_len);
		ip[6] = s->l4 ? s->l4 : 59;	/* 59: no next header */
		describe(f, "IPv6 ");
	} else {
		describe(f, "ARP");
	}
	f->len = off + l3_len + (s->l3 == ETYPE_ARP ? 0 : l4_len);
	if (s->l3 != ETYPE_ARP) {
		write_l4(s, ip + l3_len, l4_len);
		if (s->l3 == ETYPE_IPV4)
			put16(ip + 10, ~oc_fold(sum_bytes(0, ip, l3_len)));
		lo = (struct layout){ .l3 = s->l3, .l3_off = off, .l3_len = l3_len,
				      .l4 = s->l4, .l4_off = off + l3_len };
		finish_l4(s, f, &lo, l4_len);
		describe(f, "%s", l4_name(s->l4));
		if (s->l4 == IPPROTO_TCP || s->l4 == IPPROTO_UDP)
			describe(f, " %u->%u check 0x%04x", s->sport, s->dport,
				 get16(ip + l3_len + (s->l4 == IPPROTO_TCP ? 16 : 6)));
	}
	memset(f->p + f->len, 0, s->pad);
	f->len += s->pad;
}

/* --------------------------------------------------------- random frames --- */

static uint16_t random_port(void)
{
	static const uint16_t special[] = { 0, 1, 2000, 65535 };

	return rnd_below(4) ? rnd() : special[rnd_below(4)];
}

static void random_spec(struct frame_spec *s)
{
	static const int checks[] = { 0x0000, 0xfffe, 0x0001, 0x00ff, 0xff00, 0x01ff, 0x7fff };
	static const int ip4_l4[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, 0 };
	static const int ip6_l4[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, 0 };
	uint32_t r = rnd_below(10);

	memset(s, 0, sizeof(*s));
	s->ntags = r < 5 ? 0 : r < 8 ? 1 : 2;
	for (int i = 0; i < s->ntags; i++) {
		s->tpid[i] = rnd_below(2) ? TPID_8021Q : TPID_8021AD;
		s->tci[i] = rnd();
	}
	r = rnd_below(20);
	s->l3 = r < 9 ? ETYPE_IPV4 : r < 18 ? ETYPE_IPV6 : ETYPE_ARP;
	s->ihl = rnd_below(4) ? 5 : 6 + rnd_below(10);
	r = rnd_below(20);
	s->frag_off = r < 16 ? 0x4000 : r < 18 ? 0x2000 : rnd() & 0x3fff;
	s->l4 = s->l3 == ETYPE_IPV4 ? ip4_l4[rnd_below(4)] : ip6_l4[rnd_below(4)];
	s->doff = rnd_below(4) ? 5 : 6 + rnd_below(10);
	s->sport = random_port();
	s->dport = random_port();
	s->payload = rnd_below(3) ? rnd_below(80) : 0;
	s->check = rnd_below(3) ? -1 : checks[rnd_below(sizeof(checks) / sizeof(checks[0]))];
	s->udp_no_check = rnd_below(8) == 0;
	s->pad = rnd_below(10) ? 0 : rnd_below(20);
}

/* Break a valid frame in one of the ways real traffic (or an attacker)
 * does. */
static void mutate(struct frame *f)
{
	size_t at = rnd_below(f->len), n;

	switch (rnd_below(f->len > ETH_MIN ? 4 : 1) + (f->len > ETH_MIN ? 0 : 1)) {
	case 0:	/* BPF_PROG_TEST_RUN takes no frame below 14 bytes */
		f->len = ETH_MIN + rnd_below(f->len - ETH_MIN);
		describe(f, ", cut to %zu bytes", f->len);
		break;
	case 1:
		n = 1 + rnd_below(3);
		for (size_t i = 0; i < n; i++)
			f->p[rnd_below(f->len)] ^= 1 << rnd_below(8);
		describe(f, ", %zu bits flipped", n);
		break;
	case 2:	/* a length, IHL or data offset that lies: any byte in the headers */
		at = rnd_below(f->len < 80 ? f->len : 80);
		f->p[at] = rnd();
		describe(f, ", byte %zu set to 0x%02x", at, f->p[at]);
		break;
	default:
		f->p[at] = f->p[at] & 0xf0 ? f->p[at] & 0x0f : f->p[at] | rnd() << 4;
		describe(f, ", byte %zu nibble changed", at);
		break;
	}
}

static void random_frame(struct frame *f)
{
	struct frame_spec s;

	random_spec(&s);
	build_frame(&s, f);
	if (rnd_below(10) < 3)
		mutate(f);
}

/* ------------------------------------------------------------ edge cases --- */

static struct frame_spec plain(int ntags, int l3, int l4, uint16_t dport, int check)
{
	struct frame_spec s = {
		.ntags = ntags, .tpid = { TPID_8021AD, TPID_8021Q }, .tci = { 100, 200 },
		.l3 = l3, .ihl = 5, .frag_off = 0x4000, .l4 = l4, .doff = 5,
		.sport = 4242, .dport = dport, .payload = 18, .check = check,
	};

	if (ntags == 1)
		s.tpid[0] = TPID_8021Q;
	return s;
}

/* Frames cut one byte short of each header's end and right after it: the
 * Ethernet header, each tag, the IP header and the TCP or UDP header. */
static int cut_at_boundaries(const struct frame_spec *s, struct frame *out)
{
	size_t ends[5], l3_end = s->l3 == ETYPE_IPV4 ? s->ihl * 4 : 40;
	int nends = 0, n = 0;

	for (int t = 0; t <= s->ntags; t++)
		ends[nends++] = ETH_MIN + 4 * t;
	ends[nends] = ends[nends - 1] + l3_end;
	nends++;
	ends[nends] = ends[nends - 1] + l4_header_len(s);
	nends++;
	for (int e = 0; e < nends; e++)
		for (size_t cut = ends[e] - 1; cut <= ends[e]; cut++) {
			if (cut < ETH_MIN)
				continue;
			build_frame(s, &out[n]);
			out[n].len = cut;
			describe(&out[n], ", cut to %zu bytes", cut);
			n++;
		}
	return n;
}

/* The cases where incremental checksum updates go wrong, the protocol
 * variants, and frames cut at every header boundary. */
static int edge_frames(struct frame *out)
{
	static const int checks[] = { -1, 0x0000, 0xfffe, 0x00ff, 0xff00, 0x0001 };
	int n = 0, l3s[] = { ETYPE_IPV4, ETYPE_IPV6 }, l4s[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct frame_spec s;

	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 2; b++)
			for (size_t c = 0; c < sizeof(checks) / sizeof(checks[0]); c++) {
				s = plain(0, l3s[a], l4s[b], 2000, checks[c]);
				build_frame(&s, &out[n++]);
			}
	s = plain(0, ETYPE_IPV4, IPPROTO_UDP, 2000, -1);
	s.udp_no_check = true;
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_IPV4, IPPROTO_TCP, 0, -1);	/* 0 - 1 = 65535 */
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_IPV6, IPPROTO_UDP, 0, 0xfffe);
	build_frame(&s, &out[n++]);
	for (int t = 1; t <= 2; t++) {
		s = plain(t, ETYPE_IPV4, IPPROTO_UDP, 2000, -1);
		build_frame(&s, &out[n++]);
		s = plain(t, ETYPE_IPV6, IPPROTO_TCP, 2000, -1);
		build_frame(&s, &out[n++]);
	}
	s = plain(2, ETYPE_IPV6, IPPROTO_UDP, 2000, -1);
	s.tpid[0] = s.tpid[1] = TPID_8021Q;
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_IPV4, IPPROTO_TCP, 2000, -1);
	s.ihl = 15;
	s.doff = 15;
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_IPV4, IPPROTO_UDP, 2000, -1);
	s.frag_off = 0x2000;	/* first fragment: ports are there */
	build_frame(&s, &out[n++]);
	s.frag_off = 0x0010;	/* a later one: they are not */
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_IPV4, IPPROTO_ICMP, 0, -1);
	build_frame(&s, &out[n++]);
	s = plain(1, ETYPE_IPV6, IPPROTO_ICMPV6, 0, -1);
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_ARP, 0, 0, -1);
	build_frame(&s, &out[n++]);
	s = plain(0, ETYPE_IPV4, IPPROTO_UDP, 2000, -1);
	s.pad = 12;
	build_frame(&s, &out[n++]);
	for (int c = 0; c < 4; c++) {
		s = plain(c % 3, c & 1 ? ETYPE_IPV6 : ETYPE_IPV4, c < 2 ? IPPROTO_TCP : IPPROTO_UDP,
			  2000, -1);
		n += cut_at_boundaries(&s, out + n);
	}
	return n;
}

/* ---------------------------------------------------------- comparison --- */

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
	printf("%-10s", label);
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

/* The field at @off of the frame @p, for messages. */
static const char *field_at(const uint8_t *p, size_t len, size_t off)
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

/* The first difference between @got and @want, as "FIELD is X, expected Y". */
static void describe_difference(const struct result *got, const struct result *want,
				char *why, size_t why_len)
{
	const char *field;
	size_t i, at;

	for (i = 0; i < got->len && got->p[i] == want->p[i]; i++)
		;
	at = i & ~(size_t)1;
	if (at + 2 > got->len) {
		snprintf(why, why_len, "byte %zu differs", i);
		return;
	}
	field = field_at(want->p, want->len, i);
	if (strstr(field, " port"))
		snprintf(why, why_len, "%s is %u, expected %u", field, get16(got->p + at),
			 get16(want->p + at));
	else
		snprintf(why, why_len, "%s is 0x%04x, expected 0x%04x (byte %zu)", field,
			 get16(got->p + at), get16(want->p + at), at);
}

static const char *verdict_name(bool tc, int verdict)
{
	if (!tc)
		return xdp_action_name(verdict);
	return verdict == TC_ACT_OK ? "TC_ACT_OK" : verdict == TC_ACT_SHOT ? "TC_ACT_SHOT" :
	       "another TC_ACT_*";
}

/* Compare the program's output with the reference's; a line in @why. */
static bool agrees(bool tc, const struct frame *in, const struct result *got,
		   const struct result *want, char *why, size_t why_len)
{
	bool unchanged = got->len == in->len && !memcmp(got->p, in->p, in->len);
	size_t used;

	if (got->verdict != want->verdict) {
		snprintf(why, why_len, "verdict %s, expected %s", verdict_name(tc, got->verdict),
			 verdict_name(tc, want->verdict));
		return false;
	}
	if (got->len == want->len && !memcmp(got->p, want->p, got->len))
		return !checksums_valid(in->p, in->len, why, why_len) ||
		       checksums_valid(got->p, got->len, why, why_len);

	snprintf(why, why_len, "%s", unchanged ? "came out unchanged; " : "");
	used = strlen(why);
	if (got->len != want->len)
		snprintf(why + used, why_len - used, "%zu bytes came out, expected %zu%s",
			 got->len, want->len,
			 want->len == in->len + 4 ? " (a tag pushed)" :
			 want->len + 4 == in->len ? " (a tag removed)" : "");
	else
		describe_difference(got, want, why + used, why_len - used);
	return false;
}

/* ------------------------------------------------------------- running --- */

static int run_prog(int fd, const struct frame *f, struct result *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = f->p, .data_size_in = f->len,
		    .data_out = r->p, .data_size_out = sizeof(r->p));

	if (bpf_prog_test_run_opts(fd, &opts))
		return -errno;
	r->verdict = opts.retval;
	r->len = opts.data_size_out;
	return 0;
}

struct run {
	int fd;
	const struct reference *ref;
	int only_tagged;	/* -1 all, 0 untagged only, 1 tagged only */
	bool list;
	bool verbose;
	const char *specs[SPECS_MAX];
	int nspecs;
	uint64_t seed;
	unsigned long count;
	unsigned long done;
	unsigned long refused;	/* frames a tc test run does not take */
};

static bool wanted(const struct run *run, const struct frame *f)
{
	return run->only_tagged < 0 || run->only_tagged == is_tagged(f->p, f->len);
}

/* 0 agree, 1 disagree (reported), 2 the test run failed (reported). */
static int try_frame(struct run *run, const struct frame *f, bool report_ok)
{
	static struct result got, want;
	char why[DESC_MAX];
	int err;

	if (!wanted(run, f))
		return 0;
	err = run_prog(run->fd, f, &got);
	if (err == -EINVAL && run->ref->tc) {
		/* An skb test run wants the whole IP header when the
		 * EtherType says IP: such a frame never reaches tc. */
		run->refused++;
		if (report_ok)
			printf("skip %s: a tc test run refuses it\n", f->desc);
		return 0;
	}
	if (err) {
		pr_err("BPF_PROG_TEST_RUN failed on %s: %s", f->desc, strerror(-err));
		return 2;
	}
	run->done++;
	run->ref->ref(f->p, f->len, &want);
	if (agrees(run->ref->tc, f, &got, &want, why, sizeof(why))) {
		if (report_ok)
			printf("ok %s\n", f->desc);
		return 0;
	}
	printf("FAIL %s: %s\n", f->desc, why);
	print_hex("in:", f->p, f->len);
	print_hex("got:", got.p, got.len);
	print_hex("expected:", want.p, want.len);
	printf("seed:     %llu (fuzz_rewrite -s %llu reproduces it)\n",
	       (unsigned long long)run->seed, (unsigned long long)run->seed);
	return 1;
}

static int fuzz(struct run *run)
{
	static struct frame edges[EDGE_MAX], f;
	int n, ret = 0;

	rng_state = 0x9e3779b97f4a7c15ULL;	/* edge cases: always the same frames */
	n = edge_frames(edges);
	for (int i = 0; i < n && (ret == 0 || run->list); i++) {
		int r = try_frame(run, &edges[i], run->list);

		ret = ret ? ret : r;
	}
	rng_state = run->seed ? run->seed : 1;
	for (unsigned long i = 0; i < run->count && !ret; i++) {
		random_frame(&f);
		ret = try_frame(run, &f, false);
	}
	return ret;
}

/* The frames -p gives, each reported; 0 all agree, 1 not, 2 trouble. */
static int run_specs(struct run *run)
{
	static struct frame f;
	int len, ret = 0, r;

	for (int i = 0; i < run->nspecs; i++) {
		len = build_packet(run->specs[i], f.p);
		if (len < 0) {
			pr_err("bad packet spec '%s' (see tests/lib/packets.h)", run->specs[i]);
			return 2;
		}
		f.len = len;
		snprintf(f.desc, sizeof(f.desc), "%s", run->specs[i]);
		r = try_frame(run, &f, true);
		if (r == 2)
			return 2;
		ret |= r;
	}
	return ret;
}

/* -------------------------------------------------------------- setup --- */

/* xdp_obj_open() takes XDP programs only; this opens the solution's tc
 * program the same way: only it is loaded (it has no maps to pin). */
static struct bpf_object *tc_obj_open(const char *file, const char *name,
				      struct bpf_program **prog)
{
	struct bpf_object *obj = bpf_object__open_file(file, NULL);
	struct bpf_program *p;

	if (!obj) {
		pr_err("cannot open %s: %s", file, strerror(errno));
		return NULL;
	}
	*prog = bpf_object__find_program_by_name(obj, name);
	if (!*prog || bpf_program__type(*prog) != BPF_PROG_TYPE_SCHED_CLS) {
		pr_err("no program '%s' in %s, or not a tc program", name, file);
		bpf_object__close(obj);
		return NULL;
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == *prog);
	return obj;
}

/* Load only the reference's program from FILE, unpinned; its fd in *fd. */
static struct bpf_object *load_prog(const char *file, const struct reference *ref, int *fd)
{
	struct bpf_program *prog;
	struct bpf_object *obj;

	if (ref->tc)
		obj = tc_obj_open(file, ref->prog, &prog);
	else
		obj = xdp_obj_open(file, ref->prog, false, &prog);
	if (!obj)
		return NULL;
	if (load_bpf_object(obj)) {
		bpf_object__close(obj);
		return NULL;
	}
	*fd = bpf_program__fd(prog);
	return obj;
}

static int usage(const char *why)
{
	if (why)
		fprintf(stderr, "fuzz_rewrite: %s (see fuzz_rewrite --help)\n", why);
	else
		printf("Usage: fuzz_rewrite OBJ PROG [-n COUNT] [-s SEED] [-t tagged|untagged] [-l] [-v]\n"
		       "       fuzz_rewrite OBJ PROG -p SPEC... [-v]\n"
		       "PROG: xdp_port_rewrite_func, xdp_vlan_swap_func, tc_port_restore_func\n"
		       "or xdp_swap_func; exit 0 all agree, 1 a disagreement, 2 trouble\n");
	return why ? 2 : 0;
}

static int parse_args(int argc, char **argv, struct run *run)
{
	static const struct option longopts[] = { { "help", no_argument, NULL, 'h' }, { } };
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "n:s:t:lp:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			errno = 0;
			run->count = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-')
				return usage("-n needs a count");
			break;
		case 's':
			errno = 0;
			run->seed = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-')
				return usage("-s needs a decimal seed");
			break;
		case 't':
			if (strcmp(optarg, "tagged") && strcmp(optarg, "untagged"))
				return usage("-t takes tagged or untagged");
			run->only_tagged = !strcmp(optarg, "tagged");
			break;
		case 'l': run->list = true; break;
		case 'v': run->verbose = true; break;
		case 'p':
			if (run->nspecs == SPECS_MAX)
				return usage("too many -p specs");
			run->specs[run->nspecs++] = optarg;
			break;
		case 'h': usage(NULL); return -1;
		default: return 2;
		}
	}
	if (argc - optind != 2)
		return usage("needs an object file and a program name");
	for (size_t i = 0; i < sizeof(references) / sizeof(references[0]); i++)
		if (!strcmp(argv[optind + 1], references[i].prog))
			run->ref = &references[i];
	if (!run->ref)
		return usage("no reference for that program");
	return 0;
}

int main(int argc, char **argv)
{
	struct run run = { .only_tagged = -1, .count = 100000 };
	struct bpf_object *obj;
	struct timespec t0, t1;
	int ret;

	tool_name = "fuzz_rewrite";
	run.seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	ret = parse_args(argc, argv, &run);
	if (ret)
		return ret < 0 ? 0 : ret;
	logging_init(&(struct config){ .verbose = run.verbose });
	obj = load_prog(argv[optind], run.ref, &run.fd);
	if (!obj)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = run.nspecs ? run_specs(&run) : fuzz(&run);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!ret && !run.nspecs)
		printf("ok: %lu frames agree (seed %llu, %.2f s%s)\n", run.done,
		       (unsigned long long)run.seed,
		       t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9,
		       run.refused ? "; short IP frames a tc test run refuses left out" : "");
	bpf_object__close(obj);
	return ret;
}
