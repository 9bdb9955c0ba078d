#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make bench` runs: every XDP program of every lesson and solution
# that loads, measured by bench/xdp_bench in one run (program cost, then
# live frames), as tables on the terminal. Extra arguments go to
# xdp_bench, e.g. another implementation beside ours:
#   ./bench/run.sh --prog ~/mine/xdp_prog_kern.o:xdp_parser_func
set -eu
cd "$(dirname "$0")/.."

BENCH=bench/xdp_bench

die() { echo "run.sh: $*" >&2; exit 1; }

[ -x "$BENCH" ] || die "$BENCH is not built: run make first"
[ "$(id -u)" -eq 0 ] || die "the benchmark loads BPF programs and makes namespaces: run as root"

# The packets a parser branches on: IPv4 and IPv6; TCP, UDP and ICMP;
# 0, 1 and 2 VLAN tags. A program that reads no header needs only the
# default frame (an ICMPv6 echo request, what testenv's ping sends).
every_packet_type() {
	local tags l3 l4
	for tags in "" "vlan," "vlan,vlan,"; do
		for l3 in ipv4 ipv6; do
			for l4 in tcp udp icmp; do
				[ "$l3" = ipv6 ] && [ "$l4" = icmp ] && l4=icmp6
				printf -- '--packet\n%s\n' "$tags$l3,$l4"
			done
		done
	done
}

# The options after a program's --prog: which packets, which globals.
# The rewriters run on the packets they rewrite; the capture program at a
# snaplen of 64 and at full frames, on a full-size frame.
args_for() {
	case "${1##*:}" in
	xdp_parser_func) every_packet_type ;;
	xdp_port_rewrite_func) printf -- '--packet\n%s\n' ipv4,udp ipv6,tcp ;;
	xdp_vlan_swap_func) printf -- '--packet\n%s\n' vlan,ipv6,udp ipv6,udp ;;
	esac
}

objects=()
for dir in */ *-solutions/*/; do
	case "$dir" in bench/ | tests/ | common/ | headers/ | testenv/ | *-solutions/) continue ;; esac
	for obj in "$dir"*.o; do
		[ -e "$obj" ] && objects+=("$obj")
	done
done
[ ${#objects[@]} -gt 0 ] || die "no lesson object found: run make first"

list=()
for obj in "${objects[@]}"; do
	list+=(--list "$obj")
done
# --list leaves out what the verifier rejects (packet01's lesson is broken
# on purpose), with its reason on one line.
programs=$({ "$BENCH" "${list[@]}" 2>&1 >&3 | sed 's/^xdp_bench: /run.sh: left out: /' >&2; } 3>&1)
[ -n "$programs" ] || die "no lesson program loads: see the lines above"

args=()
while read -r prog; do
	if [ "${prog##*:}" = xdpdump_prog ]; then
		full_frame=ipv6,udp,len=1514
		args+=(--prog "$prog" --set snaplen=64 --packet "$full_frame"
		       --prog "$prog" --set snaplen=1514 --packet "$full_frame")
		continue
	fi
	args+=(--prog "$prog")
	mapfile -t -O "${#args[@]}" args < <(args_for "$prog")
done <<< "$programs"

# What the results section of bench/README.org records with the tables.
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "kernel:  $(uname -r)"
echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
	"($(nproc) CPUs)"
echo "command: $BENCH ${args[*]}${*:+ $*}"
exec "$BENCH" "${args[@]}" "$@"
