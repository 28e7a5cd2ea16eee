# SPDX-License-Identifier: GPL-2.0-only
#
# How sstp is built and tested. What the kernel module is made of is in Kbuild.
#
#   make                  userspace (sstpd, sstpctl, test tools) + sstp.ko for KVER
#   make module KDIR=...  sstp.ko against any kernel's headers
#   make check            every test: unit, fuzz (brief), host netns, VM (all kernels)
#   make check-unit | check-fuzz | check-host | check-vm [KVER=...] [VMTESTS=...]
#   make check-vm-debug   the VM cases on the debug kernel (KASAN, lockdep, kmemleak)
#   make demo             the main job: kernel data path + iperf3 in the VM
#   make bench            benchmarks (not part of check)
#   make checkpatch       kernel style on kmod/
#   make install          sstpd, sstpctl, unit, config, man pages; sstp.ko for
#                         the running kernel (KVER=...) with depmod
#                         (DESTDIR, PREFIX honoured; make uninstall)
#   make dkms-install     sstp.ko through DKMS for DKMS_KERNELS (default: the
#                         running kernel); make dkms-uninstall
#   make deb              Debian packages sstpd and sstp-dkms in build/deb/
#   make clean

B        ?= build
CC       ?= gcc
CLANG    ?= clang
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

# VM kernels: every installed kernel with a vmlinuz and headers, oldest first.
KVERS    := $(shell scripts/kernels.sh 2>/dev/null)
KVER     ?= $(lastword $(KVERS))
KDIR     ?= /lib/modules/$(KVER)/build
# The kernel release KDIR builds for (KDIR may point anywhere).
KREL      = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# ---------------------------------------------------------------- userspace
UAPI     := -Ikmod/include/uapi
WARN     := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter \
	    -Wmissing-prototypes -Wstrict-prototypes
# Includes name their room ("proto/sstp_msg.h", "link/link.h"); the one
# wire-format header shared with the module is "kmod/proto.h".
INCS     := $(UAPI) -Iuserspace -I.
# The release (the file VERSION): the packages' and the module's DKMS tree.
VERSION  := $(shell cat VERSION)
BASE_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g $(WARN) $(INCS) -MMD -MP
CFLAGS   ?= -O2
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer \
	    -fno-sanitize-recover=all
LIBS     := -lssl -lcrypto -lmnl -lbpf -lelf -lz

# Everything under userspace/ (one folder per layer, docs/architecture.md)
# except the two main files is the library that sstpd, sstpctl, the unit
# tests and the test tools share.
US_MAINS := userspace/daemon/sstpd.c userspace/cli/sstpctl.c
US_SRCS  := $(filter-out $(US_MAINS),$(wildcard userspace/*/*.c))
US_OBJS  := $(US_SRCS:%.c=$(B)/obj/%.o)
SAN_OBJS := $(US_SRCS:%.c=$(B)/san/%.o)
BINS     := $(B)/sstpd $(B)/sstpctl
UNITS    := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/test_*.c))
# The same tests without sanitizers, for valgrind.
VG_UNITS := $(patsubst tests/unit/%.c,$(B)/tests/valgrind/%,$(wildcard tests/unit/test_*.c))
FUZZERS  := $(patsubst tests/fuzz/%.c,$(B)/tests/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
TOOLS    := $(patsubst tests/tools/%.c,$(B)/tests/tools/%,$(wildcard tests/tools/*.c))

# The version the programs announce (--version, the log, the metrics, the
# client's LCP Identification): the release, and in a git checkout what
# git says of the tree ("0.9.0+git.1a2b3c4-dirty"; a package build's copy
# of the tree is no checkout and says the release only).
# build/gen/version.h is rewritten only when that changes, so that only
# what includes it is rebuilt.
GIT_REV  := $(shell [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ] && \
		git describe --tags --always --dirty 2>/dev/null)
SSTPD_VERSION := $(VERSION)$(if $(GIT_REV),+git.$(GIT_REV))
GEN_VERSION := $(B)/gen/version.h
.PHONY: FORCE
$(GEN_VERSION): FORCE
	@mkdir -p $(@D)
	@v='#define SSTPD_VERSION "$(SSTPD_VERSION)"'; \
		[ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" >$@

# ---------------------------------------------------------------- BPF
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(BPF_SRCS:bpf/%.bpf.c=$(B)/bpf/%.bpf.o)
BPF_SKELS := $(BPF_SRCS:bpf/%.bpf.c=$(B)/bpf/%.skel.h)

.PHONY: all userspace tools module bpf check check-build check-unit check-valgrind check-fuzz \
	check-host check-vm check-vm-debug check-deploy demo bench checkpatch clean deps \
	install install-bin install-module uninstall dkms-src dkms-install dkms-uninstall deb
.DEFAULT_GOAL := all

all: userspace tools $(if $(KVER),module)

deps:
	scripts/install-deps.sh

userspace: $(BPF_SKELS) $(BINS)
tools: $(TOOLS)
bpf: $(BPF_SKELS)

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -I$(B)/bpf -I$(B)/gen $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -I$(B)/bpf -I$(B)/gen -O1 $(SAN) -c -o $@ $<

$(B)/libsstp.a: $(US_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^
$(B)/libsstp-san.a: $(SAN_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && ar rcs $@ $^

$(B)/sstpd: $(B)/obj/userspace/daemon/sstpd.o $(B)/libsstp.a
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)
$(B)/sstpctl: $(B)/obj/userspace/cli/sstpctl.o $(B)/libsstp.a
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# Unit tests: ASan + UBSan, linked against the sanitized library.
$(B)/tests/unit/%: tests/unit/%.c tests/unit/test.h $(B)/libsstp-san.a $(BPF_SKELS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -I$(B)/bpf -Itests/unit -O1 $(SAN) -o $@ $< \
		$(B)/libsstp-san.a $(LIBS)

$(B)/tests/valgrind/%: tests/unit/%.c tests/unit/test.h $(B)/libsstp.a $(BPF_SKELS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -I$(B)/bpf -Itests/unit -O1 -o $@ $< $(B)/libsstp.a $(LIBS)

# libFuzzer targets #include the source they fuzz.
$(B)/tests/fuzz/%: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(Q)$(CLANG) -std=gnu11 -D_GNU_SOURCE -g -O1 $(INCS) -MMD -MP \
		-fsanitize=fuzzer,address,undefined -o $@ $< $(LIBS)

# Test tools (run in netns or in the VM): plain C, libmnl, no OpenSSL needed.
$(B)/tests/tools/%: tests/tools/%.c $(wildcard tests/tools/*.h) $(B)/libsstp.a
	@mkdir -p $(@D)
	$(Q)$(CC) $(BASE_CFLAGS) -Itests/tools $(CFLAGS) -o $@ $< $(B)/libsstp.a $(LIBS)

# BPF objects and their libbpf skeletons. The programs use UAPI types only
# (tc on __sk_buff), so no vmlinux.h/BTF of the build machine is needed.
BPF_ARCH_INC := -I/usr/include/$(shell $(CC) -dumpmachine)
$(B)/bpf/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h)
	@mkdir -p $(@D)
	$(Q)$(CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 $(BPF_ARCH_INC) -Ibpf \
		-Wall -Werror -c -o $@ $<
$(B)/bpf/%.skel.h: $(B)/bpf/%.bpf.o
	$(Q)bpftool gen skeleton $< >$@.tmp && mv $@.tmp $@
.SECONDARY: $(BPF_OBJS)
# Userspace includes the skeletons and the version.
$(US_OBJS) $(SAN_OBJS) $(B)/obj/userspace/daemon/sstpd.o $(B)/obj/userspace/cli/sstpctl.o: | $(BPF_SKELS) $(GEN_VERSION)

# ---------------------------------------------------------------- module
# Built out of the source tree, one directory per kernel release, so that
# 6.1 and 6.12 objects never mix: the tree is mirrored with symlinks.
KMOD_OUT  = $(B)/kmod/$(KREL)
module:
	@[ -e $(KDIR)/Makefile ] && [ -n "$(KREL)" ] || \
		{ echo "no kernel headers at $(KDIR) (make deps)"; exit 1; }
	@mkdir -p $(KMOD_OUT)/kmod && find $(KMOD_OUT)/kmod -maxdepth 1 -type l -delete
	@ln -sf $(CURDIR)/Kbuild $(KMOD_OUT)/Kbuild
	@for f in kmod/*.[ch]; do ln -sf $(CURDIR)/$$f $(KMOD_OUT)/$$f; done
	@rm -rf $(KMOD_OUT)/kmod/include && ln -s $(CURDIR)/kmod/include $(KMOD_OUT)/kmod/include
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(KMOD_OUT) W=1 modules 2>&1 | \
		tee $(KMOD_OUT)/build.log; \
		test $${PIPESTATUS[0]} = 0
	@! grep -E 'warning:' $(KMOD_OUT)/build.log || { echo "module: warnings are errors"; exit 1; }
SHELL := /bin/bash

checkpatch:
	scripts/checkpatch.sh

# ---------------------------------------------------------------- install
# make install [DESTDIR=...] [PREFIX=/usr/local] [KVER=$(uname -r)]: the
# programs, the systemd units, the default configuration (never over an
# existing one), the man pages, the sysusers entry, and sstp.ko under
# /lib/modules/KVER/updates with depmod (skipped with a note when KVER has
# no headers here; with DESTDIR, depmod is left to the packager).
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/sstp
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
SYSCONFDIR ?= /etc
# install's kernel is the running one unless told.
INSTALL_KVER = $(if $(filter command line,$(origin KVER)),$(KVER),$(shell uname -r))
INSTALL_KDIR = /lib/modules/$(INSTALL_KVER)/build
DIST_UNITS := sstpd.service sstpd-client@.service
MANS       := man/sstpd.8 man/sstpctl.8 man/sstpd.conf.5

install: install-bin install-module

install-bin: userspace
	install -D -m 0755 $(B)/sstpd $(DESTDIR)$(SBINDIR)/sstpd
	install -D -m 0755 $(B)/sstpctl $(DESTDIR)$(SBINDIR)/sstpctl
	@for u in $(DIST_UNITS); do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' dist/$$u.in >$(B)/$$u && \
		install -D -m 0644 $(B)/$$u $(DESTDIR)$(UNITDIR)/$$u || exit 1; done
	install -D -m 0644 dist/sstpd.sysusers $(DESTDIR)$(SYSUSERSDIR)/sstpd.conf
	install -D -m 0644 man/sstpd.8 $(DESTDIR)$(MANDIR)/man8/sstpd.8
	install -D -m 0644 man/sstpctl.8 $(DESTDIR)$(MANDIR)/man8/sstpctl.8
	install -D -m 0644 man/sstpd.conf.5 $(DESTDIR)$(MANDIR)/man5/sstpd.conf.5
	install -D -m 0644 README.md $(DESTDIR)$(DOCDIR)/README.md
	install -D -m 0644 docs/sstpd.md $(DESTDIR)$(DOCDIR)/sstpd.md
	install -d -m 0750 $(DESTDIR)$(SYSCONFDIR)/sstpd
	@[ -e $(DESTDIR)$(SYSCONFDIR)/sstpd/sstpd.conf ] && \
		echo "install: $(DESTDIR)$(SYSCONFDIR)/sstpd/sstpd.conf exists, left as it is" || \
		install -m 0640 dist/sstpd.conf $(DESTDIR)$(SYSCONFDIR)/sstpd/sstpd.conf
	@# On this machine (no DESTDIR): the user, and /etc/sstpd for its group.
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
		systemd-sysusers $(SYSUSERSDIR)/sstpd.conf && \
		chgrp sstpd $(SYSCONFDIR)/sstpd $(SYSCONFDIR)/sstpd/sstpd.conf; fi

install-module:
	@if [ ! -e $(INSTALL_KDIR)/Makefile ]; then \
		echo "install: no headers for Linux $(INSTALL_KVER) ($(INSTALL_KDIR)):" \
			"sstp.ko not installed (install linux-headers-$(INSTALL_KVER)," \
			"or use make dkms-install or the sstp-dkms package)"; \
	else \
		$(MAKE) -s module KDIR=$(INSTALL_KDIR) && \
		install -D -m 0644 $(B)/kmod/$(INSTALL_KVER)/sstp.ko \
			$(DESTDIR)/lib/modules/$(INSTALL_KVER)/updates/sstp.ko && \
		if [ -z "$(DESTDIR)" ]; then depmod $(INSTALL_KVER); fi; \
	fi

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/sstpd $(DESTDIR)$(SBINDIR)/sstpctl \
		$(addprefix $(DESTDIR)$(UNITDIR)/,$(DIST_UNITS)) \
		$(DESTDIR)$(SYSUSERSDIR)/sstpd.conf $(DESTDIR)$(MANDIR)/man8/sstpd.8 \
		$(DESTDIR)$(MANDIR)/man8/sstpctl.8 $(DESTDIR)$(MANDIR)/man5/sstpd.conf.5
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(DESTDIR)/lib/modules/$(INSTALL_KVER)/updates/sstp.ko
	@if [ -z "$(DESTDIR)" ] && [ -d /lib/modules/$(INSTALL_KVER)/kernel ]; then \
		depmod $(INSTALL_KVER); fi
	@echo "uninstall: $(SYSCONFDIR)/sstpd and the user sstpd are left in place"

# ---------------------------------------------------------------- DKMS
# The module's sources as DKMS takes them: Kbuild, kmod/ and dkms.conf with
# the version in, under /usr/src/sstp-VERSION (DESTDIR for packaging).
DKMS_SRC     = $(DESTDIR)/usr/src/sstp-$(VERSION)
DKMS_KERNELS ?= $(shell uname -r)

dkms-src:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/kmod/include/uapi/linux
	install -m 0644 Kbuild $(DKMS_SRC)/Kbuild
	install -m 0644 kmod/*.c kmod/*.h $(DKMS_SRC)/kmod/
	install -m 0644 kmod/include/uapi/linux/sstp.h $(DKMS_SRC)/kmod/include/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf >$(DKMS_SRC)/dkms.conf

dkms-install: dkms-src
	@dkms status -m sstp -v $(VERSION) | grep -q . || dkms add -m sstp -v $(VERSION)
	@for k in $(DKMS_KERNELS); do \
		dkms install -m sstp -v $(VERSION) -k $$k || exit 1; done

dkms-uninstall:
	-dkms remove -m sstp -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

# ---------------------------------------------------------------- Debian
# dpkg-buildpackage in a copy of the tree under build/deb (it writes its
# packages into the parent directory): sstpd_VERSION_ARCH.deb and
# sstp-dkms_VERSION_all.deb. debian/changelog's version must be VERSION.
DEB_DIR  = $(B)/deb
deb:
	@v=$$(dpkg-parsechangelog -S Version); [ "$$v" = "$(VERSION)" ] || \
		{ echo "deb: debian/changelog says $$v, VERSION says $(VERSION)"; exit 1; }
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/sstp-$(VERSION)
	git ls-files -z | xargs -0 cp --parents -t $(DEB_DIR)/sstp-$(VERSION)
	cd $(DEB_DIR)/sstp-$(VERSION) && dpkg-buildpackage -b -us -uc
	@ls -1 $(DEB_DIR)/*.deb

# ---------------------------------------------------------------- tests
# check and demo install their own dependencies first (idempotent, seconds
# when everything is there), then re-enter make so the kernel list is fresh.
check: deps
	$(MAKE) check-build
	scripts/check.sh

check-build: userspace tools $(UNITS) $(VG_UNITS) $(FUZZERS)
	@for k in $(KVERS); do $(MAKE) -s module KVER=$$k || exit 1; done

check-unit: $(UNITS)
	tests/run-unit.sh $(UNITS)

check-valgrind: $(VG_UNITS)
	tests/run-valgrind.sh $(VG_UNITS)

check-fuzz: $(FUZZERS)
	tests/run-fuzz.sh $(FUZZERS)

check-host: userspace tools
	tests/run-host.sh

# Install, DKMS and the Debian packages on this machine, each then booted
# in the VM guest (root; changes the system while it runs, undone after).
check-deploy: userspace tools
	tests/run-deploy.sh

check-vm: userspace tools
	@for k in $(if $(filter command line,$(origin KVER)),$(KVER),$(KVERS)); do \
		$(MAKE) -s module KVER=$$k && tests/vm/run-vm.sh -k $$k || exit 1; done

check-vm-debug: userspace tools
	tests/vm/run-debug.sh

demo: deps
	$(MAKE) userspace tools
	scripts/demo.sh

# Benchmarks (not part of check): docs/BENCHMARKS.md and docs/benchmarks.png.
bench: deps
	$(MAKE) userspace tools
	scripts/bench.sh

clean:
	rm -rf $(B)

# The mains too: sstpd.o must rebuild when a header it shares changes.
-include $(US_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(FUZZERS:=.d) $(TOOLS:=.d) $(UNITS:=.d) $(VG_UNITS:=.d) $(US_MAINS:%.c=$(B)/obj/%.d)
