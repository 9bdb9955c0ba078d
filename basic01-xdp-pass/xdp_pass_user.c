// SPDX-License-Identifier: GPL-2.0
/*
 * Attach xdp_pass_kern.o to an interface, or detach what is there: the
 * life of an XDP program through libxdp, open -> attach -> close. Errors
 * are explained by helpers in common/ (one line each).
 */
#include <stdio.h>
#include <string.h>

#include "logging.h"
#include "params.h"
#include "xdp_prog.h"

static const char *doc = "Attach the XDP_PASS program in xdp_pass_kern.o to --dev.";

int main(int argc, char **argv)
{
	struct config cfg = { .filename = "xdp_pass_kern.o" };
	struct xdp_program *prog = NULL;
	struct bpf_program *bpf_prog;
	struct bpf_object *obj;
	int err = -1;

	parse_cmdline(argc, argv, OPT_DEV | OPT_MODE | OPT_UNLOAD | OPT_FILENAME,
		      NULL, NULL, &cfg, doc);
	logging_init(&cfg);

	if (cfg.unload)	/* finds the program on the interface: common/xdp_prog.c */
		return xdp_prog_detach(&cfg) ? EXIT_FAIL : EXIT_OK;

	/* 1. Open the object file: libbpf reads the ELF file, nothing is in
	 *    the kernel yet. xdp_obj_open() checks that it is a BPF object
	 *    and finds its XDP program. libxdp wraps that program. */
	obj = xdp_obj_open(cfg.filename, NULL, false, &bpf_prog);
	if (!obj)
		return EXIT_FAIL;
	DECLARE_LIBXDP_OPTS(xdp_program_opts, opts, .obj = obj);
	prog = xdp_program__create(&opts);
	err = libxdp_get_error(prog);
	if (err) {
		prog = NULL;
		pr_err("libxdp cannot use %s: %s", cfg.filename, strerror(-err));
		goto cleanup;
	}

	/* 2. Load it into the kernel (the verifier checks it now) and attach
	 *    it to the interface, natively or in generic (SKB) mode. */
	logging_silence();	/* libxdp's probe for its dispatcher is chatty */
	err = xdp_program__attach(prog, cfg.ifindex, cfg.attach_mode, 0);
	logging_restore();
	if (err) {
		report_attach_error(prog, &cfg, err);
		goto cleanup;
	}
	pr_info("Success: %s attached to %s (program id %u)", xdp_program__name(prog),
		cfg.ifname, xdp_program__id(prog));

cleanup:
	/* 3. Closing our handles does not detach: the kernel keeps the
	 *    program attached to the interface until someone unloads it. */
	xdp_program__close(prog);
	bpf_object__close(obj);
	return err ? EXIT_FAIL : EXIT_OK;
}
