# mk/bench.mk: the benchmark suite (bench/, results in docs/performance.md).
#
#   make bench        install the peers' Debian packages if missing (as
#                     root), build everything with -O2 and no sanitizers in
#                     build/bench, run bench/run.sh: every benchmark, then one
#                     combined table
#   make bench-quick  the same with small sizes, for a fast check
#   bench-build       compile the C benchmark programs in $(O), nothing run;
#                     part of `make check`, so they cannot rot
#   bench-peers       the Boost.Context and Go peer programs, built when
#                     their toolchains are installed
#
# Nothing here is a timed assertion: benchmarks run only on demand.

BENCH_O := build/bench
BENCH_LIB_SRC := bench/lib/bench.c bench/lib/minswitch.S
BENCH_LIB_OBJ := $(call obj,$(BENCH_LIB_SRC))
# bench/*.c: hosted unikernels without devices, one file each.
BENCH_PROGS := $(patsubst bench/%.c,$(O)/bench/%,$(wildcard bench/*.c))
# bench/uk/NAME/: hosted unikernels with devices (echo on a TAP, block I/O).
BENCH_UKS := $(patsubst bench/uk/%/,$(O)/bench/uk/%,\
    $(sort $(dir $(wildcard bench/uk/*/*.c))))
# bench/net/*.c: plain C programs (the TAP sender, the plain echo).
BENCH_NET := $(patsubst bench/net/%.c,$(O)/bench/net/%,\
    $(wildcard bench/net/*.c))
BENCH_BINS := $(BENCH_PROGS) $(BENCH_UKS) $(BENCH_NET)

$(O)/obj/bench/%: CPPFLAGS += -Ibench/lib
# Built through pattern rules, the objects would be deleted as intermediate
# files and rebuilt every time.
.SECONDARY: $(call obj,$(wildcard bench/*.c bench/uk/*/*.c bench/net/*.c))

$(O)/bench/%: $(O)/obj/bench/%.o $(BENCH_LIB_OBJ) $(LIBHOSTED)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIBHOSTED) $(HOSTED_LIBS) -o $@
$(O)/bench/uk/%: $$(call obj,$$(wildcard bench/uk/%/*.c)) $(BENCH_LIB_OBJ) \
    $(LIBHOSTED)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(filter %.o,$^) $(LIBHOSTED) $(HOSTED_LIBS) -o $@
$(O)/bench/net/%: $(O)/obj/bench/net/%.o $(BENCH_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ -o $@

# Peers, measured in the same `make bench` run. Boost.Context's program also
# links the minimal switch, so its ratio is against a baseline from its own
# process.
BOOST_HEADER := /usr/include/boost/context/detail/fcontext.hpp
CXX ?= c++
BENCH_PEERS := $(if $(wildcard $(BOOST_HEADER)),$(O)/bench/peers/boost) \
    $(if $(shell command -v go 2>/dev/null),$(O)/bench/peers/go)
$(O)/bench/peers/boost: bench/peers/boost.cc $(BENCH_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CXX) -std=c++17 -O2 -g -Wall -Wextra -Werror -Ibench/lib $< \
	    $(BENCH_LIB_OBJ) -lboost_context -o $@
$(O)/bench/peers/go: bench/peers/go/main.go
	@mkdir -p $(dir $@)
	cd bench/peers/go && GOCACHE=$(abspath $(O))/gocache \
	    go build -o $(abspath $@) main.go

.PHONY: bench bench-quick bench-build bench-peers
# The baseline switch (bench/lib/minswitch.S) is x86_64 code.
ifeq ($(ARCH),x86_64)
bench-build: $(BENCH_BINS)
bench-peers: $(BENCH_PEERS)

bench bench-quick:
	bench/deps.sh
	$(MAKE) bench-build bench-peers O=$(BENCH_O) SAN=0 CFLAGS="-O2 -g"
	O=$(BENCH_O) BENCH_QUICK=$(if $(filter bench-quick,$@),1,0) bench/run.sh

EXTRA_CHECKS += bench-build
else
bench bench-quick bench-build bench-peers:
	@echo "$@: the benchmarks are x86_64 only (ARCH is $(ARCH)): skipped"
endif
