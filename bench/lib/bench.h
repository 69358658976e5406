/*
 * bench.h: what every mkernel benchmark program shares: clocks, repetitions,
 * the row format of the results table, the minimal hand-written context
 * switch that scheduler rows are compared with, and the markers that let
 * callgrind count the instructions of exactly the timed region. A row is a
 * Markdown table line `| benchmark | median | min | max | unit | ratio |
 * baseline | target |`, so bench/run.sh can collect the rows of every
 * program into one table and docs/performance.md can quote it unchanged.
 * Sizes follow two environment variables: BENCH_QUICK=1 (small sizes, for a
 * fast check) and BENCH_REPS (repetitions, at least 5).
 */
#ifndef MK_BENCH_H
#define MK_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_REPS 64

/* Monotonic wall clock and this process's CPU time (user + system), in ns. */
uint64_t bench_now(void);
uint64_t bench_cpu(void);

/* Parses BENCH_QUICK and BENCH_REPS and pins the process to one CPU (the
 * last), so a run is not disturbed by migrations. */
void bench_init(void);
bool bench_quick(void);
int bench_reps(void);
void bench_pin(int cpu);

/* How a row is judged: its median against a bound, or its ratio to the
 * baseline against a bound. */
typedef enum {
  BENCH_NONE,
  BENCH_AT_MOST,       /* median <= limit (in the row's unit) */
  BENCH_RATIO_AT_MOST, /* median / baseline <= limit */
  BENCH_RATIO_AT_LEAST /* median / baseline >= limit */
} bench_kind;
typedef struct bench_target {
  bench_kind kind;
  double limit;
} bench_target;
#define BENCH_NO_TARGET ((bench_target){BENCH_NONE, 0})

typedef struct bench_stats {
  double median, min, max;
  int n;
} bench_stats;
bench_stats bench_stats_of(const double *v, int n);

/* The table header (prints once per program, with a title line). */
void bench_header(const char *title);
/* One row: v[0..n) are the repetitions; `baseline` is the baseline's median
 * measured in this run (0: no baseline, ratio shown as "-"). */
void bench_row(const char *name, const double *v, int n, const char *unit,
               double baseline, const char *baseline_name, bench_target target);
/* A free-form line under the table ("note: ..."), collected by run.sh. */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Calls run(n, ctx) with growing n until one call takes at least
 * `target_ns`; returns that n (at least `min_n`). run returns the ns it
 * measured, so setup it excludes does not count. */
long bench_calibrate(uint64_t (*run)(long n, void *ctx), void *ctx,
                     uint64_t target_ns, long min_n);

/* The minimal context switch baseline (bench/lib/minswitch.S): saves the six
 * callee-saved registers on the stack, stores the stack pointer in *save,
 * loads `to` and resumes with an indirect jump. */
void bench_min_switch(void **save, void *to);
/* A stack pointer that, switched to, calls fn(arg) on the stack whose top is
 * `top`; fn must never return. */
void *bench_min_prepare(void *top, void (*fn)(void *), void *arg);
/* n round trips (there and back) with a coroutine on the minimal switch;
 * returns the elapsed ns. The coroutine is created on first use. */
uint64_t bench_min_roundtrips(long n, void *ctx);

/* Timed regions: bench_begin() returns the start time, bench_end() the
 * elapsed ns. When bench_counting is set, the region is also the only code
 * callgrind collects (run it with --collect-atstart=no): see bench/instr.sh. */
extern bool bench_counting;
uint64_t bench_begin(void);
uint64_t bench_end(uint64_t start);

/* An operation measured by a program: run(n, ctx) performs n of them and
 * returns the ns they took. */
typedef struct bench_op {
  const char *name;
  uint64_t (*run)(long n, void *ctx);
} bench_op;

/* Count mode: `PROG count OP N` asks a program to run operation OP once,
 * with N iterations, after a warm-up, with bench_counting set. Returns true
 * (and OP, N) if argv asks for it. */
bool bench_count_args(int argc, char **argv, const char **op, long *n);

/* Numbers and sizes read from /proc. */
long bench_max_map_count(void);

#endif
