# SPDX-License-Identifier: GPL-2.0
# basic04-pinning-maps: the assignment checks. They load with the loader in
# the directory checked, onto a veth pair that carries no traffic, and run
# the attached program a known number of times (BPF_PROG_TEST_RUN): the
# counters must hold exactly those runs.

B4_RUNS=7

# b4_env DIR: a quiet veth B4_DEV with DIR's xdp_pass_func attached and its
# map pinned, and a frame in B4_FRAME; all removed when the caller exits.
b4_env() {
	B4_DEV=b4c$BASHPID
	B4_FRAME=$(mktemp)
	netenv_on_exit "rm -f '$B4_FRAME'"
	netenv_frame ipv6,icmp6 "$B4_FRAME" && netenv_quiet_veth "$B4_DEV" &&
		b4_load "$1"
}

b4_load() {	# b4_load DIR [LOADER OPTIONS]: (re)load xdp_pass_func on B4_DEV
	local dir=$1
	shift
	"$dir/xdp_loader" --dev "$B4_DEV" --unload-all -q >/dev/null 2>&1
	"$dir/xdp_loader" --dev "$B4_DEV" --filename "$dir/xdp_prog_kern.o" -q "$@"
}

b4_run() {	# b4_run: the attached program, B4_RUNS times
	netenv_run_prog "$(netenv_xdp_prog_id "$B4_DEV")" "$B4_FRAME" "$B4_RUNS"
}

follows_reload() {
	local out line
	out=$(mktemp)
	netenv_on_exit "rm -f '$out'"
	b4_env "$1" || return 1
	netenv_start "$out" "$1/xdp_stats" --dev "$B4_DEV" -i 0.2
	netenv_wait_for 5 grep -q '^XDP_PASS' "$out" || return 1
	b4_load "$1" && b4_run || return 1	# a new map, counted in B4_RUNS times
	sleep 0.5	# more than two rounds of -i 0.2
	netenv_stop "$NETENV_PID" || return 1
	grep -qi 'reload' "$out" || return 1
	line=$(grep '^XDP_PASS ' "$out" | tail -n 1)
	[ "$(awk '{ print $2 }' <<<"$line")" = "$B4_RUNS" ]
}
assignment 1 "xdp_stats follows a reload" \
	"in xdp_stats.c, check each round whether the map pinned at map->path has another id than map->id; if so print a line saying the program was reloaded and read the new map" \
	follows_reload

keeps_counters() {
	local pin
	b4_env "$1" && b4_run || return 1
	b4_load "$1" --reuse-maps && b4_run || return 1
	pin=/sys/fs/bpf/$B4_DEV/xdp_stats_map
	[ "$(netenv_map_sum pinned "$pin" 2 rx_packets)" = $((2 * B4_RUNS)) ]
}
assignment 2 "xdp_loader --reuse-maps keeps the counters" \
	"in prepare_maps() with cfg->reuse_maps, open the pinned map (bpf_obj_get), check its layout and hand it to the program with bpf_map__reuse_fd()" \
	keeps_counters
