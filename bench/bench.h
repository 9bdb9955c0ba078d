/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_bench's pieces, one file each: programs.c (what is measured),
 * cost.c (BPF_PROG_TEST_RUN), live.c (frames over veth), stats.c
 * (medians and quartiles), report.c (the tables), xdp_bench.c (options).
 */
#ifndef BENCH_H
#define BENCH_H

#include <limits.h>
#include <stdbool.h>
#include <linux/types.h>

#include "packets.h"

#define MAX_PROGS	64
#define MAX_PACKETS	32	/* different packets in one run */
#define MAX_PROG_PACKETS 24	/* packets one program is measured on */
#define MAX_SETS	4	/* --set VAR=VALUE per program */
#define MAX_ROUNDS	1000

struct packet {
	const char *spec;	/* as in packets.h: "vlan,ipv4,udp" */
	unsigned char data[PKT_MAX];
	int len;
};

/* How a test run with `repeat` sees a program's packet, from probe_path(). */
enum path {
	PATH_SAME,	/* the program leaves it as it is: every run takes one path */
	PATH_OWN_OUTPUT,	/* it changes it, and takes the same path on its output */
	PATH_ALTERNATES,	/* its output, run again, gives the packet back */
	PATH_NONE,	/* none of these: not measured */
};

struct global_setting {
	const char *name;	/* a global of the object, e.g. snaplen */
	__u32 value;
};

/* One program under test, loaded on its own from its object. */
struct prog {
	char label[PATH_MAX + 128];	/* FILE.o:NAME[,VAR=VALUE]..., as shown */
	char file[PATH_MAX];
	const char *name;		/* NULL: the object's first XDP program */
	bool force_xdp;			/* old-style section: load it as XDP */
	struct global_setting sets[MAX_SETS];
	int n_sets;
	struct packet *packets[MAX_PROG_PACKETS];
	int n_packets;			/* 0: the default packets */
	struct bpf_object *obj;
	int fd;
	struct perf_buffer *perf;	/* its perf event map, drained after each call */
	__u64 perf_records, perf_lost;
};

/* The median of one figure over the rounds, with its quartiles. */
struct summary {
	double median, q1, q3;
	int n;			/* rounds that counted */
};

struct options {
	bool cost, live;
	__u32 xdp_flags;	/* live attach mode: XDP_FLAGS_SKB_MODE or _DRV_MODE */
	__u32 rounds, live_rounds, repeat, live_frames;	/* 0: sized automatically */
	const char *live_packet;
	bool quiet, verbose;
};
extern struct options opt;

/* Ours first (bench_pass, bench_drop, bench_heavy), then the --prog ones;
 * the live generator apart. */
extern struct prog progs[MAX_PROGS];
extern int n_progs;
extern struct prog *bench_pass, *bench_drop, *generator;

/* programs.c */
void add_prog_arg(const char *spec);
void add_packet_arg(const char *spec);
void add_set_arg(const char *setting);
void force_xdp_arg(void);
void add_bench_programs(void);
int load_programs(void);
void close_programs(void);
int list_programs(const char *file);
struct packet *packet_for(const char *spec);
int probe_path(struct prog *p, const struct packet *pkt, int *verdict, enum path *path);
__u32 batch_limit(const struct prog *p, const struct packet *pkt);
void drain_perf(struct prog *p);
const char *path_name(enum path path);

/* cost.c, live.c */
int run_cost(void);
int run_live(void);
void live_clean_up(void);

/* stats.c */
double thread_cpu_ns(void);
struct summary summarize(const double *v, int n);
double mean_valid(double a, double b);

/* report.c: rows are added as the figures come, printed at the end */
struct row {
	const char *table;	/* "cost", "native", "skb" */
	const struct prog *prog;
	const struct packet *pkt;
	int verdict;
	const char *path;
	struct summary ratio;
	double extra_ns, mpps;	/* mpps: live only */
	const char *note;
};
void add_row(const struct row *row);
int print_report(void);

/* A failed call: one line, "<what> failed: <errno text>", unless a
 * signal cut it short; returns @err (or -EINTR). */
int failed(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* BENCH_H */
