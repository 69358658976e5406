/*
 * test_cancel.c: cancellation: of blocked tasks, before a task runs, after
 * it returned, of whole subtrees, newest first, synchronously.
 */
#include "test.h"

static void *sleeper(void *arg) {
  mk_result r = mk_sleep(MK_SEC(10));
  say("%s: sleep %s", (const char *)arg, mk_result_name(r));
  /* Cancellation sticks: every blocking call now fails at once. */
  ASSERT_RESULT(mk_sleep(1), MK_CANCELLED);
  ASSERT_RESULT(mk_yield(), MK_CANCELLED);
  ASSERT(mk_cancelled());
  return (void *)1;
}

static void *cancel_sleeper(void *arg) {
  (void)arg;
  mk_task t;
  mk_outcome o;
  mk_async(&t, sleeper, "child");
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  say("cancel returned");
  ASSERT_RESULT(mk_await(&t, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_CANCELLED); /* whatever it returned */
  return NULL;
}

void test_cancel_task_blocked_in_sleep(void) {
  ASSERT_RESULT(run(cancel_sleeper, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "child: sleep cancelled\ncancel returned\n");
  ASSERT_INT(mk_test_clock(), 0); /* nobody waited for the 10 s */
}

/* A task blocked in await: cancelled, it cleans up, then its own child is
 * cancelled, all before mk_cancel returns. */
static void *awaits_sleeper(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, sleeper, "grandchild");
  mk_result r = mk_await(&t, NULL);
  say("child: await %s", mk_result_name(r));
  return NULL;
}

static void *cancel_awaiter(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, awaits_sleeper, NULL);
  mk_yield();
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  say("cancel returned");
  return NULL;
}

void test_cancel_task_blocked_in_await(void) {
  ASSERT_RESULT(run(cancel_awaiter, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "child: await cancelled\n"
                                "grandchild: sleep cancelled\n"
                                "cancel returned\n");
}

static mk_mutex lock_m = MK_MUTEX_INIT;

static void *locker(void *arg) {
  (void)arg;
  mk_result r = mk_mutex_lock(&lock_m);
  say("locker: lock %s", mk_result_name(r));
  return NULL;
}

static void *cancel_locker(void *arg) {
  (void)arg;
  mk_task t;
  ASSERT_RESULT(mk_mutex_lock(&lock_m), MK_OK);
  mk_async(&t, locker, NULL);
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  /* The cancelled waiter left the queue: unlocking hands it to nobody. */
  ASSERT_RESULT(mk_mutex_unlock(&lock_m), MK_OK);
  ASSERT(mk_mutex_try_lock(&lock_m));
  ASSERT_RESULT(mk_mutex_unlock(&lock_m), MK_OK);
  return NULL;
}

void test_cancel_task_blocked_in_lock(void) {
  ASSERT_RESULT(run(cancel_locker, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "locker: lock cancelled\n");
}

static mk_mutex cw_m = MK_MUTEX_INIT;
static mk_condition cw_c = MK_CONDITION_INIT;

static void *cond_waiter(void *arg) {
  ASSERT_RESULT(mk_mutex_lock(&cw_m), MK_OK);
  mk_result r = mk_condition_wait(&cw_c, &cw_m);
  say("%s: wait %s", (const char *)arg, mk_result_name(r));
  if (r == MK_OK) mk_mutex_unlock(&cw_m);
  /* Cancelled: the mutex was released and not re-acquired. */
  if (r == MK_CANCELLED) ASSERT_RESULT(mk_mutex_unlock(&cw_m), MK_EMUTEX);
  return NULL;
}

static void *cancel_cond_waiter(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, cond_waiter, "waiter");
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  /* Nobody waits any more, and the mutex is free. */
  ASSERT(mk_mutex_try_lock(&cw_m));
  mk_mutex_unlock(&cw_m);
  mk_condition_signal(&cw_c);
  return NULL;
}

void test_cancel_task_blocked_in_condition_wait(void) {
  ASSERT_RESULT(run(cancel_cond_waiter, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "waiter: wait cancelled\n");
}

static void finaliser_says(void *value) { say("finalise %s", (char *)value); }

static void *never_runs(void *arg) {
  (void)arg;
  say("never printed");
  return NULL;
}

static void *cancel_before_start(void *arg) {
  (void)arg;
  mk_resource r = MK_RESOURCE_INIT("given", finaliser_says);
  mk_resource *give[] = {&r};
  mk_spawn_opts opts = {.give = give, .give_count = 1};
  mk_task t;
  mk_outcome o;
  ASSERT_RESULT(mk_own(&r), MK_OK);
  ASSERT_RESULT(mk_async_with(&t, never_runs, NULL, &opts), MK_OK);
  ASSERT_RESULT(mk_check(&r), MK_ENOTOWNER); /* the child owns it now */
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  ASSERT_RESULT(mk_await(&t, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_CANCELLED);
  return NULL;
}

void test_cancel_before_start_never_runs(void) {
  ASSERT_RESULT(run(cancel_before_start, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "finalise given\n");
}

static void *returns_7(void *arg) {
  (void)arg;
  say("returns 7");
  return (void *)7;
}

static void *cancel_after_return(void *arg) {
  (void)arg;
  mk_task t, u;
  mk_outcome o;
  /* Ended but not awaited. */
  mk_async(&t, returns_7, NULL);
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  ASSERT_RESULT(mk_await(&t, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_CANCELLED);
  /* Already awaited. */
  mk_async(&u, returns_7, NULL);
  ASSERT_RESULT(mk_await(&u, &o), MK_OK);
  ASSERT_INT((intptr_t)o.value, 7);
  ASSERT_RESULT(mk_cancel(&u), MK_OK);
  ASSERT_RESULT(mk_await(&u, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_CANCELLED);
  return NULL;
}

void test_cancel_after_return_reports_cancelled(void) {
  ASSERT_RESULT(run(cancel_after_return, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "returns 7\nreturns 7\n");
}

static void *three_sleepers(void *arg) {
  (void)arg;
  mk_task t[3];
  mk_async(&t[0], sleeper, "s1");
  mk_async(&t[1], sleeper, "s2");
  mk_async(&t[2], sleeper, "s3");
  mk_result r = mk_await_all(t, 3, NULL);
  say("parent: await_all %s", mk_result_name(r));
  return NULL;
}

static void *cancel_family(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, three_sleepers, NULL);
  mk_yield();
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  say("cancel returned");
  return NULL;
}

void test_cancel_reaches_children_newest_first(void) {
  ASSERT_RESULT(run(cancel_family, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "parent: await_all cancelled\n"
                                "s3: sleep cancelled\n"
                                "s2: sleep cancelled\n"
                                "s1: sleep cancelled\n"
                                "cancel returned\n");
}

/* Other tasks run while a cancellation completes. */
static void *bystander(void *arg) {
  (void)arg;
  say("bystander runs");
  return NULL;
}

static void *cancel_lets_others_run(void *arg) {
  (void)arg;
  mk_task s, b;
  mk_async(&s, sleeper, "victim");
  mk_yield();
  mk_async(&b, bystander, NULL);
  ASSERT_RESULT(mk_cancel(&s), MK_OK);
  say("cancel returned");
  mk_await_exn(&b);
  return NULL;
}

void test_cancel_is_synchronous_but_others_run(void) {
  ASSERT_RESULT(run(cancel_lets_others_run, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "bystander runs\n"
                                "victim: sleep cancelled\n"
                                "cancel returned\n");
}

/* A cancelled task may still cancel its children (its cleanup); the wait is
 * not done, but the children end when it does. */
static void *cancels_in_cleanup(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, sleeper, "inner");
  mk_result r = mk_sleep(MK_SEC(5));
  say("outer: sleep %s", mk_result_name(r));
  ASSERT_RESULT(mk_cancel(&t), MK_CANCELLED);
  ASSERT_RESULT(mk_async(&t, never_runs, NULL), MK_CANCELLED);
  return NULL;
}

static void *cancel_nested(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, cancels_in_cleanup, NULL);
  mk_yield();
  mk_yield();
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  say("done");
  return NULL;
}

void test_cancelled_task_cleanup(void) {
  ASSERT_RESULT(run(cancel_nested, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "outer: sleep cancelled\ninner: sleep cancelled\ndone\n");
}
