#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmtest stage 2: PID 1 of the guest, run from the project tree on the
# host's root (read-only 9p under a tmpfs overlay). Mounts what the tests
# need, runs prove on the test files named on the kernel command line and
# sends prove's output and its exit code to the host over the second serial
# port (/dev/ttyS1), then resets the machine (qemu runs with -no-reboot, so it exits).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb VMTEST=1

results=/dev/ttyS1
stty -F "$results" raw -echo 2>/dev/null
exec 3>"$results"

finish() {
	echo "@@vmtest-exit $1" >&3
	exec 3>&-
	sync
	echo b > /proc/sysrq-trigger
	sleep 10
}

# What stops the guest before the tests: one line for the host, status 3.
fail() {
	echo "vmtest-guest: $*" >&3
	finish 3
}

for arg in $(cat /proc/cmdline); do
	case $arg in
	vmtest.dir=*) project=${arg#vmtest.dir=} ;;
	vmtest.tests=*) tests=${arg#vmtest.tests=} ;;
	vmtest.env=*) env_vars=${arg#vmtest.env=} ;;
	esac
done

# /tmp is writable already (the overlay keeps what is written in memory)
# and stays the host's, so a project that lives there is seen. /run gets
# a tmpfs of its own: the host's state there (testenv's among it) is not
# this machine's.
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /dev/pts /dev/shm
# devtmpfs has the devices but not these links (bash's <(...) needs them).
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ip link set lo up
hostname vmtest
# The modules the tests use are loaded on demand by the host's modprobe;
# load the common ones up front so a missing one shows here, once.
modprobe -a veth 8021q sch_ingress cls_bpf 2>&1 | sed 's/^/vmtest-guest: /'

# Extra environment (e.g. CI=true) passed as NAME=VALUE,NAME=VALUE.
IFS=, read -r -a assignments <<< "${env_vars:-}"
for a in "${assignments[@]}"; do
	[[ $a == [A-Z_]*=* ]] && export "${a?}"
done

cd "$project" || fail "cannot enter the project directory $project"
echo "@@vmtest-testing $(uname -r)" >&3
IFS=, read -r -a files <<< "$tests"
# Through a pipe, as under make test: prove sees no terminal, so no colours.
prove -v "${files[@]}" 2>&1 | cat >&3
finish "${PIPESTATUS[0]}"
