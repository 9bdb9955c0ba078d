// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_bench: what does an XDP program cost per packet?
 *
 *   $ sudo ./xdp_bench --prog ../basic02-prog-by-name/xdp_prog_kern.o
 *
 * Two measurements, both by default, both as ratios against a trivial
 * program measured side by side in the same run, because on a shared,
 * noisy machine only such ratios repeat from one run to the next:
 *
 * 1. Program cost (--mode cost). Each (program, packet) pair runs through
 *    BPF_PROG_TEST_RUN with `repeat`, timed with this thread's CPU time
 *    (CLOCK_THREAD_CPUTIME_ID): not wall time, which includes the
 *    10-30 ms each call sleeps in synchronize_rcu, and not the kernel's
 *    `duration`, which is whole nanoseconds on a figure of ~10 ns. Many
 *    short rounds, the order rotated each round; per pair the median
 *    ratio to bench_pass (trivial XDP_PASS) and the extra ns per packet.
 *
 * 2. Live frames (--mode live). Two namespaces joined by veth pairs, one
 *    pair per program (testbed.c). A generator runs bench_tx (XDP_TX)
 *    through BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES, as if the
 *    frames had arrived on gen<i>, so each XDP_TX sends a real frame to
 *    rx<i>, where the program under test is attached (natively; with
 *    --skb-mode also in generic mode). rx<i> processes the frames in
 *    softirq on this CPU, inside the generator's call, so the generator
 *    thread's CPU time covers both ends. Per program: the median ratio to
 *    bench_drop (trivial XDP_DROP, the floor), the Mpps, and bench_pass
 *    (trivial XDP_PASS) as the ceiling.
 *
 * In both, every sample sits between two samples of its yardstick: on a
 * shared VM the speed of the machine shifts by a third from one few hundred
 * ms to the next, and only samples taken close together compare well.
 *
 * Every attachment is a bpf_link, so it vanishes with the process even on
 * kill -9; the namespaces are removed on exit, on SIGINT/SIGTERM, and by
 * the next run if the process was killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "params.h"
#include "util.h"
#include "packets.h"
#include "testbed.h"

#define MAX_PROGS	64
#define MAX_PACKETS	8
#define MAX_ROUNDS	1000
#define MAX_ROWS	(MAX_PROGS * (MAX_PACKETS + 2))	/* cost, native, skb */

#define COST_CALL_NS	8e6	/* CPU time one program-cost call is sized to */
#define LIVE_CALL_NS	25e6	/* ... and one live sample */
#define LIVE_PROBE	20000	/* frames in the call that sizes the live calls */

/* The columns of the CSV file; tests/bench.t checks this line. */
#define CSV_HEADER "mode,method,program,packet,verdict,changes_packet,baseline,rounds," \
		   "discarded,ratio,ratio_q1,ratio_q3,extra_ns,mpps"

/* ---- What to measure ------------------------------------------------- */

static struct {
	const char *prog_specs[MAX_PROGS];
	int n_prog_specs;
	const char *packet_specs[MAX_PACKETS];
	int n_packet_specs;
	bool cost, live;	/* the two measurements */
	bool native, skb;	/* the live attach modes */
	int rounds, live_rounds;
	__u32 repeat, live_frames;	/* 0: sized to COST_CALL_NS, LIVE_CALL_NS */
	int cpu;		/* -1: the last CPU we may run on */
	const char *csv;
	bool list, quiet, verbose;
} opt = {
	.cost = true, .live = true, .native = true,
	.rounds = 25, .live_rounds = 15, .cpu = -1,
};

/* One program under test, loaded on its own from its object. */
struct prog {
	char label[PATH_MAX + 80];	/* FILE.o:NAME, as the tables show it */
	char file[PATH_MAX];
	char name[64];
	struct bpf_object *obj;
	int fd;
};

struct packet {
	const char *spec;
	unsigned char data[PKT_MAX];
	int len;
};

/* The median of one figure over the rounds, with its quartiles. */
struct summary {
	double median, q1, q3;
	int n;
};

/* One line of a results table, and of the CSV file. */
struct row {
	const char *mode;	/* cost, live */
	const char *method;	/* repeat, fresh; native, skb */
	const struct prog *prog;
	const struct packet *pkt;
	int verdict;
	bool changes;		/* the program rewrites the packet */
	const char *baseline;
	int discarded;
	struct summary ratio;
	double extra_ns;
	double mpps;		/* live only; NAN for cost */
};

static struct prog progs[MAX_PROGS];
static int n_progs;
/* The benchmark's own programs, always loaded from bench_kern.o. */
static struct prog *bench_pass, *bench_drop, *bench_heavy;
/* The generator's bench_tx: a copy of its own, never in the tables. */
static struct prog generator;

static struct packet packets[MAX_PACKETS];
static int n_packets;

static struct row rows[MAX_ROWS];
static int n_rows;

/* State the clean-up must undo, whatever happens. */
static struct testbed testbed;
static bool have_testbed;
static int gen_links[TESTBED_MAX_PAIRS + 1];	/* bench_tx, then each absorber */
static volatile sig_atomic_t stop_signal;

/* ---- Small helpers --------------------------------------------------- */

static double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* "PASS" for XDP_PASS: the tables have no room for the prefix. */
static const char *verdict_name(int verdict)
{
	return xdp_action_name(verdict) + strlen("XDP_");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile @q of sorted @v, interpolating between neighbours. */
static double quantile(const double *v, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	return i + 1 < n ? v[i] + (pos - i) * (v[i + 1] - v[i]) : v[i];
}

/* Median and quartiles of the @n figures in @v (NaN marks a skipped one). */
static struct summary summarize(const double *v, int n)
{
	struct summary s = { NAN, NAN, NAN, 0 };
	double sorted[MAX_ROUNDS];

	for (int i = 0; i < n; i++)
		if (!isnan(v[i]))
			sorted[s.n++] = v[i];
	if (!s.n)
		return s;
	qsort(sorted, s.n, sizeof(sorted[0]), cmp_double);
	s.median = quantile(sorted, s.n, 0.5);
	s.q1 = quantile(sorted, s.n, 0.25);
	s.q3 = quantile(sorted, s.n, 0.75);
	return s;
}

/* "which round of how many": one line each, overwritten on a terminal. */
static void progress(const char *what, int round, int rounds)
{
	bool tty = isatty(STDERR_FILENO);

	if (opt.quiet)
		return;
	fprintf(stderr, "%s: %s: round %d/%d%s", tool_name, what, round, rounds,
		tty ? "   \r" : "\n");
	if (tty && round == rounds)
		fprintf(stderr, "%*s\r", 60, "");
}

static void note(const char *fmt, ...)
{
	va_list ap;

	if (opt.quiet)
		return;
	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A failed kernel call: reported, unless our own signal cut it short. */
static int failed(int err, const char *fmt, const char *what)
{
	if (stop_signal)
		return -EINTR;
	fprintf(stderr, "%s: ", tool_name);
	fprintf(stderr, fmt, what);
	fprintf(stderr, ": %s\n", strerror(-err));
	return err;
}

/* ---- Programs -------------------------------------------------------- */

/* libbpf's own messages only with -v: our errors say it in one line. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return opt.verbose ? vfprintf(stderr, fmt, ap) : 0;
}

/* An XDP program that can be attached to an interface (not devmap/cpumap). */
static bool is_xdp(const struct bpf_program *p)
{
	return bpf_program__type(p) == BPF_PROG_TYPE_XDP &&
	       bpf_program__expected_attach_type(p) == BPF_XDP;
}

/* libbpf's errors include its own codes (bad ELF, ...) besides errno's. */
static const char *errstr(int err)
{
	static char msg[128];

	libbpf_strerror(err, msg, sizeof(msg));
	return msg;
}

static struct bpf_object *open_object(const char *file)
{
	struct bpf_object *obj = bpf_object__open_file(file, NULL);

	if (!obj)
		pr_err("cannot open %s: %s", file, errstr(errno));
	return obj;
}

/* The names of the XDP programs in @obj, comma-separated, for messages. */
static const char *xdp_names(struct bpf_object *obj)
{
	static char names[512];
	struct bpf_program *p;
	size_t len = 0;

	names[0] = '\0';
	bpf_object__for_each_program(p, obj)
		if (is_xdp(p) && len < sizeof(names))
			len += snprintf(names + len, sizeof(names) - len, "%s%s",
					len ? ", " : "", bpf_program__name(p));
	return names[0] ? names : "none";
}

/*
 * The verifier's reason for a rejection: the last line of its log before
 * the statistics it ends with ("processed N insns ...").
 */
static const char *verifier_reason(char *log)
{
	char *line, *reason = NULL, *save = NULL;

	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "processed ", 10))
			break;
		reason = line;
	}
	return reason;
}

static int report_load_error(const struct prog *p, char *log, int err)
{
	const char *reason = verifier_reason(log);

	if (err == -EPERM)
		pr_err("loading %s needs root (CAP_BPF and CAP_NET_ADMIN)", p->label);
	else if (reason)
		pr_err("the verifier rejected %s: %s (-v shows its whole log)",
		       p->label, reason);
	else
		pr_err("loading %s failed: %s", p->label, errstr(err));
	return err;
}

/*
 * Open the program's object and load only this program, so a broken
 * sibling cannot stop it. Maps are loaded unpinned: the benchmark neither
 * shares a pinned map with a running lesson nor leaves a pin behind.
 */
static int load_prog(struct prog *p, const char *file, const char *name)
{
	static char log[1 << 20];
	struct bpf_program *q, *found = NULL;
	struct bpf_map *m;
	int err;

	snprintf(p->file, sizeof(p->file), "%s", file);
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->label, sizeof(p->label), "%s:%s", file, name);
	p->obj = open_object(p->file);
	if (!p->obj)
		return -ENOENT;
	bpf_object__for_each_program(q, p->obj) {
		bool this = !strcmp(bpf_program__name(q), p->name);

		bpf_program__set_autoload(q, this);
		if (this)
			found = q;
	}
	if (!found) {
		pr_err("no program '%s' in %s (its XDP programs: %s)", p->name, p->file,
		       xdp_names(p->obj));
		return -ENOENT;
	}
	if (!is_xdp(found)) {
		pr_err("%s is not an XDP program (its section is '%s')", p->label,
		       bpf_program__section_name(found));
		return -EINVAL;
	}
	bpf_object__for_each_map(m, p->obj)
		bpf_map__set_pin_path(m, NULL);
	log[0] = '\0';
	bpf_program__set_log_buf(found, log, sizeof(log));
	err = bpf_object__load(p->obj);
	if (err)
		return report_load_error(p, log, err);
	p->fd = bpf_program__fd(found);
	return 0;
}

/* The same object (by its real path) and program name as one we have. */
static struct prog *find_prog(const char *file, const char *name)
{
	char real[PATH_MAX], other[PATH_MAX];

	if (!realpath(file, real))
		return NULL;
	for (int i = 0; i < n_progs; i++)
		if (!strcmp(progs[i].name, name) && realpath(progs[i].file, other) &&
		    !strcmp(real, other))
			return &progs[i];
	return NULL;
}

static struct prog *add_prog(const char *file, const char *name)
{
	struct prog *p = find_prog(file, name);

	if (p)
		return p;	/* asked for twice: measured once */
	if (n_progs == MAX_PROGS) {
		pr_err("too many programs (at most %d)", MAX_PROGS);
		return NULL;
	}
	p = &progs[n_progs++];
	return load_prog(p, file, name) ? NULL : p;
}

/* FILE.o: every XDP program in it. */
static int add_all_progs(const char *file)
{
	struct bpf_object *obj = open_object(file);
	struct bpf_program *p;
	int found = 0, err = 0;

	if (!obj)
		return -ENOENT;
	bpf_object__for_each_program(p, obj) {
		if (!is_xdp(p))
			continue;
		found++;
		if (!add_prog(file, bpf_program__name(p))) {
			err = -EINVAL;
			break;
		}
	}
	bpf_object__close(obj);
	if (!err && !found) {
		pr_err("no XDP program in %s", file);
		err = -ENOENT;
	}
	return err;
}

/* --prog FILE.o[:NAME] */
static int add_prog_spec(const char *spec)
{
	char file[PATH_MAX];
	const char *colon = strrchr(spec, ':');

	if (!colon)
		return add_all_progs(spec);
	snprintf(file, sizeof(file), "%.*s", (int)(colon - spec), spec);
	return add_prog(file, colon + 1) ? 0 : -EINVAL;
}

/* bench_kern.o sits next to this tool; shown relative to where we run. */
static int bench_object_path(char *path, size_t size)
{
	char exe[PATH_MAX], cwd[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	const char *dir;
	size_t cwd_len;

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	dir = dirname(exe);
	if (getcwd(cwd, sizeof(cwd)) && (cwd_len = strlen(cwd)) &&
	    !strncmp(dir, cwd, cwd_len) && dir[cwd_len] == '/')
		dir += cwd_len + 1;
	snprintf(path, size, "%s/bench_kern.o", dir);
	return 0;
}

static int load_programs(void)
{
	char obj[PATH_MAX];

	if (bench_object_path(obj, sizeof(obj)))
		return -ENOENT;
	/* The yardsticks first, so they head each table. */
	bench_pass = add_prog(obj, "bench_pass");
	bench_drop = bench_pass ? add_prog(obj, "bench_drop") : NULL;
	bench_heavy = bench_drop ? add_prog(obj, "bench_heavy") : NULL;
	if (!bench_heavy)
		return -ENOENT;
	for (int i = 0; i < opt.n_prog_specs; i++) {
		if (stop_signal)
			return -EINTR;
		if (add_prog_spec(opt.prog_specs[i]))
			return -EINVAL;
	}
	return opt.live ? load_prog(&generator, obj, "bench_tx") : 0;
}

/* --list: FILE.o:NAME for every XDP program, for bench/run.sh. */
static int list_programs(char **files, int n)
{
	for (int i = 0; i < n; i++) {
		struct bpf_object *obj = open_object(files[i]);
		struct bpf_program *p;

		if (!obj)
			return EXIT_FAIL;
		bpf_object__for_each_program(p, obj)
			if (is_xdp(p))
				printf("%s:%s\n", files[i], bpf_program__name(p));
		bpf_object__close(obj);
	}
	return EXIT_OK;
}

static int build_packets(void)
{
	if (!opt.n_packet_specs)
		opt.packet_specs[opt.n_packet_specs++] = "ipv6,icmp6";
	for (int i = 0; i < opt.n_packet_specs; i++) {
		struct packet *pkt = &packets[n_packets++];

		pkt->spec = opt.packet_specs[i];
		pkt->len = build_packet(pkt->spec, pkt->data);
		if (pkt->len < 0) {
			pr_err("bad packet spec '%s' (see tests/lib/packets.h)", pkt->spec);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Run @p once on @pkt: its verdict, and whether it changed the packet.
 * A program that changes the packet would see its own output on the next
 * repetition of a `repeat` run, which is not the path we mean to measure.
 */
static int probe(const struct prog *p, const struct packet *pkt, int *verdict,
		 bool *changes)
{
	unsigned char out[PKT_MAX + 256];
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt->data, .data_size_in = pkt->len,
		    .data_out = out, .data_size_out = sizeof(out), .repeat = 1);
	int err = bpf_prog_test_run_opts(p->fd, &run);

	if (err)
		return failed(err, "test run of %s", p->label);
	*verdict = run.retval;
	*changes = run.data_size_out != (__u32)pkt->len || memcmp(out, pkt->data, pkt->len);
	return 0;
}

/* ---- Mode 1: program cost -------------------------------------------- */

struct cost_pair {
	struct prog *prog;
	struct packet *pkt;
	int verdict;
	bool fresh;		/* changes the packet: a fresh copy per packet */
	__u32 count;		/* packets per sample: repetitions, or fresh calls */
	double ns[MAX_ROUNDS];	/* CPU time per packet, each round */
	double base_ns[MAX_ROUNDS];	/* bench_pass's, just before and after */
};

static struct cost_pair cost_pairs[MAX_PROGS * MAX_PACKETS];
static int n_cost_pairs;
/* The yardstick: bench_pass on each packet, the `repeat` and `fresh` way. */
static struct cost_pair cost_bases[MAX_PACKETS][2];
/* CPU time every `repeat` call costs whatever the program (see below). */
static double call_overhead_ns;

/*
 * One sample: CPU time per packet over c->count packets. `repeat` runs
 * them in one call; `fresh` makes one call per packet, each starting from
 * the original bytes (the kernel copies data_in anew on every call).
 */
static int cost_sample(const struct cost_pair *c, double *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = c->pkt->data,
		    .data_size_in = c->pkt->len, .repeat = c->fresh ? 1 : c->count);
	__u32 calls = c->fresh ? c->count : 1;
	double start, cpu;

	if (stop_signal)
		return -EINTR;
	start = thread_cpu_ns();
	for (__u32 i = 0; i < calls; i++) {
		int err = bpf_prog_test_run_opts(c->prog->fd, &run);

		if (err)
			return failed(err, "test run of %s", c->prog->label);
	}
	cpu = thread_cpu_ns() - start - (c->fresh ? 0 : call_overhead_ns);
	*ns = cpu / c->count;
	return 0;
}

/*
 * A call with repeat > 1 also puts the program into the kernel's XDP
 * dispatcher and takes it out again: ~0.2 ms of CPU whatever the program,
 * nearly all there is to a call of two packets. Measured once and taken
 * off every `repeat` sample, so it does not inflate `extra ns`.
 */
static int measure_call_overhead(void)
{
	struct cost_pair c = { .prog = bench_pass, .pkt = &packets[0], .count = 2 };
	double cpu[7];

	for (int i = 0; i < 7; i++) {
		int err = cost_sample(&c, &cpu[i]);

		if (err)
			return err;
		cpu[i] *= c.count;
	}
	call_overhead_ns = summarize(cpu, 7).median;
	return 0;
}

/* Packets per sample for about COST_CALL_NS of CPU: a rough guess from a
 * small call, then a second look at a size where noise matters less. */
static int size_cost_pair(struct cost_pair *c)
{
	double ns;
	int err;

	if (opt.repeat) {
		c->count = opt.repeat;
		return 0;
	}
	c->count = c->fresh ? 100 : 10000;
	for (int step = 0; step < 2; step++) {
		err = cost_sample(c, &ns);
		if (err)
			return err;
		c->count = COST_CALL_NS / (step ? 1 : 4) / (ns > 0.1 ? ns : 0.1);
		if (c->count < 100)
			c->count = 100;
	}
	return 0;
}

static void add_cost_pair(struct prog *p, struct packet *pkt, bool fresh, int verdict)
{
	cost_pairs[n_cost_pairs++] = (struct cost_pair){ .prog = p, .pkt = pkt,
							 .fresh = fresh, .verdict = verdict };
}

/* Every program on every packet, grouped by packet so consecutive pairs
 * can share a baseline sample. */
static int make_cost_pairs(void)
{
	for (int k = 0; k < n_packets; k++) {
		for (int fresh = 0; fresh < 2; fresh++)
			cost_bases[k][fresh] = (struct cost_pair){ .prog = bench_pass,
				.pkt = &packets[k], .fresh = fresh, .verdict = XDP_PASS };
		for (int i = 0; i < n_progs; i++) {
			bool changes;
			int verdict, err = probe(&progs[i], &packets[k], &verdict, &changes);

			if (err)
				return err;
			add_cost_pair(&progs[i], &packets[k], changes, verdict);
		}
	}
	return 0;
}

static struct cost_pair *cost_base(const struct cost_pair *c)
{
	return &cost_bases[c->pkt - packets][c->fresh];
}

static int size_cost_pairs(void)
{
	int err = measure_call_overhead();

	for (int i = 0; i < n_cost_pairs && !err; i++) {
		struct cost_pair *base = cost_base(&cost_pairs[i]);

		err = size_cost_pair(&cost_pairs[i]);
		if (!err && !base->count)
			err = size_cost_pair(base);
	}
	return err;
}

/*
 * One round: every pair in turn (the order rotated each round), each
 * sampled between two samples of its baseline. The machine's speed drifts
 * by a third over a few hundred ms on a shared VM; a ratio of samples taken
 * ~30 ms apart hardly sees that. Consecutive pairs on the same packet
 * share the baseline sample between them.
 */
static int cost_round(int round)
{
	const struct cost_pair *last_base = NULL;
	double before = 0, after;
	int err = 0;

	for (int i = 0; i < n_cost_pairs && !err; i++) {
		struct cost_pair *c = &cost_pairs[(i + round) % n_cost_pairs];
		const struct cost_pair *base = cost_base(c);

		if (base != last_base)
			err = cost_sample(base, &before);
		err = err ?: cost_sample(c, &c->ns[round]) ?: cost_sample(base, &after);
		c->base_ns[round] = (before + after) / 2;
		before = after;
		last_base = base;
	}
	return err;
}

/* bench_pass's typical `repeat` time per packet on @pkt. */
static double repeat_base_ns(const struct packet *pkt)
{
	for (int i = 0; i < n_cost_pairs; i++)
		if (cost_pairs[i].prog == bench_pass && cost_pairs[i].pkt == pkt)
			return summarize(cost_pairs[i].ns, opt.rounds).median;
	return NAN;
}

/*
 * One row: per round, the ratio to the baseline samples around it. A fresh
 * pair's per-call cost cancels against bench_pass called the same way; its
 * extra time is then put over bench_pass's `repeat` time, so both kinds of
 * row read on one scale.
 */
static void cost_row(const struct cost_pair *c)
{
	double ratio[MAX_ROUNDS], extra[MAX_ROUNDS];
	struct row *r = &rows[n_rows++];

	for (int i = 0; i < opt.rounds; i++) {
		extra[i] = c->ns[i] - c->base_ns[i];
		ratio[i] = c->fresh ? 1 + extra[i] / repeat_base_ns(c->pkt) :
				      c->ns[i] / c->base_ns[i];
	}
	*r = (struct row){ .mode = "cost", .method = c->fresh ? "fresh" : "repeat",
			   .prog = c->prog, .pkt = c->pkt, .verdict = c->verdict,
			   .changes = c->fresh, .baseline = "bench_pass", .mpps = NAN };
	r->ratio = summarize(ratio, opt.rounds);
	r->extra_ns = summarize(extra, opt.rounds).median;
}

static int run_cost(void)
{
	int err = make_cost_pairs();

	note("program cost: sizing %d (program, packet) pairs", n_cost_pairs);
	err = err ?: size_cost_pairs();
	for (int round = 0; round < opt.rounds && !err; round++) {
		progress("program cost", round + 1, opt.rounds);
		err = cost_round(round);
	}
	for (int i = 0; i < n_cost_pairs && !err; i++)
		cost_row(&cost_pairs[i]);
	return err;
}

/* ---- Mode 2: live frames over veth ----------------------------------- */

struct live_prog {
	struct prog *prog;
	int pair;			/* on rx<pair>, fed by gen<pair> */
	int link;			/* its attachment there */
	__u32 frames;			/* per sample, sized to LIVE_CALL_NS */
	double ns[MAX_ROUNDS];		/* CPU time per frame; NaN: discarded */
	double floor_ns[MAX_ROUNDS];	/* bench_drop's, just before and after */
};

/* bench_drop on pair 0: the yardstick */
static struct live_prog live_floor = { .link = -1 };
static struct live_prog live_progs[MAX_PROGS];
static int n_live_progs;

/* A live sample that does not count, and why: the report lists them. */
struct discard {
	const struct live_prog *lp;
	const char *method;
	int round;
	__u64 tx_errors, received;
	__u32 frames;
};

#define MAX_DISCARDS 32
static struct discard discards[MAX_DISCARDS];
static int n_discards;	/* all of them, even past the ones kept */

static int attach(struct prog *p, enum testbed_side side, int ifindex, __u32 mode,
		  int *link)
{
	LIBBPF_OPTS(bpf_link_create_opts, link_opts, .flags = mode);
	int err = testbed_enter(&testbed, side);

	if (err)
		return err;
	*link = bpf_link_create(p->fd, ifindex, BPF_XDP, &link_opts);
	if (*link < 0) {
		err = *link;
		*link = -1;
		return failed(err, "attaching %s to the test veth failed", p->label);
	}
	return 0;
}

static void detach(int *link)
{
	if (*link >= 0)
		close(*link);	/* a bpf_link detaches when its last fd closes */
	*link = -1;
}

/*
 * The generator side, once for the whole run. Each gen<i> gets bench_drop
 * natively: it drops what rx<i> sends back (XDP_TX), and a native program
 * is what lets a veth take XDP frames from its peer at all. bench_tx goes
 * on the idle loopback in generic mode, for one side effect: it stays in
 * the kernel's XDP dispatcher, so the generator's test runs no longer add
 * and remove it each call (~24 ms of synchronize_rcu, ~0.2 ms of CPU).
 */
static int set_up_generator(void)
{
	int err = attach(&generator, SIDE_GEN, testbed.gen_lo, XDP_FLAGS_SKB_MODE,
			 &gen_links[0]);

	for (int pair = 0; pair < testbed.n_pairs && !err; pair++)
		err = attach(bench_drop, SIDE_GEN, testbed.ifindex[SIDE_GEN][pair],
			     XDP_FLAGS_DRV_MODE, &gen_links[pair + 1]);
	return err;
}

/* Every program on its own rx<i>, in one attach mode; back to the gen side. */
static int attach_receivers(__u32 mode)
{
	int err = 0;

	for (int i = -1; i < n_live_progs && !err; i++) {
		struct live_prog *lp = i < 0 ? &live_floor : &live_progs[i];

		err = attach(lp->prog, SIDE_RX, testbed.ifindex[SIDE_RX][lp->pair], mode,
			     &lp->link);
	}
	return err ?: testbed_enter(&testbed, SIDE_GEN);
}

static void detach_receivers(void)
{
	detach(&live_floor.link);
	for (int i = 0; i < n_live_progs; i++)
		detach(&live_progs[i].link);
}

/* Frames rx<pair> took in, and frames gen<pair> could not send. */
static int read_counters(int pair, __u64 *received, __u64 *tx_errors)
{
	struct rtnl_link_stats64 gen, rx;
	int err = testbed_stats(&testbed, SIDE_GEN, pair, &gen) ?:
		  testbed_stats(&testbed, SIDE_RX, pair, &rx);

	if (err)
		return failed(err, "reading the %s counters failed", "veth");
	*received = rx.rx_packets;
	*tx_errors = gen.tx_errors + gen.tx_dropped;
	return 0;
}

static void note_discard(const struct live_prog *lp, const char *method, int round,
			 __u64 tx_errors, __u64 received)
{
	if (n_discards < MAX_DISCARDS)
		discards[n_discards] = (struct discard){ lp, method, round, tx_errors,
							 received, lp->frames };
	n_discards++;
}

/*
 * One sample: lp->frames real frames from gen<i> to the program on rx<i>,
 * in the generator's CPU time per frame. The generator runs bench_tx as if
 * the frames had arrived on gen<i>; each XDP_TX sends one to rx<i>, whose
 * NAPI runs in softirq on this CPU before the call returns. The sample does
 * not count (NaN, and a note unless it is a sizing call, @round < 0) if
 * gen<i> failed to send a frame or rx<i> did not take in every one.
 */
static int live_sample(const struct live_prog *lp, const char *method, int round,
		       double *ns)
{
	struct packet *pkt = &packets[0];
	struct xdp_md ctx = { .data_end = pkt->len,
			      .ingress_ifindex = testbed.ifindex[SIDE_GEN][lp->pair] };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt->data, .data_size_in = pkt->len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = lp->frames,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	__u64 got_before, got_after, err_before, err_after;
	double start, cpu;
	int err;

	if (stop_signal)
		return -EINTR;
	err = read_counters(lp->pair, &got_before, &err_before);
	if (err)
		return err;
	start = thread_cpu_ns();
	err = bpf_prog_test_run_opts(generator.fd, &run);
	cpu = thread_cpu_ns() - start;
	if (err)
		return failed(err, "the generator's test run for %s failed", lp->prog->label);
	err = read_counters(lp->pair, &got_after, &err_after);
	if (err)
		return err;
	*ns = cpu / lp->frames;
	if (err_after != err_before || got_after - got_before < lp->frames) {
		if (round >= 0)
			note_discard(lp, method, round, err_after - err_before,
				     got_after - got_before);
		*ns = NAN;
	}
	return 0;
}

/* Frames per sample for about LIVE_CALL_NS of CPU. */
static int size_live_prog(struct live_prog *lp, const char *method)
{
	double ns;
	int err;

	lp->frames = opt.live_frames ? opt.live_frames : LIVE_PROBE;
	if (opt.live_frames)
		return 0;
	err = live_sample(lp, method, -1, &ns);
	if (!err && !isnan(ns) && LIVE_CALL_NS / ns > LIVE_PROBE)
		lp->frames = LIVE_CALL_NS / ns;
	return err;
}

/* The mean of two floor samples, or the one that counted. */
static double mean_valid(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : (a + b) / 2;
}

/* One round, as in cost_round(): each program between two floor samples. */
static int live_round(const char *method, int round)
{
	double before = NAN, after;
	int err = live_sample(&live_floor, method, round, &before);

	for (int i = 0; i < n_live_progs && !err; i++) {
		struct live_prog *lp = &live_progs[(i + round) % n_live_progs];

		err = live_sample(lp, method, round, &lp->ns[round]) ?:
		      live_sample(&live_floor, method, round, &after);
		lp->floor_ns[round] = mean_valid(before, after);
		before = after;
	}
	return err;
}

static void live_row(const struct live_prog *lp, const char *method)
{
	double ratio[MAX_ROUNDS], extra[MAX_ROUNDS], mpps[MAX_ROUNDS];
	struct row *r = &rows[n_rows++];

	for (int i = 0; i < opt.live_rounds; i++) {
		/* NaN, a discarded sample, carries through to be skipped. */
		ratio[i] = lp->ns[i] / lp->floor_ns[i];
		extra[i] = lp->ns[i] - lp->floor_ns[i];
		mpps[i] = 1e3 / lp->ns[i];
	}
	*r = (struct row){ .mode = "live", .method = method, .prog = lp->prog,
			   .pkt = &packets[0], .baseline = "bench_drop" };
	probe(lp->prog, &packets[0], &r->verdict, &r->changes);
	r->ratio = summarize(ratio, opt.live_rounds);
	r->discarded = opt.live_rounds - r->ratio.n;
	r->extra_ns = summarize(extra, opt.live_rounds).median;
	r->mpps = summarize(mpps, opt.live_rounds).median;
}

/* Every program on its rx<i> in one attach mode, round after round. */
static int live_rounds(__u32 mode, const char *method)
{
	char what[64];
	int err = attach_receivers(mode);

	snprintf(what, sizeof(what), "live frames (%s)", method);
	note("%s: sizing the calls for %d programs", what, n_live_progs);
	err = err ?: size_live_prog(&live_floor, method);
	for (int i = 0; i < n_live_progs && !err; i++)
		err = size_live_prog(&live_progs[i], method);
	for (int round = 0; round < opt.live_rounds && !err; round++) {
		progress(what, round + 1, opt.live_rounds);
		err = live_round(method, round);
	}
	for (int i = 0; i < n_live_progs && !err; i++)
		live_row(&live_progs[i], method);
	detach_receivers();
	return err;
}

/* Generic XDP on rx<i>: without a native program a veth has no NAPI to take
 * XDP frames from its peer; GRO gives it one, and the frames then reach
 * the generic hook as skbs. */
static int enable_gro(void)
{
	int err = 0;

	for (int pair = 0; pair < testbed.n_pairs && !err; pair++)
		err = testbed_enable_gro(&testbed, SIDE_RX, pair);
	return err;
}

static int run_live(void)
{
	/* The test frames' own MAC addresses, so rx<i> takes them as its own. */
	const unsigned char *dst_mac = packets[0].data, *src_mac = packets[0].data + 6;
	int err;

	testbed_remove_stale();
	live_floor = (struct live_prog){ .prog = bench_drop, .pair = 0, .link = -1 };
	for (int i = 0; i < n_progs; i++)
		live_progs[n_live_progs++] = (struct live_prog){ .prog = &progs[i],
								 .pair = i + 1, .link = -1 };
	err = testbed_create(&testbed, n_live_progs + 1, src_mac, dst_mac);
	if (err)
		return err;
	have_testbed = true;
	err = set_up_generator();
	if (!err && opt.native)
		err = live_rounds(XDP_FLAGS_DRV_MODE, "native");
	if (!err && opt.skb)
		err = enable_gro() ?: live_rounds(XDP_FLAGS_SKB_MODE, "skb");
	return err;
}

/* ---- Output ---------------------------------------------------------- */

static int label_width(void)
{
	int width = 7;

	for (int i = 0; i < n_rows; i++)
		if ((int)strlen(rows[i].prog->label) > width)
			width = strlen(rows[i].prog->label);
	return width;
}

static void print_cost_table(void)
{
	int w = label_width();

	printf("\nProgram cost (BPF_PROG_TEST_RUN, this thread's CPU time, %d rounds, "
	       "order rotated each round)\n"
	       "  ratio  time per packet / bench_pass's (trivial XDP_PASS) on the same "
	       "packet: median (q1-q3)\n"
	       "  extra  ns per packet more than bench_pass\n"
	       "  run    repeat: one call runs the program N times on one copy of the "
	       "packet, which it\n"
	       "         leaves as it is, so every run takes the same path; fresh: the "
	       "program changes\n"
	       "         the packet, so each packet is a call of its own on a fresh copy "
	       "(bench_pass's too)\n\n", opt.rounds);
	printf("%-*s  %-14s %-8s %-6s  %6s  %-13s %9s\n", w, "program", "packet",
	       "verdict", "run", "ratio", "(q1-q3)", "extra ns");
	for (int i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];

		if (strcmp(r->mode, "cost"))
			continue;
		printf("%-*s  %-14s %-8s %-6s  %6.2f  (%5.2f-%5.2f) %+9.1f\n", w,
		       r->prog->label, r->pkt->spec, verdict_name(r->verdict), r->method,
		       r->ratio.median, r->ratio.q1, r->ratio.q3, r->extra_ns);
	}
}

static void print_live_table(const char *method)
{
	int w = label_width();
	bool any_changes = false;

	printf("\nLive frames over veth (%s XDP on the receiver, %s frames, %d rounds, "
	       "order rotated each round)\n"
	       "  ratio  generator CPU time per frame / that with bench_drop (trivial "
	       "XDP_DROP): median (q1-q3)\n"
	       "  extra  ns per frame more than bench_drop\n"
	       "  Mpps   million frames per second of CPU time; bench_drop is the floor, "
	       "bench_pass the ceiling\n\n", method, packets[0].spec, opt.live_rounds);
	printf("%-*s  %-8s  %6s  %-13s %9s %7s\n", w, "program", "verdict", "ratio",
	       "(q1-q3)", "extra ns", "Mpps");
	for (int i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];

		if (strcmp(r->mode, "live") || strcmp(r->method, method))
			continue;
		if (!r->ratio.n) {
			printf("%-*s  %-8s  no valid round\n", w, r->prog->label,
			       verdict_name(r->verdict));
			continue;
		}
		printf("%-*s  %-8s  %6.2f  (%5.2f-%5.2f) %+9.1f %7.2f%s\n", w, r->prog->label,
		       verdict_name(r->verdict), r->ratio.median, r->ratio.q1, r->ratio.q3,
		       r->extra_ns, r->mpps, r->prog == bench_pass ? "  ceiling" :
		       r->prog == bench_drop ? "  floor" : r->changes ? "  *" : "");
		any_changes |= r->changes;
	}
	/* The live test run recycles its frame pages and resets only their
	 * data pointers, not their bytes (see README.org). */
	if (any_changes)
		printf("* rewrites the packet: after the first batch of 64 frames it runs on "
		       "its own output,\n  as the test run recycles frame pages without "
		       "restoring their bytes\n");
}

/* A program's round counts only if its sample and one of the floor
 * samples around it do; those that did not are listed here. */
static void print_discards(void)
{
	printf("\nDiscarded live samples: %s\n", n_discards ? "" : "none");
	for (int i = 0; i < n_discards && i < MAX_DISCARDS; i++) {
		const struct discard *d = &discards[i];

		printf("  %s, %s, round %d: gen%d had %llu transmit errors, "
		       "rx%d took in %llu of %u frames\n", d->lp->prog->label, d->method,
		       d->round + 1, d->lp->pair, (unsigned long long)d->tx_errors,
		       d->lp->pair, (unsigned long long)d->received, d->frames);
	}
	if (n_discards > MAX_DISCARDS)
		printf("  ... and %d more\n", n_discards - MAX_DISCARDS);
}

static void print_tables(void)
{
	if (opt.cost)
		print_cost_table();
	if (opt.live && opt.native)
		print_live_table("native");
	if (opt.live && opt.skb)
		print_live_table("skb");
	if (opt.live)
		print_discards();
}

/* A CSV field: quoted, since packet specs contain commas. */
static void csv_text(FILE *f, const char *s)
{
	fprintf(f, "\"%s\",", s);
}

static void csv_number(FILE *f, double v, const char *end)
{
	if (isnan(v))
		fprintf(f, "%s", end);
	else
		fprintf(f, "%.4f%s", v, end);
}

/* The default CSV file: results/xdp_bench-<date>-<time>.csv next to the tool. */
static int default_csv_path(char *path, size_t size)
{
	char exe[PATH_MAX], stamp[32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	time_t now = time(NULL);

	if (n < 0)
		return -errno;
	exe[n] = '\0';
	snprintf(path, size, "%s/results", dirname(exe));
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	snprintf(path + strlen(path), size - strlen(path), "/xdp_bench-%s.csv", stamp);
	return 0;
}

static int write_csv(void)
{
	char path[PATH_MAX + 64];
	FILE *f;

	if (opt.csv)
		snprintf(path, sizeof(path), "%s", opt.csv);
	else if (default_csv_path(path, sizeof(path)))
		return failed(-errno, "cannot make the %s directory", "results");
	f = fopen(path, "w");
	if (!f)
		return failed(-errno, "cannot write %s", path);
	fprintf(f, "%s\n", CSV_HEADER);
	for (int i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];

		fprintf(f, "%s,%s,", r->mode, r->method);
		csv_text(f, r->prog->label);
		csv_text(f, r->pkt->spec);
		fprintf(f, "%s,%s,%s,%d,%d,", verdict_name(r->verdict),
			r->changes ? "yes" : "no", r->baseline, r->ratio.n, r->discarded);
		csv_number(f, r->ratio.median, ",");
		csv_number(f, r->ratio.q1, ",");
		csv_number(f, r->ratio.q3, ",");
		csv_number(f, r->extra_ns, ",");
		csv_number(f, r->mpps, "\n");
	}
	if (fclose(f))
		return failed(-errno, "cannot write %s", path);
	printf("\nCSV: %s\n", path);
	return 0;
}

/* ---- Command line ---------------------------------------------------- */

static void usage(void)
{
	printf("Usage: %s [options] [--prog FILE.o[:NAME]]...\n"
	       "       %s --list FILE.o...\n\n"
	       "What an XDP program costs per packet, as ratios to a trivial program\n"
	       "measured in the same run (see bench/README.org).\n\n"
	       "Options:\n"
	       "  -p, --prog FILE.o[:NAME]  a program to measure (repeatable); without\n"
	       "                            NAME, every XDP program in FILE.o\n"
	       "  -P, --packet SPEC         a test frame (repeatable; default ipv6,icmp6;\n"
	       "                            see tests/lib/packets.h); live mode uses the first\n"
	       "  -m, --mode cost|live|all  which measurement (default all)\n"
	       "      --native-mode         live: attach natively (the default)\n"
	       "      --skb-mode            live: also attach in generic (SKB) mode\n"
	       "  -r, --rounds N            program-cost rounds (default %d)\n"
	       "  -R, --live-rounds N       live rounds (default %d)\n"
	       "  -n, --repeat N            packets per program-cost call (default: ~8 ms)\n"
	       "  -N, --live-frames N       frames per live call (default: ~25 ms)\n"
	       "  -c, --cpu N               CPU to run on (default: the last one)\n"
	       "  -o, --csv FILE            CSV file (default: results/ next to the tool)\n"
	       "  -l, --list                print FILE.o:NAME for each XDP program and exit\n"
	       "  -q, --quiet               no progress lines\n"
	       "  -v, --verbose             libbpf's messages too (e.g. verifier logs)\n"
	       "  -h, --help                show this help\n\n"
	       "Exit status: 0 done, 1 failed or interrupted, 2 bad command line.\n",
	       tool_name, tool_name, opt.rounds, opt.live_rounds);
}

static void __attribute__((noreturn)) bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", tool_name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see --help)\n");
	exit(EXIT_FAIL_OPTION);
}

static long number(const char *arg, const char *name, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		char msg[128];

		snprintf(msg, sizeof(msg), "%s needs a number from %ld to %ld, not '%%s'",
			 name, min, max);
		bad_usage(msg, arg);
	}
	return v;
}

static void set_mode(const char *arg)
{
	opt.cost = !strcmp(arg, "cost") || !strcmp(arg, "all");
	opt.live = !strcmp(arg, "live") || !strcmp(arg, "all");
	if (!opt.cost && !opt.live)
		bad_usage("--mode is cost, live or all, not '%s'", arg);
}

enum { OPT_SKB = 256, OPT_NATIVE };

static void parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "packet", required_argument, NULL, 'P' },
		{ "mode", required_argument, NULL, 'm' },
		{ "skb-mode", no_argument, NULL, OPT_SKB },
		{ "native-mode", no_argument, NULL, OPT_NATIVE },
		{ "rounds", required_argument, NULL, 'r' },
		{ "live-rounds", required_argument, NULL, 'R' },
		{ "repeat", required_argument, NULL, 'n' },
		{ "live-frames", required_argument, NULL, 'N' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "csv", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	opterr = 0;	/* our own one-line messages instead of getopt's */
	while ((c = getopt_long(argc, argv, ":p:P:m:r:R:n:N:c:o:lqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (opt.n_prog_specs == MAX_PROGS)
				bad_usage("too many --prog options%s", "");
			opt.prog_specs[opt.n_prog_specs++] = optarg;
			break;
		case 'P':
			if (opt.n_packet_specs == MAX_PACKETS)
				bad_usage("too many --packet options%s", "");
			opt.packet_specs[opt.n_packet_specs++] = optarg;
			break;
		case 'm': set_mode(optarg); break;
		case OPT_SKB: opt.skb = true; break;
		case OPT_NATIVE: opt.native = true; break;
		case 'r': opt.rounds = number(optarg, "--rounds", 1, MAX_ROUNDS); break;
		case 'R': opt.live_rounds = number(optarg, "--live-rounds", 1, MAX_ROUNDS); break;
		case 'n': opt.repeat = number(optarg, "--repeat", 1, 100000000); break;
		case 'N': opt.live_frames = number(optarg, "--live-frames", 1, 100000000); break;
		case 'c': opt.cpu = number(optarg, "--cpu", 0, CPU_SETSIZE - 1); break;
		case 'o': opt.csv = optarg; break;
		case 'l': opt.list = true; break;
		case 'q': opt.quiet = true; break;
		case 'v': opt.verbose = true; break;
		case 'h': usage(); exit(EXIT_OK);
		case ':': bad_usage("%s needs an argument", argv[optind - 1]);
		default: bad_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc && !opt.list)
		bad_usage("unexpected argument '%s'", argv[optind]);
	if (opt.list && optind == argc)
		bad_usage("--list needs object files%s", "");
}

/* ---- Running --------------------------------------------------------- */

/* One CPU for the whole run: the live frames' softirq work then happens on
 * the generator's CPU, inside its call, and counts in its CPU time. */
static int pin_cpu(void)
{
	cpu_set_t allowed, one;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return failed(-errno, "cannot read the %s", "CPU affinity");
	if (opt.cpu < 0)
		for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &allowed))
				opt.cpu = cpu;
	if (!CPU_ISSET(opt.cpu, &allowed)) {
		pr_err("CPU %d is not one this process may run on (see --cpu)", opt.cpu);
		return -EINVAL;
	}
	CPU_ZERO(&one);
	CPU_SET(opt.cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return failed(-errno, "cannot pin to CPU %s", "(sched_setaffinity)");
	return 0;
}

static const char *signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP";
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* SIGINT/SIGTERM/SIGHUP only raise a flag: the loops stop at the next call
 * (a test run in progress returns EINTR) and main() cleans up. */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

/* Undo everything this run made, in whatever state it stopped. */
static void clean_up(void)
{
	detach_receivers();
	for (int i = 0; i < TESTBED_MAX_PAIRS + 1; i++)
		detach(&gen_links[i]);
	if (have_testbed)
		testbed_destroy(&testbed);
	have_testbed = false;
	for (int i = 0; i < n_progs; i++)
		bpf_object__close(progs[i].obj);
	bpf_object__close(generator.obj);
}

/* A figure every one of whose samples was discarded is a failed run. */
static int check_complete(void)
{
	int empty = 0;

	for (int i = 0; i < n_rows; i++)
		empty += !rows[i].ratio.n;
	if (empty)
		pr_err("%d live figures have no valid round (see 'Discarded live samples')",
		       empty);
	return empty ? -EIO : 0;
}

static int run(void)
{
	int err = pin_cpu() ?: build_packets() ?: load_programs();

	if (!err && opt.cost)
		err = run_cost();
	if (!err && opt.live)
		err = run_live();
	if (!err && !stop_signal) {
		print_tables();
		err = write_csv() ?: check_complete();
	}
	return err;
}

int main(int argc, char **argv)
{
	int err;

	tool_name = "xdp_bench";
	for (int i = 0; i < TESTBED_MAX_PAIRS + 1; i++)
		gen_links[i] = -1;
	parse_options(argc, argv);
	libbpf_set_print(libbpf_print);
	if (opt.list)
		return list_programs(argv + optind, argc - optind);
	catch_signals();
	err = run();
	clean_up();
	if (stop_signal) {
		pr_err("interrupted by %s: stopped, and removed the test namespaces and "
		       "XDP attachments; no results written", signal_name(stop_signal));
		return EXIT_FAIL;
	}
	return err ? EXIT_FAIL : EXIT_OK;
}
