# SPDX-License-Identifier: GPL-2.0
# Reading what a stats tool (xdp_load_and_stats, xdp_stats) prints, by the
# contract basic03's README.org states, not by one tool's layout:
#
#   A line reports an action when it holds the action's name (XDP_PASS,
#   ...) as a word. Each figure on it is a number next to its unit, before
#   it ("7 pkts", "1400 bytes", "0.045 Mbit/s") or after it with ":" or "="
#   ("packets: 7", "bytes=1400"). Units: pkts/packets, bytes, pps,
#   Mbit/s (or Mb/s, Mbps). Spacing, order and other words are free.
#
#   action_name N                      XDP_ABORTED, XDP_DROP, ... for 0, 1, ...
#   stats_lines OUTPUT ACTION          every line reporting ACTION
#   stats_figure LINE UNIT             the figure for UNIT on LINE (packets,
#                                      bytes, pps, mbits); false if none
#   stats_figures OUTPUT ACTION UNIT   that figure from every ACTION line
#   stats_wait_rounds FILE ACTION N    wait (at most 5 s) until FILE holds N
#                                      more ACTION lines than now: with N=2,
#                                      at least one reading began after now
#   stats_rates_plausible FIGURES TOTAL INTERVAL
#                                      every rate >= 0, and the rates, each
#                                      times INTERVAL, add up to TOTAL
#                                      within a factor of 2

action_name() {
	local names=(XDP_ABORTED XDP_DROP XDP_PASS XDP_TX XDP_REDIRECT)
	echo "${names[$1]:-action $1}"
}

stats_lines() {
	grep -E "(^|[^A-Za-z0-9_])$2([^A-Za-z0-9_]|\$)" <<<"$1"
}

stats_figure() {
	awk -v want="$2" '
	function unit(t) {
		t = tolower(t)
		if (t ~ /^(pkts?|packets?)$/) return "packets"
		if (t ~ /^bytes?$/) return "bytes"
		if (t == "pps") return "pps"
		if (t ~ /^(mbit\/s|mb\/s|mbps)$/) return "mbits"
		return ""
	}
	function num(t) { return t ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
	{
		gsub(/[(),;|]/, " ")
		for (i = 1; i <= NF; i++) {
			t = $i
			if (num(t) && unit($(i + 1)) == want) { print t; exit }
			if (t ~ /[:=]$/ && unit(substr(t, 1, length(t) - 1)) == want && num($(i + 1))) {
				print $(i + 1); exit
			}
			if (match(t, /[:=]/) && unit(substr(t, 1, RSTART - 1)) == want &&
			    num(substr(t, RSTART + 1))) { print substr(t, RSTART + 1); exit }
			if (match(t, /^-?[0-9]+(\.[0-9]+)?/) && unit(substr(t, RLENGTH + 1)) == want) {
				print substr(t, 1, RLENGTH); exit
			}
		}
		exit 1
	}' <<<"$1"
}

stats_figures() {
	local line
	while IFS= read -r line; do
		stats_figure "$line" "$3"
	done < <(stats_lines "$1" "$2")
}

stats_wait_rounds() {
	local want
	want=$(( $(stats_lines "$(<"$1")" "$2" | wc -l) + $3 ))
	netenv_wait_for 5 _stats_has_lines "$1" "$2" "$want"
}

_stats_has_lines() { [ "$(stats_lines "$(<"$1")" "$2" | wc -l)" -ge "$3" ]; }

stats_rates_plausible() {
	awk -v total="$2" -v interval="$3" '
		$1 < 0 { exit 1 }
		{ sum += $1 * interval }
		END { exit !(NR && sum >= total / 2 && sum <= total * 2) }' <<<"$1"
}
