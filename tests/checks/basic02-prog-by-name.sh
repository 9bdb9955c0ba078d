# SPDX-License-Identifier: GPL-2.0
# basic02-prog-by-name: the assignment checks.

abort_program() {
	[ "$(verdict "$1/xdp_prog_kern.o" xdp_abort_func ipv6,icmp6)" = XDP_ABORTED ]
}
assignment 1 "xdp_abort_func returns XDP_ABORTED" \
	"add SEC(\"xdp\") int xdp_abort_func(struct xdp_md *ctx) returning XDP_ABORTED to xdp_prog_kern.c, then make" \
	abort_program
