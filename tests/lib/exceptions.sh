# SPDX-License-Identifier: GPL-2.0
# Helpers for tracing01-xdp-exception's tests and checks: run
# trace_load_and_stats, read the count it prints for an interface, and hold
# it against an oracle that does not go through the tool: the interface's
# own rx_packets counter (while an XDP program that aborts is attached,
# every packet that arrives is one exception there).
#
#   exc_env NAME                  a testenv environment NAME (private state
#                                 dir), whose inner end knows the outer MAC
#                                 (so every ping is sent); removed at exit.
#                                 Its outer ifindex in EXC_IFINDEX
#   exc_load ENV DIR PROG         attach DIR/xdp_prog_kern.o's PROG to ENV
#   exc_unload ENV                detach it
#   exc_ping ENV N                N pings from inside ENV (0.1 s apart)
#   exc_tool_start DIR OUT [ARGS] DIR/trace_load_and_stats -q -i 0.2 ARGS in
#                                 the background, output to OUT; returns once
#                                 its bpf_link exists (fails if it ends
#                                 first). Its pid in EXC_PID
#   exc_count OUT IFINDEX [ACTION]
#                                 the count on the last line OUT has for
#                                 IFINDEX (and ACTION); 0 if none
#   exc_settled ENV OUT IFINDEX [ACTION]
#                                 "RX COUNT": ENV's rx_packets and that count,
#                                 read while nothing arrived
#   exc_owned_ids PID             "link ID" and "prog ID" lines: what PID holds
#   exc_ids_gone IDS...           true when none of those ids exists
#
# Lines are the format tracing01-xdp-exception/README.org states: each holds
# "ifindex N", "COUNT pkts" and, once counted per action, "action A".
# A helper that fails prints one line saying why, as a check reports it.

declare -F netenv_on_exit >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/netenv.sh"

EXC_INTERVAL=0.2

_exc_remove_statedir() { rm -rf "$EXC_STATEDIR"; }
_exc_teardown() {
	local name
	for name in "${EXC_ENVS[@]}"; do
		"$NETENV_TESTENV" --name "$name" teardown
	done
}

exc_env() {
	local name=$1 out addr mac
	if [ -z "${EXC_STATEDIR:-}" ]; then
		EXC_STATEDIR=$(mktemp -d /tmp/exc-env.XXXXXX) || return 1
		export TESTENV_STATEDIR=$EXC_STATEDIR
		EXC_ENVS=()
		netenv_on_exit _exc_remove_statedir
		netenv_on_exit _exc_teardown
	fi
	EXC_ENVS+=("$name")
	out=$("$NETENV_TESTENV" --name "$name" setup 2>&1) ||
		{ echo "testenv setup $name failed: $(tail -n 1 <<<"$out")"; return 1; }
	# shellcheck disable=SC2034 # for the caller
	EXC_IFINDEX=$(cat "/sys/class/net/$name/ifindex")
	addr=$(ip -6 -o addr show dev "$name" scope global | awk '{ sub("/.*", "", $4); print $4 }')
	mac=$(cat "/sys/class/net/$name/address")
	# With XDP dropping everything, neighbour discovery would never get an
	# answer and the pings would never be sent.
	ip -n "$name" neigh replace "$addr" lladdr "$mac" dev veth0 nud permanent ||
		{ echo "cannot add a neighbour entry in $name"; return 1; }
}

exc_load() {
	local out
	out=$("$NETENV_TESTENV" --name "$1" load --prog-name "$3" -- "$2/xdp_prog_kern.o" 2>&1) ||
		{ echo "attaching $3 to $1 failed: $(tail -n 1 <<<"$out")"; return 1; }
}

exc_unload() { "$NETENV_TESTENV" --name "$1" unload --all >/dev/null 2>&1; }

exc_ping() { "$NETENV_TESTENV" --name "$1" ping -- -q -c "$2" -i 0.1 -W 0.5 >/dev/null 2>&1; true; }

EXC_PIDS=()
_exc_stop_tools() { kill -9 "${EXC_PIDS[@]}" 2>/dev/null; }

# The tool's pid is the one to look for: the test knows it, whatever else
# runs on the machine. Fails if the tool ends first (OUT says why).
exc_tool_start() {
	local dir=$1 out=$2 _
	shift 2
	"$dir/trace_load_and_stats" -q -i "$EXC_INTERVAL" "$@" >"$out" 2>&1 &
	EXC_PID=$!
	[ ${#EXC_PIDS[@]} -gt 0 ] || netenv_on_exit _exc_stop_tools
	EXC_PIDS+=("$EXC_PID")
	for _ in $(seq 100); do
		exc_owned_ids "$EXC_PID" | grep -q '^link ' && return 0
		kill -0 "$EXC_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# The kernel lists, for each BPF file descriptor a process holds, the id of
# the link or program behind it (/proc/PID/fdinfo).
exc_owned_ids() {
	cat /proc/"$1"/fdinfo/* 2>/dev/null |
		awk '$1 == "link_id:" { print "link", $2 } $1 == "prog_id:" { print "prog", $2 }' |
		sort -u
}

exc_ids_gone() {
	local kind id
	while [ $# -ge 2 ]; do
		kind=$1 id=$2
		shift 2
		"$NETENV_BPFTOOL" "$kind" show id "$id" >/dev/null 2>&1 && return 1
	done
	return 0
}

exc_count() {
	local out=$1 ifindex=$2 action=${3:-} count
	count=$(grep -E "(^|[[:space:]])ifindex[[:space:]]+$ifindex([[:space:]]|$)" "$out" |
		{ if [ -n "$action" ]; then
			grep -E "(^|[[:space:]])action[[:space:]]+$action([[:space:]]|$)"
		  else cat; fi; } |
		tail -n 1 | grep -oE '[0-9]+[[:space:]]+pkts' | grep -oE '^[0-9]+')
	echo "${count:-0}"
}

# netenv_settled reads rx_packets, runs this, reads rx_packets again: if
# nothing arrived meanwhile, every packet counted before went through XDP
# before the tool printed the line read here, 0.5 s (two lines) later.
_exc_fresh_count() { sleep 0.5; exc_count "$@"; }
exc_settled() {
	local env=$1
	shift
	netenv_settled "$env" _exc_fresh_count "$@"
}
