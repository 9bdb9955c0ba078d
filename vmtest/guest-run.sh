#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmtest stage 2: PID 1 of the guest, run from the project tree on the
# host's root (read-only 9p under a tmpfs overlay). Mounts what the tests
# need, runs prove on the test files named on the kernel command line and
# sends prove's output and an exit code to the host over the second serial
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

# Test files run two at a time: the guest has two CPUs, and one test file
# keeps about one of them busy. Each file's prove -v output goes to the
# host whole when the file ends (under a lock), so the host reads it as if
# the files had run one after another; "@@vmtest-start FILE" says one
# began. The longest, assignments.t, goes first.
LOGS=/tmp/vmtest-logs
send() {	# send FILE: to the host, in one piece
	flock "$LOGS/.lock" cat "$1" >&3
}
run_test_file() {	# run_test_file FILE: prove -v FILE; its status in FILE.rc
	local log=$LOGS/${1//\//_} start=$SECONDS rc
	echo "@@vmtest-start $1" > "$log.start"
	send "$log.start"
	prove -v "$1" > "$log" 2>&1
	rc=$?
	echo "$rc" > "$log.rc"
	echo "@@vmtest-end $1 $rc $((SECONDS - start))" >> "$log"
	send "$log"
}
run_test_files() {	# run_test_files FILE...: 0 when every file passed
	local f
	mkdir -p "$LOGS" && : > "$LOGS/.lock"
	for f in $(printf '%s\n' "$@" | grep -x tests/assignments.t) \
		 $(printf '%s\n' "$@" | grep -vx tests/assignments.t); do
		while [ "$(jobs -rp | wc -l)" -ge 2 ]; do
			wait -n
		done
		run_test_file "$f" &
	done
	wait
	! grep -qvx 0 "$LOGS"/*.rc
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
run_test_files "${files[@]}"
finish $?
