# SPDX-License-Identifier: GPL-2.0
# tracing03-xdp-dump: the assignment checks. Each runs the xdpdump being
# judged on a quiet veth pair of its own (both ends down: no traffic but
# ours) and feeds its attached program known frames with BPF_PROG_TEST_RUN.
# The oracles: the frames sent, the pcap file read by our own parser and by
# tcpdump, the program's maps (bpftool), and the summary line whose format
# README.org states ("N packets captured, L lost, S seen by the program").

source "$TOP/tests/lib/pcap.sh"

# t3_start DIR DEV PCAP ARGS...: DIR's xdpdump capturing DEV into PCAP,
# with ARGS; T3_OUT holds what it prints, T3_PID its pid, T3_PROG the id of
# the program it attached. Fails, having reported the one line, when it
# did not get as far as attaching.
t3_start() {
	local dir=$1 dev=$2 pcap=$3 rc
	shift 3
	T3_OUT=$(mktemp)
	netenv_on_exit rm -f "$T3_OUT" "$pcap"
	netenv_quiet_veth "$dev" || { cannot_check "cannot make a veth pair $dev"; return; }
	netenv_start "$T3_OUT" "$dir/xdpdump" -i "$dev" -w "$pcap" "$@"
	T3_PID=$NETENV_PID
	netenv_wait_for 10 t3_attached_or_gone "$dev" "$T3_PID"
	T3_PROG=$(netenv_xdp_prog_id "$dev")
	if [ -z "$T3_PROG" ]; then
		netenv_stop "$T3_PID"
		rc=$?
		tool_failed "xdpdump -i $dev -w FILE $*" "$rc" "$(<"$T3_OUT")"
		return
	fi
}

t3_attached_or_gone() { netenv_xdp_prog_id "$1" || ! kill -0 "$2" 2>/dev/null; }

# t3_send SPEC N: run the attached program N times on the frame SPEC.
t3_send() {
	local frame rc
	frame=$(mktemp)
	netenv_frame "$1" "$frame" && netenv_run_prog "$T3_PROG" "$frame" "$2"
	rc=$?
	rm -f "$frame"
	return "$rc"
}

# t3_counter NAME: a per-CPU __u64 map NAME of the attached program, added up.
t3_counter() {
	local id
	id=$(netenv_prog_map_id "$T3_PROG" "$1") || return 1
	"$NETENV_BPFTOOL" -j map lookup id "$id" key 0 0 0 0 | perl -MJSON::PP -e '
		my $sum = 0;
		$sum += $_->{value} for @{decode_json(join "", <STDIN>)->{formatted}{values}};
		print "$sum\n";'
}

# t3_map_types: "name (type)" of each map of the attached program, but
# the global variables' (.rodata, .bss, .data).
t3_map_types() {
	local ids id
	ids=$("$NETENV_BPFTOOL" -j prog show id "$T3_PROG" |
	      perl -MJSON::PP -e 'print "@{decode_json(<STDIN>)->{map_ids}}"')
	for id in $ids; do
		"$NETENV_BPFTOOL" -j map show id "$id" |
			perl -MJSON::PP -e '$m = decode_json(<STDIN>);
				print "$m->{name} ($m->{type})\n" unless $m->{name} =~ /\./'
	done
}

# t3_stop: Ctrl-C the tool; its summary numbers in T3_CAPTURED, T3_LOST,
# T3_SEEN. Fails, having reported, when it did not end well.
t3_stop() {
	local rc summary
	netenv_stop "$T3_PID"
	rc=$?
	[ "$rc" -eq 0 ] || { not_yet "xdpdump exited with status $rc on Ctrl-C: $(load_failure "$(<"$T3_OUT")")"; return; }
	summary=$(grep -E '^[0-9]+ packets? captured, [0-9]+ lost, [0-9]+ seen by the program' "$T3_OUT" | tail -n 1)
	[ -n "$summary" ] || { not_yet "no summary line \"N packets captured, L lost, S seen by the program\" on exit"; return; }
	read -r T3_CAPTURED T3_LOST T3_SEEN < <(grep -oE '[0-9]+' <<<"$summary" | head -n 3 | xargs)
}

# ------------------------------------------------------------ assignment 1 ---

T3_UDP_SPECS="ipv4,udp:3 ipv6,udp:2"
T3_OTHER_SPECS="ipv4,tcp:4 ipv6,icmp6:2 ipv4,icmp:1"

filters_in_program() {
	local dev=t3a$BASHPID pcap seen item records total udp
	command -v tcpdump >/dev/null ||
		{ unsupported "needs tcpdump, which is not installed"; return; }
	pcap=$(mktemp -u /tmp/t3a.XXXXXX.pcap)
	t3_start "$1" "$dev" "$pcap" --proto udp || return
	for item in $T3_UDP_SPECS $T3_OTHER_SPECS; do
		t3_send "${item%:*}" "${item#*:}" ||
			{ cannot_check "running the attached program on ${item%:*} failed"; return; }
	done
	seen=$(t3_counter seen) || { not_yet "the program has no map named 'seen'"; return; }
	t3_stop || return
	records=$(tcpdump -nr "$pcap" 2>/dev/null) ||
		{ not_yet "tcpdump cannot read the pcap file xdpdump wrote"; return; }
	total=$(grep -c . <<<"$records") udp=$(grep -c ' UDP, ' <<<"$records")
	[ "$total" -eq 5 ] && [ "$udp" -eq 5 ] ||
		{ not_yet "with --proto udp, after 5 UDP frames (3 IPv4, 2 IPv6) and 7 others, the pcap holds $total frames, $udp of them UDP"; return; }
	[ "$seen" -eq 5 ] ||
		{ not_yet "the program's 'seen' counter says $seen after 5 UDP and 7 other frames: the filter has to run in the XDP program, before the frame is sent"; return; }
	pass "--proto udp: 5 of 12 frames captured, all UDP; the program saw 5"
}
assignment 1 "a protocol filter in the XDP program (--proto)" filters_in_program \
	"add a const volatile filter global, compare the IPv4 protocol / IPv6 next header with it before count_seen(), and set it from --proto before the load"

# ------------------------------------------------------------ assignment 2 ---

T3_RB_SPECS="ipv4,udp,len=200:3 ipv6,tcp:2 vlan,ipv6,icmp6:1"
T3_RB_FRAMES=6

uses_ring_buffer() {
	local dev=t3b$BASHPID pcap maps item spec n want got i=0
	pcap=$(mktemp -u /tmp/t3b.XXXXXX.pcap)
	t3_start "$1" "$dev" "$pcap" || return
	maps=$(t3_map_types)
	grep -q '(ringbuf)' <<<"$maps" && ! grep -q '(perf_event_array)' <<<"$maps" ||
		{ not_yet "the program's maps: $(paste -sd, <<<"$maps" | sed "s/,/, /g"): the frames should go through a ringbuf map, and no perf_event_array"; return; }
	for item in $T3_RB_SPECS; do
		t3_send "${item%:*}" "${item#*:}" ||
			{ cannot_check "running the attached program on ${item%:*} failed"; return; }
	done
	t3_stop || return
	got=$(pcap_records "$pcap" 2>&1) || { not_yet "the pcap file is broken: $got"; return; }
	[ "$(grep -c . <<<"$got")" -eq "$T3_RB_FRAMES" ] ||
		{ not_yet "the pcap holds $(grep -c . <<<"$got") frames, $T3_RB_FRAMES were sent"; return; }
	for item in $T3_RB_SPECS; do
		spec=${item%:*}
		want=$(frame_hex "$spec")
		for ((n = 0; n < ${item#*:}; n++)); do
			i=$((i + 1))
			[ "$(sed -n "${i}p" <<<"$got")" = "$((${#want} / 2)) $((${#want} / 2)) $want" ] ||
				{ not_yet "pcap record $i is not the $spec frame sent (caplen, length, bytes): got '$(sed -n "${i}p" <<<"$got" | cut -c1-40)...'"; return; }
		done
	done
	[ "$T3_CAPTURED" -eq "$i" ] && [ $((T3_CAPTURED + T3_LOST)) -eq "$T3_SEEN" ] ||
		{ not_yet "summary after $i frames: $T3_CAPTURED captured + $T3_LOST lost, but $T3_SEEN seen"; return; }
	pass "through a ring buffer: $i of $i frames captured byte for byte; $T3_CAPTURED captured + $T3_LOST lost = $T3_SEEN seen"
}
assignment 2 "send the frames through a BPF ring buffer" uses_ring_buffer \
	"make events a BPF_MAP_TYPE_RINGBUF, reserve a record of sizeof(meta) + snaplen, copy the frame with bpf_xdp_load_bytes(), count what did not fit, and read it with ring_buffer__new()"
