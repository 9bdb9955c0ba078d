// SPDX-License-Identifier: GPL-2.0
/*
 * xdp_trace: attach fentry and fexit programs to an XDP program that is
 * already running, and print one line per packet as it goes in and out:
 *
 *   Tracing packet: fc00:dead:cafe:1::2 -> fc00:dead:cafe:1::1 (fentry)
 *   Tracing packet: fc00:dead:cafe:1::2 -> fc00:dead:cafe:1::1 (fexit: XDP_PASS)
 *
 * The traced program is found by interface (-d) or by id (--prog-id). The
 * attachments are bpf_links owned by this process: they go away when it
 * exits, however it exits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include "bpf_load.h"
#include "logging.h"
#include "params.h"
#include "util.h"
#include "trace_event.h"
#include "trace_prog_kern.skel.h"

static const char *doc =
	"Trace an XDP program that is running: a line per packet, on entry and exit";

enum { OPT_PROG_ID = TOOL_OPT_LONG, };

static const struct tool_option options[] = {
	{ "dev", required_argument, 'd', "IFNAME", "trace the XDP program on this interface" },
	{ "prog-id", required_argument, OPT_PROG_ID, "ID", "trace the XDP program with this id" },
	{ "count", required_argument, 'c', "N", "stop after N lines" },
	{ 0 }
};

static __u32 target_id;
static __u32 max_lines;
static __u32 lines;

static void handle_option(int val, const char *arg, struct config *cfg)
{
	switch (val) {
	case OPT_PROG_ID:
		target_id = parse_u32_arg("the program id (--prog-id)", arg, 1, UINT32_MAX);
		break;
	case 'c':
		max_lines = parse_u32_arg("the line count (--count)", arg, 1, UINT32_MAX);
		break;
	}
}

/* The id of the one XDP program on IFINDEX: through libxdp, which sees
 * past its dispatcher to the programs it runs. */
static int prog_id_on_dev(const struct config *cfg, __u32 *id)
{
	struct xdp_multiprog *mp;
	struct xdp_program *prog;
	int err = 0, n = 0;

	mp = xdp_multiprog__get_from_ifindex(cfg->ifindex);
	err = libxdp_get_error(mp);
	if (err) {
		pr_err("no XDP program on %s: attach one first (e.g. with xdp-loader)", cfg->ifname);
		return err == -ENOENT ? -ENOENT : err;
	}
	if (xdp_multiprog__is_legacy(mp)) {
		*id = xdp_program__id(xdp_multiprog__main_prog(mp));
		goto out;
	}
	for (prog = xdp_multiprog__next_prog(NULL, mp); prog;
	     prog = xdp_multiprog__next_prog(prog, mp)) {
		*id = xdp_program__id(prog);
		n++;
	}
	if (n != 1) {
		pr_err("%s runs %d XDP programs through libxdp's dispatcher: pick one with --prog-id (xdp-loader status %s lists them)",
		       cfg->ifname, n, cfg->ifname);
		err = -EINVAL;
	}
out:
	xdp_multiprog__close(mp);
	return err;
}

/*
 * The name of the program's function, from its BTF: the kernel keeps only
 * the first 15 characters of a program's name, and fentry needs the whole
 * name of the function it attaches to. The first func_info record is the
 * program's main function.
 */
static int prog_func_name(int prog_fd, char *name, size_t size)
{
	struct bpf_prog_info info = {};
	struct bpf_func_info func = {};
	__u32 len = sizeof(info);
	const struct btf_type *type;
	struct btf *btf;
	int err;

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	/* Behind libxdp's dispatcher, a program runs as an extension (freplace)
	 * of one of the dispatcher's functions: it is XDP code all the same. */
	if (info.type != BPF_PROG_TYPE_XDP && info.type != BPF_PROG_TYPE_EXT) {
		pr_err("program %u is not an XDP program: give the id of one (bpftool prog show)", target_id);
		return -EINVAL;
	}
	if (!info.btf_id || !info.nr_func_info) {
		pr_err("program %u has no BTF: fentry needs its function's name from BTF (build it with clang -g)", target_id);
		return -EINVAL;
	}
	memset(&info, 0, sizeof(info));
	info.nr_func_info = 1;
	info.func_info_rec_size = sizeof(func);
	info.func_info = (__u64)(unsigned long)&func;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;

	btf = btf__load_from_kernel_by_id(info.btf_id);
	err = libbpf_get_error(btf);
	if (err) {
		pr_err("cannot read the BTF of program %u: %s", target_id, strerror(-err));
		return err;
	}
	type = btf__type_by_id(btf, func.type_id);
	if (type)
		snprintf(name, size, "%s", btf__name_by_offset(btf, type->name_off));
	btf__free(btf);
	if (!type || !*name) {
		pr_err("program %u: its BTF names no function", target_id);
		return -EINVAL;
	}
	return 0;
}

static void format_address(const struct trace_event *e, const __u8 *addr,
			   char *buf, size_t size)
{
	if (e->eth_proto == ETH_P_IP)
		inet_ntop(AF_INET, addr, buf, size);
	else if (e->eth_proto == ETH_P_IPV6)
		inet_ntop(AF_INET6, addr, buf, size);
	else
		snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x",
			 addr[0], addr[1], addr[2], addr[3], addr[4], addr[5]);
}

static int print_event(void *ctx, void *data, size_t size)
{
	const struct trace_event *e = data;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], where[32] = "";

	if (size < sizeof(*e))
		return 0;
	format_address(e, e->src, src, sizeof(src));
	format_address(e, e->dst, dst, sizeof(dst));
	if (e->ifindex)
		snprintf(where, sizeof(where), ", ifindex %u", e->ifindex);
	if (e->point == TRACE_FENTRY)
		printf("Tracing packet: %s -> %s (fentry%s)\n", src, dst, where);
	else if (e->verdict == TRACE_NO_VERDICT)
		printf("Tracing packet: %s -> %s (fexit%s)\n", src, dst, where);
	else
		printf("Tracing packet: %s -> %s (fexit: %s%s)\n", src, dst,
		       xdp_action_name(e->verdict), where);
	lines++;
	return max_lines && lines >= max_lines ? 1 : 0;	/* 1 stops polling */
}

/* EPERM from a trampoline, when we have the privileges, and ENOTSUPP (the
 * kernel's own 524, without a libc name) on kernels built without them:
 * this kernel does not allow fentry/fexit at all. */
#define KERNEL_ENOTSUPP 524

static void report_trampoline_error(const char *what, int err)
{
	if (err == -EPERM || err == -KERNEL_ENOTSUPP || err == -EOPNOTSUPP)
		pr_err("this kernel does not allow fentry/fexit (%s: %s): run it on another kernel, e.g. under qemu with make vmtest",
		       what, err == -KERNEL_ENOTSUPP ? "not supported" : strerror(-err));
	else
		pr_err("cannot %s: %s", what, strerror(-err));
}

int main(int argc, char **argv)
{
	struct config cfg = {};
	struct trace_prog_kern *skel = NULL;
	struct ring_buffer *rb = NULL;
	struct bpf_program *prog;
	char func[128] = "";
	int prog_fd = -1, err, ret = EXIT_FAIL;

	parse_cmdline(argc, argv, 0, options, handle_option, &cfg, doc);
	if (!cfg.ifindex == !target_id)
		usage_error("give the program to trace: --dev IFNAME or --prog-id ID");
	logging_init(&cfg);
	setvbuf(stdout, NULL, _IOLBF, 0);	/* a line as soon as it is there */
	if (require_bpf_privileges())
		return EXIT_FAIL;

	if (cfg.ifindex && prog_id_on_dev(&cfg, &target_id))
		return EXIT_FAIL;
	prog_fd = bpf_prog_get_fd_by_id(target_id);
	if (prog_fd < 0) {
		pr_err("no BPF program with id %u: see bpftool prog show", target_id);
		return EXIT_FAIL;
	}
	if (prog_func_name(prog_fd, func, sizeof(func)))
		goto cleanup;

	skel = trace_prog_kern__open();
	if (!skel) {
		pr_err("cannot open the tracing programs: %s", strerror(errno));
		goto cleanup;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		err = bpf_program__set_attach_target(prog, prog_fd, func);
		if (err) {
			pr_err("cannot aim %s at %s: %s", bpf_program__name(prog), func, strerror(-err));
			goto cleanup;
		}
	}
	verifier_log_attach(skel->obj);
	logging_silence();	/* libbpf's words on a failure: reported below */
	err = trace_prog_kern__load(skel);
	logging_restore();
	if (err) {
		if (err == -EPERM && !verifier_rejected())
			report_trampoline_error("loading fentry/fexit programs", err);
		else
			report_load_error(skel->obj, err);
		goto cleanup;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), print_event, NULL, NULL);
	if (!rb) {
		pr_err("cannot set up the ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	logging_silence();
	err = trace_prog_kern__attach(skel);
	logging_restore();
	if (err) {
		report_trampoline_error("attaching to the XDP program", err);
		goto cleanup;
	}

	pr_info("Tracing XDP program %u (%s)%s%s: Ctrl-C stops", target_id, func,
		cfg.ifindex ? " on " : "", cfg.ifname);
	stop_on_signals();
	while (!stop_requested) {
		err = ring_buffer__poll(rb, 200);
		if (err == -EINTR)
			continue;
		if (err < 0) {
			pr_err("reading the ring buffer failed: %s", strerror(-err));
			goto cleanup;
		}
		if (max_lines && lines >= max_lines)
			break;
	}
	ret = EXIT_OK;

cleanup:
	ring_buffer__free(rb);
	trace_prog_kern__destroy(skel);	/* detaches: the links go */
	if (prog_fd >= 0)
		close(prog_fd);
	return ret;
}
