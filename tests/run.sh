#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What `make test` runs: build, then every tests/*.t through prove.
#
# A learner works in the lessons themselves, and make test must not fail
# because of their edits (make check judges those). So when a lesson or a
# solution differs from what is committed, the whole suite runs on a copy
# of HEAD instead, and says so. A maintainer with uncommitted changes sees
# that line too: commit, or run one file with prove -v tests/FILE.t.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1

build_and_prove() {	# in the current directory
	${AS_OWNER:-} make --no-print-directory all build-bench || return 1
	prove -v tests/*.t
}

lessons=$(ls -d basic0*/ packet0*/ tracing0*/ *-solutions/ 2>/dev/null)
# shellcheck disable=SC2086 # one pathspec per directory
changed=$(git status --porcelain -- $lessons 2>/dev/null | head -n 3)
if [ -z "$changed" ]; then
	build_and_prove
	exit
fi

copy=$(mktemp -d /tmp/xdp-tutorial-test.XXXXXX) || exit 1
trap 'rm -rf "$copy"' EXIT
trap 'exit 130' INT TERM
echo "make test: your lessons differ from what is committed (git status:" \
	"$(echo "$changed" | tr '\n' ';' | sed 's/;$//'); ...): testing HEAD, in $copy"
git archive HEAD | tar -x -C "$copy" && cp config.mk "$copy/" || exit 1
cd "$copy" && AS_OWNER="" build_and_prove
