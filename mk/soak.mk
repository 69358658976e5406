# mk/soak.mk: load and soak tests (tests/soak/run.sh), part of `make test`
# in every build.
#
#   soak    memory flat over 10 million spawn/await cycles and 1 million
#           timers; 1000 readers of one TAP under a flood of numbered frames
#           with cancellations; examples/ping under `ping -f`
#
# Sizes: full by default (about 15 s, 10 of them `ping -f`). The task and
# timer counts are a quarter under SAN=1 (ASan and UBSan make the core ~10x
# slower) and a fifth when RUN is set (qemu-user, ~7x slower here), where
# the network tests are skipped; the flood is I/O-bound and keeps its size.
# Override with SOAK_CYCLES, SOAK_TIMERS, SOAK_FRAMES, SOAK_PING_SECONDS.

SOAK_DIV := $(if $(RUN),5,$(if $(filter 1,$(SAN)),4,1))
SOAK_CYCLES ?= $(shell echo $$((10000000 / $(SOAK_DIV))))
SOAK_TIMERS ?= $(shell echo $$((1000000 / $(SOAK_DIV))))
SOAK_FRAMES ?= 200000
SOAK_PING_SECONDS ?= 10

SOAK_TASKS := $(O)/tests/soak/soak_tasks
SOAK_FLOOD := $(O)/tests/soak/flood

# soak_tasks runs on the test platform, like the unit tests.
$(SOAK_TASKS): $(call obj,tests/soak/soak_tasks.c) $(TESTPLAT_OBJ) $(LIBCORE)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@
# The sender is an ordinary Linux program.
$(SOAK_FLOOD): $(call obj,tests/soak/flood.c)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

# The network tests run only natively (not under $(RUN)).
SOAK_DEPS := $(SOAK_TASKS) $(if $(RUN),,$(SOAK_FLOOD) \
    $(O)/tests/uk/soak_netread $(O)/examples/ping)

.PHONY: soak
soak: $(SOAK_DEPS)
	O=$(O) RUN="$(RUN)" SOAK_CYCLES=$(SOAK_CYCLES) SOAK_TIMERS=$(SOAK_TIMERS) \
	  SOAK_FRAMES=$(SOAK_FRAMES) SOAK_PING_SECONDS=$(SOAK_PING_SECONDS) \
	  tests/soak/run.sh

EXTRA_TESTS += soak
