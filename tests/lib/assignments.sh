# SPDX-License-Identifier: GPL-2.0
# Assignment checks: what `make check` in a lesson and tests/assignments.t
# (make test) share.
#
# A lesson's tests/checks/<lesson>.sh registers its assignments:
#
#   assignment N "what it asks" check_function ["hint"]
#
# `check_function DIR` judges the code in DIR (already built) and prints ONE
# line saying what it observed, through one of:
#
#   pass "msg"           return 0
#   not_yet "msg"        return 1: the line says what it saw
#   cannot_check "msg"   return 2: the line says why (a tool failed, the
#                        verifier rejected the program, ...)
#   unsupported "msg"    return 3: this machine lacks what the check needs
#                        (a learner sees "could not check"; make test skips)
#
# Each check runs in a process of its own (tests/lib/run_check.sh), in DIR,
# bounded in time (CHECK_TIMEOUT, 120 s); whatever netenv_on_exit registered
# is removed when it ends. Its stderr is dropped (CHECK_STDERR=/dev/stderr
# shows it, to debug a check).
#
# Wrong solutions live in tests/fixtures/<lesson>/<name>/: only the files
# that differ from the solution, or a FILE.diff against it (diff -u, so the
# mistake is all a reader sees), plus EXPECT, lines "N not yet" (or "N
# pass", for another correct solution the check must accept).

source "$(dirname "${BASH_SOURCE[0]}")/xdp.sh"

CHECK_TIMEOUT=${CHECK_TIMEOUT:-120}
A_NUM=() A_TITLE=() A_FUNC=() A_HINT=()

assignment() {
	A_NUM+=("$1") A_TITLE+=("$2") A_FUNC+=("$3") A_HINT+=("${4:-}")
}

pass() { echo "$1"; return 0; }
not_yet() { echo "$1"; return 1; }
cannot_check() { echo "$1"; return 2; }
unsupported() { echo "$1"; return 3; }

checks_file() { echo "$TOP/tests/checks/$1.sh"; }

load_checks() {	# load_checks LESSON: register its assignments; false if none
	local file
	file=$(checks_file "$1")
	A_NUM=() A_TITLE=() A_FUNC=() A_HINT=()
	[ -f "$file" ] || return 1
	# shellcheck source=/dev/null
	source "$file"
}

assignment_index() {	# assignment_index N: its index in A_NUM
	local i
	for i in "${!A_NUM[@]}"; do
		[ "${A_NUM[$i]}" = "$1" ] && echo "$i" && return 0
	done
	return 1
}

# ------------------------------------------------------ helpers for checks ---

# load_failure OUTPUT: the one line to report for a program or tool that
# did not load: the verifier's reason if it rejected the program, else the
# first line of OUTPUT.
load_failure() {
	local line
	line=$(grep -m1 'verifier rejected' <<<"$1") || line=$(grep -m1 . <<<"$1")
	echo "${line:-no message}"
}

# tool_failed WHAT STATUS OUTPUT: report a tool (the learner's) that ended
# before doing its job: could not check when the verifier rejected the
# program, else not yet with its exit status and first line.
tool_failed() {
	if grep -q 'verifier rejected' <<<"$3"; then
		cannot_check "$(load_failure "$3")"
	else
		not_yet "$1 exited with status $2: $(load_failure "$3")"
	fi
}

# run_xdp OBJ PROG [xdp_run OPTIONS]: run PROG through BPF_PROG_TEST_RUN;
# its output in XDP_OUT. When it cannot run, reports the one line (not yet:
# no such program; could not check: anything else) and returns that status,
# so a check says: run_xdp "$1/xdp_prog_kern.o" xdp_drop_func -p ipv4 || return
run_xdp() {
	local obj=$1 prog=$2 err rc
	shift 2
	err=$(mktemp)
	XDP_OUT=$("$XDP_RUN" "$obj" "$prog" "$@" 2>"$err")
	rc=$?
	if [ "$rc" -ne 0 ]; then
		if grep -q "no program '$prog'" "$err"; then
			not_yet "$(basename "$obj") has no program $prog"
		elif grep -q "not an XDP program" "$err"; then
			not_yet "$prog in $(basename "$obj") is not an XDP program: SEC(\"xdp\")"
		elif grep -q 'verifier rejected' "$err"; then
			cannot_check "$(load_failure "$(sed 's/^xdp_run: //' "$err")")"
		else
			cannot_check "$prog did not run: $(load_failure "$(<"$err")")"
		fi
		rc=$?
	fi
	rm -f "$err"
	return "$rc"
}

# xdp_out_verdict: the verdict in XDP_OUT
xdp_out_verdict() { sed -n 's/^verdict: //p' <<<"$XDP_OUT"; }

# --------------------------------------------------------- running checks ---

# run_assignment I DIR: run check I on DIR; the line in CHECK_LINE, the
# outcome (pass, not yet, could not check, unsupported) in CHECK_OUTCOME.
run_assignment() {
	local i=$1 dir=$2 out rc
	out=$(timeout --foreground -k 5 "$CHECK_TIMEOUT" "$TOP/tests/lib/run_check.sh" \
		"$CHECKS_LESSON" "${A_FUNC[$i]}" "$dir" 2>"${CHECK_STDERR:-/dev/null}")
	rc=$?
	[ "$rc" -eq 130 ] && exit 130	# Ctrl-C: the check cleaned up; stop here
	CHECK_LINE=$(grep . <<<"$out" | tail -n 1)
	case $rc in
	0) CHECK_OUTCOME=pass ;;
	1) CHECK_OUTCOME="not yet" ;;
	2) CHECK_OUTCOME="could not check" ;;
	3) CHECK_OUTCOME=unsupported ;;
	124 | 137)
		CHECK_OUTCOME="could not check"
		CHECK_LINE="the check did not finish within $CHECK_TIMEOUT s" ;;
	*)
		CHECK_OUTCOME="could not check"
		CHECK_LINE="the check itself failed (status $rc): ${CHECK_LINE:-no output}" ;;
	esac
	CHECK_LINE=${CHECK_LINE:-the check printed nothing}
}

# build_dir DIR: build it quietly, as the owner of DIR (so `sudo make
# check` leaves nothing in a learner's tree that only root can rebuild); on
# failure BUILD_ERROR holds the compiler's first error line.
build_dir() {
	local log owner
	BUILD_ERROR=""
	owner=$(stat -c %u:%g "$1")
	if [ "$(id -u)" -eq 0 ] && [ "${owner%:*}" != 0 ]; then
		log=$(setpriv --reuid="${owner%:*}" --regid="${owner#*:}" --clear-groups \
			make -C "$1" 2>&1) && return 0
	else
		log=$(make -C "$1" 2>&1) && return 0
	fi
	BUILD_ERROR=$(grep -m1 -E 'error:|\*\*\*' <<<"$log")
	BUILD_ERROR=${BUILD_ERROR:-$(grep . <<<"$log" | tail -n 1)}
	return 1
}

# ------------------------------------------------------- judging trees ---

# A tree to judge: a directory TREE holding the lesson directory, next to
# links to everything else at the top (common/, headers/, config.mk, ...),
# so the lesson's Makefile builds there as it does in the checkout.
tree_new() {	# tree_new LESSON: prints the new tree's lesson directory
	local top entry
	top=$(mktemp -d /tmp/checks.XXXXXX) || return 1
	for entry in "$TOP"/*; do
		[ -e "$entry" ] && [ "$(basename "$entry")" != "$1" ] &&
			ln -s "$entry" "$top/$(basename "$entry")"
	done
	mkdir "$top/$1" && echo "$top/$1"
}

tree_remove() {	# tree_remove LESSON_DIR: what tree_new made
	local top
	top=$(dirname "$1")
	case $top in /tmp/checks.*) rm -rf "$top" ;; esac
}

# apply_fixture FIXTURE_DIR DIR: a wrong solution over the code in DIR: its
# files replace DIR's, and its *.diff files (diff -u, paths a/FILE b/FILE
# relative to the lesson directory) are applied.
apply_fixture() {
	local diff
	copy_sources "$1" "$2" EXPECT || return 1
	for diff in "$1"/*.diff; do
		[ -f "$diff" ] || continue
		if command -v git >/dev/null; then
			(cd "$2" && git apply -p1 "$diff") || return 1
		else
			patch -s -p1 -d "$2" -i "$diff" || return 1
		fi
	done
}

# copy_sources FROM TO [EXCEPT...]: the files a learner writes (no build
# output: no ELF or .d files; no *.diff), except the names given.
copy_sources() {
	local from=$1 to=$2 file name skip
	shift 2
	for file in "$from"/* "$from"/.[!.]*; do
		[ -f "$file" ] || continue
		name=$(basename "$file")
		[[ $name == .*.d || $name == *.skel.h || $name == *.diff ]] && continue
		[ "$(head -c 4 "$file" | od -An -c | tr -d ' ')" = '177ELF' ] && continue
		for skip in "$@"; do [ "$name" = "$skip" ] && continue 2; done
		cp -p "$file" "$to/" || return 1
	done
}

# lesson_as_committed LESSON DEST: the lesson's files as of HEAD (so a
# learner's edits never change what make test sees); the working tree when
# this is not a git checkout, or the lesson is not committed yet. Says which
# in COMMITTED_FROM.
lesson_as_committed() {
	local lesson=$1 dest=$2 head
	if head=$(git -C "$TOP" rev-parse --short HEAD 2>/dev/null) &&
	   [ -n "$(git -C "$TOP" ls-tree HEAD -- "$lesson")" ]; then
		COMMITTED_FROM="as committed (HEAD $head)"
		git -C "$TOP" archive HEAD -- "$lesson" | tar -x -C "$(dirname "$dest")"
	else
		COMMITTED_FROM="from the working tree (not a git checkout, or $lesson is not committed)"
		copy_sources "$TOP/$lesson" "$dest"
	fi
}
