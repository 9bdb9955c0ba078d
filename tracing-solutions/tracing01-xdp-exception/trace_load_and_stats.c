// SPDX-License-Identifier: GPL-2.0
/*
 * Count XDP exceptions per interface and action: load trace_prog_kern.o,
 * attach its program to the xdp:xdp_exception tracepoint, then print every
 * interval, for each (interface, action), the exceptions so far and their
 * rate, until Ctrl-C.
 * The attachment is a bpf_link owned by this process: it goes away when
 * the process ends, however it ends.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "exception_key.h"
#include "trace_prog_kern.skel.h"

static const char *doc =
	"Count the packets of XDP programs that end in an exception (XDP_ABORTED,\n"
	"or an action the driver cannot carry out), per interface and action, every\n"
	"--interval seconds until Ctrl-C.\n"
	"Output: IFNAME ifindex N action A ACTION_NAME COUNT pkts RATE pps";

enum { OPT_BTF = TOOL_OPT_LONG + 1 };
static const struct tool_option options[] = {
	{ "btf", no_argument, OPT_BTF, NULL,
	  "count with the tp_btf program (typed arguments) instead" },
	{}
};
static bool use_btf;

static void handle_option(int val, const char *arg, struct config *cfg)
{
	if (val == OPT_BTF)
		use_btf = true;
}

/* The count of one (interface, action) at one moment. */
struct key_count {
	struct exception_key key;
	__u64 packets;
};

struct sample {
	struct key_count *counts;	/* sorted by ifindex */
	__u32 n, max;
	double time;
};

static int by_key(const void *a, const void *b)
{
	const struct exception_key *x = &((const struct key_count *)a)->key;
	const struct exception_key *y = &((const struct key_count *)b)->key;

	if (x->ifindex != y->ifindex)
		return x->ifindex < y->ifindex ? -1 : 1;
	return (x->action > y->action) - (x->action < y->action);
}

/* Every entry of the per-CPU map, each added up over the CPUs. */
static void read_sample(int map_fd, __u64 *percpu, int ncpus, struct sample *s)
{
	struct exception_key key, *prev_key = NULL;

	s->n = 0;
	while (s->n < s->max && !bpf_map_get_next_key(map_fd, prev_key, &key)) {
		struct key_count *c = &s->counts[s->n];

		c->key = key;
		prev_key = &c->key;
		if (bpf_map_lookup_elem(map_fd, &key, percpu))
			continue;
		c->packets = 0;
		for (int cpu = 0; cpu < ncpus; cpu++)
			c->packets += percpu[cpu];
		s->n++;
	}
	qsort(s->counts, s->n, sizeof(s->counts[0]), by_key);
	s->time = monotonic_seconds();
}

static __u64 packets_of(const struct sample *s, const struct exception_key *key)
{
	struct key_count want = { .key = *key }, *found;

	found = bsearch(&want, s->counts, s->n, sizeof(want), by_key);
	return found ? found->packets : 0;
}

/* One line per (interface, action); an interface that has gone away keeps
 * its lines, with its index and no name. */
static void print_sample(const struct sample *cur, const struct sample *prev,
			 const struct config *cfg)
{
	double period = cur->time - prev->time;

	for (__u32 i = 0; i < cur->n; i++) {
		const struct key_count *c = &cur->counts[i];
		char name[IF_NAMESIZE];

		if (cfg->ifindex && c->key.ifindex != cfg->ifindex)
			continue;
		if (!if_indextoname(c->key.ifindex, name))
			strcpy(name, "(gone)");
		printf("%-15s ifindex %-5d action %u %-12s %10llu pkts %10.1f pps\n",
		       name, c->key.ifindex, c->key.action, xdp_action_name(c->key.action),
		       c->packets, (c->packets - packets_of(prev, &c->key)) / period);
	}
}

static int print_stats_until_stopped(int map_fd, __u32 max_entries, double interval,
				     const struct config *cfg)
{
	int ncpus = libbpf_num_possible_cpus();
	struct sample a = { .max = max_entries }, b = { .max = max_entries };
	struct sample *cur = &a, *prev = &b, *swap;
	__u64 *percpu = NULL;
	int err = -ENOMEM;

	if (ncpus < 0) {
		pr_err("cannot tell how many CPUs there are: %s", strerror(-ncpus));
		return ncpus;
	}
	percpu = calloc(ncpus, sizeof(*percpu));
	a.counts = calloc(max_entries, sizeof(*a.counts));
	b.counts = calloc(max_entries, sizeof(*b.counts));
	if (!percpu || !a.counts || !b.counts) {
		pr_err("out of memory");
		goto cleanup;
	}
	err = 0;
	read_sample(map_fd, percpu, ncpus, prev);
	for (;;) {
		sleep_seconds(interval);
		if (stop_requested)
			break;
		read_sample(map_fd, percpu, ncpus, cur);
		print_sample(cur, prev, cfg);
		swap = prev, prev = cur, cur = swap;
	}
cleanup:
	free(percpu);
	free(a.counts);
	free(b.counts);
	return err;
}

static int attach(struct bpf_program *prog, struct bpf_link **link)
{
	int err;

	if (use_btf)
		*link = bpf_program__attach_trace(prog);
	else
		*link = bpf_program__attach_tracepoint(prog, "xdp", "xdp_exception");
	if (*link)
		return 0;
	err = -errno;
	pr_err("attaching %s to the xdp:xdp_exception tracepoint failed: %s",
	       bpf_program__name(prog), strerror(-err));
	return err;
}

int main(int argc, char **argv)
{
	struct config cfg = { .interval = 2 };
	struct trace_prog_kern *skel = NULL;
	struct bpf_link *link = NULL;
	struct bpf_program *prog, *unused;
	int err;

	parse_cmdline(argc, argv, OPT_DEV_OPTIONAL | OPT_INTERVAL, options, handle_option,
		      &cfg, doc);
	logging_init(&cfg);
	err = require_bpf_privileges();
	if (err)
		goto cleanup;
	/* libbpf finds the tracepoint's id in tracefs. */
	err = ensure_tracefs();
	if (err)
		goto cleanup;

	skel = trace_prog_kern__open();
	if (!skel) {
		err = -errno;
		pr_err("opening the BPF object failed: %s", strerror(-err));
		goto cleanup;
	}
	/* Load only the program we attach. */
	prog = use_btf ? skel->progs.trace_xdp_exception_btf : skel->progs.trace_xdp_exception;
	unused = use_btf ? skel->progs.trace_xdp_exception : skel->progs.trace_xdp_exception_btf;
	bpf_program__set_autoload(unused, false);
	/* A verifier rejection is reported as one line, its reason. */
	verifier_log_attach(skel->obj);
	logging_silence();
	err = trace_prog_kern__load(skel);
	logging_restore();
	if (err) {
		report_load_error(skel->obj, err);
		goto cleanup;
	}
	stop_on_signals();
	err = attach(prog, &link);
	if (err)
		goto cleanup;

	/* One line at a time, even into a pipe or a file. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	pr_info("Counting XDP exceptions with %s every %.1f s; Ctrl-C to stop",
		bpf_program__name(prog), cfg.interval);
	err = print_stats_until_stopped(bpf_map__fd(skel->maps.xdp_exceptions),
					bpf_map__max_entries(skel->maps.xdp_exceptions),
					cfg.interval, &cfg);
cleanup:
	/* Detaches: the tracepoint no longer runs the program. */
	bpf_link__destroy(link);
	trace_prog_kern__destroy(skel);
	return err ? EXIT_FAIL : EXIT_OK;
}
