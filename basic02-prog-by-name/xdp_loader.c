// SPDX-License-Identifier: GPL-2.0
/* Load one program, chosen by name, from an object file holding several. */
#include <stdio.h>

#include "common_params.h"
#include "common_user_bpf_xdp.h"

static const char *doc =
	"Attach the program --progname from --filename to --dev, or list the\n"
	"programs in the file with --list, or detach with --unload/--unload-all.";

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_prog_kern.o",
			      .progname = "xdp_pass_func" };
	struct xdp_program *prog;

	parse_cmdline_args(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD |
			   OPT_FILENAME | OPT_PROGNAME | OPT_LIST, &cfg, doc);
	setup_library_logging(cfg.verbose);

	if (cfg.list)
		return list_xdp_programs(cfg.filename) ? EXIT_FAIL : EXIT_OK;
	if (cfg.unload)
		return detach_xdp_programs(&cfg) ? EXIT_FAIL : EXIT_OK;

	prog = load_and_attach(&cfg);
	if (!prog)
		return EXIT_FAIL;
	if (!cfg.quiet)
		printf("Success: %s from %s attached to %s (program id %u)\n",
		       xdp_program__name(prog), cfg.filename, cfg.ifname,
		       xdp_program__id(prog));
	xdp_program__close(prog);
	return EXIT_OK;
}
