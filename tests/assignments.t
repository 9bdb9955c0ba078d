#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every lesson's assignment checks, both ways: pass on the solution, "not
# yet" on the untouched lesson.
source "$(dirname "$0")/lib/assignments.sh"

for file in "$TOP"/tests/checks/*.sh; do
	lesson=$(basename "$file" .sh)
	solution=$(cd "$TOP" && ls -d ./*-solutions/"$lesson" 2>/dev/null | head -n1)
	A_NUM=() A_TITLE=() A_HINT=() A_FUNC=()
	load_checks "$lesson"
	if [ -z "$solution" ]; then
		ok 1 "$lesson: has a solution directory"
		continue
	fi
	test_assignments "$lesson" "${solution#./}"
done
done_testing
