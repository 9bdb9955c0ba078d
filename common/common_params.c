// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_params.h"

const char *prog_name = "xdp-tutorial";

struct option_doc {
	unsigned int group;
	struct option opt;
	const char *arg;
	const char *help;
};

enum { LONG_SKB = 256, LONG_NATIVE, LONG_AUTO, LONG_UNLOAD_ALL, LONG_PROGNAME,
       LONG_FILENAME, LONG_LIST, LONG_REUSE_MAPS };

#define ALWAYS 0
static const struct option_doc options[] = {
	{ OPT_DEV, { "dev", required_argument, NULL, 'd' }, "IFNAME",
	  "interface to work on" },
	{ OPT_MODE, { "skb-mode", no_argument, NULL, LONG_SKB }, NULL,
	  "attach in generic (SKB) mode: works on any interface" },
	{ OPT_MODE, { "native-mode", no_argument, NULL, LONG_NATIVE }, NULL,
	  "attach in native (driver) mode" },
	{ OPT_MODE, { "auto-mode", no_argument, NULL, LONG_AUTO }, NULL,
	  "native if the driver supports it, else generic (default)" },
	{ OPT_UNLOAD, { "unload", required_argument, NULL, 'U' }, "ID",
	  "detach the XDP program with this id and exit" },
	{ OPT_UNLOAD, { "unload-all", no_argument, NULL, LONG_UNLOAD_ALL }, NULL,
	  "detach every XDP program on the interface and exit" },
	{ OPT_PROGNAME, { "progname", required_argument, NULL, LONG_PROGNAME }, "NAME",
	  "program (function) in the object to load" },
	{ OPT_FILENAME, { "filename", required_argument, NULL, LONG_FILENAME }, "FILE",
	  "BPF object file to load" },
	{ OPT_LIST, { "list", no_argument, NULL, LONG_LIST }, NULL,
	  "list the programs in the object file and exit" },
	{ OPT_REUSE_MAPS, { "reuse-maps", no_argument, NULL, LONG_REUSE_MAPS }, NULL,
	  "reuse maps already pinned for the interface" },
	{ OPT_INTERVAL, { "interval", required_argument, NULL, 'i' }, "SECONDS",
	  "time between two lines of statistics" },
	{ ALWAYS, { "quiet", no_argument, NULL, 'q' }, NULL, "print less" },
	{ ALWAYS, { "verbose", no_argument, NULL, 'v' }, NULL,
	  "print libbpf and libxdp messages too" },
	{ ALWAYS, { "help", no_argument, NULL, 'h' }, NULL, "show this help" },
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static bool accepts(unsigned int accepted, const struct option_doc *o)
{
	return o->group == ALWAYS || (o->group & accepted);
}

static void usage(const char *doc, unsigned int accepted)
{
	printf("Usage: %s [options]\n\n%s\n\nOptions:\n", prog_name, doc);
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_doc *o = &options[i];
		char left[40];

		if (!accepts(accepted, o))
			continue;
		if (o->opt.val < 256)
			snprintf(left, sizeof(left), "-%c, --%s %s", o->opt.val,
				 o->opt.name, o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s %s", o->opt.name,
				 o->arg ? o->arg : "");
		printf("  %-30s %s\n", left, o->help);
	}
}

static void __attribute__((noreturn)) bad_option(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", prog_name);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see %s --help)\n", prog_name);
	exit(EXIT_FAIL_OPTION);
}

static void set_dev(struct config *cfg, const char *name)
{
	if (strlen(name) >= IF_NAMESIZE)
		bad_option("interface name too long: '%s'", name);
	strcpy(cfg->ifname, name);
	cfg->ifindex = if_nametoindex(name);
	if (!cfg->ifindex)
		bad_option("no such interface: '%s'", name);
	snprintf(cfg->pin_dir, sizeof(cfg->pin_dir), "/sys/fs/bpf/%s", name);
}

static unsigned long parse_number(const char *arg)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || !*arg || *end)
		bad_option("not a number: '%s'", arg);
	return v;
}

static double parse_seconds(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || !(v >= 0.1 && v <= 3600))
		bad_option("interval must be 0.1 to 3600 seconds, not '%s'", arg);
	return v;
}

void parse_cmdline_args(int argc, char **argv, unsigned int accepted,
			struct config *cfg, const char *doc)
{
	struct option long_opts[N_OPTIONS + 1] = {};
	char short_opts[32] = ":";
	int n = 0, c;

	prog_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const struct option_doc *o = &options[i];

		if (!accepts(accepted, o))
			continue;
		long_opts[n++] = o->opt;
		if (o->opt.val < 256) {
			size_t len = strlen(short_opts);

			short_opts[len] = o->opt.val;
			if (o->opt.has_arg)
				short_opts[++len] = ':';
		}
	}

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		switch (c) {
		case 'd': set_dev(cfg, optarg); break;
		case LONG_SKB: cfg->attach_mode = XDP_MODE_SKB; break;
		case LONG_NATIVE: cfg->attach_mode = XDP_MODE_NATIVE; break;
		case LONG_AUTO: cfg->attach_mode = XDP_MODE_UNSPEC; break;
		case 'U':
			cfg->unload = true;
			cfg->unload_id = parse_number(optarg);
			break;
		case LONG_UNLOAD_ALL: cfg->unload = cfg->unload_all = true; break;
		case LONG_PROGNAME: cfg->progname = optarg; break;
		case LONG_FILENAME: cfg->filename = optarg; break;
		case LONG_LIST: cfg->list = true; break;
		case LONG_REUSE_MAPS: cfg->reuse_maps = true; break;
		case 'i': cfg->interval = parse_seconds(optarg); break;
		case 'q': cfg->quiet = true; break;
		case 'v': cfg->verbose = true; break;
		case 'h': usage(doc, accepted); exit(EXIT_OK);
		case ':': bad_option("option '%s' needs an argument", argv[optind - 1]);
		default: bad_option("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_option("unexpected argument '%s'", argv[optind]);
	if ((accepted & OPT_DEV) && !cfg->ifindex && !cfg->list)
		bad_option("%s", "no interface given: use --dev IFNAME");
}
