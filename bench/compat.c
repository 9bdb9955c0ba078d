// SPDX-License-Identifier: GPL-2.0
/* TEMPORARY: the new common/ API on top of the old one, until main's split lands. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compat.h"

bool compat_quiet, compat_verbose;

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", prog_name);
	exit(EXIT_FAIL_OPTION);
}

__u32 parse_u32_arg(const char *what, const char *arg, __u32 min, __u32 max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || !*arg || *end || v < min || v > max || *arg == '-')
		usage_error("%s must be a number from %u to %u, not '%s'", what, min, max, arg);
	return v;
}

void parse_cmdline(int argc, char **argv, unsigned int groups, const struct tool_option *extra,
		   int (*handle_extra)(int val, const char *arg, struct config *cfg),
		   struct config *cfg, const char *doc)
{
	struct option lo[64] = {
		{ "skb-mode", 0, NULL, 1000 }, { "native-mode", 0, NULL, 1001 },
		{ "auto-mode", 0, NULL, 1002 }, { "quiet", 0, NULL, 'q' },
		{ "verbose", 0, NULL, 'v' }, { "help", 0, NULL, 'h' } };
	char so[64] = ":qvh";
	int n = 6, c;

	prog_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (const struct tool_option *o = extra; o && o->name; o++) {
		lo[n++] = (struct option){ o->name, o->has_arg, NULL, o->val };
		if (o->val < 256) {
			size_t l = strlen(so);
			so[l] = o->val;
			if (o->has_arg)
				so[l + 1] = ':';
		}
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		switch (c) {
		case 1000: cfg->attach_mode = XDP_MODE_SKB; break;
		case 1001: cfg->attach_mode = XDP_MODE_NATIVE; break;
		case 1002: cfg->attach_mode = XDP_MODE_UNSPEC; break;
		case 'q': cfg->quiet = compat_quiet = true; break;
		case 'v': cfg->verbose = compat_verbose = true; break;
		case 'h':
			printf("Usage: %s [options]\n\n%s\n\nOptions:\n", prog_name, doc);
			for (const struct tool_option *o = extra; o && o->name; o++)
				printf("  --%s %s  %s\n", o->name, o->arg ? o->arg : "", o->help);
			exit(0);
		case ':': usage_error("option '%s' needs an argument", argv[optind - 1]);
		case '?': usage_error("unknown option '%s'", argv[optind - 1]);
		default: handle_extra(c, optarg, cfg);
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
}

void logging_init(const struct config *cfg)
{
	setup_library_logging(cfg->verbose);
}

static bool is_xdp(const struct bpf_program *p)
{
	return bpf_program__type(p) == BPF_PROG_TYPE_XDP;
}

struct bpf_object *xdp_obj_open(const char *file, const char *name, bool force_xdp,
				struct bpf_program **prog)
{
	struct bpf_object *obj = bpf_object__open_file(file, NULL);
	struct bpf_program *p;
	struct bpf_map *m;

	*prog = NULL;
	if (!obj) {
		pr_err("cannot open %s: %s", file, strerror(errno));
		return NULL;
	}
	bpf_object__for_each_program(p, obj) {
		bool this = name ? !strcmp(bpf_program__name(p), name) : !*prog && is_xdp(p);

		bpf_program__set_autoload(p, this);
		if (this)
			*prog = p;
	}
	if (!*prog) {
		pr_err("no program '%s' in %s", name ? name : "(xdp)", file);
		goto fail;
	}
	if (force_xdp)
		bpf_program__set_type(*prog, BPF_PROG_TYPE_XDP);
	if (!is_xdp(*prog)) {
		pr_err("%s in %s is not an XDP program", name, file);
		goto fail;
	}
	bpf_object__for_each_map(m, obj)
		bpf_map__set_pin_path(m, NULL);
	return obj;
fail:
	bpf_object__close(obj);
	*prog = NULL;
	return NULL;
}

static char log_buf[1 << 20];

int load_bpf_object(struct bpf_object *obj)
{
	struct bpf_program *p;
	char *line, *reason = NULL, *save;
	int err;

	const char *name = "?";

	bpf_object__for_each_program(p, obj)
		if (bpf_program__autoload(p)) {
			bpf_program__set_log_buf(p, log_buf, sizeof(log_buf));
			name = bpf_program__name(p);
		}
	log_buf[0] = 0;
	err = bpf_object__load(obj);
	if (!err)
		return 0;
	for (line = strtok_r(log_buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "processed ", 10))
			break;
		reason = line;
	}
	if (reason)
		pr_err("the verifier rejected %s: %s; -v shows the whole log", name, reason);
	else
		pr_err("loading failed: %s", strerror(-err));
	return err;
}
