#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What `make bench` runs: every XDP program of every lesson and solution,
# measured by bench/xdp_bench in one run (program cost, then live frames
# natively and in generic mode), as tables on the terminal and a CSV file
# in bench/results/. Extra arguments go to xdp_bench: ./bench/run.sh -r 5
set -eu
cd "$(dirname "$0")/.."

BENCH=bench/xdp_bench

# The packets that exercise the lessons. The basic lessons read no header,
# so one frame takes every path they have: an ICMPv6 echo request, what
# testenv's ping sends. A lesson that parses adds the specs its parser
# branches on (e.g. vlan,ipv4,udp); each one adds a row per program.
PACKETS=("ipv6,icmp6")

die() { echo "run.sh: $*" >&2; exit 1; }

[ -x "$BENCH" ] || die "$BENCH is not built: run make first"
[ "$(id -u)" -eq 0 ] || die "the benchmark loads BPF programs and makes namespaces: run as root"

# Every lesson's and solution's objects: whatever is built, found now, so
# a new lesson needs no change here. The benchmark's own are not lessons.
objects=()
for dir in */ *-solutions/*/; do
	case "$dir" in bench/ | tests/ | common/ | headers/ | testenv/ | *-solutions/) continue ;; esac
	for obj in "$dir"*.o; do
		[ -e "$obj" ] && objects+=("$obj")
	done
done
[ ${#objects[@]} -gt 0 ] || die "no lesson object found: run make first"

args=()
while read -r prog; do
	args+=(--prog "$prog")
done < <("$BENCH" --list "${objects[@]}")
for spec in "${PACKETS[@]}"; do
	args+=(--packet "$spec")
done

# What the results section of bench/README.org records with each table.
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "kernel:  $(uname -r)"
echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
	"($(nproc) CPUs)"
echo "command: make bench  ($BENCH ${args[*]} --skb-mode${*:+ $*})"
exec "$BENCH" "${args[@]}" --skb-mode "$@"
