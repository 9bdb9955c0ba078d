// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/magic.h>

#include "logging.h"
#include "util.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static int ensure_fs(const char *path, const char *type, unsigned long magic)
{
	struct statfs st;

	if (!statfs(path, &st) && (unsigned long)st.f_type == magic)
		return 0;
	if (mount(type, path, type, 0, "mode=0700")) {
		int err = -errno;

		pr_err("cannot mount %s at %s: %s", type, path, strerror(-err));
		return err;
	}
	fprintf(stderr, "%s: mounted %s at %s\n", tool_name, type, path);
	return 0;
}

int ensure_bpffs(void)
{
	return ensure_fs("/sys/fs/bpf", "bpf", BPF_FS_MAGIC);
}

int ensure_tracefs(void)
{
	return ensure_fs("/sys/kernel/tracing", "tracefs", TRACEFS_MAGIC);
}

static bool has_capability(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

int require_bpf_privileges(void)
{
	if (geteuid() == 0 || (has_capability(CAP_BPF) && has_capability(CAP_NET_ADMIN)))
		return 0;
	pr_err("needs root (or CAP_BPF and CAP_NET_ADMIN): run it as root or with sudo");
	return -EPERM;
}

int pin_dir_of(char *buf, size_t size, const char *ifname)
{
	static const char *const reserved[] = { "ip", "tc", "xdp", "globals" };

	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		if (!strcmp(ifname, reserved[i])) {
			pr_err("/sys/fs/bpf/%s belongs to iproute2 or libxdp: pinning for an "
			       "interface named '%s' is refused; rename the interface", ifname, ifname);
			return -EINVAL;
		}
	}
	snprintf(buf, size, "/sys/fs/bpf/%s", ifname);
	return 0;
}

volatile sig_atomic_t stop_requested;

static void request_stop(int sig)
{
	stop_requested = 1;
}

void stop_on_signals(void)
{
	/* No SA_RESTART: a blocking call returns EINTR, and the loop around
	 * it sees stop_requested at once. */
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

const char *xdp_action_name(unsigned int action)
{
	static const char *const names[] = {
		[XDP_ABORTED] = "XDP_ABORTED", [XDP_DROP] = "XDP_DROP",
		[XDP_PASS] = "XDP_PASS", [XDP_TX] = "XDP_TX",
		[XDP_REDIRECT] = "XDP_REDIRECT",
	};

	return action < sizeof(names) / sizeof(names[0]) ? names[action] : "XDP_UNKNOWN";
}
