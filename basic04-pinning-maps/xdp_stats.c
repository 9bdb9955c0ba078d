// SPDX-License-Identifier: GPL-2.0
/*
 * Print the per-action counters of the xdp_stats_map pinned for an
 * interface, every interval, until Ctrl-C. Any program that counts with
 * common/xdp_stats_kern.h will do, loaded by this lesson's xdp_loader or by
 * xdp-loader --pin-path (testenv.sh load). Only reads: the pins stay.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_stats_kern_user.h"

static const char *doc =
	"Print the XDP action counters pinned in /sys/fs/bpf/IFNAME/xdp_stats_map\n"
	"every --interval seconds, until Ctrl-C.";

/* The pinned map being read. */
struct stats_map {
	char path[PATH_MAX];
	int fd;
	__u32 id;	/* changes when a reload pins a new map */
};

/* The counters of every action at one moment. */
struct sample {
	struct datarec rec[XDP_ACTION_MAX];
	double time;
};

/* Open the map pinned at @path and fetch its info; a negative errno if not. */
static int get_pinned_map(const char *path, struct bpf_map_info *info)
{
	__u32 len = sizeof(*info);
	int fd, err;

	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	memset(info, 0, len);
	if (bpf_obj_get_info_by_fd(fd, info, &len)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/* Only the layout xdp_stats_kern.h declares can be read as struct datarec. */
static int check_layout(const struct bpf_map_info *info, const char *path)
{
	if (info->type == BPF_MAP_TYPE_PERCPU_ARRAY && info->key_size == sizeof(__u32) &&
	    info->value_size == sizeof(struct datarec) &&
	    info->max_entries >= XDP_ACTION_MAX)
		return 0;
	pr_err("%s is not an xdp_stats map (%s, key %u B, value %u B, %u entries; "
	       "expected percpu_array, key %zu B, value %zu B, %d entries): remove it "
	       "(rm %s) and load a program built with xdp_stats_kern.h", path,
	       libbpf_bpf_map_type_str(info->type) ?: "unknown type", info->key_size,
	       info->value_size, info->max_entries, sizeof(__u32),
	       sizeof(struct datarec), XDP_ACTION_MAX, path);
	return -EINVAL;
}

static int open_stats_map(struct stats_map *map, const struct config *cfg)
{
	struct bpf_map_info info;

	char dir[32];	/* /sys/fs/bpf/IFNAME */

	if (pin_dir_of(dir, sizeof(dir), cfg->ifname))
		return -EINVAL;
	snprintf(map->path, sizeof(map->path), "%s/%s", dir, XDP_STATS_MAP_NAME);
	map->fd = get_pinned_map(map->path, &info);
	if (map->fd == -ENOENT)
		pr_err("no map pinned at %s: load a program first "
		       "(./xdp_loader --dev %s, or testenv.sh load)", map->path, cfg->ifname);
	else if (map->fd < 0)
		pr_err("cannot open %s: %s", map->path, strerror(-map->fd));
	if (map->fd < 0)
		return map->fd;
	if (check_layout(&info, map->path)) {
		close(map->fd);
		return -EINVAL;
	}
	map->id = info.id;
	return 0;
}

/*
 * A per-CPU map holds one record per possible CPU: add them up. The kernel
 * copies each one out in a slot rounded up to 8 bytes, which struct datarec
 * fills exactly, so an array of them matches.
 */
static int read_record(int fd, __u32 action, struct datarec *sum)
{
	int ncpus = libbpf_num_possible_cpus();
	struct datarec percpu[ncpus];

	if (bpf_map_lookup_elem(fd, &action, percpu)) {
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

static int read_sample(int fd, struct sample *s)
{
	for (__u32 action = 0; action < XDP_ACTION_MAX; action++)
		if (read_record(fd, action, &s->rec[action]))
			return -1;
	s->time = monotonic_seconds();
	return 0;
}

/* Totals, and rates over the period since @prev. */
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

static int print_stats_until_stopped(struct stats_map *map, double interval)
{
	struct sample prev, cur;

	if (read_sample(map->fd, &prev))
		return -1;
	for (;;) {
		sleep_seconds(interval);
		if (stop_requested)
			return 0;
		/* Assignment 1: a reload pins a new map in place of this one,
		 * but this loop goes on reading the old one. Look at the pin
		 * every round; when its map id changes, say so and switch. */
		if (read_sample(map->fd, &cur))
			return -1;
		print_sample(&cur, &prev);
		prev = cur;
	}
}

int main(int argc, char **argv)
{
	struct config cfg = { .interval = 2 };
	struct stats_map map;
	int err;

	parse_cmdline(argc, argv, OPT_DEV | OPT_INTERVAL, NULL, NULL, &cfg, doc);
	logging_init(&cfg);
	if (open_stats_map(&map, &cfg))
		return EXIT_FAIL;

	/* One line at a time, even into a pipe. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	stop_on_signals();
	if (!cfg.quiet)
		printf("Reading %s (map id %u) every %.1f s; Ctrl-C to stop\n",
		       map.path, map.id, cfg.interval);
	err = print_stats_until_stopped(&map, cfg.interval);
	close(map.fd);
	return err ? EXIT_FAIL : EXIT_OK;
}
