// SPDX-License-Identifier: GPL-2.0
/*
 * Attach the counting program, then read its map every interval and print
 * the count and the rate, until Ctrl-C. The map is found through the loaded
 * object: no pinning yet (that is basic04).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "counter_kern_user.h"

static const char *doc =
	"Attach --progname from --filename to --dev, then print its packet\n"
	"counters every --interval seconds until Ctrl-C; or detach with --unload-all.";

/* The counters of every action at one moment. */
struct sample {
	struct datarec rec[XDP_ACTION_MAX];	/* Assignment 2 */
	double time;
};

/*
 * Assignment 3: a per-CPU map gives one record per possible CPU; add them
 * up. Each copy comes in a slot rounded up to 8 bytes, which struct datarec
 * fills exactly, so an array of them matches.
 */
static int read_record(int map_fd, __u32 key, struct datarec *sum)
{
	int ncpus = libbpf_num_possible_cpus();
	struct datarec percpu[ncpus];

	if (bpf_map_lookup_elem(map_fd, &key, percpu)) {
		int err = -errno;

		pr_err("reading the map failed: %s", strerror(-err));
		return err;
	}
	*sum = (struct datarec){};
	for (int cpu = 0; cpu < ncpus; cpu++) {
		sum->rx_packets += percpu[cpu].rx_packets;
		sum->rx_bytes += percpu[cpu].rx_bytes;
	}
	return 0;
}

static int read_sample(int map_fd, struct sample *s)
{
	for (__u32 action = 0; action < XDP_ACTION_MAX; action++)
		if (read_record(map_fd, action, &s->rec[action]))
			return -1;
	s->time = monotonic_seconds();
	return 0;
}

/* Assignments 1 and 2: bytes and Mbit/s too, and one line per action. */
static void print_sample(const struct sample *cur, const struct sample *prev)
{
	double period = cur->time - prev->time;

	for (__u32 action = 0; action < XDP_ACTION_MAX; action++) {
		const struct datarec *c = &cur->rec[action], *p = &prev->rec[action];
		__u64 packets = c->rx_packets - p->rx_packets;
		__u64 bytes = c->rx_bytes - p->rx_bytes;

		printf("%-12s %10llu pkts %8.0f pps %12llu bytes %9.3f Mbit/s  period %.3fs\n",
		       xdp_action_name(action), c->rx_packets, packets / period,
		       c->rx_bytes, bytes * 8 / period / 1e6, period);
	}
	putchar('\n');
}

static int print_stats_until_stopped(int map_fd, double interval)
{
	struct sample prev, cur;

	if (read_sample(map_fd, &prev))
		return -1;
	for (;;) {
		sleep_seconds(interval);
		if (stop_requested)
			return 0;
		if (read_sample(map_fd, &cur))
			return -1;
		print_sample(&cur, &prev);
		prev = cur;
	}
}

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_prog_kern.o",
			      .prog_name = "xdp_count_pass_func",
			      .interval = 2 };
	struct xdp_program *prog;
	struct bpf_map *map;
	int err = -1;

	parse_cmdline(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD | OPT_FILENAME |
		      OPT_PROGNAME | OPT_INTERVAL, NULL, NULL, &cfg, doc);
	logging_init(&cfg);
	if (cfg.unload)
		return xdp_prog_detach(&cfg) ? EXIT_FAIL : EXIT_OK;

	prog = xdp_prog_open(&cfg);
	if (!prog)
		return EXIT_FAIL;
	/* The map, found by name in the object: its fd is valid once loaded. */
	map = bpf_object__find_map_by_name(xdp_program__bpf_obj(prog), "xdp_stats_map");
	if (!map) {
		pr_err("no map xdp_stats_map in %s: is it this lesson's object file?",
		       cfg.filename);
		goto cleanup;
	}
	err = xdp_prog_attach(prog, &cfg);
	if (err)
		goto cleanup;

	/* One line at a time, even into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	stop_on_signals();
	pr_info("Counting for %s on %s every %.1f s; Ctrl-C to stop",
		xdp_program__name(prog), cfg.ifname, cfg.interval);
	err = print_stats_until_stopped(bpf_map__fd(map), cfg.interval);

	/* The program is attached to the interface, not to this process. */
	printf("Stopped. %s stays attached to %s; detach it with: %s --dev %s --unload-all\n",
	       xdp_program__name(prog), cfg.ifname, tool_name, cfg.ifname);
cleanup:
	xdp_prog_close(prog);
	return err ? EXIT_FAIL : EXIT_OK;
}
