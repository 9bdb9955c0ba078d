// SPDX-License-Identifier: GPL-2.0
/*
 * Count XDP exceptions per interface. The kernel calls this program every
 * time the xdp:xdp_exception tracepoint fires: when an XDP program returns
 * XDP_ABORTED or an action the driver cannot carry out.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "tracing_types.h"

/*
 * The tracepoint's record, laid out as its format file says
 * (/sys/kernel/tracing/events/xdp/xdp_exception/format). The first 8 bytes
 * are off limits: the verifier refuses a read there (see README.org).
 */
struct xdp_exception_ctx {
	__u64 first_8_bytes_not_readable;
	__s32 prog_id;
	__u32 act;
	__s32 ifindex;
};

/* Exceptions per ifindex. Each CPU counts in its own copy of the value, so
 * a plain ++ is safe; user space adds the copies up. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, __s32);
	__type(value, __u64);
	__uint(max_entries, 1024);
} xdp_exceptions SEC(".maps");

static __always_inline void count_exception(__s32 ifindex)
{
	__u64 *count, one = 1;

	count = bpf_map_lookup_elem(&xdp_exceptions, &ifindex);
	if (!count) {
		/* The first exception on this interface: create its entry.
		 * If another CPU created it a moment ago, count in that one. */
		if (!bpf_map_update_elem(&xdp_exceptions, &ifindex, &one, BPF_NOEXIST))
			return;
		count = bpf_map_lookup_elem(&xdp_exceptions, &ifindex);
		if (!count)
			return;
	}
	(*count)++;
}

/*
 * Assignment 1: count per (ifindex, action), so aborted packets and
 * actions the driver could not carry out are told apart. Make the key a
 * struct of both, in a header user space includes too; zero it before
 * filling it in (padding is part of the key).
 */
SEC("tracepoint/xdp/xdp_exception")
int trace_xdp_exception(struct xdp_exception_ctx *ctx)
{
	count_exception(ctx->ifindex);
	return 0;
}

/*
 * The same tracepoint, with the kernel's own typed arguments instead of
 * the format file's record (trace_load_and_stats --btf loads this one):
 *   TP_PROTO(const struct net_device *dev, const struct bpf_prog *xdp, u32 act)
 *
 * Assignment 2: count here as trace_xdp_exception does, reading the
 * ifindex from dev (the types are in headers/tracing_types.h).
 */
SEC("tp_btf/xdp_exception")
int BPF_PROG(trace_xdp_exception_btf, const struct net_device *dev,
	     const struct bpf_prog *xdp, __u32 act)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
