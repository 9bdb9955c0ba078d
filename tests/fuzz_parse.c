// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_parse: differential fuzzing of packet01-parsing's xdp_parser_func.
 *
 * Every frame goes through the BPF program (BPF_PROG_TEST_RUN, one program
 * fd, a loop in C) and through reference_verdict() below, a parser written
 * for this test from the lesson's contract (README.org), in plain byte
 * offsets, sharing no code with common/parsing_helpers.h. The verdicts must
 * agree on every frame, and the program must not change the frame.
 *
 *   $ fuzz_parse [-s SEED] [-n COUNT] OBJ [PROG]
 *   fuzz_parse: seed 1234, 100000 frames in 0.41 s: all verdicts agree (61234 XDP_PASS, 38766 XDP_DROP)
 *
 * The frames: random specs for tests/lib/packets.c (0-3 VLAN tags of both
 * kinds; IPv4 with options, IPv6; ICMP, ICMPv6, UDP, TCP, other protocols;
 * lying IHL, total length, data offset and UDP length fields; cut at a
 * random length), then, for a quarter of them, a few random bytes changed;
 * and one in eight plain random bytes behind a chosen ethertype. The run is
 * reproducible from its seed; a disagreement prints the frame in hex.
 */
#include <errno.h>
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

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "lib/packets.h"

#define MIN_FRAME 14	/* the kernel refuses shorter test frames */

/* ------------------------------------------------- the reference parser */

static unsigned int be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

/*
 * The contract: drop ICMP (in IPv4) and ICMPv6 (in IPv6) echo requests
 * with an even sequence number, and frames whose headers, as far as they
 * are parsed, do not fit in the frame or have impossible length fields;
 * pass everything else. Ethernet is followed through at most two tags
 * (0x8100, 0x88a8); IPv6 extension headers are not followed.
 */
static int reference_verdict(const uint8_t *p, size_t len)
{
	size_t off = 14;
	unsigned int ethertype, proto, hlen, tags;
	bool v6;

	if (len < off)
		return XDP_DROP;
	ethertype = be16(p + 12);
	for (tags = 0; tags < 2 && (ethertype == 0x8100 || ethertype == 0x88a8); tags++) {
		if (len < off + 4)
			return XDP_DROP;
		ethertype = be16(p + off + 2);
		off += 4;
	}
	if (ethertype == 0x86dd) {
		if (len < off + 40)
			return XDP_DROP;
		v6 = true;
		proto = p[off + 6];
		off += 40;
	} else if (ethertype == 0x0800) {
		if (len < off + 20)
			return XDP_DROP;
		v6 = false;
		hlen = (p[off] & 0x0f) * 4;
		if (hlen < 20 || be16(p + off + 2) < hlen || len < off + hlen)
			return XDP_DROP;
		proto = p[off + 9];
		off += hlen;
	} else {
		return XDP_PASS;
	}

	if ((v6 && proto == 58) || (!v6 && proto == 1)) {	/* ICMPv6, ICMP */
		if (len < off + 8)
			return XDP_DROP;
		if (p[off] == (v6 ? 128 : 8) && be16(p + off + 6) % 2 == 0)
			return XDP_DROP;	/* echo request, even sequence */
		return XDP_PASS;
	}
	if (proto == 6) {					/* TCP */
		if (len < off + 20)
			return XDP_DROP;
		hlen = (p[off + 12] >> 4) * 4;
		return hlen < 20 || len < off + hlen ? XDP_DROP : XDP_PASS;
	}
	if (proto == 17)					/* UDP */
		return len < off + 8 || be16(p + off + 4) < 8 ? XDP_DROP : XDP_PASS;
	return XDP_PASS;
}

/* ------------------------------------------------------- the frames */

static uint64_t rng_state;

static uint64_t rng(void)	/* splitmix64 */
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned int below(unsigned int n)	/* 0 .. n-1 */
{
	return rng() % n;
}

static bool one_in(unsigned int n)
{
	return below(n) == 0;
}

#define SPEC_MAX 256

/* Append ",word" (or ",word=value") to the spec. */
static void __attribute__((format(printf, 2, 3))) add(char *spec, const char *fmt, ...)
{
	size_t used = strlen(spec);
	va_list ap;

	if (used + 1 >= SPEC_MAX)
		return;
	spec[used++] = ',';
	va_start(ap, fmt);
	vsnprintf(spec + used, SPEC_MAX - used, fmt, ap);
	va_end(ap);
}

/* Small values near the boundaries, or anything. */
static unsigned int edge_value(unsigned int max)
{
	return one_in(2) ? below(max < 24 ? max + 1 : 24) : below(max + 1);
}

static void random_l4(char *spec, bool v6)
{
	switch (below(6)) {
	case 0:
	case 1:
		add(spec, "%s", v6 ? "icmp6" : "icmp");
		if (one_in(3))
			add(spec, "type=%u", one_in(2) ? (v6 ? 129 : 0) : below(256));
		add(spec, "seq=%u", one_in(2) ? below(8) : below(65536));
		break;
	case 2:
		add(spec, "udp");
		if (one_in(4))
			add(spec, "udplen=%u", edge_value(65535));
		break;
	case 3:
		add(spec, "tcp");
		if (one_in(3))
			add(spec, "tcpopt=%u", 4 * below(11));
		if (one_in(4))
			add(spec, "doff=%u", below(16));
		break;
	case 4:
		add(spec, "proto=%u", below(256));
		break;
	}
}

static void random_spec(char *spec)
{
	unsigned int tags = one_in(2) ? 0 : below(4);

	spec[0] = '\0';	/* every word goes in as ",word": skip the first comma */
	for (unsigned int i = 0; i < tags; i++)
		add(spec, "%s", one_in(2) ? "vlan" : "svlan");
	switch (below(5)) {
	case 0:
	case 1:
		add(spec, "ipv6");
		if (one_in(8))
			add(spec, "iplen=%u", edge_value(65535));
		random_l4(spec, true);
		break;
	case 2:
	case 3:
		add(spec, "ipv4");
		if (one_in(3))
			add(spec, "ipopt=%u", 4 * below(11));
		if (one_in(4))
			add(spec, "ihl=%u", below(16));
		if (one_in(4))
			add(spec, "iplen=%u", edge_value(65535));
		random_l4(spec, false);
		break;
	default:
		add(spec, "ethertype=%u", one_in(2) ? 0x8100 : below(65536));
	}
	if (one_in(3))
		add(spec, "len=%u", 60 + below(200));
}

/* One frame into buf; its length. How it was made goes into how. */
static size_t random_frame(unsigned char *buf, char *how)
{
	static const unsigned int ethertypes[] = { 0x0800, 0x86dd, 0x8100, 0x88a8 };
	char spec[SPEC_MAX];
	unsigned int changed = 0;
	int len, built;

	if (one_in(8)) {	/* random bytes behind a chosen ethertype */
		len = MIN_FRAME + below(120);
		for (int i = 0; i < len; i++)
			buf[i] = rng();
		if (!one_in(4)) {
			unsigned int type = ethertypes[below(4)];

			buf[12] = type >> 8;
			buf[13] = type & 0xff;
		}
		snprintf(how, SPEC_MAX * 2, "random bytes");
		return len;
	}
	do {
		random_spec(spec);
		built = len = build_packet(spec + 1, buf);	/* skip the first comma */
	} while (len < MIN_FRAME);
	if (one_in(3))		/* cut it anywhere */
		len = MIN_FRAME + below(len - MIN_FRAME + 1);
	if (one_in(4))		/* and change a few bytes */
		changed = 1 + below(3);
	for (unsigned int i = 0; i < changed; i++)
		buf[below(len)] = rng();
	snprintf(how, SPEC_MAX * 2, "spec %s%s%s", spec + 1,
		 len < built ? ", cut" : "", changed ? ", bytes changed" : "");
	return len;
}

/* ------------------------------------------------------------ the run */

static void print_frame(const char *label, const unsigned char *p, size_t len)
{
	fprintf(stderr, "%s", label);
	for (size_t i = 0; i < len; i++)
		fprintf(stderr, "%02x", p[i]);
	fputc('\n', stderr);
}

static int usage(FILE *to, int code)
{
	fprintf(to, "Usage: fuzz_parse [-v] [-s SEED] [-n COUNT] OBJ [PROG]\n"
		"  OBJ PROG   the packet01 parser (default PROG: xdp_parser_func)\n"
		"  -s SEED    reproduce a run (default: from the clock; printed)\n"
		"  -n COUNT   frames to try (default 100000)\n"
		"  -v         the libraries' messages and the whole verifier log\n");
	return code;
}

int main(int argc, char **argv)
{
	unsigned char in[PKT_MAX], out[PKT_MAX + 256];
	unsigned long counts[XDP_REDIRECT + 1] = {};
	const char *prog_name = "xdp_parser_func";
	struct config cfg = {};
	struct bpf_program *prog;
	struct bpf_object *obj;
	char how[SPEC_MAX * 2];
	__u32 count = 100000, seed = time(NULL);
	int c, fd, err = EXIT_FAIL;
	double start;

	tool_name = "fuzz_parse";
	while ((c = getopt(argc, argv, "s:n:vh")) != -1) {
		switch (c) {
		case 's': seed = parse_u32_arg("-s", optarg, 0, UINT32_MAX); break;
		case 'n': count = parse_u32_arg("-n", optarg, 1, 100000000); break;
		case 'v': cfg.verbose = true; break;
		case 'h': return usage(stdout, EXIT_OK);
		default: return usage(stderr, EXIT_FAIL_OPTION);
		}
	}
	if (argc - optind < 1 || argc - optind > 2)
		return usage(stderr, EXIT_FAIL_OPTION);
	if (argc - optind == 2)
		prog_name = argv[optind + 1];
	logging_init(&cfg);

	obj = xdp_obj_open(argv[optind], prog_name, false, &prog);
	if (!obj)
		return EXIT_FAIL;
	if (load_bpf_object(obj))
		goto cleanup;
	fd = bpf_program__fd(prog);

	rng_state = seed;
	start = monotonic_seconds();
	for (__u32 i = 0; i < count; i++) {
		size_t len = random_frame(in, how);
		int want = reference_verdict(in, len);
		DECLARE_LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len,
				    .data_out = out, .data_size_out = sizeof(out));

		if (bpf_prog_test_run_opts(fd, &opts)) {
			pr_err("test run %u failed: %s (seed %u)", i, strerror(errno), seed);
			goto cleanup;
		}
		if (opts.retval != (__u32)want || opts.data_size_out != len ||
		    memcmp(in, out, len)) {
			fprintf(stderr, "fuzz_parse: frame %u of seed %u (%s; %zu bytes): %s gave %s, "
				"the reference %s%s\n", i, seed, how, len, prog_name, xdp_action_name(opts.retval), xdp_action_name(want),
				opts.retval == (__u32)want ? ", and it changed the frame" : "");
			print_frame("frame: ", in, len);
			goto cleanup;
		}
		counts[want]++;
	}
	printf("fuzz_parse: seed %u, %u frames in %.2f s: all verdicts agree "
	       "(%lu XDP_PASS, %lu XDP_DROP)\n", seed, count, monotonic_seconds() - start,
	       counts[XDP_PASS], counts[XDP_DROP]);
	err = EXIT_OK;
cleanup:
	bpf_object__close(obj);
	return err;
}
