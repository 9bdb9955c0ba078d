// SPDX-License-Identifier: GPL-2.0
/*
 * Count XDP exceptions per interface and action, from the tracepoint's
 * record (tracepoint/) or from its typed arguments (tp_btf/).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "tracing_types.h"
#include "exception_key.h"

/* As in /sys/kernel/tracing/events/xdp/xdp_exception/format. */
struct xdp_exception_ctx {
	__u64 first_8_bytes_not_readable;
	__s32 prog_id;
	__u32 act;
	__s32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct exception_key);
	__type(value, __u64);
	__uint(max_entries, 1024);
} xdp_exceptions SEC(".maps");

static __always_inline void count_exception(__s32 ifindex, __u32 action)
{
	/* Keys are compared byte by byte: this struct has no padding, so
	 * setting both fields sets every byte. */
	struct exception_key key = { .ifindex = ifindex, .action = action };
	__u64 *count, one = 1;

	count = bpf_map_lookup_elem(&xdp_exceptions, &key);
	if (!count) {
		if (!bpf_map_update_elem(&xdp_exceptions, &key, &one, BPF_NOEXIST))
			return;
		count = bpf_map_lookup_elem(&xdp_exceptions, &key);
		if (!count)
			return;
	}
	(*count)++;
}

SEC("tracepoint/xdp/xdp_exception")
int trace_xdp_exception(struct xdp_exception_ctx *ctx)
{
	count_exception(ctx->ifindex, ctx->act);
	return 0;
}

/* dev->ifindex is a CO-RE relocated load: its offset comes from the
 * running kernel's BTF, not from tracing_types.h. */
SEC("tp_btf/xdp_exception")
int BPF_PROG(trace_xdp_exception_btf, const struct net_device *dev,
	     const struct bpf_prog *xdp, __u32 act)
{
	count_exception(dev->ifindex, act);
	return 0;
}

char _license[] SEC("license") = "GPL";
