#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks for testenv/testenv.sh: environments come up usable, the commands do
# what they say, bad input gives one clear line, and nothing is left behind.
# Runs as root; uses a private state dir and its own environment names, so a
# learner's environments are never touched.

# shellcheck source=tests/lib/tap.sh
source "$(dirname "$0")/lib/tap.sh"
require_root

T=$TOP/testenv/testenv.sh
PASS_OBJ=$TOP/basic01-xdp-pass/xdp_pass_kern.o
VLAN_OBJ=$TOP/testenv/vlan_tc_kern.o

# xdp-loader 1.3.1 fails ("Unable to read PID from lockfile") when two copies
# start at the same moment; testenv.sh runs it under this lock, so do we.
XDP_LOCK=/run/xdp-tutorial-testenv.lock

TMP=$(mktemp -d /tmp/testenv-t.XXXXXX)
export TESTENV_STATEDIR=$TMP/state
ID=$(printf '%x' $$)
A=tt${ID}a	# plain environment
B=tt${ID}b	# --legacy-ip
C=tt${ID}c	# --vlan --legacy-ip
D=tt${ID}d	# name taken by an interface we create first
E=tt${ID}e	# setup that fails half-way
TCPDUMP_PID=""

cleanup() {
	local n
	[ -n "$TCPDUMP_PID" ] && kill "$TCPDUMP_PID" 2>/dev/null
	for n in "$A" "$B" "$C" "$E"; do
		"$T" --name "$n" teardown >/dev/null 2>&1
	done
	ip link del dev "$D" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM	# run cleanup when interrupted, too

# fails NAME CODE PATTERN -- ARGS...: testenv.sh ARGS exits with CODE and
# prints exactly one line on stderr, "testenv.sh: ..." matching PATTERN.
fails() {
	local name=$1 code=$2 pat=$3
	shift 3; [ "$1" = "--" ] && shift
	check_error "$name" "$code" "^testenv.sh: .*$pat" -- "$T" "$@"
}

no_trace_of() {	# no_trace_of NAME: no namespace, no interface, no state
	[ ! -e "/run/netns/$1" ] && ! ip link show dev "$1" >/dev/null 2>&1 &&
		[ ! -e "$TESTENV_STATEDIR/$1.env" ]
}

outer6() { ip -6 -o addr show dev "$1" scope global | awk '{ print $4 }' | head -1; }

# ------------------------------------------------------------- plain env ---

check "setup --name $A" -- "$T" setup --name "$A"
check "namespace $A exists" -- test -e "/run/netns/$A"
check "outer end $A is a veth" -- sh -c "ip -d -o link show dev '$A' | grep -q 'veth'"
check "inner end veth0 is in namespace $A" -- ip -n "$A" -o link show dev veth0
OUT6=$(outer6 "$A")
check "outer address is fc00:dead:cafe:K::1/64" -- \
	sh -c "echo '$OUT6' | grep -Eq '^fc00:dead:cafe:[0-9a-f]{1,2}::1/64$'"
IN6=${OUT6%::1/64}::2/64
check "inner address is $IN6" -- \
	sh -c "ip -n '$A' -6 -o addr show dev veth0 | grep -qF ' $IN6 '"
check "no tentative IPv6 address when setup returns" -- \
	test -z "$(ip -6 addr show dev "$A" tentative; ip -n "$A" -6 addr show dev veth0 tentative)"
check "first ping is answered" -- "$T" ping -- -c 1 -W 2

check "exec runs a command in the namespace" -- \
	sh -c "'$T' exec -- ip -o link show veth0 | grep -q 'veth0@'"
check "bpffs is mounted inside the namespace" -- \
	test "$("$T" exec -- stat -f -c %T /sys/fs/bpf 2>&1)" = bpf_fs
check "exec passes on the command's exit status" -- \
	sh -c "'$T' exec -- sh -c 'exit 7'; test \$? -eq 7"
check "status lists $A as current" -- \
	sh -c "'$T' status | grep -q 'Current environment: $A'"
check "alias prints an alias line" -- \
	sh -c "'$T' alias 2>/dev/null | grep -qx \"alias t='$T'\""

# ------------------------------------------------------------- load/unload ---

if [ -f "$PASS_OBJ" ]; then
	check "load -- xdp_pass_kern.o" -- "$T" load -- "$PASS_OBJ"
	check "xdp-loader status shows xdp_pass_func" -- \
		sh -c "flock '$XDP_LOCK' xdp-loader status '$A' | grep -q xdp_pass_func"
	check "bpftool net shows an XDP program on $A" -- \
		sh -c "bpftool net show dev '$A' | grep -A1 '^xdp:' | grep -q '$A'"
	check "ping still answered with XDP_PASS" -- "$T" ping -- -c 1 -W 2
	check "unload" -- "$T" unload
	check "nothing attached after unload" -- \
		sh -c "! ip -o link show dev '$A' | grep -q 'prog/xdp'"
	check "pin dir removed after unload" -- test ! -e "/sys/fs/bpf/$A"
else
	skip "load/unload of xdp_pass_kern.o" "$PASS_OBJ not built (run make)"
fi

# A copy of testenv.sh outside the tree has no xdp_stats beside it.
mkdir -p "$TMP/bare/testenv" && cp "$T" "$TMP/bare/testenv/"
T="$TMP/bare/testenv/testenv.sh" fails "stats without xdp_stats built" 1 \
	"xdp_stats not built: run make in $TMP/bare" -- --name "$A" stats

# ----------------------------------------------------------------- IPv4 ---

check "setup --legacy-ip" -- "$T" setup --name "$B" --legacy-ip
check "outer has 10.11.K.1/24" -- \
	sh -c "ip -4 -o addr show dev '$B' | grep -Eq ' 10\.11\.[0-9]+\.1/24 '"
check "IPv4 ping answered" -- "$T" ping --legacy-ip -- -c 1 -W 2
check "reset keeps --legacy-ip" -- "$T" reset
check "IPv4 ping answered after reset" -- "$T" ping --legacy-ip -- -c 1 -W 2
check "--name after the command picks $A" -- "$T" ping --name "$A" -- -c 1 -W 2

# ----------------------------------------------------------------- VLAN ---

# wait_listening FILE: until tcpdump says it is capturing (at most 5 s).
wait_listening() {
	local _
	for _ in $(seq 50); do
		grep -q 'listening on' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# An XDP program that drops 802.1Q frames: a VLAN ping only fails with it
# attached if the tag really is inside the frame XDP sees.
build_drop_vlan() {
	cat >"$TMP/drop_vlan.c" <<-'EOF'
	#include <linux/bpf.h>
	#include <linux/if_ether.h>
	#include <bpf/bpf_helpers.h>
	#include <bpf/bpf_endian.h>
	SEC("xdp")
	int drop_vlan(struct xdp_md *ctx)
	{
		void *data = (void *)(long)ctx->data;
		void *end = (void *)(long)ctx->data_end;
		struct ethhdr *eth = data;

		if ((void *)(eth + 1) > end)
			return XDP_PASS;
		return eth->h_proto == bpf_htons(ETH_P_8021Q) ? XDP_DROP : XDP_PASS;
	}
	char _license[] SEC("license") = "GPL";
	EOF
	clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" \
		-c "$TMP/drop_vlan.c" -o "$TMP/drop_vlan.o" 2>/dev/null
}

if [ -f "$VLAN_OBJ" ]; then
	check "setup --vlan --legacy-ip" -- "$T" setup --name "$C" --vlan --legacy-ip

	timeout 10 tcpdump -i "$C" -e -nn -c 1 vlan >"$TMP/vlan.out" 2>"$TMP/vlan.err" &
	TCPDUMP_PID=$!
	if wait_listening "$TMP/vlan.err"; then
		check "VLAN ping answered" -- "$T" ping --vlan -- -c 1 -W 2
		wait "$TCPDUMP_PID"
		check "tcpdump on $C sees 'vlan 1'" -- grep -q 'vlan 1,' "$TMP/vlan.out"
	else
		ok 1 "tcpdump started listening on $C"
	fi
	TCPDUMP_PID=""
	check "IPv4 VLAN ping answered" -- "$T" ping --vlan --legacy-ip -- -c 1 -W 2

	if build_drop_vlan; then
		check "load an XDP program that drops VLAN frames" -- \
			"$T" load -- "$TMP/drop_vlan.o"
		check "XDP sees the tag: VLAN ping dropped" -- \
			sh -c "! '$T' ping --vlan -- -c 1 -W 1"
		check "untagged ping still answered" -- "$T" ping -- -c 1 -W 2
		check "unload it" -- "$T" unload
	else
		skip "XDP sees the VLAN tag" "cannot compile a test XDP program"
	fi
else
	skip "--vlan checks" "$VLAN_OBJ not built (run make)"
fi

# ------------------------------------------------------------ bad input ---

fails "too long name" 2 "too long" -- --name abcdefghijklmnop setup
fails "bad characters in name" 2 "bad name 'a/b'" -- --name 'a/b' setup
fails "'.' in name (bpffs refuses it)" 2 "bad name 'a.b'" -- --name a.b setup
fails "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate
fails "unknown option" 2 "unknown option '--frob'" -- setup --frob
fails "load with no object" 2 "needs an object file" -- --name "$A" load
fails "load of a missing file" 1 "'$TMP/nope.o' not found" -- \
	--name "$A" load -- "$TMP/nope.o"
fails "setup of an existing name" 1 "'$A' already exists" -- setup --name "$A"
fails "teardown of a missing name" 1 "no environment named 'tt${ID}z'" -- \
	--name "tt${ID}z" teardown
TESTENV_STATEDIR=$TMP/empty fails "command with no environment" 1 \
	"no environment: run setup first" -- ping -- -c 1
fails "ping --vlan on a non-VLAN environment" 1 "no VLAN addresses" -- \
	--name "$A" ping --vlan -- -c 1
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$T" 2>/dev/null; then
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$T" status 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 1 ] && [ "$err" = "testenv.sh: 'status' needs root: run it with sudo" ]
	ok $? "not root: one clear line"
else
	skip "not root: one clear line" "user nobody cannot run $T"
fi

# ---------------------------------------------------- failures clean up ---

ip link add dev "$D" type veth peer name "${D}p"
fails "setup over an existing interface" 1 "interface named '$D' already exists" -- \
	setup --name "$D"
check "... leaves that interface alone" -- ip link show dev "$D"
check "... and creates no namespace" -- test ! -e "/run/netns/$D"
ip link del dev "$D"

# A copy of testenv.sh next to a broken vlan_tc_kern.o fails after it has
# made the namespace, veth pair and addresses: all must be gone again.
mkdir -p "$TMP/copy/testenv"
cp "$T" "$TMP/copy/testenv/"
echo "not an ELF file" >"$TMP/copy/testenv/vlan_tc_kern.o"
err=$("$TMP/copy/testenv/testenv.sh" setup --name "$E" --vlan 2>&1 >/dev/null)
rc=$?
ok $(( rc == 0 )) "setup failing half-way exits non-zero"
check "... with one line on stderr" -- test "$(printf '%s' "$err" | grep -c '')" -eq 1
check "... and leaves nothing behind" -- no_trace_of "$E"

# -------------------------------------------------------------- teardown ---

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mkdir -p "/sys/fs/bpf/$A"	# stands in for maps a loader pinned
check "teardown $A" -- "$T" --name "$A" teardown
check "teardown removed namespace, veth pair and state" -- no_trace_of "$A"
check "teardown removed the pin dir" -- test ! -e "/sys/fs/bpf/$A"

done_testing
