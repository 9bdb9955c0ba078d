#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tests/check.sh LESSON_DIR -- print, per assignment, pass or not yet.
# `make check` in a lesson (or its solution) directory runs this.
source "$(dirname "$0")/lib/assignments.sh"

dir=$(cd "${1:?usage: check.sh LESSON_DIR}" && pwd) || exit 2
lesson=$(basename "$dir")
if ! load_checks "$lesson"; then
	echo "$lesson: no assignments to check"
	exit 0
fi
echo "== $lesson"
report_assignments "$dir"
