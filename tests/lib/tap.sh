# SPDX-License-Identifier: GPL-2.0
# Minimal TAP producer for the shell checks; sourced by tests/*.t.
# Each check prints "ok N - name" or "not ok N - name"; prove reads them.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_tap_n=0
_tap_failed=0

ok() {        # ok COND_EXIT_STATUS NAME: returns COND_EXIT_STATUS == 0
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
		return 1
	fi
}

check() {     # check NAME -- CMD...: ok if CMD exits 0; its output shown on failure
	local name=$1 out rc
	shift; [ "$1" = "--" ] && shift
	out=$("$@" 2>&1); rc=$?
	ok "$rc" "$name"
	[ "$rc" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'
	return "$rc"
}

# check_error NAME CODE REGEX -- CMD...: CMD must exit with CODE (1: failed
# at run time, 2: bad usage) and print exactly one line on stderr, matching
# REGEX: the tools' bad-input contract.
check_error() {
	local name=$1 code=$2 regex=$3 err rc lines
	shift 3; [ "$1" = "--" ] && shift
	err=$("$@" 2>&1 >/dev/null); rc=$?
	lines=$(printf '%s' "$err" | grep -c '')
	if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && [[ $err =~ $regex ]]; then
		ok 0 "$name: exit $code, one line"
	else
		ok 1 "$name: exit $code, one line"
		diag "exit $rc, $lines stderr lines, wanted one matching /$regex/:" "$err"
	fi
}

# check_match NAME REGEX -- CMD...: CMD's output (stdout and stderr) has a
# line matching the extended REGEX; on failure, what it printed.
check_match() {
	local name=$1 regex=$2 out
	shift 2; [ "$1" = "--" ] && shift
	out=$("$@" 2>&1)
	grep -qE -- "$regex" <<<"$out"
	ok $? "$name"
	grep -qE -- "$regex" <<<"$out" || diag "got:" "$out" "expected a line matching /$regex/"
}

# check_equal NAME WANT -- CMD...: CMD's standard output is exactly WANT.
check_equal() {
	local name=$1 want=$2 out
	shift 2; [ "$1" = "--" ] && shift
	out=$("$@" 2>/dev/null)
	[ "$out" = "$want" ]
	ok $? "$name"
	[ "$out" = "$want" ] || diag "got:" "$out" "expected:" "$want"
}

skip() {      # skip NAME REASON
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# Skip the whole file (prove shows the reason) unless we are root.
require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "1..0 # SKIP needs root (BPF, namespaces): run as root or with sudo"
		exit 0
	fi
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
}
