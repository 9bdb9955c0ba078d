/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xdp_bench's pieces, a file each: programs.c (what is measured), cost.c
 * (BPF_PROG_TEST_RUN), live.c (frames over veth), stats.c (medians),
 * report.c (the tables), xdp_bench.c (options, main).
 */
#ifndef BENCH_H
#define BENCH_H

#include <limits.h>
#include <stdbool.h>
#include <linux/types.h>

#include "packets.h"

#define MAX_PROGS	64
#define MAX_PACKETS	32	/* different packets in one run */
#define MAX_PROG_PACKETS 24	/* packets one program runs on */
#define MAX_SETS	4	/* --set VAR=VALUE for one program */
#define MAX_ROUNDS	200

struct packet {
	const char *spec;	/* as in packets.h: "vlan,ipv4,udp" */
	unsigned char data[PKT_MAX];
	int len;
};

/* One program under test, loaded on its own from its object. */
struct prog {
	char label[PATH_MAX + 128];	/* FILE.o:NAME[,VAR=VALUE]..., as shown */
	const char *file;
	const char *name;		/* NULL: the object's first XDP program */
	bool force_xdp;			/* an old-style section: load it as XDP */
	struct { const char *name; __u32 value; } sets[MAX_SETS];
	int n_sets;
	struct packet *packets[MAX_PROG_PACKETS];
	int n_packets;
	struct bpf_object *obj;
	int fd;
	struct perf_buffer *perf;	/* on its perf event map, if it has one */
	__u64 perf_records, perf_lost;
};

/* How a test run with `repeat` runs a program: see probe_path(). */
enum path { PATH_SAME, PATH_OWN_OUTPUT, PATH_ALTERNATES, PATH_NONE };

/* One figure measured in rounds: a program on a packet, each sample taken
 * between two samples of its yardstick (base). */
struct series {
	struct prog *prog;
	const struct packet *pkt;
	struct series *base;	/* bench_pass on the packet; bench_drop live */
	int verdict;
	enum path path;
	__u32 count;		/* packets per sample */
	double ns[MAX_ROUNDS];	/* CPU time per packet; NaN: did not count */
	double base_ns[MAX_ROUNDS];	/* the base's, just before and after */
};
typedef int (*sample_fn)(struct series *s, double *ns);

/* The median of one figure over the rounds, with its quartiles. */
struct summary {
	double median, q1, q3;
	int n;			/* rounds that counted */
};

struct options {
	bool cost, live;
	__u32 xdp_flags;	/* how live attaches: XDP_FLAGS_SKB_MODE, ... */
	__u32 rounds, live_rounds, repeat, live_frames;	/* 0: sized to the CPU time */
	const char *live_packet;
};
extern struct options opt;

/* Ours first (bench_pass, bench_drop, bench_heavy), then those of --prog;
 * the live generator (bench_tx) apart. */
extern struct prog progs[MAX_PROGS];
extern int n_progs;
extern struct prog *bench_pass, *bench_drop, *generator;

/* programs.c */
void add_prog_arg(const char *spec);
void add_packet_arg(const char *spec);
void add_set_arg(const char *setting);
void force_xdp_arg(void);
void add_bench_programs(const char *argv0);
int load_programs(void);
void close_programs(void);
int list_programs(const char *file);
struct packet *packet_for(const char *spec);
__u32 batch_limit(const struct prog *p, const struct packet *pkt);
void drain_perf(struct prog *p);

/* cost.c, live.c */
int probe_path(struct prog *p, const struct packet *pkt, int *verdict, enum path *path);
const char *path_name(enum path path);
int run_cost(void);
int run_live(void);
void live_clean_up(void);

/* stats.c */
double thread_cpu_ns(void);
struct summary summarize(const double *v, int n);
int size_series(struct series *s, sample_fn sample, __u32 count, double cpu_ns);
int run_rounds(struct series *series, int n, __u32 rounds, sample_fn sample);

/* report.c, xdp_bench.c: a row of @table for @rounds rounds of @s */
void add_row(const struct series *s, const char *table, __u32 rounds, const char *note);
int print_report(void);
/* One line "<fmt> failed: <errno text>", unless a signal cut the call
 * short; returns @err (or -EINTR). */
int failed(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif /* BENCH_H */
