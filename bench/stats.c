// SPDX-License-Identifier: GPL-2.0
/* The clock the samples are timed by, and what is made of the samples. */
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

/* A row's figures from its samples and its yardstick's, round by round:
 * the ratio (median and quartiles), the extra ns and the Mpps (medians). */
void summarize_row(struct row *r, const double *ns, const double *base_ns, int n)
{
	double ratio[MAX_ROUNDS], extra[MAX_ROUNDS], mpps[MAX_ROUNDS];

	for (int i = 0; i < n; i++) {
		ratio[i] = ns[i] / base_ns[i];
		extra[i] = ns[i] - base_ns[i];
		mpps[i] = 1e3 / ns[i];
	}
	r->ratio = summarize(ratio, n);
	r->extra_ns = summarize(extra, n).median;
	r->mpps = summarize(mpps, n).median;
}

/* The mean of two samples, or the one that counted. */
double mean_valid(double a, double b)
{
	return isnan(a) ? b : isnan(b) ? a : (a + b) / 2;
}
