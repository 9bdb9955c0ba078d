# SPDX-License-Identifier: GPL-2.0
# packet02-rewriting: the assignment checks. The oracle is tests/fuzz_rewrite:
# on fixed edge cases (the checksums where a lost carry shows, UDP's 0, 0, 1
# and 2 tags, IPv4 options and fragments, frames cut at every header) and
# then on seeded random and mutated frames, the program's verdict and output
# must match a reference rewrite written for the test, byte for byte, and
# every checksum in the output must be right when recomputed from scratch.

P2_FUZZ=$TOP/tests/fuzz_rewrite
P2_FRAMES=20000	# random frames after the edge cases: a fraction of a second
P2_SEED=1	# fixed, so the same code always gets the same answer

# p2_fuzz DIR PROG WHAT [fuzz_rewrite OPTIONS]: pass, or the first frame on
# which PROG and the reference disagree.
p2_fuzz() {
	local dir=$1 prog=$2 what=$3 out err rc
	shift 3
	err=$(mktemp)
	out=$("$P2_FUZZ" "$dir/xdp_prog_kern.o" "$prog" -n "$P2_FRAMES" -s "$P2_SEED" "$@" 2>"$err")
	rc=$?
	err=$(sed 's/^fuzz_rewrite: //' "$err"; rm -f "$err")
	case $rc in
	0) pass "$prog $what: ${out#ok: }" ;;
	1) not_yet "$prog: $(head -n 1 <<<"$out" | sed 's/^FAIL //')" ;;
	*)
		if grep -q "no program '$prog'" <<<"$err"; then
			not_yet "xdp_prog_kern.o has no program $prog"
		else
			cannot_check "$(load_failure "$err")"
		fi ;;
	esac
}

port_rewrite() {
	p2_fuzz "$1" xdp_port_rewrite_func "takes one off every TCP and UDP destination port, checksums right"
}
assignment 1 "TCP and UDP destination port minus one, checksum updated" port_rewrite \
	"in xdp_port_rewrite_func: tcph->dest and udph->dest one less (bpf_ntohs/bpf_htons), then csum_replace2() / udp_csum_replace2() from common/rewrite_helpers.h with the old and new port"

vlan_pop() {
	p2_fuzz "$1" xdp_vlan_swap_func "removes the outermost tag of tagged frames" -t tagged
}
assignment 2 "pop the outermost VLAN tag of tagged frames" vlan_pop \
	"in xdp_vlan_swap_func, call vlan_tag_pop(ctx, eth) for a frame whose EtherType is 802.1Q or 802.1ad"

vlan_push() {
	p2_fuzz "$1" xdp_vlan_swap_func "tags untagged frames with 802.1Q VLAN 1" -t untagged
}
assignment 3 "push an 802.1Q tag (VLAN 1) onto untagged frames" vlan_push \
	"in xdp_vlan_swap_func, call vlan_tag_push(ctx, bpf_htons(ETH_P_8021Q), VLAN_ID) for an untagged frame"
