#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# basic01-xdp-pass: the program passes everything untouched, and
# xdp_pass_user attaches and detaches it on a real interface.
source "$(dirname "$0")/lib/xdp.sh"
require_root

LESSON=$TOP/basic01-xdp-pass
OBJ=$LESSON/xdp_pass_kern.o
expect_verdicts "$OBJ" xdp_pass_func XDP_PASS

netenv_setup b1t$$ || { done_testing; exit; }
cd "$LESSON" || exit 1

check "xdp_pass_user attaches to $ENV" -- ./xdp_pass_user --dev "$ENV"
id=$(netenv_xdp_loaded_prog_id "$ENV")
check_match "program ${id:-none} on $ENV is named xdp_pass_func" \
	'name xdp_pass_func' -- bpftool prog show id "${id:-none}"
check "pings are answered through XDP_PASS" -- testenv ping -- -c 2 -W 2
check "xdp_pass_user --unload-all detaches" -- ./xdp_pass_user --dev "$ENV" --unload-all
check "nothing attached after unload" -- no_xdp_on "$ENV"

check_error "missing object" 1 "cannot open.*No such file" -- \
	./xdp_pass_user --dev "$ENV" --filename /nonexistent.o
check_error "missing interface" 2 "no such interface" -- \
	./xdp_pass_user --dev nosuchif0
check_error "no --dev" 2 "no interface given" -- ./xdp_pass_user
check_error "native mode on lo names --skb-mode" 1 "try --skb-mode" -- \
	./xdp_pass_user --dev lo --native-mode
check "nothing left attached to lo" -- no_xdp_on lo
netenv_done
done_testing
