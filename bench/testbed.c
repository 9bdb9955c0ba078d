// SPDX-License-Identifier: GPL-2.0
/*
 * Two named network namespaces joined by veth pairs, made and removed
 * over rtnetlink. See testbed.h for what the pieces are for.
 *
 * A netlink socket belongs to the namespace it was created in, so each side
 * gets its own socket once, while the thread is inside; from then on every
 * request reaches the right namespace whatever namespace the thread is in.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>

#include "logging.h"	/* pr_err */
#include "testbed.h"

#define NETNS_DIR "/run/netns"

static const char *const side_name[N_SIDES] = { "gen", "rx" };

/* gen<pair> or rx<pair> */
static const char *ifname(enum testbed_side side, int pair)
{
	static char name[IFNAMSIZ];

	snprintf(name, sizeof(name), "%s%d", side_name[side], pair);
	return name;
}

/* One rtnetlink request: header, link header, then attributes. */
struct rtnl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[512];	/* ample for the few attributes sent here */
};

static void rtnl_req_init(struct rtnl_req *req, int type, int flags)
{
	memset(req, 0, sizeof(*req));
	req->nh.nlmsg_len = NLMSG_LENGTH(sizeof(req->ifi));
	req->nh.nlmsg_type = type;
	req->nh.nlmsg_flags = NLM_F_REQUEST | flags;
	req->ifi.ifi_family = AF_UNSPEC;
}

/* Append one attribute; returns it so a nest can be closed later. */
static struct rtattr *rtnl_add(struct rtnl_req *req, int type, const void *data,
			       size_t len)
{
	struct rtattr *rta = (void *)((char *)req + NLMSG_ALIGN(req->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	req->nh.nlmsg_len = NLMSG_ALIGN(req->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void rtnl_nest_end(struct rtnl_req *req, struct rtattr *nest)
{
	nest->rta_len = (char *)req + req->nh.nlmsg_len - (char *)nest;
}

/* A netlink socket in the calling thread's current namespace. The receive
 * timeout bounds every wait for the kernel's answer. */
static int rtnl_open(void)
{
	struct timeval timeout = { .tv_sec = 2 };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
	return fd;
}

/*
 * Send @req and wait for the answer to it: the kernel's error code for a
 * change (NLM_F_ACK), or the link message for a query, copied to @reply.
 */
static int rtnl_call(int fd, struct rtnl_req *req, void *reply, size_t size)
{
	static __u32 seq;
	char buf[16384];
	struct nlmsghdr *nh;
	ssize_t n;

	req->nh.nlmsg_seq = ++seq;
	if (send(fd, req, req->nh.nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != req->nh.nlmsg_seq)
				continue;	/* a late answer to an older request */
			if (nh->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)NLMSG_DATA(nh))->error;
			if (reply) {
				memcpy(reply, nh, nh->nlmsg_len < size ? nh->nlmsg_len : size);
				return 0;
			}
		}
	}
}

/* gen<pair> here, rx<pair> in the other namespace: one request makes both. */
static int make_veth(struct testbed *tb, int pair, const unsigned char *gen_mac,
		     const unsigned char *rx_mac)
{
	struct ifinfomsg peer_ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *linkinfo, *data, *peer;
	struct rtnl_req req;
	char gen[IFNAMSIZ], rx[IFNAMSIZ];

	snprintf(gen, sizeof(gen), "%s", ifname(SIDE_GEN, pair));
	snprintf(rx, sizeof(rx), "%s", ifname(SIDE_RX, pair));
	rtnl_req_init(&req, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	rtnl_add(&req, IFLA_IFNAME, gen, strlen(gen) + 1);
	rtnl_add(&req, IFLA_ADDRESS, gen_mac, ETH_ALEN);
	linkinfo = rtnl_add(&req, IFLA_LINKINFO, NULL, 0);
	rtnl_add(&req, IFLA_INFO_KIND, "veth", strlen("veth"));
	data = rtnl_add(&req, IFLA_INFO_DATA, NULL, 0);
	peer = rtnl_add(&req, VETH_INFO_PEER, &peer_ifi, sizeof(peer_ifi));
	rtnl_add(&req, IFLA_IFNAME, rx, strlen(rx) + 1);
	rtnl_add(&req, IFLA_ADDRESS, rx_mac, ETH_ALEN);
	rtnl_add(&req, IFLA_NET_NS_FD, &tb->ns_fd[SIDE_RX], sizeof(int));
	rtnl_nest_end(&req, peer);
	rtnl_nest_end(&req, data);
	rtnl_nest_end(&req, linkinfo);
	return rtnl_call(tb->rtnl[SIDE_GEN], &req, NULL, 0);
}

/* The ifindex of @name in the socket's namespace, or a negative errno. */
static int link_index(int rtnl, const char *name)
{
	struct rtnl_req req, reply;
	int err;

	rtnl_req_init(&req, RTM_GETLINK, 0);
	rtnl_add(&req, IFLA_IFNAME, name, strlen(name) + 1);
	err = rtnl_call(rtnl, &req, &reply, sizeof(reply));
	return err ? err : reply.ifi.ifi_index;
}

static int link_up(int rtnl, int ifindex)
{
	struct rtnl_req req;

	rtnl_req_init(&req, RTM_NEWLINK, NLM_F_ACK);
	req.ifi.ifi_index = ifindex;
	req.ifi.ifi_flags = IFF_UP;
	req.ifi.ifi_change = IFF_UP;
	return rtnl_call(rtnl, &req, NULL, 0);
}

/* New interfaces in this namespace start with IPv6 off: no router
 * solicitations or DAD probes mixed in with the measured frames. */
static void default_ipv6_off(void)
{
	int fd = open("/proc/sys/net/ipv6/conf/default/disable_ipv6", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;		/* no IPv6 in this kernel: nothing to silence */
	if (write(fd, "1", 1) != 1)
		pr_err("warning: could not turn IPv6 off in the test namespaces");
	close(fd);
}

/* The empty file a namespace is bind-mounted on, as `ip netns add` does. */
static int make_mount_point(const char *path)
{
	int fd;

	if (mkdir(NETNS_DIR, 0755) && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * Make one side: a new namespace, pinned by a bind mount at its path, with
 * an rtnetlink socket inside. The thread steps in and back out again.
 */
static int make_side(struct testbed *tb, enum testbed_side side)
{
	const char *path = tb->ns_path[side];
	int err;

	err = make_mount_point(path);
	if (err)
		return err;
	if (unshare(CLONE_NEWNET))
		return -errno;
	err = mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) ? -errno : 0;
	if (!err) {
		tb->ns_fd[side] = open(path, O_RDONLY | O_CLOEXEC);
		err = tb->ns_fd[side] < 0 ? -errno : 0;
	}
	if (!err) {
		tb->rtnl[side] = rtnl_open();
		err = tb->rtnl[side] < 0 ? tb->rtnl[side] : 0;
	}
	if (!err)
		default_ipv6_off();
	if (setns(tb->home_fd, CLONE_NEWNET) && !err)
		err = -errno;
	return err;
}

static void remove_netns(const char *path)
{
	umount2(path, MNT_DETACH);
	unlink(path);
}

/* Make pair @pair and bring both ends up. */
static int make_pair(struct testbed *tb, int pair, const unsigned char *gen_mac,
		     const unsigned char *rx_mac)
{
	int err = make_veth(tb, pair, gen_mac, rx_mac);

	for (int side = 0; side < N_SIDES && !err; side++) {
		int ifindex = link_index(tb->rtnl[side], ifname(side, pair));

		if (ifindex < 0)
			return ifindex;
		tb->ifindex[side][pair] = ifindex;
		err = link_up(tb->rtnl[side], ifindex);
	}
	return err;
}

static int build(struct testbed *tb, int n_pairs, const unsigned char *gen_mac,
		 const unsigned char *rx_mac)
{
	int err;

	if (n_pairs > TESTBED_MAX_PAIRS)
		return -E2BIG;
	tb->home_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (tb->home_fd < 0)
		return -errno;
	for (int side = 0; side < N_SIDES; side++) {
		snprintf(tb->ns_path[side], sizeof(tb->ns_path[side]), NETNS_DIR "/"
			 TESTBED_PREFIX "%d-%s", getpid(), side_name[side]);
		err = make_side(tb, side);
		if (err)
			return err;
	}
	for (int pair = 0; pair < n_pairs; pair++) {
		err = make_pair(tb, pair, gen_mac, rx_mac);
		if (err)
			return err;
		tb->n_pairs++;
	}
	tb->gen_lo = link_index(tb->rtnl[SIDE_GEN], "lo");
	return tb->gen_lo < 0 ? tb->gen_lo : 0;
}

int testbed_create(struct testbed *tb, int n_pairs, const unsigned char *gen_mac,
		   const unsigned char *rx_mac)
{
	int err;

	memset(tb, 0, sizeof(*tb));
	tb->home_fd = -1;
	for (int side = 0; side < N_SIDES; side++)
		tb->ns_fd[side] = tb->rtnl[side] = -1;
	err = build(tb, n_pairs, gen_mac, rx_mac);
	if (err) {
		pr_err("cannot set up the veth test bed: %s (are you root?)", strerror(-err));
		testbed_destroy(tb);
	}
	return err;
}

void testbed_destroy(struct testbed *tb)
{
	if (tb->home_fd >= 0) {
		setns(tb->home_fd, CLONE_NEWNET);
		close(tb->home_fd);
		tb->home_fd = -1;
	}
	for (int side = 0; side < N_SIDES; side++) {
		if (tb->rtnl[side] >= 0)
			close(tb->rtnl[side]);
		if (tb->ns_fd[side] >= 0)
			close(tb->ns_fd[side]);
		tb->rtnl[side] = tb->ns_fd[side] = -1;
		if (tb->ns_path[side][0])
			remove_netns(tb->ns_path[side]);
		tb->ns_path[side][0] = '\0';
	}
}

int testbed_enter(const struct testbed *tb, enum testbed_side side)
{
	if (setns(tb->ns_fd[side], CLONE_NEWNET)) {
		int err = -errno;

		pr_err("cannot enter %s: %s", tb->ns_path[side], strerror(-err));
		return err;
	}
	return 0;
}

int testbed_stats(const struct testbed *tb, enum testbed_side side, int pair,
		  struct rtnl_link_stats64 *stats)
{
	struct {
		struct nlmsghdr nh;
		char body[16384 - sizeof(struct nlmsghdr)];
	} reply;
	struct rtnl_req req;
	struct ifinfomsg *ifi = NLMSG_DATA(&reply.nh);
	struct rtattr *rta;
	int err, len;

	rtnl_req_init(&req, RTM_GETLINK, 0);
	req.ifi.ifi_index = tb->ifindex[side][pair];
	err = rtnl_call(tb->rtnl[side], &req, &reply, sizeof(reply));
	if (err)
		return err;
	len = IFLA_PAYLOAD(&reply.nh);
	for (rta = IFLA_RTA(ifi); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFLA_STATS64) {
			memset(stats, 0, sizeof(*stats));
			memcpy(stats, RTA_DATA(rta), RTA_PAYLOAD(rta) < sizeof(*stats) ?
			       RTA_PAYLOAD(rta) : sizeof(*stats));
			return 0;
		}
	}
	return -ENODATA;
}

int testbed_enable_gro(const struct testbed *tb, enum testbed_side side, int pair)
{
	struct ethtool_value gro = { .cmd = ETHTOOL_SGRO, .data = 1 };
	struct ifreq ifr = { .ifr_data = (void *)&gro };

	/* Interface ioctls act in the socket's namespace, so the side's
	 * rtnetlink socket serves here too. */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname(side, pair));
	if (ioctl(tb->rtnl[side], SIOCETHTOOL, &ifr)) {
		int err = -errno;

		pr_err("cannot turn on GRO on %s: %s", ifr.ifr_name, strerror(-err));
		return err;
	}
	return 0;
}

/* xdpbench-<pid>-...: is that process gone? */
static bool is_stale(const char *name)
{
	long pid = strtol(name + strlen(TESTBED_PREFIX), NULL, 10);

	return pid > 0 && kill(pid, 0) && errno == ESRCH;
}

int testbed_remove_stale(void)
{
	char path[sizeof(NETNS_DIR) + 256 + 1];
	struct dirent *d;
	int removed = 0;
	DIR *dir;

	dir = opendir(NETNS_DIR);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		if (strncmp(d->d_name, TESTBED_PREFIX, strlen(TESTBED_PREFIX)) ||
		    !is_stale(d->d_name))
			continue;
		snprintf(path, sizeof(path), NETNS_DIR "/%s", d->d_name);
		remove_netns(path);
		fprintf(stderr, "%s: removed stale namespace %s (its benchmark was killed)\n",
			tool_name, d->d_name);
		removed++;
	}
	closedir(dir);
	return removed;
}
