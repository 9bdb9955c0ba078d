// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "common_user_bpf_xdp.h"

static bool log_verbose;
/* The kernel's own reason for the last failure (netlink extack), if any. */
static char kernel_msg[256];

void pr_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Messages that are expected on some kernels and say nothing is wrong. */
static bool is_noise(const char *msg)
{
	static const char *const noise[] = {
		/* libxdp probing for, and falling back from, its dispatcher */
		"dispatcher", "Falling back", "prog 'xdp_pass'", "ulimit -l",
		"No bpffs found",
		/* libbpf not knowing libxdp's metadata section */
		"xdp_metadata", "skipping unrecognized data section",
		/* failures our own messages report more clearly */
		"Couldn't find xdp program", "elf: failed to open",
	};

	for (size_t i = 0; i < sizeof(noise) / sizeof(noise[0]); i++)
		if (strstr(msg, noise[i]))
			return true;
	return false;
}

static int print_filtered(int level, const char *fmt, va_list ap)
{
	char msg[1024];

	if (log_verbose)
		return vfprintf(stderr, fmt, ap);
	/* libbpf and libxdp share the numbering: 0 is WARN. */
	if (level != LIBBPF_WARN)
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (sscanf(msg, "libbpf: Kernel error message: %255[^\n]", kernel_msg) == 1)
		return 0;	/* folded into our own error line */
	if (is_noise(msg))
		return 0;
	return fputs(msg, stderr);
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return print_filtered(level, fmt, ap);
}

static int print_libxdp(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return print_filtered(level, fmt, ap);
}

void setup_library_logging(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(print_libbpf);
	libxdp_set_print(print_libxdp);
}

int ensure_bpffs(void)
{
	struct statfs st;

	if (!statfs("/sys/fs/bpf", &st) && st.f_type == BPF_FS_MAGIC)
		return 0;
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		int err = -errno;

		pr_err("cannot mount bpffs at /sys/fs/bpf: %s (are you root?)",
		       strerror(-err));
		return err;
	}
	fprintf(stderr, "%s: mounted bpffs at /sys/fs/bpf\n", prog_name);
	return 0;
}

static void report_open_error(int err, const struct config *cfg)
{
	if (access(cfg->filename, R_OK))
		pr_err("cannot open %s: %s (run make here, or give --filename)",
		       cfg->filename, strerror(errno));
	else if (err == -ENOENT && cfg->progname)
		pr_err("no program '%s' in %s (list them with --list)",
		       cfg->progname, cfg->filename);
	else
		pr_err("cannot load %s: %s", cfg->filename, strerror(-err));
}

struct xdp_program *open_xdp_program(const struct config *cfg)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, opts,
			    .open_filename = cfg->filename,
			    .prog_name = cfg->progname);
	struct xdp_program *prog;
	struct bpf_map *map;
	int err;

	prog = xdp_program__create(&opts);
	err = libxdp_get_error(prog);
	if (err) {
		report_open_error(err, cfg);
		errno = -err;
		return NULL;
	}
	/* Maps declared "pinned by name" (xdp_stats_map) would otherwise be
	 * pinned by libbpf at /sys/fs/bpf/<map name> as the program loads, and
	 * shared by everything loaded that way. A loader that wants pins makes
	 * them where it wants them (basic04). */
	bpf_object__for_each_map(map, xdp_program__bpf_obj(prog))
		bpf_map__set_pin_path(map, NULL);
	return prog;
}

static const char *attach_hint(int err, const struct config *cfg)
{
	switch (err) {
	case -EOPNOTSUPP:
	case -EINVAL:
		return cfg->attach_mode == XDP_MODE_NATIVE ?
			"the driver has no native XDP support: try --skb-mode" : "";
	case -EBUSY:
	case -EEXIST:
		return "an XDP program is already attached: unload it first (--unload-all)";
	case -EPERM:
	case -EACCES:
		return "run as root; bpffs must be mounted at /sys/fs/bpf";
	default:
		return "";
	}
}

/* One line when libxdp had to load without its multi-program dispatcher. */
static void note_legacy_mode(const struct config *cfg)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(cfg->ifindex);

	if (!libxdp_get_error(mp) && mp && xdp_multiprog__is_legacy(mp) && !cfg->quiet)
		printf("Note: loaded without the multi-program dispatcher "
		       "(this kernel refuses freplace); one program per interface\n");
	if (!libxdp_get_error(mp))
		xdp_multiprog__close(mp);
}

int attach_xdp_program(struct xdp_program *prog, const struct config *cfg)
{
	char msg[256];
	int err;

	err = ensure_bpffs();
	if (err)
		return err;
	kernel_msg[0] = '\0';
	err = xdp_program__attach(prog, cfg->ifindex, cfg->attach_mode, 0);
	if (err) {
		const char *hint = attach_hint(err, cfg);
		char why[sizeof(kernel_msg) + 16] = "";

		libxdp_strerror(err, msg, sizeof(msg));
		if (*kernel_msg)
			snprintf(why, sizeof(why), " (kernel: %s)", kernel_msg);
		pr_err("attaching %s to %s failed: %s%s%s%s", xdp_program__name(prog),
		       cfg->ifname, msg, why, *hint ? "; " : "", hint);
		return err;
	}
	note_legacy_mode(cfg);
	return 0;
}

struct xdp_program *load_and_attach(const struct config *cfg)
{
	struct xdp_program *prog = open_xdp_program(cfg);

	if (!prog)
		return NULL;
	if (attach_xdp_program(prog, cfg)) {
		xdp_program__close(prog);
		return NULL;
	}
	return prog;
}

static int detach_one(struct xdp_multiprog *mp, const struct config *cfg)
{
	struct xdp_program *p = NULL;
	enum xdp_attach_mode mode = xdp_multiprog__attach_mode(mp);

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (xdp_program__id(p) == cfg->unload_id)
			return xdp_multiprog__detach(mp);
	}
	while ((p = xdp_multiprog__next_prog(p, mp)))
		if (xdp_program__id(p) == cfg->unload_id)
			return xdp_program__detach(p, cfg->ifindex, mode, 0);
	pr_err("no XDP program with id %u on %s (see: xdp-loader status %s)",
	       cfg->unload_id, cfg->ifname, cfg->ifname);
	return -ENOENT;
}

int detach_xdp_programs(const struct config *cfg)
{
	struct xdp_multiprog *mp;
	int err;

	err = ensure_bpffs();
	if (err)
		return err;
	mp = xdp_multiprog__get_from_ifindex(cfg->ifindex);
	err = libxdp_get_error(mp);
	if (err || !mp) {
		pr_err("no XDP program attached to %s", cfg->ifname);
		return err ? err : -ENOENT;
	}
	err = cfg->unload_all ? xdp_multiprog__detach(mp) : detach_one(mp, cfg);
	if (err && err != -ENOENT)
		pr_err("detaching from %s failed: %s", cfg->ifname, strerror(-err));
	xdp_multiprog__close(mp);
	return err;
}

int list_xdp_programs(const char *filename)
{
	struct bpf_object *obj = bpf_object__open_file(filename, NULL);
	struct bpf_program *p;
	int err = libbpf_get_error(obj);

	if (err) {
		pr_err("cannot open %s: %s", filename, strerror(-err));
		return err;
	}
	bpf_object__for_each_program(p, obj)
		if (bpf_program__type(p) == BPF_PROG_TYPE_XDP)
			printf("%s\n", bpf_program__name(p));
	bpf_object__close(obj);
	return 0;
}

const char *xdp_action_name(unsigned int action)
{
	static const char *const names[] = {
		[XDP_ABORTED] = "XDP_ABORTED", [XDP_DROP] = "XDP_DROP",
		[XDP_PASS] = "XDP_PASS", [XDP_TX] = "XDP_TX",
		[XDP_REDIRECT] = "XDP_REDIRECT",
	};

	return action < sizeof(names) / sizeof(names[0]) ? names[action] : "XDP_UNKNOWN";
}

volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	stop_requested = 1;
}

void stop_on_signals(void)
{
	/* No SA_RESTART: a blocking call returns EINTR, and the loop around
	 * it gets to see stop_requested at once. */
	struct sigaction sa = { .sa_handler = request_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void sleep_seconds(double seconds)
{
	struct timespec ts = { .tv_sec = (time_t)seconds,
			       .tv_nsec = (seconds - (time_t)seconds) * 1e9 };

	nanosleep(&ts, NULL);	/* ends early on a signal: that is the point */
}

double monotonic_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
