/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames for tests/fuzz_rewrite: seeded random ones (0-2 VLAN tags of
 * both kinds, IPv4 with options and fragments, IPv6, TCP with options,
 * UDP with and without a checksum, ICMP, ARP; checksums steered to the
 * values where updates go wrong; 3 in 10 then broken by a mutation) and a
 * fixed set of edge cases. Each has a short description for messages.
 */
#ifndef TESTS_FUZZ_FRAMES_H
#define TESTS_FUZZ_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "packets.h"

#define ETH_MIN     14	/* the shortest frame BPF_PROG_TEST_RUN takes */
#define DESC_MAX    160
#define EDGE_MAX    128

struct frame {
	uint8_t p[PKT_MAX];
	size_t len;
	char desc[DESC_MAX];
};

/* Where random_frame() starts: the same seed, the same frames. */
void frames_seed(uint64_t seed);
void random_frame(struct frame *f);
/* The edge cases, always the same, into @out (EDGE_MAX); their number. */
int edge_frames(struct frame *out);

#endif
