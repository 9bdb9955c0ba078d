#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What every tool does with bad input, through the lesson loaders (all
# share common/): one line on stderr saying what is wrong, exit 1 (run
# time) or 2 (command line), and nothing attached or pinned afterwards.
source "$(dirname "$0")/lib/xdp.sh"
require_root

PROGS=$TOP/tests/progs
L1=$TOP/basic01-xdp-pass/xdp_pass_user
L2=$TOP/basic02-prog-by-name/xdp_loader
L3=$TOP/basic03-map-counter/xdp_load_and_stats
L4=$TOP/basic-solutions/basic04-pinning-maps/xdp_loader
DEV=tt$$
netenv_quiet_veth "$DEV"
ip link set dev "$DEV" up

scratch=$(mktemp -d)
netenv_on_exit "rm -rf '$scratch'"
mkfifo "$scratch/fifo"
: >"$scratch/empty.o"
echo "not an object" >"$scratch/text.o"
head -c 700 "$PROGS/two_maps_kern.o" >"$scratch/truncated.o"

# ------------------------------------------------------- the verifier ---

for tool in "$L1" "$L2" "$L4"; do
	name=$(basename "$(dirname "$tool")")/$(basename "$tool")
	args=(--dev "$DEV" --filename "$PROGS/verifier_reject_kern.o")
	[ "$tool" = "$L1" ] || args+=(--progname xdp_unchecked_func)
	check_error "$name: a verifier rejection is its reason, on one line" 1 \
		"the verifier rejected xdp_unchecked_func: R1 offset is outside of the packet \(insn [0-9]+: .*\); -v shows the whole log" \
		-- "$tool" "${args[@]}"
done
err=$("$L2" --dev "$DEV" --filename "$PROGS/verifier_reject_kern.o" \
	--progname xdp_unchecked_func 2>&1)
! grep -qiE 'permission|root|bpffs' <<<"$err"
ok $? "a verifier rejection is not called a permissions problem"
[ -n "$err" ] || diag "got: $err"
out=$("$L2" --dev "$DEV" --filename "$PROGS/verifier_reject_kern.o" \
	--progname xdp_unchecked_func -v 2>&1)
grep -q '^processed [0-9]* insns' <<<"$out" && grep -q 'R1 offset is outside' <<<"$out"
ok $? "-v shows the verifier's whole log"
check_error "xdp_run reports the rejection the same way" 1 \
	"xdp_run: the verifier rejected xdp_unchecked_func: R1 offset" -- \
	"$TOP/tests/xdp_run" "$PROGS/verifier_reject_kern.o" xdp_unchecked_func
check "nothing attached after the rejections" -- no_xdp_on "$DEV"

for tool in "$L2" "$TOP/tests/xdp_run"; do
	if [ "$tool" = "$L2" ]; then args=(--dev "$DEV" --filename "$PROGS/bad_map_kern.o")
	else args=("$PROGS/bad_map_kern.o" xdp_pass_func); fi
	check_error "$(basename "$tool"): libbpf's reason for a failed load is not filtered out" 1 \
		"loading xdp_pass_func failed: Invalid argument \(map 'empty_map': failed to create" \
		-- "$tool" "${args[@]}"
done

# ------------------------------------------------------ bad object files ---

bad_object() {	# bad_object WHAT FILE REGEX: every loader, and --list
	local tool name
	for tool in "$L1" "$L2" "$L3" "$L4"; do
		name=$(basename "$tool")
		check_error "$name: $1" 1 "$3" -- timeout 10 "$tool" --dev "$DEV" --filename "$2"
	done
	check_error "xdp_loader --list: $1" 1 "$3" -- timeout 10 "$L2" --list --filename "$2"
}
bad_object "a missing file" /nonexistent.o "cannot open /nonexistent.o: No such file"
bad_object "an empty file" "$scratch/empty.o" "empty.o is empty"
bad_object "a text file" "$scratch/text.o" "text.o is not an ELF object file"
bad_object "a host program" /bin/true "/bin/true is not a BPF object"
bad_object "a truncated object" "$scratch/truncated.o" "cannot read .*truncated.o: .*rebuild it"
bad_object "a directory" "$scratch" "is not a regular file"
bad_object "a FIFO (which must not hang)" "$scratch/fifo" "fifo is not a regular file"
check "nothing attached after the bad objects" -- no_xdp_on "$DEV"

# ------------------------------------------------- programs that are not XDP ---

check_error "a tc program is refused, not attached as XDP" 1 \
	"tc_drop_func in .*not_xdp_kern.o is not an XDP program \(its section is \"tc\"\)" -- \
	"$L2" --dev "$DEV" --filename "$PROGS/not_xdp_kern.o" --progname tc_drop_func
check "nothing attached after it" -- no_xdp_on "$DEV"
check "--list names only the XDP program" -- \
	test "$("$L2" --list --filename "$PROGS/not_xdp_kern.o")" = xdp_pass_func
check "and the loader attaches that one" -- \
	"$L2" --dev "$DEV" --filename "$PROGS/not_xdp_kern.o" --progname xdp_pass_func -q
says_detached() { "$L2" --dev "$DEV" --unload-all | grep -q "Detached every XDP program from $DEV"; }
check "--unload-all says what it did" -- says_detached
runs_no_tc_program() { ! "$TOP/tests/xdp_run" "$PROGS/not_xdp_kern.o" tc_drop_func 2>&1 | grep -q verdict; }
check "xdp_run refuses it too" -- runs_no_tc_program

# ------------------------------------------------------- the command line ---

check_error "an id too large for 32 bits does not wrap" 2 \
	"program id \(--unload\) must be 1 to 4294967295, not '4294969427'" -- \
	"$L2" --dev "$DEV" -U 4294969427
check_error "a negative id" 2 "must be a decimal number, not '-1'" -- "$L2" --dev "$DEV" -U -1
check_error "a hexadecimal id" 2 "must be a decimal number, not '0x10'" -- "$L2" --dev "$DEV" -U 0x10
check_error "a leading zero is decimal, not octal" 1 "no XDP program attached to $DEV" -- \
	"$L2" --dev "$DEV" -U 045677
check_error "--skb-mode with --native-mode" 2 "give only one of --skb-mode, --native-mode" -- \
	"$L2" --dev "$DEV" --skb-mode --native-mode
check_error "--unload-all with -U" 2 "either --unload ID or --unload-all, not both" -- \
	"$L2" --dev "$DEV" --unload-all -U 5
check_error "--list with --unload-all" 2 "--list and --unload do not go together" -- \
	"$L2" --list --unload-all
check_error "an unknown option in a cluster is named" 2 "unknown option '-z'" -- "$L2" -qz
check_error "an option without its argument" 2 "option '--progname' needs an argument" -- \
	"$L2" --dev "$DEV" --progname
check_error "xdp_run -n takes a decimal count" 2 "the repeat count \(-n\) must be a decimal number" -- \
	"$TOP/tests/xdp_run" "$PROGS/not_xdp_kern.o" xdp_pass_func -n 12x

# ------------------------------------------------------------- not root ---

# A copy the unprivileged user can reach, wherever the checkout is.
cp "$L2" "$TOP/basic02-prog-by-name/xdp_prog_kern.o" "$scratch/"
chmod -R a+rX "$scratch"
if su nobody -s /bin/sh -c true 2>/dev/null; then
	for args in "--dev $DEV" "--dev $DEV --unload-all"; do
		check_error "not root: xdp_loader $args" 1 \
			"needs root \(or CAP_BPF and CAP_NET_ADMIN\)" -- \
			su nobody -s /bin/sh -c "cd '$scratch' && ./xdp_loader $args"
	done
else
	skip "not root: one line" "cannot run commands as user nobody here"
fi
check "nothing attached at the end" -- no_xdp_on "$DEV"
done_testing
