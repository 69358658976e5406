/*
 * switch.c: the context switch round trip (there and back between a caller
 * and a coroutine that switches straight back), measured three ways in one
 * process: the minimal hand-written switch of bench/lib/minswitch.S (the
 * baseline), mkernel's own mk__ctx_switch (src/arch/x86_64/switch.S, driven
 * directly, without the scheduler) and glibc's swapcontext, which also
 * saves and restores the signal mask with a system call. Repetitions are
 * interleaved so that drift of the machine affects all three alike. Target:
 * mkernel's switch within 1.3x of the baseline. `switch count OP N` runs one
 * operation for bench/instr.sh.
 */
#define _GNU_SOURCE
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include "bench.h"
#include "ctx.h" /* mkernel's switch: internal, but a benchmark may use it */

#define STACK_SIZE (64 * 1024)

static void *mk_main_sp, *mk_co_sp; /* saved stack pointers */

static void mk_coroutine(void *arg) {
  (void)arg;
  for (;;) mk__ctx_switch(&mk_co_sp, mk_main_sp);
}

static uint64_t mk_roundtrips(long n, void *ctx) {
  (void)ctx;
  static char *stack;
  if (!stack) {
    if (!(stack = malloc(STACK_SIZE))) abort();
    mk_co_sp = mk__ctx_init(stack + STACK_SIZE, mk_coroutine, NULL);
  }
  uint64_t t = bench_begin();
  for (long i = 0; i < n; i++) mk__ctx_switch(&mk_main_sp, mk_co_sp);
  return bench_end(t);
}

static ucontext_t uc_main, uc_co;

static void uc_coroutine(void) {
  for (;;) swapcontext(&uc_co, &uc_main);
}

static uint64_t uc_roundtrips(long n, void *ctx) {
  (void)ctx;
  static char *stack;
  if (!stack) {
    if (!(stack = malloc(STACK_SIZE))) abort();
    getcontext(&uc_co);
    uc_co.uc_stack.ss_sp = stack;
    uc_co.uc_stack.ss_size = STACK_SIZE;
    uc_co.uc_link = NULL;
    makecontext(&uc_co, uc_coroutine, 0);
  }
  uint64_t t = bench_begin();
  for (long i = 0; i < n; i++) swapcontext(&uc_main, &uc_co);
  return bench_end(t);
}

static const bench_op ops[] = {
    {"min", bench_min_roundtrips},
    {"mk", mk_roundtrips},
    {"swapcontext", uc_roundtrips},
};
#define NOPS (sizeof ops / sizeof ops[0])

int mk_main(int argc, char **argv) {
  bench_init();
  const char *name;
  long n;
  if (bench_count_args(argc, argv, &name, &n)) {
    for (size_t i = 0; i < NOPS; i++) {
      if (strcmp(ops[i].name, name) != 0) continue;
      ops[i].run(1000, NULL); /* warm-up: first-use setup is not counted */
      bench_counting = true;
      ops[i].run(n, NULL);
      bench_counting = false;
      printf("count %s %ld\n", name, n);
      return 0;
    }
    fprintf(stderr, "switch: unknown operation %s\n", name);
    return 1;
  }

  uint64_t target = bench_quick() ? 20000000u : 100000000u; /* ns per rep */
  long iters[NOPS];
  for (size_t i = 0; i < NOPS; i++)
    iters[i] = bench_calibrate(ops[i].run, NULL, target / 4, 1000);
  int reps = bench_reps();
  double ns[NOPS][BENCH_MAX_REPS];
  for (int r = 0; r < reps; r++)
    for (size_t i = 0; i < NOPS; i++) {
      long k = iters[i] * 4;
      ns[i][r] = (double)ops[i].run(k, NULL) / (double)k;
    }

  double base = bench_stats_of(ns[0], reps).median;
  bench_header("Context switch round trip (2 switches)");
  bench_row("switch: minimal hand-written (6 regs, jmp)", ns[0], reps, "ns",
            base, "minimal switch", BENCH_NO_TARGET);
  bench_row("switch: mkernel mk__ctx_switch", ns[1], reps, "ns", base,
            "minimal switch", (bench_target){BENCH_RATIO_AT_MOST, 1.3});
  bench_row("switch: glibc swapcontext", ns[2], reps, "ns", base,
            "minimal switch", BENCH_NO_TARGET);
  bench_note("switch: %ld/%ld/%ld round trips per repetition, %d repetitions",
             iters[0] * 4, iters[1] * 4, iters[2] * 4, reps);
  return 0;
}
