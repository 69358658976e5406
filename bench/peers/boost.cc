/*
 * boost.cc: the Boost.Context peer of the context switch benchmark, built
 * only when libboost-context-dev is installed (make bench installs it when
 * run as root). It measures the round trip of the low-level fcontext API
 * (jump_fcontext, which Boost's higher layers are built on) and of the
 * public continuation API (callcc / resume), with the minimal hand-written
 * switch of bench/lib/minswitch.S measured in the same process as the
 * baseline, exactly as bench/switch.c does for mkernel's switch.
 */
#include <boost/context/continuation.hpp>
#include <boost/context/detail/fcontext.hpp>
#include <boost/version.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" {
#include "bench.h"
}

namespace ctx = boost::context;
namespace detail = boost::context::detail;

static detail::fcontext_t fc_co;

// The coroutine: every jump back to the caller hands over its own context.
static void fc_entry(detail::transfer_t t) {
  for (;;) t = detail::jump_fcontext(t.fctx, nullptr);
}

static uint64_t fcontext_roundtrips(long n, void *) {
  static char *stack;
  const std::size_t size = 64 * 1024;
  if (!stack) {
    stack = static_cast<char *>(std::malloc(size));
    if (!stack) std::abort();
    fc_co = detail::make_fcontext(stack + size, size, fc_entry);
  }
  uint64_t t = bench_begin();
  for (long i = 0; i < n; i++)
    fc_co = detail::jump_fcontext(fc_co, nullptr).fctx;
  return bench_end(t);
}

static ctx::continuation *cont;

static uint64_t continuation_roundtrips(long n, void *) {
  if (!cont)
    cont = new ctx::continuation(ctx::callcc([](ctx::continuation &&sink) {
      for (;;) sink = sink.resume();
      return std::move(sink);
    }));
  uint64_t t = bench_begin();
  for (long i = 0; i < n; i++) *cont = cont->resume();
  return bench_end(t);
}

int main(int argc, char **argv) {
  bench_init();
  static const bench_op ops[] = {{"min", bench_min_roundtrips},
                                 {"fcontext", fcontext_roundtrips},
                                 {"continuation", continuation_roundtrips}};
  const int nops = sizeof ops / sizeof ops[0];
  const char *name;
  long count;
  if (bench_count_args(argc, argv, &name, &count)) {
    for (int i = 0; i < nops; i++) {
      if (std::string_view(ops[i].name) != name) continue;
      ops[i].run(1000, nullptr);
      bench_counting = true;
      ops[i].run(count, nullptr);
      bench_counting = false;
      std::printf("count %s %ld\n", name, count);
      return 0;
    }
    return 1;
  }
  uint64_t target = bench_quick() ? 20000000u : 100000000u;
  long iters[3];
  for (int i = 0; i < nops; i++)
    iters[i] = bench_calibrate(ops[i].run, nullptr, target / 4, 1000) * 4;
  int reps = bench_reps();
  static double ns[3][BENCH_MAX_REPS];
  for (int r = 0; r < reps; r++)
    for (int i = 0; i < nops; i++)
      ns[i][r] = (double)ops[i].run(iters[i], nullptr) / (double)iters[i];
  double base = bench_stats_of(ns[0], reps).median;
  bench_header("Peer: Boost.Context " BOOST_LIB_VERSION);
  bench_row("peer Boost.Context: minimal switch (baseline, this process)",
            ns[0], reps, "ns", base, "minimal switch", BENCH_NO_TARGET);
  bench_row("peer Boost.Context: fcontext jump round trip", ns[1], reps, "ns",
            base, "minimal switch", BENCH_NO_TARGET);
  bench_row("peer Boost.Context: continuation resume round trip", ns[2], reps,
            "ns", base, "minimal switch", BENCH_NO_TARGET);
  return 0;
}
