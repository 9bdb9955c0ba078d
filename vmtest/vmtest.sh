#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make vmtest: run the test suite on other kernels under qemu.
#
# For each kernel: fetch Debian's generic linux-image package with apt (kept
# in vmtest/cache), build a busybox initramfs with the modules needed to
# mount the host's root over 9p, boot it with a time limit and run prove on
# the test files inside. The guest sends prove's output and exit code back
# over a second serial port; this script shows progress and prints one
# summary line per kernel.
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
CACHE=${VMTEST_CACHE:-$HERE/cache}
QEMU=${VMTEST_QEMU:-qemu-system-x86_64}

KERNELS="6.1 6.12"
TESTS=""
TIMEOUT=3600
ACCEL=auto
ENV_VARS=""
QUIET=0
VERBOSE=0

usage() {
	cat <<EOF
Usage: vmtest/vmtest.sh [OPTIONS]

Boots each kernel under qemu and runs the test suite inside it.

  -k, --kernels LIST   kernels to test, space separated (default: "$KERNELS");
                       a series (6.1, 6.12: the newest generic amd64 package
                       apt knows) or a package name (linux-image-6.1.0-50-amd64)
  -t, --tests LIST     test files to run (default: all of tests/*.t)
      --timeout SECS   time limit per kernel (default: $TIMEOUT)
      --accel MODE     tcg, kvm or auto: kvm if a short probe boot works
                       (default: $ACCEL)
  -e, --env NAME=VAL   set a variable for the tests in the guest (repeatable)
  -q, --quiet          print only the summary lines
  -v, --verbose        also print the guest's test output as it arrives
  -h, --help           this text

Downloads, unpacked kernels and the last run's logs are kept in
${CACHE#$TOP/}/ (VMTEST_CACHE overrides; VMTEST_QEMU names another qemu).
Exit 0 when the tests pass on every kernel, 1 when not, 2 on a bad option.
EOF
}

usage_error() {
	echo "vmtest: $* (see vmtest/vmtest.sh --help)" >&2
	exit 2
}

die() {
	echo "vmtest: $*" >&2
	exit 1
}

say() { [ "$QUIET" -eq 1 ] || echo "vmtest: $*"; }

while [ $# -gt 0 ]; do
	case $1 in
	-k|--kernels|-t|--tests|--timeout|--accel|-e|--env)
		[ $# -ge 2 ] || usage_error "$1 needs a value"
		case $1 in
		-k|--kernels) KERNELS=$2 ;;
		-t|--tests) TESTS=$2 ;;
		--timeout) TIMEOUT=$2 ;;
		--accel) ACCEL=$2 ;;
		-e|--env) ENV_VARS+="${ENV_VARS:+,}$2" ;;
		esac
		shift 2 ;;
	-q|--quiet) QUIET=1; shift ;;
	-v|--verbose) VERBOSE=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage_error "unknown option '$1'" ;;
	esac
done

[[ $TIMEOUT =~ ^[1-9][0-9]{0,5}$ ]] || usage_error "--timeout wants whole seconds, got '$TIMEOUT'"
case $ACCEL in tcg|kvm|auto) ;; *) usage_error "--accel wants tcg, kvm or auto, got '$ACCEL'" ;; esac
[ -n "${KERNELS// /}" ] || usage_error "no kernel named"
for v in ${ENV_VARS//,/ }; do
	[[ $v =~ ^[A-Z_][A-Z0-9_]*=[^,[:space:]]*$ ]] || usage_error "--env wants NAME=VALUE without spaces or commas, got '$v'"
done
if [ -z "$TESTS" ]; then
	TESTS=$(cd "$TOP" && echo tests/*.t)
fi
for t in $TESTS; do
	[ -f "$TOP/$t" ] || usage_error "no test file '$t' (names are relative to the project, e.g. tests/basic01.t)"
done
# The kernel command line splits on spaces.
[[ $TOP$CACHE == *[[:space:]]* ]] && die "the project path '$TOP' has a space; the guest cannot be told it: move the project"

# Each kernel name must be known before anything is booted.
for k in $KERNELS; do
	case $k in
	*-cloud-amd64) usage_error "$k: cloud kernels have no 9p, which the guest needs: use the generic package (without -cloud)" ;;
	[0-9]*.[0-9]*|linux-image-*-amd64) ;;
	*) usage_error "unknown kernel '$k': give a series such as 6.1 or 6.12, or a linux-image-*-amd64 package name" ;;
	esac
done

need() {  # need COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 ||
		die "no $1: install it with: apt-get install -y $2 (or: ./configure --install-deps --with-vmtest)"
}
need "$QEMU" qemu-system-x86
need busybox busybox-static
need depmod kmod
need modprobe kmod
need apt-cache apt
need dpkg-deb dpkg
need xz xz-utils	# 6.12's modules are .ko.xz
# The initramfs has no libraries: its busybox must be the static one.
ldd "$(command -v busybox)" >/dev/null 2>&1 &&
	die "$(command -v busybox) is not static: install it with: apt-get install -y busybox-static"
[ "$(id -u)" -eq 0 ] || die "the tests in the guest run as root and the guest reads the whole root file system: run as root or with sudo"

mkdir -p "$CACHE" || die "cannot create $CACHE"

# Everything temporary lives in RUN (inside the cache) and qemu dies with us.
RUN=$(mktemp -d "$CACHE/run.XXXXXX") || die "cannot create a run directory in $CACHE"
QEMU_PID=""
cleanup() {
	if [ -n "$QEMU_PID" ]; then
		kill "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The package for a series (6.1: linux-image-6.1.0-N-amd64, 6.12:
# linux-image-6.12.N+deb12-amd64), the newest apt can download; a package
# name is taken as it is.
package_for() {
	local name=$1 series re pkg
	if [[ $name == linux-image-* ]]; then
		echo "$name"
		return
	fi
	series=${name//./\\.}
	re="^linux-image-$series[.+-][0-9][^ ]*-amd64\$"
	for pkg in $(apt-cache pkgnames "linux-image-$name" 2>/dev/null |
		     grep -E "$re" | grep -vE -- '-(rt|cloud)-amd64$' | sort -rV); do
		if apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			echo "$pkg"
			return
		fi
	done
}

# Download and unpack PACKAGE into the cache (once); print its directory.
fetch_kernel() {
	local pkg=$1 dir=$CACHE/$1 tmp release
	if [ -f "$dir/.unpacked" ]; then
		echo "$dir"
		return
	fi
	tmp=$(mktemp -d "$CACHE/unpack.XXXXXX") || return 1
	if ! (cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$pkg" >download.log 2>&1); then
		echo "vmtest: cannot download $pkg: $(grep -m1 '^E:' "$tmp/download.log" || tail -n1 "$tmp/download.log")" >&2
		rm -rf "$tmp"
		return 1
	fi
	mkdir "$tmp/root"
	dpkg-deb -x "$tmp"/*.deb "$tmp/root" || { rm -rf "$tmp"; return 1; }
	release=$(ls "$tmp/root/lib/modules")
	depmod -b "$tmp/root" "$release" || { rm -rf "$tmp"; return 1; }
	touch "$tmp/root/.unpacked"
	rm -rf "$dir"
	mv "$tmp/root" "$dir" && rm -rf "$tmp"
	echo "$dir"
}

# The initramfs: static busybox, our init and the modules (with their
# dependencies, in load order) that it needs before the root is mounted.
build_initramfs() {
	local dir=$1 release=$2 out=$1/initramfs.cpio.gz stage ko
	if [ -f "$out" ] && [ "$out" -nt "$HERE/init" ] && [ "$out" -nt "$HERE/vmtest.sh" ]; then
		return 0
	fi
	stage=$RUN/initramfs
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,dev,proc,sys,modules}
	cp "$(command -v busybox)" "$stage/bin/busybox"
	cp "$HERE/init" "$stage/init"
	mknod "$stage/dev/console" c 5 1
	modprobe -d "$dir" -S "$release" --show-depends -a virtio_pci 9pnet_virtio 9p overlay |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }' > "$RUN/modules" || return 1
	[ -s "$RUN/modules" ] || return 1
	while read -r ko; do
		case $ko in
		*.xz) xz -dc "$ko" > "$stage/modules/$(basename "$ko" .xz)" ;;
		*.zst) zstd -qdc "$ko" > "$stage/modules/$(basename "$ko" .zst)" ;;
		*) cp "$ko" "$stage/modules/" ;;
		esac || return 1
		basename "${ko%.xz}" | sed 's/\.zst$//' >> "$stage/modules.order"
	done < "$RUN/modules"
	(cd "$stage" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$out.tmp" &&
		mv "$out.tmp" "$out"
	rm -rf "$stage"
}

# boot KERNEL_DIR RELEASE ACCEL LIMIT APPEND: run qemu in the background
# until the guest resets or LIMIT seconds pass; the console goes to
# $RUN/console, the results port to $RUN/results. Calls on_tick every
# second while it runs. Returns 0, or 124 on the time limit.
boot() {
	local dir=$1 release=$2 accel=$3 limit=$4 append=$5 cpu=max deadline
	[ "$accel" = kvm ] && cpu=host
	: > "$RUN/console"
	: > "$RUN/results"
	"$QEMU" -machine "accel=$accel" -cpu "$cpu" -smp 2 -m 2048 \
		-nodefaults -no-reboot -display none -monitor none \
		-kernel "$dir/boot/vmlinuz-$release" -initrd "$dir/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4 $append" \
		-serial "file:$RUN/console" -serial "file:$RUN/results" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		>"$RUN/qemu.log" 2>&1 &
	QEMU_PID=$!
	deadline=$((SECONDS + limit))
	while kill -0 "$QEMU_PID" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			kill "$QEMU_PID"
			wait "$QEMU_PID" 2>/dev/null
			QEMU_PID=""
			return 124
		fi
		sleep 1
		on_tick
	done
	wait "$QEMU_PID"
	QEMU_PID=""
	on_tick
	return 0
}

RESULT_LINES=0
# Print progress from the results port: which test file starts and how it
# ended (with -v, every line). A line still being written is left for the
# next tick.
on_tick() {
	local line
	while IFS= read -r line; do
		line=${line%$'\r'}
		RESULT_LINES=$((RESULT_LINES + 1))
		if [[ $line =~ ^@@vmtest-testing\ (.*) ]]; then
			say "$KERNEL: testing on ${BASH_REMATCH[1]}"
		elif [[ $line =~ ^@@vmtest-start\ (.*) ]]; then
			say "$KERNEL: ${BASH_REMATCH[1]} started"
		elif [[ $line =~ ^@@vmtest-end\ ([^ ]+)\ ([0-9]+)\ ([0-9]+) ]]; then
			local how=ok
			[ "${BASH_REMATCH[2]}" -eq 0 ] || how="FAILED (prove exit ${BASH_REMATCH[2]})"
			say "$KERNEL: ${BASH_REMATCH[1]}: $how, ${BASH_REMATCH[3]} s"
		elif [ "$VERBOSE" -eq 1 ]; then
			say "  $line"
		fi
	done < <(tail -n +$((RESULT_LINES + 1)) "$RUN/results")
}

# Does a short boot with KVM reach the guest's init? (On some hosts a KVM
# guest hangs before the kernel starts.) The answer is kept per host boot.
kvm_works() {
	local dir=$1 release=$2 stamp
	[ -w /dev/kvm ] || return 1
	stamp=$CACHE/kvm-probe.$(cat /proc/sys/kernel/random/boot_id)
	if [ ! -f "$stamp" ]; then
		say "probing KVM with a short boot"
		if boot "$dir" "$release" kvm 30 "vmtest.probe" 2>/dev/null &&
		   grep -q '^@@vmtest-exit 0' "$RUN/results"; then
			echo kvm > "$stamp"
		else
			echo tcg > "$stamp"
		fi
		RESULT_LINES=0
	fi
	[ "$(cat "$stamp")" = kvm ]
}

# Counts from prove's verbose output: "passed failed skipped", and the
# skipped checks as "file: name # SKIP reason" lines in $RUN/skips.$KERNEL.
count_results() {
	touch "$RUN/skips.$KERNEL"
	tr -d '\r' < "$RUN/results" | awk -v skips="$RUN/skips.$KERNEL" '
		/^tests\/[^ ]+\.t \.\./ { file = $1; next }
		/^ *ok [0-9]+.*# [Ss][Kk][Ii][Pp]/ {
			skipped++; line = $0; sub(/^ *ok [0-9]+ - /, "", line)
			print file ": " line > skips; next }
		/^ *ok [0-9]+/ { passed++; next }
		/^ *not ok [0-9]+/ { failed++; next }
		/^ *1\.\.0 # [Ss][Kk][Ii][Pp]/ {
			skipped++; line = $0; sub(/^ *1\.\.0 # [Ss][Kk][Ii][Pp] */, "", line)
			print file ": whole file # SKIP " line > skips }
		END { printf "%d %d %d\n", passed, failed, skipped }'
}

FAILED_KERNELS=0
TESTED=()
run_kernel() {
	local pkg dir release accel=tcg start rc attempt exit_code passed failed skipped
	start=$SECONDS
	pkg=$(package_for "$KERNEL")
	if [ -z "$pkg" ]; then
		echo "vmtest: $KERNEL: no kernel package reachable: apt knows no downloadable linux-image-$KERNEL.*-amd64 (run apt-get update, or check /etc/apt/sources.list for bookworm-security)" >&2
		return 1
	fi
	if [ ! -f "$CACHE/$pkg/.unpacked" ]; then
		say "$KERNEL: fetching $pkg"
	fi
	dir=$(fetch_kernel "$pkg") || return 1
	release=$(ls "$dir/lib/modules")
	grep -qE '^CONFIG_NET_9P_VIRTIO=[ym]' "$dir/boot/config-$release" || {
		echo "vmtest: $KERNEL: $pkg has no 9p over virtio, which the guest needs to see the host: use a generic linux-image-*-amd64 package" >&2
		return 1
	}
	build_initramfs "$dir" "$release" || {
		echo "vmtest: $KERNEL: cannot build the initramfs for $release (modules virtio_pci, 9p, overlay)" >&2
		return 1
	}
	case $ACCEL in
	kvm) accel=kvm ;;
	auto) kvm_works "$dir" "$release" && accel=kvm ;;
	esac

	for attempt in 1 2; do
		say "$KERNEL: booting $release ($accel), time limit $TIMEOUT s"
		RESULT_LINES=0
		# (bash's note on a qemu that crashed goes to its log too)
		boot "$dir" "$release" "$accel" "$TIMEOUT" \
			"vmtest.dir=$TOP vmtest.mods=$dir vmtest.tests=${TESTS// /,} ${ENV_VARS:+vmtest.env=$ENV_VARS}" \
			2>>"$RUN/qemu.log"
		rc=$?
		# Under TCG a kernel now and then trips over its own live code
		# patching while it boots (an Oops on int3, then a panic): that
		# says nothing about the tests, so boot once more.
		[ "$attempt" -eq 1 ] && [ "$rc" -eq 0 ] && [ "$accel" = tcg ] &&
			! grep -q '^@@vmtest-testing' "$RUN/results" &&
			grep -q 'Kernel panic' "$RUN/console" || break
		say "$KERNEL: the kernel panicked while booting ($(tr -d '\r' < "$RUN/console" | grep -m1 -oE '(Oops|BUG): .*' || echo 'see its console log')); booting again"
	done
	cp "$RUN/console" "$CACHE/last-$KERNEL-console.log"
	tr -d '\r' < "$RUN/results" > "$CACHE/last-$KERNEL-tap.log"
	exit_code=$(sed -n 's/^@@vmtest-exit \([0-9]*\).*/\1/p' "$RUN/results" | tail -n1)
	read -r passed failed skipped < <(count_results)
	grep -q '^@@vmtest-testing' "$RUN/results" && TESTED+=("$KERNEL")

	local summary="$KERNEL ($release, $accel): $passed passed, $failed failed, $skipped skipped, $((SECONDS - start)) s"
	if [ "$rc" -eq 124 ] || [ -z "$exit_code" ]; then
		local why="the guest stopped before the tests finished"
		[ "$rc" -eq 124 ] && why="time limit of $TIMEOUT s reached"
		grep -q 'Kernel panic' "$RUN/console" && why="kernel panic"
		echo "vmtest: $summary: FAILED, $why; last console lines:"
		tr -d '\r' < "$RUN/console" | tail -n 15 | sed 's/^/    /'
		[ -s "$RUN/qemu.log" ] && sed 's/^/    qemu: /' "$RUN/qemu.log" | tail -n 5
		return 1
	fi
	if [ "$exit_code" -eq 3 ]; then
		echo "vmtest: $summary: FAILED, the guest could not run the tests: $(tr -d '\r' < "$RUN/results" | grep -m1 '^vmtest-')"
		return 1
	fi
	if [ "$exit_code" -ne 0 ] || [ "$failed" -ne 0 ]; then
		echo "vmtest: $summary: FAILED"
		tr -d '\r' < "$RUN/results" | awk '/^tests\/[^ ]+\.t \.\./ { file = $1 }
			/^ *not ok [0-9]+/ { print "    " file ": " $0 }
			/^@@vmtest-end / && $3 != 0 { print "    " $2 ": prove exit " $3 }' | head -n 20
		return 1
	fi
	echo "vmtest: $summary: ok"
}

for KERNEL in $KERNELS; do
	run_kernel || FAILED_KERNELS=$((FAILED_KERNELS + 1))
done

# A check that skipped on some kernels and ran on others, known by its file
# and name (a reason may name the test's own interfaces).
if [ ${#TESTED[@]} -gt 1 ]; then
	for k in "${TESTED[@]}"; do
		for other in "${TESTED[@]}"; do
			[ "$k" = "$other" ] && continue
			awk -F ' # SKIP' 'NR == FNR { skipped[$1]; next } !($1 in skipped)' \
				"$RUN/skips.$other" "$RUN/skips.$k" |
				sed "s/^/vmtest: skipped on $k, ran on $other: /"
		done
	done | sort -u
fi
[ "$FAILED_KERNELS" -eq 0 ]
