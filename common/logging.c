// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "logging.h"
#include "params.h"

const char *tool_name = "xdp-tutorial";

static bool verbose, quiet;
static int silenced;
static char kernel_reason[256];
/* What the libraries said while silenced: a few lines are enough. */
#define KEPT_MAX 16
static char kept[KEPT_MAX][256];
static int n_kept;

static void vprint(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	if (prefix)
		fprintf(f, "%s: ", prefix);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(stderr, tool_name, fmt, ap);
	va_end(ap);
}

void pr_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprint(stdout, NULL, fmt, ap);
	va_end(ap);
}

void pr_debug(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vprint(stderr, tool_name, fmt, ap);
	va_end(ap);
}

/* Keep what a library said while silenced, for logging_library_reason(). */
static void keep(const char *msg)
{
	size_t len;
	char *line;

	if (n_kept == KEPT_MAX || !strstr(msg, "fail"))
		return;
	if (!strncmp(msg, "libbpf: ", 8))
		msg += 8;
	line = kept[n_kept++];
	len = strcspn(msg, "\n");
	if (len >= sizeof(kept[0]))
		len = sizeof(kept[0]) - 1;	/* a long message is cut */
	memcpy(line, msg, len);
	line[len] = '\0';
}

static int print_library(int level, const char *fmt, va_list ap)
{
	char msg[1024];

	if (verbose)
		return vfprintf(stderr, fmt, ap);
	if (level != LIBBPF_WARN)	/* libbpf and libxdp number alike */
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* The kernel's extack: our own error line quotes it. */
	if (sscanf(msg, "libbpf: Kernel error message: %255[^\n]", kernel_reason) == 1)
		return 0;
	if (silenced) {
		keep(msg);
		return 0;
	}
	return fputs(msg, stderr);
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return print_library(level, fmt, ap);
}

static int print_libxdp(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return print_library(level, fmt, ap);
}

void logging_init(const struct config *cfg)
{
	verbose = cfg->verbose;
	quiet = cfg->quiet;
	libbpf_set_print(print_libbpf);
	libxdp_set_print(print_libxdp);
}

bool logging_verbose(void)
{
	return verbose;
}

void logging_silence(void)
{
	if (!silenced++) {
		kernel_reason[0] = '\0';
		n_kept = 0;
	}
}

void logging_restore(void)
{
	if (silenced)
		silenced--;
}

const char *logging_kernel_reason(void)
{
	return kernel_reason;
}

const char *logging_library_reason(const char *about)
{
	for (int i = 0; i < n_kept; i++)
		if (strstr(kept[i], about))
			return kept[i];
	return NULL;
}
