// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's own programs: the yardsticks every lesson program is
 * measured against, the generator's XDP_TX, and a deliberately heavy
 * program that proves the method can see a difference at all.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* The program-cost baseline: the least an XDP program can do. */
SEC("xdp")
int bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* The live-frames floor on the receiver; also the absorber that drops
 * whatever the receiver sends back to the generator. */
SEC("xdp")
int bench_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* The generator: run with BPF_F_TEST_XDP_LIVE_FRAMES, each XDP_TX puts a
 * real frame on the wire of the veth it pretends to have arrived on. */
SEC("xdp")
int bench_tx(struct xdp_md *ctx)
{
	return XDP_TX;
}

#define HEAVY_MAX_BYTES 1514	/* a full Ethernet frame; the verifier needs a bound */

/*
 * The sensitivity check: an FNV-1a hash over every byte of the packet,
 * costing a multiply per byte. The verdict depends on the hash so the
 * compiler cannot drop the loop; in practice it is always XDP_DROP, so in
 * live mode it compares directly with the bench_drop floor.
 */
SEC("xdp")
int bench_heavy(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *p = (void *)(long)ctx->data;
	__u32 hash = 2166136261u;

	for (int i = 0; i < HEAVY_MAX_BYTES; i++) {
		if ((void *)(p + i + 1) > data_end)
			break;
		hash = (hash ^ p[i]) * 16777619u;
	}
	return hash == 0 ? XDP_PASS : XDP_DROP;
}

char _license[] SEC("license") = "GPL";
