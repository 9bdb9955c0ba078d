// SPDX-License-Identifier: GPL-2.0
/*
 * Three programs that count each packet under their verdict in
 * xdp_stats_map (common/xdp_stats_kern.h). The loader pins that map, so
 * xdp_stats can read it from another process.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xdp_stats_kern.h"

SEC("xdp")
int xdp_pass_func(struct xdp_md *ctx)
{
	return xdp_stats_record_action(ctx, XDP_PASS);
}

SEC("xdp")
int xdp_drop_func(struct xdp_md *ctx)
{
	return xdp_stats_record_action(ctx, XDP_DROP);
}

/* XDP_ABORTED means "the program failed": the packet is dropped and the
 * xdp:xdp_exception tracepoint fires. */
SEC("xdp")
int xdp_abort_func(struct xdp_md *ctx)
{
	return xdp_stats_record_action(ctx, XDP_ABORTED);
}

char _license[] SEC("license") = "GPL";
