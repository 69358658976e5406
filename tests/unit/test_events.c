/*
 * test_events.c: the event policy, hooks and deadlock detection.
 */
#include "test.h"

static void *yield_loop(void *arg) {
  for (int i = 0; i < (int)(intptr_t)arg; i++) mk_yield();
  return NULL;
}

static void *yielders(void *arg) {
  mk_task a, b;
  mk_async(&a, yield_loop, arg);
  mk_async(&b, yield_loop, arg);
  mk_await_exn(&a);
  mk_await_exn(&b);
  return NULL;
}

void test_yield_without_device_waiter_costs_no_wait(void) {
  ASSERT_RESULT(run(yielders, (void *)1000, NULL), MK_OK);
  ASSERT_INT(mk_test_counts_get().waits, 0);
}

/* With a net reader waiting, busy tasks still let the devices be polled
 * once per round: a round is every task runnable when it began, run once. */
static mk_net *net0;

static void *reader(void *arg) {
  uint8_t buf[1600];
  size_t len;
  mk_result r = mk_net_read(net0, buf, sizeof buf, &len);
  say("reader: %s %zu bytes", mk_result_name(r), len);
  (void)arg;
  return NULL;
}

static int busy_rounds;

static void *busy(void *arg) {
  for (int i = 0; i < (int)(intptr_t)arg; i++) {
    mk_yield();
    busy_rounds++;
  }
  return NULL;
}

static int poll_net(void *const *v, void *ctx) {
  (void)ctx;
  net0 = v[0];
  mk_task r, b1, b2;
  mk_async(&r, reader, NULL);
  mk_yield(); /* the reader blocks */
  unsigned long before = mk_test_counts_get().polls;
  mk_async(&b1, busy, (void *)100);
  mk_async(&b2, busy, (void *)100);
  mk_await_exn(&b1);
  mk_await_exn(&b2);
  /* b1, b2 and main make one round per yield: 100 rounds, plus the round
   * in which the busy tasks ended; each ends with one poll. */
  unsigned long polls = mk_test_counts_get().polls - before;
  say("polls %lu for %d yields", polls, busy_rounds);
  ASSERT(polls >= 100 && polls <= 102);
  uint8_t frame[60] = {0};
  mk_test_net_inject(0, frame, sizeof frame);
  mk_await_exn(&r);
  return 0;
}

void test_devices_polled_once_per_round(void) {
  static const mk_arg devices[] = {MK_NET("net0")};
  mk_test_net_add("net0", 1500);
  ASSERT_INT(mk_run(devices, 1, poll_net, NULL, NULL), 0);
  ASSERT_CONTAINS(mk_test_console(), "reader: ok 60 bytes\n");
  ASSERT_INT(mk_test_counts_get().live_allocs, 0);
}

/* ---- Hooks ---- */

static int hook_runs;
static mk_hook h1, h2;

static void count_hook(void *ctx) {
  (void)ctx;
  hook_runs++;
  /* Hooks run outside any task: blocking is refused, not performed. */
  ASSERT_RESULT(mk_yield(), MK_EINVAL);
  ASSERT_RESULT(mk_sleep(1), MK_EINVAL);
}

static void self_removing(void *ctx) {
  (void)ctx;
  say("self-removing hook runs");
  ASSERT_RESULT(mk_hook_remove(&h2), MK_OK);
}

static void *hooks(void *arg) {
  (void)arg;
  ASSERT_RESULT(mk_hook_add(&h1, count_hook, NULL), MK_OK);
  ASSERT_RESULT(mk_hook_add(&h1, count_hook, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_hook_add(&h2, self_removing, NULL), MK_OK);
  for (int i = 0; i < 3; i++) mk_sleep(10); /* three waits */
  ASSERT_INT(hook_runs, 3);
  ASSERT_RESULT(mk_hook_remove(&h1), MK_OK);
  ASSERT_RESULT(mk_hook_remove(&h1), MK_EINVAL); /* removed twice */
  ASSERT_RESULT(mk_hook_remove(&h2), MK_EINVAL);
  mk_sleep(10);
  ASSERT_INT(hook_runs, 3);
  return NULL;
}

void test_hooks_run_after_each_wait(void) {
  ASSERT_RESULT(mk_hook_add(&h1, count_hook, NULL), MK_EINVAL); /* no run */
  ASSERT_RESULT(run(hooks, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "self-removing hook runs\n");
}

/* A hook that tries everything a task may do gets MK_EINVAL for all of it
 * and the scheduler carries on; what a hook may do (signal a syscall, add
 * hooks) works. */
static mk_syscall *hook_target;
static mk_hook h3, h4;
static int added_runs;

static void added_later(void *ctx) {
  (void)ctx;
  added_runs++;
}

static void misbehaving(void *ctx) {
  (void)ctx;
  mk_task t = {0};
  mk_mutex mu = MK_MUTEX_INIT;
  mk_condition co = MK_CONDITION_INIT;
  mk_orphans set = MK_ORPHANS_INIT;
  mk_lazy lz = MK_LAZY_INIT(NULL, NULL);
  mk_syscall sc;
  mk_syscall_init(&sc, NULL, NULL);
  ASSERT_RESULT(mk_async(&t, yield_loop, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_await(&t, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_cancel(&t), MK_EINVAL);
  ASSERT_RESULT(mk_mutex_lock(&mu), MK_EINVAL);
  ASSERT_RESULT(mk_mutex_unlock(&mu), MK_EINVAL);
  ASSERT_RESULT(mk_condition_wait(&co, &mu), MK_EINVAL);
  ASSERT_RESULT(mk_orphans_get(&set, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_lazy_force(&lz, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_suspend(&sc), MK_EINVAL);
  ASSERT_RESULT(mk_sleep(1), MK_EINVAL);
  if (hook_target) { /* allowed: wake a task */
    ASSERT_RESULT(mk_signal(hook_target), MK_OK);
    hook_target = NULL;
  }
  if (!h4.fn) ASSERT_RESULT(mk_hook_add(&h4, added_later, NULL), MK_OK);
}

static void *waits_for_hook(void *arg) {
  (void)arg;
  mk_syscall sc;
  mk_syscall_init(&sc, NULL, NULL);
  hook_target = &sc;
  say("woken by the hook: %s", mk_result_name(mk_suspend(&sc)));
  return NULL;
}

static void *hooks_misbehave(void *arg) {
  (void)arg;
  mk_task t;
  ASSERT_RESULT(mk_hook_add(&h3, misbehaving, NULL), MK_OK);
  mk_async(&t, waits_for_hook, NULL);
  mk_yield();
  mk_sleep(5); /* a wait: the hook runs and wakes the task */
  mk_await_exn(&t);
  mk_sleep(5);
  ASSERT(added_runs >= 1);
  mk_hook_remove(&h3);
  mk_hook_remove(&h4);
  return NULL;
}

void test_misbehaving_hook_cannot_corrupt_scheduler(void) {
  ASSERT_RESULT(run(hooks_misbehave, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "woken by the hook: ok\n");
}

/* ---- Deadlock ---- */

static mk_mutex dm = MK_MUTEX_INIT;
static mk_condition dc = MK_CONDITION_INIT;

static void *waits_forever(void *arg) {
  (void)arg;
  mk_mutex_lock(&dm);
  mk_result r = mk_condition_wait(&dc, &dm);
  say("waiter: %s", mk_result_name(r));
  return NULL;
}

static void *deadlocks(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, waits_forever, NULL);
  mk_result r = mk_await(&t, NULL);
  say("main: %s", mk_result_name(r));
  return NULL;
}

void test_deadlock_reported(void) {
  ASSERT_RESULT(run(deadlocks, NULL, NULL), MK_EDEADLOCK);
  const char *log = mk_test_log();
  ASSERT_CONTAINS(log, "deadlock");
  ASSERT_CONTAINS(log, "task \"main\" (#1, the root task) blocked in await");
  ASSERT_CONTAINS(log, "task \"waits_forever\" (#2, spawned at");
  ASSERT_CONTAINS(log, ") blocked in condition wait");
  /* Every task was cancelled and cleaned up. */
  ASSERT_STR(mk_test_console(), "main: cancelled\nwaiter: cancelled\n");
}

static void *locks_twice(void *arg) {
  (void)arg;
  mk_mutex_lock(&dm);
  mk_task t;
  mk_async(&t, waits_forever, NULL); /* blocks on the mutex we hold */
  mk_await(&t, NULL);
  return NULL;
}

void test_deadlock_on_mutex(void) {
  ASSERT_RESULT(run(locks_twice, NULL, NULL), MK_EDEADLOCK);
  ASSERT_CONTAINS(mk_test_log(), "blocked in mutex lock");
}
