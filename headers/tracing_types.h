/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel types the tracing lessons read, written by hand instead of
 * a full vmlinux.h, so building needs no kernel BTF. Each struct lists only
 * the fields a lesson uses: preserve_access_index makes every access a CO-RE
 * relocation, which libbpf matches by name against the running kernel's BTF
 * (/sys/kernel/btf/vmlinux) when it loads the program, wherever the field
 * really is in that kernel.
 */
#ifndef TRACING_TYPES_H
#define TRACING_TYPES_H

#include <linux/types.h>

/* tracing01 */
struct net_device {
	int ifindex;
} __attribute__((preserve_access_index));

struct bpf_prog_aux {
	__u32 id;
} __attribute__((preserve_access_index));

struct bpf_prog {
	struct bpf_prog_aux *aux;
} __attribute__((preserve_access_index));

/* tracing02 */
/* The receive queue a packet came in on, and so its interface. */
struct xdp_rxq_info {
	struct net_device *dev;
} __attribute__((preserve_access_index));

/* What an XDP program really runs on: struct xdp_md is the view the
 * verifier lets it have, rewriting each access into one of these. */
struct xdp_buff {
	void *data;
	void *data_end;
	struct xdp_rxq_info *rxq;
} __attribute__((preserve_access_index));

#endif /* TRACING_TYPES_H */
