# SPDX-License-Identifier: GPL-2.0
# The assignment checks of one lesson, as a learner's `make check` and as
# `make test` run them. A lesson's tests/checks/<lesson>.sh registers each
# assignment with:
#
#   assignment N "what it asks" "one-line hint" check_function
#
# where check_function "$DIR" returns 0 once the code in DIR (the lesson's
# directory, or its solution's) does what the assignment asks.

source "$(dirname "${BASH_SOURCE[0]}")/xdp.sh"
A_NUM=() A_TITLE=() A_HINT=() A_FUNC=()

assignment() {
	A_NUM+=("$1") A_TITLE+=("$2") A_HINT+=("$3") A_FUNC+=("$4")
}

load_checks() {   # load_checks LESSON_NAME
	local file=$TOP/tests/checks/$1.sh

	[ -f "$file" ] || return 1
	# shellcheck source=/dev/null
	source "$file"
}

# A learner's view: pass or not yet, per assignment, for the code in DIR.
report_assignments() {
	local dir=$1 i passed=0
	for i in "${!A_NUM[@]}"; do
		if (cd "$dir" && "${A_FUNC[$i]}" "$dir") >/dev/null 2>&1; then
			echo "Assignment ${A_NUM[$i]} (${A_TITLE[$i]}): pass"
			passed=$((passed + 1))
		else
			echo "Assignment ${A_NUM[$i]} (${A_TITLE[$i]}): not yet: ${A_HINT[$i]}"
		fi
	done
	echo "$passed of ${#A_NUM[@]} assignments pass"
}

# make test's view: each check passes on the solution and says "not yet" on
# the untouched lesson, so a check that cannot fail is caught.
test_assignments() {
	local lesson=$1 solution=$2 i n
	for i in "${!A_NUM[@]}"; do
		n="$lesson assignment ${A_NUM[$i]} (${A_TITLE[$i]})"
		(cd "$TOP/$solution" && "${A_FUNC[$i]}" "$TOP/$solution") >/dev/null 2>&1
		ok $? "$n: passes on the solution"
		! (cd "$TOP/$lesson" && "${A_FUNC[$i]}" "$TOP/$lesson") >/dev/null 2>&1
		ok $? "$n: not yet on the untouched lesson"
	done
}
