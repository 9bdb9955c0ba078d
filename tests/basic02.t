#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# basic02-prog-by-name: each program's verdict on every kind of frame, and
# xdp_loader picking programs by name on a real interface.
source "$(dirname "$0")/lib/xdp.sh"
require_root

LESSON=$TOP/basic02-prog-by-name
for obj in "$LESSON/xdp_prog_kern.o" "$TOP/basic-solutions/basic02-prog-by-name/xdp_prog_kern.o"; do
	expect_verdicts "$obj" xdp_pass_func XDP_PASS
	expect_verdicts "$obj" xdp_drop_func XDP_DROP
done

cd "$LESSON" || exit 1
check_equal "--list names the object's programs" $'xdp_pass_func\nxdp_drop_func' -- \
	./xdp_loader --list

netenv_setup b2t$$ || { done_testing; exit; }

out=$(./xdp_loader --dev "$ENV" --progname xdp_drop_func 2>&1)
ok $? "xdp_loader attaches xdp_drop_func"
check_match "xdp-loader status shows xdp_drop_func" xdp_drop_func -- \
	xdp-loader status "$ENV"
! testenv ping -- -c 2 -W 1 >/dev/null 2>&1
ok $? "pings are lost while xdp_drop_func is attached"

# Where the kernel allows freplace, libxdp attaches through its
# multi-program dispatcher and programs share the interface; where it does
# not (legacy mode), one program per interface, and the loader says so.
# Each kernel runs one of the two.
programs_behind_dispatcher() { netenv_dispatcher_prog_ids "$1" | wc -l; }
legacy_note="Note: attached without libxdp's multi-program dispatcher"
if netenv_dispatcher_on "$ENV"; then
	! grep -q "$legacy_note" <<<"$out"
	ok $? "behind libxdp's dispatcher: no note about legacy mode" || diag "got:" "$out"
	check "xdp_loader adds xdp_pass_func beside xdp_drop_func" -- \
		./xdp_loader --dev "$ENV" --progname xdp_pass_func
	check "xdp-loader (xdp-tools) adds a third program to the same interface" -- \
		xdp-loader load "$ENV" xdp_prog_kern.o --prog-name xdp_pass_func
	check_equal "xdp-loader status lists the three behind the dispatcher" 3 -- \
		programs_behind_dispatcher "$ENV"
	skip "legacy mode: a note, and a second program refused" "this kernel allows freplace: libxdp's dispatcher runs"
else
	skip "libxdp's dispatcher: three programs on one interface (xdp_loader, xdp-loader)" \
		"this kernel refuses freplace, so libxdp runs in legacy mode"
	grep -q "$legacy_note" <<<"$out"
	ok $? "legacy mode: the loader notes it" || diag "got:" "$out"
	check_error "legacy mode: a second load is refused, already attached" 1 "already attached.*unload" -- \
		./xdp_loader --dev "$ENV" --progname xdp_pass_func
fi
check_error "unload of an id that is not there" 1 "no XDP program with id 99999" -- \
	./xdp_loader --dev "$ENV" -U 99999
check "--unload-all detaches" -- ./xdp_loader --dev "$ENV" --unload-all
check "xdp_loader attaches xdp_pass_func" -- ./xdp_loader --dev "$ENV" --progname xdp_pass_func
check "pings are answered with xdp_pass_func" -- testenv ping -- -c 2 -W 2
id=$(netenv_xdp_loaded_prog_id "$ENV")
check "--unload ID detaches program $id" -- ./xdp_loader --dev "$ENV" --unload "$id"
check "nothing attached after unload" -- no_xdp_on "$ENV"

check_error "wrong program name" 1 "no program 'nope' in xdp_prog_kern.o" -- \
	./xdp_loader --dev "$ENV" --progname nope
check_error "missing object" 1 "cannot open /nonexistent.o" -- \
	./xdp_loader --dev "$ENV" --filename /nonexistent.o
check_error "missing interface" 2 "no such interface: 'nosuchif0'" -- \
	./xdp_loader --dev nosuchif0
check_error "unknown option" 2 "unknown option '--bogus'" -- ./xdp_loader --bogus
check_error "unload with nothing attached" 1 "no XDP program attached" -- \
	./xdp_loader --dev "$ENV" --unload-all
check "bad input left nothing attached" -- no_xdp_on "$ENV"
netenv_done
done_testing
