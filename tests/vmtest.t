#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vmtest/vmtest.sh on bad input: one line and the exit code, nothing left in
# its cache. No kernel is downloaded here; the time-limit and Ctrl-C checks
# boot a kernel only when make vmtest has already unpacked one (a few
# seconds each), and are skipped otherwise (and inside a vmtest guest).
source "$(dirname "$0")/lib/netenv.sh"
require_root

VMTEST_SH=$TOP/vmtest/vmtest.sh
CACHE=$(mktemp -d /tmp/vmtest-t.XXXXXX)
netenv_on_exit rm -rf "$CACHE"
export VMTEST_CACHE=$CACHE

check_error "unknown kernel name" 2 "unknown kernel 'foo'" -- "$VMTEST_SH" --kernels foo
check_error "a cloud kernel" 2 "cloud kernels have no 9p" -- \
	"$VMTEST_SH" --kernels linux-image-6.1.0-50-cloud-amd64
check_error "no kernel named" 2 "no kernel named" -- "$VMTEST_SH" --kernels " "
check_error "a bad time limit" 2 "--timeout wants whole seconds" -- "$VMTEST_SH" --timeout 10s
check_error "a bad accelerator" 2 "--accel wants tcg, kvm or auto" -- "$VMTEST_SH" --accel xen
check_error "a missing test file" 2 "no test file 'tests/nosuch.t'" -- "$VMTEST_SH" --tests tests/nosuch.t
check_error "an unknown option" 2 "unknown option '--bogus'" -- "$VMTEST_SH" --bogus
check_error "no qemu" 1 "no /nonexistent/qemu-system-x86_64: install it with" -- \
	env VMTEST_QEMU=/nonexistent/qemu-system-x86_64 "$VMTEST_SH" --kernels 6.1

nothing_left() { [ -z "$(ls -A "$CACHE")" ]; }
if ! command -v qemu-system-x86_64 >/dev/null || ! command -v depmod >/dev/null ||
   ldd "$(command -v busybox || echo /nonexistent)" >/dev/null 2>&1 || ! command -v busybox >/dev/null; then
	skip "vmtest with qemu" "no qemu-system-x86_64, static busybox or kmod: ./configure --install-deps --with-vmtest"
	done_testing
	exit
fi
check_error "a series apt does not know" 1 "5\.99: no kernel package reachable" -- \
	"$VMTEST_SH" --kernels 5.99
check "it left nothing in its cache" -- nothing_left

# The rest boots a kernel that make vmtest unpacked before, if any.
kernel=$(cd "$TOP/vmtest/cache" 2>/dev/null && ls -d linux-image-*/.unpacked 2>/dev/null | head -n1)
kernel=${kernel%/.unpacked}
if [ -z "$kernel" ] || [ -n "${VMTEST:-}" ]; then
	skip "a boot under qemu" "no kernel in vmtest/cache yet (make vmtest fetches them), or inside a vmtest guest already"
	done_testing
	exit
fi
ln -s "$TOP/vmtest/cache/$kernel" "$CACHE/$kernel"
qemu_of_ours() { pgrep -f "qemu-system.*$CACHE/run\." >/dev/null; }

out=$("$VMTEST_SH" --kernels "$kernel" --tests tests/vmtest.t --timeout 4 --accel tcg 2>&1)
rc=$?
[ "$rc" -eq 1 ] && grep -q "FAILED, time limit of 4 s reached; last console lines:" <<<"$out"
ok $? "$kernel with a 4 s time limit: FAILED, the time limit and the console's last lines, exit 1 (got $rc)"
[ $? -eq 0 ] || diag "$out"
! qemu_of_ours && [ -z "$(ls -d "$CACHE"/run.* 2>/dev/null)" ]
ok $? "no qemu and no run directory left after the time limit"

out=$(mktemp)
netenv_on_exit rm -f "$out"
netenv_start "$out" "$VMTEST_SH" --kernels "$kernel" --tests tests/vmtest.t --accel tcg
netenv_wait_for 30 qemu_of_ours
# SIGTERM: a background job ignores SIGINT (the shell's rule), a
# terminal's Ctrl-C takes the same way out.
netenv_stop "$NETENV_PID" TERM
rc=$?
[ "$rc" -eq 143 ] && ! qemu_of_ours && [ -z "$(ls -d "$CACHE"/run.* 2>/dev/null)" ]
ok $? "SIGTERM while booting: exit 143, no qemu and no run directory left (got $rc)"
[ $? -eq 0 ] || diag "$(cat "$out")"
done_testing
