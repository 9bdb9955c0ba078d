// SPDX-License-Identifier: GPL-2.0
/*
 * Live frames: a veth pair, gen <==> rx, in a network namespace of our own
 * (gone with the process, however it ends). The generator runs bench_tx
 * through BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES as if the
 * frames had arrived on gen; each XDP_TX sends a real frame to rx, where
 * the program under test is attached (swapped in with bpf_link_update()
 * between samples). rx's NAPI runs in softirq on this CPU before the call
 * returns, so the generator thread's CPU time covers both ends. In rounds
 * (stats.c), against bench_drop (trivial XDP_DROP) on rx.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "util.h"
#include "bench.h"

#define LIVE_CALL_NS	25e6	/* CPU time one sample is sized to */

static struct series floor_series, lps[MAX_PROGS];
static const struct packet *live_pkt;
static int links[3] = { -1, -1, -1 };	/* bench_tx on lo, bench_drop on gen, rx's */
static const struct prog *on_rx;

/* `ip -batch -` on @commands, in our namespace; its messages with -v. */
static int run_ip(const char *commands)
{
	FILE *ip = popen(logging_verbose() ? "ip -batch -" : "ip -batch - 2>/dev/null", "w");

	if (!ip)
		return -errno;
	fputs(commands, ip);
	return pclose(ip) ? -EIO : 0;
}

/* The pair has the test frame's MAC addresses, so rx takes the frames as
 * its own; IPv6 is off, so the stack sends nothing of its own, and drops
 * at once what XDP_PASS gives it. */
static int make_testbed(void)
{
	const unsigned char *d = live_pkt->data, *s = live_pkt->data + 6;
	char cmds[400];
	FILE *ipv6;

	if (unshare(CLONE_NEWNET))
		return failed(-errno, "making a network namespace");
	ipv6 = fopen("/proc/sys/net/ipv6/conf/default/disable_ipv6", "w");
	if (!ipv6 || fputs("1", ipv6) < 0)
		pr_debug("cannot turn IPv6 off in the test namespace");
	if (ipv6)
		fclose(ipv6);
	snprintf(cmds, sizeof(cmds), "link add gen address %02x:%02x:%02x:%02x:%02x:%02x type "
		 "veth peer name rx address %02x:%02x:%02x:%02x:%02x:%02x\n"
		 "link set gen up\nlink set rx up\nlink set lo up\n", s[0], s[1], s[2], s[3], s[4], s[5],
		 d[0], d[1], d[2], d[3], d[4], d[5]);
	if (!run_ip(cmds))
		return 0;
	pr_err("making the test veth pair with ip failed (-v shows ip's messages)");
	return -EIO;
}

/* A generic-mode veth has no NAPI to take XDP frames from its peer unless
 * GRO is on; `ip` cannot turn that on, the ethtool ioctl can. */
static int enable_gro(const char *ifname)
{
	struct ethtool_value gro = { .cmd = ETHTOOL_SGRO, .data = 1 };
	struct ifreq ifr = { .ifr_data = (void *)&gro };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr))
		err = failed(-errno, "turning on GRO on %s", ifname);
	if (fd >= 0)
		close(fd);
	return err;
}

static int attach(const struct prog *p, const char *ifname, __u32 flags, int *link)
{
	LIBBPF_OPTS(bpf_link_create_opts, link_opts, .flags = flags);

	*link = bpf_link_create(p->fd, if_nametoindex(ifname), BPF_XDP, &link_opts);
	return *link >= 0 ? 0 : failed(-errno, "attaching %s to %s", p->label, ifname);
}

/*
 * bench_drop natively on gen drops what rx sends back (XDP_TX) and gives
 * gen the NAPI it needs to take frames from its peer. bench_tx in generic
 * mode on the idle loopback stays in the kernel's XDP dispatcher, so the
 * generator's test runs do not add and remove it each call (~24 ms of
 * synchronize_rcu, ~0.25 ms of CPU). The floor goes on rx first.
 */
static int set_up_links(void)
{
	on_rx = bench_drop;
	return attach(generator, "lo", XDP_FLAGS_SKB_MODE, &links[0]) ?:
	       attach(bench_drop, "gen", XDP_FLAGS_DRV_MODE, &links[1]) ?:
	       (opt.xdp_flags & XDP_FLAGS_SKB_MODE ? enable_gro("rx") : 0) ?:
	       attach(bench_drop, "rx", opt.xdp_flags, &links[2]);
}

/* Frames rx took in, and frames gen could not send: /proc/self/net/dev
 * shows the namespace we are in. */
static int read_counters(__u64 *received, __u64 *tx_errors)
{
	FILE *f = fopen("/proc/self/net/dev", "r");
	unsigned long long c[12];
	char line[512], name[IF_NAMESIZE + 1];
	int found = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %16[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
			   "%llu %llu", name, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
			   &c[7], &c[8], &c[9], &c[10], &c[11]) != 13)
			continue;
		if (!strcmp(name, "rx") && ++found)
			*received = c[1];		/* rx packets */
		if (!strcmp(name, "gen") && ++found)
			*tx_errors = c[10] + c[11];	/* tx errs + drop */
	}
	if (f)
		fclose(f);
	return found == 2 ? 0 : -ENODEV;
}

/* One sample: lp->count real frames from gen to lp's program on rx, in the
 * generator's CPU time per frame; NaN (it does not count) if gen failed to
 * send one or rx did not take in every one. */
static int live_sample(struct series *lp, double *ns)
{
	struct xdp_md ctx = { .data_end = live_pkt->len, .ingress_ifindex =
			      if_nametoindex("gen") };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = live_pkt->data,
		    .data_size_in = live_pkt->len, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .repeat = lp->count, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	__u64 got_before, got_after, err_before, err_after;
	double start;
	int err;

	if (stop_requested)
		return -EINTR;
	if (on_rx != lp->prog && bpf_link_update(links[2], lp->prog->fd, NULL))
		return failed(-errno, "putting %s on rx", lp->prog->label);
	on_rx = lp->prog;
	err = read_counters(&got_before, &err_before);
	start = thread_cpu_ns();
	err = err ?: bpf_prog_test_run_opts(generator->fd, &run);
	*ns = (thread_cpu_ns() - start) / lp->count;
	drain_perf(lp->prog);
	err = err ?: read_counters(&got_after, &err_after);
	if (!err && (err_after != err_before || got_after - got_before < lp->count))
		*ns = NAN;
	return err ? failed(err, "sending frames to %s", lp->prog->label) : 0;
}

int run_live(void)
{
	const char *table = opt.xdp_flags & XDP_FLAGS_SKB_MODE ? "skb" : "native";
	int err;

	live_pkt = packet_for(opt.live_packet);
	floor_series = (struct series){ .prog = bench_drop, .pkt = live_pkt };
	for (int i = 0; i < n_progs; i++)
		lps[i] = (struct series){ .prog = &progs[i], .pkt = live_pkt, .base = &floor_series };
	err = make_testbed() ?: set_up_links() ?:
	      size_series(&floor_series, live_sample, opt.live_frames, LIVE_CALL_NS);
	for (int i = 0; i < n_progs && !err; i++)
		err = size_series(&lps[i], live_sample, opt.live_frames, LIVE_CALL_NS);
	if (!err)
		pr_info("live frames: %d programs, %u rounds", n_progs, opt.live_rounds);
	err = err ?: run_rounds(lps, n_progs, opt.live_rounds, live_sample);
	for (int i = 0; i < n_progs && !err; i++) {
		struct series *lp = &lps[i];

		err = probe_path(lp->prog, live_pkt, &lp->verdict, &lp->path);
		add_row(lp, table, opt.live_rounds, lp->prog == bench_drop ? "the floor" :
			       lp->prog == bench_pass ? "the ceiling" : lp->path != PATH_SAME ?
			       "runs on its own output (frame pages are recycled)" : NULL);
	}
	return err;
}

/* A bpf_link detaches when its last fd closes. */
void live_clean_up(void)
{
	for (int i = 0; i < 3; i++)
		if (links[i] >= 0)
			close(links[i]);
}
