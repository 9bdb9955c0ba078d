# SPDX-License-Identifier: GPL-2.0
# End-to-end test helpers: throw-away environments, tools run in the
# background, and ways to see what an XDP program did that do not go
# through the program or the tool under test. Whatever a helper creates is
# removed when the (sub)shell that created it exits, however it exits.
#
#   netenv_setup NAME [OPTIONS]      testenv.sh environment NAME (<= 15 chars,
#                                    in a private state dir) as $ENV; a TAP check
#   testenv COMMAND [ARGS]           testenv.sh --name $ENV COMMAND ARGS
#   netenv_done                      tear $ENV down now, check nothing is left
#   netenv_gone NAME                 no namespace, interface or pins NAME
#   no_xdp_on IFNAME                 true when no XDP program is attached
#   netenv_quiet_veth NAME           veth pair NAME/NAMEp, both ends down: no
#                                    traffic, so counters hold only test runs
#   netenv_remove_link NAME          remove interface NAME (made by the
#                                    test) and its pins
#   netenv_on_exit CMD [ARGS]        run CMD ARGS at exit (words, not a code
#                                    string: a function for anything longer)
#   netenv_start OUTFILE CMD [ARGS]  CMD in the background, output to OUTFILE;
#                                    its pid in NETENV_PID
#   netenv_stop PID [SIGNAL]         signal it (INT), wait at most 5 s (then
#                                    kill -9); its exit code
#   netenv_wait_for SECONDS CMD      poll until CMD succeeds
#   netenv_rx_packets IFNAME         the interface's rx_packets counter
#   netenv_xdp_prog_id IFNAME        id of the XDP program on it (or fail)
#   netenv_xdp_loaded_prog_id IFNAME the program a tool attached there (the
#                                    one behind libxdp's dispatcher, if any)
#   netenv_dispatcher_on IFNAME      true when libxdp's dispatcher is there
#   netenv_dispatcher_prog_ids IFNAME
#                                    ids of the programs behind it
#   netenv_prog_map_id PROG_ID NAME  id of that program's map NAME
#   netenv_settled IFNAME CMD [ARGS] "RX OUT": IFNAME's rx_packets and CMD's
#                                    output, read while nothing arrived
#   netenv_frame SPEC FILE           write the frame SPEC (tests/lib/packets.h)
#   netenv_run_prog ID FILE N [CPU]  run program ID on FILE N times, on CPU
#   netenv_runs_sum OBJ PROG SPEC N MAP KEY FIELD
#                                    FIELD of MAP's record KEY after N test
#                                    runs of PROG on SPEC (xdp_run), all CPUs
#   netenv_map_sum pinned PATH|id N KEY FIELD
#                                    FIELD of the record at KEY (0-255),
#                                    added up over the CPUs (bpftool, BTF)
#   bpftool_json ARGS                bpftool -j ARGS, flattened to PATH=VALUE
#                                    lines (map_ids.0=12, formatted.value.x=3):
#                                    the one reader of bpftool's JSON
#   records_sum FIELD [NAME=VALUE]...
#                                    the sum of FIELD over the lines on stdin
#                                    that hold every NAME=VALUE given: the one
#                                    reader of "map=M key=K cpu=C f=V" lines
#                                    (xdp_run -m)
#
# A function that creates things inside $(...) cleans up when that subshell
# exits, but only if its last command is a builtin: bash runs a last external
# command in place of the subshell, and the exit trap is lost with it.

declare -F ok >/dev/null || source "$(dirname "${BASH_SOURCE[0]}")/tap.sh"

NETENV_TESTENV=$TOP/testenv/testenv.sh
NETENV_BPFTOOL=$(sed -n 's/^BPFTOOL := //p' "$TOP/config.mk" 2>/dev/null)
NETENV_BPFTOOL=${NETENV_BPFTOOL:-bpftool}
NETENV_CLEANUP=()
NETENV_OWNER=""

# Each cleanup is one entry: its words joined by the unit separator, so it
# is run as a command with its arguments, never parsed as shell code.
# A subshell inherits the list but not the trap: it starts a list of its
# own, so that it never runs (or drops) its parent's cleanups.
_NETENV_SEP=$'\x1f'

netenv_on_exit() {
	local IFS=$_NETENV_SEP
	if [ $# -eq 1 ] && [[ $1 == *" "* ]]; then
		echo "netenv_on_exit: give a command and its arguments, not a code string: $1" >&2
		return 1
	fi
	if [ "$NETENV_OWNER" != "$BASHPID" ]; then
		NETENV_OWNER=$BASHPID
		NETENV_CLEANUP=()
		trap _netenv_cleanup EXIT
		trap 'exit 130' INT TERM HUP
	fi
	NETENV_CLEANUP+=("$*")
}

_netenv_cleanup() {	# last registered, first run
	local i words
	for ((i = ${#NETENV_CLEANUP[@]} - 1; i >= 0; i--)); do
		IFS=$_NETENV_SEP read -r -a words <<<"${NETENV_CLEANUP[$i]}"
		"${words[@]}" >/dev/null 2>&1
	done
	NETENV_CLEANUP=()
}

# ------------------------------------------------------------ environments ---

testenv() { "$NETENV_TESTENV" --name "$ENV" "$@"; }

# Tests keep their environments in a state dir of their own, so they never
# change which environment is a learner's current one.
netenv_setup() {
	ENV=$1
	shift
	if [ -z "${NETENV_STATEDIR:-}" ]; then
		NETENV_STATEDIR=$(mktemp -d /tmp/netenv.XXXXXX) || return 1
		export TESTENV_STATEDIR=$NETENV_STATEDIR
		netenv_on_exit rm -rf "$NETENV_STATEDIR"
	fi
	netenv_on_exit "$NETENV_TESTENV" --name "$ENV" teardown
	check "testenv setup $ENV" -- testenv setup "$@"
}

netenv_done() {
	check "testenv teardown $ENV" -- testenv teardown
	check "no namespace, interface or pins left for $ENV" -- netenv_gone "$ENV"
}

netenv_gone() {	# netenv_gone NAME: no namespace, interface or pin directory NAME
	! ip netns list | grep -qw -- "$1" && ! ip link show dev "$1" >/dev/null 2>&1 &&
		[ ! -e "/sys/fs/bpf/$1" ]
}

no_xdp_on() { ! ip -o link show dev "$1" | grep -q 'xdp'; }

netenv_quiet_veth() {
	netenv_on_exit netenv_remove_link "$1"
	ip link add dev "$1" type veth peer name "${1}p"
}

# netenv_remove_link NAME: the interface NAME a test made, and its pins.
netenv_remove_link() {
	ip link del dev "$1"
	rm -rf "/sys/fs/bpf/$1"
}

# ------------------------------------------------------ background tools ---

netenv_start() {
	local out=$1
	shift
	"$@" >"$out" 2>&1 &
	NETENV_PID=$!
	netenv_on_exit kill -9 "$NETENV_PID"
}

_netenv_running() {	# not gone, and not a zombie waiting for "wait"
	local state
	state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ "$state" != Z ]
}

_netenv_ended() { ! _netenv_running "$1"; }

netenv_stop() {
	local pid=$1 sig=${2:-INT}
	kill -s "$sig" "$pid" 2>/dev/null
	netenv_wait_for 5 _netenv_ended "$pid" || kill -9 "$pid" 2>/dev/null
	wait "$pid"
}

netenv_wait_for() {
	local tries
	tries=$(awk -v s="$1" 'BEGIN { print int(s * 10) }')
	shift
	until "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# ------------------------------------------------------------ observation ---

netenv_rx_packets() {
	cat "/sys/class/net/$1/statistics/rx_packets"
}

netenv_xdp_prog_id() {
	ip -o link show dev "$1" 2>/dev/null | grep -o 'prog/xdp id [0-9]*' | grep -o '[0-9]*$'
}

# On kernels that allow freplace, libxdp attaches its dispatcher and runs a
# tool's program behind it: the interface's program (what to run with
# BPF_PROG_TEST_RUN) is then not the one whose maps and name a test wants.
netenv_dispatcher_on() {
	local id
	id=$(netenv_xdp_prog_id "$1") &&
		"$NETENV_BPFTOOL" prog show id "$id" | grep -q ' name xdp_dispatcher '
}

# The ids of the programs behind the dispatcher, one a line, in run order
# (xdp-loader status: " =>  PRIO  NAME  ID  TAG  ACTIONS").
netenv_dispatcher_prog_ids() {
	xdp-loader status "$1" | awk '$1 == "=>" { print $4 }'
}

# The program a tool attached: the interface's, or the first one behind
# the dispatcher.
netenv_xdp_loaded_prog_id() {
	if netenv_dispatcher_on "$1"; then
		netenv_dispatcher_prog_ids "$1" | head -n 1
	else
		netenv_xdp_prog_id "$1"
	fi
}

netenv_prog_map_id() {
	local id
	for id in $(bpftool_json prog show id "$1" | sed -n 's/^map_ids\.[0-9]*=//p'); do
		bpftool_json map show id "$id" | grep -qx "name=$2" && echo "$id" && return 0
	done
	return 1
}

# rx_packets counts a packet as it is handed to the interface, a moment
# before XDP sees it; reading CMD 0.1 s later, and rx_packets again after,
# gives two numbers of the same instant, unless a packet came in between
# (then try again).
netenv_settled() {
	local dev=$1 before after out _
	shift
	for _ in $(seq 30); do
		before=$(netenv_rx_packets "$dev")
		sleep 0.1
		out=$("$@") || return 1
		after=$(netenv_rx_packets "$dev")
		[ "$before" = "$after" ] && echo "$before $out" && return 0
	done
	return 1
}

# The frame as xdp_run builds it, in binary, for bpftool prog run.
netenv_frame() {
	frame_hex "$1" | perl -ne 'chomp; print pack("H*", $_)' >"$2"
	[ -s "$2" ]
}

# BPF_PROG_TEST_RUN of an attached program counts in the maps it really
# uses, on the CPU it is called from: an oracle that needs no traffic.
netenv_run_prog() {
	local id=$1 file=$2 n=$3 cpu=${4:-0}
	taskset -c "$cpu" "$NETENV_BPFTOOL" prog run id "$id" data_in "$file" repeat "$n" >/dev/null
}

netenv_runs_sum() {
	"$TOP/tests/xdp_run" "$1" "$2" -p "$3" -n "$4" -m "$5" |
		records_sum "$7" "map=$5" "key=$6"
}

# The formatted (BTF) value, one PATH=VALUE line per field: "value.F=V" for
# a map, "values.C.value.F=V" per CPU for a per-CPU map.
netenv_map_sum() {
	local how=$1 what=$2 key=$3 field=$4
	bpftool_json map lookup "$how" "$what" key "$key" 0 0 0 |
		awk -F= -v f="$field" '$1 ~ ("^formatted\\.(values\\.[0-9]+\\.)?value\\." f "$") {
			s += $2; n++ } END { if (n) print s; else exit 1 }'
}

bpftool_json() {
	"$NETENV_BPFTOOL" -j "$@" | perl -MJSON::PP -e '
		sub flat { my ($p, $v) = @_;
			if (ref $v eq "HASH") { flat($p eq "" ? $_ : "$p.$_", $v->{$_}) for sort keys %$v }
			elsif (ref $v eq "ARRAY") { flat($p eq "" ? $_ : "$p.$_", $v->[$_]) for 0 .. $#$v }
			else { print "$p=", (JSON::PP::is_bool($v) ? ($v ? "true" : "false") : $v), "\n" } }
		my $in = join "", <STDIN>;
		exit 1 unless length $in;
		flat("", decode_json($in));'
}

records_sum() {
	local field=$1
	shift
	awk -v field="$field" -v want="$*" '
		BEGIN { n = split(want, w, " ") }
		{
			delete has; value = ""
			for (i = 1; i <= NF; i++) {
				has[$i] = 1
				if (index($i, field "=") == 1) value = substr($i, length(field) + 2)
			}
			for (i = 1; i <= n; i++) if (!(w[i] in has)) next
			if (value != "") { sum += value; found = 1 }
		}
		END { if (!found) exit 1; print sum + 0 }'
}
