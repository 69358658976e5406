# mkernel: build, tests, examples.
#
#   make            the library, examples and tests for this machine
#   make demo       build and run the `hello` unikernel on the hosted platform
#   make check      the whole suite: unit and end-to-end tests, then under
#                   valgrind memcheck, then under ASan+UBSan, then for
#                   aarch64 under qemu-user, then the freestanding checks
#
# Variables: O (output directory), CC, ARCH (x86_64 or aarch64, from $(CC)),
# SAN=1 (AddressSanitizer + UndefinedBehaviorSanitizer), RUN (a prefix to run
# the test binaries, e.g. qemu-aarch64), E2E=0 (skip end-to-end tests).

O ?= build/default
CC ?= cc
LD := $(patsubst %gcc,%ld,$(CC))
ifeq ($(LD),cc)
LD := ld
endif
ARCH ?= $(firstword $(subst -, ,$(shell $(CC) -dumpmachine)))
RUN ?=
E2E ?= 1

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wno-missing-field-initializers -Werror
CFLAGS ?= -O2 -g
ALL_CFLAGS := -std=c11 $(WARN) $(CFLAGS) -fno-strict-aliasing
CPPFLAGS := -Iinclude -Isrc/core -Isrc/arch/$(ARCH) -Isrc/platform/test
LDFLAGS ?=
ifeq ($(SAN),1)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
ALL_CFLAGS += $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
endif

CORE_SRC := $(wildcard src/core/*.c)
ARCH_SRC := src/arch/$(ARCH)/switch.S
HOSTED_SRC := $(wildcard src/platform/hosted/*.c)
TESTPLAT_SRC := $(wildcard src/platform/test/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)
# Support code of the examples that the unit tests exercise directly.
EXAMPLE_LIB_SRC := $(wildcard examples/block/md5.c examples/ping/responder.c)
EXAMPLES := $(notdir $(wildcard examples/*))
TEST_UKS := $(notdir $(wildcard tests/uk/*))

obj = $(patsubst %,$(O)/obj/%.o,$(basename $(1)))

CORE_OBJ := $(call obj,$(CORE_SRC) $(ARCH_SRC))
HOSTED_OBJ := $(call obj,$(HOSTED_SRC))
TESTPLAT_OBJ := $(call obj,$(TESTPLAT_SRC))
UNIT_OBJ := $(call obj,$(UNIT_SRC) $(EXAMPLE_LIB_SRC))

# What a hosted unikernel links with, besides libmkernel-hosted.a.
HOSTED_LIBS := -lseccomp
LIBCORE := $(O)/libmkernel-core.a
LIBHOSTED := $(O)/libmkernel-hosted.a
UNIT := $(O)/tests/unit
EXAMPLE_BINS := $(patsubst %,$(O)/examples/%,$(EXAMPLES))
TEST_UK_BINS := $(patsubst %,$(O)/tests/uk/%,$(TEST_UKS))

.PHONY: all demo check test unit e2e memcheck freestanding-check clean
all: $(LIBCORE) $(LIBHOSTED) $(UNIT) $(EXAMPLE_BINS) $(TEST_UK_BINS)

$(O)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(O)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIBCORE): $(CORE_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^
# One archive per platform: the core and the platform, which call each other.
$(LIBHOSTED): $(CORE_OBJ) $(HOSTED_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(UNIT): $(UNIT_OBJ) $(TESTPLAT_OBJ) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(UNIT_OBJ) $(TESTPLAT_OBJ) $(LIBCORE) -o $@

# Each example (and each unikernel used only by the tests) is a directory of
# C files linked with the hosted platform.
.SECONDEXPANSION:
$(O)/examples/%: $$(call obj,$$(wildcard examples/%/*.c)) $(LIBHOSTED)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIBHOSTED) $(HOSTED_LIBS) -o $@
$(O)/tests/uk/%: $$(call obj,$$(wildcard tests/uk/%/*.c)) $(LIBHOSTED)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIBHOSTED) $(HOSTED_LIBS) -o $@

unit: $(UNIT)
	$(RUN) $(UNIT)

e2e: $(EXAMPLE_BINS) $(TEST_UK_BINS)
	O=$(O) SAN=$(SAN) tests/e2e/run.sh

# Fragments under mk/ add their own targets and append to these lists.
EXTRA_TESTS :=
EXTRA_CHECKS :=
include $(wildcard mk/*.mk)

test: unit $(EXTRA_TESTS) $(if $(filter 1,$(E2E)),e2e)

# The unit and end-to-end tests under valgrind's memcheck: any error, or a
# leak, fails them.
MEMCHECK := valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect
memcheck: $(UNIT) $(EXAMPLE_BINS) $(TEST_UK_BINS)
	$(MEMCHECK) $(UNIT)
	O=$(O) WRAP="$(MEMCHECK)" tests/e2e/run.sh

demo:
	scripts/deps.sh demo
	$(MAKE) $(O)/examples/hello
	$(O)/examples/hello

# The core must need nothing from a libc: compile it freestanding, against
# the compiler's own headers only, and list what it leaves undefined.
FREESTANDING_FLAGS := -std=c11 $(WARN) -O2 -ffreestanding -nostdinc \
    -isystem $(shell $(CC) -print-file-name=include) -fno-stack-protector
freestanding-check:
	@mkdir -p $(O)/freestanding
	@for f in $(CORE_SRC) $(ARCH_SRC); do \
	  $(CC) $(CPPFLAGS) $(FREESTANDING_FLAGS) -c $$f \
	    -o $(O)/freestanding/$$(basename $$f).o || exit 1; done
	@$(LD) -r $(O)/freestanding/*.o -o $(O)/freestanding/core.o.r
	@scripts/check-freestanding.sh $(O)/freestanding/core.o.r

check:
	scripts/deps.sh
	$(MAKE) test O=build/default
	$(MAKE) memcheck O=build/default
	$(MAKE) test O=build/asan SAN=1
	$(MAKE) test O=build/aarch64 CC=aarch64-linux-gnu-gcc LDFLAGS=-static \
	    RUN="qemu-aarch64" E2E=0
	$(MAKE) freestanding-check $(EXTRA_CHECKS) O=build/default
	@echo "make check: all passed"

clean:
	rm -rf build

-include $(shell find $(O)/obj -name '*.d' 2>/dev/null)
