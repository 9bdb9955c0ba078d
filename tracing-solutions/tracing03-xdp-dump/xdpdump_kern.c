// SPDX-License-Identifier: GPL-2.0
/*
 * xdpdump's capture program, both assignments done: frames are filtered by
 * IP protocol here, before anything is copied (1), and go to user space
 * through one BPF ring buffer shared by all CPUs (2).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdpdump.h"

/* Set by xdpdump before the program is loaded (it lives in .rodata, so the
 * verifier sees its value as a constant). */
const volatile __u32 snaplen = SNAPLEN_MAX;

/* Assignment 1: capture only this IP protocol (IPv4 protocol or IPv6 next
 * header: IPPROTO_UDP, ...); -1 captures every frame. */
const volatile int filter_proto = -1;

/* Assignment 2: one ring for all CPUs, sized in bytes (a power of two
 * pages): 2 MiB, what the lesson's perf rings take on a 2-CPU machine.
 * A record takes its reserved size, whatever it then holds. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 2 << 20);
} events SEC(".maps");

/* Per CPU: frames the program tried to send, and those the ring had no
 * room for. A ring buffer has no lost records: the program counts. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline void count(void *counter)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(counter, &key);

	if (value)
		*value += 1;	/* per-CPU: no other CPU writes this value */
}

/* The frame's IP protocol, or -1 when it is neither IPv4 nor IPv6. */
static __always_inline int ip_protocol(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct ipv6hdr *ip6h = (void *)(eth + 1);

	if ((void *)(eth + 1) > data_end)
		return -1;
	if (eth->h_proto == bpf_htons(ETH_P_IP) && (void *)(iph + 1) <= data_end)
		return iph->protocol;
	if (eth->h_proto == bpf_htons(ETH_P_IPV6) && (void *)(ip6h + 1) <= data_end)
		return ip6h->nexthdr;
	return -1;
}

SEC("xdp")
int xdpdump_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 pkt_len = data_end - data;
	__u32 cap_len = pkt_len < snaplen ? pkt_len : snaplen;
	__u32 copy_len;
	struct pkt_meta *meta;

	if (filter_proto >= 0 && ip_protocol(data, data_end) != filter_proto)
		return XDP_PASS;
	count(&seen);

	/* The size to reserve must be a constant: room for a whole snaplen. */
	meta = bpf_ringbuf_reserve(&events, sizeof(*meta) + snaplen, 0);
	if (!meta) {
		count(&lost);
		return XDP_PASS;
	}
	meta->time_ns = bpf_ktime_get_ns();
	meta->ifindex = ctx->ingress_ifindex;
	meta->rx_queue = ctx->rx_queue_index;
	meta->pkt_len = pkt_len;
	meta->cap_len = cap_len;
	/* The verifier allows the copy only if it can see that its length is
	 * 1 to snaplen. Masking gives it bounds it can follow on every
	 * kernel: (cap_len - 1) & 0xffff, plus 1, is 1 to 65536, and equals
	 * cap_len for 1 to SNAPLEN_MAX (< 65536); a cap_len of 0 becomes
	 * 65536 and fails the second test. (A test "!= 0" alone does not
	 * raise the lower bound on older verifiers, such as 6.1's.) */
	copy_len = ((cap_len - 1) & 0xffff) + 1;
	if (copy_len > snaplen)
		goto no_copy;
	if (bpf_xdp_load_bytes(ctx, 0, meta + 1, copy_len))
no_copy:
		meta->cap_len = 0;
	bpf_ringbuf_submit(meta, 0);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
