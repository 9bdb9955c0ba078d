#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# testenv.sh - a tiny network to test XDP programs on.
#
# Each "environment" is one veth pair: the outer end lives in the root
# namespace and carries the environment's name; the inner end, veth0, lives in
# a network namespace of the same name. Traffic sent from inside the namespace
# arrives on the outer interface's ingress, which is where you attach your XDP
# program. Run "testenv.sh help" for the commands.
#
# testenv.sh removes only what it made: setup records the namespace and the
# interface it created and marks them with a token of its own (not only
# their name), the commands that run inside the namespace record their
# process, and teardown acts on those records alone.

set -o pipefail

PROG=testenv.sh
TESTENV_DIR=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
TOP=$(dirname "$TESTENV_DIR")
# Remembers environments between runs; tests point this at a private dir.
STATEDIR=${TESTENV_STATEDIR:-/run/xdp-tutorial-testenv}
BPFFS=/sys/fs/bpf
INNER_IF=veth0
IP6_PREFIX=fc00:dead:cafe	# a /48 from the private fc00::/7 range
VLAN_OBJ=$TESTENV_DIR/vlan_tc_kern.o
LOCKFILE=/run/xdp-tutorial-testenv.lock	# shared by every state dir
# Top-level bpffs directories of iproute2 (tc, ip) and libxdp (xdp): an
# environment's name is also its pin directory, so these are never names.
RESERVED_NAMES="tc xdp ip"

NAME=""		# environment name, from --name or the state dir

usage() {
	cat <<EOF
Usage: $PROG [--name NAME] COMMAND [options]

Commands:
  setup [--legacy-ip] [--vlan]  create an environment (default name xdptut-XXXX)
  teardown                      remove it (namespace, veth pair, pins, state)
                                and stop the commands it runs inside
  reset                         teardown + setup with the same options
  enter                         start a shell inside the namespace
  exec -- CMD [ARGS...]         run CMD inside the namespace
  ping [--legacy-ip] [--vlan] [-- PING-ARGS]
                                ping the outer interface from inside
  tcpdump [--inner] [-- ARGS]   capture on the outer (or inner) interface
  status                        list environments and attached XDP programs
  load [XDP-LOADER-OPTIONS] -- FILE.o
                                attach an XDP program with xdp-loader
  unload [--all | --id ID]      detach it and remove its pinned maps
  stats                         show XDP action counters (xdp_stats)
  alias                         print an alias line to eval in your shell
  help                          show this text

--name is needed only once: the environment set up last is
remembered as the current one. State lives in $STATEDIR
(override with TESTENV_STATEDIR).
EOF
}

# ---------------------------------------------------------------- errors ---
# Every error is one line on stderr: exit 2 for bad usage, 1 for failures.

die() { echo "$PROG: $*" >&2; exit 1; }
usage_error() { echo "$PROG: $*" >&2; exit 2; }
note() { echo "$PROG: $*" >&2; }

bad_arg() {	# bad_arg COMMAND ARG
	case $2 in
	-*) usage_error "unknown option '$2' for '$1' (see '$PROG help')" ;;
	*)  usage_error "unexpected argument '$2' for '$1' (see '$PROG help')" ;;
	esac
}

# parse_flags COMMAND "ALLOWED FLAGS" ARGS...: sets FLAG[--x]=1 for each
# allowed flag given; what follows "--" is left in REST for the command.
declare -A FLAG=()
REST=()
parse_flags() {
	local cmd=$1 allowed=" $2 "
	shift 2
	while [ $# -gt 0 ]; do
		[ "$1" = "--" ] && { shift; REST=("$@"); return; }
		[[ $allowed == *" $1 "* ]] || bad_arg "$cmd" "$1"
		FLAG[$1]=1
		shift
	done
}
flag() { echo "${FLAG[$1]:-0}"; }

need_root() {
	[ "$(id -u)" -eq 0 ] || die "'$1' needs root: run it as root or with sudo"
}

# What is wrong with NAME as an environment name, or nothing. Interface
# names are limited to IFNAMSIZ-1 = 15 bytes; the name is also a directory
# under /sys/fs/bpf, and bpffs refuses names containing '.'.
name_problem() {
	if [ ${#1} -gt 15 ]; then
		echo "name '$1' is too long: at most 15 characters"
	elif ! [[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9_-]*$ ]]; then
		echo "bad name '$1': use only letters, digits, '_' and '-' (not first)"
	elif [[ " $RESERVED_NAMES " == *" $1 "* ]]; then
		echo "name '$1' is reserved: $BPFFS/$1 belongs to iproute2 and libxdp; pick another"
	fi
}

check_name() {	# a name from the command line
	local problem
	problem=$(name_problem "$1")
	[ -z "$problem" ] || usage_error "$problem"
}

# ----------------------------------------------------------------- state ---
# $STATEDIR, readable by its owner only, holds:
#   NAME.env      KEY=VALUE lines: the options NAME was made with, which
#                 objects setup created for it, and the token it marked
#                 them with
#   NAME.pid.PID  the start time of a process testenv runs in NAME's
#                 namespace (ping, exec, enter, tcpdump --inner)
#   current       the name used when --name is not given
# Files are written under a temporary name and renamed into place, so a
# reader never sees half a file and a symlink planted at the name is
# replaced, never written through. Nothing read back is trusted: names are
# checked like command-line names, values must be numbers (the token: 16
# hex digits).

state_file() { echo "$STATEDIR/$1.env"; }

# Create the state dir if asked to; refuse one that others could change.
open_statedir() {	# open_statedir [create]
	local owner mode
	if [ "$1" = create ] && [ ! -e "$STATEDIR" ] && [ ! -L "$STATEDIR" ]; then
		(umask 077 && mkdir -p -- "$STATEDIR") ||
			die "cannot create state dir $STATEDIR"
	fi
	[ -e "$STATEDIR" ] || [ -L "$STATEDIR" ] || return 1
	[ -d "$STATEDIR" ] && [ ! -L "$STATEDIR" ] ||
		die "state dir $STATEDIR is not a directory (or is a symlink): remove it"
	read -r owner mode < <(stat -c '%u %a' -- "$STATEDIR")
	[ "$owner" = "$(id -u)" ] && (( (8#$mode & 8#077) == 0 )) ||
		die "state dir $STATEDIR must be yours and private (mode 700): remove it or chmod 700 it"
}

write_file() {	# write_file PATH TEXT
	local tmp
	tmp=$(mktemp -- "$STATEDIR/.new.XXXXXX") || return 1
	if printf '%s' "$2" >"$tmp" && mv -fT -- "$tmp" "$1"; then
		return 0
	fi
	rm -f -- "$tmp"
	return 1
}

# read_file PATH VAR: VAR := the file's text; false if there is no file.
read_file() {
	[ ! -L "$1" ] || die "$1 is a symlink, which testenv never makes: remove it"
	local _read_file_text	# a name no caller passes as VAR
	[ -f "$1" ] || return 1
	IFS= read -r -d '' _read_file_text <"$1"
	printf -v "$2" '%s' "${_read_file_text%$'\n'}"
}

# The state of the environment being set up or torn down.
# VLAN_8021Q=1: the VLAN addresses are on 802.1Q interfaces (see --vlan).
INDEX="" LEGACY_IP=0 VLAN=0 VLAN_8021Q=0 TOKEN="" NETNS=0 LINK=0 READY=0

save_state() {
	write_file "$(state_file "$NAME")" "$(printf '%s=%s\n' \
		INDEX "$INDEX" LEGACY_IP "$LEGACY_IP" VLAN "$VLAN" VLAN_8021Q "$VLAN_8021Q" \
		TOKEN "$TOKEN" NETNS "$NETNS" LINK "$LINK" READY "$READY")" ||
		die "cannot write the state of '$NAME' to $STATEDIR"
}

# Sets the state variables from NAME's state file; false if it has none.
read_state() {
	local text key val
	read_file "$(state_file "$1")" text || return 1
	INDEX="" LEGACY_IP=0 VLAN=0 VLAN_8021Q=0 TOKEN="" NETNS=0 LINK=0 READY=0
	while IFS='=' read -r key val; do
		case $key in
		INDEX|LEGACY_IP|VLAN|VLAN_8021Q|NETNS|LINK|READY)
			[[ $val =~ ^[0-9]{1,3}$ ]] && printf -v "$key" '%s' "$val" ;;
		TOKEN)	[[ $val =~ ^[0-9a-f]{16}$ ]] && TOKEN=$val ;;
		esac
	done <<<"$text"
	[[ $INDEX =~ ^[0-9]+$ ]] && [ "$INDEX" -ge 1 ] && [ "$INDEX" -le 255 ] ||
		die "state file $(state_file "$1") is damaged: remove it (and what it names) by hand"
	set_addresses "$INDEX"
}

forget_state() {
	local current
	rm -f -- "$(state_file "$NAME")" "$STATEDIR/$NAME".pid.*
	if read_file "$STATEDIR/current" current && [ "$current" = "$NAME" ]; then
		rm -f -- "$STATEDIR/current"
	fi
	return 0
}

# Sets NAME to the current environment, checked like a --name value.
read_current() {
	local problem
	open_statedir && read_file "$STATEDIR/current" NAME ||
		die "no environment: run setup first"
	problem=$(name_problem "$NAME")
	[ -z "$problem" ] ||
		die "$STATEDIR/current is damaged ($problem): remove it"
}

# Pick the environment for commands that work on an existing one: it must
# be in the state dir, and its namespace must be the one setup made.
require_env() {
	[ -n "$NAME" ] || read_current
	open_statedir && read_state "$NAME" ||
		die "no environment named '$NAME' (see '$PROG status'; set one up with '$PROG --name $NAME setup')"
	[ "$READY" = 1 ] ||
		die "environment '$NAME' was never finished (setup was killed): run '$PROG --name $NAME teardown'"
	is_our_netns ||
		die "the namespace of '$NAME' is gone or not the one setup made: run '$PROG --name $NAME reset'"
}

# --------------------------------------------------------- our objects ---
# A name can be reused as soon as its object is gone (and so can a
# namespace's inode number or an ifindex), so setup marks what it makes with
# a random token in an interface alias: on the outer end, and on lo inside
# the namespace. An object with the name but not the token is not ours.

new_token() { od -An -N8 -tx8 /dev/urandom | tr -d ' '; }
mark() { echo "testenv.sh $TOKEN"; }

is_our_netns() {
	[ "$NETNS" = 1 ] && [ -n "$TOKEN" ] && [ -e "/run/netns/$NAME" ] &&
		[[ $(ip -n "$NAME" -o link show dev lo 2>/dev/null) == *"    alias $(mark)" ]]
}

is_our_link() {
	local alias
	[ "$LINK" = 1 ] && [ -n "$TOKEN" ] &&
		read -r alias 2>/dev/null <"/sys/class/net/$NAME/ifalias" &&
		[ "$alias" = "$(mark)" ]
}

# ------------------------------------------------------------- processes ---

# proc_field PID N: field N (3 or more) of /proc/PID/stat, without forking.
proc_field() {
	local stat fields
	read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
	read -ra fields <<<"${stat##*) }"	# the command name may hold spaces
	echo "${fields[$2 - 3]}"
}

alive() {	# alive PID START_TIME: that very process, and not a zombie
	[ "$(proc_field "$1" 22)" = "$2" ] && [ "$(proc_field "$1" 3)" != Z ]
}

# Commands that run inside the namespace replace this shell, keeping its
# pid: record it (and forget processes that have ended) before the exec.
record_process() {
	local f start
	for f in "$STATEDIR/$NAME".pid.*; do
		[ -f "$f" ] && read_file "$f" start && alive "${f##*.}" "$start" ||
			rm -f -- "$f"
	done
	write_file "$STATEDIR/$NAME.pid.$$" "$(proc_field $$ 22)" ||
		die "cannot record this process in $STATEDIR"
}

# OURS := the processes testenv started in NAME's namespace, and what they
# started there in turn; OTHERS := the namespace's other processes.
OURS=() OTHERS=()
find_processes() {
	local f pid start changed
	local -A ours=() parent=()
	for f in "$STATEDIR/$NAME".pid.*; do
		pid=${f##*.}
		[[ $pid =~ ^[0-9]+$ ]] && read_file "$f" start && alive "$pid" "$start" &&
			ours[$pid]=1
	done
	for pid in $(ip netns pids "$NAME" 2>/dev/null); do
		parent[$pid]=$(proc_field "$pid" 4)
	done
	changed=1
	while [ "$changed" = 1 ]; do	# ends: each pass adds a pid or stops
		changed=0
		for pid in "${!parent[@]}"; do
			if [ -z "${ours[$pid]}" ] && [ -n "${parent[$pid]}" ] &&
			   [ -n "${ours[${parent[$pid]}]}" ]; then
				ours[$pid]=1 changed=1
			fi
		done
	done
	OURS=("${!ours[@]}") OTHERS=()
	for pid in "${!parent[@]}"; do
		[ -n "${ours[$pid]}" ] || OTHERS+=("$pid")
	done
}

# HUP ends an interactive shell (enter), TERM most commands; whatever is
# still there after 3 s gets KILL.
stop_processes() {
	local pids=("$@") pid _
	local -A start=()
	[ ${#pids[@]} -gt 0 ] || return 0
	for pid in "${pids[@]}"; do start[$pid]=$(proc_field "$pid" 22); done
	kill -HUP "${pids[@]}" 2>/dev/null
	kill -TERM "${pids[@]}" 2>/dev/null
	for _ in $(seq 30); do
		for pid in "${!start[@]}"; do
			alive "$pid" "${start[$pid]}" || unset "start[$pid]"
		done
		[ ${#start[@]} -eq 0 ] && return 0
		sleep 0.1
	done
	kill -KILL "${!start[@]}" 2>/dev/null
}

# ------------------------------------------------------------- addresses ---
# Environment K (1..255) gets:
#   fc00:dead:cafe:K::/64   (K in hex)  outer ::1, inner ::2
#   10.11.K.0/24            (--legacy-ip) outer .1, inner .2
# and with --vlan a second, "tagged" set that vlan_tc_kern.c recognises:
#   fc00:dead:cafe:1KK::/64  and  10.12.K.0/24 (--legacy-ip)

set_addresses() {
	local k=$1 net6 vnet6
	net6=$(printf '%s:%x::' "$IP6_PREFIX" "$k")
	vnet6=$(printf '%s:%x::' "$IP6_PREFIX" $((0x100 + k)))
	OUTER6=${net6}1 INNER6=${net6}2
	OUTER4=10.11.$k.1 INNER4=10.11.$k.2
	VOUTER6=${vnet6}1 VINNER6=${vnet6}2
	VOUTER4=10.12.$k.1 VINNER4=10.12.$k.2
}

# The lowest K whose outer address is not on any interface yet. Asking the
# kernel instead of a counter file means two state dirs never collide.
pick_index() {
	local used k
	used=$(ip -6 -o addr show | awk '{ print $4 }')
	for k in $(seq 1 255); do
		set_addresses "$k"
		grep -qxF "$OUTER6/64" <<<"$used" || { echo "$k"; return 0; }
	done
	return 1
}

# --------------------------------------------------------------- helpers ---

# libxdp and pinning need bpffs; a fresh machine may not have it mounted.
mount_bpffs() {
	mountpoint -q "$BPFFS" && return 0
	mount -t bpf bpf "$BPFFS" || die "cannot mount bpffs on $BPFFS"
	note "mounted bpffs on $BPFFS"
}

# The environment's pin directory, if it is a real directory on bpffs.
pin_dir() {
	local dir=$BPFFS/$NAME
	[ -d "$dir" ] && [ ! -L "$dir" ] &&
		[ "$(stat -f -c %T -- "$dir")" = bpf_fs ] && echo "$dir"
}

# Replace this script by a command run inside the namespace, recorded so
# that teardown can stop it. "ip netns exec" gives the command its own mount
# namespace and a fresh /sys, so bpffs is mounted again in there; that mount
# (and anything pinned in it) goes away when the command ends.
exec_in_netns() {
	record_process
	exec ip netns exec "$NAME" sh -c \
		'mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf; exec "$@"' \
		sh "$@"
}

# xdp-loader 1.3 can fail with "Unable to read PID from lockfile" when two
# copies start at the same moment (parallel tests): take turns.
xdp_loader() { flock "$LOCKFILE" xdp-loader "$@"; }

# Run "$@"; on failure die with its error output folded into one line.
try() {
	local out
	out=$("$@" 2>&1) || die "'$*' failed: ${out//$'\n'/ }"
}

# Without DAD a new address is usable at once, so the very first ping is
# answered; there is nobody else on this link to clash with anyway.
# (Written to /proc/sys directly: sysctl is not on every minimal system.)
no_dad() {	# no_dad IFACE [NETNS]
	local conf=/proc/sys/net/ipv6/conf/$1
	try ${2:+ip netns exec "$2"} sh -c \
		"echo 0 > $conf/accept_dad && echo 0 > $conf/disable_ipv6"
}

# Wait (at most 5 s) until both ends have a link-local address and none of
# their IPv6 addresses is tentative (still being checked for duplicates).
settled() { [ -n "$(ip "$@" scope link)" ] && [ -z "$(ip "$@" tentative)" ]; }
wait_ipv6_ready() {
	local _
	for _ in $(seq 50); do
		settled -6 addr show dev "$NAME" &&
			settled -n "$NAME" -6 addr show dev "$INNER_IF" &&
			{ [ "$VLAN_8021Q" = 0 ] ||
			  { settled -6 addr show dev "$NAME.$VLAN_ID" &&
			    settled -n "$NAME" -6 addr show dev "$INNER_IF.$VLAN_ID"; }; } &&
			return 0
		sleep 0.1
	done
	die "IPv6 addresses on $NAME are still not ready after 5 s"
}

# ------------------------------------------------------- removing an env ---

# Remove what the state says testenv made for NAME, and nothing else: the
# processes it started in the namespace, the XDP programs on its interface,
# the interface, the namespace, the pin directory, the state.
remove_env() {
	if is_our_netns; then
		find_processes
		stop_processes "${OURS[@]}"
		[ ${#OTHERS[@]} -eq 0 ] ||
			note "processes testenv did not start still run in namespace '$NAME' (pids ${OTHERS[*]}): left alone"
	fi
	if is_our_link; then
		# Detach through libxdp first: with its multi-program dispatcher
		# it keeps state in bpffs that deleting the interface would leave.
		if ip -o link show dev "$NAME" | grep -q 'prog/xdp' &&
		   mountpoint -q "$BPFFS"; then
			xdp_loader unload --all "$NAME" >/dev/null 2>&1
		fi
		ip link del dev "$NAME" 2>/dev/null	# takes veth0 along
	elif [ "$LINK" = 1 ] && [ -e "/sys/class/net/$NAME" ]; then
		note "interface '$NAME' is not the one setup made: left alone"
	fi
	if is_our_netns; then
		ip netns del "$NAME" 2>/dev/null
	elif [ "$NETNS" = 1 ] && [ -e "/run/netns/$NAME" ]; then
		note "namespace '$NAME' is not the one setup made: left alone"
	fi
	# Maps pinned for the interface (testenv load, the lessons' loaders).
	# The directory did not exist when setup made the interface.
	[ -z "$(pin_dir)" ] || rm -rf --one-file-system -- "${BPFFS:?}/$NAME"
	forget_state
}

# ----------------------------------------------------------------- setup ---

add_addresses() {	# add_addresses OUTER INNER PREFIXLEN [.VLAN]
	try ip addr add "$1/$3" dev "$NAME${4:-}"
	try ip -n "$NAME" addr add "$2/$3" dev "$INNER_IF${4:-}"
}

# --vlan. Where the kernel has 802.1Q, a VLAN interface on each end
# (NAME.1 outside, veth0.1 inside) carries the VLAN addresses. Where it has
# not (no 8021q module), tc programs from vlan_tc_kern.c tag and untag the
# frames sent to those addresses on the plain veth ends instead. Either
# way the XDP program on NAME sees 802.1Q-tagged frames.
VLAN_ID=1
have_8021q() { modprobe -q 8021q 2>/dev/null; [ -d /proc/net/vlan ]; }

add_vlan_interfaces() {
	try ip link add link "$NAME" name "$NAME.$VLAN_ID" type vlan id "$VLAN_ID"
	try ip -n "$NAME" link add link "$INNER_IF" name "$INNER_IF.$VLAN_ID" \
		type vlan id "$VLAN_ID"
	# The tags go into the frames themselves, not beside them as offload
	# metadata, which an XDP program does not see.
	try ip netns exec "$NAME" ethtool -K "$INNER_IF" txvlan off
	try ethtool -K "$NAME" txvlan off
	no_dad "$INNER_IF.$VLAN_ID" "$NAME"
	no_dad "$NAME.$VLAN_ID"
}

attach_vlan_programs() {
	try ip netns exec "$NAME" tc qdisc add dev "$INNER_IF" clsact
	try ip netns exec "$NAME" tc filter add dev "$INNER_IF" egress \
		bpf direct-action obj "$VLAN_OBJ" sec tc/vlan_push
	try tc qdisc add dev "$NAME" clsact
	try tc filter add dev "$NAME" ingress \
		bpf direct-action obj "$VLAN_OBJ" sec tc/vlan_pop
}

print_summary() {
	echo "Environment '$NAME' is ready and is now the current one."
	echo "  outer: $NAME (root namespace)   $OUTER6/64"
	echo "  inner: $INNER_IF in namespace $NAME  $INNER6/64"
	[ "$LEGACY_IP" = 1 ] && echo "  IPv4:  outer $OUTER4/24, inner $INNER4/24"
	if [ "$VLAN_8021Q" = 1 ]; then
		echo "  VLAN 1 on 802.1Q interfaces $NAME.$VLAN_ID and $INNER_IF.$VLAN_ID: outer $VOUTER6, inner $VINNER6"
		[ "$LEGACY_IP" = 1 ] && echo "         IPv4: outer $VOUTER4, inner $VINNER4"
	elif [ "$VLAN" = 1 ]; then
		echo "  VLAN 1 (no 802.1Q in this kernel: tagged by tc programs from inside): outer $VOUTER6, inner $VINNER6"
		[ "$LEGACY_IP" = 1 ] && echo "         IPv4: outer $VOUTER4, inner $VINNER4"
	fi
	echo "Next: '$PROG ping' sends pings that arrive on $NAME's ingress;"
	echo "      '$PROG load -- FILE.o' attaches an XDP program there."
}

# Refuse a name that anything else already uses.
check_name_free() {
	local state
	state=$(state_file "$NAME")
	[ ! -L "$state" ] || die "$state is a symlink, which testenv never makes: remove it"
	[ ! -e "$state" ] || die "environment '$NAME' already exists: use it, or teardown first"
	[ ! -e "/run/netns/$NAME" ] ||
		die "a namespace named '$NAME' exists that testenv did not make: pick another name"
	[ ! -e "/sys/class/net/$NAME" ] ||
		die "an interface named '$NAME' already exists: pick another name"
	[ "$VLAN_8021Q" = 0 ] || [ ! -e "/sys/class/net/$NAME.$VLAN_ID" ] ||
		die "an interface named '$NAME.$VLAN_ID' already exists: pick another name"
	if mountpoint -q "$BPFFS" && { [ -e "$BPFFS/$NAME" ] || [ -L "$BPFFS/$NAME" ]; }; then
		die "$BPFFS/$NAME exists and testenv did not make it: pick another name"
	fi
}

# mark_or_undo UNDO CMD...: mark what was just made with CMD; if that
# fails, call UNDO to remove it (unmarked, nothing else would).
mark_or_undo() {
	local undo=$1 out
	shift
	out=$("$@" 2>&1) && return 0
	"$undo"
	die "'$*' failed: ${out//$'\n'/ }"
}
del_netns() { ip netns del "$NAME" 2>/dev/null; }
del_link() { ip link del dev "$NAME" 2>/dev/null; }

# Create the namespace and the veth pair and set them up, recording each
# object in NAME's state as soon as it exists. Runs as a child that ignores
# INT, TERM and HUP (and so do the commands it runs): every step runs to
# its end and is recorded before the next one starts.
create_env() {
	trap '' INT TERM HUP
	save_state
	try ip netns add "$NAME"
	mark_or_undo del_netns ip -n "$NAME" link set dev lo alias "$(mark)"
	NETNS=1
	save_state
	try ip link add dev "$NAME" type veth peer name "$INNER_IF" netns "$NAME"
	mark_or_undo del_link ip link set dev "$NAME" alias "$(mark)"
	LINK=1
	save_state

	no_dad "$INNER_IF" "$NAME"
	no_dad "$NAME"
	add_addresses "$OUTER6" "$INNER6" 64
	[ "$LEGACY_IP" = 1 ] && add_addresses "$OUTER4" "$INNER4" 24
	if [ "$VLAN_8021Q" = 1 ]; then
		add_vlan_interfaces
		add_addresses "$VOUTER6" "$VINNER6" 64 ".$VLAN_ID"
		[ "$LEGACY_IP" = 1 ] && add_addresses "$VOUTER4" "$VINNER4" 24 ".$VLAN_ID"
	elif [ "$VLAN" = 1 ]; then
		add_addresses "$VOUTER6" "$VINNER6" 64
		[ "$LEGACY_IP" = 1 ] && add_addresses "$VOUTER4" "$VINNER4" 24
		attach_vlan_programs
	fi
	try ip -n "$NAME" link set dev lo up
	try ip -n "$NAME" link set dev "$INNER_IF" up
	try ip link set dev "$NAME" up
	if [ "$VLAN_8021Q" = 1 ]; then	# (only once the veth ends are up)
		try ip -n "$NAME" link set dev "$INNER_IF.$VLAN_ID" up
		try ip link set dev "$NAME.$VLAN_ID" up
	fi
	wait_ipv6_ready
	READY=1
	save_state
}

# A signal during setup is noted while create_env runs; then what the state
# records is removed. (The shell only waits meanwhile: bash 5.2 can garble a
# trap that runs while it expands a $(...) in the main script.)
do_setup() {	# do_setup LEGACY_IP VLAN; NAME is set
	local interrupted="" child rc
	LEGACY_IP=$1 VLAN=$2 VLAN_8021Q=0 TOKEN=$(new_token) NETNS=0 LINK=0 READY=0
	if [ "$VLAN" = 1 ]; then
		[ ${#NAME} -le 13 ] ||
			usage_error "with --vlan a name has at most 13 characters ($NAME.$VLAN_ID names its VLAN interface)"
		if have_8021q; then
			VLAN_8021Q=1
		elif [ ! -r "$VLAN_OBJ" ]; then
			die "--vlan on a kernel without 802.1Q needs $VLAN_OBJ: run make first (in $TOP)"
		fi
	fi
	open_statedir create
	# Two setups at once (tests run in parallel) must not pick one index
	# or one name.
	{ exec 9>"$LOCKFILE" && flock 9; } || die "cannot lock $LOCKFILE"
	check_name_free
	INDEX=$(pick_index) || die "all 255 address blocks are in use: teardown some environments"
	set_addresses "$INDEX"

	trap 'interrupted=129' HUP
	trap 'interrupted=130' INT
	trap 'interrupted=143' TERM
	create_env &
	child=$!
	# wait returns early (above 128) when a trap ran; wait again until
	# the child itself has ended.
	until wait "$child"; rc=$?; [ "$rc" -le 128 ] || ! kill -0 "$child" 2>/dev/null; do
		:
	done
	trap '' HUP INT TERM	# from here on: finish, or remove it all
	if [ "$rc" -ne 0 ] || [ -n "$interrupted" ]; then
		[ -z "$interrupted" ] || note "setup of '$NAME' interrupted: removing what it made"
		read_state "$NAME" && remove_env
		exit "${interrupted:-1}"
	fi
	read_state "$NAME"
	write_file "$STATEDIR/current" "$NAME" ||
		note "cannot write $STATEDIR/current: give --name to every command"
	exec 9>&-
	print_summary	# still ignoring signals: a kill now must not say "failed"
}

cmd_setup() {
	parse_flags setup "--legacy-ip --vlan" "$@"
	[ ${#REST[@]} -eq 0 ] || bad_arg setup "${REST[0]}"
	need_root setup
	[ -n "$NAME" ] || NAME=$(printf 'xdptut-%04x' $(((RANDOM << 1 ^ RANDOM) & 0xffff)))
	do_setup "$(flag --legacy-ip)" "$(flag --vlan)"
}

# -------------------------------------------------------------- teardown ---

cmd_teardown() {
	[ $# -eq 0 ] || bad_arg teardown "$1"
	need_root teardown
	[ -n "$NAME" ] || read_current
	open_statedir && read_state "$NAME" ||
		die "no environment named '$NAME' in $STATEDIR: testenv removes only what it made (see '$PROG status')"
	trap '' HUP INT TERM	# a removal done half is worse than a slow one
	remove_env
	echo "Environment '$NAME' removed."
}

cmd_reset() {
	[ $# -eq 0 ] || bad_arg reset "$1"
	need_root reset
	require_env
	trap '' HUP INT TERM
	remove_env
	trap - HUP INT TERM
	do_setup "$LEGACY_IP" "$VLAN"
}

# ---------------------------------------------------- using an environment ---

cmd_enter() {
	[ $# -eq 0 ] || bad_arg enter "$1"
	need_root enter
	require_env
	echo "Entering namespace '$NAME' ($INNER_IF is its interface); 'exit' to leave." >&2
	exec_in_netns "${SHELL:-/bin/bash}"
}

cmd_exec() {
	[ "$1" = "--" ] && shift
	[ $# -gt 0 ] || usage_error "exec needs a command: $PROG exec -- CMD [ARGS...]"
	need_root exec
	require_env
	exec_in_netns "$@"
}

# Ping the outer end from inside, so the echo requests arrive on the outer
# interface's ingress, where the XDP program under test sits.
cmd_ping() {
	local dst
	parse_flags ping "--legacy-ip --vlan" "$@"
	need_root ping
	require_env
	[ "$(flag --legacy-ip)" = 0 ] || [ "$LEGACY_IP" = 1 ] ||
		die "'$NAME' has no IPv4 addresses: set it up with --legacy-ip"
	[ "$(flag --vlan)" = 0 ] || [ "$VLAN" = 1 ] ||
		die "'$NAME' has no VLAN addresses: set it up with --vlan"
	case $(flag --legacy-ip)$(flag --vlan) in
	00) dst=$OUTER6 ;; 10) dst=$OUTER4 ;;
	01) dst=$VOUTER6 ;; 11) dst=$VOUTER4 ;;
	esac
	exec_in_netns ping "${REST[@]}" "$dst"
}

cmd_tcpdump() {
	parse_flags tcpdump "--inner" "$@"
	need_root tcpdump
	require_env
	if [ "$(flag --inner)" = 1 ]; then
		exec_in_netns tcpdump -i "$INNER_IF" "${REST[@]}"
	else
		exec tcpdump -i "$NAME" "${REST[@]}"
	fi
}

cmd_status() {
	local current="" f
	[ $# -eq 0 ] || bad_arg status "$1"
	need_root status
	if open_statedir; then
		read_file "$STATEDIR/current" current
		[ -z "$(name_problem "$current")" ] || current=""
	fi
	echo "Current environment: ${current:-none}"
	for f in "$STATEDIR"/*.env; do
		[ -e "$f" ] || { echo "No environments (in $STATEDIR)."; break; }
		NAME=$(basename "$f" .env)
		[ -z "$(name_problem "$NAME")" ] && read_state "$NAME" || continue
		printf '  %-15s %s <-> %s' "$NAME" "$OUTER6" "$INNER6"
		[ "$LEGACY_IP" = 1 ] && printf '  %s <-> %s' "$OUTER4" "$INNER4"
		[ "$VLAN" = 1 ] && printf '  vlan %s' "$VOUTER6"
		[ "$VLAN_8021Q" = 1 ] && printf ' on %s' "$NAME.$VLAN_ID"
		[ "$READY" = 1 ] || printf '  (setup never finished!)'
		is_our_netns || printf '  (namespace missing!)'
		echo
	done
	if [ -n "$current" ] && ip link show dev "$current" >/dev/null 2>&1; then
		mount_bpffs
		echo
		xdp_loader status "$current"
	fi
}

cmd_alias() {
	local sudo=""
	[ $# -eq 0 ] || bad_arg alias "$1"
	[ "$(id -u)" -eq 0 ] || sudo="sudo "
	echo "alias t='$sudo$TESTENV_DIR/$PROG'"
	echo "# eval \"\$($TESTENV_DIR/$PROG alias)\" to use 't' as a short name" >&2
}

# ------------------------------------------------------------ XDP programs ---

cmd_load() {
	local opts=() obj=""
	while [ $# -gt 0 ]; do
		if [ "$1" = "--" ]; then
			[ $# -eq 2 ] || usage_error "load takes one object file after '--'"
			obj=$2
			break
		fi
		opts+=("$1")
		shift
	done
	# Without "--", accept a last argument that looks like an object file.
	if [ -z "$obj" ] && [ ${#opts[@]} -gt 0 ] && [[ ${opts[-1]} == *.o ]]; then
		obj=${opts[-1]}
		unset 'opts[-1]'
	fi
	[ -n "$obj" ] || usage_error "load needs an object file: $PROG load [xdp-loader options] -- FILE.o"
	[ -f "$obj" ] || die "object file '$obj' not found"
	need_root load
	require_env
	mount_bpffs
	# Maps go under /sys/fs/bpf/NAME, where xdp_stats looks for them.
	[ ! -L "$BPFFS/$NAME" ] ||
		die "$BPFFS/$NAME is a symlink: testenv pins only into a directory of its own; remove it"
	mkdir -p "$BPFFS/$NAME" || die "cannot create $BPFFS/$NAME"
	load_xdp_program "$obj" "${opts[@]}" && return
	rmdir "$BPFFS/$NAME" 2>/dev/null	# do not leave an empty pin dir
	exit 1
}

# A kernel with the check of Linux 6.13 (Debian's 6.12 has it too) refuses
# an extension that changes packet data (bpf_xdp_adjust_head and the like)
# in place of a function that does not, and libxdp 1.3's dispatcher slots
# do not; later libxdp marks them (xdp-tools pull request 509). Until then,
# such a program is loaded alone, and the learner is told.
REFUSED_EXTENSION="Extension program changes packet data, while original does not"

load_xdp_program() {	# load_xdp_program OBJ [XDP-LOADER-OPTIONS]
	local args=(--pin-path "$BPFFS/$NAME" "${@:2}" "$NAME" "$1") err log
	{ err=$(xdp_loader load "${args[@]}" 2>&1 >&3 3>&-); } 3>&1 && return
	# The kernel's reason for an EINVAL is in its log, which xdp-loader
	# shows only with -vv.
	if [[ $err == *"Invalid argument"* ]]; then
		log=$(xdp_loader load -vv "${args[@]}" 2>&1) && return
	fi
	if [[ $log != *"$REFUSED_EXTENSION"* ]]; then
		printf '%s\n' "$err" >&2
		return 1
	fi
	if [ -n "$(attached_programs)" ]; then
		note "this kernel refuses a program that changes packet data in a slot of libxdp's dispatcher, and $NAME has other programs: unload them to load it alone"
		return 1
	fi
	note "this kernel refuses a program that changes packet data in a slot of libxdp's dispatcher: loading it alone (LIBXDP_SKIP_DISPATCHER=1)"
	LIBXDP_SKIP_DISPATCHER=1 xdp_loader load "${args[@]}"
}

# The XDP programs attached to NAME, as "NAME (id ID)", comma-separated:
# from xdp-loader status, the dispatcher's programs or the one program.
attached_programs() {
	xdp_loader status "$NAME" 2>/dev/null | awk -v dev="$NAME" '
		$1 == dev && $2 != "xdp_dispatcher" && $4 ~ /^[0-9]+$/ { p = p sep $2 " (id " $4 ")"; sep = ", " }
		$1 == "=>" && $4 ~ /^[0-9]+$/ { p = p sep $3 " (id " $4 ")"; sep = ", " }
		END { print p }'
}

cmd_unload() {
	local what=(--all) progs
	while [ $# -gt 0 ]; do
		case $1 in
		--all) what=(--all) ;;
		--id) [ $# -ge 2 ] || usage_error "--id needs a program id"
		      [[ $2 =~ ^[1-9][0-9]{0,9}$ ]] && [ "$2" -le 4294967295 ] ||
			usage_error "--id needs a decimal program id from 1 to 4294967295, not '$2'"
		      what=(--id "$2"); shift ;;
		*) bad_arg unload "$1" ;;
		esac
		shift
	done
	need_root unload
	require_env
	mount_bpffs
	progs=$(attached_programs)
	if [ -z "$progs" ] && [ "${what[0]}" = --all ]; then
		echo "No XDP program was attached to $NAME."
	else
		xdp_loader unload "$NAME" "${what[@]}" || exit
		if [ "${what[0]}" = --all ]; then
			echo "Detached $progs from $NAME."
		else
			echo "Detached the XDP program with id ${what[1]} from $NAME."
		fi
	fi
	# The maps pinned at load time would otherwise outlive the program.
	if [ -n "$(pin_dir)" ]; then
		rm -rf --one-file-system -- "${BPFFS:?}/$NAME"
		echo "Removed the pin directory $BPFFS/$NAME (maps pinned at load)."
	fi
}

cmd_stats() {
	local stats=$TOP/basic-solutions/basic04-pinning-maps/xdp_stats
	[ "$1" = "--" ] && shift
	[ -x "$stats" ] || die "xdp_stats not built: run make in $TOP"
	need_root stats
	require_env
	mount_bpffs
	exec "$stats" --dev "$NAME" "$@"
}

# ------------------------------------------------------------------- main ---

# --name may come before or after the command; everything else is handed to
# the command in order. Nothing after "--" is looked at.
main() {
	local cmd="" args=()
	while [ $# -gt 0 ]; do
		case $1 in
		--) args+=("$@"); break ;;
		--name) [ $# -ge 2 ] || usage_error "--name needs a value"
			NAME=$2; shift ;;
		--name=*) NAME=${1#--name=} ;;
		-h|--help) cmd=help ;;
		-*) args+=("$1") ;;
		*) if [ -z "$cmd" ]; then cmd=$1; else args+=("$1"); fi ;;
		esac
		shift
	done
	[ -z "$NAME" ] || check_name "$NAME"

	case $cmd in
	setup|teardown|reset|enter|exec|ping|tcpdump|status|alias|load|unload|stats)
		"cmd_$cmd" "${args[@]}" ;;
	help) usage ;;
	"") usage_error "no command given (see '$PROG help')" ;;
	*) usage_error "unknown command '$cmd' (see '$PROG help')" ;;
	esac
}

main "$@"
