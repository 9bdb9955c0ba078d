# SPDX-License-Identifier: GPL-2.0
# basic02-prog-by-name: the assignment checks. The oracle is the verdict
# BPF_PROG_TEST_RUN gives on known frames.

abort_program() {
	local spec verdict
	for spec in ipv6,icmp6 ipv4,udp trunc=14; do
		run_xdp "$1/xdp_prog_kern.o" xdp_abort_func -p "$spec" || return
		verdict=$(xdp_out_verdict)
		[ "$verdict" = XDP_ABORTED ] ||
			{ not_yet "xdp_abort_func returned $verdict on the frame $spec (expected XDP_ABORTED)"; return; }
	done
	pass "xdp_abort_func returned XDP_ABORTED on ipv6,icmp6, ipv4,udp and trunc=14 frames"
}
assignment 1 "xdp_abort_func returns XDP_ABORTED" abort_program \
	"add SEC(\"xdp\") int xdp_abort_func(struct xdp_md *ctx) returning XDP_ABORTED to xdp_prog_kern.c"
