// SPDX-License-Identifier: GPL-2.0
/* Random, mutated and edge-case frames; see fuzz_frames.h. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "fuzz_frames.h"
#include "rewrite_ref.h"

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

static uint64_t rng_state;

static uint32_t rnd(void)	/* xorshift64* */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (rng_state * 0x2545f4914f6cdd1dULL) >> 32;
}

static uint32_t rnd_below(uint32_t n) { return rnd() % n; }

void frames_seed(uint64_t seed)
{
	rng_state = seed ? seed : 1;	/* xorshift stays at 0 from 0 */
}

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

void random_frame(struct frame *f)
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
int edge_frames(struct frame *out)
{
	static const int checks[] = { -1, 0x0000, 0xfffe, 0x00ff, 0xff00, 0x0001 };
	int n = 0, l3s[] = { ETYPE_IPV4, ETYPE_IPV6 }, l4s[] = { IPPROTO_TCP, IPPROTO_UDP };
	struct frame_spec s;

	frames_seed(0x9e3779b97f4a7c15ULL);	/* their random bytes too: always the same */

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
