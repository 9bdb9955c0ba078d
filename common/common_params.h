/* SPDX-License-Identifier: GPL-2.0 */
/* One command-line parser for every tool in the tutorial. */
#ifndef COMMON_PARAMS_H
#define COMMON_PARAMS_H

#include <stdbool.h>
#include <net/if.h>
#include <linux/types.h>
#include <xdp/libxdp.h>

/* Exit codes shared by every tool (documented in README.org). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* something failed at run time */
	EXIT_FAIL_OPTION = 2,	/* bad command line */
};

/* The options a tool can accept; a tool passes the ones it takes. */
enum {
	OPT_DEV		= 1 << 0,	/* -d/--dev IFNAME */
	OPT_MODE	= 1 << 1,	/* --skb-mode, --native-mode, --auto-mode */
	OPT_UNLOAD	= 1 << 2,	/* -U/--unload ID, --unload-all */
	OPT_PROGNAME	= 1 << 3,	/* --progname NAME */
	OPT_FILENAME	= 1 << 4,	/* --filename FILE */
	OPT_LIST	= 1 << 5,	/* --list: programs in the object */
	OPT_REUSE_MAPS	= 1 << 6,	/* --reuse-maps */
	OPT_INTERVAL	= 1 << 7,	/* -i/--interval SECONDS */
};

struct config {
	enum xdp_attach_mode attach_mode;
	char ifname[IF_NAMESIZE];
	int ifindex;
	const char *filename;
	const char *progname;
	char pin_dir[64];	/* /sys/fs/bpf/<ifname> */
	__u32 unload_id;
	bool unload;		/* -U ID or --unload-all given */
	bool unload_all;
	bool list;
	bool reuse_maps;
	bool quiet;
	bool verbose;
	double interval;	/* seconds between stats lines */
};

/* Name the running tool uses in its messages (argv[0] without the path). */
extern const char *prog_name;

/*
 * Parse argv into cfg, accepting only the options in @accepted plus
 * -q/--quiet, -v/--verbose and -h/--help. @doc is the tool's one-line
 * description. Prints usage and exits 0 on --help; on a bad option prints
 * one line on stderr and exits EXIT_FAIL_OPTION.
 */
void parse_cmdline_args(int argc, char **argv, unsigned int accepted,
			struct config *cfg, const char *doc);

#endif /* COMMON_PARAMS_H */
