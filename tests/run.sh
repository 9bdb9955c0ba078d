#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make test` runs: build, then every tests/*.t through prove; with
# "vmtest ARGS...", what `make vmtest` runs: build, then vmtest/vmtest.sh.
#
# A learner works in the lessons themselves, and the tests must not fail
# because of their edits (make check judges those). So when a lesson or a
# solution differs from what is committed, the whole suite runs on a copy
# of HEAD instead, and says so. A maintainer with uncommitted changes sees
# that line too: commit, or run one file with prove -v tests/FILE.t.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1

build_and_test() {	# in the current directory: build_and_test [vmtest ARGS...]
	${AS_OWNER:-} make --no-print-directory all build-bench || return 1
	if [ "${1:-}" = vmtest ]; then
		# kernels downloaded once, for the tree and its copies alike
		VMTEST_CACHE=${VMTEST_CACHE:-$TOP/vmtest/cache} ./vmtest/vmtest.sh "${@:2}"
	else
		prove -v tests/*.t
	fi
}

lessons=$(ls -d basic0*/ packet0*/ tracing0*/ *-solutions/ 2>/dev/null)
# shellcheck disable=SC2086 # one pathspec per directory
changed=$(git --no-optional-locks status --porcelain -- $lessons 2>/dev/null | head -n 3)
if [ -z "$changed" ]; then
	build_and_test "$@"
	exit
fi

copy=$(mktemp -d /tmp/xdp-tutorial-test.XXXXXX) || exit 1
trap 'rm -rf "$copy"' EXIT
trap 'exit 130' INT TERM
echo "make ${1:-test}: your lessons differ from what is committed (git status:" \
	"$(echo "$changed" | tr '\n' ';' | sed 's/;$//'); ...): testing HEAD, in $copy"
git archive HEAD | tar -x -C "$copy" && cp config.mk "$copy/" || exit 1
cd "$copy" && AS_OWNER="" build_and_test "$@"
