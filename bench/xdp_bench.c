// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_bench: what does an XDP program cost per packet?
 *
 *   $ sudo bench/xdp_bench --prog basic03-map-counter/xdp_prog_kern.o:xdp_count_pass_func
 *
 * As ratios to a trivial program measured beside it in the same run, since
 * on a shared, noisy machine only such ratios repeat from run to run:
 * program cost through BPF_PROG_TEST_RUN (cost.c) and live frames over a
 * veth pair (live.c). README.org says how and why.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>

#include "logging.h"
#include "params.h"
#include "util.h"
#include "bench.h"

struct options opt = {
	.cost = true, .live = true, .rounds = 25, .live_rounds = 15,
	.live_packet = "ipv6,icmp6",
};

static const char *list_files[MAX_PROGS];
static int n_list_files;

enum { OPT_SET = TOOL_OPT_LONG, OPT_FORCE_XDP, OPT_LIVE_PACKET };

static const struct tool_option options[] = {
	{ "prog", 1, 'p', "FILE.o[:NAME]", "a program to measure; the next three options follow it" },
	{ "packet", 1, 'P', "SPEC", "  a test frame (tests/lib/packets.h; default ipv6,icmp6)" },
	{ "set", 1, OPT_SET, "VAR=VALUE", "  a global of its object, set before loading" },
	{ "force-xdp", 0, OPT_FORCE_XDP, NULL, "  XDP whatever its section is named" },
	{ "mode", 1, 'm', "cost|live|all", "which measurements (default all)" },
	{ "rounds", 1, 'r', "N", "program-cost rounds (default 25)" },
	{ "live-rounds", 1, 'R', "N", "live rounds (default 15)" },
	{ "repeat", 1, 'n', "N", "packets per program-cost sample (default: ~8 ms of CPU)" },
	{ "live-frames", 1, 'N', "N", "frames per live sample (default: ~25 ms of CPU)" },
	{ "live-packet", 1, OPT_LIVE_PACKET, "SPEC", "the live frame (default ipv6,icmp6)" },
	{ "list", 1, 'l', "FILE.o", "print FILE.o:NAME for its XDP programs that load; exit" },
	{}
};

static void handle_option(int val, const char *arg, struct config *cfg)
{
	switch (val) {
	case 'p': add_prog_arg(arg); break;
	case 'P': add_packet_arg(arg); break;
	case OPT_SET: add_set_arg(arg); break;
	case OPT_FORCE_XDP: force_xdp_arg(); break;
	case 'm':
		opt.cost = !strcmp(arg, "cost") || !strcmp(arg, "all");
		opt.live = !strcmp(arg, "live") || !strcmp(arg, "all");
		if (!opt.cost && !opt.live)
			usage_error("--mode is cost, live or all, not '%s'", arg);
		break;
	case 'r': opt.rounds = parse_u32_arg("--rounds", arg, 1, MAX_ROUNDS); break;
	case 'R': opt.live_rounds = parse_u32_arg("--live-rounds", arg, 1, MAX_ROUNDS); break;
	case 'n': opt.repeat = parse_u32_arg("--repeat", arg, 1, 100000000); break;
	case 'N': opt.live_frames = parse_u32_arg("--live-frames", arg, 1, 100000000); break;
	case OPT_LIVE_PACKET: opt.live_packet = packet_for(arg)->spec; break;
	case 'l':
		if (n_list_files == MAX_PROGS)
			usage_error("too many --list options (at most %d)", MAX_PROGS);
		list_files[n_list_files++] = arg;
		break;
	}
}

int failed(int err, const char *fmt, ...)
{
	va_list ap;

	if (stop_requested)
		return -EINTR;
	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " failed: %s\n", strerror(-err));
	return err;
}

/* The whole run on one CPU, the last we may use (the first takes most
 * interrupts): the live frames' softirq work then happens inside the
 * generator's call, on its CPU. */
static int pin_cpu(void)
{
	cpu_set_t cpus;
	int last = CPU_SETSIZE;

	if (sched_getaffinity(0, sizeof(cpus), &cpus))
		return failed(-errno, "reading the CPU affinity");
	while (--last > 0 && !CPU_ISSET(last, &cpus))
		;
	CPU_ZERO(&cpus);
	CPU_SET(last, &cpus);
	return sched_setaffinity(0, sizeof(cpus), &cpus) ? failed(-errno, "pinning to a CPU") : 0;
}

static int measure(void)
{
	return pin_cpu() ?: load_programs() ?: (opt.cost ? run_cost() : 0) ?:
	       (opt.live ? run_live() : 0);
}

int main(int argc, char **argv)
{
	struct config cfg = {};
	int err = 0;

	add_bench_programs(argv[0]);
	parse_cmdline(argc, argv, OPT_MODE, options, handle_option, &cfg,
		      "What an XDP program costs per packet, as ratios to a trivial program\n"
		      "measured in the same run (see bench/README.org).");
	opt.xdp_flags = cfg.attach_mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
			cfg.attach_mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : 0;
	logging_init(&cfg);
	if (require_bpf_privileges())
		return EXIT_FAIL;
	for (int i = 0; i < n_list_files; i++)
		err = list_programs(list_files[i]) ?: err;
	if (n_list_files)
		return err ? EXIT_FAIL : EXIT_OK;
	stop_on_signals();
	err = measure();
	live_clean_up();
	if (!err && !stop_requested)
		err = print_report();
	close_programs();
	if (stop_requested)
		pr_err("interrupted: no results; its veths and XDP attachments are gone");
	return err || stop_requested ? EXIT_FAIL : EXIT_OK;
}
