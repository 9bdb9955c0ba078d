// SPDX-License-Identifier: GPL-2.0
/*
 * Program cost: each (program, packet) pair runs through BPF_PROG_TEST_RUN
 * with `repeat` sized to ~8 ms of CPU, timed by this thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID): not wall time, which includes the 10-30 ms
 * each call sleeps in synchronize_rcu, and not the kernel's `duration`,
 * whole nanoseconds on a figure of ~10. Rounds of every pair, the order
 * rotated each round, each sample between two samples of bench_pass on the
 * same packet: the machine's speed drifts, samples ~20 ms apart see the
 * same machine. Per pair, the median over the rounds of the ratio.
 */
#include <errno.h>
#include <math.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "util.h"
#include "bench.h"

#define COST_CALL_NS	8e6	/* CPU time one sample is sized to */

struct cost_pair {
	struct prog *prog;
	const struct packet *pkt;
	int verdict;
	enum path path;
	__u32 count;		/* packets per sample */
	struct cost_pair *base;	/* bench_pass on the same packet */
	double ns[MAX_ROUNDS];	/* CPU time per packet, each round */
	double base_ns[MAX_ROUNDS];	/* the base's, just before and after */
};

static struct cost_pair pairs[MAX_PROGS * MAX_PROG_PACKETS];
static int n_pairs;
static struct cost_pair bases[MAX_PACKETS];
static int n_bases;
/* What every call with repeat > 1 costs whatever the program (see below). */
static double call_overhead_ns;

/* One sample: CPU time per packet over c->count repetitions in one call. */
static int sample(struct cost_pair *c, double *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = c->pkt->data,
		    .data_size_in = c->pkt->len, .repeat = c->count);
	double start, cpu;
	int err;

	if (stop_requested)
		return -EINTR;
	start = thread_cpu_ns();
	err = bpf_prog_test_run_opts(c->prog->fd, &run);
	cpu = thread_cpu_ns() - start;
	drain_perf(c->prog);
	*ns = (cpu - call_overhead_ns) / c->count;
	return err ? failed(err, "test run of %s", c->prog->label) : 0;
}

/*
 * A call with repeat > 1 also puts the program into the kernel's XDP
 * dispatcher and takes it out again: ~0.2 ms of CPU whatever the program,
 * nearly all a call of two packets costs. Measured once, taken off every
 * sample, so it does not dilute the ratios.
 */
static int measure_call_overhead(void)
{
	struct cost_pair c = { .prog = bench_pass, .pkt = bases[0].pkt, .count = 2 };
	double cpu[7];
	int err = 0;

	for (int i = 0; i < 7 && !err; i++) {
		err = sample(&c, &cpu[i]);
		cpu[i] *= c.count;
	}
	call_overhead_ns = summarize(cpu, 7).median;
	return err;
}

/* Packets per sample for about COST_CALL_NS of CPU, within what a perf
 * ring holds: a guess from a small call, then a second look. */
static int size_pair(struct cost_pair *c)
{
	__u32 limit = batch_limit(c->prog, c->pkt);
	double ns;
	int err = 0;

	c->count = opt.repeat ? opt.repeat : 10000;
	for (int step = 0; step < 2 && !opt.repeat && !err; step++) {
		c->count = fmin(c->count, limit);
		err = sample(c, &ns);
		c->count = fmax(100, COST_CALL_NS / (step ? 1 : 4) / fmax(ns, 0.1));
	}
	c->count = fmin(c->count, limit);
	return err;
}

static struct cost_pair *base_for(const struct packet *pkt)
{
	for (int i = 0; i < n_bases; i++)
		if (bases[i].pkt == pkt)
			return &bases[i];
	bases[n_bases] = (struct cost_pair){ .prog = bench_pass, .pkt = pkt };
	return &bases[n_bases++];
}

static int make_pairs(void)
{
	for (int i = 0; i < n_progs; i++) {
		for (int k = 0; k < progs[i].n_packets; k++) {
			struct cost_pair *c = &pairs[n_pairs++];
			int err;

			*c = (struct cost_pair){ .prog = &progs[i], .pkt = progs[i].packets[k] };
			c->base = base_for(c->pkt);
			err = probe_path(c->prog, c->pkt, &c->verdict, &c->path);
			if (err)
				return err;
		}
	}
	return 0;
}

static int size_pairs(void)
{
	int err = measure_call_overhead();

	for (int i = 0; i < n_bases && !err; i++)
		err = size_pair(&bases[i]);
	for (int i = 0; i < n_pairs && !err; i++)
		if (pairs[i].path != PATH_NONE)
			err = size_pair(&pairs[i]);
	return err;
}

/* One round: every pair between two samples of its base; consecutive
 * pairs on the same packet share the sample between them. */
static int cost_round(int round)
{
	const struct cost_pair *last_base = NULL;
	double before = 0, after;
	int err = 0;

	for (int i = 0; i < n_pairs && !err; i++) {
		struct cost_pair *c = &pairs[(i + round) % n_pairs];

		if (c->path == PATH_NONE)
			continue;
		if (c->base != last_base)
			err = sample(c->base, &before);
		err = err ?: sample(c, &c->ns[round]) ?: sample(c->base, &after);
		c->base_ns[round] = (before + after) / 2;
		before = after;
		last_base = c->base;
	}
	return err;
}

static void cost_row(const struct cost_pair *c)
{
	double ratio[MAX_ROUNDS], extra[MAX_ROUNDS];
	struct row r = { .table = "cost", .prog = c->prog, .pkt = c->pkt,
			 .verdict = c->verdict, .path = path_name(c->path), .mpps = NAN };
	int n = c->path == PATH_NONE ? 0 : opt.rounds;

	for (int i = 0; i < n; i++) {
		ratio[i] = c->ns[i] / c->base_ns[i];
		extra[i] = c->ns[i] - c->base_ns[i];
	}
	r.ratio = summarize(ratio, n);
	r.extra_ns = summarize(extra, n).median;
	if (c->path == PATH_NONE)
		r.note = "not measured: run again on its output it takes another path";
	else if (c->path == PATH_ALTERNATES)
		r.note = "the mean of its two paths";
	add_row(&r);
}

int run_cost(void)
{
	int err = make_pairs() ?: size_pairs();

	if (!err)
		pr_info("program cost: %d (program, packet) pairs, %u rounds", n_pairs,
			opt.rounds);
	for (__u32 round = 0; round < opt.rounds && !err; round++)
		err = cost_round(round);
	for (int i = 0; i < n_pairs && !err; i++)
		cost_row(&pairs[i]);
	return err;
}
