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

NAME=""		# environment name, from --name or the state dir

usage() {
	cat <<EOF
Usage: $PROG [--name NAME] COMMAND [options]

Commands:
  setup [--legacy-ip] [--vlan]  create an environment (default name xdptut-XXXX)
  teardown                      remove it (namespace, veth pair, pins, state)
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
	[ "$(id -u)" -eq 0 ] || die "'$1' needs root: run it with sudo"
}

# Interface names are limited to IFNAMSIZ-1 = 15 bytes. The name is also a
# directory under /sys/fs/bpf, and bpffs refuses names containing '.'.
check_name() {
	[ ${#1} -le 15 ] ||
		usage_error "name '$1' is too long: at most 15 characters"
	[[ $1 =~ ^[A-Za-z0-9_][A-Za-z0-9_-]*$ ]] ||
		usage_error "bad name '$1': use only letters, digits, '_' and '-' (not first)"
}

# ----------------------------------------------------------------- state ---
# $STATEDIR/current holds the current name; $STATEDIR/NAME.env holds KEY=VALUE
# lines with the options the environment was made with.

state_file() { echo "$STATEDIR/$1.env"; }

save_state() {	# save_state NAME INDEX LEGACY_IP VLAN
	mkdir -p "$STATEDIR" || die "cannot create state dir $STATEDIR"
	printf 'INDEX=%s\nLEGACY_IP=%s\nVLAN=%s\n' "$2" "$3" "$4" \
		>"$(state_file "$1")" && echo "$1" >"$STATEDIR/current"
}

# Sets INDEX, LEGACY_IP and VLAN from NAME's state file (parsed, not
# sourced: we only trust the three keys we wrote).
read_state() {
	local key val f
	f=$(state_file "$1")
	[ -r "$f" ] || die "no state for environment '$1' in $STATEDIR: run '$PROG --name $1 reset'"
	INDEX="" LEGACY_IP=0 VLAN=0
	while IFS='=' read -r key val; do
		case $key in
		INDEX|LEGACY_IP|VLAN) [[ $val =~ ^[0-9]+$ ]] && printf -v "$key" '%s' "$val" ;;
		esac
	done <"$f"
	[ -n "$INDEX" ] || die "state file $f is damaged: run '$PROG --name $1 reset'"
	set_addresses "$INDEX"
}

forget_state() {
	rm -f "$(state_file "$1")"
	[ "$(cat "$STATEDIR/current" 2>/dev/null)" = "$1" ] && rm -f "$STATEDIR/current"
	return 0
}

env_exists() { [ -e "/run/netns/$1" ] || ip link show dev "$1" >/dev/null 2>&1; }

# Pick the environment for commands that work on an existing one.
require_env() {
	if [ -z "$NAME" ]; then
		NAME=$(cat "$STATEDIR/current" 2>/dev/null)
		[ -n "$NAME" ] || die "no environment: run setup first"
	fi
	[ -e "/run/netns/$NAME" ] ||
		die "no environment named '$NAME': run '$PROG --name $NAME setup' first"
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
	echo "$PROG: mounted bpffs on $BPFFS" >&2
}

# Replace this script by a command run inside the namespace. "ip netns exec"
# gives the command its own mount namespace and a fresh /sys, so bpffs is
# mounted again in there; that mount (and anything pinned in it) goes away
# when the command ends.
exec_in_netns() {
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
			settled -n "$NAME" -6 addr show dev "$INNER_IF" && return 0
		sleep 0.1
	done
	die "IPv6 addresses on $NAME are still not ready after 5 s"
}

# ----------------------------------------------------------------- setup ---

# If setup fails half-way, remove what this run created (and nothing else).
SETUP_MADE_NS=0
undo_setup() {
	[ "$SETUP_MADE_NS" = 1 ] || return 0
	ip netns del "$NAME" 2>/dev/null	# takes veth0, and so its peer, along
	ip link del dev "$NAME" 2>/dev/null
	forget_state "$NAME"
}

add_addresses() {	# add_addresses OUTER INNER PREFIXLEN
	try ip addr add "$1/$3" dev "$NAME"
	try ip -n "$NAME" addr add "$2/$3" dev "$INNER_IF"
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
	if [ "$VLAN" = 1 ]; then
		echo "  VLAN 1 (tagged from inside): outer $VOUTER6, inner $VINNER6"
		[ "$LEGACY_IP" = 1 ] && echo "         IPv4: outer $VOUTER4, inner $VINNER4"
	fi
	echo "Next: '$PROG ping' sends pings that arrive on $NAME's ingress;"
	echo "      '$PROG load -- FILE.o' attaches an XDP program there."
}

do_setup() {	# do_setup LEGACY_IP VLAN; NAME is set
	LEGACY_IP=$1 VLAN=$2
	if [ -e "/run/netns/$NAME" ]; then
		die "environment '$NAME' already exists (namespace $NAME): pick another name or teardown"
	fi
	ip link show dev "$NAME" >/dev/null 2>&1 &&
		die "an interface named '$NAME' already exists: pick another name"
	if [ "$VLAN" = 1 ] && [ ! -r "$VLAN_OBJ" ]; then
		die "--vlan needs $VLAN_OBJ: run make first (in $TOP)"
	fi
	# Two setups at once (tests run in parallel) must not pick one index.
	{ exec 9>"$LOCKFILE" && flock 9; } || die "cannot lock $LOCKFILE"
	INDEX=$(pick_index) || die "all 255 address blocks are in use: teardown some environments"
	set_addresses "$INDEX"

	trap undo_setup EXIT
	trap 'exit 130' INT TERM	# so that Ctrl-C also runs undo_setup
	try ip netns add "$NAME"
	SETUP_MADE_NS=1
	try ip link add dev "$NAME" type veth peer name "$INNER_IF" netns "$NAME"
	no_dad "$INNER_IF" "$NAME"
	no_dad "$NAME"

	add_addresses "$OUTER6" "$INNER6" 64
	[ "$LEGACY_IP" = 1 ] && add_addresses "$OUTER4" "$INNER4" 24
	if [ "$VLAN" = 1 ]; then
		add_addresses "$VOUTER6" "$VINNER6" 64
		[ "$LEGACY_IP" = 1 ] && add_addresses "$VOUTER4" "$VINNER4" 24
		attach_vlan_programs
	fi

	try ip -n "$NAME" link set dev lo up
	try ip -n "$NAME" link set dev "$INNER_IF" up
	try ip link set dev "$NAME" up
	wait_ipv6_ready

	save_state "$NAME" "$INDEX" "$LEGACY_IP" "$VLAN" ||
		die "cannot write state to $STATEDIR"
	trap - EXIT INT TERM
	print_summary
}

cmd_setup() {
	parse_flags setup "--legacy-ip --vlan" "$@"
	[ ${#REST[@]} -eq 0 ] || bad_arg setup "${REST[0]}"
	need_root setup
	[ -n "$NAME" ] || NAME=$(printf 'xdptut-%04x' $(((RANDOM << 1 ^ RANDOM) & 0xffff)))
	do_setup "$(flag --legacy-ip)" "$(flag --vlan)"
}

# -------------------------------------------------------------- teardown ---

do_teardown() {
	# Detach XDP through libxdp first: with its multi-program dispatcher it
	# keeps state in bpffs that deleting the interface would leave behind.
	if ip -o link show dev "$NAME" 2>/dev/null | grep -q 'prog/xdp' &&
	   mountpoint -q "$BPFFS"; then
		xdp_loader unload --all "$NAME" >/dev/null 2>&1
	fi
	ip netns del "$NAME" 2>/dev/null
	ip link del dev "$NAME" 2>/dev/null	# gone already if the ns was there
	mountpoint -q "$BPFFS" && rm -rf -- "${BPFFS:?}/$NAME"
	forget_state "$NAME"
}

cmd_teardown() {
	[ $# -eq 0 ] || bad_arg teardown "$1"
	need_root teardown
	if [ -z "$NAME" ]; then
		NAME=$(cat "$STATEDIR/current" 2>/dev/null)
		[ -n "$NAME" ] || die "no environment: run setup first"
	fi
	if ! env_exists "$NAME" && [ ! -e "$(state_file "$NAME")" ]; then
		die "teardown: no environment named '$NAME' (see '$PROG status')"
	fi
	do_teardown
	echo "Environment '$NAME' removed."
}

cmd_reset() {
	[ $# -eq 0 ] || bad_arg reset "$1"
	need_root reset
	require_env
	read_state "$NAME"
	do_teardown
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
	read_state "$NAME"
	[ "$(flag --legacy-ip)" = 0 ] || [ "$LEGACY_IP" = 1 ] ||
		die "'$NAME' has no IPv4 addresses: set it up with --legacy-ip"
	[ "$(flag --vlan)" = 0 ] || [ "$VLAN" = 1 ] ||
		die "'$NAME' has no VLAN addresses: set it up with --vlan"
	case $(flag --legacy-ip)$(flag --vlan) in
	00) dst=$OUTER6 ;; 10) dst=$OUTER4 ;;
	01) dst=$VOUTER6 ;; 11) dst=$VOUTER4 ;;
	esac
	exec ip netns exec "$NAME" ping "${REST[@]}" "$dst"
}

cmd_tcpdump() {
	parse_flags tcpdump "--inner" "$@"
	need_root tcpdump
	require_env
	if [ "$(flag --inner)" = 1 ]; then
		exec ip netns exec "$NAME" tcpdump -i "$INNER_IF" "${REST[@]}"
	else
		exec tcpdump -i "$NAME" "${REST[@]}"
	fi
}

cmd_status() {
	local current f n
	[ $# -eq 0 ] || bad_arg status "$1"
	need_root status
	current=$(cat "$STATEDIR/current" 2>/dev/null)
	echo "Current environment: ${current:-none}"
	for f in "$STATEDIR"/*.env; do
		[ -e "$f" ] || { echo "No environments (in $STATEDIR)."; break; }
		n=$(basename "$f" .env)
		read_state "$n"
		printf '  %-15s %s <-> %s' "$n" "$OUTER6" "$INNER6"
		[ "$LEGACY_IP" = 1 ] && printf '  %s <-> %s' "$OUTER4" "$INNER4"
		[ "$VLAN" = 1 ] && printf '  vlan %s' "$VOUTER6"
		[ -e "/run/netns/$n" ] || printf '  (namespace missing!)'
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
	mkdir -p "$BPFFS/$NAME" || die "cannot create $BPFFS/$NAME"
	if ! xdp_loader load --pin-path "$BPFFS/$NAME" "${opts[@]}" "$NAME" "$obj"; then
		rmdir "$BPFFS/$NAME" 2>/dev/null	# do not leave an empty pin dir
		exit 1
	fi
}

cmd_unload() {
	local what=(--all)
	while [ $# -gt 0 ]; do
		case $1 in
		--all) what=(--all) ;;
		--id) [ $# -ge 2 ] || usage_error "--id needs a program id"
		      what=(--id "$2"); shift ;;
		*) bad_arg unload "$1" ;;
		esac
		shift
	done
	need_root unload
	require_env
	mount_bpffs
	xdp_loader unload "$NAME" "${what[@]}" || exit
	# The maps pinned at load time would otherwise outlive the program.
	rm -rf -- "${BPFFS:?}/$NAME"
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
