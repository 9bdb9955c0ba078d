// SPDX-License-Identifier: GPL-2.0
/* Programs that make the xdp:xdp_exception tracepoint fire. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* XDP_ABORTED drops the packet, like XDP_DROP, but it says "my program
 * failed": the driver reports every such packet through the tracepoint. */
SEC("xdp")
int xdp_abort_func(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

/* An action the kernel does not know (the last valid one is XDP_REDIRECT,
 * 4). The driver warns once in the kernel log, reports every packet through
 * the tracepoint with this value as the action, and drops it. Used in
 * Assignment 1. */
#define XDP_NO_SUCH_ACTION 7

SEC("xdp")
int xdp_bad_action_func(struct xdp_md *ctx)
{
	return XDP_NO_SUCH_ACTION;
}

char _license[] SEC("license") = "GPL";
