# SPDX-License-Identifier: Apache-2.0
#
# make install / make uninstall (docs/install.md). Installs what `make`
# built; it builds nothing itself (run `make` first). PREFIX and the
# directories below may be set on the command line; DESTDIR is prepended to
# every path (staged installs, packaging). The module is not installed as a
# binary: its source goes to /usr/src/paracell-VERSION for DKMS, which builds
# it for each installed kernel.

VERSION := $(shell cat $(CURDIR)/VERSION)
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
# ck sits at ../lib/paracell/ck from the runtime binary: the runtime finds
# it there (shim/runtime/lib/ckpath.h), so BINDIR and PKGLIBDIR move together.
PKGLIBDIR ?= $(LIBDIR)/paracell
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DOCDIR ?= $(PREFIX)/share/doc/paracell
# DKMS looks for sources in /usr/src only.
DKMSSRCDIR ?= /usr/src/paracell-$(VERSION)
# udev and systemd-modules-load read /usr/lib (the distribution's) and /etc
# (the administrator's): a /usr install goes to the first, others to /etc.
SYSCONFROOT := $(if $(filter /usr,$(PREFIX)),/usr/lib,/etc)
UDEVRULESDIR ?= $(SYSCONFROOT)/udev/rules.d
MODULESLOADDIR ?= $(SYSCONFROOT)/modules-load.d

GEN := build/install
# A ck built for timing only (docs/timing.md) is never installed.
CK_TIMING_MARKER := $(shell sed -n 's/^\#define PARACELL_CK_TIMING_MARKER "\(.*\)"/\1/p' include/paracell/ck_timing.h)
KMOD_SRC := kmod/Kbuild $(sort $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h))
DOCS := $(sort $(wildcard docs/*.md)) $(sort $(wildcard docs/examples/*))

# MODE:SOURCE:DESTINATION, one per installed file (DESTINATION without
# DESTDIR); uninstall removes the same list.
INSTALL_FILES := \
	0755:shim/runtime/paracell:$(BINDIR)/paracell \
	0755:shim/guest/build/ck:$(PKGLIBDIR)/ck \
	0755:tools/paracell-scan:$(BINDIR)/paracell-scan \
	0755:tools/paracell-pager-demo:$(BINDIR)/paracell-pager-demo \
	0644:shim/lib/libparacell.a:$(LIBDIR)/libparacell.a \
	0644:include/paracell/paracell.h:$(INCLUDEDIR)/paracell/paracell.h \
	0644:include/paracell/scan.h:$(INCLUDEDIR)/paracell/scan.h \
	0644:include/uapi/linux/paracell.h:$(INCLUDEDIR)/linux/paracell.h \
	0644:$(GEN)/libparacell.pc:$(PKGCONFIGDIR)/libparacell.pc \
	0644:dist/60-paracell.rules:$(UDEVRULESDIR)/60-paracell.rules \
	0644:dist/paracell-modules-load.conf:$(MODULESLOADDIR)/paracell.conf \
	0644:$(GEN)/dkms.conf:$(DKMSSRCDIR)/dkms.conf \
	$(foreach f,$(KMOD_SRC),0644:$(f):$(DKMSSRCDIR)/$(f)) \
	0644:include/uapi/linux/paracell.h:$(DKMSSRCDIR)/include/uapi/linux/paracell.h \
	0644:include/paracell/scan.h:$(DKMSSRCDIR)/include/paracell/scan.h \
	0644:LICENSES/GPL-2.0:$(DKMSSRCDIR)/LICENSES/GPL-2.0 \
	0644:LICENSES/Apache-2.0:$(DKMSSRCDIR)/LICENSES/Apache-2.0 \
	$(foreach f,$(DOCS),0644:$(f):$(DOCDIR)/$(f:docs/%=%))
# Symlinks: LINK:DESTINATION.
INSTALL_LINKS := paracell:$(BINDIR)/paracell-native
# Directories that only ParaCell uses, removed by uninstall once empty.
OWN_DIRS := $(PKGLIBDIR) $(INCLUDEDIR)/paracell $(DKMSSRCDIR)/kmod \
	$(DKMSSRCDIR)/include/uapi/linux $(DKMSSRCDIR)/include/uapi \
	$(DKMSSRCDIR)/include/paracell $(DKMSSRCDIR)/include \
	$(DKMSSRCDIR)/LICENSES $(DKMSSRCDIR) $(DOCDIR)/examples $(DOCDIR)

.PHONY: install uninstall
$(GEN)/dkms.conf: kmod/dkms.conf.in VERSION
	@mkdir -p $(@D)
	sed 's|@VERSION@|$(VERSION)|' $< >$@

# Rebuilt every time: the directories come from the command line.
$(GEN)/libparacell.pc: dist/libparacell.pc.in VERSION FORCE
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< >$@
FORCE:

install: $(GEN)/dkms.conf $(GEN)/libparacell.pc
	@set -e; for e in $(INSTALL_FILES); do \
		s=$${e#*:}; s=$${s%%:*}; \
		[ -f "$$s" ] || { echo "install: $$s missing: run make first" >&2; exit 1; }; \
	done; \
	! grep -qF '$(CK_TIMING_MARKER)' shim/guest/build/ck || \
		{ echo "install: shim/guest/build/ck is a timing build (it isolates nothing, docs/timing.md): rebuild it with make" >&2; exit 1; }; \
	for e in $(INSTALL_FILES); do \
		m=$${e%%:*}; r=$${e#*:}; s=$${r%%:*}; d="$(DESTDIR)$${r#*:}"; \
		echo "  INSTALL $$d"; install -D -m "$$m" "$$s" "$$d"; \
	done; \
	for e in $(INSTALL_LINKS); do \
		d="$(DESTDIR)$${e#*:}"; echo "  LINK    $$d"; ln -sfn "$${e%%:*}" "$$d"; \
	done
	@echo "installed; for the module: dkms install paracell/$(VERSION) (docs/install.md)"

uninstall:
	@if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null && \
	    dkms status paracell/$(VERSION) 2>/dev/null | grep -q .; then \
		echo "  DKMS    remove paracell/$(VERSION)"; \
		dkms remove paracell/$(VERSION) --all; \
	fi
	@set -e; for e in $(INSTALL_FILES); do \
		d="$(DESTDIR)$${e##*:}"; echo "  RM      $$d"; rm -f "$$d"; \
	done; \
	for e in $(INSTALL_LINKS); do rm -f "$(DESTDIR)$${e#*:}"; done; \
	for d in $(OWN_DIRS); do \
		[ ! -d "$(DESTDIR)$$d" ] || rmdir "$(DESTDIR)$$d"; \
	done
