# SPDX-License-Identifier: GPL-2.0
#
# BPF skeletons: `bpftool gen skeleton` turns a BPF object into a header
# that embeds the object and gives typed access to its programs, maps and
# global variables. A lesson's Makefile names the objects, after including
# common.mk:
#
#   SKELETONS := xdpdump_kern     xdpdump_kern.o -> xdpdump_kern.skel.h,
#                                 built before every USER_TARGETS tool
#   include ../common/skeleton.mk

SKEL_HEADERS := $(addsuffix .skel.h,$(SKELETONS))

# Written to a temporary file first, so a failed run leaves no half header.
$(SKEL_HEADERS): %.skel.h: %.o
	$(BPFTOOL) gen skeleton $< >$@.tmp && mv $@.tmp $@

$(USER_TARGETS): $(SKEL_HEADERS)
EXTRA_CLEAN += $(SKEL_HEADERS)
