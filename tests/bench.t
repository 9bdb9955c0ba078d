#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/xdp_bench works and cleans up after itself: tiny runs of both
# measurements, how it times programs that change the packet, --set and
# perf draining, --force-xdp, then bad input and interruptions, each of
# which must end with the documented exit code and one line on stderr.
# Its veth pair lives in a network namespace of its own that goes with the
# process: the interrupted runs check that nothing holds it afterwards.
# Nothing here is about speed: the counts are far too small for the
# figures to mean anything.
source "$(dirname "$0")/lib/tap.sh"
require_root

BENCH=$TOP/bench/xdp_bench
LESSON_OBJ=$TOP/basic01-xdp-pass/xdp_pass_kern.o
# One round, tiny counts: proves it works, measures nothing. 200 live
# frames fit in veth's ring of 256 and the stack's backlog: none dropped.
TINY=(-q --rounds 1 --live-rounds 1 --repeat 1000 --live-frames 200)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$BENCH" ] || [ ! -e "$LESSON_OBJ" ]; then
	ok 1 "xdp_bench and basic01 are built (run make first)"
	done_testing
	exit
fi

# Programs the cases below need, built here so no lesson carries them.
cat > "$tmp/fixtures.c" <<'EOF'
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

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

/* Swaps the MAC addresses: run twice, the packet is back. */
SEC("xdp")
int swap_macs(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data, mac[6];

	if ((void *)(data + 12) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	__builtin_memcpy(mac, data, 6);
	__builtin_memcpy(data, data + 6, 6);
	__builtin_memcpy(data + 6, mac, 6);
	return XDP_TX;
}

/* Changes a byte the same way every time, as a port rewrite does. */
SEC("xdp")
int bump_byte(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;

	if ((void *)(data + 60) > (void *)(long)ctx->data_end)
		return XDP_ABORTED;
	data[59]++;
	return XDP_PASS;
}

/* Grows the packet on every run: no path repeats. */
SEC("xdp")
int grow(struct xdp_md *ctx)
{
	return bpf_xdp_adjust_head(ctx, -4) ? XDP_ABORTED : XDP_PASS;
}

/* A capture: --set snaplen, then a record to a perf ring per packet. */
const volatile __u32 snaplen;
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("xdp")
int capture(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	__u32 meta = len;

	if (!snaplen)
		return XDP_ABORTED;	/* --set did not reach it */
	if (len > snaplen)
		len = snaplen;
	bpf_perf_event_output(ctx, &events, ((len & 0xffff) << 32) | BPF_F_CURRENT_CPU,
			      &meta, sizeof(meta));
	return XDP_PASS;
}

/* An old-style section name, as the upstream tutorial's objects have. */
SEC("xdp_patch_ports")
int old_style(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
EOF
clang=$(sed -n 's/^CLANG := //p' "$TOP/config.mk")
arch_includes=$(sed -n 's/^BPF_ARCH_INCLUDES := //p' "$TOP/config.mk")
FIX=$tmp/fixtures.o
# shellcheck disable=SC2086  # the include flags are a list
check "test programs compile" -- \
	"$clang" -O2 -g -target bpf -I"$TOP/headers" $arch_includes \
	-c "$tmp/fixtures.c" -o "$FIX"

# run_bench ARGS...: xdp_bench, its output in $tmp/stdout and stderr.
run_bench() { "$BENCH" "$@" > "$tmp/stdout" 2> "$tmp/stderr"; }

# ok_run EXIT NAME: ok if run_bench exited 0. A live run on a machine too
# busy to take in the frames while the generator runs (an emulated one)
# may count no sample, which xdp_bench must say in one line: a skip.
NO_SAMPLE='^xdp_bench: [0-9]+ live figures have no round that counted: .*run again\)$'
ok_run() {
	if [ "$1" = 1 ] && [ "$(grep -c '' "$tmp/stderr")" = 1 ] &&
	   grep -qE "$NO_SAMPLE" "$tmp/stderr"; then
		skip "$2" "no live sample counted on this machine: $(cat "$tmp/stderr")"
		return
	fi
	ok "$1" "$2 (got exit $1)" || diag "$(cat "$tmp/stderr")"
}

# row TABLE-LINE-REGEX: the line of the output that matches, or nothing.
row() { grep -E "$1" "$tmp/stdout"; }

# column N REGEX: field N of the row matching REGEX.
column() { row "$2" | awk -v n="$1" '{ print $n }'; }

# -- It works ---------------------------------------------------------------

run_bench "${TINY[@]}" --prog "$LESSON_OBJ" --prog "$FIX:capture" --set snaplen=64 \
	--packet ipv6,udp,len=1000
ok_run $? "a tiny run of both measurements exits 0"
grep -q '^Program cost' "$tmp/stdout" && grep -q '^Live frames over veth, native' "$tmp/stdout"
ok $? "both tables are printed"
for want in "xdp_pass_kern.o:xdp_pass_func +ipv6,icmp6 +PASS +same +-?[0-9.]+ " \
	"bench_heavy +ipv6,icmp6 +DROP +same +-?[0-9.]+ "; do
	[ "$(row "$want" | wc -l)" -eq 2 ]
	ok $? "a cost and a live row: $want"
done
[ "$(column 3 'capture,snaplen=64 +ipv6,udp,len=1000')" = PASS ]
ok $? "--set reached the program (its verdict is PASS, not ABORTED)"
records=$(sed -n 's/^perf records of .*capture,snaplen=64: \([0-9]*\) read, \([0-9]*\) lost$/\1 \2/p' \
	"$tmp/stdout")
read -r n_read n_lost <<< "$records"
[ "${n_read:-0}" -gt 1000 ] && [ "$n_lost" = 0 ]
ok $? "the perf ring is drained: every record read, none lost (got: '$records')"

run_bench "${TINY[@]}" --mode live --skb-mode --prog "$LESSON_OBJ"
ok_run $? "--skb-mode: a live run in generic mode exits 0"
grep -q '^Live frames over veth, skb' "$tmp/stdout" && ! grep -q '^Program cost' "$tmp/stdout"
ok $? "--skb-mode --mode live: only the generic-mode live table"

# -- Programs that change the packet ----------------------------------------

run_bench "${TINY[@]}" --mode cost --prog "$FIX:swap_macs" --prog "$FIX:bump_byte" \
	--prog "$FIX:grow"
ok $? "programs that change the packet: a cost run exits 0" || diag "$(cat "$tmp/stderr")"
for want in "swap_macs alternates" "bump_byte own-output" "grow none"; do
	read -r name path <<< "$want"
	got=$(column 4 ":$name ")
	[ "$got" = "$path" ]
	ok $? "$name is timed on path '$path' (got '$got')"
done
row ':grow .*not measured' > /dev/null
ok $? "a program whose path does not repeat is not measured, and the row says why"

# -- Old-style section names --------------------------------------------------

check_error "old-style section without --force-xdp" 1 "old_style.*not an XDP program" -- \
	"$BENCH" "${TINY[@]}" --mode cost --prog "$FIX:old_style"
run_bench "${TINY[@]}" --prog "$FIX:old_style" --force-xdp
ok_run $? "--force-xdp: a run of an old-style section exits 0"
got=$(column 3 ':old_style ' | tr '\n' ' ')
[ "$got" = "PASS PASS " ]
ok $? "--force-xdp loads it as XDP and measures it, cost and live (verdicts: '$got')"

# -- --list -------------------------------------------------------------------

"$BENCH" --list "$FIX" > "$tmp/list" 2> "$tmp/list.err"
ok $? "--list exits 0"
[ "$(cat "$tmp/list")" = "$FIX:swap_macs
$FIX:bump_byte
$FIX:grow
$FIX:capture" ]
ok $? "--list names the XDP programs that load"
[ "$(wc -l < "$tmp/list.err")" -eq 1 ] && grep -q "verifier rejected unchecked_read" "$tmp/list.err"
ok $? "--list says in one line why it left one out: $(cat "$tmp/list.err")"

# -- Bad input ----------------------------------------------------------------

bad_input() {   # bad_input NAME CODE REGEX ARGS...: one line, the code, nothing left
	local name=$1 code=$2 regex=$3
	shift 3
	check_error "$name" "$code" "$regex" -- "$BENCH" "${TINY[@]}" "$@"
}
bad_input "unknown program name" 1 "no program 'nope'" --prog "$LESSON_OBJ:nope"
bad_input "missing object" 1 "cannot open $tmp/missing.o" --prog "$tmp/missing.o"
bad_input "--list of a missing object" 1 "cannot read $tmp/missing.o: No such file" \
	--list "$tmp/missing.o"
bad_input "not an XDP program" 1 "tc_prog.*not an XDP program" --prog "$FIX:tc_prog"
bad_input "rejected by the verifier" 1 "verifier rejected unchecked_read: .*" \
	--prog "$FIX:unchecked_read"
bad_input "--set of a global the object lacks" 1 "no const volatile global 'nosuch'" \
	--prog "$LESSON_OBJ" --set nosuch=1
bad_input "--set before any --prog" 2 "--set goes after the --prog it is for" \
	--set snaplen=1
bad_input "bad packet spec" 2 "bad packet spec 'ipv7'" --packet ipv7
bad_input "bad option value" 2 "--rounds must be 1 to 200, not .0." --rounds 0
bad_input "unknown option" 2 "unknown option" --frobnicate

# -- Interrupted --------------------------------------------------------------

# start_long_run: a run that takes a while, in the middle of its live
# rounds once it is in a network namespace other than ours (or after 10 s);
# run_ns is that namespace ("net:[INODE]").
start_long_run() {
	"$BENCH" -q --rounds 1 --live-rounds 200 --repeat 1000 --live-frames 200000 \
		--prog "$LESSON_OBJ" > /dev/null 2> "$tmp/stderr" &
	bench_pid=$!
	for _ in $(seq 100); do
		run_ns=$(readlink "/proc/$bench_pid/ns/net")
		[ -n "$run_ns" ] && [ "$run_ns" != "$(readlink /proc/$$/ns/net)" ] && break
		sleep 0.1
	done
	sleep 0.5
}

# nothing_left NAME: no process is in the run's namespace any more, so the
# kernel has removed it, and its veths and XDP attachments with it.
nothing_left() {
	local holders
	holders=$(find /proc/[0-9]*/ns/net -lname "$run_ns" 2> /dev/null)
	[ -n "$run_ns" ] && [ "$run_ns" != "$(readlink /proc/$$/ns/net)" ] && [ -z "$holders" ]
	ok $? "$1: its namespace $run_ns is gone"
	[ -z "$holders" ] || diag "still in it: $holders"
}

# interrupt SIG NAME: the run stops with one line, exit 1, nothing left.
interrupt() {
	local rc
	kill -"$1" "$bench_pid"
	wait "$bench_pid"
	rc=$?
	[ "$rc" -eq 1 ] && [ "$(wc -l < "$tmp/stderr")" -eq 1 ] && grep -q "interrupted" "$tmp/stderr"
	ok $? "$2: exit $rc, one line: $(cat "$tmp/stderr")"
	nothing_left "$2"
}

start_long_run
links=$(nsenter --net="/proc/$bench_pid/ns/net" ip -o link show 2> /dev/null)
grep -q ' gen@rx: ' <<< "$links" && grep -qE ' rx@gen: .* xdp' <<< "$links"
ok $? "a long run works in a namespace of its own, with XDP on its veth rx"
interrupt INT "SIGINT in the live part"

start_long_run
interrupt TERM "SIGTERM in the live part"

"$BENCH" -q --rounds 200 --repeat 100000 --mode cost --prog "$LESSON_OBJ" > /dev/null \
	2> "$tmp/stderr" &
bench_pid=$!
sleep 1
kill -TERM "$bench_pid"
wait "$bench_pid"
rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l < "$tmp/stderr")" -eq 1 ]
ok $? "SIGTERM in the program-cost part: exit $rc, one line: $(cat "$tmp/stderr")"

# kill -9 cannot be caught: the namespace and the bpf_links still go with
# the process.
start_long_run
kill -KILL "$bench_pid"
wait "$bench_pid" 2> /dev/null
nothing_left "kill -9"

done_testing
