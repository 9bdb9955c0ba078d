/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The live-frames test bed: two network namespaces joined by veth pairs,
 * one pair per program measured, so no program is ever swapped in the
 * middle of a round:
 *
 *   xdpbench-<pid>-gen                      xdpbench-<pid>-rx
 *       gen0  <========== veth ==========>  rx0
 *       gen1  <========== veth ==========>  rx1
 *       ...
 *
 * made over rtnetlink, so the benchmark needs no `ip` binary. The
 * namespaces are named (bind-mounted under /run/netns, like `ip netns add`)
 * so `ip netns list` shows them while the benchmark runs; the pid in the
 * name tells a stale pair (its process is gone) from a live one.
 */
#ifndef BENCH_TESTBED_H
#define BENCH_TESTBED_H

#include <stdbool.h>
#include <linux/if_link.h>

#define TESTBED_PREFIX "xdpbench-"
#define TESTBED_MAX_PAIRS 80

enum testbed_side { SIDE_GEN, SIDE_RX, N_SIDES };

struct testbed {
	char ns_path[N_SIDES][64];	/* /run/netns/xdpbench-<pid>-gen|rx */
	int ns_fd[N_SIDES];		/* to setns() into each side */
	int home_fd;			/* the namespace the tool started in */
	int rtnl[N_SIDES];		/* rtnetlink socket living in each side */
	int n_pairs;
	int ifindex[N_SIDES][TESTBED_MAX_PAIRS];	/* gen<i>, rx<i> */
	int gen_lo;			/* the loopback device of the gen side */
};

/*
 * Make both namespaces and @n_pairs veth pairs, give each end a MAC
 * address and bring all up. IPv6 is off inside, so the stack sends
 * nothing of its own over the pairs. Returns 0 or a negative errno, with
 * one line on stderr; on failure whatever was made is already removed.
 */
int testbed_create(struct testbed *tb, int n_pairs, const unsigned char *gen_mac,
		   const unsigned char *rx_mac);

/* Remove the namespaces (and with them the veth pairs and anything
 * attached to them) and return to the tool's own namespace. Safe on a
 * half-made or already destroyed test bed. */
void testbed_destroy(struct testbed *tb);

/* Move the calling thread into one side's namespace: ifindexes given to
 * the kernel (XDP attach, test runs) are looked up there. */
int testbed_enter(const struct testbed *tb, enum testbed_side side);

/* One end's interface counters, as `ip -s link` shows them. */
int testbed_stats(const struct testbed *tb, enum testbed_side side, int pair,
		  struct rtnl_link_stats64 *stats);

/* Turn on GRO on one end: a veth without a native XDP program only
 * accepts XDP frames from its peer when GRO gives it a NAPI instance. */
int testbed_enable_gro(const struct testbed *tb, enum testbed_side side, int pair);

/* Remove xdpbench-* namespaces left by a benchmark that was killed (its
 * pid no longer exists); says which on stderr. Returns how many. */
int testbed_remove_stale(void);

#endif /* BENCH_TESTBED_H */
