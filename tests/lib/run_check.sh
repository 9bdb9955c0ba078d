#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: run_check.sh LESSON CHECK_FUNCTION DIR -- run one assignment check
# of LESSON on DIR, in DIR, in a process of its own, so that what it makes
# is removed when it ends (tests/lib/assignments.sh runs it under timeout).
source "$(dirname "$0")/assignments.sh"

[ $# -eq 3 ] || { echo "usage: run_check.sh LESSON CHECK_FUNCTION DIR" >&2; exit 2; }
load_checks "$1" || { echo "no checks for $1"; exit 2; }
cd "$3" || { echo "no directory $3"; exit 2; }
"$2" "$3"
