// SPDX-License-Identifier: GPL-2.0
/* One object file, several XDP programs: the loader picks one by name. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass_func(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Dropped packets never reach the network stack: pings go unanswered. */
SEC("xdp")
int xdp_drop_func(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* Assignment 1: a third program, for the XDP_ABORTED verdict. Aborting
 * also fires the xdp:xdp_exception tracepoint (see tracing01). */
SEC("xdp")
int xdp_abort_func(struct xdp_md *ctx)
{
	return XDP_ABORTED;
}

char _license[] SEC("license") = "GPL";
