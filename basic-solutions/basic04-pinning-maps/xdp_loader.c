// SPDX-License-Identifier: GPL-2.0
/*
 * Attach a program, like basic02's loader, and pin its maps in
 * /sys/fs/bpf/<ifname>/: a pinned map outlives the loader, so another
 * process (xdp_stats) can open it by path and read it.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common_params.h"
#include "common_user_bpf_xdp.h"

static const char *doc =
	"Attach --progname from --filename to --dev and pin its maps in\n"
	"/sys/fs/bpf/IFNAME/; or detach with --unload/--unload-all (the pins stay).";

/* Where a map of this program is pinned: /sys/fs/bpf/<ifname>/<map name>. */
static void pin_path_of(char *path, const struct bpf_map *map, const struct config *cfg)
{
	snprintf(path, PATH_MAX, "%s/%s", cfg->pin_dir, bpf_map__name(map));
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
		pin_path_of(path, map, cfg);
		err = reuse_pinned_map(map, path);
		if (err)
			return err;
	}
	return 0;
}

/* Pin this program's maps in cfg->pin_dir, in place of older pins. */
static int pin_maps(struct bpf_object *obj, const struct config *cfg)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	int err;

	bpf_object__for_each_map(map, obj) {
		pin_path_of(path, map, cfg);
		if (unlink(path) && errno != ENOENT) {
			err = -errno;
			pr_err("cannot remove the old pin %s: %s", path, strerror(-err));
			return err;
		}
	}
	/* Undoes its own work on failure; the rmdir leaves no empty directory. */
	err = bpf_object__pin_maps(obj, cfg->pin_dir);
	if (err) {
		rmdir(cfg->pin_dir);
		pr_err("cannot pin the maps in %s: %s", cfg->pin_dir, strerror(-err));
	}
	return err;
}

static int unload(const struct config *cfg)
{
	if (detach_xdp_programs(cfg))
		return EXIT_FAIL;
	if (!cfg->quiet && !access(cfg->pin_dir, F_OK))
		printf("Detached. The maps stay pinned in %s: remove them with rm -r %s\n",
		       cfg->pin_dir, cfg->pin_dir);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_prog_kern.o",
			      .progname = "xdp_pass_func" };
	struct xdp_program *prog;
	struct bpf_object *obj;

	parse_cmdline_args(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD | OPT_FILENAME |
			   OPT_PROGNAME | OPT_LIST | OPT_REUSE_MAPS, &cfg, doc);
	setup_library_logging(cfg.verbose);
	if (cfg.list)
		return list_xdp_programs(cfg.filename) ? EXIT_FAIL : EXIT_OK;
	if (cfg.unload)
		return unload(&cfg);

	prog = open_xdp_program(&cfg);
	if (!prog)
		return EXIT_FAIL;
	obj = xdp_program__bpf_obj(prog);
	if (prepare_maps(obj, &cfg) || attach_xdp_program(prog, &cfg))
		return EXIT_FAIL;
	/* Pinning last: a failure before this point leaves no pins behind. */
	if (pin_maps(obj, &cfg)) {
		xdp_program__detach(prog, cfg.ifindex, cfg.attach_mode, 0);
		return EXIT_FAIL;
	}
	if (!cfg.quiet)
		printf("Success: %s attached to %s (program id %u); maps pinned in %s\n",
		       xdp_program__name(prog), cfg.ifname, xdp_program__id(prog),
		       cfg.pin_dir);
	xdp_program__close(prog);
	return EXIT_OK;
}
