// SPDX-License-Identifier: GPL-2.0
/*
 * Attach a program, like basic02's loader, and pin its maps in
 * /sys/fs/bpf/<ifname>/: a pinned map outlives the loader, so another
 * process (xdp_stats) can open it by path and read it.
 */
#include <errno.h>
#include <limits.h>
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

/*
 * Runs before the program is loaded, while its maps can still be swapped.
 * open_xdp_program() has told libbpf not to pin anything by itself: this
 * loader pins the maps per interface, once the program is attached.
 *
 * Assignment 2: with --reuse-maps, give the program the map already pinned
 * in cfg->pin_dir (if there is one) instead of a new, empty one, so that
 * the counters carry on across a reload. bpf_obj_get() opens a pin,
 * bpf_map__reuse_fd() hands the map to the program; check first that its
 * layout (bpf_obj_get_info_by_fd()) is the one the program declares.
 */
static int prepare_maps(struct bpf_object *obj, const struct config *cfg)
{
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
