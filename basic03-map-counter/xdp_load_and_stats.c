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

#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"
#include "counter_kern_user.h"

static const char *doc =
	"Attach --progname from --filename to --dev, then print its packet\n"
	"counters every --interval seconds until Ctrl-C; or detach with --unload-all.";

/* The counters at one moment. */
struct sample {
	struct datarec rec;
	double time;
};

static int read_sample(int map_fd, struct sample *s)
{
	__u32 key = XDP_PASS;

	/* Assignment 3: a per-CPU map returns one record per possible CPU
	 * (libbpf_num_possible_cpus()): look up into an array of them and
	 * add them up. */
	if (bpf_map_lookup_elem(map_fd, &key, &s->rec)) {
		int err = -errno;

		pr_err("reading the map failed: %s", strerror(-err));
		return err;
	}
	s->time = monotonic_seconds();
	return 0;
}

static void print_sample(const struct sample *cur, const struct sample *prev)
{
	double period = cur->time - prev->time;
	__u64 packets = cur->rec.rx_packets - prev->rec.rx_packets;

	/* Assignment 1: print the bytes too, and the rate in Mbit/s.
	 * Assignment 2: print one line per action, not only XDP_PASS
	 * (xdp_action_name() gives each action's name). */
	printf("%-12s %10llu pkts %8.0f pps  period %.3fs\n", "XDP_PASS",
	       cur->rec.rx_packets, packets / period, period);
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
