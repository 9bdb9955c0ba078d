# SPDX-License-Identifier: GPL-2.0
# tracing02-xdp-fentry-fexit: the assignment checks. The oracle: basic02's
# xdp_drop_func on a quiet veth of the check's own, and two known IPv4
# frames run through it with BPF_PROG_TEST_RUN as if received on that veth;
# xdp_trace must print what the program did with them (README.org gives the
# line format). Kernels that refuse fentry/fexit cannot run these: the tool
# says so, and the checks report it (make vmtest runs them).
source "$TOP/tests/lib/trace.sh"

# t2_trace DIR: the lines DIR's xdp_trace prints for the two frames, in
# T2_LINES; otherwise reports why there are none and returns that status.
t2_trace() {
	local dir=$1 dev=t2c$BASHPID out
	out=$(mktemp)
	netenv_on_exit rm -f "$out"
	trace_target "$dev" xdp_drop_func ||
		{ cannot_check "xdp-loader could not attach basic02's xdp_drop_func to $dev"; return; }
	if ! trace_start "$dir" "$out" --dev "$dev" -c 4; then
		if trace_refused "$out"; then
			unsupported "$(sed 's/^xdp_trace: //' "$out")"
		elif grep -q 'verifier rejected' "$out"; then
			cannot_check "$(load_failure "$(<"$out")")"
		else
			not_yet "xdp_trace did not start tracing: $(load_failure "$(<"$out")")"
		fi
		return
	fi
	[ "$(trace_run "$dev" ipv4,udp 2)" = 1 ] ||
		{ cannot_check "xdp_drop_func did not run on $dev (BPF_PROG_TEST_RUN)"; return; }
	trace_wait "$out" 4
	trace_exit >/dev/null
	T2_LINES=$(grep '^Tracing packet:' "$out")
}

reports_verdict() {
	local fexit
	t2_trace "$1" || return
	fexit=$(grep -c "^Tracing packet: $TRACE_IPV4 (fexit: XDP_DROP[,)]" <<<"$T2_LINES")
	[ "$fexit" -eq 2 ] &&
		{ pass "2 frames dropped by xdp_drop_func: both fexit lines say XDP_DROP"; return; }
	not_yet "2 frames dropped by xdp_drop_func; the fexit lines: $(grep fexit <<<"$T2_LINES" | sort | uniq -c | sed 's/^ *//' | paste -sd ';')"
}
assignment 1 "fexit lines carry the traced program's verdict" reports_verdict \
	"add int verdict after xdp in trace_on_exit's BPF_PROG() and pass it to send_event()"

reports_ifindex() {
	local with
	t2_trace "$1" || return
	with=$(grep -c ", ifindex $TRACE_IFINDEX)\$" <<<"$T2_LINES")
	[ "$with" -eq 4 ] &&
		{ pass "all 4 lines (fentry and fexit) name ifindex $TRACE_IFINDEX, where the frames came in"; return; }
	not_yet "$with of 4 lines end in \", ifindex $TRACE_IFINDEX)\" (the veth the frames came in on); first line: $(head -n1 <<<"$T2_LINES")"
}
assignment 2 "every line says where the packet came in" reports_ifindex \
	"in send_event(), e->ifindex = BPF_CORE_READ(xdp, rxq, dev, ifindex)"
