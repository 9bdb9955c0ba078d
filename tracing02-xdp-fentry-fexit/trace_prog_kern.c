// SPDX-License-Identifier: GPL-2.0
/*
 * fentry and fexit programs on an XDP program that is already running: one
 * event per packet, before the program runs and after it returned, through
 * a BPF ring buffer. "xdp" in the section names is a placeholder: xdp_trace
 * sets the real target (the program, and its function's name) before
 * loading these, with bpf_program__set_attach_target().
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "tracing_types.h"
#include "trace_event.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/*
 * The packet is kernel memory to a tracing program, not a packet it may
 * read directly as an XDP program does: copy what is needed with
 * bpf_probe_read_kernel(), after checking the packet is that long.
 */
static __always_inline void read_addresses(struct trace_event *e,
					   void *data, void *data_end)
{
	struct ethhdr eth;
	struct iphdr ip;
	struct ipv6hdr ip6;

	if (data + sizeof(eth) > data_end ||
	    bpf_probe_read_kernel(&eth, sizeof(eth), data))
		return;
	e->eth_proto = bpf_ntohs(eth.h_proto);
	data += sizeof(eth);

	if (e->eth_proto == ETH_P_IP) {
		if (data + sizeof(ip) <= data_end &&
		    !bpf_probe_read_kernel(&ip, sizeof(ip), data)) {
			__builtin_memcpy(e->src, &ip.saddr, sizeof(ip.saddr));
			__builtin_memcpy(e->dst, &ip.daddr, sizeof(ip.daddr));
		}
	} else if (e->eth_proto == ETH_P_IPV6) {
		if (data + sizeof(ip6) <= data_end &&
		    !bpf_probe_read_kernel(&ip6, sizeof(ip6), data)) {
			__builtin_memcpy(e->src, &ip6.saddr, sizeof(ip6.saddr));
			__builtin_memcpy(e->dst, &ip6.daddr, sizeof(ip6.daddr));
		}
	} else {
		__builtin_memcpy(e->src, eth.h_source, ETH_ALEN);
		__builtin_memcpy(e->dst, eth.h_dest, ETH_ALEN);
	}
}

static __always_inline int send_event(struct xdp_buff *xdp, __u32 point,
				      __u32 verdict)
{
	struct trace_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;	/* the ring is full: this one goes unreported */
	__builtin_memset(e, 0, sizeof(*e));
	e->point = point;
	e->verdict = verdict;
	/* Assignment 2: say where the packet came in: set e->ifindex to the
	 * ifindex of the device of xdp's receive queue, with one
	 * BPF_CORE_READ() (headers/tracing_types.h declares the fields). */
	read_addresses(e, BPF_CORE_READ(xdp, data), BPF_CORE_READ(xdp, data_end));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* The traced program's argument is its context. It is declared struct
 * xdp_md there, but the kernel passes a struct xdp_buff: see README.org. */
SEC("fentry/xdp")
int BPF_PROG(trace_on_entry, struct xdp_buff *xdp)
{
	return send_event(xdp, TRACE_FENTRY, TRACE_NO_VERDICT);
}

/* Assignment 1: fexit sees the same arguments and then what the traced
 * program returned: declare that return value after xdp (an int) and send
 * it instead of TRACE_NO_VERDICT, so lines say "(fexit: XDP_PASS)". */
SEC("fexit/xdp")
int BPF_PROG(trace_on_exit, struct xdp_buff *xdp)
{
	return send_event(xdp, TRACE_FEXIT, TRACE_NO_VERDICT);
}

char _license[] SEC("license") = "GPL";
