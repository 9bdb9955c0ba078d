#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: a guided run through basic01 and basic02 on a real veth pair,
# showing each command and what it printed. Stops at the first surprise and
# always removes the environment it made.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
ENV=xdp-demo
export TESTENV_STATEDIR=$(mktemp -d)

testenv() { "$TOP/testenv/testenv.sh" --name "$ENV" "$@"; }

cleanup() {
	testenv teardown >/dev/null 2>&1
	rm -rf "$TESTENV_STATEDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n== %s\n' "$*"; }

# run CMD...: show the command, run it, stop the demo if it fails.
run() {
	printf '$ %s\n' "$*"
	"$@" || { echo "demo: '$*' failed" >&2; exit 1; }
}

# run_fails CMD...: show the command; it is expected to fail.
run_fails() {
	printf '$ %s\n' "$*"
	if "$@"; then
		echo "demo: '$*' should have failed" >&2
		exit 1
	fi
}

[ "$(id -u)" -eq 0 ] || { echo "demo: run as root (sudo make demo)" >&2; exit 1; }

step "A test environment: veth pair $ENV <-> veth0 in namespace $ENV"
run testenv setup

step "basic01: attach a program that passes every packet"
cd "$TOP/basic01-xdp-pass" || exit 1
run ./xdp_pass_user --dev "$ENV"
run bpftool net show dev "$ENV"
run testenv ping -- -c 3 -i 0.2 -W 1
run ./xdp_pass_user --dev "$ENV" --unload-all

step "basic02: pick a program by name from one object file"
cd "$TOP/basic02-prog-by-name" || exit 1
run ./xdp_loader --list
run ./xdp_loader --dev "$ENV" --progname xdp_drop_func
run xdp-loader status "$ENV"
echo "# every echo request is dropped before the kernel sees it:"
run_fails testenv ping -- -c 3 -i 0.2 -W 1
run ./xdp_loader --dev "$ENV" --unload-all

step "Detached: pings are answered again"
run testenv ping -- -c 2 -i 0.2 -W 1

step "Cleaning up"
run testenv teardown
echo "demo: done. Next: read basic01-xdp-pass/README.org"
