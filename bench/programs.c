// SPDX-License-Identifier: GPL-2.0
/*
 * What is measured: the programs, each loaded on its own from its object
 * (only that program, maps unpinned, its --set globals written before the
 * load), and the packets each one runs on.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "bench.h"

#define DEFAULT_PACKET	"ipv6,icmp6"	/* what testenv's ping sends */
#define PERF_PAGES	2048		/* 8 MiB a CPU for a program's perf records */
#define PERF_RECORD_EXTRA 64		/* a record's header and metadata, at most */

struct prog progs[MAX_PROGS];
int n_progs;
struct prog *bench_pass, *bench_drop, *generator;

static struct packet packets[MAX_PACKETS];
static int n_packets;
/* Packets given before any --prog: for programs that name none. */
static struct packet *default_packets[MAX_PROG_PACKETS];
static int n_default_packets;
/* The --prog the last --packet, --set or --force-xdp describes. */
static struct prog *last_arg_prog;

struct packet *packet_for(const char *spec)
{
	struct packet *pkt;

	for (int i = 0; i < n_packets; i++)
		if (!strcmp(packets[i].spec, spec))
			return &packets[i];
	if (n_packets == MAX_PACKETS)
		usage_error("too many different packets (at most %d)", MAX_PACKETS);
	pkt = &packets[n_packets];
	pkt->len = build_packet(spec, pkt->data);
	if (pkt->len < 0)
		usage_error("bad packet spec '%s' (see tests/lib/packets.h)", spec);
	pkt->spec = spec;
	n_packets++;
	return pkt;
}

static struct prog *new_prog(const char *file, const char *name)
{
	struct prog *p;

	if (n_progs == MAX_PROGS)
		usage_error("too many programs (at most %d)", MAX_PROGS);
	p = &progs[n_progs++];
	snprintf(p->file, sizeof(p->file), "%s", file);
	p->name = name;
	return p;
}

/* --prog FILE.o[:NAME]; the options after it describe it. */
void add_prog_arg(const char *spec)
{
	const char *colon = strrchr(spec, ':');
	char file[PATH_MAX];

	if (!colon)
		last_arg_prog = new_prog(spec, NULL);
	else if (colon == spec || !colon[1])
		usage_error("--prog takes FILE.o or FILE.o:NAME, not '%s'", spec);
	else {
		snprintf(file, sizeof(file), "%.*s", (int)(colon - spec), spec);
		last_arg_prog = new_prog(file, colon + 1);
	}
}

void add_packet_arg(const char *spec)
{
	struct packet *pkt = packet_for(spec);

	if (!last_arg_prog) {
		if (n_default_packets == MAX_PROG_PACKETS)
			usage_error("too many --packet options (at most %d)", MAX_PROG_PACKETS);
		default_packets[n_default_packets++] = pkt;
	} else if (last_arg_prog->n_packets == MAX_PROG_PACKETS) {
		usage_error("too many --packet options for one --prog (at most %d)",
			    MAX_PROG_PACKETS);
	} else {
		last_arg_prog->packets[last_arg_prog->n_packets++] = pkt;
	}
}

/* --set VAR=VALUE: a global of the last --prog's object, before loading. */
void add_set_arg(const char *setting)
{
	const char *eq = strchr(setting, '=');
	struct prog *p = last_arg_prog;

	if (!p)
		usage_error("--set %s: give it after the --prog it is for", setting);
	if (!eq || eq == setting)
		usage_error("--set takes VAR=VALUE, not '%s'", setting);
	if (p->n_sets == MAX_SETS)
		usage_error("too many --set options for one --prog (at most %d)", MAX_SETS);
	p->sets[p->n_sets++] = (struct global_setting){
		.name = strndup(setting, eq - setting),
		.value = parse_u32_arg("--set VALUE", eq + 1, 0, UINT32_MAX) };
}

void force_xdp_arg(void)
{
	if (!last_arg_prog)
		usage_error("--force-xdp: give it after the --prog it is for");
	last_arg_prog->force_xdp = true;
}

/* Write a global (const volatile in .rodata, or in .data/.bss) of @obj. */
static int set_global(struct bpf_object *obj, const struct global_setting *set)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *sec = strchr(bpf_map__name(map), '.');
		int id = sec && btf ? btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC) : -1;
		const struct btf_var_secinfo *var;
		const struct btf_type *t;
		size_t size;

		if (id < 0 || !bpf_map__is_internal(map))
			continue;
		t = btf__type_by_id(btf, id);
		var = btf_var_secinfos(t);
		for (int i = 0; i < btf_vlen(t); i++, var++) {
			const char *name = btf__name_by_offset(btf, btf__type_by_id(btf,
								var->type)->name_off);
			unsigned char data[4096];
			const void *initial = bpf_map__initial_value(map, &size);

			if (strcmp(name, set->name))
				continue;
			if (!initial || size > sizeof(data) || var->size > sizeof(__u64) ||
			    var->offset + var->size > size)
				return -EINVAL;
			memcpy(data, initial, size);
			/* the low bytes of the value, in this machine's byte order */
			for (__u32 b = 0; b < var->size; b++) {
				int shift = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? b :
					    var->size - 1 - b;

				data[var->offset + b] = (__u64)set->value >> (8 * shift);
			}
			return bpf_map__set_initial_value(map, data, size);
		}
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

/* A program that writes to a perf event map really writes only when
 * someone listens: open a perf buffer on each such map. */
static int open_perf_buffers(struct prog *p)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, p->obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		p->perf = perf_buffer__new(bpf_map__fd(map), PERF_PAGES, count_record,
					   count_lost, p, NULL);
		if (!p->perf)
			return failed(-errno, "opening a perf buffer on %s", p->label);
		break;	/* one is what the lessons have */
	}
	return 0;
}

void drain_perf(struct prog *p)
{
	if (p->perf)
		perf_buffer__consume(p->perf);
}

/* Records of one call must fit in the ring, so no sample loses any. */
__u32 batch_limit(const struct prog *p, const struct packet *pkt)
{
	return p->perf ? PERF_PAGES * 4096L / (pkt->len + PERF_RECORD_EXTRA) : UINT32_MAX;
}

static int load_prog(struct prog *p)
{
	struct bpf_program *bp;
	int err;

	p->obj = xdp_obj_open(p->file, p->name, p->force_xdp, &bp);
	if (!p->obj)
		return -EINVAL;
	snprintf(p->label, sizeof(p->label), "%s:%s", p->file, bpf_program__name(bp));
	for (int i = 0; i < p->n_sets; i++) {
		if (set_global(p->obj, &p->sets[i])) {
			pr_err("%s has no global '%s' that --set can write", p->file,
			       p->sets[i].name);
			return -EINVAL;
		}
		snprintf(p->label + strlen(p->label), sizeof(p->label) - strlen(p->label),
			 ",%s=%u", p->sets[i].name, p->sets[i].value);
	}
	err = load_bpf_object(p->obj);
	if (err)
		return err;
	p->fd = bpf_program__fd(bp);
	if (!p->n_packets) {
		memcpy(p->packets, default_packets, sizeof(default_packets));
		p->n_packets = n_default_packets;
	}
	return open_perf_buffers(p);
}

/* bench_kern.o, next to this tool, shown relative to where we run. */
static const char *bench_object(void)
{
	static char path[PATH_MAX + 16];
	char exe[PATH_MAX], cwd[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *dir = exe;
	size_t len;

	exe[n > 0 ? n : 0] = '\0';
	dir = dirname(exe);
	if (getcwd(cwd, sizeof(cwd)) && (len = strlen(cwd)) && !strncmp(dir, cwd, len) &&
	    (dir[len] == '/' || !dir[len]))
		dir += dir[len] ? len + 1 : len;
	snprintf(path, sizeof(path), "%s%sbench_kern.o", dir, *dir ? "/" : "");
	return path;
}

/* Ours first, so the yardsticks head each table; the generator apart,
 * outside the tables. Called before the options are read. */
void add_bench_programs(void)
{
	static struct prog generator_prog;
	const char *obj = bench_object();

	bench_pass = new_prog(obj, "bench_pass");
	bench_drop = new_prog(obj, "bench_drop");
	new_prog(obj, "bench_heavy");
	generator = &generator_prog;
	snprintf(generator->file, sizeof(generator->file), "%s", obj);
	generator->name = "bench_tx";
}

int load_programs(void)
{
	int err = 0;

	if (!n_default_packets)
		default_packets[n_default_packets++] = packet_for(DEFAULT_PACKET);
	for (int i = 0; i < n_progs && !err && !stop_requested; i++)
		err = load_prog(&progs[i]);
	err = err ?: opt.live ? load_prog(generator) : 0;
	return err ?: stop_requested ? -EINTR : 0;
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
	struct bpf_object *obj = bpf_object__open_file(file, NULL);
	struct bpf_program *p;

	if (!obj) {
		pr_err("cannot open %s: %s", file, strerror(errno));
		return -ENOENT;
	}
	bpf_object__for_each_program(p, obj) {
		struct prog one = { .name = bpf_program__name(p) };

		if (bpf_program__type(p) != BPF_PROG_TYPE_XDP ||
		    bpf_program__expected_attach_type(p) != BPF_XDP)
			continue;
		snprintf(one.file, sizeof(one.file), "%s", file);
		if (!load_prog(&one))
			printf("%s\n", one.label);
		perf_buffer__free(one.perf);
		bpf_object__close(one.obj);
	}
	bpf_object__close(obj);
	return 0;
}

static int test_run(struct prog *p, const struct packet *pkt, __u32 repeat, int *verdict,
		    unsigned char *out, __u32 *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt->data, .data_size_in = pkt->len,
		    .data_out = out, .data_size_out = *out_len, .repeat = repeat);
	int err = bpf_prog_test_run_opts(p->fd, &run);

	drain_perf(p);
	*verdict = run.retval;
	*out_len = run.data_size_out;
	return err ? failed(err, "test run of %s", p->label) : 0;
}

static bool same_bytes(const struct packet *pkt, const unsigned char *out, __u32 len)
{
	return len == (__u32)pkt->len && !memcmp(out, pkt->data, len);
}

/*
 * A test run with `repeat` runs the program again and again on one buffer,
 * which keeps whatever the program did to it. Which path does that time?
 * One run and two runs tell: the packet unchanged, or back after two runs
 * (a VLAN pop, then a push), or changed the same way each time (a port
 * rewrite: same verdict, same length).
 */
int probe_path(struct prog *p, const struct packet *pkt, int *verdict, enum path *path)
{
	unsigned char once[PKT_MAX + 256], twice[PKT_MAX + 256];
	__u32 once_len = sizeof(once), twice_len = sizeof(twice);
	int verdict2;
	int err = test_run(p, pkt, 1, verdict, once, &once_len) ?:
		  test_run(p, pkt, 2, &verdict2, twice, &twice_len);

	if (err)
		return err;
	if (same_bytes(pkt, once, once_len))
		*path = PATH_SAME;
	else if (same_bytes(pkt, twice, twice_len))
		*path = PATH_ALTERNATES;
	else if (verdict2 == *verdict && twice_len == once_len)
		*path = PATH_OWN_OUTPUT;
	else
		*path = PATH_NONE;
	return 0;
}

const char *path_name(enum path path)
{
	static const char *const names[] = { "same", "own-output", "alternates", "none" };

	return names[path];
}
