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

#endif /* TRACING_TYPES_H */
