#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/xdp_bench works and cleans up after itself: one tiny run of both
# measurements, then every kind of bad input and interruption, each of
# which must end with a non-zero exit, one clear line on stderr, and no
# namespace, veth or XDP attachment left behind. Nothing here is about
# speed: the counts are far too small for the figures to mean anything.
source "$(dirname "$0")/lib/tap.sh"
require_root

BENCH=$TOP/bench/xdp_bench
LESSON_OBJ=$TOP/basic01-xdp-pass/xdp_pass_kern.o
CSV_HEADER="mode,method,program,packet,verdict,changes_packet,baseline,rounds,discarded,ratio,ratio_q1,ratio_q3,extra_ns,mpps"
# One round, tiny counts: proves it works, measures nothing.
TINY=(-q --rounds 1 --live-rounds 1 --repeat 1000 --live-frames 2000)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$BENCH" ] || [ ! -e "$LESSON_OBJ" ]; then
	ok 1 "xdp_bench and basic01 are built (run make first)"
	done_testing
	exit
fi

# Programs the bad-input cases need, built here so no lesson carries them.
cat > "$tmp/fixtures.c" <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Not XDP: a tc classifier. */
SEC("tc")
int tc_prog(struct __sk_buff *skb)
{
	return 0;
}

/* Rejected by the verifier: reads the packet without checking data_end. */
SEC("xdp")
int unchecked_read(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	return data[12] ? XDP_PASS : XDP_DROP;
}

/* Changes the packet (swaps the MAC addresses, as an echo reply does), so
 * the benchmark must run it on a fresh copy each time. */
SEC("xdp")
int swap_macs(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char mac[6];

	if ((void *)(data + 12) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(mac, data, 6);
	__builtin_memcpy(data, data + 6, 6);
	__builtin_memcpy(data + 6, mac, 6);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
EOF
clang=$(sed -n 's/^CLANG := //p' "$TOP/config.mk")
arch_includes=$(sed -n 's/^BPF_ARCH_INCLUDES := //p' "$TOP/config.mk")
# shellcheck disable=SC2086  # the include flags are a list
check "test programs compile" -- \
	"$clang" -O2 -g -target bpf -I"$TOP/headers" $arch_includes \
	-c "$tmp/fixtures.c" -o "$tmp/fixtures.o"

# What a benchmark run can leave behind, one item per line; empty is good.
leftovers() {
	local ns
	for ns in /run/netns/xdpbench-*; do
		[ -e "$ns" ] && echo "namespace ${ns##*/}"
	done
	ip -o link show | grep -E ': (gen|rx)[0-9]+[@:]'
	bpftool prog show 2>/dev/null | grep -E 'name (bench_(pass|drop|tx|heavy)|swap_macs)\b'
}

# A program goes away a moment after the last link to it: look for up to 2 s.
nothing_left() {    # nothing_left NAME
	local left
	for _ in $(seq 20); do
		left=$(leftovers)
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ]
	ok $? "$1: nothing left behind"
	[ -z "$left" ] || diag "$left"
}

# expect_error NAME CODE PATTERN -- CMD...: check_error, and CMD leaves
# nothing behind.
expect_error() {
	check_error "$@"
	nothing_left "$1"
}

# Start a run in the background that takes a while; wait until it has
# made its namespaces (or for @1 seconds), then a moment more, so it is in
# the middle of its live rounds.
start_long_run() {  # start_long_run SECONDS
	local wait=$1
	"$BENCH" -q --rounds 1 --live-rounds 200 --repeat 1000 --live-frames 200000 \
		--prog "$LESSON_OBJ" -o "$tmp/long.csv" > /dev/null 2> "$tmp/stderr" &
	bench_pid=$!
	for _ in $(seq $((wait * 10))); do
		[ -e "/run/netns/xdpbench-$bench_pid-rx" ] && break
		sleep 0.1
	done
	sleep 0.5
}

# interrupt SIG NAME: send SIG to the running benchmark; it must stop with
# one line naming the signal, write no CSV and leave nothing behind.
interrupt() {
	local rc
	kill -"$1" "$bench_pid"
	wait "$bench_pid"
	rc=$?
	[ "$rc" -ne 0 ] && [ "$(wc -l < "$tmp/stderr")" -eq 1 ] &&
		grep -q "interrupted by SIG$1" "$tmp/stderr"
	ok $? "$2: exit $rc, one line: $(cat "$tmp/stderr")"
	[ ! -e "$tmp/long.csv" ]
	ok $? "$2: no CSV written"
	nothing_left "$2"
}

# -- It works ---------------------------------------------------------------

"$BENCH" "${TINY[@]}" --skb-mode --prog "$LESSON_OBJ" --prog "$tmp/fixtures.o:swap_macs" \
	-o "$tmp/out.csv" > "$tmp/stdout" 2> "$tmp/stderr"
ok $? "a tiny run of both measurements, native and generic, exits 0"
[ -s "$tmp/stderr" ] && diag "$(cat "$tmp/stderr")"
[ "$(head -n1 "$tmp/out.csv")" = "$CSV_HEADER" ]
ok $? "the CSV file has the expected columns"
for want in "cost,repeat,.*xdp_pass_func" "live,native,.*xdp_pass_func" \
	"live,skb,.*xdp_pass_func" "cost,repeat,.*bench_heavy" "cost,fresh,.*swap_macs.*,TX,yes," \
	"live,native,.*swap_macs.*,TX,yes,"; do
	grep -q "^$want" "$tmp/out.csv"
	ok $? "the CSV file has a row $want"
done
grep -q '^Program cost' "$tmp/stdout" && grep -q '^Live frames.*native' "$tmp/stdout" &&
	grep -q '^Live frames.*skb' "$tmp/stdout"
ok $? "the tables are printed"
nothing_left "after a run"

"$BENCH" --list "$tmp/fixtures.o" > "$tmp/list"
[ "$(cat "$tmp/list")" = "$tmp/fixtures.o:unchecked_read
$tmp/fixtures.o:swap_macs" ]
ok $? "--list names the XDP programs only"

# -- Bad input --------------------------------------------------------------

expect_error "unknown program name" 1 "no program 'nope'" -- \
	"$BENCH" "${TINY[@]}" --prog "$LESSON_OBJ:nope"
expect_error "missing object" 1 "cannot open $tmp/missing.o" -- \
	"$BENCH" "${TINY[@]}" --prog "$tmp/missing.o"
expect_error "not an XDP program" 1 "tc_prog is not an XDP program" -- \
	"$BENCH" "${TINY[@]}" --prog "$tmp/fixtures.o:tc_prog"
expect_error "rejected by the verifier" 1 "verifier rejected .*unchecked_read: .*packet" -- \
	"$BENCH" "${TINY[@]}" --prog "$tmp/fixtures.o:unchecked_read"
expect_error "bad option value" 2 "--rounds needs a number" -- \
	"$BENCH" --rounds 0

# -- Interrupted --------------------------------------------------------------

start_long_run 10
[ -e "/run/netns/xdpbench-$bench_pid-rx" ]
ok $? "a long run makes its namespaces"
interrupt INT "SIGINT mid-run"

"$BENCH" -q --rounds 200 --repeat 100000 --prog "$LESSON_OBJ" -o "$tmp/long.csv" \
	> /dev/null 2> "$tmp/stderr" &
bench_pid=$!
sleep 1
interrupt TERM "SIGTERM in the program-cost part"

# kill -9 cannot be caught: the bpf_links still go with the process, the
# named namespaces stay, and the next run finds and removes them.
start_long_run 10
kill -KILL "$bench_pid"
wait "$bench_pid" 2> /dev/null
stale=0
for ns in /run/netns/xdpbench-"$bench_pid"-*; do
	[ -e "$ns" ] && stale=$((stale + 1))
done
[ "$stale" -eq 2 ]
ok $? "kill -9 leaves its two namespaces, named with its pid"
bpftool prog show | grep -qE 'name bench_(pass|drop|tx|heavy)\b'
ok $((! $?)) "kill -9 leaves no XDP program attached (bpf_links close with the process)"
"$BENCH" "${TINY[@]}" --mode live --prog "$LESSON_OBJ" -o "$tmp/out.csv" > /dev/null \
	2> "$tmp/stderr"
ok $? "the next run succeeds"
grep -q "removed stale namespace xdpbench-$bench_pid-gen" "$tmp/stderr"
ok $? "the next run removes the stale namespaces and says so"
nothing_left "after kill -9 and another run"

done_testing
