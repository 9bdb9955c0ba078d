#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every lesson's assignment checks, judged three ways, each in a tree of its
# own (tests/lib/assignments.sh): the lesson as committed plus its solution
# must pass; the untouched lesson as committed must say exactly "not yet"
# (a check that cannot run is not a "not yet"); and each wrong solution in
# tests/fixtures/<lesson>/ must get the outcome its EXPECT file names.
# First, what `make check` prints for each kind of outcome.
source "$(dirname "$0")/lib/assignments.sh"
source "$(dirname "$0")/lib/stats_output.sh"
require_root

# expect_outcome I DIR WANT LABEL: assignment I on DIR has outcome WANT
expect_outcome() {
	local i=$1 dir=$2 want=$3 label="$4, assignment ${A_NUM[$1]} (${A_TITLE[$1]})"
	run_assignment "$i" "$dir"
	if [ "$CHECK_OUTCOME" = unsupported ]; then
		skip "$label: $want" "$CHECK_LINE"
		return
	fi
	[ "$CHECK_OUTCOME" = "$want" ]
	ok $? "$label: $want"
	if [ "$CHECK_OUTCOME" = "$want" ]; then
		diag "  $CHECK_LINE"
	else
		diag "got:      $CHECK_OUTCOME: $CHECK_LINE" "expected: $want"
	fi
}

# make_tree LESSON [SOLUTION_DIR [FIXTURE_DIR]]: the committed lesson, then
# the solution's and the fixture's files over it, in TREE (not built).
make_tree() {
	local lesson=$1 solution=${2:-} fixture=${3:-}
	TREE=$(tree_new "$lesson") || return 1
	netenv_on_exit tree_remove "$TREE"
	lesson_as_committed "$lesson" "$TREE"
	if [ -n "$solution" ]; then copy_sources "$solution" "$TREE" Makefile || return 1; fi
	if [ -n "$fixture" ]; then apply_fixture "$fixture" "$TREE" || return 1; fi
}

# prepare_tree LABEL LESSON [SOLUTION_DIR [FIXTURE_DIR]]: make_tree, built;
# a TAP check that it builds.
prepare_tree() {
	local label=$1
	shift
	make_tree "$@" || { ok 1 "$label: a tree in /tmp, the fixture applied"; return 1; }
	build_dir "$TREE"
	ok $? "$label builds"
	[ -z "$BUILD_ERROR" ] || { diag "$BUILD_ERROR"; return 1; }
}

# readme_assignments LESSON: the N of each "Assignment N" heading
readme_assignments() {
	sed -n 's/^\*\+ Assignment \([0-9]\+\).*/\1/p' "$TOP/$1/README.org" 2>/dev/null
}

# fixture_expectations FIXTURE_DIR: "N OUTCOME" lines of its EXPECT
fixture_expectations() {
	sed -n 's/^ *\([0-9]\+\) \+\(not yet\|pass\) *$/\1 \2/p' "$1/EXPECT"
}

check_lesson() {
	local lesson=$1 solution fixture n want i wrong_for=" "
	local registered
	CHECKS_LESSON=$lesson
	load_checks "$lesson"
	if [ ! -d "$TOP/$lesson" ]; then
		ok 1 "tests/checks/$lesson.sh: the lesson $lesson exists"
		return
	fi
	registered=$(printf '%s\n' "${A_NUM[@]}" | sort -n | paste -sd ' ')
	[ "$registered" = "$(readme_assignments "$lesson" | sort -n | paste -sd ' ')" ]
	ok $? "$lesson: a check for each assignment in README.org (checks: $registered)"

	solution=$(ls -d "$TOP"/*-solutions/"$lesson" 2>/dev/null | head -n 1)
	if [ -z "$solution" ]; then
		ok 1 "$lesson: has a solution in *-solutions/$lesson"
	elif prepare_tree "$lesson solution" "$lesson" "$solution"; then
		for i in "${!A_NUM[@]}"; do
			expect_outcome "$i" "$TREE" pass "$lesson solution"
		done
		tree_remove "$TREE"
	fi

	if prepare_tree "$lesson untouched" "$lesson"; then
		diag "the untouched $lesson is taken $COMMITTED_FROM"
		for i in "${!A_NUM[@]}"; do
			expect_outcome "$i" "$TREE" "not yet" "$lesson untouched"
		done
		tree_remove "$TREE"
	fi

	for fixture in "$TOP"/tests/fixtures/"$lesson"/*/; do
		[ -d "$fixture" ] || continue
		fixture=${fixture%/}
		if [ -z "$(fixture_expectations "$fixture")" ]; then
			ok 1 "fixture ${fixture#"$TOP"/}: EXPECT has lines \"N not yet\" or \"N pass\""
			continue
		fi
		prepare_tree "$lesson fixture $(basename "$fixture")" "$lesson" "$solution" "$fixture" ||
			continue
		while read -r n want; do
			if ! i=$(assignment_index "$n"); then
				ok 1 "fixture $(basename "$fixture"): assignment $n exists"
				continue
			fi
			[ "$want" = pass ] || wrong_for+="$n "
			expect_outcome "$i" "$TREE" "$want" "$lesson fixture $(basename "$fixture")"
		done < <(fixture_expectations "$fixture")
		tree_remove "$TREE"
	done
	for n in "${A_NUM[@]}"; do
		[[ $wrong_for == *" $n "* ]]
		ok $? "$lesson assignment $n: at least one wrong solution gets \"not yet\""
	done
}

# What `make check` (tests/check.sh) tells a learner, on basic03: what the
# check saw and a hint; and why it could not check, which is never "not yet".
report_lines() {	# report_lines NAME OUTPUT REGEX COUNT: COUNT lines match
	local n
	n=$(grep -cE -- "$3" <<<"$2")
	[ "$n" -eq "$4" ]
	ok $? "$1"
	[ "$n" -eq "$4" ] || diag "got:" "$2" "expected $4 lines matching /$3/"
}

check_report() {
	local lesson=basic03-map-counter out
	out=$("$TOP/tests/check.sh" "$TOP/basic01-xdp-pass")
	report_lines "make check, a lesson without checks: says so" "$out" \
		'^basic01-xdp-pass: no assignments to check' 1
	make_tree "$lesson" || { ok 1 "make check: a tree of $lesson"; return; }

	out=$("$TOP/tests/check.sh" "$TREE")
	report_lines "make check, untouched: not yet, with what the check saw" "$out" \
		'^Assignment [1-3] \(.*\): not yet: .*(rx_bytes|XDP_DROP|per-CPU)' 3
	report_lines "make check, untouched: a hint under each" "$out" '^    hint: ' 3
	report_lines "make check, untouched: the summary" "$out" \
		"^$lesson: 0 of 3 assignments pass, 3 not yet, 0 could not be checked\$" 1

	if setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$TOP/common/Makefile"; then
		chmod 755 "$(dirname "$TREE")"
		chown -R 65534:65534 "$TREE"
		out=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$TOP/tests/check.sh" "$TREE")
		report_lines "make check, not root: could not check, needs root" "$out" \
			'^Assignment [1-3] \(.*\): could not check: needs root' 3
	else
		skip "make check, not root: could not check, needs root" \
			"user nobody cannot read $TOP"
	fi

	# A beginner's mistake: the NULL check after the map lookup left out.
	sed -i '/if (!rec)/,+1d' "$TREE/xdp_prog_kern.c"
	out=$("$TOP/tests/check.sh" "$TREE")
	report_lines "make check, a program the verifier rejects: could not check, its reason" \
		"$out" "could not check: the verifier rejected xdp_count_pass_func: .*map_value_or_null" 2
	echo 'int broken(' >>"$TREE/xdp_prog_kern.c"
	out=$("$TOP/tests/check.sh" "$TREE")
	report_lines "make check, a build that fails: could not check, the compiler's first error" \
		"$out" '^Assignment [1-3] \(.*\): could not check: the build failed: xdp_prog_kern.c:[0-9]+:[0-9]+: error: ' 3
	tree_remove "$TREE"
}
check_report

# The output examples basic03's README.org says pass are read as it says.
check_contract_examples() {
	local line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[ "$(stats_figure "$line" packets)" = 7 ] &&
			[ "$(stats_figure "$line" bytes)" = 1400 ] &&
			stats_figure "$line" mbits >/dev/null
		ok $? "README contract example $n: 7 packets, 1400 bytes, a Mbit/s figure: '$line'"
	done < <(sed -n '/^These all pass:/,/^#+end_example/p' "$TOP/basic03-map-counter/README.org" |
		 grep XDP_PASS)
	[ "$n" -ge 3 ]
	ok $? "basic03's README.org shows examples of the output contract ($n)"
}
check_contract_examples

for file in "$TOP"/tests/checks/*.sh; do
	[ -f "$file" ] && check_lesson "$(basename "$file" .sh)"
done

# A lesson without checks must not set assignments either.
for dir in "$TOP"/basic0*/ "$TOP"/packet0*/ "$TOP"/tracing0*/; do
	lesson=$(basename "$dir")
	[ -f "$dir/Makefile" ] && [ ! -f "$(checks_file "$lesson")" ] || continue
	[ -z "$(readme_assignments "$lesson")" ]
	ok $? "$lesson: no assignment checks, and no assignments in its README.org"
done
done_testing
