/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One command-line parser for every tool: the options several tools share
 * are declared once, in params.c; a tool names the groups it takes and may
 * add options of its own. --help is made from the same table.
 */
#ifndef PARAMS_H
#define PARAMS_H

#include <getopt.h>
#include <stdbool.h>
#include <net/if.h>
#include <linux/types.h>
#include <xdp/libxdp.h>

/* Exit codes of every tool (README.org documents them). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* something failed at run time */
	EXIT_FAIL_OPTION = 2,	/* bad command line */
};

/* Groups of shared options; -q, -v and -h are always there. */
enum {
	OPT_DEV		= 1 << 0,	/* -d/--dev IFNAME */
	OPT_DEV_I	= 1 << 1,	/* -i/--interface IFNAME too, as tcpdump has */
	OPT_MODE	= 1 << 2,	/* -S/--skb-mode, --native-mode, --auto-mode */
	OPT_UNLOAD	= 1 << 3,	/* -U/--unload ID, --unload-all */
	OPT_PROGNAME	= 1 << 4,	/* --progname NAME */
	OPT_FILENAME	= 1 << 5,	/* --filename FILE */
	OPT_LIST	= 1 << 6,	/* --list */
	OPT_REUSE_MAPS	= 1 << 7,	/* --reuse-maps */
	OPT_INTERVAL	= 1 << 8,	/* -i/--interval SECONDS */
};

struct config {
	char ifname[IF_NAMESIZE];
	int ifindex;
	enum xdp_attach_mode attach_mode;
	const char *filename;	/* BPF object file */
	const char *prog_name;	/* program (function) in it */
	__u32 unload_id;
	bool unload;		/* -U ID or --unload-all given */
	bool unload_all;
	bool list;
	bool reuse_maps;
	bool quiet;
	bool verbose;
	double interval;	/* seconds between two lines of statistics */
};

/*
 * An option of one tool only. val is a letter for a short option (it gets
 * -<letter> as well), or TOOL_OPT_LONG + n for a long-only one.
 */
struct tool_option {
	const char *name;
	int has_arg;		/* no_argument or required_argument */
	int val;
	const char *arg;	/* its argument's name in --help, or NULL */
	const char *help;
};
#define TOOL_OPT_LONG 512

/* Called for each of the tool's own options; bad input: usage_error(). */
typedef void (*tool_option_fn)(int val, const char *arg, struct config *cfg);

/*
 * Parse argv into cfg. Prints --help and exits 0; on a bad command line
 * prints one line and exits EXIT_FAIL_OPTION. extra may be NULL; its table
 * ends with a zeroed entry.
 */
void parse_cmdline(int argc, char **argv, unsigned int groups,
		   const struct tool_option *extra, tool_option_fn handle_extra,
		   struct config *cfg, const char *doc);

/* One line "<tool>: <message> (see <tool> --help)", then exit 2. */
void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

/* A decimal number in [min, max], or usage_error() naming what it is. */
__u32 parse_u32_arg(const char *what, const char *arg, __u32 min, __u32 max);

#endif /* PARAMS_H */
