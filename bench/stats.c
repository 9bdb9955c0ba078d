// SPDX-License-Identifier: GPL-2.0
/* The clock the samples are timed by, the rounds they are taken in, and
 * what is made of them. */
#include <math.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"

/* This thread's CPU time: what the kernel spends in our calls, softirq
 * work on this CPU included, and nothing other tasks do. */
double thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median and quartiles of the @n figures in @v; a NaN one is skipped. */
struct summary summarize(const double *v, int n)
{
	struct summary s = { NAN, NAN, NAN, 0 };
	double sorted[MAX_ROUNDS];

	for (int i = 0; i < n; i++)
		if (!isnan(v[i]))
			sorted[s.n++] = v[i];
	if (!s.n)
		return s;
	qsort(sorted, s.n, sizeof(sorted[0]), cmp_double);
	s.median = (sorted[(s.n - 1) / 2] + sorted[s.n / 2]) / 2;
	s.q1 = sorted[(s.n - 1) / 4];
	s.q3 = sorted[s.n - 1 - (s.n - 1) / 4];
	return s;
}

/* Packets per sample for about @cpu_ns of CPU (within what a perf ring
 * holds), from a first sample of 20000; or @count if given. */
int size_series(struct series *s, sample_fn sample, __u32 count, double cpu_ns)
{
	double ns = 0;
	int err = 0;

	s->count = fmin(count ?: 20000, batch_limit(s->prog, s->pkt));
	if (!count)
		err = sample(s, &ns);
	if (ns > 0)
		s->count = fmin(fmax(100, cpu_ns / ns), batch_limit(s->prog, s->pkt));
	return err;
}

/* The mean of two samples, or the one that counted. */
static double mean_valid(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : (a + b) / 2;
}

/*
 * Rounds of every series, the order rotated each round, each sample
 * between two samples of its base: the machine's speed drifts, and samples
 * a few ms apart see the same machine. Consecutive series with the same
 * base share the sample between them.
 */
int run_rounds(struct series *series, int n, __u32 rounds, sample_fn sample)
{
	double before = NAN, after;
	int err = 0;

	for (__u32 round = 0; round < rounds && !err; round++) {
		const struct series *last_base = NULL;

		for (int i = 0; i < n && !err; i++) {
			struct series *s = &series[(i + round) % n];

			if (s->path == PATH_NONE)
				continue;
			if (s->base != last_base)
				err = sample(s->base, &before);
			err = err ?: sample(s, &s->ns[round]) ?: sample(s->base, &after);
			s->base_ns[round] = mean_valid(before, after);
			before = after;
			last_base = s->base;
		}
	}
	return err;
}
