#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tests/check.sh LESSON_DIR -- build the lesson (or its solution)
# directory and say, per assignment: pass, not yet (what the check saw, and
# a hint), or could not check (why). `make check` in a lesson runs this.
source "$(dirname "$0")/lib/assignments.sh"

[ $# -eq 1 ] || { echo "usage: tests/check.sh LESSON_DIR" >&2; exit 2; }
dir=$(cd "$1" 2>/dev/null && pwd) || { echo "check.sh: no directory $1" >&2; exit 2; }
CHECKS_LESSON=$(basename "$dir")
if ! load_checks "$CHECKS_LESSON"; then
	echo "$CHECKS_LESSON: no assignments to check (there is no tests/checks/$CHECKS_LESSON.sh)"
	exit 0
fi

reason=""
if ! build_dir "$dir"; then
	reason="the build failed: $BUILD_ERROR"
elif [ "$(id -u)" -ne 0 ]; then
	reason="needs root (it loads BPF programs and makes test interfaces): run it as root (sudo make check)"
fi

echo "== $CHECKS_LESSON"
passed=0 failed=0 unchecked=0
for i in "${!A_NUM[@]}"; do
	head="Assignment ${A_NUM[$i]} (${A_TITLE[$i]})"
	if [ -n "$reason" ]; then
		CHECK_OUTCOME="could not check" CHECK_LINE=$reason
	else
		run_assignment "$i" "$dir"
	fi
	case $CHECK_OUTCOME in
	pass)
		echo "$head: pass"
		passed=$((passed + 1)) ;;
	"not yet")
		echo "$head: not yet: $CHECK_LINE"
		echo "    hint: ${A_HINT[$i]:-README.org, \"Assignment ${A_NUM[$i]}\"}"
		failed=$((failed + 1)) ;;
	*)
		echo "$head: could not check: $CHECK_LINE"
		unchecked=$((unchecked + 1)) ;;
	esac
done
echo "$CHECKS_LESSON: $passed of ${#A_NUM[@]} assignments pass, $failed not yet, $unchecked could not be checked"
