/* SPDX-License-Identifier: GPL-2.0 */
/* TEMPORARY: the new common/ API on top of the old one, until main's split lands. */
#ifndef BENCH_COMPAT_H
#define BENCH_COMPAT_H
#include <stdbool.h>
#include <bpf/libbpf.h>
#include "common_params.h"
#include "common_user_bpf_xdp.h"

#define tool_name prog_name
#define pr_info(fmt, ...) do { if (!compat_quiet) printf(fmt "\n", ##__VA_ARGS__); } while (0)
#define pr_debug(fmt, ...) do { if (compat_verbose) fprintf(stderr, fmt "\n", ##__VA_ARGS__); } while (0)
extern bool compat_quiet, compat_verbose;

struct tool_option { const char *name; int has_arg; int val; const char *arg; const char *help; };
void parse_cmdline(int argc, char **argv, unsigned int groups, const struct tool_option *extra,
		   int (*handle_extra)(int val, const char *arg, struct config *cfg),
		   struct config *cfg, const char *doc);
void usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
__u32 parse_u32_arg(const char *what, const char *arg, __u32 min, __u32 max);
void logging_init(const struct config *cfg);
struct bpf_object *xdp_obj_open(const char *file, const char *prog_name, bool force_xdp,
				struct bpf_program **prog);
int load_bpf_object(struct bpf_object *obj);
#endif
