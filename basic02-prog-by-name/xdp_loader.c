// SPDX-License-Identifier: GPL-2.0
/*
 * Load one program, chosen by name, from an object file holding several.
 * basic01 showed open -> attach; here the program is picked by its name
 * (the C function's), and --list shows which names there are.
 */
#include <stdio.h>
#include <string.h>

#include "logging.h"
#include "params.h"
#include "xdp_prog.h"

static const char *doc =
	"Attach the program --progname from --filename to --dev, or list the\n"
	"programs in the file with --list, or detach with --unload/--unload-all.";

/* Every program in an object has a type, set by its SEC(); list the XDP ones. */
static int list_programs(const char *file)
{
	struct bpf_object *obj;
	struct bpf_program *prog;

	obj = xdp_obj_open(file, NULL, false, &prog);	/* checks the file */
	if (!obj)
		return -1;
	bpf_object__for_each_program(prog, obj)
		if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP)
			printf("%s\n", bpf_program__name(prog));
	bpf_object__close(obj);
	return 0;
}

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_prog_kern.o",
			      .prog_name = "xdp_pass_func" };
	struct xdp_program *prog = NULL;
	struct bpf_program *bpf_prog;
	struct bpf_object *obj;
	int err;

	parse_cmdline(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD | OPT_FILENAME |
		      OPT_PROGNAME | OPT_LIST, NULL, NULL, &cfg, doc);
	logging_init(&cfg);

	if (cfg.list)
		return list_programs(cfg.filename) ? EXIT_FAIL : EXIT_OK;
	if (cfg.unload)
		return xdp_prog_detach(&cfg) ? EXIT_FAIL : EXIT_OK;

	/* Pick the program by name: only it will be loaded, the object's
	 * other programs stay in the file. */
	obj = xdp_obj_open(cfg.filename, cfg.prog_name, false, &bpf_prog);
	if (!obj)
		return EXIT_FAIL;
	DECLARE_LIBXDP_OPTS(xdp_program_opts, opts, .obj = obj, .prog_name = cfg.prog_name);
	prog = xdp_program__create(&opts);
	err = libxdp_get_error(prog);
	if (err) {
		prog = NULL;
		pr_err("libxdp cannot use %s: %s", cfg.prog_name, strerror(-err));
		goto cleanup;
	}

	/* Load and attach, as basic01 showed (common/xdp_prog.c) */
	err = xdp_prog_attach(prog, &cfg);
	if (!err)
		pr_info("Success: %s from %s attached to %s (program id %u)",
			xdp_program__name(prog), cfg.filename, cfg.ifname,
			xdp_program__id(prog));
cleanup:
	xdp_program__close(prog);
	bpf_object__close(obj);
	return err ? EXIT_FAIL : EXIT_OK;
}
