# mk/runtime.mk: the small C runtime linked into Solo5 images (src/runtime).
#
#   runtime-test                the runtime, under its mk_rt_ names, linked
#                               into a Linux program and compared with glibc;
#                               part of `make test` in every build
#   runtime-freestanding-check  the runtime and a sample application compiled
#                               as for a Solo5 image, then linked together:
#                               only the platform's console, abort and exit
#                               may remain undefined; part of `make check`

RUNTIME_SRC := $(wildcard src/runtime/*.c)
# std_names.c defines memcpy, printf, malloc...: in a hosted program they
# would replace glibc's, so only images link it.
RUNTIME_HOSTED_SRC := $(filter-out src/runtime/std_names.c,$(RUNTIME_SRC))
RUNTIME_TEST_SRC := $(wildcard tests/runtime/test_*.c)
RUNTIME_TEST := $(O)/tests/runtime

$(call obj,$(RUNTIME_TEST_SRC)): CPPFLAGS += -Isrc/runtime

$(RUNTIME_TEST): $(call obj,$(RUNTIME_HOSTED_SRC) $(RUNTIME_TEST_SRC))
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

.PHONY: runtime-test runtime-freestanding-check
runtime-test: $(RUNTIME_TEST)
	$(RUN) $(RUNTIME_TEST)

# How a Solo5 image compiles the runtime: no libc headers, no builtins, no
# stack protector, and no floating-point or vector registers where the
# compiler can be told so (hvt images are built that way).
RUNTIME_FS_FLAGS := -std=c11 $(WARN) -O2 -ffreestanding -nostdinc \
    -isystem $(shell $(CC) -print-file-name=include) -Isrc/runtime/include \
    -fno-stack-protector -fno-builtin \
    $(if $(filter x86_64 aarch64,$(ARCH)),-mgeneral-regs-only)
RUNTIME_FS_DIR := $(O)/runtime-freestanding
RUNTIME_FS_OBJ := $(patsubst %.c,$(RUNTIME_FS_DIR)/%.o,\
    $(notdir $(RUNTIME_SRC)) app.c)
RUNTIME_NM := $(if $(filter %-gcc,$(CC)),$(patsubst %-gcc,%-nm,$(CC)),nm)
RUNTIME_PLATFORM := mk__platform_abort mk__platform_console_write \
    mk__platform_exit

runtime-freestanding-check:
	@mkdir -p $(RUNTIME_FS_DIR)
	@for f in $(RUNTIME_SRC) tests/runtime/app.c; do \
	  $(CC) $(RUNTIME_FS_FLAGS) -c $$f \
	    -o $(RUNTIME_FS_DIR)/$$(basename $$f .c).o || exit 1; done
	@$(CC) -r -nostdlib $(RUNTIME_FS_OBJ) -o $(O)/runtime-image.o
	@undef=$$($(RUNTIME_NM) -u $(O)/runtime-image.o | awk '{ print $$NF }' | \
	  sort -u | tr '\n' ' '); \
	for s in $$undef; do \
	  case " $(RUNTIME_PLATFORM) " in *" $$s "*) ;; *) \
	    echo "runtime freestanding check: $$s is undefined" >&2; exit 1;; \
	  esac; done; \
	for s in memcpy memmove memset memcmp printf malloc; do \
	  $(RUNTIME_NM) --defined-only $(O)/runtime-image.o | \
	    grep -q " T $$s$$" || { \
	    echo "runtime freestanding check: $$s is not defined" >&2; exit 1; }; \
	done; \
	echo "runtime freestanding check: the runtime needs only: $$undef"

EXTRA_TESTS += runtime-test
EXTRA_CHECKS += runtime-freestanding-check
