# SPDX-License-Identifier: GPL-2.0
#
# Top-level Makefile: builds every lesson, its solution and the test tools;
# runs the demo, the tests and the benchmark. `make help` lists the targets.

include common/quiet.mk

# A lesson or solution is a directory with a Makefile.
lesson_dirs = $(patsubst %/Makefile,%,$(wildcard $(1)))
LESSONS := $(call lesson_dirs,basic0*/Makefile packet0*/Makefile tracing0*/Makefile)
SOLUTIONS := $(call lesson_dirs,*-solutions/*/Makefile)
SUBDIRS := $(LESSONS) $(SOLUTIONS) testenv tests tests/progs

# The lessons and what they need; the benchmark tool only when it is used.
all: $(SUBDIRS:%=build-%)

# config.mk and common/ come first, so `make -j` never builds a lesson
# before what it includes exists.
config.mk: configure
	./configure

common: config.mk
	$(Q)$(MAKE) -C common libcommon.a

$(SUBDIRS:%=build-%) build-bench: build-%: config.mk common
	$(Q)$(MAKE) -C $*

# Install whatever is missing (as root), then build.
deps:
	./configure --install-deps

demo: deps
	$(MAKE) all
	./testenv/demo.sh

test: deps
	$(MAKE) all build-bench
	prove -v tests/*.t

# Every lesson's assignment checks on the code as it is now.
check: all
	@for d in $(LESSONS); do ./tests/check.sh $$d; done

bench: deps
	$(MAKE) all build-bench
	./bench/run.sh

# The same tests on other kernels, under qemu (vmtest/README.org).
vmtest:
	./configure --install-deps --with-vmtest
	$(MAKE) all build-bench
	./vmtest/vmtest.sh $(if $(KERNELS),--kernels "$(KERNELS)") $(if $(TESTS),--tests "$(TESTS)")

# config.mk stays: it is what ./configure found, not something built.
clean:
	$(Q)for d in common $(SUBDIRS) bench; do $(MAKE) -C $$d clean; done

distclean: clean
	rm -f config.mk

help:
	@echo 'make           build every lesson, solution and test tool'
	@echo 'make demo      install what is missing, build, walk through basic01 and basic02'
	@echo 'make test      every check of every lesson, solution and tool (as root)'
	@echo 'make check     the assignment checks of every lesson on your code'
	@echo 'make bench     per-packet cost of each program, as ratios to XDP_PASS'
	@echo 'make vmtest    make test on other kernels under qemu [KERNELS="6.1 6.12"]'
	@echo 'make clean     remove everything the build made (config.mk stays)'
	@echo 'make distclean clean, and remove config.mk too'
	@echo 'V=1            show the full commands the build runs'

.PHONY: all common deps demo test check bench vmtest clean distclean help
