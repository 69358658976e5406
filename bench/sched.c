/*
 * sched.c: the scheduler micro-benchmarks, as a hosted unikernel without
 * devices. Each operation is a round trip through mkernel's run queue
 * between tasks: yield between two tasks, spawn + run-to-completion + await
 * of an empty task (stacks and records come from the caches after the first
 * one), cancel of a task blocked in sleep and of a task blocked in await,
 * mutex hand-off and condition signal round trips. The baseline row is the
 * minimal hand-written switch round trip (bench/lib/minswitch.S), measured
 * in this process, inside the same root task; every ratio is against it.
 * Repetitions are interleaved across operations, so drift of the machine
 * affects them alike. `sched count OP N` runs one operation once for
 * bench/instr.sh, which counts its instructions with callgrind.
 */
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

/* Tasks blocked at once in a cancel measurement. Large enough that setup
 * stays outside the timed loop, small enough to stay in the caches. */
#define CANCEL_BATCH 256

static void check(mk_result r, const char *what) {
  if (r != MK_OK) {
    fprintf(stderr, "sched: %s: %s\n", what, mk_result_name(r));
    exit(1);
  }
}

/* ---- Yield: two tasks alternate through the run queue ------------------- */

static void *yielder(void *arg) {
  long n = (long)arg;
  for (long i = 0; i < n; i++) mk_yield();
  return NULL;
}

static uint64_t op_yield(long n, void *ctx) {
  (void)ctx;
  mk_task a, b;
  uint64_t t = bench_begin();
  check(mk_async(&a, yielder, (void *)n), "spawn");
  check(mk_async(&b, yielder, (void *)n), "spawn");
  check(mk_await(&a, NULL), "await");
  check(mk_await(&b, NULL), "await");
  return bench_end(t);
}

/* ---- Spawn + run to completion + await of an empty task ----------------- */

static void *empty(void *arg) { return arg; }

static uint64_t op_spawn(long n, void *ctx) {
  (void)ctx;
  uint64_t t = bench_begin();
  for (long i = 0; i < n; i++) {
    mk_task c;
    mk_async(&c, empty, NULL);
    mk_await(&c, NULL);
  }
  return bench_end(t);
}

/* ---- Cancel of a blocked task, through to its completion ---------------- */

static mk_task batch[CANCEL_BATCH];

static void *sleeper(void *arg) {
  (void)arg;
  mk_sleep(MK_SEC(3600));
  return NULL;
}

static void *blocked_forever(void *arg) {
  (void)arg;
  mk_syscall sc; /* nobody signals it: only cancellation ends the wait */
  mk_syscall_init(&sc, NULL, NULL);
  mk_suspend(&sc);
  return NULL;
}

static void *awaiter(void *arg) {
  (void)arg;
  mk_task child;
  if (mk_async(&child, blocked_forever, NULL) == MK_OK) mk_await(&child, NULL);
  return NULL; /* cancelled: the child is cancelled as this task ends */
}

/* Spawns batches of tasks that block in `fn`, lets them all block, then
 * times only the cancels. */
static uint64_t cancel_batches(long n, mk_task_fn fn) {
  uint64_t total = 0;
  for (long done = 0; done < n;) {
    long k = n - done < CANCEL_BATCH ? n - done : CANCEL_BATCH;
    for (long i = 0; i < k; i++) check(mk_async(&batch[i], fn, NULL), "spawn");
    /* Twice: awaiters spawn their child in the first round; it blocks in
     * the second. */
    mk_yield();
    mk_yield();
    uint64_t t = bench_begin();
    for (long i = 0; i < k; i++) mk_cancel(&batch[i]);
    total += bench_end(t);
    done += k;
  }
  return total;
}

static uint64_t op_cancel_sleep(long n, void *ctx) {
  (void)ctx;
  return cancel_batches(n, sleeper);
}

static uint64_t op_cancel_await(long n, void *ctx) {
  (void)ctx;
  return cancel_batches(n, awaiter);
}

/* ---- Mutex hand-off round trip ------------------------------------------ *
 * The mutex is FIFO without barging: unlocking hands it to the waiter, so
 * two tasks that each unlock then lock again alternate, one hand-off each
 * way per round trip. */

static mk_mutex mutex = MK_MUTEX_INIT;

static void *mutex_peer(void *arg) {
  long n = (long)arg;
  for (long i = 0; i < n; i++) {
    mk_mutex_lock(&mutex);
    mk_mutex_unlock(&mutex);
  }
  return NULL;
}

static void *mutex_first(void *arg) {
  long n = (long)arg;
  mk_mutex_lock(&mutex);
  mk_yield(); /* let the peer block in lock */
  for (long i = 0; i < n; i++) {
    mk_mutex_unlock(&mutex);
    mk_mutex_lock(&mutex);
  }
  mk_mutex_unlock(&mutex);
  return NULL;
}

static uint64_t op_mutex(long n, void *ctx) {
  (void)ctx;
  mk_task a, b;
  uint64_t t = bench_begin();
  check(mk_async(&a, mutex_first, (void *)n), "spawn");
  check(mk_async(&b, mutex_peer, (void *)n), "spawn");
  check(mk_await(&a, NULL), "await");
  check(mk_await(&b, NULL), "await");
  return bench_end(t);
}

/* ---- Condition signal round trip ---------------------------------------- *
 * Ping-pong on one condition under one mutex, the textbook way: each side
 * flips `turn`, signals and waits until the turn comes back. */

static mk_mutex cmutex = MK_MUTEX_INIT;
static mk_condition cond = MK_CONDITION_INIT;
static int turn;

static void *cond_ping(void *arg) {
  long n = (long)arg;
  mk_mutex_lock(&cmutex);
  for (long i = 0; i < n; i++) {
    turn = 1;
    mk_condition_signal(&cond);
    while (turn == 1) mk_condition_wait(&cond, &cmutex);
  }
  mk_mutex_unlock(&cmutex);
  return NULL;
}

static void *cond_pong(void *arg) {
  long n = (long)arg;
  mk_mutex_lock(&cmutex);
  for (long i = 0; i < n; i++) {
    while (turn == 0) mk_condition_wait(&cond, &cmutex);
    turn = 0;
    mk_condition_signal(&cond);
  }
  mk_mutex_unlock(&cmutex);
  return NULL;
}

static uint64_t op_condition(long n, void *ctx) {
  (void)ctx;
  mk_task a, b;
  turn = 0;
  uint64_t t = bench_begin();
  check(mk_async(&a, cond_ping, (void *)n), "spawn");
  check(mk_async(&b, cond_pong, (void *)n), "spawn");
  check(mk_await(&a, NULL), "await");
  check(mk_await(&b, NULL), "await");
  return bench_end(t);
}

/* ---- Driver ------------------------------------------------------------- */

typedef struct row {
  bench_op op;
  const char *label;
  bench_target target;
} row;

static const row rows[] = {
    {{"min", bench_min_roundtrips},
     "minimal switch round trip (baseline, in a task)",
     {BENCH_NONE, 0}},
    {{"yield", op_yield}, "yield round trip, 2 tasks", {BENCH_AT_MOST, 12}},
    {{"spawn", op_spawn},
     "spawn + run + await, empty task",
     {BENCH_AT_MOST, 25}},
    {{"cancel_sleep", op_cancel_sleep},
     "cancel of a task blocked in sleep",
     {BENCH_AT_MOST, 30}},
    {{"cancel_await", op_cancel_await},
     "cancel of a task blocked in await (+ its child)",
     {BENCH_AT_MOST, 30}},
    {{"mutex", op_mutex}, "mutex hand-off round trip", {BENCH_NONE, 0}},
    {{"condition", op_condition},
     "condition signal round trip",
     {BENCH_NONE, 0}},
};
#define NROWS (sizeof rows / sizeof rows[0])

typedef struct job {
  const char *count_op; /* count mode: the one operation to run */
  long count_n;
  double ns[NROWS][BENCH_MAX_REPS];
  long iters[NROWS];
} job;

static void *root(void *arg) {
  job *j = arg;
  if (j->count_op) {
    for (size_t i = 0; i < NROWS; i++) {
      if (strcmp(rows[i].op.name, j->count_op) != 0) continue;
      rows[i].op.run(1000, NULL); /* warm: stacks and records cached */
      bench_counting = true;
      rows[i].op.run(j->count_n, NULL);
      bench_counting = false;
      return (void *)1;
    }
    return NULL;
  }
  uint64_t target = bench_quick() ? 20000000u : 100000000u; /* ns per rep */
  for (size_t i = 0; i < NROWS; i++)
    j->iters[i] = bench_calibrate(rows[i].op.run, NULL, target / 4, 1000) * 4;
  for (int r = 0; r < bench_reps(); r++)
    for (size_t i = 0; i < NROWS; i++)
      j->ns[i][r] =
          (double)rows[i].op.run(j->iters[i], NULL) / (double)j->iters[i];
  return (void *)1;
}

int mk_main(int argc, char **argv) {
  bench_init();
  static job j;
  if (argc > 1 && !bench_count_args(argc, argv, &j.count_op, &j.count_n)) {
    fprintf(stderr, "usage: sched [count OP N]\n");
    return 1;
  }
  mk_outcome out;
  mk_result r = mk_run_task(root, &j, NULL, &out);
  if (r != MK_OK || out.result != MK_OK || !out.value) {
    fprintf(stderr, "sched: run failed: %s / %s\n", mk_result_name(r),
            out.value ? mk_result_name(out.result) : "unknown operation");
    return 1;
  }
  if (j.count_op) {
    printf("count %s %ld\n", j.count_op, j.count_n);
    return 0;
  }
  int reps = bench_reps();
  double base = bench_stats_of(j.ns[0], reps).median;
  bench_header("Scheduler round trips (hosted, no devices)");
  for (size_t i = 0; i < NROWS; i++) {
    char name[128];
    snprintf(name, sizeof name, "sched: %s", rows[i].label);
    bench_row(name, j.ns[i], reps, "ns", base, "minimal switch",
              rows[i].target);
  }
  bench_note("sched: default %zu-byte stacks; %d repetitions of calibrated "
             "batches (~%s ms each)",
             (size_t)MK_STACK_DEFAULT, reps, bench_quick() ? "20" : "100");
  return 0;
}
