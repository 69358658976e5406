/*
 * soak_tasks.c: memory must stay flat over millions of task lifetimes and
 * timers. A program on the test platform (virtual clock, counted
 * allocations), so that it can read its own RSS from /proc/self/statm,
 * which a sandboxed hosted unikernel may not.
 *
 *   soak_tasks [--cycles=N] [--timers=N] [--hoard]
 *
 * One scheduler run does, in a single root task:
 *   1. a warm-up: 1% of each workload below, so that the record pool, the
 *      stack cache and the timer heap reach their steady size;
 *   2. measure (twice: the first faults in the measuring code itself): RSS,
 *      anonymous RSS, and the number of live platform allocations (records,
 *      stacks, timer heap);
 *   3. N spawn/await cycles (default 10 million), in a mix of patterns:
 *      spawn+await, batches awaited with await_all, spawn+cancel, a child
 *      awaiting a grandchild, orphans collected with orphans_get,
 *      await_first among three, a child ending with mk_fail, and stacks of
 *      two sizes; then measure;
 *   4. N timers (default 1 million): 1000 tasks sleeping for pseudo-random
 *      durations, some of them cancelled in mid-sleep and replaced;
 *   5. measure again.
 * It prints the figures and fails (exit 1) if the run did not end cleanly,
 * if any outcome is wrong, or if memory grew after the warm-up:
 *   - live platform allocations must not change at all;
 *   - anonymous RSS (statm's resident minus shared: heap and stacks, where
 *     any leak lands) may grow by 16 pages at most, for the C library's
 *     own buffers (ASan's quarantine keeps a few freed FILEs: +20 KiB);
 *   - RSS may grow by max(5%, 64 pages) at most. It includes program and
 *     C library text, which is faulted in lazily in 64 KiB batches: a code
 *     path first taken after the warm-up must not fail the test. Natively
 *     both stay exactly flat. Any real leak is far beyond either bound: a
 *     task record is ~300 bytes, so one leaked per 1000 cycles would add
 *     3 MiB, and a leaked stack costs at least a page and an allocation;
 *   - after the run, nothing may be left allocated.
 *
 * --hoard keeps one orphan per round of patterns (one per ~22 cycles)
 * uncollected until the end: legal, but memory grows. It is the negative
 * control, which the checks above must fail (tests/soak/run.sh checks
 * that they do).
 */
#define _GNU_SOURCE
#include <mkernel.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mk_test.h"

#define SLEEPERS 1000
#define RSS_SLACK_PERCENT 5
#define RSS_SLACK_PAGES 64
#define ANON_SLACK_PAGES 16

static struct {
  uint64_t cycles, timers;
  bool hoard;
  uint64_t spawned; /* cycles done */
  uint64_t sleeps;  /* timers done: sleeps completed or cancelled */
  uint64_t prng;
  bool failed;
} soak = {10000000, 1000000, false, 0, 0, 0x5eed, false};

#define CHECK(c)                                                               \
  do {                                                                         \
    if (!(c)) {                                                                \
      fprintf(stderr, "soak_tasks: check failed at %s:%d: %s\n", __FILE__,     \
              __LINE__, #c);                                                   \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static uint64_t next_random(void) { /* xorshift64 */
  uint64_t x = soak.prng;
  x ^= x << 13, x ^= x >> 7, x ^= x << 17;
  return soak.prng = x;
}

/* Resident pages, all and anonymous (resident minus file-backed). */
static void rss_pages(long *resident, long *anon) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size, shared;
  *resident = *anon = -1;
  if (f) {
    if (fscanf(f, "%ld %ld %ld", &size, resident, &shared) == 3)
      *anon = *resident - shared;
    fclose(f);
  }
}

/* ---- Spawn/await patterns ----------------------------------------------- */

static void *child(void *arg) { return arg; }

static void *yielding_child(void *arg) {
  mk_yield();
  return arg;
}

static void *failing_child(void *arg) {
  (void)arg;
  mk_fail(MK_USER + 1);
}

static void *sleeping_child(void *arg) {
  CHECK(mk_sleep(MK_SEC(100)) == MK_CANCELLED);
  return arg;
}

static void *parent_child(void *arg) {
  mk_task t;
  CHECK(mk_async(&t, child, arg) == MK_OK);
  return mk_await_exn(&t);
}

static void await_value(mk_task *t, void *want) {
  mk_outcome o;
  CHECK(mk_await(t, &o) == MK_OK);
  CHECK(o.result == MK_OK && o.value == want);
}

/* One round of every pattern; returns the number of tasks spawned. */
static uint64_t patterns(mk_orphans *hoard) {
  uint64_t n = 0;
  mk_task t, batch[8], three[3];
  mk_outcome outs[8], o;

  CHECK(mk_async(&t, child, (void *)1) == MK_OK); /* spawn + await */
  await_value(&t, (void *)1);
  n += 1;

  for (uintptr_t i = 0; i < 8; i++) /* a batch, awaited together */
    CHECK(mk_async(&batch[i], i & 1 ? yielding_child : child, (void *)i) ==
          MK_OK);
  CHECK(mk_await_all(batch, 8, outs) == MK_OK);
  for (uintptr_t i = 0; i < 8; i++)
    CHECK(outs[i].result == MK_OK && outs[i].value == (void *)i);
  n += 8;

  CHECK(mk_async(&t, sleeping_child, NULL) == MK_OK); /* spawn + cancel */
  CHECK(mk_yield() == MK_OK);
  CHECK(mk_cancel(&t) == MK_OK);
  n += 1;

  CHECK(mk_async(&t, parent_child, (void *)3) == MK_OK); /* grandchild */
  await_value(&t, (void *)3);
  n += 2;

  mk_orphans set = MK_ORPHANS_INIT; /* orphans */
  mk_spawn_opts in_set = {.orphans = &set};
  for (int i = 0; i < 4; i++)
    CHECK(mk_async_with(NULL, yielding_child, (void *)4, &in_set) == MK_OK);
  for (int i = 0; i < 4; i++) {
    CHECK(mk_orphans_get(&set, &o) == MK_OK);
    CHECK(o.result == MK_OK && o.value == (void *)4);
  }
  CHECK(mk_orphans_length(&set) == 0);
  n += 4;

  CHECK(mk_async(&three[0], sleeping_child, NULL) == MK_OK); /* first of 3 */
  CHECK(mk_async(&three[1], yielding_child, (void *)5) == MK_OK);
  CHECK(mk_async(&three[2], sleeping_child, NULL) == MK_OK);
  size_t index;
  CHECK(mk_await_first(three, 3, &o, &index) == MK_OK);
  CHECK(index == 1 && o.result == MK_OK && o.value == (void *)5);
  n += 3;

  CHECK(mk_async(&t, failing_child, NULL) == MK_OK); /* fails */
  CHECK(mk_await(&t, &o) == MK_OK && o.result == MK_USER + 1);
  n += 1;

  mk_spawn_opts small = {.stack_size = MK_STACK_MIN}; /* another stack size */
  CHECK(mk_async_with(&t, child, (void *)6, &small) == MK_OK);
  await_value(&t, (void *)6);
  n += 1;

  if (hoard) { /* the negative control: an orphan never collected */
    mk_spawn_opts keep = {.orphans = hoard, .stack_size = MK_STACK_MIN};
    CHECK(mk_async_with(NULL, child, NULL, &keep) == MK_OK);
    n += 1;
  }
  return n;
}

static void spawn_cycles(uint64_t count, mk_orphans *hoard) {
  uint64_t done = 0;
  while (done < count) done += patterns(hoard);
  soak.spawned += done;
}

/* ---- Timers ------------------------------------------------------------- */

typedef struct sleeper {
  mk_task task;
  uint64_t left; /* sleeps still to do */
  bool live;
} sleeper;

static void *sleeper_main(void *arg) {
  sleeper *s = arg;
  while (s->left) {
    /* 0 to 1023 us of virtual time: many equal deadlines, many orders. */
    uint64_t ns = (next_random() % 1024) * 1000;
    mk_result r = mk_sleep(ns);
    soak.sleeps++;
    if (r == MK_CANCELLED) return NULL;
    CHECK(r == MK_OK);
    s->left--;
  }
  return NULL;
}

/* `count` timers among SLEEPERS tasks; every 500 us of virtual time one
 * sleeper is cancelled mid-sleep and a new one takes over its share. */
static void run_timers(uint64_t count) {
  static sleeper sl[SLEEPERS];
  uint64_t start = soak.sleeps;
  mk_spawn_opts opts = {.stack_size = MK_STACK_MIN};
  for (size_t i = 0; i < SLEEPERS; i++) {
    sl[i].left = count / SLEEPERS + (i < count % SLEEPERS);
    sl[i].live = true;
    CHECK(mk_async_with(&sl[i].task, sleeper_main, &sl[i], &opts) == MK_OK);
  }
  size_t live = SLEEPERS, victim = 0;
  while (live) {
    CHECK(mk_sleep(500 * 1000) == MK_OK);
    live = 0;
    for (size_t i = 0; i < SLEEPERS; i++) {
      if (!sl[i].live) continue;
      mk_outcome o;
      if (sl[i].left == 0) { /* finished: collect it */
        CHECK(mk_await(&sl[i].task, &o) == MK_OK && o.result == MK_OK);
        sl[i].live = false;
      } else {
        live++;
      }
    }
    sleeper *v = &sl[victim++ % SLEEPERS];
    if (v->live && v->left > 1) {
      uint64_t left = v->left - 1; /* the cancelled sleep counts */
      CHECK(mk_cancel(&v->task) == MK_OK);
      v->left = left;
      CHECK(mk_async_with(&v->task, sleeper_main, v, &opts) == MK_OK);
    }
  }
  CHECK(soak.sleeps - start >= count);
}

/* ---- The run ------------------------------------------------------------ */

typedef struct measure {
  long rss, anon; /* pages */
  long allocs;
} measure;

static measure take_measure(void) {
  measure m;
  rss_pages(&m.rss, &m.anon);
  m.allocs = mk_test_counts_get().live_allocs;
  return m;
}

static measure warm, mid, end;

static long kib(long pages) { return pages * (sysconf(_SC_PAGESIZE) / 1024); }

static void *root(void *arg) {
  (void)arg;
  mk_orphans hoard = MK_ORPHANS_INIT;
  mk_orphans *h = soak.hoard ? &hoard : NULL;
  spawn_cycles(soak.cycles / 100, h);
  run_timers(soak.timers / 100);
  take_measure(); /* faults in the code of the measure itself */
  warm = take_measure();
  spawn_cycles(soak.cycles, h);
  mid = take_measure();
  run_timers(soak.timers);
  end = take_measure();
  mk_outcome o;
  while (mk_orphans_get(&hoard, &o) == MK_OK) continue;
  return NULL;
}

static bool parse_u64(const char *arg, const char *name, uint64_t *out) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  char *e;
  *out = strtoull(arg + n + 1, &e, 10);
  if (!arg[n + 1] || *e) {
    fprintf(stderr, "soak_tasks: bad value in %s\n", arg);
    exit(2);
  }
  return true;
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (parse_u64(argv[i], "--cycles", &soak.cycles) ||
        parse_u64(argv[i], "--timers", &soak.timers))
      continue;
    if (!strcmp(argv[i], "--hoard")) {
      soak.hoard = true;
      continue;
    }
    fprintf(stderr, "usage: soak_tasks [--cycles=N] [--timers=N] [--hoard]\n");
    return 2;
  }
  mk_test_reset();
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  mk_outcome out;
  /* Room for stdio in the root task, under sanitizers too. */
  mk_run_opts opts = {.stack_size = 256 * 1024};
  mk_result r = mk_run_task(root, NULL, &opts, &out);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (r != MK_OK || out.result != MK_OK) {
    fprintf(stderr, "soak_tasks: the run ended with %s / %s\n%s",
            mk_result_name((int)r), mk_result_name(out.result), mk_test_log());
    return 1;
  }
  long left = mk_test_counts_get().live_allocs;
  long slack = warm.rss * RSS_SLACK_PERCENT / 100;
  if (slack < RSS_SLACK_PAGES) slack = RSS_SLACK_PAGES;
  long growth = end.rss - warm.rss, anon_growth = end.anon - warm.anon;
  printf("soak_tasks: %llu spawn/await cycles, %llu timers (%.1f s of "
         "virtual time) in %.1f s\n",
         (unsigned long long)soak.spawned, (unsigned long long)soak.sleeps,
         (double)mk_test_clock() / 1e9,
         (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
  printf("soak_tasks: RSS after warm-up %ld KiB, after the cycles %ld KiB, "
         "at the end %ld KiB: %+ld KiB, %+.2f%% (bound %+ld KiB)\n",
         kib(warm.rss), kib(mid.rss), kib(end.rss), kib(growth),
         warm.rss ? 100.0 * (double)growth / (double)warm.rss : 0.0,
         kib(slack));
  printf("soak_tasks: anonymous RSS after warm-up %ld KiB, after the cycles "
         "%ld KiB, at the end %ld KiB: %+ld KiB (bound %+ld KiB)\n",
         kib(warm.anon), kib(mid.anon), kib(end.anon), kib(anon_growth),
         kib(ANON_SLACK_PAGES));
  printf("soak_tasks: live allocations after warm-up %ld, after the cycles "
         "%ld, at the end %ld, after the run %ld\n",
         warm.allocs, mid.allocs, end.allocs, left);
  bool ok = true;
  if (warm.rss <= 0 || end.rss <= 0 || warm.anon < 0 || end.anon < 0) {
    fprintf(stderr, "soak_tasks: FAIL: cannot read /proc/self/statm\n");
    ok = false;
  }
  if (growth > slack) {
    fprintf(stderr, "soak_tasks: FAIL: RSS grew by %ld KiB (bound %ld KiB)\n",
            kib(growth), kib(slack));
    ok = false;
  }
  if (anon_growth > ANON_SLACK_PAGES) {
    fprintf(stderr,
            "soak_tasks: FAIL: anonymous RSS grew by %ld KiB (bound %ld "
            "KiB)\n",
            kib(anon_growth), kib(ANON_SLACK_PAGES));
    ok = false;
  }
  if (mid.allocs != warm.allocs || end.allocs != warm.allocs) {
    fprintf(stderr,
            "soak_tasks: FAIL: live allocations went from %ld to %ld and "
            "%ld\n",
            warm.allocs, mid.allocs, end.allocs);
    ok = false;
  }
  if (left != 0) {
    fprintf(stderr, "soak_tasks: FAIL: %ld allocations left after the run\n",
            left);
    ok = false;
  }
  return ok ? 0 : 1;
}
