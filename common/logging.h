/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Messages of a tool: errors as one line "<tool>: <what failed>" on stderr,
 * information on stdout (not with -q), details only with -v. libbpf and
 * libxdp print through here too: everything with -v, warnings otherwise,
 * and nothing around calls known to be noisy (see logging_silence()).
 */
#ifndef LOGGING_H
#define LOGGING_H

#include <stdbool.h>

struct config;

/* The running tool's name, for its messages (argv[0] without the path). */
extern const char *tool_name;

void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pr_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Take -q/-v from cfg and route the libraries' messages through here. */
void logging_init(const struct config *cfg);
bool logging_verbose(void);

/*
 * Between these two, library warnings are kept instead of printed: libxdp
 * probing for its dispatcher says "Falling back ..." on every kernel that
 * refuses freplace, and that is no news. What was kept is used only to
 * explain a failure (logging_library_reason()); -v still prints all of it.
 */
void logging_silence(void);
void logging_restore(void);

/* The kernel's own reason for the last failed netlink call ("" if none). */
const char *logging_kernel_reason(void);
/* The first failure a library reported while silenced that mentions
 * ABOUT (a program's name, "map '"), or NULL. */
const char *logging_library_reason(const char *about);

#endif /* LOGGING_H */
