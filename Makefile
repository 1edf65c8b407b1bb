# SPDX-License-Identifier: Apache-2.0
#
# ParaCell top-level build.
#   make          build the module, libparacell, the runtime, tools and tests
#   make check    run every test (host unit tests, kselftests in the test VM,
#                 runtime integration tests, containerd end to end)
#   make bench    run the benchmarks (ratios measured in one run)
#   make demo     ParaCell's main job (see README.md)
#   make mutants  show each security test fails with its check removed
#   make checkpatch  kernel coding style of kmod/
#   make install / uninstall  PREFIX (/usr/local), DESTDIR (see mk/install.mk)
#
# Each directory below owns a Makefile with the targets all, check, bench and
# clean (any it lacks is skipped); the order here is the build order.

BUILD_DIRS := kmod shim/lib tools shim/guest shim/runtime \
	tests/unit tests/kselftest tests/ck tests/integration tests/bench
CHECK_DIRS := tests/unit tests/kselftest tests/ck tests/integration tests/bench \
	tests/install
BENCH_DIRS := tests/bench

present = $(foreach d,$(1),$(if $(wildcard $(d)/Makefile),$(d)))

.PHONY: all check bench clean demo checkpatch mutants
all:
	@set -e; for d in $(call present,$(BUILD_DIRS)); do $(MAKE) -C $$d all; done

check: all
	@set -e; for d in $(call present,$(CHECK_DIRS)); do $(MAKE) -C $$d check; done

bench: all
	@set -e; for d in $(call present,$(BENCH_DIRS)); do $(MAKE) -C $$d bench; done

demo: all
	scripts/demo

checkpatch:
	$(MAKE) -C kmod checkpatch

include mk/install.mk

# Each security check removed in turn must make its test fail (in the VM):
# the module's checks (kselftests) and ck's (the attack suites, which run
# every attack against the real ck and against its mutant).
mutants: all
	$(MAKE) -C tests/kselftest mutants
	$(MAKE) -C shim/guest mutants
	@set -e; for a in tests/ck/attacks/*/; do $(MAKE) -C $$a all; done
	scripts/testvm --append "vsyscall=xonly syscall.x32=y" -- \
		$(patsubst %,"%run.sh",$(wildcard tests/ck/attacks/*/))

clean:
	@for d in $(call present,$(BUILD_DIRS)); do $(MAKE) -C $$d clean; done
