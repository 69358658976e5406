/*
 * timers.c: the timer benchmark, as a hosted unikernel without devices.
 * Each pass spawns N tasks (4 KiB stacks) that each sleep a random 0-999 ms,
 * wake, exit and are awaited; it reports the wall time of the pass and the
 * process CPU time per timer (getrusage / N). The first pass of the run maps
 * every stack and only warms the caches; the measured passes that follow
 * reuse the cached stacks ("once stacks are warm"). Two sizes run in the
 * same process, 100,000 and 10,000 tasks: if sleepers were scanned linearly
 * the CPU per timer would grow tenfold with the larger size, with a heap it
 * grows only by a logarithm. The wall time's baseline is the latest
 * deadline drawn, the least a pass can take.
 */
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

typedef struct pass_cfg {
  long tasks;
  uint64_t spread_ms; /* sleeps are uniform in [0, spread_ms) */
  uint64_t rng;
  mk_task *handles;
  uint64_t latest; /* longest sleep drawn, ns */
  uint64_t wall, cpu;
} pass_cfg;

static void *sleep_for(void *arg) {
  mk_sleep((uint64_t)(uintptr_t)arg);
  return NULL;
}

/* xorshift64*: the sleeps are random but the same in every pass. */
static uint64_t next_random(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545f4914f6cdd1dull;
}

static void pass(pass_cfg *c) {
  static const mk_spawn_opts small = {.stack_size = MK_STACK_MIN};
  uint64_t rng = c->rng;
  c->latest = 0;
  uint64_t t0 = bench_now(), cpu0 = bench_cpu();
  for (long i = 0; i < c->tasks; i++) {
    uint64_t ns = MK_MSEC(next_random(&rng) % c->spread_ms);
    if (ns > c->latest) c->latest = ns;
    mk_result r =
        mk_async_with(&c->handles[i], sleep_for, (void *)(uintptr_t)ns, &small);
    if (r != MK_OK) {
      fprintf(stderr, "timers: spawn %ld: %s\n", i, mk_result_name(r));
      exit(1);
    }
  }
  mk_await_all(c->handles, (size_t)c->tasks, NULL);
  c->wall = bench_now() - t0;
  c->cpu = bench_cpu() - cpu0;
}

typedef struct job {
  pass_cfg big, small;
  double wall_ms[BENCH_MAX_REPS], cpu_big[BENCH_MAX_REPS],
      cpu_small[BENCH_MAX_REPS], latest_ms[BENCH_MAX_REPS];
  double cold_wall_ms, cold_cpu;
} job;

static void *root(void *arg) {
  job *j = arg;
  pass(&j->big); /* cold: maps every stack */
  j->cold_wall_ms = (double)j->big.wall / 1e6;
  j->cold_cpu = (double)j->big.cpu / (double)j->big.tasks;
  for (int r = 0; r < bench_reps(); r++) {
    pass(&j->big);
    j->wall_ms[r] = (double)j->big.wall / 1e6;
    j->latest_ms[r] = (double)j->big.latest / 1e6;
    j->cpu_big[r] = (double)j->big.cpu / (double)j->big.tasks;
    pass(&j->small);
    j->cpu_small[r] = (double)j->small.cpu / (double)j->small.tasks;
  }
  return NULL;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  bench_init();
  static job j;
  long big = bench_quick() ? 20000 : 100000;
  /* The hosted platform maps each stack with a guard page below it: two
   * memory mappings per task, which the kernel caps at vm.max_map_count. */
  long maps = bench_max_map_count();
  if (maps > 0 && 2 * big + 4096 > maps) {
    long fit = (maps - 4096) / 2;
    bench_note("timers: vm.max_map_count is %ld: %ld tasks instead of %ld "
               "(bench/run.sh raises it when run as root)",
               maps, fit, big);
    big = fit;
  }
  j.big = (pass_cfg){big, 1000, 0x9e3779b97f4a7c15ull, NULL, 0, 0, 0};
  j.small = (pass_cfg){big / 10, 1000, 0x9e3779b97f4a7c15ull, NULL, 0, 0, 0};
  j.big.handles = calloc((size_t)big, sizeof(mk_task));
  j.small.handles = calloc((size_t)big / 10, sizeof(mk_task));
  if (!j.big.handles || !j.small.handles) return 1;

  mk_result r = mk_run_task(root, &j, NULL, NULL);
  if (r != MK_OK) {
    fprintf(stderr, "timers: run failed: %s\n", mk_result_name(r));
    return 1;
  }
  int reps = bench_reps();
  double latest = bench_stats_of(j.latest_ms, reps).median;
  double cpu_small = bench_stats_of(j.cpu_small, reps).median;
  char name[3][160], base[2][96];
  snprintf(name[0], sizeof name[0],
           "timers: wall, %ld tasks sleeping 0-999 ms (warm)", big);
  snprintf(name[1], sizeof name[1], "timers: CPU per timer, %ld tasks (warm)",
           big);
  snprintf(name[2], sizeof name[2], "timers: CPU per timer, %ld tasks (warm)",
           big / 10);
  snprintf(base[0], sizeof base[0], "latest deadline drawn");
  snprintf(base[1], sizeof base[1], "CPU per timer, %ld tasks", big / 10);
  bench_header("Timers: spawn, sleep, expire, wake, exit, await");
  bench_row(name[0], j.wall_ms, reps, "ms", latest, base[0],
            (bench_target){BENCH_RATIO_AT_MOST, 1.1});
  bench_row(name[1], j.cpu_big, reps, "ns", cpu_small, base[1],
            (bench_target){BENCH_AT_MOST, 1000});
  bench_row(name[2], j.cpu_small, reps, "ns", 0, NULL, BENCH_NO_TARGET);
  bench_note("timers: cold first pass (maps every stack): wall %.0f ms, CPU "
             "%.0f ns per timer",
             j.cold_wall_ms, j.cold_cpu);
  free(j.big.handles);
  free(j.small.handles);
  return 0;
}
