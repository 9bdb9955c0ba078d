// SPDX-License-Identifier: GPL-2.0
/*
 * Attach a program, like basic02's loader, and pin its maps in
 * /sys/fs/bpf/<ifname>/: a pinned map outlives the loader, so another
 * process (xdp_stats) can open it by path and read it.
 */
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>

#include "logging.h"
#include "params.h"
#include "util.h"
#include "xdp_prog.h"

static const char *doc =
	"Attach --progname from --filename to --dev and pin its maps in\n"
	"/sys/fs/bpf/IFNAME/; or detach with --unload/--unload-all (the pins stay).";

static char pin_dir[32];		/* /sys/fs/bpf/<ifname> */

/* Where a map of this program is pinned: /sys/fs/bpf/<ifname>/<map name>.
 * Global variables live in maps of their own (.data, .bss): those are the
 * program's, not counters to share, and bpffs refuses their dotted names. */
static bool pin_path_of(char *path, const struct bpf_map *map, const char *suffix)
{
	if (bpf_map__is_internal(map))
		return false;
	snprintf(path, PATH_MAX, "%s/%s%s", pin_dir, bpf_map__name(map), suffix);
	return true;
}

/* Would the program work with the map at @fd in place of @map? */
static bool same_layout(const struct bpf_map *map, int fd)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);

	return !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	       info.type == bpf_map__type(map) &&
	       info.key_size == bpf_map__key_size(map) &&
	       info.value_size == bpf_map__value_size(map) &&
	       info.max_entries == bpf_map__max_entries(map);
}

/* Assignment 2: give the program the map pinned at @path, if there is one. */
static int reuse_pinned_map(struct bpf_map *map, const char *path)
{
	int fd, err;

	fd = bpf_obj_get(path);
	if (fd < 0 && errno == ENOENT)
		return 0;	/* nothing pinned: the program gets a new map */
	if (fd < 0) {
		err = -errno;
		pr_err("cannot open %s: %s", path, strerror(-err));
		return err;
	}
	if (!same_layout(map, fd)) {
		pr_err("the map pinned at %s differs from %s's: remove it (rm %s) "
		       "or load without --reuse-maps", path, bpf_map__name(map), path);
		close(fd);
		return -EINVAL;
	}
	err = bpf_map__reuse_fd(map, fd);	/* takes a copy of fd */
	close(fd);
	if (err)
		pr_err("cannot reuse %s: %s", path, strerror(-err));
	return err;
}

/*
 * Runs before the program is loaded, while its maps can still be swapped.
 * With --reuse-maps, maps already pinned for the interface are used instead
 * of new ones, so the counters carry on across a reload.
 */
static int prepare_maps(struct bpf_object *obj, const struct config *cfg)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	int err;

	if (!cfg->reuse_maps)
		return 0;
	bpf_object__for_each_map(map, obj) {
		if (!pin_path_of(path, map, ""))
			continue;
		err = reuse_pinned_map(map, path);
		if (err)
			return err;
	}
	return 0;
}

/*
 * Pin this program's maps in pin_dir, in place of older pins, all or none:
 * each map is pinned under a temporary name first, and only when every one
 * of them is, renamed over the old pin (a rename replaces it at once). So a
 * failure leaves the old pins, and the counters in them, untouched.
 */
static int pin_maps(struct bpf_object *obj)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	struct bpf_map *map, *done;
	int err = 0;

	if (mkdir(pin_dir, 0700) && errno != EEXIST) {
		err = -errno;
		pr_err("cannot make %s: %s", pin_dir, strerror(-err));
		return err;
	}
	bpf_object__for_each_map(map, obj) {
		if (!pin_path_of(tmp, map, "_new"))
			continue;
		unlink(tmp);	/* left by a loader killed here before */
		if (bpf_obj_pin(bpf_map__fd(map), tmp)) {
			err = -errno;
			pr_err("cannot pin %s: %s", tmp, strerror(-err));
			break;
		}
	}
	bpf_object__for_each_map(done, obj) {
		if (!pin_path_of(tmp, done, "_new") || !pin_path_of(path, done, ""))
			continue;
		if (err)
			unlink(tmp);
		else
			rename(tmp, path);
		if (done == map)
			break;
	}
	return err;
}

static int unload(const struct config *cfg)
{
	if (xdp_prog_detach(cfg))
		return EXIT_FAIL;
	if (!access(pin_dir, F_OK))
		pr_info("The maps stay pinned in %s (xdp_stats reads them); "
			"remove one with: rm %s/MAP", pin_dir, pin_dir);
	return EXIT_OK;
}

/*
 * Signals that would end the loader between attaching and pinning wait
 * until both are done: a Ctrl-C never leaves a program attached whose maps
 * are not where xdp_stats looks. (kill -9 cannot be held off: then the
 * program stays attached with the old pins in place; load again.)
 */
static void hold_signals(bool hold)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(hold ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL);
}

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_prog_kern.o",
			      .prog_name = "xdp_pass_func" };
	struct xdp_program *prog = NULL;
	int err;

	parse_cmdline(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD | OPT_FILENAME |
		      OPT_PROGNAME | OPT_LIST | OPT_REUSE_MAPS, NULL, NULL,
		      &cfg, doc);
	logging_init(&cfg);
	if (cfg.list)
		return xdp_prog_list(cfg.filename) ? EXIT_FAIL : EXIT_OK;
	err = pin_dir_of(pin_dir, sizeof(pin_dir), cfg.ifname);
	if (err)
		return EXIT_FAIL;
	if (cfg.unload)
		return unload(&cfg);

	prog = xdp_prog_open(&cfg);
	if (!prog)
		return EXIT_FAIL;
	err = prepare_maps(xdp_program__bpf_obj(prog), &cfg);
	if (err)
		goto cleanup;

	hold_signals(true);
	err = xdp_prog_attach(prog, &cfg);
	if (!err) {
		err = pin_maps(xdp_program__bpf_obj(prog));
		if (err)	/* the old pins stay: so does nothing new */
			xdp_program__detach(prog, cfg.ifindex, cfg.attach_mode, 0);
	}
	hold_signals(false);
	if (!err)
		pr_info("Success: %s attached to %s (program id %u); maps pinned in %s",
			xdp_program__name(prog), cfg.ifname, xdp_program__id(prog), pin_dir);
cleanup:
	xdp_prog_close(prog);
	return err ? EXIT_FAIL : EXIT_OK;
}
