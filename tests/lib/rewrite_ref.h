/* SPDX-License-Identifier: GPL-2.0 */
/*
 * packet02's reference rewrites and the checksum oracle, for
 * tests/fuzz_rewrite. Written from the RFCs and from the rules
 * common/parsing_helpers.h documents, byte by byte on the frame, sharing no
 * code with the BPF programs they judge.
 */
#ifndef TESTS_REWRITE_REF_H
#define TESTS_REWRITE_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packets.h"

#define TPID_8021Q  0x8100
#define TPID_8021AD 0x88a8
#define ETYPE_IPV4  0x0800
#define ETYPE_IPV6  0x86dd
#define ETYPE_ARP   0x0806
#define PUSHED_TCI  1		/* the tag xdp_vlan_swap_func pushes: VLAN 1 */

static inline uint16_t get16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static inline void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }

/* One's complement sums (RFC 1071), on big-endian 16-bit words. */
uint32_t sum_bytes(uint32_t sum, const uint8_t *p, size_t len);
uint16_t oc_fold(uint32_t sum);
uint16_t oc_add(uint16_t a, uint16_t b);

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

void locate(const uint8_t *p, size_t len, struct layout *lo);
bool is_tagged(const uint8_t *p, size_t len);
/* The field at @off of the frame @p ("TCP checksum", ...), for messages. */
const char *field_at(const uint8_t *p, size_t len, size_t off);

/* The pseudo-header sum of TCP, UDP and ICMPv6 (RFC 793, 768, 8200). */
uint32_t pseudo_sum(const uint8_t *p, const struct layout *lo, size_t l4_len);
/* Every checksum in the frame recomputed: true if all are right, else
 * false with a line saying which is wrong in @why. */
bool checksums_valid(const uint8_t *p, size_t len, char *why, size_t why_len);

struct result {
	int verdict;
	uint8_t p[PKT_MAX + 8];
	size_t len;
};

struct reference {
	const char *prog;
	void (*ref)(const uint8_t *in, size_t len, struct result *r);
	bool tc;		/* a tc program: verdicts are TC_ACT_* */
};

/* The reference for the program named @prog, or NULL. */
const struct reference *find_reference(const char *prog);

#endif
