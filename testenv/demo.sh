#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: a guided run through basic01 and basic02 on a real veth pair,
# showing each command and what it printed. Stops at the first surprise and
# always removes the environment it made, and only that: the environment's
# name is this run's own (xdpdemo-PID), and its state is kept in a private
# directory, so two demos at once never touch each other.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
ENV=xdpdemo-$$

demo_error() { echo "demo: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || demo_error "needs root: run 'make demo' as root or with sudo"
TESTENV_STATEDIR=$(mktemp -d /tmp/xdpdemo.XXXXXX) || demo_error "cannot make a state dir in /tmp"
export TESTENV_STATEDIR

testenv() { "$TOP/testenv/testenv.sh" --name "$ENV" "$@"; }

cleanup() {
	testenv teardown >/dev/null 2>&1	# refused if setup never made it
	rm -rf -- "$TESTENV_STATEDIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

step() { printf '\n== %s\n' "$*"; }

# run CMD...: show the command, run it, stop the demo if it fails.
run() {
	printf '$ %s\n' "$*"
	"$@" || demo_error "'$*' failed"
}

# run_fails CMD...: show the command; it is expected to fail.
run_fails() {
	printf '$ %s\n' "$*"
	! "$@" || demo_error "'$*' should have failed"
}

step "A test environment: veth pair $ENV <-> veth0 in namespace $ENV"
echo "# 'testenv' below is ./testenv/testenv.sh --name $ENV"
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
