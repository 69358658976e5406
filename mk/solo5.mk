# mk/solo5.mk: the Solo5 platform (src/platform/solo5) and Solo5 images of
# the examples. See docs/solo5.md.
#
#   solo5                       build/solo5/examples/<name>.{spt,hvt,virtio}
#                               for every example, when a Solo5 install is
#                               found (SOLO5_PREFIX=/prefix, or the
#                               x86_64-solo5-none-static-cc wrapper on PATH);
#                               without one, says so and succeeds
#   solo5-unit                  the command-line splitting, in a hosted test
#                               program; part of `make test` in every build
#   solo5-e2e                   tests/e2e/solo5.sh: the images on the Solo5
#                               tenders (skips, with a line per tender, when
#                               there is no Solo5, under SAN=1, off x86_64 or
#                               with E2E=0); part of `make test`
#   solo5-freestanding-check    core, runtime, Solo5 platform and each example
#                               compiled as for an image against a stand-in
#                               <solo5.h>: only solo5_* may stay undefined;
#                               part of `make check`, needs no Solo5
#
# Variables: SOLO5_PREFIX (a Solo5 install prefix), SOLO5_ARCH (default
# x86_64), SOLO5_O (image build directory, default build/solo5).

SOLO5_PREFIX ?=
SOLO5_ARCH ?= x86_64
SOLO5_O ?= build/solo5
SOLO5_TRIPLE := $(SOLO5_ARCH)-solo5-none-static
ifneq ($(strip $(SOLO5_PREFIX)),)
SOLO5_BINDIR := $(SOLO5_PREFIX)/bin/
SOLO5_FOUND := $(wildcard $(SOLO5_BINDIR)$(SOLO5_TRIPLE)-cc)
else
SOLO5_FOUND := $(shell command -v $(SOLO5_TRIPLE)-cc 2>/dev/null)
SOLO5_BINDIR := $(dir $(SOLO5_FOUND))
endif
SOLO5_CC := $(SOLO5_BINDIR)$(SOLO5_TRIPLE)-cc
SOLO5_ELFTOOL := $(SOLO5_BINDIR)solo5-elftool
SOLO5_ABIS := spt hvt virtio

SOLO5_PLATFORM_SRC := $(wildcard src/platform/solo5/*.c)
# As mk/runtime.mk (not read from it: fragments are included in any order).
SOLO5_RUNTIME_SRC := $(wildcard src/runtime/*.c)
SOLO5_NAME_SRC := src/platform/solo5/name.c

# Everything that goes into an image is built without floating-point or
# vector registers: the hvt tender here faults on them (see docs/solo5.md).
SOLO5_CPPFLAGS := -Iinclude -Isrc/core -Isrc/arch/$(SOLO5_ARCH) \
    -Isrc/runtime/include -Isrc/runtime -Isrc/platform/solo5
SOLO5_CFLAGS := -std=c11 $(WARN) -O2 -g -fno-strict-aliasing \
    -mgeneral-regs-only

# ---- The command-line splitting, tested on the hosted build ---------------

SOLO5_UNIT := $(O)/tests/solo5-cmdline
SOLO5_UNIT_SRC := tests/solo5/test_cmdline.c src/platform/solo5/cmdline.c

$(call obj,tests/solo5/test_cmdline.c): CPPFLAGS += -Isrc/platform/solo5

$(SOLO5_UNIT): $(call obj,$(SOLO5_UNIT_SRC))
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

.PHONY: solo5 solo5-unit solo5-e2e solo5-freestanding-check
solo5-unit: $(SOLO5_UNIT)
	$(RUN) $(SOLO5_UNIT)

# ---- Images ----------------------------------------------------------------

solo5_obj = $(patsubst %,$(SOLO5_O)/obj/%.o,$(basename $(1)))
SOLO5_LIB := $(SOLO5_O)/libmkernel-solo5.a
SOLO5_LIB_OBJ := $(call solo5_obj,$(CORE_SRC) src/arch/$(SOLO5_ARCH)/switch.S \
    $(SOLO5_RUNTIME_SRC) $(SOLO5_PLATFORM_SRC))
# Unikernels used only by the Solo5 tests, one per directory.
SOLO5_TEST_UKS := $(notdir $(wildcard tests/solo5/uk/*))
solo5_images = $(foreach u,$(2),$(patsubst %,$(SOLO5_O)/$(1)/$(u).%,$(SOLO5_ABIS)))
SOLO5_IMAGES := $(call solo5_images,examples,$(EXAMPLES)) \
    $(call solo5_images,tests,$(SOLO5_TEST_UKS))

ifeq ($(SOLO5_FOUND),)
solo5:
	@echo "solo5: no Solo5 install found: $(if $(strip $(SOLO5_PREFIX)),$(SOLO5_PREFIX)/bin/$(SOLO5_TRIPLE)-cc does not exist,$(SOLO5_TRIPLE)-cc is not on PATH)."
	@echo "solo5: install Solo5 (docs/solo5.md), then: make solo5 SOLO5_PREFIX=/path/to/prefix"
else
solo5: $(SOLO5_IMAGES)
	@echo "solo5: images in $(SOLO5_O)/examples (Solo5 from $(SOLO5_BINDIR))"
endif

$(SOLO5_O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(SOLO5_CC) $(SOLO5_CPPFLAGS) $(SOLO5_CFLAGS) -MMD -MP -c $< -o $@
$(SOLO5_O)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(SOLO5_CC) $(SOLO5_CPPFLAGS) $(SOLO5_CFLAGS) -MMD -MP -c $< -o $@

# The library an image links: core, context switch, runtime (the libc) and
# the platform, whose name.o ("unikernel") only fills in for an image that
# does not name itself.
$(SOLO5_LIB): $(SOLO5_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# An example's manifest comes from its own device list: its hosted build
# prints it (--mk:manifest). The test unikernels use no device.
$(SOLO5_O)/examples/%/manifest.json: $(O)/examples/%
	@mkdir -p $(dir $@)
	$< --mk:manifest >$@.tmp && mv $@.tmp $@
$(SOLO5_O)/tests/%/manifest.json:
	@mkdir -p $(dir $@)
	echo '{"type":"solo5.manifest","version":1,"devices":[]}' >$@
$(SOLO5_O)/%/manifest.c: $(SOLO5_O)/%/manifest.json
	$(SOLO5_ELFTOOL) gen-manifest $< $@
$(SOLO5_O)/%/manifest.o: $(SOLO5_O)/%/manifest.c
	$(SOLO5_CC) $(SOLO5_CFLAGS) -c $< -o $@
# argv[0] of the image: its name.
$(SOLO5_O)/%/progname.o: $(SOLO5_NAME_SRC)
	@mkdir -p $(dir $@)
	$(SOLO5_CC) $(SOLO5_CPPFLAGS) $(SOLO5_CFLAGS) -MMD -MP \
	    -DMK_SOLO5_PROGRAM_NAME='"$(notdir $*)"' -c $< -o $@

# SOLO5_IMAGE_RULE(kind, source directory, ABI): the same objects link for
# every ABI, the image's own progname.o ahead of the library; -lgcc for the
# compiler's helpers.
define SOLO5_IMAGE_RULE
$(SOLO5_O)/$(1)/%.$(3): $$$$(call solo5_obj,$$$$(wildcard $(2)/%/*.c)) \
    $(SOLO5_O)/$(1)/%/progname.o $(SOLO5_O)/$(1)/%/manifest.o $(SOLO5_LIB)
	$$(SOLO5_CC) -z solo5-abi=$(3) $$(filter %.o,$$^) $(SOLO5_LIB) -lgcc -o $$@
endef
.SECONDEXPANSION:
$(foreach abi,$(SOLO5_ABIS),\
    $(eval $(call SOLO5_IMAGE_RULE,examples,examples,$(abi)))\
    $(eval $(call SOLO5_IMAGE_RULE,tests,tests/solo5/uk,$(abi))))

.PRECIOUS: $(SOLO5_O)/examples/%/manifest.json \
    $(SOLO5_O)/tests/%/manifest.json $(SOLO5_O)/%/manifest.c \
    $(SOLO5_O)/%/manifest.o $(SOLO5_O)/%/progname.o $(SOLO5_O)/obj/%.o

# ---- End-to-end tests on the tenders ----------------------------------------

# Images are built only when the script can run them here.
SOLO5_E2E_RUNS := $(and $(SOLO5_FOUND),$(filter 1,$(E2E)),\
    $(filter-out 1,$(SAN)),$(filter $(SOLO5_ARCH),$(ARCH)))
solo5-e2e: $(if $(SOLO5_E2E_RUNS),solo5)
	@SOLO5_BINDIR="$(SOLO5_BINDIR)" SOLO5_O=$(SOLO5_O) O=$(O) \
	  SAN="$(SAN)" ARCH=$(ARCH) SOLO5_ARCH=$(SOLO5_ARCH) E2E=$(E2E) \
	  tests/e2e/solo5.sh

# ---- Freestanding check, against the stand-in <solo5.h> ---------------------

SOLO5_FS_DIR := $(O)/solo5-freestanding
SOLO5_FS_FLAGS := -std=c11 $(WARN) -O2 -ffreestanding -nostdinc \
    -Iinclude -Isrc/core -Isrc/arch/$(ARCH) -Isrc/runtime/include \
    -Isrc/runtime -Isrc/platform/solo5 -Isrc/platform/solo5/stub \
    -isystem $(shell $(CC) -print-file-name=include) -fno-stack-protector \
    $(if $(filter x86_64 aarch64,$(ARCH)),-mgeneral-regs-only)
SOLO5_NM := $(if $(filter %-gcc,$(CC)),$(patsubst %-gcc,%-nm,$(CC)),nm)
solo5_fs_obj = $(patsubst %,$(SOLO5_FS_DIR)/%.o,$(basename $(1)))
SOLO5_FS_LIB_OBJ := $(call solo5_fs_obj,$(CORE_SRC) $(ARCH_SRC) \
    $(SOLO5_RUNTIME_SRC) $(SOLO5_PLATFORM_SRC))
SOLO5_FS_IMAGE_DIRS := $(wildcard examples/* tests/solo5/uk/*)
SOLO5_FS_IMAGE_OBJ := $(call solo5_fs_obj,$(wildcard examples/*/*.c \
    tests/solo5/uk/*/*.c))

$(SOLO5_FS_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(CC) $(SOLO5_FS_FLAGS) -MMD -MP -c $< -o $@
$(SOLO5_FS_DIR)/%.o: %.S
	@mkdir -p $(dir $@)
	@$(CC) $(SOLO5_FS_FLAGS) -MMD -MP -c $< -o $@

# Each example (and test unikernel) with the library, as one relocatable
# object, as an image would link them: what is left
# undefined must be Solo5's (solo5_*, and the manifest note the bindings
# read), and the entry point, mk_main and mem* must be defined.
solo5-freestanding-check: $(SOLO5_FS_LIB_OBJ) $(SOLO5_FS_IMAGE_OBJ)
	@$(LD) -r $(SOLO5_FS_LIB_OBJ) -o $(SOLO5_FS_DIR)/lib.o
	@for d in $(SOLO5_FS_IMAGE_DIRS); do \
	  e=$$(basename $$d); \
	  $(LD) -r $(SOLO5_FS_DIR)/lib.o $(SOLO5_FS_DIR)/$$d/*.o \
	    -o $(SOLO5_FS_DIR)/$$e.image.o || exit 1; \
	  bad=$$($(SOLO5_NM) -u $(SOLO5_FS_DIR)/$$e.image.o | \
	    awk '{ print $$NF }' | sort -u | \
	    grep -v -E '^(solo5_[a-z_]+|__solo5_mft1_note|_GLOBAL_OFFSET_TABLE_)$$'); \
	  if [ -n "$$bad" ]; then \
	    echo "solo5 freestanding check: $$e needs symbols Solo5 does not provide:" \
	      $$bad >&2; exit 1; fi; \
	  for s in solo5_app_main mk_main memcpy memmove memset memcmp; do \
	    $(SOLO5_NM) --defined-only $(SOLO5_FS_DIR)/$$e.image.o | \
	      grep -q " T $$s$$" || { \
	      echo "solo5 freestanding check: $$e does not define $$s" >&2; \
	      exit 1; }; \
	  done; \
	done
	@echo "solo5 freestanding check: $(words $(SOLO5_FS_IMAGE_DIRS)) images need only:" \
	  $$($(SOLO5_NM) -u $(SOLO5_FS_DIR)/*.image.o | awk '{ print $$NF }' | \
	    grep -v ':$$' | sort -u | tr '\n' ' ')

EXTRA_TESTS += solo5-unit solo5-e2e
EXTRA_CHECKS += solo5-freestanding-check

-include $(shell find $(SOLO5_O) $(SOLO5_FS_DIR) -name '*.d' 2>/dev/null)
