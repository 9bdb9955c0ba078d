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
F=tt${ID}f	# objects replaced by hand-made ones
H=tt${ID}h	# hand-made namespace and veth, never testenv's
P=tt${ID}p	# processes running in it at teardown
S=tt${ID}s	# interrupted setups
G=tt${ID}g	# in a state dir with planted symlinks
TCPDUMP_PID=""
STRANGER_PID=""

cleanup() {
	local n
	[ -n "$TCPDUMP_PID" ] && kill "$TCPDUMP_PID" 2>/dev/null
	[ -n "$STRANGER_PID" ] && kill -9 "$STRANGER_PID" 2>/dev/null
	for n in "$A" "$B" "$C" "$E" "$F" "$P" "$S"; do
		"$T" --name "$n" teardown >/dev/null 2>&1
	done
	TESTENV_STATEDIR=$TMP/sym "$T" --name "$G" teardown >/dev/null 2>&1
	[ ! -L "/sys/fs/bpf/$A" ] || rm -f "/sys/fs/bpf/$A"	# the test's symlink
	for n in "$D" "$F" "$H"; do	# what the test made by hand
		ip link del dev "$n" 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
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

no_trace_of() {	# no_trace_of NAME: no namespace, interface, state or pins
	local left
	left=$( [ ! -e "/run/netns/$1" ] || echo "namespace"
		[ ! -e "/sys/class/net/$1" ] || echo "interface"
		[ ! -e "/sys/fs/bpf/$1" ] || echo "pin dir"
		compgen -G "$TESTENV_STATEDIR/$1.*" )
	[ -z "$left" ] || { echo "left behind for $1:" $left; return 1; }
}

# output_matches REGEX CMD...: CMD succeeds and a line of its stdout matches.
output_matches() {
	local regex=$1 out
	shift
	out=$("$@") || { echo "exit $?: $out"; return 1; }
	grep -Eq -- "$regex" <<<"$out" || { echo "no line matches /$regex/ in: $out"; return 1; }
}

# matches STRING REGEX
matches() { [[ $1 =~ $2 ]] || { echo "'$1' does not match /$2/"; return 1; }; }
exits_with() {	# exits_with CODE CMD...
	local want=$1
	shift
	"$@"
	[ $? -eq "$want" ]
}
not() { ! "$@"; }
no_xdp_attached() { not output_matches 'prog/xdp' ip -o link show dev "$1"; }

outer6() { ip -6 -o addr show dev "$1" scope global | awk '{ print $4 }' | head -1; }

# ------------------------------------------------------------- plain env ---

check "setup --name $A" -- "$T" setup --name "$A"
check "namespace $A exists" -- test -e "/run/netns/$A"
check "outer end $A is a veth" -- output_matches veth ip -d -o link show dev "$A"
check "inner end veth0 is in namespace $A" -- ip -n "$A" -o link show dev veth0
OUT6=$(outer6 "$A")
check "outer address is fc00:dead:cafe:K::1/64" -- \
	matches "$OUT6" '^fc00:dead:cafe:[0-9a-f]{1,2}::1/64$'
IN6=${OUT6%::1/64}::2/64
check "inner address is $IN6" -- \
	output_matches " $IN6 " ip -n "$A" -6 -o addr show dev veth0
check "no tentative IPv6 address when setup returns" -- \
	test -z "$(ip -6 addr show dev "$A" tentative; ip -n "$A" -6 addr show dev veth0 tentative)"
check "first ping is answered" -- "$T" ping -- -c 1 -W 2

check "exec runs a command in the namespace" -- \
	output_matches 'veth0@' "$T" exec -- ip -o link show veth0
check "bpffs is mounted inside the namespace" -- \
	test "$("$T" exec -- stat -f -c %T /sys/fs/bpf 2>&1)" = bpf_fs
check "exec passes on the command's exit status" -- \
	exits_with 7 "$T" exec -- sh -c 'exit 7'
check "status lists $A as current" -- \
	output_matches "^Current environment: $A\$" "$T" status
check "alias prints an alias line" -- \
	output_matches "^alias t='$T'\$" "$T" alias

# ------------------------------------------------------------- load/unload ---

if [ -f "$PASS_OBJ" ]; then
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
	ln -s "$TMP" "/sys/fs/bpf/$A"
	fails "load when /sys/fs/bpf/$A is a symlink" 1 \
		"/sys/fs/bpf/$A is a symlink: testenv pins only into a directory of its own" -- \
		load -- "$PASS_OBJ"
	check "... attaches nothing" -- no_xdp_attached "$A"
	rm "/sys/fs/bpf/$A"
	check "load -- xdp_pass_kern.o" -- "$T" load -- "$PASS_OBJ"
	check "xdp-loader status shows xdp_pass_func" -- \
		output_matches xdp_pass_func flock "$XDP_LOCK" xdp-loader status "$A"
	check "bpftool net shows an XDP program on $A" -- \
		output_matches "^$A\\([0-9]+\\) driver id [0-9]+" bpftool net show dev "$A"
	check "ping still answered with XDP_PASS" -- "$T" ping -- -c 1 -W 2
	check "unload says what it detached" -- \
		output_matches "^Detached xdp_pass_func \(id [0-9]+\) from $A\.\$" "$T" unload
	check "unload with nothing attached says so" -- \
		output_matches "^No XDP program was attached to $A\.\$" "$T" unload
	check "nothing attached after unload" -- \
		no_xdp_attached "$A"
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
	output_matches ' 10\.11\.[0-9]+\.1/24 ' ip -4 -o addr show dev "$B"
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
	# Real 802.1Q interfaces where the kernel has 802.1Q, tc programs
	# that tag the frames where it has not: each kernel runs one road.
	if [ -d /proc/net/vlan ]; then
		check_match "--vlan with 802.1Q: $C.1 is a VLAN interface (id 1) on $C" \
			"^[0-9]+: $C\\.1@$C: .* vlan protocol 802\\.1Q id 1 " -- ip -d -o link show dev "$C.1"
		check_match "--vlan with 802.1Q: veth0.1 inside holds the VLAN address" \
			"^[0-9]+: veth0\\.1 +inet6 fc00:dead:cafe:1[0-9a-f]{2}::2/64 " -- \
			ip -n "$C" -6 -o addr show dev veth0.1 scope global
		skip "--vlan without 802.1Q: tc programs tag and untag" "this kernel has 802.1Q: $C.1 carries the VLAN"
	else
		skip "--vlan with 802.1Q: VLAN interfaces $C.1 and veth0.1" "this kernel has no 802.1Q (no 8021q module)"
		check_match "--vlan without 802.1Q: tc programs tag and untag (vlan_pop on $C)" vlan_pop -- \
			tc filter show dev "$C" ingress
	fi

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
			not "$T" ping --vlan -- -c 1 -W 1
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
fails "--vlan with a name of 14 characters (NAME.1 would not fit)" 2 "with --vlan a name has at most 13 characters" -- \
	--name abcdefghijklmn setup --vlan
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
for n in 045677 -1 4294969427 0x10; do
	fails "unload --id $n" 2 "a decimal program id from 1 to 4294967295, not '$n'" -- \
		--name "$A" unload --id "$n"
done
TESTENV_STATEDIR=$TMP/empty fails "command with no environment" 1 \
	"no environment: run setup first" -- ping -- -c 1
fails "ping --vlan on a non-VLAN environment" 1 "no VLAN addresses" -- \
	--name "$A" ping --vlan -- -c 1
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$T" 2>/dev/null; then
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$T" status 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -eq 1 ] && [ "$err" = "testenv.sh: 'status' needs root: run it as root or with sudo" ]
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

# An "ip" that fails when its arguments contain $FAIL_IP.
mkdir -p "$TMP/fake"
cat >"$TMP/fake/ip" <<EOF
#!/bin/sh
case " \$* " in *" \$FAIL_IP "*) echo "ip: not today" >&2; exit 2 ;; esac
exec $(command -v ip) "\$@"
EOF
chmod +x "$TMP/fake/ip"

# setup --vlan fails after it has made the namespace, veth pair, addresses
# and, with 802.1Q, the outer VLAN interface: all must be gone again.
if [ -d /proc/net/vlan ]; then	# the inner VLAN interface cannot be made
	err=$(PATH=$TMP/fake:$PATH FAIL_IP="name veth0.1 type vlan" \
		"$T" setup --name "$E" --vlan 2>&1 >/dev/null)
else				# a copy of testenv.sh with a broken vlan_tc_kern.o
	mkdir -p "$TMP/copy/testenv"
	cp "$T" "$TMP/copy/testenv/"
	echo "not an ELF file" >"$TMP/copy/testenv/vlan_tc_kern.o"
	err=$("$TMP/copy/testenv/testenv.sh" setup --name "$E" --vlan 2>&1 >/dev/null)
fi
rc=$?
ok $(( rc == 0 )) "setup --vlan failing half-way exits non-zero (got $rc)"
check "... with one line on stderr" -- test "$(printf '%s' "$err" | grep -c '')" -eq 1
check "... and leaves nothing behind" -- no_trace_of "$E"

# Setup fails just after making the namespace (lo's alias) or the veth
# pair (the outer end's).
for dev in lo "$E"; do
	PATH=$TMP/fake:$PATH FAIL_IP="dev $dev alias" fails "setup failing to mark $dev" 1 \
		"alias .* failed: ip: not today" -- setup --name "$E"
	check "... leaves nothing behind" -- no_trace_of "$E"
done

# -------------------------------------------------------------- teardown ---

mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
mkdir -p "/sys/fs/bpf/$A"	# stands in for maps a loader pinned
check "teardown $A" -- "$T" --name "$A" teardown
check "teardown removed namespace, veth pair and state" -- no_trace_of "$A"
check "teardown removed the pin dir" -- test ! -e "/sys/fs/bpf/$A"

# ------------------------------------------------ only what testenv made ---

# wait_gone NAME: until the kernel has removed interface NAME (at most 5 s;
# a namespace's devices go a moment after "ip netns del").
wait_gone() {
	local _
	for _ in $(seq 50); do
		[ -e "/sys/class/net/$1" ] || return 0
		sleep 0.1
	done
	return 1
}

hand_made() {	# hand_made NAME: a namespace and a veth pair NAME/NAMEp
	ip netns add "$1" && ip link add dev "$1" type veth peer name "${1}p"
}
both_exist() { test -e "/run/netns/$1" && test -e "/sys/class/net/$1"; }

hand_made "$H"
fails "teardown of a hand-made namespace and veth" 1 \
	"no environment named '$H' in .*: testenv removes only what it made" -- --name "$H" teardown
check "... both survive" -- both_exist "$H"
fails "setup over a hand-made namespace" 1 \
	"a namespace named '$H' exists that testenv did not make" -- setup --name "$H"
check "... which survives" -- both_exist "$H"
ip link del dev "$H"
ip netns del "$H"

# What setup made, deleted and replaced by hand-made objects of the name.
check "setup $F" -- "$T" setup --name "$F"
ip netns del "$F"	# takes the veth pair along, a moment later
if wait_gone "$F" && hand_made "$F"; then
	err=$("$T" --name "$F" teardown 2>&1 >/dev/null)
	ok $? "teardown of $F after its objects were replaced by hand"
	check "... says it left the namespace alone" -- \
		grep -q "namespace '$F' is not the one setup made: left alone" <<<"$err"
	check "... says it left the interface alone" -- \
		grep -q "interface '$F' is not the one setup made: left alone" <<<"$err"
	check "... both survive" -- both_exist "$F"
	check "... and $F's state is gone" -- test ! -e "$TESTENV_STATEDIR/$F.env"
	ip link del dev "$F"
	ip netns del "$F"
else
	ok 1 "replace $F's namespace and veth by hand-made ones"
fi

for n in tc xdp ip; do
	fails "name '$n' (iproute2's or libxdp's bpffs directory)" 2 \
		"name '$n' is reserved: /sys/fs/bpf/$n belongs to iproute2 and libxdp" -- \
		--name "$n" teardown
done
fails "setup --name xdp" 2 "name 'xdp' is reserved" -- setup --name xdp

# A state dir whose files were planted by someone else.
mkdir -m 700 "$TMP/evil" "$TMP/sym"
printf '../../..' >"$TMP/evil/current"
TESTENV_STATEDIR=$TMP/evil fails "a 'current' file naming ../../.." 1 \
	"current is damaged \(bad name '../../..'" -- teardown
TESTENV_STATEDIR=$TMP/evil fails "... also for ping" 1 "current is damaged" -- ping -- -c 1
printf 'tc\n' >"$TMP/evil/current"
TESTENV_STATEDIR=$TMP/evil fails "a 'current' file naming tc" 1 \
	"current is damaged \(name 'tc' is reserved" -- teardown

echo precious >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/sym/$G.env"
TESTENV_STATEDIR=$TMP/sym fails "setup when its state file is a symlink" 1 \
	"$G.env is a symlink, which testenv never makes: remove it" -- setup --name "$G"
check "... creates no namespace" -- test ! -e "/run/netns/$G"
rm "$TMP/sym/$G.env"
ln -s "$TMP/victim" "$TMP/sym/current"
TESTENV_STATEDIR=$TMP/sym fails "teardown when 'current' is a symlink" 1 \
	"current is a symlink, which testenv never makes" -- teardown
TESTENV_STATEDIR=$TMP/sym check "setup with a symlinked 'current'" -- "$T" setup --name "$G"
check "... replaces the symlink by a file naming $G" -- \
	test ! -L "$TMP/sym/current" -a "$(cat "$TMP/sym/current")" = "$G"
check "... never writing through it" -- test "$(cat "$TMP/victim")" = precious
check "state files are private" -- test "$(stat -c %a "$TMP/sym/$G.env")" = 600
TESTENV_STATEDIR=$TMP/sym check "teardown $G" -- "$T" teardown
TESTENV_STATEDIR=$TMP/sym check "... leaves nothing" -- no_trace_of "$G"

mkdir -m 755 "$TMP/open"
TESTENV_STATEDIR=$TMP/open fails "a state dir others can read" 1 \
	"state dir $TMP/open must be yours and private" -- status
ln -s "$TMP/sym" "$TMP/link"
TESTENV_STATEDIR=$TMP/link fails "a state dir that is a symlink" 1 \
	"state dir $TMP/link is not a directory \(or is a symlink\)" -- status

# ---------------------------------------- teardown stops what runs inside ---

# children_of PID: the pids whose parent is PID.
children_of() {
	local stat line fields
	for stat in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$stat" || continue
		read -ra fields <<<"${line##*) }"	# from field 3 on
		[ "${fields[1]}" = "$1" ] && { stat=${stat#/proc/}; echo "${stat%/stat}"; }
	done
}
running() {	# running PID: exists and is not a zombie
	local line
	read -r line 2>/dev/null <"/proc/$1/stat" && line=${line##*) } && [ "${line%% *}" != Z ]
}
answered() { grep -q 'bytes from' "$TMP/ping.out"; }
sleeping_child() { SLEEP_PID=$(children_of "$EXEC_PID"); [ -n "$SLEEP_PID" ]; }
until_true() {	# until_true CMD...: poll CMD for at most 5 s
	local _
	for _ in $(seq 50); do "$@" && return 0; sleep 0.1; done
	return 1
}

check "setup $P" -- "$T" setup --name "$P"
"$T" --name "$P" ping -- -i 0.2 >"$TMP/ping.out" 2>&1 &
PING_PID=$!
"$T" --name "$P" exec -- sh -c 'sleep 600 & wait' &
EXEC_PID=$!
ip netns exec "$P" sleep 600 &	# started by hand, not through testenv
STRANGER_PID=$!
disown "$PING_PID" "$EXEC_PID" "$STRANGER_PID"	# no "Hangup" job reports, please
if until_true answered && until_true sleeping_child; then
	err=$("$T" --name "$P" teardown 2>&1 >/dev/null)
	ok $? "teardown while testenv's ping and exec run in $P"
	check "... ends the ping" -- test "$(running "$PING_PID" || echo gone)" = gone
	check "... ends the command exec started" -- test "$(running "$EXEC_PID" || echo gone)" = gone
	check "... and what that command started" -- test "$(running "$SLEEP_PID" || echo gone)" = gone
	check "... leaves the process it did not start running" -- running "$STRANGER_PID"
	check "... and says so, with its pid" -- grep -q \
		"processes testenv did not start still run in namespace '$P' (pids $STRANGER_PID): left alone" <<<"$err"
	check "... removes the interface all the same" -- test ! -e "/sys/class/net/$P"
else
	ok 1 "ping answered and exec's command running in $P"
fi
kill "$PING_PID" "$EXEC_PID" "$STRANGER_PID" 2>/dev/null
until_true eval '! running "$STRANGER_PID"'
STRANGER_PID=""
check "... nothing of $P left once its last process ended" -- no_trace_of "$P"

# ------------------------------------------------- signals during setup ---

# A setup signalled at a random moment either finished (and teardown then
# removes it all) or left nothing behind. "env --default-signal": a
# background job of a script starts with SIGINT ignored.
setup_ms() {
	local t0 t1
	t0=$(date +%s%N)
	"$T" setup --name "$S" >/dev/null || return 1
	t1=$(date +%s%N)
	"$T" --name "$S" teardown >/dev/null
	echo $(( (t1 - t0) / 1000000 ))
}
if ms=$(setup_ms); then
	leaks=() stopped=0
	for i in $(seq 20); do
		sig=$([ $((i % 2)) -eq 0 ] && echo INT || echo TERM)
		delay=$(( RANDOM % (ms * 3 / 2 + 1) ))
		env --default-signal=INT,TERM "$T" setup --name "$S" >/dev/null 2>"$TMP/sig.err" &
		pid=$!
		sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
		kill -s "$sig" "$pid" 2>/dev/null
		wait "$pid"
		rc=$?
		grep -q "setup of '$S' interrupted: removing what it made" "$TMP/sig.err" &&
			stopped=$((stopped + 1))
		[ "$rc" -ne 0 ] || "$T" --name "$S" teardown >/dev/null
		if ! left=$(no_trace_of "$S"); then
			leaks+=("SIG$sig after $delay ms, exit $rc: $left")
			ip netns del "$S" 2>/dev/null; ip link del dev "$S" 2>/dev/null
			rm -f "$TESTENV_STATEDIR/$S".*
		fi
	done
	ok ${#leaks[@]} "20 setups (about $ms ms each) signalled at random moments leave nothing behind"
	[ ${#leaks[@]} -eq 0 ] || diag "${leaks[@]}"
	ok $(( stopped == 0 )) "... $stopped of them were stopped half-way and undone"
else
	ok 1 "setup $S, to time it"
fi

# ------------------------------------------------------------- two demos ---

if [ -x "$TOP/basic01-xdp-pass/xdp_pass_user" ] && [ -x "$TOP/basic02-prog-by-name/xdp_loader" ]; then
	"$TOP/testenv/demo.sh" >"$TMP/demo1.out" 2>&1 &
	DEMO1=$!
	"$TOP/testenv/demo.sh" >"$TMP/demo2.out" 2>&1 &
	DEMO2=$!
	wait "$DEMO1"; rc1=$?
	wait "$DEMO2"; rc2=$?
	ok $(( rc1 != 0 || rc2 != 0 )) "two demos at once both succeed"
	[ "$rc1" -eq 0 ] || diag "first demo, exit $rc1:" "$(tail -5 "$TMP/demo1.out")"
	[ "$rc2" -eq 0 ] || diag "second demo, exit $rc2:" "$(tail -5 "$TMP/demo2.out")"
	check "... each in an environment of its own" -- \
		grep -q "namespace xdpdemo-$DEMO2\$" "$TMP/demo2.out"
	check "... and leave nothing behind" -- \
		eval 'no_trace_of "xdpdemo-$DEMO1" && no_trace_of "xdpdemo-$DEMO2"'
else
	skip "two demos at once" "the basic01 and basic02 loaders are not built (run make)"
fi

done_testing
