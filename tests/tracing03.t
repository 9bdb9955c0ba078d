#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tracing03-xdp-dump: xdpdump on a testenv environment. N pings give N
# echo-request lines with the right addresses; the pcap holds exactly the
# captured frames and tcpdump reads it (also through a pipe, -w -); -c, -x
# and --snaplen; Ctrl-C, SIGTERM and kill -9 leave no program behind; a
# flood the reader cannot keep up with reports its loss, and captured +
# lost = seen; bad input: one line, the documented exit code, nothing left.
source "$(dirname "$0")/lib/xdp.sh"
source "$TOP/tests/lib/pcap.sh"
require_root

LESSON=$TOP/tracing03-xdp-dump
DUMP=$LESSON/xdpdump
SUMMARY_RE='^([0-9]+) packets? captured, ([0-9]+) lost, ([0-9]+) seen by the program'

scratch=$(mktemp -d)
netenv_on_exit rm -rf "$scratch"

# ---------------------------------------------------------- packet checks ---

expect_verdicts "$LESSON/xdpdump_kern.o" xdpdump_prog XDP_PASS

# ---------------------------------------------------------- helpers ---

# dump_start OUT ERR ARGS...: xdpdump on $ENV with ARGS, stdout to OUT,
# stderr to ERR, once its program is attached; its pid in DUMP_PID.
dump_start() {
	local out=$1 err=$2
	shift 2
	"$DUMP" -i "$ENV" "$@" >"$out" 2>"$err" &
	DUMP_PID=$!
	netenv_on_exit kill -9 "$DUMP_PID"
	netenv_wait_for 10 netenv_xdp_prog_id "$ENV"
}

# dump_stop ERR [SIGNAL]: stop it (SIGINT); its exit code. The summary's
# numbers in CAPTURED, LOST, SEEN.
dump_stop() {
	local rc
	netenv_stop "$DUMP_PID" "${2:-INT}"
	rc=$?
	summary_of "$1"
	return "$rc"
}

summary_of() {	# summary_of ERR: CAPTURED, LOST, SEEN from its summary line
	CAPTURED=x LOST=x SEEN=x
	[[ $(grep -E "$SUMMARY_RE" "$1" | tail -n 1) =~ $SUMMARY_RE ]] || return 1
	CAPTURED=${BASH_REMATCH[1]} LOST=${BASH_REMATCH[2]} SEEN=${BASH_REMATCH[3]}
}

accounts_for_all() {	# accounts_for_all WHAT: captured + lost = seen
	[ "$CAPTURED" != x ] && [ $((CAPTURED + LOST)) -eq "$SEEN" ]
	ok $? "$1: $CAPTURED captured + $LOST lost = $SEEN seen by the program"
}

# echo_requests FILE: the echo-request lines from inside to outside, as
# README.org states the format.
echo_requests() {
	grep -cE "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} IP6 $INNER > $OUTER: ICMP6 echo request, id [0-9]+, seq [0-9]+, length 118$" "$1"
}

ping_in() { testenv ping -- -c "$1" -i 0.1 -W 1 >/dev/null; }
ended() { ! kill -0 "$1" 2>/dev/null; }
prog_unloaded() { ! "$NETENV_BPFTOOL" prog show id "$1" >/dev/null 2>&1; }
generic_xdp_on() { ip -o link show dev "$1" | grep -q xdpgeneric; }

# ------------------------------------------------------------ end to end ---

netenv_setup t3t$$ || { done_testing; exit; }
OUTER=$(ip -6 -o addr show dev "$ENV" scope global | awk '{ sub("/.*", "", $4); print $4 }')
INNER=$(ip -n "$ENV" -6 -o addr show dev veth0 scope global | awk '{ sub("/.*", "", $4); print $4 }')

dump_start "$scratch/lines" "$scratch/err"
ok $? "xdpdump attaches to $ENV"
ping_in 5
dump_stop "$scratch/err"
ok $? "xdpdump exits 0 on Ctrl-C"
n=$(echo_requests "$scratch/lines")
[ "$n" -eq 5 ]
ok $? "5 pings: $n echo-request lines $INNER > $OUTER"
[ "$n" -eq 5 ] || diag "got:" "$(cat "$scratch/lines")"
[ "$(grep -c . "$scratch/lines")" -eq "$CAPTURED" ]
ok $? "one line per captured frame: $(grep -c . "$scratch/lines") lines, $CAPTURED captured"
accounts_for_all "5 pings"
check "the program is gone after Ctrl-C" -- no_xdp_on "$ENV"

# -w FILE: exactly the captured frames, and tcpdump reads them.
dump_start /dev/null "$scratch/err" -w "$scratch/a.pcap"
ping_in 4
dump_stop "$scratch/err"
ok $? "xdpdump -w FILE exits 0"
records=$(pcap_records "$scratch/a.pcap" | grep -c .)
[ "$records" -eq "$CAPTURED" ] && [ "$CAPTURED" -ge 4 ]
ok $? "the pcap holds the $CAPTURED captured frames: $records records"
n=$(tcpdump -nr "$scratch/a.pcap" 2>/dev/null | grep -c "IP6 $INNER > $OUTER: ICMP6, echo request")
[ "$n" -eq 4 ]
ok $? "tcpdump -r reads it: $n of 4 echo requests"
accounts_for_all "-w FILE"

# -w - | tcpdump -r -, stopped by -c
( "$DUMP" -i "$ENV" -w - -c 3 2>"$scratch/err" | tcpdump -nr - >"$scratch/piped" 2>/dev/null ) &
pipe_pid=$!
netenv_on_exit kill -9 "$pipe_pid"
netenv_wait_for 10 netenv_xdp_prog_id "$ENV"
ping_in 5
netenv_wait_for 10 ended "$pipe_pid"
ok $? "xdpdump -w - -c 3 | tcpdump -r - ends by itself"
n=$(grep -c "IP6 .* > .*: " "$scratch/piped")
[ "$n" -eq 3 ]
ok $? "tcpdump read $n frames from the pipe (-c 3)"
summary_of "$scratch/err"
[ "$CAPTURED" = 3 ]
ok $? "the summary says 3 captured: $(tail -n 1 "$scratch/err")"

# A reader that goes away (| head -n 1): xdpdump stops, no error.
( "$DUMP" -i "$ENV" 2>"$scratch/err"; echo "$?" >"$scratch/rc" ) | head -n 1 >/dev/null &
pipe_pid=$!
netenv_on_exit kill -9 "$pipe_pid"
netenv_wait_for 10 netenv_xdp_prog_id "$ENV"
ping_in 3
netenv_wait_for 10 ended "$pipe_pid"
[ "$(cat "$scratch/rc" 2>/dev/null)" = 0 ] && [ "$(grep -vcE "$SUMMARY_RE" "$scratch/err")" -eq 0 ]
ok $? "| head -n 1: xdpdump ends with exit 0 and no error ($(cat "$scratch/rc" 2>/dev/null))"
check "the program is gone after the pipe closed" -- no_xdp_on "$ENV"

# -x and --snaplen: the first 64 bytes, in hex, 16 to a line
dump_start "$scratch/hex" "$scratch/err" -x -s 64 -c 1
ping_in 2
netenv_wait_for 10 ended "$DUMP_PID"
wait "$DUMP_PID"
ok $? "xdpdump -x -s 64 -c 1 exits 0 by itself"
n=$(grep -cE $'^\t0x00[0-3]0: ( [0-9a-f]{4}){8}$' "$scratch/hex")
[ "$n" -eq 4 ] && [ "$(grep -c . "$scratch/hex")" -eq 5 ]
ok $? "-x -s 64: one line, then 64 bytes as 4 hex lines ($n)"
dump_start /dev/null "$scratch/err" -s 64 -w "$scratch/snap.pcap"
ping_in 2
dump_stop "$scratch/err"
n=$(pcap_records "$scratch/snap.pcap" | grep -c '^64 118 ')
[ "$n" -eq 2 ]
ok $? "--snaplen 64: $n echo requests stored as 64 of 118 bytes"

# Signals: SIGTERM like Ctrl-C; kill -9 still leaves nothing attached.
dump_start /dev/null "$scratch/err"
dump_stop "$scratch/err" TERM
ok $? "xdpdump exits 0 on SIGTERM"
check "the program is gone after SIGTERM" -- no_xdp_on "$ENV"
dump_start /dev/null "$scratch/err"
id=$(netenv_xdp_prog_id "$ENV")
kill -9 "$DUMP_PID"
wait "$DUMP_PID" 2>/dev/null
netenv_wait_for 5 no_xdp_on "$ENV"
ok $? "kill -9: no program left on $ENV"
netenv_wait_for 5 prog_unloaded "$id"
ok $? "kill -9: program $id is unloaded"

# A flood the reader cannot keep up with: the reader sleeps while the rings
# fill, so samples are lost, and every one of them is accounted for.
"$DUMP" -i "$ENV" 2>"$scratch/err" > >(sleep 3; grep -c . >"$scratch/count") &
DUMP_PID=$!
netenv_on_exit kill -9 "$DUMP_PID"
netenv_wait_for 10 netenv_xdp_prog_id "$ENV"
testenv exec -- ping -f -l 50 -c 200000 -w 2 -q "$OUTER" >/dev/null
sleep 2		# the reader wakes up and drains
dump_stop "$scratch/err"
ok $? "after the flood, xdpdump exits 0"
netenv_wait_for 5 test -s "$scratch/count"
[ "$LOST" != x ] && [ "$LOST" -gt 0 ] && [ "$(cat "$scratch/count")" -eq "$CAPTURED" ]
ok $? "the flood: $LOST samples lost, $CAPTURED captured, $(cat "$scratch/count") lines read"
accounts_for_all "the flood"

# Without bpffs (a mount namespace where it is unmounted): xdpdump pins
# nothing, so it neither needs bpffs nor mounts it.
no_bpffs_dump() {
	while umount /sys/fs/bpf 2>/dev/null; do :; done	# stacked mounts too
	! grep -q ' /sys/fs/bpf bpf ' /proc/mounts && exec "$DUMP" -i "$ENV" -c 2
}
export -f no_bpffs_dump
export DUMP ENV
unshare -m bash -c no_bpffs_dump >"$scratch/lines" 2>"$scratch/err" &
DUMP_PID=$!
netenv_on_exit kill -9 "$DUMP_PID"
netenv_wait_for 10 netenv_xdp_prog_id "$ENV"
ping_in 3
netenv_wait_for 10 ended "$DUMP_PID"
wait "$DUMP_PID"
ok $? "without bpffs, xdpdump -c 2 captures and exits 0: $(tail -n 1 "$scratch/err")"

# ------------------------------------------------------------ bad input ---

check_error "unknown interface" 2 "xdpdump: no such interface: 'nosuch0'" -- "$DUMP" -i nosuch0
check_error "no interface" 2 "no interface given" -- "$DUMP"
check_error "-c 0" 2 "packet count \(-c\) must be 1 to" -- "$DUMP" -i "$ENV" -c 0
check_error "--snaplen 70000" 2 "snap length must be 1 to 65000" -- "$DUMP" -i "$ENV" -s 70000
check_error "-S with --native-mode" 2 "give only one of" -- "$DUMP" -i "$ENV" -S --native-mode
check_error "-w in a missing directory" 1 "cannot write $scratch/none/x.pcap: No such file" -- \
	"$DUMP" -i "$ENV" -w "$scratch/none/x.pcap"
check_error "not root" 1 "needs root \(or CAP_BPF and CAP_NET_ADMIN\)" -- \
	setpriv --reuid=65534 --regid=65534 --clear-groups "$DUMP" -i "$ENV" -w "$scratch/nobody.pcap"
[ ! -e "$scratch/nobody.pcap" ]
ok $? "not root: no pcap file created"

# A device without native XDP (a bridge): refused with the way out; -S
# (generic mode) works on it.
bridge=t3br$$
if ip link add dev "$bridge" type bridge 2>/dev/null; then
	netenv_on_exit ip link del dev "$bridge"
	check_error "a device without native XDP" 1 \
		"xdpdump: $bridge has no native XDP support: try -S \(--skb-mode\)" -- "$DUMP" -i "$bridge"
	"$DUMP" -i "$bridge" -S >/dev/null 2>&1 &
	DUMP_PID=$!
	netenv_on_exit kill -9 "$DUMP_PID"
	netenv_wait_for 10 generic_xdp_on "$bridge"
	ok $? "-S attaches in generic mode on $bridge"
	netenv_stop "$DUMP_PID"
	ok $? "... and exits 0 on Ctrl-C"
	check "nothing left on $bridge" -- no_xdp_on "$bridge"
else
	skip "a device without native XDP" "cannot make a bridge here"
fi

# Another program on the interface: refused, and it stays; the pcap file
# xdpdump would have written is not created, an old one is not touched.
ip link set dev "$ENV" xdpgeneric obj "$TOP/basic01-xdp-pass/xdp_pass_kern.o" sec xdp
theirs=$(netenv_xdp_prog_id "$ENV")
echo "old content" >"$scratch/old.pcap"
check_error "an interface with an XDP program" 1 \
	"$ENV already has an XDP program \(id $theirs\): xdpdump never replaces one" -- \
	"$DUMP" -i "$ENV" -w "$scratch/new.pcap"
check_error "... also with -S and -w over an old file" 1 "already has an XDP program" -- \
	"$DUMP" -i "$ENV" -S -w "$scratch/old.pcap"
[ "$(netenv_xdp_prog_id "$ENV")" = "$theirs" ] && [ ! -e "$scratch/new.pcap" ] &&
	[ "$(cat "$scratch/old.pcap")" = "old content" ]
ok $? "their program $theirs stays; no new file, the old one untouched"
ip link set dev "$ENV" xdpgeneric off

netenv_done
done_testing
