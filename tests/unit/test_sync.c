/*
 * test_sync.c: mutex, condition, lazy values and the extension point.
 */
#include "test.h"

static mk_mutex m = MK_MUTEX_INIT;
static mk_condition c = MK_CONDITION_INIT;

static void *lock_in_turn(void *arg) {
  ASSERT_RESULT(mk_mutex_lock(&m), MK_OK);
  say("%s holds", (const char *)arg);
  ASSERT_RESULT(mk_yield(), MK_OK); /* others queue meanwhile */
  ASSERT_RESULT(mk_mutex_unlock(&m), MK_OK);
  return NULL;
}

static void *mutex_fifo(void *arg) {
  (void)arg;
  mk_task t[3];
  const char *names[] = {"A", "B", "C"};
  ASSERT_RESULT(mk_mutex_lock(&m), MK_OK);
  for (int i = 0; i < 3; i++) mk_async(&t[i], lock_in_turn, (void *)names[i]);
  mk_yield(); /* A, B, C queue up in that order */
  say("main unlocks");
  ASSERT_RESULT(mk_mutex_unlock(&m), MK_OK);
  /* Hand-off: A owns it now; main cannot barge in. */
  ASSERT(!mk_mutex_try_lock(&m));
  ASSERT_RESULT(mk_await_all(t, 3, NULL), MK_OK);
  return NULL;
}

void test_mutex_fifo_hand_off(void) {
  ASSERT_RESULT(run(mutex_fifo, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "main unlocks\nA holds\nB holds\nC holds\n");
}

static void *unlock_foreign(void *arg) {
  (void)arg;
  ASSERT_RESULT(mk_mutex_unlock(&m), MK_EMUTEX); /* another task's mutex */
  ASSERT(!mk_mutex_try_lock(&m));
  return NULL;
}

static void *mutex_misuse(void *arg) {
  (void)arg;
  mk_task t;
  ASSERT_RESULT(mk_mutex_unlock(&m), MK_EMUTEX); /* not locked */
  ASSERT(mk_mutex_try_lock(&m));                 /* really locks */
  ASSERT_RESULT(mk_mutex_lock(&m), MK_EMUTEX);   /* relock */
  ASSERT(!mk_mutex_try_lock(&m));
  mk_async(&t, unlock_foreign, NULL);
  mk_await_exn(&t);
  ASSERT_RESULT(mk_mutex_unlock(&m), MK_OK);
  return NULL;
}

void test_mutex_misuse_errors(void) {
  ASSERT_RESULT(run(mutex_misuse, NULL, NULL), MK_OK);
}

static int ready;

static void *wait_ready(void *arg) {
  ASSERT_RESULT(mk_mutex_lock(&m), MK_OK);
  while (ready < 1) ASSERT_RESULT(mk_condition_wait(&c, &m), MK_OK);
  say("%s wakes (ready %d)", (const char *)arg, ready);
  ready--;
  ASSERT_RESULT(mk_mutex_unlock(&m), MK_OK);
  return NULL;
}

static void *signal_then_broadcast(void *arg) {
  (void)arg;
  mk_task t[4];
  const char *names[] = {"w1", "w2", "w3", "w4"};
  for (int i = 0; i < 4; i++) mk_async(&t[i], wait_ready, (void *)names[i]);
  mk_yield();
  mk_mutex_lock(&m);
  ready = 1;
  say("signal");
  mk_condition_signal(&c); /* the oldest waiter */
  mk_mutex_unlock(&m);
  mk_yield();
  mk_mutex_lock(&m);
  ready = 3;
  say("broadcast");
  mk_condition_broadcast(&c); /* all the others, oldest first */
  mk_mutex_unlock(&m);
  ASSERT_RESULT(mk_await_all(t, 4, NULL), MK_OK);
  ASSERT_RESULT(mk_condition_wait(&c, &m), MK_EMUTEX); /* not held */
  return NULL;
}

void test_condition_signal_then_broadcast(void) {
  ASSERT_RESULT(run(signal_then_broadcast, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "signal\nw1 wakes (ready 1)\nbroadcast\n"
             "w2 wakes (ready 3)\nw3 wakes (ready 2)\nw4 wakes (ready 1)\n");
}

/* w1 is signalled, but cancelled before it runs: the wake-up goes to w2. */
static void *waits_once(void *arg) {
  ASSERT_RESULT(mk_mutex_lock(&m), MK_OK);
  mk_result r = mk_condition_wait(&c, &m);
  say("%s: %s", (const char *)arg, mk_result_name(r));
  if (r == MK_OK) mk_mutex_unlock(&m);
  return NULL;
}

static void *signalled_then_cancelled(void *arg) {
  (void)arg;
  mk_task w1, w2;
  mk_async(&w1, waits_once, "w1");
  mk_async(&w2, waits_once, "w2");
  mk_yield();
  mk_condition_signal(&c);
  ASSERT_RESULT(mk_cancel(&w1), MK_OK);
  ASSERT_RESULT(mk_await(&w2, NULL), MK_OK);
  return NULL;
}

void test_condition_no_lost_wakeup(void) {
  ASSERT_RESULT(run(signalled_then_cancelled, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "w1: cancelled\nw2: ok\n");
}

/* ---- Lazy ---- */

static int computations;

static mk_result slow_square(void *ctx, void **value) {
  intptr_t x = (intptr_t)ctx;
  computations++;
  say("computing");
  mk_result r = mk_sleep(5); /* other forcers arrive meanwhile */
  if (r != MK_OK) return r;
  *value = (void *)(x * x);
  return MK_OK;
}

static void *force(void *arg) {
  mk_lazy *l = arg;
  void *v = NULL;
  mk_result r = mk_lazy_force(l, &v);
  say("%s: %s %d", mk_self_name(), mk_result_name(r), (int)(intptr_t)v);
  return NULL;
}

static void *lazy_two_forcers(void *arg) {
  (void)arg;
  mk_lazy l = MK_LAZY_INIT(slow_square, (void *)7);
  mk_task a, b;
  mk_spawn_opts oa = {.name = "a"}, ob = {.name = "b"};
  mk_async_with(&a, force, &l, &oa);
  mk_async_with(&b, force, &l, &ob);
  ASSERT_RESULT(mk_await_all(&a, 1, NULL), MK_OK);
  ASSERT_RESULT(mk_await(&b, NULL), MK_OK);
  void *v;
  ASSERT_RESULT(mk_lazy_force(&l, &v), MK_OK); /* no wait, no recompute */
  ASSERT_INT((intptr_t)v, 49);
  ASSERT_INT(computations, 1);
  return NULL;
}

void test_lazy_forced_once(void) {
  ASSERT_RESULT(run(lazy_two_forcers, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "computing\na: ok 49\nb: ok 49\n");
}

static mk_lazy self_ref;

static mk_result forces_itself(void *ctx, void **value) {
  (void)ctx;
  return mk_lazy_force(&self_ref, value);
}

static mk_result fails_computing(void *ctx, void **value) {
  (void)ctx, (void)value;
  return MK_USER + 3;
}

static void *lazy_errors(void *arg) {
  (void)arg;
  self_ref = (mk_lazy)MK_LAZY_INIT(forces_itself, NULL);
  void *v;
  ASSERT_RESULT(mk_lazy_force(&self_ref, &v), MK_EINVAL);
  ASSERT_RESULT(mk_lazy_force(&self_ref, &v), MK_EINVAL); /* stays an error */
  mk_lazy failing = MK_LAZY_INIT(fails_computing, NULL);
  ASSERT_RESULT(mk_lazy_force(&failing, &v), MK_USER + 3);
  ASSERT_RESULT(mk_lazy_force(&failing, &v), MK_USER + 3);
  return NULL;
}

void test_lazy_self_reference_and_failure(void) {
  ASSERT_RESULT(run(lazy_errors, NULL, NULL), MK_OK);
}

/* The forcer is cancelled: the value goes back to unforced and the waiting
 * forcer computes it. */
static void *lazy_forcer_cancelled(void *arg) {
  (void)arg;
  mk_lazy l = MK_LAZY_INIT(slow_square, (void *)3);
  mk_task a, b;
  mk_spawn_opts oa = {.name = "a"}, ob = {.name = "b"};
  mk_async_with(&a, force, &l, &oa);
  mk_async_with(&b, force, &l, &ob);
  mk_yield();
  ASSERT_RESULT(mk_cancel(&a), MK_OK);
  ASSERT_RESULT(mk_await(&b, NULL), MK_OK);
  ASSERT_INT(computations, 2);
  return NULL;
}

void test_lazy_forcer_cancelled(void) {
  ASSERT_RESULT(run(lazy_forcer_cancelled, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "computing\na: cancelled 0\ncomputing\nb: ok 9\n");
}

/* ---- Extension point ---- */

static mk_syscall *pending;
static int unregistered;

static void unregister(mk_syscall *sc) {
  ASSERT(sc == pending);
  pending = NULL;
  unregistered++;
}

static void *suspends(void *arg) {
  mk_syscall sc;
  mk_syscall_init(&sc, unregister, arg);
  pending = &sc;
  mk_result r = mk_suspend(&sc);
  say("%s resumed: %s", (const char *)sc.data, mk_result_name(r));
  return NULL;
}

static void *extension(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, suspends, "first");
  mk_yield();
  mk_syscall *sc = pending;
  pending = NULL;
  ASSERT_RESULT(mk_signal(sc), MK_OK);
  ASSERT_RESULT(mk_signal(sc), MK_EINVAL); /* already signalled */
  mk_await_exn(&t);
  ASSERT_INT(unregistered, 0);
  /* Cancelled while suspended: on_cancel removes the registration. */
  mk_async(&t, suspends, "second");
  mk_yield();
  ASSERT(pending != NULL);
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  ASSERT(pending == NULL);
  ASSERT_INT(unregistered, 1);
  return NULL;
}

void test_extension_point(void) {
  ASSERT_RESULT(run(extension, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "first resumed: ok\nsecond resumed: cancelled\n");
}
