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
# configure rewrites config.mk only when what it found changed (so that a
# rerun rebuilds nothing); the touch tells make that it has run.
config.mk: configure
	$(Q)./configure && touch config.mk

common: config.mk
	$(Q)$(MAKE) -C common libcommon.a

$(SUBDIRS:%=build-%) build-bench: build-%: config.mk common
	$(Q)$(MAKE) -C $*

# Building never needs root, and a root run must not leave files the
# clone's owner cannot rebuild: run as root in someone else's clone (sudo
# make demo, or root's shell there), the build runs as the clone's owner.
OWNER := $(shell stat -c %u:%g $(CURDIR))
ifeq ($(shell id -u),0)
ifeq ($(filter 0:%,$(OWNER)),)
AS_OWNER := setpriv --reuid=$(firstword $(subst :, ,$(OWNER))) \
	--regid=$(lastword $(subst :, ,$(OWNER))) --clear-groups
endif
endif

# Install whatever is missing (as root); config.mk stays the clone owner's.
install_deps = $(Q)./configure --install-deps $(1) && touch config.mk \
	$(if $(AS_OWNER),&& chown $(OWNER) config.mk)

deps:
	$(call install_deps)

demo: deps
	$(Q)$(AS_OWNER) $(MAKE) all
	$(Q)./testenv/demo.sh

# On the lessons as committed when a learner has changed them: tests/run.sh.
test: deps
	$(Q)AS_OWNER="$(AS_OWNER)" ./tests/run.sh

# Every lesson's assignment checks on the code as it is now (each lesson is
# built by its check, so one that does not build does not stop the others).
check: config.mk common
	@for d in $(LESSONS); do ./tests/check.sh $$d; done

# BENCH_ARGS go to xdp_bench, e.g. BENCH_ARGS='--prog mine/xdp_prog_kern.o:xdp_parser_func'
bench: deps
	$(Q)$(AS_OWNER) $(MAKE) all build-bench
	./bench/run.sh $(BENCH_ARGS)

# The same tests on other kernels, under qemu (vmtest/README.org), also on
# the lessons as committed.
vmtest:
	$(call install_deps,--with-vmtest)
	$(Q)AS_OWNER="$(AS_OWNER)" ./tests/run.sh vmtest $(if $(KERNELS),--kernels "$(KERNELS)") \
		$(if $(TESTS),--tests "$(TESTS)")

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
	@echo 'make bench     per-packet cost of each program, as ratios to a trivial one;'
	@echo '               BENCH_ARGS="--prog FILE.o:NAME" puts yours beside them'
	@echo 'make vmtest    make test on other kernels under qemu [KERNELS="6.1 6.12"]'
	@echo 'make clean     remove everything the build made (config.mk stays)'
	@echo 'make distclean clean, and remove config.mk too'
	@echo 'V=1            show the full commands the build runs'

.PHONY: all common deps demo test check bench vmtest clean distclean help
