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
 * per-CPU maps), values decoded from the object's BTF.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_load.h"
#include "logging.h"
#include "util.h"
#include "xdp_prog.h"
#include "lib/packets.h"

/* Report on stderr and give the exit code: return fail("...", ...); */
#define fail(...) (pr_err(__VA_ARGS__), 1)


static void print_hex(const char *label, const unsigned char *p, size_t len)
{
	printf("%s", label);
	for (size_t i = 0; i < len; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static void print_btf(void *ctx, const char *fmt, va_list args)
{
	vprintf(fmt, args);
}

static void print_value(struct btf_dump *d, __u32 type_id, const void *v, size_t size)
{
	DECLARE_LIBBPF_OPTS(btf_dump_type_data_opts, opts, .compact = true);

	if (d && type_id && btf_dump__dump_type_data(d, type_id, v, size, &opts) >= 0)
		return;
	for (size_t i = 0; i < size; i++)	/* no BTF: raw bytes */
		printf("%02x", ((const unsigned char *)v)[i]);
}

static int dump_map(struct bpf_object *obj, const char *name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, name);
	int ncpus = libbpf_num_possible_cpus();
	unsigned char key[64], next[64], *values;
	struct btf_dump *d = NULL;
	size_t vsize, nvals;
	int fd;
	bool percpu;

	if (!map)
		return fail("no map '%s' in the object", name);
	if (bpf_map__key_size(map) > sizeof(key))
		return fail("map '%s': key too large", name);
	percpu = bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY ||
		 bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_HASH;
	vsize = percpu ? (bpf_map__value_size(map) + 7) / 8 * 8 : bpf_map__value_size(map);
	nvals = percpu ? ncpus : 1;
	values = calloc(nvals, vsize);
	if (bpf_object__btf(obj))
		d = btf_dump__new(bpf_object__btf(obj), print_btf, NULL, NULL);
	fd = bpf_map__fd(map);
	for (int err = bpf_map_get_next_key(fd, NULL, next); !err;
	     err = bpf_map_get_next_key(fd, key, next)) {
		memcpy(key, next, bpf_map__key_size(map));
		if (bpf_map_lookup_elem(fd, key, values))
			continue;
		for (size_t c = 0; c < nvals; c++) {
			printf("map %s key %u", name, *(__u32 *)key);
			if (percpu)
				printf(" cpu %zu", c);
			printf(": ");
			print_value(d, bpf_map__btf_value_type_id(map), values + c * vsize,
				    bpf_map__value_size(map));
			putchar('\n');
		}
	}
	btf_dump__free(d);
	free(values);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "Usage: xdp_run OBJ PROG [-p SPEC] [-n REPEAT] [-m MAP]...\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *spec = "ipv6,icmp6", *maps[8];
	unsigned char in[PKT_MAX], out[PKT_MAX + 256];
	int nmaps = 0, repeat = 1, len, c, err;

	struct config cfg = {};

	tool_name = "xdp_run";
	logging_init(&cfg);
	struct bpf_program *prog;
	struct bpf_object *obj;

	while ((c = getopt(argc, argv, "p:n:m:")) != -1) {
		switch (c) {
		case 'p': spec = optarg; break;
		case 'n': repeat = parse_u32_arg("the repeat count (-n)", optarg, 1, 1 << 30); break;
		case 'm':
			if (nmaps < 8)
				maps[nmaps++] = optarg;
			break;
		default: return usage();
		}
	}
	if (argc - optind != 2 || repeat < 1)
		return usage();
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
