// SPDX-License-Identifier: GPL-2.0
/*
 * xdpdump's capture program: for every frame, send its metadata and its
 * first snaplen bytes to user space through a perf ring, then let the frame
 * go on (XDP_PASS). Nothing about the packet changes.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "xdpdump.h"

/* Set by xdpdump before the program is loaded (it lives in .rodata, so the
 * verifier sees its value as a constant). */
const volatile __u32 snaplen = SNAPLEN_MAX;

/* Assignment 1: a filter set from the command line, the same way:
 * const volatile int filter_proto = -1;  (an IPPROTO_ number; -1: all) */

/* One ring per CPU: user space opens a perf event for each CPU and puts its
 * fd at that CPU's index; BPF_F_CURRENT_CPU picks the ring of the CPU the
 * program runs on, so CPUs never contend for a ring.
 * Assignment 2: make this a BPF_MAP_TYPE_RINGBUF, one ring for all CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

/* Frames the program tried to send, per CPU: every one of them is either
 * captured or reported lost by the ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

static __always_inline void count_seen(void)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(&seen, &key);

	if (count)
		*count += 1;	/* per-CPU: no other CPU writes this value */
}

SEC("xdp")
int xdpdump_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct pkt_meta meta = {
		.time_ns = bpf_ktime_get_ns(),
		.ifindex = ctx->ingress_ifindex,
		.rx_queue = ctx->rx_queue_index,
		.pkt_len = data_end - data,
	};
	__u64 flags;

	/* Assignment 1: return XDP_PASS here, before counting, for frames
	 * whose IPv4 protocol or IPv6 next header is not filter_proto. */
	meta.cap_len = meta.pkt_len < snaplen ? meta.pkt_len : snaplen;
	count_seen();

	/* The helper copies meta, then cap_len bytes of the frame itself:
	 * the length to copy from the packet goes in the upper 32 bits of
	 * the flags (the kernel checks it against the frame).
	 * Assignment 2: a ring buffer has no such flag. Reserve a record
	 * (bpf_ringbuf_reserve), fill in meta, copy the frame behind it
	 * (bpf_xdp_load_bytes), submit; count the records that found no
	 * room, as nobody else will. */
	flags = BPF_F_CURRENT_CPU | ((__u64)meta.cap_len << 32);
	bpf_perf_event_output(ctx, &events, flags, &meta, sizeof(meta));
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
