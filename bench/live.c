// SPDX-License-Identifier: GPL-2.0
/*
 * Live frames: one network namespace, xdpbench-<pid>, made with iproute2's
 * `ip`, holding one veth pair per program, so no program is swapped in
 * the middle of a round:
 *
 *     gen0 <==> rx0   bench_drop, the floor
 *     gen1 <==> rx1   the first program
 *     ...
 *
 * The generator runs bench_tx through BPF_PROG_TEST_RUN with
 * BPF_F_TEST_XDP_LIVE_FRAMES as if the frames had arrived on gen<i>; each
 * XDP_TX sends a real frame to rx<i>, where the program under test is
 * attached. rx<i>'s NAPI runs in softirq on this CPU before the call
 * returns, so the generator thread's CPU time covers both ends. Per
 * program: the median ratio to bench_drop (trivial XDP_DROP) on rx0.
 *
 * Attachments are bpf_links (gone with the process, even on kill -9); the
 * namespace is removed on exit, or by the next run if this one was killed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "util.h"
#include "bench.h"

#define NS_PREFIX	"xdpbench-"
#define LIVE_CALL_NS	25e6	/* CPU time one sample is sized to */
#define LIVE_PROBE	20000	/* frames in the call that sizes the samples */

struct live_prog {
	struct prog *prog;
	int pair;		/* on rx<pair>, fed by gen<pair> */
	int gen_ifindex, rx_ifindex;
	int link, gen_link;	/* the program on rx<pair>; bench_drop on gen<pair> */
	__u32 frames;		/* per sample */
	double ns[MAX_ROUNDS];	/* CPU time per frame; NaN: discarded */
	double floor_ns[MAX_ROUNDS];	/* bench_drop's, just before and after */
};

static struct live_prog lps[MAX_PROGS];	/* [0]: bench_drop, the floor */
static int n_lps;
static char ns_name[32];
static int home_ns = -1;	/* the namespace we started in */
static int lo_link = -1;
static const struct packet *live_pkt;

/* Run `ip -batch -` on @commands; its messages only with -v. */
static int run_ip(const char *commands)
{
	int fds[2], status;
	pid_t pid;

	if (pipe(fds))
		return -errno;
	pid = fork();
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[1]);
		if (!opt.verbose && !freopen("/dev/null", "w", stderr))
			_exit(126);
		execlp("ip", "ip", "-batch", "-", (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	if (pid > 0 && write(fds[1], commands, strlen(commands)) < 0)
		pid = -1;
	close(fds[1]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -ECHILD;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/* Namespaces of benchmarks that were killed (their pid is gone). */
static void remove_stale_namespaces(void)
{
	DIR *dir = opendir("/run/netns");
	char cmd[300];
	struct dirent *d;
	int pid;

	while (dir && (d = readdir(dir))) {
		if (sscanf(d->d_name, NS_PREFIX "%d", &pid) != 1 || !kill(pid, 0) ||
		    errno != ESRCH)
			continue;
		snprintf(cmd, sizeof(cmd), "netns delete %.255s\n", d->d_name);
		if (!run_ip(cmd))
			fprintf(stderr, "%s: removed stale namespace %s (its benchmark was "
				"killed)\n", tool_name, d->d_name);
	}
	if (dir)
		closedir(dir);
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0 && write(fd, text, strlen(text)) < 0)
		pr_debug("cannot write %s", path);
	if (fd >= 0)
		close(fd);
}

static int enter_namespace(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0 || setns(fd, CLONE_NEWNET))
		err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

#define MAC_FMT "%02x:%02x:%02x:%02x:%02x:%02x"
#define MAC_ARGS(m) m[0], m[1], m[2], m[3], m[4], m[5]

/* The namespace, entered; IPv6 off inside so the stack sends nothing of
 * its own; the pairs, with the test frame's MAC addresses, so rx<i> takes
 * the frames as its own. */
static int make_testbed(void)
{
	const unsigned char *dst = live_pkt->data, *src = live_pkt->data + 6;
	size_t size = 200 * (n_lps + 1), len = 0;
	char *cmds = malloc(size), path[64];
	int err = -ENOMEM;

	snprintf(ns_name, sizeof(ns_name), NS_PREFIX "%d", getpid());
	snprintf(path, sizeof(path), "/run/netns/%s", ns_name);
	if (cmds) {
		snprintf(cmds, size, "netns add %s\n", ns_name);
		err = run_ip(cmds) ?: enter_namespace(path);
	}
	if (!err) {
		write_file("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
		write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
		len = snprintf(cmds, size, "link set lo up\n");
		for (int i = 0; i < n_lps; i++)
			len += snprintf(cmds + len, size - len, "link add gen%d address " MAC_FMT
					" type veth peer name rx%d address " MAC_FMT "\n"
					"link set gen%d up\nlink set rx%d up\n", i,
					MAC_ARGS(src), i, MAC_ARGS(dst), i, i);
		err = run_ip(cmds);
	}
	free(cmds);
	if (err == -EIO)
		pr_err("making the test namespace %s with ip failed (-v shows ip's messages)",
		       ns_name);
	return err == -EIO ? err : err ? failed(err, "making the test namespace %s", ns_name) : 0;
}

static void remove_testbed(void)
{
	char cmd[64];

	if (!ns_name[0])
		return;
	if (home_ns >= 0 && setns(home_ns, CLONE_NEWNET))
		pr_err("cannot return to the first namespace to remove %s", ns_name);
	snprintf(cmd, sizeof(cmd), "netns delete %s\n", ns_name);
	if (run_ip(cmd))
		pr_err("removing the test namespace %s failed: try ip netns delete %s",
		       ns_name, ns_name);
	ns_name[0] = '\0';
}

/* Frames rx<pair> took in, and frames gen<pair> could not send, from
 * /proc/self/net/dev, which shows the namespace we are in. */
static int read_counters(int pair, __u64 *received, __u64 *tx_errors)
{
	FILE *f = fopen("/proc/self/net/dev", "r");
	char line[512], name[IF_NAMESIZE + 1], gen[IF_NAMESIZE], rx[IF_NAMESIZE];
	unsigned long long c[16];
	int found = 0;

	if (!f)
		return -errno;
	snprintf(gen, sizeof(gen), "gen%d", pair);
	snprintf(rx, sizeof(rx), "rx%d", pair);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %16[^:]: %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu "
			   "%llu %llu", name, &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
			   &c[7], &c[8], &c[9], &c[10], &c[11]) != 13)
			continue;
		if (!strcmp(name, rx) && ++found)
			*received = c[1];		/* rx packets */
		if (!strcmp(name, gen) && ++found)
			*tx_errors = c[10] + c[11];	/* tx errs + drop */
	}
	fclose(f);
	return found == 2 ? 0 : -ENODEV;
}

static int attach(struct prog *p, int ifindex, __u32 flags, int *link)
{
	LIBBPF_OPTS(bpf_link_create_opts, link_opts, .flags = flags);

	*link = bpf_link_create(p->fd, ifindex, BPF_XDP, &link_opts);
	if (*link >= 0)
		return 0;
	*link = -1;
	return failed(-errno, "attaching %s to the test veth", p->label);
}

static void detach(int *link)
{
	if (*link >= 0)
		close(*link);	/* a bpf_link detaches when its last fd closes */
	*link = -1;
}

/* A generic-mode veth has no NAPI to take XDP frames from its peer unless
 * GRO is on; `ip` cannot turn it on, the ethtool ioctl can. */
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

/*
 * Once for the run: bench_drop natively on each gen<i> drops what rx<i>
 * sends back (XDP_TX), and gives gen<i> the NAPI it needs to take frames
 * from its peer. bench_tx in generic mode on the idle loopback stays in
 * the kernel's XDP dispatcher, so the generator's test runs do not add and
 * remove it each call (~24 ms of synchronize_rcu, ~0.2 ms of CPU).
 */
static int set_up_pairs(void)
{
	bool skb = opt.xdp_flags & XDP_FLAGS_SKB_MODE;
	int err = attach(generator, if_nametoindex("lo"), XDP_FLAGS_SKB_MODE, &lo_link);

	for (int i = 0; i < n_lps && !err; i++) {
		struct live_prog *lp = &lps[i];
		char name[IF_NAMESIZE];

		snprintf(name, sizeof(name), "gen%d", i);
		lp->gen_ifindex = if_nametoindex(name);
		snprintf(name, sizeof(name), "rx%d", i);
		lp->rx_ifindex = if_nametoindex(name);
		err = (skb ? enable_gro(name) : 0) ?:
		      attach(bench_drop, lp->gen_ifindex, XDP_FLAGS_DRV_MODE, &lp->gen_link) ?:
		      attach(lp->prog, lp->rx_ifindex, opt.xdp_flags, &lp->link);
	}
	return err;
}

/*
 * One sample: lp->frames real frames from gen<i> to rx<i>, in the
 * generator's CPU time per frame. It does not count (NaN) if gen<i> failed
 * to send one or rx<i> did not take in every one.
 */
static int live_sample(struct live_prog *lp, double *ns)
{
	struct xdp_md ctx = { .data_end = live_pkt->len, .ingress_ifindex = lp->gen_ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = live_pkt->data,
		    .data_size_in = live_pkt->len, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		    .repeat = lp->frames, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	__u64 got_before, got_after, err_before, err_after;
	double start, cpu;
	bool valid;
	int err;

	if (stop_requested)
		return -EINTR;
	err = read_counters(lp->pair, &got_before, &err_before);
	if (err)
		return failed(err, "reading the counters of the test veths");
	start = thread_cpu_ns();
	err = bpf_prog_test_run_opts(generator->fd, &run);
	cpu = thread_cpu_ns() - start;
	drain_perf(lp->prog);
	if (err)
		return failed(err, "the generator's test run for %s", lp->prog->label);
	err = read_counters(lp->pair, &got_after, &err_after);
	if (err)
		return failed(err, "reading the counters of the test veths");
	valid = err_after == err_before && got_after - got_before >= lp->frames;
	*ns = valid ? cpu / lp->frames : NAN;
	return 0;
}

/* Frames per sample for about LIVE_CALL_NS of CPU. */
static int size_sample(struct live_prog *lp)
{
	double ns;
	int err = 0;

	lp->frames = opt.live_frames ? opt.live_frames : LIVE_PROBE;
	if (!opt.live_frames) {
		lp->frames = fmin(lp->frames, batch_limit(lp->prog, live_pkt));
		err = live_sample(lp, &ns);
		if (!err && !isnan(ns))
			lp->frames = fmax(lp->frames, LIVE_CALL_NS / ns);
	}
	lp->frames = fmin(lp->frames, batch_limit(lp->prog, live_pkt));
	return err;
}

/* One round, as in cost.c: each program between two floor samples. */
static int live_round(int round)
{
	double before = NAN, after;
	int err = live_sample(&lps[0], &before);

	for (int i = 0; i < n_lps - 1 && !err; i++) {
		struct live_prog *lp = &lps[1 + (i + round) % (n_lps - 1)];

		err = live_sample(lp, &lp->ns[round]) ?: live_sample(&lps[0], &after);
		lp->floor_ns[round] = mean_valid(before, after);
		before = after;
	}
	return err;
}

static int live_row(struct live_prog *lp)
{
	double ratio[MAX_ROUNDS], extra[MAX_ROUNDS], mpps[MAX_ROUNDS];
	struct row r = { .table = opt.xdp_flags & XDP_FLAGS_SKB_MODE ? "skb" : "native",
			 .prog = lp->prog, .pkt = live_pkt };
	enum path path;
	int err = probe_path(lp->prog, live_pkt, &r.verdict, &path);

	for (__u32 i = 0; i < opt.live_rounds; i++) {
		ratio[i] = lp->ns[i] / lp->floor_ns[i];	/* NaN: skipped */
		extra[i] = lp->ns[i] - lp->floor_ns[i];
		mpps[i] = 1e3 / lp->ns[i];
	}
	r.path = path_name(path);
	r.ratio = summarize(ratio, opt.live_rounds);
	r.extra_ns = summarize(extra, opt.live_rounds).median;
	r.mpps = summarize(mpps, opt.live_rounds).median;
	r.note = lp->prog == bench_drop ? "the floor" : lp->prog == bench_pass ? "the ceiling" :
		 path != PATH_SAME ? "runs on its own output (frame pages are recycled)" : NULL;
	add_row(&r);
	return err;
}

int run_live(void)
{
	int err;

	remove_stale_namespaces();
	live_pkt = packet_for(opt.live_packet);
	home_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	lps[n_lps++] = (struct live_prog){ .prog = bench_drop };
	for (int i = 0; i < n_progs; i++)
		lps[n_lps++] = (struct live_prog){ .prog = &progs[i] };
	for (int i = 0; i < n_lps; i++)
		lps[i].pair = i, lps[i].link = lps[i].gen_link = -1;
	err = make_testbed() ?: set_up_pairs();
	for (int i = 0; i < n_lps && !err; i++)
		err = size_sample(&lps[i]);
	if (!err)
		pr_info("live frames: %d programs, %u rounds", n_lps - 1, opt.live_rounds);
	for (__u32 round = 0; round < opt.live_rounds && !err; round++)
		err = live_round(round);
	for (int i = 1; i < n_lps && !err; i++)
		err = live_row(&lps[i]);
	return err;
}

void live_clean_up(void)
{
	for (int i = 0; i < n_lps; i++) {
		detach(&lps[i].link);
		detach(&lps[i].gen_link);
	}
	detach(&lo_link);
	remove_testbed();
	if (home_ns >= 0)
		close(home_ns);
	home_ns = -1;
}
