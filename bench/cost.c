// SPDX-License-Identifier: GPL-2.0
/*
 * Program cost: each (program, packet) pair runs through BPF_PROG_TEST_RUN
 * with `repeat` sized to ~8 ms of CPU, timed by this thread's CPU time:
 * not wall time, which includes the 10-30 ms each call sleeps in
 * synchronize_rcu, nor the kernel's `duration`, whole nanoseconds on a
 * figure of ~10. In rounds (stats.c), against bench_pass (trivial
 * XDP_PASS) on the same packet.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "util.h"
#include "bench.h"

#define COST_CALL_NS	8e6	/* CPU time one sample is sized to */

static struct series pairs[MAX_PROGS * MAX_PROG_PACKETS], bases[MAX_PACKETS];
static int n_pairs, n_bases;
/* CPU time a call with repeat > 1 costs whatever the program: it puts the
 * program into the kernel's XDP dispatcher and takes it out again (~0.25
 * ms). Measured once, taken off every sample. */
static double call_overhead_ns;

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
 * which keeps what the program did to it. Which path does that time? One
 * run and two tell: the packet unchanged; or back after two runs (a VLAN
 * pop, then a push); or changed alike each time (a port rewrite: the same
 * verdict and length).
 */
int probe_path(struct prog *p, const struct packet *pkt, int *verdict, enum path *path)
{
	unsigned char once[PKT_MAX + 256], twice[PKT_MAX + 256];
	__u32 once_len = sizeof(once), twice_len = sizeof(twice);
	int verdict2 = -1, err = test_run(p, pkt, 1, verdict, once, &once_len) ?:
			    test_run(p, pkt, 2, &verdict2, twice, &twice_len);

	*path = same_bytes(pkt, once, once_len) ? PATH_SAME :
		same_bytes(pkt, twice, twice_len) ? PATH_ALTERNATES :
		verdict2 == *verdict && twice_len == once_len ? PATH_OWN_OUTPUT : PATH_NONE;
	return err;
}

const char *path_name(enum path path)
{
	static const char *const names[] = { "same", "own-output", "alternates", "none" };

	return names[path];
}

/* One sample: CPU time per packet over c->count repetitions in one call. */
static int sample(struct series *c, double *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = c->pkt->data,
		    .data_size_in = c->pkt->len, .repeat = c->count);
	double start = thread_cpu_ns();
	int err = stop_requested ? -EINTR : bpf_prog_test_run_opts(c->prog->fd, &run);

	*ns = (thread_cpu_ns() - start - call_overhead_ns) / c->count;
	drain_perf(c->prog);
	return err ? failed(err, "test run of %s", c->prog->label) : 0;
}

/* A call of two packets is nearly all overhead. */
static int measure_call_overhead(void)
{
	struct series c = { .prog = bench_pass, .pkt = bases[0].pkt, .count = 2 };
	double cpu[7];
	int err = 0;

	for (int i = 0; i < 7 && !err; i++) {
		err = sample(&c, &cpu[i]);
		cpu[i] *= c.count;
	}
	call_overhead_ns = summarize(cpu, 7).median;
	return err;
}

static struct series *base_for(const struct packet *pkt)
{
	for (int i = 0; i < n_bases; i++)
		if (bases[i].pkt == pkt)
			return &bases[i];
	bases[n_bases] = (struct series){ .prog = bench_pass, .pkt = pkt };
	return &bases[n_bases++];
}

/* Every program on each of its packets, and how to time it there. */
static int make_pairs(void)
{
	int err = 0;

	for (int i = 0; i < n_progs; i++) {
		for (int k = 0; k < progs[i].n_packets && !err; k++) {
			struct series *c = &pairs[n_pairs++];

			*c = (struct series){ .prog = &progs[i], .pkt = progs[i].packets[k] };
			c->base = base_for(c->pkt);
			err = probe_path(c->prog, c->pkt, &c->verdict, &c->path);
		}
	}
	err = err ?: measure_call_overhead();
	for (int i = 0; i < n_bases && !err; i++)
		err = size_series(&bases[i], sample, opt.repeat, COST_CALL_NS);
	for (int i = 0; i < n_pairs && !err; i++)
		if (pairs[i].path != PATH_NONE)
			err = size_series(&pairs[i], sample, opt.repeat, COST_CALL_NS);
	return err;
}

int run_cost(void)
{
	int err = make_pairs();

	if (!err)
		pr_info("program cost: %d (program, packet) pairs, %u rounds", n_pairs,
			opt.rounds);
	err = err ?: run_rounds(pairs, n_pairs, opt.rounds, sample);
	for (int i = 0; i < n_pairs && !err; i++) {
		if (pairs[i].path == PATH_NONE)
			add_row(&pairs[i], "cost", 0, "not measured: run again on its output, "
				"it takes another path");
		else
			add_row(&pairs[i], "cost", opt.rounds, pairs[i].path == PATH_ALTERNATES ?
				"the mean of its two paths" : NULL);
	}
	return err;
}
