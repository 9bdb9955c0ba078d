// SPDX-License-Identifier: GPL-2.0
/*
 * What is measured: the programs, each loaded on its own from its object
 * through common/'s one load path (only that program, maps unpinned), its
 * --set globals written first; the packets each one runs on; a perf
 * buffer on any perf event map, so that the program's output happens.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "bench.h"

#define PERF_PAGES	2048	/* 8 MiB a CPU for a program's perf records */
#define PERF_RECORD_MAX(pkt)	((pkt)->len + 64)	/* header and metadata too */

struct prog progs[MAX_PROGS];
int n_progs;
struct prog *bench_pass, *bench_drop, *generator;

static struct packet packets[MAX_PACKETS];
static int n_packets;
/* What --packet, --set and --force-xdp apply to: the last --prog, or
 * before any, the defaults (its packets are for every program without). */
static struct prog defaults, *described = &defaults;

struct packet *packet_for(const char *spec)
{
	struct packet *pkt = &packets[n_packets];

	for (int i = 0; i < n_packets; i++)
		if (!strcmp(packets[i].spec, spec))
			return &packets[i];
	if (n_packets == MAX_PACKETS)
		usage_error("too many different packets (at most %d)", MAX_PACKETS);
	pkt->len = build_packet(spec, pkt->data);
	if (pkt->len < 0)
		usage_error("bad packet spec '%s' (see tests/lib/packets.h)", spec);
	pkt->spec = spec;
	n_packets++;
	return pkt;
}

static struct prog *new_prog(const char *file, int file_len, const char *name)
{
	struct prog *p = &progs[n_progs];

	if (n_progs++ == MAX_PROGS)
		usage_error("too many programs (at most %d)", MAX_PROGS);
	p->file = strndup(file, file_len);
	p->name = name;
	return p;
}

/* --prog FILE.o[:NAME] */
void add_prog_arg(const char *spec)
{
	const char *colon = strrchr(spec, ':');

	if (colon && (colon == spec || !colon[1]))
		usage_error("--prog takes FILE.o or FILE.o:NAME, not '%s'", spec);
	described = colon ? new_prog(spec, colon - spec, colon + 1) :
			    new_prog(spec, strlen(spec), NULL);
}

void add_packet_arg(const char *spec)
{
	if (described->n_packets == MAX_PROG_PACKETS)
		usage_error("too many --packet options for one program (at most %d)",
			    MAX_PROG_PACKETS);
	described->packets[described->n_packets++] = packet_for(spec);
}

static struct prog *described_prog(const char *option)
{
	if (described == &defaults)
		usage_error("%s goes after the --prog it is for", option);
	return described;
}

/* --set VAR=VALUE */
void add_set_arg(const char *setting)
{
	struct prog *p = described_prog("--set");
	const char *eq = strchr(setting, '=');

	if (!eq || eq == setting)
		usage_error("--set takes VAR=VALUE, not '%s'", setting);
	if (p->n_sets == MAX_SETS)
		usage_error("too many --set options for one program (at most %d)", MAX_SETS);
	p->sets[p->n_sets].name = strndup(setting, eq - setting);
	p->sets[p->n_sets++].value = parse_u32_arg("--set's VALUE", eq + 1, 0, UINT32_MAX);
}

void force_xdp_arg(void)
{
	described_prog("--force-xdp")->force_xdp = true;
}

/* Set a const volatile global of @obj before it is loaded: find it in the
 * BTF of .rodata, then patch that section's initial value. */
static int set_global(struct bpf_object *obj, const char *name, __u64 value)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, ".rodata");
	struct btf *btf = bpf_object__btf(obj);
	int id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -1;
	const struct btf_type *sec = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_var_secinfo *var = sec ? btf_var_secinfos(sec) : NULL;
	size_t size = 0;
	const void *initial = map ? bpf_map__initial_value(map, &size) : NULL;
	unsigned char data[4096];

	for (int i = 0; initial && i < btf_vlen(sec); i++, var++) {
		if (strcmp(btf__name_by_offset(btf, btf__type_by_id(btf, var->type)->name_off), name))
			continue;
		if (size > sizeof(data) || var->size > 8 || var->offset + var->size > size)
			return -E2BIG;
		memcpy(data, initial, size);
		for (__u32 b = 0; b < var->size; b++)	/* in this machine's byte order */
			data[var->offset + b] = value >> 8 *
				(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? b : var->size - 1 - b);
		return bpf_map__set_initial_value(map, data, size);
	}
	return -ENOENT;
}

static void count_record(void *ctx, int cpu, void *data, __u32 size)
{
	((struct prog *)ctx)->perf_records++;
}

static void count_lost(void *ctx, int cpu, __u64 lost)
{
	((struct prog *)ctx)->perf_lost += lost;
}

/* bpf_perf_event_output() writes only where a perf buffer listens. */
static int open_perf_buffer(struct prog *p)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, p->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		p->perf = perf_buffer__new(bpf_map__fd(map), PERF_PAGES, count_record,
					   count_lost, p, NULL);
		return p->perf ? 0 : failed(-errno, "opening a perf buffer for %s", p->label);
	}
	return 0;
}

void drain_perf(struct prog *p)
{
	if (p->perf)
		perf_buffer__consume(p->perf);
}

/* Packets per call whose records fit in the ring: no sample loses any. */
__u32 batch_limit(const struct prog *p, const struct packet *pkt)
{
	return p->perf ? PERF_PAGES * 4096L / PERF_RECORD_MAX(pkt) : UINT32_MAX;
}

static int load_prog(struct prog *p)
{
	struct bpf_program *bp;
	int err = 0;

	p->obj = xdp_obj_open(p->file, p->name, p->force_xdp, &bp);
	if (!p->obj)
		return -EINVAL;
	snprintf(p->label, sizeof(p->label), "%s:%s", p->file, bpf_program__name(bp));
	for (int i = 0; i < p->n_sets && !err; i++) {
		size_t len = strlen(p->label);

		err = set_global(p->obj, p->sets[i].name, p->sets[i].value);
		if (err)
			pr_err("%s has no const volatile global '%s' for --set", p->file,
			       p->sets[i].name);
		snprintf(p->label + len, sizeof(p->label) - len, ",%s=%u", p->sets[i].name,
			 p->sets[i].value);
	}
	err = err ?: load_bpf_object(p->obj);
	if (err)
		return err;
	p->fd = bpf_program__fd(bp);
	if (!p->n_packets) {
		memcpy(p->packets, defaults.packets, sizeof(p->packets));
		p->n_packets = defaults.n_packets;
	}
	return open_perf_buffer(p);
}

/* Ours, from bench_kern.o beside this tool: the yardsticks head each
 * table; the generator is in none. */
void add_bench_programs(const char *argv0)
{
	static struct prog generator_prog = { .name = "bench_tx" };
	static char path[PATH_MAX];
	char *dir = strdup(argv0);

	snprintf(path, sizeof(path), "%s/bench_kern.o", dir ? dirname(dir) : ".");
	free(dir);
	generator = &generator_prog;
	generator->file = path;
	bench_pass = new_prog(path, strlen(path), "bench_pass");
	bench_drop = new_prog(path, strlen(path), "bench_drop");
	new_prog(path, strlen(path), "bench_heavy");
}

int load_programs(void)
{
	int err = 0;

	if (!defaults.n_packets)	/* what testenv's ping sends */
		defaults.packets[defaults.n_packets++] = packet_for("ipv6,icmp6");
	for (int i = 0; i < n_progs && !err; i++)
		err = stop_requested ? -EINTR : load_prog(&progs[i]);
	return err ?: opt.live ? load_prog(generator) : 0;
}

void close_programs(void)
{
	for (int i = 0; i < n_progs; i++) {
		perf_buffer__free(progs[i].perf);
		bpf_object__close(progs[i].obj);
	}
	bpf_object__close(generator->obj);
}

/* --list FILE.o: FILE.o:NAME for each XDP program in it that loads, for
 * run.sh; one that does not is left out with its one-line reason. */
int list_programs(const char *file)
{
	struct bpf_program *p;
	struct bpf_object *obj;
	char msg[128];

	logging_silence();	/* its one line below says it */
	obj = bpf_object__open_file(file, NULL);
	logging_restore();
	if (!obj) {
		libbpf_strerror(-errno, msg, sizeof(msg));
		pr_err("cannot read %s: %s", file, msg);
		return -ENOENT;
	}
	bpf_object__for_each_program(p, obj) {
		struct prog one = { .file = file, .name = bpf_program__name(p) };

		if (bpf_program__type(p) != BPF_PROG_TYPE_XDP ||
		    bpf_program__expected_attach_type(p) != BPF_XDP)
			continue;
		if (!load_prog(&one))
			printf("%s\n", one.label);
		perf_buffer__free(one.perf);
		bpf_object__close(one.obj);
	}
	bpf_object__close(obj);
	return 0;
}
