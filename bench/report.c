// SPDX-License-Identifier: GPL-2.0
/*
 * The tables: one row per measured figure, whitespace-separated columns
 * (no field has a space, but the note at the end), so a script reads them
 * with awk as easily as a person does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "logging.h"
#include "util.h"
#include "bench.h"

static struct row rows[MAX_PROGS * (MAX_PROG_PACKETS + 1)];
static int n_rows;

void add_row(const struct row *row)
{
	rows[n_rows++] = *row;
}

/* "PASS" for XDP_PASS: the tables have no room for the prefix. */
static const char *verdict_name(int verdict)
{
	return xdp_action_name(verdict) + strlen("XDP_");
}

/* The widest program label, or packet spec, in the tables. */
static int column_width(bool packet)
{
	int width = 8;

	for (int i = 0; i < n_rows; i++) {
		int len = strlen(packet ? rows[i].pkt->spec : rows[i].prog->label);

		width = len > width ? len : width;
	}
	return width;
}

static void print_ratio(const struct row *r)
{
	char range[32];

	snprintf(range, sizeof(range), "%.2f-%.2f", r->ratio.q1, r->ratio.q3);
	if (r->ratio.n)
		printf("  %6.2f  %-11s %+9.1f", r->ratio.median, range, r->extra_ns);
	else
		printf("  %6s  %-11s %9s", "-", "-", "-");
}

static void print_table(const char *table)
{
	int w = column_width(false), pw = column_width(true);
	bool live = strcmp(table, "cost");

	if (!live)
		printf("\nProgram cost: BPF_PROG_TEST_RUN with repeat, this thread's CPU time "
		       "per packet\nover bench_pass's (trivial XDP_PASS) on the same packet; "
		       "median of %u rounds\n\n", opt.rounds);
	else
		printf("\nLive frames over veth, %s XDP on the receiver, %s frames: generator "
		       "CPU time per\nframe over that with bench_drop (trivial XDP_DROP); median "
		       "of %u rounds\n\n", table, opt.live_packet, opt.live_rounds);
	printf("%-*s  %-*s  %-8s %-10s  %6s  %-11s %9s%s  note\n", w, "program", pw,
	       "packet", "verdict", "path", "ratio", "q1-q3", "extra_ns",
	       live ? "     Mpps  rounds" : "");
	for (int i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];

		if (strcmp(r->table, table))
			continue;
		printf("%-*s  %-*s  %-8s %-10s", w, r->prog->label, pw, r->pkt->spec,
		       verdict_name(r->verdict), r->path);
		print_ratio(r);
		if (live)
			printf(" %8.2f  %6d", r->mpps, r->ratio.n);
		printf(r->note ? "  %s\n" : "\n", r->note);
	}
}

static void print_perf_counts(void)
{
	for (int i = 0; i < n_progs; i++)
		if (progs[i].perf)
			printf("perf records of %s: %llu read, %llu lost\n", progs[i].label,
			       (unsigned long long)progs[i].perf_records,
			       (unsigned long long)progs[i].perf_lost);
}

/* The tables; a live figure none of whose rounds counted fails the run. */
int print_report(void)
{
	static const char *const tables[] = { "cost", "native", "skb" };
	int empty = 0;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (int i = 0; i < n_rows; i++)
			if (!strcmp(rows[i].table, tables[t])) {
				print_table(tables[t]);
				break;
			}
	print_perf_counts();
	for (int i = 0; i < n_rows; i++)
		empty += strcmp(rows[i].table, "cost") && !rows[i].ratio.n;
	if (empty)
		pr_err("%d live figures have no valid round: a veth dropped frames "
		       "(run again; -v shows more)", empty);
	return empty ? -EIO : 0;
}
