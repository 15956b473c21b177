# vfio-early — see README.md.  `make`, `make check`, `make install`.
VERSION     := $(shell cat VERSION 2>/dev/null)
ifeq ($(VERSION),)
  $(error no VERSION file: the version lives there)
endif
DIST        := vfio-early-$(VERSION)

# Install paths. PREFIX=/usr (packages) installs into the directories the
# distribution owns. Any other PREFIX (default /usr/local, "make install"
# by an admin) puts nothing there: the generators' hooks and the udev rule
# go to the admin's directories under /etc, which mkinitramfs
# (/etc/initramfs-tools/hooks, scripts/init-top) and udev
# (/etc/udev/rules.d) read too. dracut reads modules from
# /usr/lib/dracut/modules.d only: the module goes to
# PREFIX/lib/dracut/modules.d and "make install" prints how to link it.
PREFIX      ?= /usr/local
SBINDIR     ?= $(PREFIX)/sbin
# The boot binary: the initrd's hooks copy it from here (and look in
# /usr/lib/vfio-early, /usr/local/lib/vfio-early); nothing runs it on the host.
BOOTDIR     ?= $(PREFIX)/lib/vfio-early
MANDIR      ?= $(PREFIX)/share/man
DRACUTDIR   ?= $(PREFIX)/lib/dracut/modules.d/90vfio-early
ifeq ($(PREFIX),/usr)
  ITDIR     ?= /usr/share/initramfs-tools
  UDEVRULESDIR ?= /usr/lib/udev/rules.d
else
  ITDIR     ?= /etc/initramfs-tools
  UDEVRULESDIR ?= /etc/udev/rules.d
endif
UDEV_RULES  := 70-vfio-early.rules
DRACUT_MODULES_D := /usr/lib/dracut/modules.d
DESTDIR     ?=

B           := build
HOSTCC      ?= cc
CLANG       ?= clang
WARN        := -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
DEFS        := -DVFIO_EARLY_VERSION='"$(VERSION)"'

# The test targets first install the Debian packages they need (tests/deps:
# as root, only what is missing, saying what). It runs while make reads this
# file, and make reads it again after an install, so the compiler choice
# below sees a klcc installed just now. VFIO_EARLY_NO_DEPS=1 skips it.
DEPS_GROUPS := $(sort $(if $(filter check vmcheck pkgcheck demo,$(MAKECMDGOALS)),build) \
	$(if $(filter check,$(MAKECMDGOALS)),test) \
	$(if $(filter vmcheck pkgcheck demo,$(MAKECMDGOALS)),vm) \
	$(if $(filter pkgcheck,$(MAKECMDGOALS)),pkg))
ifneq ($(DEPS_GROUPS),)
  ifeq ($(findstring n,$(firstword -$(MAKEFLAGS))),)
    include $(B)/deps.stamp
  endif
endif

# The static compiler: klibc first, then musl, then glibc -static.
ifeq ($(origin STATIC_CC),undefined)
  ifneq ($(shell command -v klcc 2>/dev/null),)
    STATIC_CC    := klcc
    # -Oz (GCC 12+) where the compiler has it: some 400 bytes below -Os;
    # no jump tables: 160 bytes less, for switches that are never hot.
    KLCC_OPT     := $(shell klcc -Oz -x c -c -o /dev/null /dev/null 2>/dev/null && echo -Oz || echo -Os)
    STATIC_FLAGS := -static $(KLCC_OPT) -fno-jump-tables -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,-z,noseparate-code
  else ifneq ($(shell command -v musl-gcc 2>/dev/null),)
    STATIC_CC    := musl-gcc
    STATIC_FLAGS := -static -Os -ffunction-sections -fdata-sections -Wl,--gc-sections -Wl,-z,noseparate-code
    $(info vfio-early: klcc not found (Debian: libklibc-dev); building with musl-gcc -static)
  else
    STATIC_CC    := $(HOSTCC)
    STATIC_FLAGS := -static -Os
    $(info vfio-early: neither klcc nor musl-gcc found; building with $(HOSTCC) -static (large binary))
  endif
endif

# The host binary links libkmod (module lookups and loads, as udevd's kmod
# builtin) and libpci (names from pci.ids, as lspci): pkg-config finds them.
PKG_CONFIG  ?= pkg-config
HOST_PKGS   := libkmod libpci
HOST_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(HOST_PKGS) 2>/dev/null)
HOST_LIBS   := $(shell $(PKG_CONFIG) --libs $(HOST_PKGS) 2>/dev/null || echo -lkmod -lpci)

# Sources, one directory a part (README: Source layout):
#   early/            the boot pass, the core: main.c is the boot binary
#   early/admin/      the admin subcommands; main.c is the host binary
#   kcmdline/         the library all share: the tokenizer, bounded file reads
#   kcmdline/grubdef/ the /etc/default/grub reader (plan and the editor)
#   kcmdline/bootldr/ the boot-loader family and its files' readers: BLS
#                     entries, grubenv, /etc/kernel/cmdline (plan, check and
#                     the editor)
#   kcmdline/lint/    the mistakes a line holds for vfio, and list items
#                     compared as their readers read them (the editor,
#                     plan and check; not the boot-only build)
#   kcmdline/editor/  the kcmdline editor
# The dependency runs one way: admin/ uses the core, never the reverse; the
# boot-only build compiles early/ and the tokenizer only, without
# -Iearly/admin, so a core file that reached for admin code would not build.
CORE_SRC    := $(filter-out early/main.c,$(wildcard early/*.c))
ADMIN_SRC   := $(filter-out early/admin/main.c,$(wildcard early/admin/*.c))
KC_LIB      := kcmdline/kcmdline.c kcmdline/slurp.c
GRUBDEF_SRC := $(wildcard kcmdline/grubdef/*.c)
BOOTLDR_SRC := $(wildcard kcmdline/bootldr/*.c)
LINT_SRC    := $(wildcard kcmdline/lint/*.c)
BOOT_SRC    := early/main.c $(CORE_SRC) $(KC_LIB)
LIB_SRC     := $(KC_LIB) $(GRUBDEF_SRC) $(BOOTLDR_SRC) $(LINT_SRC) $(CORE_SRC) $(ADMIN_SRC)
BIN_SRC     := early/admin/main.c $(LIB_SRC)
BOOT_INC    := -Ikcmdline -Iearly
INC         := $(BOOT_INC) -Ikcmdline/grubdef -Ikcmdline/bootldr -Ikcmdline/lint -Iearly/admin
HDRS        := $(wildcard kcmdline/*.h kcmdline/grubdef/*.h kcmdline/bootldr/*.h \
	kcmdline/lint/*.h early/*.h early/admin/*.h)
TEST_SRC    := $(wildcard tests/unit/test_*.c)
TEST_HELPER := $(filter-out $(TEST_SRC),$(wildcard tests/unit/*.c))
TEST_HDRS   := $(wildcard tests/unit/*.h)
TESTS       := $(patsubst tests/unit/%.c,%,$(TEST_SRC))
FUZZERS     := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 30

KC_SRC      := $(wildcard kcmdline/editor/*.c) $(GRUBDEF_SRC) $(BOOTLDR_SRC) $(LINT_SRC) $(KC_LIB) \
	early/hex.c
KC_HDRS     := $(wildcard kcmdline/*.h kcmdline/grubdef/*.h kcmdline/bootldr/*.h \
	kcmdline/lint/*.h kcmdline/editor/*.h)
KC_FLAGS    := -std=gnu99 -g $(WARN) -DKCMDLINE_VERSION='"$(VERSION)"' -Ikcmdline \
	-Ikcmdline/grubdef -Ikcmdline/bootldr -Ikcmdline/lint -Ikcmdline/editor -Iearly

all: $(B)/vfio-early $(B)/vfio-early-boot $(B)/kcmdline

# The boot binary is one translation unit with -fwhole-program: the compiler
# sees the whole pass and drops what it does not need (the size budget).
$(B)/unity-boot.c: $(BOOT_SRC) Makefile
	@mkdir -p $(B)
	@for f in $(BOOT_SRC); do echo "#include \"$(CURDIR)/$$f\""; done > $@

# The host binary: the admin subcommands, never the boot pass. It runs on
# the booted host only, so a normal dynamic build with the host compiler.
# pciids.c includes libpci's <pci/pci.h>, whose struct pci_dev is not ours:
# the files stay separate translation units.
$(B)/vfio-early: $(BIN_SRC) $(HDRS) Makefile VERSION
	@mkdir -p $(B)
	$(HOSTCC) -O2 $(WARN) $(DEFS) $(INC) $(HOST_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) \
		-o $@ $(BIN_SRC) $(HOST_LIBS)

# The boot binary (early/ without admin/), the only one in the initrd images,
# held to 32 KiB: it was 24 KiB until the kernel-faithful rules (group
# viability, pins, kstrtobool, the vfio-pci.ids reader, wide domains,
# deadlines, kmsg reopening, read-back, compressed modules) added 2.5 KiB;
# doc/internals.md says what was tried to save it. The limit went from 26 to
# 32 KiB (26416 bytes with klcc before) for what issue 16 and the after-boot
# issue added, each measured alone against 26416:
#   its refusal outside an initrd (statfs, the /init test, one message) and
#   its full usage text, now that it is the images' binary: +768;
#   whole groups or nothing (plan.c drop_unusable(), REASON_GROUP_UNUSABLE
#   and its log line) and config.c's count of bad rd.vfio.* values: +288;
#   the status file's "# modprobe.d:" line (status.c, for the udev rule's
#   selection): +96;
#   the hold of every PF whose VFs a selector may name (pass.c hold_pfs, the
#   PF's sriov_* files read with hex.c's parsers, not strtol; select.c
#   sel_may_name_vf/sel_vf_addr): +1120; tagging VFs stays out.
# All together 28400 bytes. Issue 18's variant drivers, measured against it:
#   a selector's =MODULE (select.c parse_module): +192;
#   the choice (variant.c: the vfio_pci alias glob with the fewest '*', the
#   modalias, the driver name from sys/module/MOD/drivers), the hold with
#   vfio-pci before the variant's module (and its core driver) loads, the
#   list's variant sections (modules.c), rd.vfio.variant, fmt()'s %X, and
#   the choice in the status file and --dry-run, a refused variant's device
#   left to vfio-pci: +3232.
# All together 31824 bytes. unit runs every boot-pass test on it; boot-size
# checks it.
# VFE_BOOT_ONLY is defined for a core file that must tell the two apart.
BOOT_MAX    := 32768
$(B)/vfio-early-boot: $(B)/unity-boot.c $(BOOT_SRC) $(HDRS) Makefile VERSION
	$(STATIC_CC) $(STATIC_FLAGS) -fwhole-program -DVFE_BOOT_ONLY $(WARN) $(DEFS) $(BOOT_INC) -o $@.unstripped $(B)/unity-boot.c
	strip -s -R .comment -R .note -o $@ $@.unstripped 2>/dev/null || cp $@.unstripped $@

boot-size: $(B)/vfio-early-boot
	@n=$$(stat -c %s $<); if [ "$(STATIC_CC)" != klcc ]; then \
		echo "ok - boot path $$n bytes with $(STATIC_CC) # SKIP the target is for klibc"; \
	elif [ $$n -le $(BOOT_MAX) ]; then \
		echo "ok - boot path $$n bytes stripped <= $(BOOT_MAX) ($(STATIC_CC))"; echo "1 passed, 0 failed"; \
	else echo "not ok - boot path $$n bytes stripped > $(BOOT_MAX)"; echo "0 passed, 1 failed"; exit 1; fi

# kcmdline runs in the real root: a normal dynamic host build.
$(B)/kcmdline: $(KC_SRC) $(KC_HDRS) VERSION
	@mkdir -p $(@D)
	$(HOSTCC) -O2 $(KC_FLAGS) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(KC_SRC)

$(B)/asan/kcmdline: $(KC_SRC) $(KC_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) -O1 $(SAN) $(KC_FLAGS) -o $@ $(KC_SRC)

kcmdline-check: $(B)/kcmdline $(B)/asan/kcmdline $(B)/vfio-early
	tests/unit/kcmdline-tool.sh $(B)/kcmdline
	tests/unit/kcmdline-tool.sh $(B)/asan/kcmdline

# Unit tests: host compiler, then again with ASan+UBSan (binary included).
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

$(B)/host/%: tests/unit/%.c $(TEST_HELPER) $(LIB_SRC) $(HDRS) $(TEST_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) -g -O1 $(WARN) $(DEFS) $(INC) $(HOST_CFLAGS) -Itests/unit -o $@ $< $(TEST_HELPER) \
		$(LIB_SRC) $(HOST_LIBS) -lpthread

$(B)/asan/%: tests/unit/%.c $(TEST_HELPER) $(LIB_SRC) $(HDRS) $(TEST_HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) -g -O1 $(SAN) $(WARN) $(DEFS) $(INC) $(HOST_CFLAGS) -Itests/unit -o $@ $< \
		$(TEST_HELPER) $(LIB_SRC) $(HOST_LIBS) -lpthread

$(B)/asan/vfio-early: $(BIN_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) -g -O1 $(SAN) $(WARN) $(DEFS) $(INC) $(HOST_CFLAGS) -o $@ $(BIN_SRC) $(HOST_LIBS)

# The boot pass under ASan: the same sources as the boot binary, glibc.
$(B)/asan/vfio-early-boot: $(BOOT_SRC) $(HDRS)
	@mkdir -p $(@D)
	$(HOSTCC) -g -O1 $(SAN) -DVFE_BOOT_ONLY $(WARN) $(DEFS) $(BOOT_INC) -o $@ $(BOOT_SRC)

$(B)/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(HDRS) $(TEST_HDRS)
	@mkdir -p $(@D)
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) $(INC) $(HOST_CFLAGS) -o $@ $< \
		$(LIB_SRC) $(HOST_LIBS)

# The tests run the admin subcommands with VFIO_EARLY, the boot pass with
# VFIO_EARLY_BOOT (tests/unit/fakesys.c: fake_run, fake_boot).
unit: $(B)/vfio-early $(B)/vfio-early-boot $(addprefix $(B)/host/,$(TESTS))
	VFIO_EARLY=$(CURDIR)/$(B)/vfio-early VFIO_EARLY_BOOT=$(CURDIR)/$(B)/vfio-early-boot \
		tests/unit/run $(B)/host $(TESTS)

unit-boot: $(B)/vfio-early-boot $(B)/host/test_binder
	VFIO_EARLY_BOOT=$(CURDIR)/$(B)/vfio-early-boot tests/unit/run $(B)/host test_binder

unit-asan: $(B)/asan/vfio-early $(B)/asan/vfio-early-boot $(addprefix $(B)/asan/,$(TESTS))
	VFIO_EARLY=$(CURDIR)/$(B)/asan/vfio-early VFIO_EARLY_BOOT=$(CURDIR)/$(B)/asan/vfio-early-boot \
		tests/unit/run $(B)/asan $(TESTS)

shellcheck:
	tests/shellcheck.sh

man-check:
	tests/man.sh

fuzz-short: $(addprefix $(B)/fuzz/,$(FUZZERS))
	tests/fuzz/run $(FUZZ_SECONDS) $(addprefix $(B)/fuzz/,$(FUZZERS))

fuzz:
	$(MAKE) fuzz-short FUZZ_SECONDS=600 FUZZ_ARGS=-max_len=20000

check: unit unit-boot boot-size unit-asan kcmdline-check shellcheck man-check fuzz-short

# Every binary check runs, and nothing else: "make -j2 check-build" compiles
# them on both cores (.ci/run) before check's runners run one at a time.
check-build: $(B)/vfio-early $(B)/vfio-early-boot $(B)/kcmdline $(B)/asan/kcmdline \
	$(B)/asan/vfio-early $(B)/asan/vfio-early-boot $(addprefix $(B)/host/,$(TESTS)) \
	$(addprefix $(B)/asan/,$(TESTS)) $(addprefix $(B)/fuzz/,$(FUZZERS))

bench: $(B)/vfio-early-boot
	bench/run $(B)/vfio-early-boot
	@echo "== the boot binary ($(B)/vfio-early-boot): $$(stat -c %s $(B)/vfio-early-boot) bytes stripped"

# Runs only when a goal above needs packages; rewritten only after an install.
$(B)/deps.stamp: FORCE
	@mkdir -p $(B)
	@tests/deps --stamp $@ $(DEPS_GROUPS)

FORCE:

# The real boots' probe runs it on every device a vfio driver holds: it opens
# the device as QEMU does (tests/vm/vfio-usable.c). Static: both initrds.
$(B)/vfio-usable: tests/vm/vfio-usable.c
	@mkdir -p $(@D)
	$(STATIC_CC) $(STATIC_FLAGS) $(WARN) -o $@ $<

# Also kcmdline and plan on the boot entries the real kernel-install of
# trixie makes (tests/vm/kernel-install, seconds); its counts print first.
# Then the next boot through OVMF for GRUB EFI, systemd-boot and a UKI
# (tests/vm/firmware: 7 boots, minutes).
vmcheck: $(B)/vfio-early $(B)/vfio-early-boot $(B)/kcmdline $(B)/vfio-usable
	@rc=0; tests/vm/kernel-install || rc=1; tests/vm/firmware || rc=1; tests/vm/releases || rc=1; exit $$rc

demo:
	tests/vm/demo

install: $(B)/vfio-early $(B)/vfio-early-boot $(B)/kcmdline
	install -D -m 0755 $(B)/vfio-early $(DESTDIR)$(SBINDIR)/vfio-early
	install -D -m 0755 $(B)/vfio-early-boot $(DESTDIR)$(BOOTDIR)/vfio-early-boot
	install -D -m 0755 $(B)/kcmdline $(DESTDIR)$(SBINDIR)/kcmdline
	install -D -m 0755 dracut-module/90vfio-early/module-setup.sh $(DESTDIR)$(DRACUTDIR)/module-setup.sh
	install -D -m 0755 dracut-module/90vfio-early/vfio-early-pre-udev.sh $(DESTDIR)$(DRACUTDIR)/vfio-early-pre-udev.sh
	install -D -m 0644 dracut-module/90vfio-early/systemd-modules-load-after-vfio-early.conf \
		$(DESTDIR)$(DRACUTDIR)/systemd-modules-load-after-vfio-early.conf
	install -D -m 0755 initramfs-tools-hook/hooks/vfio-early $(DESTDIR)$(ITDIR)/hooks/vfio-early
	install -D -m 0755 initramfs-tools-hook/scripts/init-top/00-vfio-early $(DESTDIR)$(ITDIR)/scripts/init-top/00-vfio-early
	@# udev runs RUN programs by absolute path: the rule names the installed binder.
	install -d $(DESTDIR)$(UDEVRULESDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' udev/$(UDEV_RULES).in > $(DESTDIR)$(UDEVRULESDIR)/$(UDEV_RULES)
	chmod 0644 $(DESTDIR)$(UDEVRULESDIR)/$(UDEV_RULES)
	install -D -m 0644 doc/vfio-early.8 $(DESTDIR)$(MANDIR)/man8/vfio-early.8
	install -D -m 0644 doc/kcmdline.8 $(DESTDIR)$(MANDIR)/man8/kcmdline.8
	@case "$(DRACUTDIR)" in $(DRACUT_MODULES_D)/*) ;; *) \
		echo "make install: dracut reads modules from $(DRACUT_MODULES_D) only; to use this one:"; \
		echo "  ln -s $(DRACUTDIR) $(DRACUT_MODULES_D)/90vfio-early";; esac

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vfio-early $(DESTDIR)$(SBINDIR)/kcmdline
	rm -f $(DESTDIR)$(BOOTDIR)/vfio-early-boot
	rmdir $(DESTDIR)$(BOOTDIR) 2>/dev/null || true
	rm -f $(DESTDIR)$(MANDIR)/man8/vfio-early.8 $(DESTDIR)$(MANDIR)/man8/kcmdline.8
	rm -rf $(DESTDIR)$(DRACUTDIR)
	@# The link "make install" suggested, if it points here.
	@l=$(DESTDIR)$(DRACUT_MODULES_D)/90vfio-early; \
	if [ -L "$$l" ] && [ "$$(readlink "$$l")" = "$(DRACUTDIR)" ]; then echo "rm -f $$l"; rm -f "$$l"; fi
	rm -f $(DESTDIR)$(ITDIR)/hooks/vfio-early $(DESTDIR)$(ITDIR)/scripts/init-top/00-vfio-early
	rm -f $(DESTDIR)$(UDEVRULESDIR)/$(UDEV_RULES)

# The release tarball: what HEAD holds, under vfio-early-VERSION/.
dist:
	tests/pkg/version-check
	@git diff --quiet HEAD -- 2>/dev/null || echo "make dist: uncommitted changes are not in the tarball (made from HEAD)" >&2
	@mkdir -p $(B)
	git archive --prefix=$(DIST)/ -o $(B)/$(DIST).tar.gz HEAD
	@echo "make dist: $(B)/$(DIST).tar.gz"

pkgcheck:
	tests/pkg/run

clean:
	rm -rf $(B)

.PHONY: FORCE man-check dist pkgcheck boot-size unit-boot all unit unit-asan kcmdline-check shellcheck fuzz-short fuzz check check-build bench vmcheck demo install uninstall clean
.SECONDARY:
