// SPDX-License-Identifier: GPL-2.0
/* Attach xdp_pass_kern.o to an interface, or detach what is there. */
#include <stdio.h>

#include "common_params.h"
#include "common_user_bpf_xdp.h"

static const char *doc = "Attach the XDP_PASS program in xdp_pass_kern.o to --dev.";

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_pass_kern.o" };
	struct xdp_program *prog;

	parse_cmdline_args(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD | OPT_FILENAME,
			   &cfg, doc);
	setup_library_logging(cfg.verbose);

	if (cfg.unload)
		return detach_xdp_programs(&cfg) ? EXIT_FAIL : EXIT_OK;

	prog = load_and_attach(&cfg);
	if (!prog)
		return EXIT_FAIL;
	if (!cfg.quiet)
		printf("Success: %s attached to %s (program id %u)\n",
		       xdp_program__name(prog), cfg.ifname, xdp_program__id(prog));
	/* Closing our handle does not detach: the kernel keeps the program
	 * attached to the interface until someone unloads it. */
	xdp_program__close(prog);
	return EXIT_OK;
}
