/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading, attaching, detaching and pinning, over libxdp. Every function
 * here prints one line saying what failed (with a hint where one helps) and
 * returns a negative errno, so a tool only has to pass the error up.
 */
#ifndef COMMON_USER_BPF_XDP_H
#define COMMON_USER_BPF_XDP_H

#include <signal.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "common_params.h"

/* Report an error as "<tool>: <message>" on stderr. */
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Route libbpf and libxdp messages through one filter: warnings only, minus
 * the known noise (dispatcher fallback, unknown sections), unless verbose.
 */
void setup_library_logging(bool verbose);

/* Make sure bpffs is mounted at /sys/fs/bpf (libxdp and pinning need it). */
int ensure_bpffs(void);

/* Open cfg->filename and pick cfg->progname (or the first program). */
struct xdp_program *open_xdp_program(const struct config *cfg);

/* Load and attach to cfg->ifindex in cfg->attach_mode. */
int attach_xdp_program(struct xdp_program *prog, const struct config *cfg);

/* Open, load and attach in one step; NULL on failure (already reported). */
struct xdp_program *load_and_attach(const struct config *cfg);

/* Detach cfg->unload_id, or everything with cfg->unload_all. */
int detach_xdp_programs(const struct config *cfg);

/* Print the XDP programs in cfg->filename, one per line. */
int list_xdp_programs(const char *filename);

/* "XDP_PASS" for XDP_PASS, and so on; "XDP_UNKNOWN" past XDP_REDIRECT. */
const char *xdp_action_name(unsigned int action);

/*
 * For tools that run until Ctrl-C: after stop_on_signals(), SIGINT and
 * SIGTERM set stop_requested (and cut a sleep_seconds() short) instead of
 * killing the tool, so it can finish cleanly.
 */
extern volatile sig_atomic_t stop_requested;
void stop_on_signals(void);
void sleep_seconds(double seconds);
/* Seconds on a clock that never jumps (CLOCK_MONOTONIC): for measuring periods. */
double monotonic_seconds(void);

#endif /* COMMON_USER_BPF_XDP_H */
