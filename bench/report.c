// SPDX-License-Identifier: GPL-2.0
/*
 * The tables: a row per figure, in columns split by spaces (no field has
 * one, but the note at the end), for people and awk alike.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "logging.h"
#include "util.h"
#include "bench.h"

struct row {
	const struct series *s;
	const char *table;	/* "cost", "native", "skb" */
	__u32 rounds;
	const char *note;
	struct summary ratio;	/* the ratio to the base, round by round */
	double extra_ns, mpps;	/* medians */
};

static struct row rows[MAX_PROGS * (MAX_PROG_PACKETS + 1)];
static int n_rows;

void add_row(const struct series *s, const char *table, __u32 rounds, const char *note)
{
	double ratio[MAX_ROUNDS], extra[MAX_ROUNDS], mpps[MAX_ROUNDS];
	struct row *r = &rows[n_rows++];

	for (__u32 i = 0; i < rounds; i++) {
		ratio[i] = s->ns[i] / s->base_ns[i];
		extra[i] = s->ns[i] - s->base_ns[i];
		mpps[i] = 1e3 / s->ns[i];
	}
	*r = (struct row){ .s = s, .table = table, .rounds = rounds, .note = note,
			   .ratio = summarize(ratio, rounds),
			   .extra_ns = summarize(extra, rounds).median,
			   .mpps = summarize(mpps, rounds).median };
}

static void print_table(const char *table)
{
	bool live = strcmp(table, "cost");
	int w = 8, pw = 8;	/* the widest program label and packet spec */

	for (int i = 0; i < n_rows; i++) {
		w = fmax(w, strlen(rows[i].s->prog->label));
		pw = fmax(pw, strlen(rows[i].s->pkt->spec));
	}
	if (live)
		printf("\nLive frames over veth, %s XDP on the receiver: generator CPU time per "
		       "frame\nover that with bench_drop (trivial XDP_DROP); median of %u rounds\n\n",
		       table, opt.live_rounds);
	else
		printf("\nProgram cost: BPF_PROG_TEST_RUN with repeat, this thread's CPU time per "
		       "packet\nover bench_pass's (trivial XDP_PASS) on the same packet; median of "
		       "%u rounds\n\n", opt.rounds);
	printf("%-*s  %-*s  %-8s %-10s  %6s  %-11s %9s%s  note\n", w, "program", pw, "packet",
	       "verdict", "path", "ratio", "q1-q3", "extra_ns", live ? "     Mpps  rounds" : "");
	for (int i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];
		char range[32] = "-";

		if (strcmp(r->table, table))
			continue;
		if (r->ratio.n)
			snprintf(range, sizeof(range), "%.2f-%.2f", r->ratio.q1, r->ratio.q3);
		/* "PASS" for XDP_PASS: the tables have no room for the prefix */
		printf("%-*s  %-*s  %-8s %-10s  %6.2f  %-11s %+9.1f", w, r->s->prog->label, pw,
		       r->s->pkt->spec, xdp_action_name(r->s->verdict) + 4, path_name(r->s->path),
		       r->ratio.median, range, r->extra_ns);
		if (live)
			printf(" %8.2f  %6d", r->mpps, r->ratio.n);
		printf(r->note ? "  %s\n" : "\n", r->note);
	}
}

/* The tables; a live figure none of whose rounds counted fails the run. */
int print_report(void)
{
	static const char *const tables[] = { "cost", "native", "skb" };
	int empty = 0;

	for (int t = 0; t < 3; t++)
		for (int i = 0; i < n_rows; i++)
			if (!strcmp(rows[i].table, tables[t])) {
				print_table(tables[t]);
				break;
			}
	for (int i = 0; i < n_progs; i++)
		if (progs[i].perf)
			printf("perf records of %s: %llu read, %llu lost\n", progs[i].label,
			       progs[i].perf_records, progs[i].perf_lost);
	for (int i = 0; i < n_rows; i++)
		empty += strcmp(rows[i].table, "cost") && !rows[i].ratio.n;
	if (empty)
		pr_err("%d live figures have no round that counted: rx did not take in every "
		       "frame during the run (dropped, or left to ksoftirqd on a busy machine; "
		       "run again)", empty);
	return empty ? -EIO : 0;
}
