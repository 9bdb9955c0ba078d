# SPDX-License-Identifier: GPL-2.0
#
# Shared build rules. A lesson's Makefile sets a few variables and includes
# this file:
#
#   XDP_TARGETS  := xdp_prog_kern     BPF objects: xdp_prog_kern.c -> .o
#   USER_TARGETS := xdp_loader        user tools, linked with common/ and libxdp
#   USER_SOURCES := a.c b.c           more sources linked into every tool
#   SKEL_TARGETS := trace_prog_kern   BPF objects that user code includes as a
#                                     skeleton: trace_prog_kern.skel.h
#   LESSON       := ../../basic02-... (solutions only) where the sources
#                                     a solution does not change live
#   EXTRA_CLEAN  := files `make clean` also removes
#
# Output is one short line per file; `make V=1` shows the commands.

COMMON_DIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
TOP := $(abspath $(COMMON_DIR)/..)

include $(TOP)/config.mk
include $(COMMON_DIR)/quiet.mk

# A solution directory holds only the files it changes; everything else is
# taken from the lesson it solves.
ifdef LESSON
vpath %.c $(LESSON)
vpath %.h $(LESSON)
LESSON_INCLUDE := -I$(LESSON)
endif

# Warnings are errors in CI (and whenever WERROR=1).
WERROR ?= $(if $(CI),-Werror)

BPF_CFLAGS ?= -O2 -g -Wall $(WERROR) -target bpf $(LESSON_INCLUDE) -I$(COMMON_DIR) -I$(TOP)/headers \
	$(BPF_ARCH_INCLUDES) $(LIBBPF_CFLAGS)
CFLAGS ?= -O2 -g -Wall -Wextra -Wno-unused-parameter $(WERROR)
CFLAGS += -I. $(LESSON_INCLUDE) -I$(COMMON_DIR) -I$(TOP)/headers $(LIBBPF_CFLAGS) $(LIBXDP_CFLAGS)
LDLIBS += $(COMMON_DIR)/libcommon.a $(USER_LIBS)
# A solution's sources include the headers of the lesson it solves.
ifdef LESSON
BPF_CFLAGS += -I$(LESSON)
CFLAGS += -I$(LESSON)
endif

XDP_OBJS := $(addsuffix .o,$(XDP_TARGETS) $(SKEL_TARGETS))
SKELS := $(addsuffix .skel.h,$(SKEL_TARGETS))
USER_OBJS := $(USER_SOURCES:.c=.o)

all: $(XDP_OBJS) $(USER_TARGETS)
.PHONY: all clean check

# -MMD writes a .d file per output listing every header it read, so touching
# a common/ header rebuilds exactly what includes it.
$(XDP_OBJS): %.o: %.c
	$(QUIET_CLANG)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF .$@.d -c $< -o $@

$(SKELS): %.skel.h: %.o
	$(QUIET_GEN)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(USER_OBJS): %.o: %.c
	$(QUIET_CC)$(CC) $(CFLAGS) -MMD -MP -MF .$@.d -c $< -o $@

$(USER_TARGETS): %: %.c $(USER_OBJS) $(COMMON_DIR)/libcommon.a $(SKELS)
	$(QUIET_CC)$(CC) $(CFLAGS) -MMD -MP -MF .$@.d -o $@ $< $(USER_OBJS) $(LDLIBS)

$(COMMON_DIR)/libcommon.a: $(wildcard $(COMMON_DIR)/*.[ch]) $(TOP)/config.mk
	$(Q)$(MAKE) -C $(COMMON_DIR) libcommon.a

$(TOP)/config.mk: $(TOP)/configure
	$(Q)cd $(TOP) && ./configure && touch config.mk

# `make check` runs this lesson's assignment checks on the code here; it
# builds first, and a build that fails is reported as "could not check".
check:
	@$(TOP)/tests/check.sh $(CURDIR)

clean:
	rm -f $(XDP_OBJS) $(USER_OBJS) $(USER_TARGETS) $(SKELS) $(EXTRA_CLEAN) .*.d

-include $(wildcard .*.d)
