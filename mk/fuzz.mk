# mk/fuzz.mk: libFuzzer harnesses (tests/fuzz, see docs/fuzzing.md).
#
#   fuzz              replay the committed inputs, then fuzz the harnesses (at
#                     once, FUZZ_PARALLEL=0 for one by one) for
#                     FUZZ_SECONDS (default 60) seconds
#   fuzz-build        build the harnesses into $(FUZZ_O) (default build/fuzz)
#   fuzz-regressions  run every committed input once (tests/fuzz/seeds/H/,
#                     tests/fuzz/regressions/H/); part of `make check`
#   fuzz-run          the bounded fuzzing run; part of `make check`
#
# The harnesses and the code they test are compiled with clang and
# -fsanitize=fuzzer,address,undefined, independently of $(O) and $(CC): the
# core and the test platform for `devices`, the hosted option parser for
# `options`, the ping example's responder for `ping`. Without clang's
# fuzzer runtime every target stops with a message saying what to install.

FUZZ_CC ?= clang
FUZZ_O ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_PARALLEL ?= 1
FUZZ_HARNESSES := options devices ping

FUZZ_ARCH := $(firstword $(subst -, ,$(shell $(FUZZ_CC) -dumpmachine 2>/dev/null)))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
FUZZ_CPPFLAGS := -Iinclude -Isrc/core -Isrc/arch/$(FUZZ_ARCH) \
    -Isrc/platform/test -Isrc/platform/hosted -Iexamples/ping
# Other people's code is compiled without -Werror: a clang-only warning
# there must not break the fuzzing build. The harnesses keep it.
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-strict-aliasing $(FUZZ_SAN) \
    -fsanitize=fuzzer-no-link $(filter-out -Werror,$(WARN))
fuzz_obj = $(patsubst %,$(FUZZ_O)/obj/%.o,$(basename $(1)))

FUZZ_CORE_OBJ := $(call fuzz_obj,$(CORE_SRC) src/arch/$(FUZZ_ARCH)/switch.S \
    $(TESTPLAT_SRC))
FUZZ_BINS := $(patsubst %,$(FUZZ_O)/fuzz_%,$(FUZZ_HARNESSES))

.PHONY: fuzz fuzz-build fuzz-regressions fuzz-run fuzz-toolchain

# Checked on every use (it takes a fraction of a second), so a machine
# without the runtime gets this message rather than a link error.
fuzz-toolchain:
	@mkdir -p $(FUZZ_O)
	@printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
	  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
	  'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {' \
	  '  (void)d, (void)n; return 0; }' >$(FUZZ_O)/toolchain.c
	@$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $(FUZZ_O)/toolchain.c \
	  -o $(FUZZ_O)/toolchain 2>$(FUZZ_O)/toolchain.err || { \
	  echo "fuzz: '$(FUZZ_CC)' cannot build a libFuzzer program" \
	    "(-fsanitize=fuzzer,address,undefined):" >&2; \
	  sed 's/^/fuzz:   /' $(FUZZ_O)/toolchain.err | head -5 >&2; \
	  echo "fuzz: install clang and its runtime (Debian: apt-get install" \
	    "clang libclang-rt-14-dev, or run scripts/deps.sh as root)," \
	    "or set FUZZ_CC to a clang that has it" >&2; exit 1; }

$(FUZZ_O)/obj/%.o: %.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_O)/obj/%.o: %.S | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_O)/obj/tests/fuzz/%.o: FUZZ_CFLAGS += -Werror

$(FUZZ_O)/fuzz_options: $(call fuzz_obj,tests/fuzz/fuzz_options.c \
    src/platform/hosted/options.c)
$(FUZZ_O)/fuzz_devices: $(call fuzz_obj,tests/fuzz/fuzz_devices.c) \
    $(FUZZ_CORE_OBJ)
$(FUZZ_O)/fuzz_ping: $(call fuzz_obj,tests/fuzz/fuzz_ping.c \
    examples/ping/responder.c)
$(FUZZ_BINS): | fuzz-toolchain
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $^ -o $@

fuzz-build: $(FUZZ_BINS)

fuzz-regressions: fuzz-build
	FUZZ_O=$(FUZZ_O) tests/fuzz/run.sh replay $(FUZZ_HARNESSES)

fuzz-run: fuzz-build fuzz-regressions
	FUZZ_O=$(FUZZ_O) FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  FUZZ_PARALLEL=$(FUZZ_PARALLEL) tests/fuzz/run.sh fuzz $(FUZZ_HARNESSES)

fuzz: fuzz-run

EXTRA_CHECKS += fuzz-regressions fuzz-run

-include $(shell find $(FUZZ_O)/obj -name '*.d' 2>/dev/null)
