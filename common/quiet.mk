# SPDX-License-Identifier: GPL-2.0
# Quiet build output, as the kernel and xdp-tools print it: one short line
# per file made. `make V=1` shows the full commands instead.
ifeq ($(V),1)
Q =
QUIET_CC =
QUIET_CLANG =
QUIET_LINK =
QUIET_AR =
QUIET_GEN =
else
Q = @
QUIET_CC = @echo '  CC       $@';
QUIET_CLANG = @echo '  CLANG    $@';
QUIET_LINK = @echo '  LINK     $@';
QUIET_AR = @echo '  AR       $@';
QUIET_GEN = @echo '  GEN      $@';
MAKEFLAGS += --no-print-directory
endif
