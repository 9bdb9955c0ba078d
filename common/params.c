// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logging.h"
#include "params.h"

enum { LONG_NATIVE = 256, LONG_AUTO, LONG_UNLOAD_ALL, LONG_PROGNAME,
       LONG_FILENAME, LONG_LIST, LONG_REUSE_MAPS };

#define ALWAYS 0
struct shared_option {
	unsigned int group;
	struct tool_option o;
};

static const struct shared_option shared[] = {
	{ OPT_DEV, { "dev", required_argument, 'd', "IFNAME", "interface to work on" } },
	{ OPT_DEV_I, { "interface", required_argument, 'i', "IFNAME", "the same as --dev" } },
	{ OPT_MODE, { "skb-mode", no_argument, 'S', NULL,
		      "attach in generic (SKB) mode: works on any interface" } },
	{ OPT_MODE, { "native-mode", no_argument, LONG_NATIVE, NULL,
		      "attach in native (driver) mode" } },
	{ OPT_MODE, { "auto-mode", no_argument, LONG_AUTO, NULL,
		      "native if the driver supports it, else generic (default)" } },
	{ OPT_UNLOAD, { "unload", required_argument, 'U', "ID",
			"detach the XDP program with this id and exit" } },
	{ OPT_UNLOAD, { "unload-all", no_argument, LONG_UNLOAD_ALL, NULL,
			"detach every XDP program on the interface and exit" } },
	{ OPT_PROGNAME, { "progname", required_argument, LONG_PROGNAME, "NAME",
			  "program (function) in the object to load" } },
	{ OPT_FILENAME, { "filename", required_argument, LONG_FILENAME, "FILE",
			  "BPF object file to load" } },
	{ OPT_LIST, { "list", no_argument, LONG_LIST, NULL,
		      "list the XDP programs in the object file and exit" } },
	{ OPT_REUSE_MAPS, { "reuse-maps", no_argument, LONG_REUSE_MAPS, NULL,
			    "reuse maps already pinned for the interface" } },
	{ OPT_INTERVAL, { "interval", required_argument, 'i', "SECONDS",
			  "time between two lines of statistics" } },
	{ ALWAYS, { "quiet", no_argument, 'q', NULL, "print less" } },
	{ ALWAYS, { "verbose", no_argument, 'v', NULL,
		    "print libbpf, libxdp and verifier messages too" } },
	{ ALWAYS, { "help", no_argument, 'h', NULL, "show this help" } },
};
#define N_SHARED (sizeof(shared) / sizeof(shared[0]))
#define MAX_OPTIONS 64

/* The options one tool takes: the shared groups it asked for, then its own. */
struct option_set {
	const struct tool_option *opt[MAX_OPTIONS];
	int n;
};

static void collect(struct option_set *set, unsigned int groups,
		    const struct tool_option *extra)
{
	for (size_t i = 0; i < N_SHARED; i++)
		if (shared[i].group == ALWAYS || (shared[i].group & groups))
			set->opt[set->n++] = &shared[i].o;
	for (; extra && extra->name && set->n < MAX_OPTIONS; extra++)
		set->opt[set->n++] = extra;
}

void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see %s --help)\n", tool_name);
	exit(EXIT_FAIL_OPTION);
}

static void usage(const struct option_set *set, const char *doc)
{
	printf("Usage: %s [options]\n\n%s\n\nOptions:\n", tool_name, doc);
	for (int i = 0; i < set->n; i++) {
		const struct tool_option *o = set->opt[i];
		char left[48];

		snprintf(left, sizeof(left), "%c%c%c --%s %s",
			 o->val < 256 ? '-' : ' ', o->val < 256 ? o->val : ' ',
			 o->val < 256 ? ',' : ' ', o->name, o->arg ? o->arg : "");
		printf("  %-32s %s\n", left, o->help);
	}
}

__u32 parse_u32_arg(const char *what, const char *arg, __u32 min, __u32 max)
{
	unsigned long long v = 0;
	const char *p = arg;

	/* Decimal digits only: no sign, no 0x, no octal, no wrap-around. */
	if (!*p)
		usage_error("%s must be a number, not ''", what);
	for (; *p; p++) {
		if (!isdigit((unsigned char)*p))
			usage_error("%s must be a decimal number, not '%s'", what, arg);
		v = v * 10 + (*p - '0');
		if (v > max)
			break;
	}
	if (v < min || v > max)
		usage_error("%s must be %u to %u, not '%s'", what, min, max, arg);
	return v;
}

static void set_dev(struct config *cfg, const char *name)
{
	if (strlen(name) >= IF_NAMESIZE)
		usage_error("interface name too long: '%s'", name);
	strcpy(cfg->ifname, name);
	cfg->ifindex = if_nametoindex(name);
	if (!cfg->ifindex)
		usage_error("no such interface: '%s'", name);
}

static double parse_seconds(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (!*arg || *end || !(v >= 0.1 && v <= 3600))
		usage_error("interval must be 0.1 to 3600 seconds, not '%s'", arg);
	return v;
}

static void set_mode(struct config *cfg, enum xdp_attach_mode mode, bool *mode_set)
{
	if (*mode_set && cfg->attach_mode != mode)
		usage_error("give only one of --skb-mode, --native-mode and --auto-mode");
	cfg->attach_mode = mode;
	*mode_set = true;
}

/* Returns false for an option that is not shared: the tool's own. */
static bool handle_shared(int c, const char *arg, struct config *cfg,
			  unsigned int groups, bool *mode_set)
{
	switch (c) {
	case 'd': set_dev(cfg, arg); break;
	case 'i':
		if (groups & OPT_DEV_I)
			set_dev(cfg, arg);
		else
			cfg->interval = parse_seconds(arg);
		break;
	case 'S': set_mode(cfg, XDP_MODE_SKB, mode_set); break;
	case LONG_NATIVE: set_mode(cfg, XDP_MODE_NATIVE, mode_set); break;
	case LONG_AUTO: set_mode(cfg, XDP_MODE_UNSPEC, mode_set); break;
	case 'U':
		if (cfg->unload_id)
			usage_error("give --unload once");
		cfg->unload = true;
		cfg->unload_id = parse_u32_arg("the program id (--unload)", arg, 1, UINT32_MAX);
		break;
	case LONG_UNLOAD_ALL: cfg->unload = cfg->unload_all = true; break;
	case LONG_PROGNAME: cfg->prog_name = arg; break;
	case LONG_FILENAME: cfg->filename = arg; break;
	case LONG_LIST: cfg->list = true; break;
	case LONG_REUSE_MAPS: cfg->reuse_maps = true; break;
	case 'q': cfg->quiet = true; break;
	case 'v': cfg->verbose = true; break;
	default: return false;
	}
	return true;
}

static void check_conflicts(const struct config *cfg, unsigned int groups)
{
	if (cfg->unload_all && cfg->unload_id)
		usage_error("give either --unload ID or --unload-all, not both");
	if (cfg->list && cfg->unload)
		usage_error("--list and --unload do not go together");
	if (cfg->list && cfg->reuse_maps)
		usage_error("--list and --reuse-maps do not go together");
	if ((groups & (OPT_DEV | OPT_DEV_I)) && !cfg->ifindex && !cfg->list)
		usage_error("no interface given: use --dev IFNAME");
}

/* The option getopt could not place, named as the user typed it. */
static const char *bad_option_name(char **argv, int optopt_char)
{
	static char buf[8];

	if (optopt_char > 0 && optopt_char < 256) {
		snprintf(buf, sizeof(buf), "-%c", optopt_char);
		return buf;
	}
	return argv[optind - 1];
}

void parse_cmdline(int argc, char **argv, unsigned int groups,
		   const struct tool_option *extra, tool_option_fn handle_extra,
		   struct config *cfg, const char *doc)
{
	struct option long_opts[MAX_OPTIONS + 1] = {};
	struct option_set set = {};
	char short_opts[2 * MAX_OPTIONS + 2] = ":";
	bool mode_set = false;
	int c;

	tool_name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	collect(&set, groups, extra);
	for (int i = 0; i < set.n; i++) {
		const struct tool_option *o = set.opt[i];

		long_opts[i] = (struct option){ o->name, o->has_arg, NULL, o->val };
		if (o->val < 256) {
			size_t len = strlen(short_opts);

			short_opts[len] = o->val;
			if (o->has_arg)
				short_opts[len + 1] = ':';
		}
	}

	opterr = 0;
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(&set, doc);
			exit(EXIT_OK);
		}
		if (c == ':')
			usage_error("option '%s' needs an argument", bad_option_name(argv, optopt));
		if (c == '?')
			usage_error("unknown option '%s'", bad_option_name(argv, optopt));
		if (!handle_shared(c, optarg, cfg, groups, &mode_set) && handle_extra)
			handle_extra(c, optarg, cfg);
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	check_conflicts(cfg, groups);
}
