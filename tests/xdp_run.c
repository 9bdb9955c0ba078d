// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_run: run one XDP program on one test frame through BPF_PROG_TEST_RUN
 * and print what came out, so the checks can assert on verdicts, bytes and
 * map contents without any network:
 *
 *   $ xdp_run xdp_prog_kern.o xdp_drop_func -p ipv6,icmp6
 *   verdict: XDP_DROP
 *   in:  0200000000010200...
 *   out: 0200000000010200...
 *
 * -n N runs the program N times (the maps then count N packets); -m MAP
 * prints the map's entries afterwards, one line per key (and per CPU for
 * per-CPU maps), each field named as in the object's BTF:
 *
 *   map=xdp_stats_map key=2 cpu=0 rx_packets=1 rx_bytes=62
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "lib/packets.h"

#define MAX_MAPS 8

/* Report on stderr and give the exit code: return fail("...", ...); */
#define fail(...) (pr_err(__VA_ARGS__), 1)


static void print_hex(const char *label, const unsigned char *p, size_t len)
{
	printf("%s", label);
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

/* An integer of @size (1, 2, 4 or 8) bytes at @p, signed or not. */
static void print_int(const char *name, const unsigned char *p, size_t size, bool is_signed)
{
	__u8 u8;
	__u16 u16;
	__u32 u32;
	__u64 u64 = 0;
	long long s = 0;

	switch (size) {
	case 1: memcpy(&u8, p, 1); u64 = u8; s = (__s8)u8; break;
	case 2: memcpy(&u16, p, 2); u64 = u16; s = (__s16)u16; break;
	case 4: memcpy(&u32, p, 4); u64 = u32; s = (__s32)u32; break;
	case 8: memcpy(&u64, p, 8); s = (__s64)u64; break;
	}
	if (is_signed)
		printf(" %s=%lld", name, s);
	else
		printf(" %s=%llu", name, (unsigned long long)u64);
}

static void print_hex_field(const char *name, const unsigned char *p, size_t size)
{
	printf(" %s=0x", name);
	for (size_t i = 0; i < size; i++)
		printf("%02x", p[i]);
}

/* The BTF type @id is, with typedefs and qualifiers looked through. */
static const struct btf_type *resolved_type(const struct btf *btf, __u32 id)
{
	int resolved = btf__resolve_type(btf, id);

	return resolved < 0 ? NULL : btf__type_by_id(btf, resolved);
}

/* A whole-byte integer of 1, 2, 4 or 8 bytes, which print_int() can print. */
static bool printable_int(const struct btf_type *t, __u32 bit_offset, __u32 bitfield_size)
{
	return t && btf_is_int(t) && !(bit_offset % 8) && !bitfield_size &&
	       btf_int_offset(t) == 0 && btf_int_bits(t) == t->size * 8 &&
	       (t->size == 1 || t->size == 2 || t->size == 4 || t->size == 8);
}

/*
 * One value as NAME=V fields: each member of a struct by its BTF name
 * (integers in decimal, anything else in hex), an integer as value=V,
 * anything else (or no BTF) as value=0xHEX.
 */
static void print_fields(const struct btf *btf, __u32 type_id, const unsigned char *v,
			 size_t size)
{
	const struct btf_type *t = btf && type_id ? resolved_type(btf, type_id) : NULL;

	if (t && btf_is_struct(t)) {
		const struct btf_member *m = btf_members(t);

		for (int i = 0; i < btf_vlen(t); i++, m++) {
			const struct btf_type *mt = resolved_type(btf, m->type);
			__u32 off = btf_member_bit_offset(t, i);
			__s64 msize = btf__resolve_size(btf, m->type);
			const char *name = btf__name_by_offset(btf, m->name_off);

			if (printable_int(mt, off, btf_member_bitfield_size(t, i)))
				print_int(name, v + off / 8, mt->size,
					  btf_int_encoding(mt) & BTF_INT_SIGNED);
			else if (msize > 0 && off % 8 == 0 && off / 8 + (size_t)msize <= size)
				print_hex_field(name, v + off / 8, msize);
		}
	} else if (printable_int(t, 0, 0)) {
		print_int("value", v, t->size, btf_int_encoding(t) & BTF_INT_SIGNED);
	} else {
		print_hex_field("value", v, size);
	}
}

/* The key: key=K for a 4-byte key (an array's, or an action), else key=0xHEX. */
static void print_key(const unsigned char *key, size_t size)
{
	__u32 k;

	if (size == sizeof(k)) {
		memcpy(&k, key, sizeof(k));
		printf(" key=%u", k);
	} else {
		print_hex_field("key", key, size);
	}
}

/*
 * Print every entry of map @name, one line per key (and per CPU for a
 * per-CPU map), in the format the test scripts read:
 *
 *   map=xdp_stats_map key=2 cpu=0 rx_packets=7 rx_bytes=1400
 */
static int dump_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	const struct btf *btf = bpf_object__btf(obj);
	unsigned char key[64], next[64], *values;
	size_t key_size, value_size, slot, nvals;
	bool percpu;
	int fd;

	if (!map)
		return fail("no map '%s' in the object", name);
	key_size = bpf_map__key_size(map);
	value_size = bpf_map__value_size(map);
	if (key_size > sizeof(key))
		return fail("map '%s': key too large", name);
	percpu = bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY ||
		 bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_HASH;
	/* The kernel copies each CPU's value out in an 8-byte aligned slot. */
	slot = percpu ? (value_size + 7) / 8 * 8 : value_size;
	nvals = percpu ? libbpf_num_possible_cpus() : 1;
	values = calloc(nvals, slot);
	if (!values)
		return fail("out of memory");
	fd = bpf_map__fd(map);
	for (int err = bpf_map_get_next_key(fd, NULL, next); !err;
	     err = bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, key_size);
		if (bpf_map_lookup_elem(fd, key, values))
			continue;
		for (size_t c = 0; c < nvals; c++) {
			printf("map=%s", name);
			print_key(key, key_size);
			if (percpu)
				printf(" cpu=%zu", c);
			print_fields(btf, bpf_map__btf_value_type_id(map), values + c * slot,
				     value_size);
			putchar('\n');
		}
	}
	free(values);
	return 0;
}

static int usage(FILE *to, int code)
{
	fprintf(to, "Usage: xdp_run [-v] OBJ PROG [-p SPEC] [-n REPEAT] [-m MAP]...\n"
		"  -p SPEC    the test frame (tests/lib/packets.h; default ipv6,icmp6)\n"
		"  -n REPEAT  run it REPEAT times (1 to 2^30)\n"
		"  -m MAP     print MAP's entries afterwards (up to %d maps)\n"
		"  -v         the libraries' messages and the whole verifier log\n",
		MAX_MAPS);
	return code;
}

int main(int argc, char **argv)
{
	static const struct option long_options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "verbose", no_argument, NULL, 'v' },
		{}
	};
	const char *spec = "ipv6,icmp6", *maps[MAX_MAPS];
	unsigned char in[PKT_MAX], out[PKT_MAX + 256];
	int nmaps = 0, repeat = 1, len, c, err;
	struct config cfg = {};
	struct bpf_program *prog;
	struct bpf_object *obj;

	tool_name = "xdp_run";
	while ((c = getopt_long(argc, argv, "p:n:m:vh", long_options, NULL)) != -1) {
		switch (c) {
		case 'p': spec = optarg; break;
		case 'n': repeat = parse_u32_arg("the repeat count (-n)", optarg, 1, 1 << 30); break;
		case 'm':
			if (nmaps == MAX_MAPS)
				usage_error("at most %d maps (-m)", MAX_MAPS);
			maps[nmaps++] = optarg;
			break;
		case 'v': cfg.verbose = true; break;
		case 'h': return usage(stdout, 0);
		default: return usage(stderr, 2);
		}
	}
	logging_init(&cfg);
	if (argc - optind != 2)
		return usage(stderr, 2);
	len = build_packet(spec, in);
	if (len < 0)
		return fail("bad packet spec '%s'", spec);

	/* Only this program is loaded, so a broken sibling does not stop it
	 * from being tested; maps start empty and are never pinned. */
	obj = xdp_obj_open(argv[optind], argv[optind + 1], false, &prog);
	if (!obj || load_bpf_object(obj))
		return 1;

	DECLARE_LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = in, .data_size_in = len,
			    .data_out = out, .data_size_out = sizeof(out), .repeat = repeat);
	err = bpf_prog_test_run_opts(bpf_program__fd(prog), &opts);
	if (err && len < ETH_HLEN)
		return fail("test run failed: the kernel refuses frames shorter than %d bytes", ETH_HLEN);
	if (err)
		return fail("test run failed: %s", strerror(errno));
	printf("verdict: %s\n", xdp_action_name(opts.retval));
	print_hex("in:  ", in, len);
	print_hex("out: ", out, opts.data_size_out);
	for (int i = 0; i < nmaps; i++)
		if (dump_map(obj, maps[i]))
			return 1;
	bpf_object__close(obj);
	return 0;
}
