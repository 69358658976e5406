/*
 * bench.c: the shared support of the benchmark programs (see bench.h):
 * clocks, statistics over repetitions, the Markdown row printer with its
 * ratio and target columns, calibration of iteration counts, the minimal
 * switch coroutine used as the scheduler baseline, and the callgrind
 * collection markers. Kept free of mkernel calls so that plain C programs
 * (the TAP sender, the plain echo) and the peer benchmarks can link it too.
 */
#define _GNU_SOURCE
#include "bench.h"

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_TOGGLE_COLLECT
#define CALLGRIND_TOGGLE_COLLECT /* no valgrind headers: counting unsupported  \
                                  */
#endif

bool bench_counting;
static bool quick;
static int reps = 7;

uint64_t bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) *
             1000000000u +
         ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) *
             1000u;
}

void bench_pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set); /* best effort */
}

void bench_init(void) {
  const char *q = getenv("BENCH_QUICK");
  quick = q && *q && strcmp(q, "0") != 0;
  reps = quick ? 5 : 7;
  const char *r = getenv("BENCH_REPS");
  if (r && atoi(r) > 0) reps = atoi(r);
  /* The issue asks for the median of at least 5 repetitions. */
  if (reps < 5) reps = 5;
  if (reps > BENCH_MAX_REPS) reps = BENCH_MAX_REPS;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
  bench_pin(ncpu > 1 ? (int)ncpu - 1 : 0);
  /* Rows must appear in order even when stdout is a pipe to run.sh. */
  setvbuf(stdout, NULL, _IOLBF, 0);
}

bool bench_quick(void) { return quick; }
int bench_reps(void) { return reps; }

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

bench_stats bench_stats_of(const double *v, int n) {
  double s[BENCH_MAX_REPS];
  bench_stats st = {0, 0, 0, n};
  if (n <= 0) return st;
  if (n > BENCH_MAX_REPS) n = st.n = BENCH_MAX_REPS;
  memcpy(s, v, (size_t)n * sizeof *s);
  qsort(s, (size_t)n, sizeof *s, cmp_double);
  st.median = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  st.min = s[0];
  st.max = s[n - 1];
  return st;
}

/* Three significant digits at most, never scientific notation: the table
 * is read by people. */
static const char *num(char *buf, size_t size, double v) {
  double a = v < 0 ? -v : v;
  snprintf(buf, size,
           a >= 100   ? "%.0f"
           : a >= 10  ? "%.1f"
           : a >= 0.1 ? "%.2f"
                      : "%.3f",
           v);
  return buf;
}

void bench_header(const char *title) {
  printf("\n## %s\n\n", title);
  printf("| benchmark | median | min | max | unit | ratio | baseline | "
         "target |\n");
  printf("|---|---:|---:|---:|---|---:|---|---|\n");
}

void bench_row(const char *name, const double *v, int n, const char *unit,
               double baseline, const char *baseline_name,
               bench_target target) {
  bench_stats st = bench_stats_of(v, n);
  char med[32], lo[32], hi[32], ratio[32] = "-", goal[96] = "-";
  double r = baseline > 0 ? st.median / baseline : 0;
  if (baseline > 0) snprintf(ratio, sizeof ratio, "%.2fx", r);
  char lim[32];
  switch (target.kind) {
  case BENCH_NONE:
    break;
  case BENCH_AT_MOST:
    snprintf(goal, sizeof goal, "<= %s %s: %s",
             num(lim, sizeof lim, target.limit), unit,
             st.median <= target.limit ? "met" : "MISSED");
    break;
  case BENCH_RATIO_AT_MOST:
    snprintf(goal, sizeof goal, "<= %.2fx: %s", target.limit,
             baseline > 0 && r <= target.limit ? "met" : "MISSED");
    break;
  case BENCH_RATIO_AT_LEAST:
    snprintf(goal, sizeof goal, ">= %.2fx: %s", target.limit,
             baseline > 0 && r >= target.limit ? "met" : "MISSED");
    break;
  }
  printf("| %s | %s | %s | %s | %s | %s | %s | %s |\n", name,
         num(med, sizeof med, st.median), num(lo, sizeof lo, st.min),
         num(hi, sizeof hi, st.max), unit, ratio,
         baseline > 0 && baseline_name ? baseline_name : "-", goal);
}

void bench_note(const char *fmt, ...) {
  va_list ap;
  fputs("note: ", stdout);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  fputc('\n', stdout);
}

long bench_calibrate(uint64_t (*run)(long n, void *ctx), void *ctx,
                     uint64_t target_ns, long min_n) {
  long n = min_n > 0 ? min_n : 1;
  for (;;) {
    uint64_t t = run(n, ctx);
    if (t >= target_ns || n > (1L << 40)) break;
    /* Aim straight for the target, but grow at most 10x per step so one
     * noisy short measurement cannot ask for an hour-long run. */
    double want =
        t ? (double)n * (double)target_ns / (double)t * 1.1 : (double)n * 10;
    n = want > (double)n * 10 ? n * 10 : (long)want + 1;
  }
  return n;
}

/* ---- The minimal switch baseline ---------------------------------------- */

void bench_min_start(void);

void *bench_min_prepare(void *top, void (*fn)(void *), void *arg) {
  /* bench_min_switch pops r15, r14, r13, r12, rbx, rbp and the resume
   * address: 7 words, after which bench_min_start needs rsp 16-aligned. */
  uintptr_t sp = ((uintptr_t)top & ~(uintptr_t)15) - 16;
  void **frame = (void **)(sp - 7 * sizeof(void *));
  memset(frame, 0, 7 * sizeof(void *));
  frame[2] = (void *)fn;                         /* r13 */
  frame[3] = arg;                                /* r12 */
  frame[6] = (void *)(uintptr_t)bench_min_start; /* resume address */
  return frame;
}

static void *min_main_sp, *min_co_sp;

static void min_coroutine(void *arg) {
  (void)arg;
  for (;;) bench_min_switch(&min_co_sp, min_main_sp);
}

uint64_t bench_min_roundtrips(long n, void *ctx) {
  (void)ctx;
  if (!min_co_sp) {
    size_t size = 64 * 1024;
    char *stack = malloc(size);
    if (!stack) abort();
    min_co_sp = bench_min_prepare(stack + size, min_coroutine, NULL);
  }
  uint64_t t = bench_begin();
  for (long i = 0; i < n; i++) bench_min_switch(&min_main_sp, min_co_sp);
  return bench_end(t);
}

/* ---- Timed regions and callgrind ---------------------------------------- */

uint64_t bench_begin(void) {
  uint64_t t = bench_now();
  if (bench_counting) CALLGRIND_TOGGLE_COLLECT;
  return t;
}

uint64_t bench_end(uint64_t start) {
  if (bench_counting) CALLGRIND_TOGGLE_COLLECT;
  return bench_now() - start;
}

bool bench_count_args(int argc, char **argv, const char **op, long *n) {
  if (argc != 4 || strcmp(argv[1], "count") != 0) return false;
  *op = argv[2];
  *n = atol(argv[3]);
  return *n > 0;
}

long bench_max_map_count(void) {
  long v = -1;
  FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
  if (f) {
    if (fscanf(f, "%ld", &v) != 1) v = -1;
    fclose(f);
  }
  return v;
}
