/* SPDX-License-Identifier: GPL-2.0 */
/* Small things every tool needs: file systems, privileges, signals, clocks. */
#ifndef UTIL_H
#define UTIL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

/* Mount bpffs at /sys/fs/bpf (tracefs at /sys/kernel/tracing) if it is not
 * there, saying so on stderr; -errno and one line on failure. */
int ensure_bpffs(void);
int ensure_tracefs(void);

/* One line and -EPERM unless we may load BPF programs and attach them:
 * root, or CAP_BPF with CAP_NET_ADMIN (and CAP_PERFMON for tracing). */
int require_bpf_privileges(void);

/* Where the maps of the program on IFNAME are pinned: /sys/fs/bpf/IFNAME.
 * One line and -EINVAL when that is a directory iproute2 or libxdp own
 * (an interface may be called "xdp"): those are never ours to touch. */
int pin_dir_of(char *buf, size_t size, const char *ifname);

/*
 * For tools that run until Ctrl-C: after stop_on_signals(), SIGINT and
 * SIGTERM set stop_requested (and cut a sleep_seconds() short) instead of
 * killing the tool, so it can finish cleanly.
 */
extern volatile sig_atomic_t stop_requested;
void stop_on_signals(void);
void sleep_seconds(double seconds);

/* Seconds on a clock that never jumps (CLOCK_MONOTONIC). */
double monotonic_seconds(void);

/* "XDP_PASS" for XDP_PASS, and so on; "XDP_UNKNOWN" past XDP_REDIRECT. */
const char *xdp_action_name(unsigned int action);

#endif /* UTIL_H */
