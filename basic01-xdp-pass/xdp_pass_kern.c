// SPDX-License-Identifier: GPL-2.0
/* The smallest useful XDP program: let every packet through. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* SEC("xdp") tells libbpf this function is an XDP program. It runs once per
 * packet, before the kernel allocates anything for it, and its return value
 * is the verdict. */
SEC("xdp")
int xdp_pass_func(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* Many BPF helpers are only available to GPL-compatible programs. */
char _license[] SEC("license") = "GPL";
