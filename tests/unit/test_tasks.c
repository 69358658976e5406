/*
 * test_tasks.c: spawning, the run queue, results, await, structured
 * concurrency errors.
 */
#include "test.h"

static void *print_world(void *arg) {
  (void)arg;
  say("World");
  return NULL;
}

static void *hello_world(void *arg) {
  (void)arg;
  mk_task p;
  ASSERT_RESULT(mk_async(&p, print_world, NULL), MK_OK);
  say("Hello");
  mk_await_exn(&p);
  return NULL;
}

void test_async_parent_keeps_running(void) {
  ASSERT_RESULT(run(hello_world, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "Hello\nWorld\n");
}

static void *print_hello(void *arg) {
  (void)arg;
  say("Hello");
  return NULL;
}

static void *yield_then_world(void *arg) {
  (void)arg;
  mk_task p;
  ASSERT_RESULT(mk_async(&p, print_hello, NULL), MK_OK);
  ASSERT_RESULT(mk_yield(), MK_OK);
  say("World");
  mk_await_exn(&p);
  return NULL;
}

void test_yield_lets_child_run_first(void) {
  ASSERT_RESULT(run(yield_then_world, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "Hello\nWorld\n");
}

/* Two tasks that each loop `yield; print X` interleave. */
static void *loop_print(void *arg) {
  for (int i = 0; i < 3; i++) {
    ASSERT_RESULT(mk_yield(), MK_OK);
    say("%s", (const char *)arg);
  }
  return NULL;
}

static void *two_loops(void *arg) {
  (void)arg;
  mk_task a, b;
  ASSERT_RESULT(mk_async(&a, loop_print, "A"), MK_OK);
  ASSERT_RESULT(mk_async(&b, loop_print, "B"), MK_OK);
  mk_await_exn(&a);
  mk_await_exn(&b);
  return NULL;
}

void test_yield_interleaves(void) {
  ASSERT_RESULT(run(two_loops, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "A\nB\nA\nB\nA\nB\n");
}

/* FIFO run queue: children run in spawn order, after the parent suspends. */
static void *say_arg(void *arg) {
  say("%s", (const char *)arg);
  return arg;
}

static void *fifo(void *arg) {
  (void)arg;
  mk_task t[4];
  const char *names[] = {"1", "2", "3", "4"};
  for (int i = 0; i < 4; i++) mk_async(&t[i], say_arg, (void *)names[i]);
  say("parent");
  ASSERT_RESULT(mk_await_all(t, 4, NULL), MK_OK);
  return NULL;
}

void test_run_queue_is_fifo(void) {
  ASSERT_RESULT(run(fifo, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "parent\n1\n2\n3\n4\n");
}

static void *try_call(void *arg) {
  (void)arg;
  mk_task t;
  ASSERT_RESULT(mk_call(&t, say_arg, "never"), MK_ENODOMAIN);
  return NULL;
}

void test_call_has_no_domain(void) {
  mk_outcome o;
  /* Nothing was spawned: no child left behind, nothing printed. */
  ASSERT_RESULT(run(try_call, NULL, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_OK);
  ASSERT_STR(mk_test_console(), "");
}

/* ---- Results ---- */

static void *returns_42(void *arg) {
  (void)arg;
  return (void *)(intptr_t)42;
}

static void *fails_1042(void *arg) {
  (void)arg;
  say("before fail");
  mk_fail(MK_USER + 42);
  say("never printed");
  return NULL;
}

static void *fails_ok(void *arg) {
  (void)arg;
  mk_fail(MK_OK);
}

static void *results(void *arg) {
  (void)arg;
  mk_task a, b, c;
  mk_outcome o;
  mk_async(&a, returns_42, NULL);
  mk_async(&b, fails_1042, NULL);
  mk_async(&c, fails_ok, NULL);
  ASSERT_RESULT(mk_await(&a, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_OK);
  ASSERT_INT((intptr_t)o.value, 42);
  ASSERT_RESULT(mk_await(&b, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_USER + 42);
  ASSERT(o.value == NULL);
  ASSERT_RESULT(mk_await(&c, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_EUNSPEC);
  /* Awaiting again gives the same answer. */
  ASSERT_RESULT(mk_await(&a, &o), MK_OK);
  ASSERT_INT((intptr_t)o.value, 42);
  ASSERT_RESULT(mk_await(&b, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_USER + 42);
  return NULL;
}

void test_results_value_failure_and_await_again(void) {
  ASSERT_RESULT(run(results, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "before fail\n");
}

static void *await_exn_middle(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, fails_1042, NULL);
  mk_await_exn(&t);
  say("never printed");
  return NULL;
}

static void *await_exn_top(void *arg) {
  (void)arg;
  mk_task t;
  mk_outcome o;
  mk_async(&t, await_exn_middle, NULL);
  ASSERT_RESULT(mk_await(&t, &o), MK_OK);
  say("middle ended with %s", mk_result_name(o.result));
  ASSERT_RESULT(o.result, MK_USER + 42);
  mk_await_exn(&t); /* the failure propagates to the root */
  return NULL;
}

void test_await_exn_propagates_failure(void) {
  mk_outcome o;
  ASSERT_RESULT(run(await_exn_top, NULL, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_USER + 42);
  ASSERT_STR(mk_test_console(),
             "before fail\nmiddle ended with application error\n");
}

/* ---- Not a child ---- */

static mk_task grandchild;

static void *spawn_grandchild(void *arg) {
  (void)arg;
  mk_async(&grandchild, returns_42, NULL);
  mk_await_exn(&grandchild);
  return NULL;
}

static void *sibling_awaits(void *arg) {
  mk_task *sibling = arg;
  ASSERT_RESULT(mk_await(sibling, NULL), MK_ENOTCHILD);
  ASSERT_RESULT(mk_cancel(sibling), MK_ENOTCHILD);
  mk_await_exn(sibling); /* fails the task with "not a child" */
  return NULL;
}

static void *not_a_child(void *arg) {
  (void)arg;
  mk_task child, other;
  mk_outcome o;
  mk_async(&child, spawn_grandchild, NULL);
  mk_await_exn(&child);
  /* The grandchild's handle was filled in by the child. */
  ASSERT_RESULT(mk_await(&grandchild, NULL), MK_ENOTCHILD);
  ASSERT_RESULT(mk_cancel(&grandchild), MK_ENOTCHILD);
  mk_task never = {0};
  ASSERT_RESULT(mk_await(&never, NULL), MK_EINVAL);
  /* A sibling is not a child either. */
  mk_async(&child, returns_42, NULL);
  mk_async(&other, sibling_awaits, &child);
  ASSERT_RESULT(mk_await(&other, &o), MK_OK);
  ASSERT_RESULT(o.result, MK_ENOTCHILD);
  ASSERT_RESULT(mk_await(&child, &o), MK_OK);
  ASSERT_INT((intptr_t)o.value, 42);
  return NULL;
}

void test_not_a_child(void) {
  ASSERT_RESULT(run(not_a_child, NULL, NULL), MK_OK);
}

static void *stale_copy(void *arg) {
  (void)arg;
  mk_task t, copy;
  mk_async(&t, returns_42, NULL);
  copy = t;
  mk_await_exn(&t);
  mk_task next;
  mk_async(&next, returns_42, NULL); /* may reuse the freed record */
  ASSERT_RESULT(mk_await(&copy, NULL), MK_EINVAL);
  mk_await_exn(&next);
  return NULL;
}

void test_stale_handle_copy_is_rejected(void) {
  ASSERT_RESULT(run(stale_copy, NULL, NULL), MK_OK);
}

/* ---- Structured concurrency ---- */

static int forgotten_line, forgetful_line;

static void *sleeps_forever(void *arg) {
  (void)arg;
  mk_result r = mk_sleep(MK_SEC(3600));
  say("forgotten child woke: %s", mk_result_name(r));
  return NULL;
}

static void *forgetful(void *arg) {
  (void)arg;
  mk_task t;
  forgotten_line = __LINE__, mk_async(&t, sleeps_forever, NULL);
  mk_yield();  /* the child starts sleeping */
  return NULL; /* returns without awaiting */
}

static void *forgets(void *arg) {
  (void)arg;
  mk_task t;
  forgetful_line = __LINE__, mk_async(&t, forgetful, NULL);
  /* The error cancels every task, this one included. */
  say("root: await %s", mk_result_name(mk_await(&t, NULL)));
  return NULL;
}

void test_forgotten_child_ends_run(void) {
  mk_outcome o;
  ASSERT_RESULT(run(forgets, NULL, &o), MK_ECHILDREN);
  char want[256];
  snprintf(want, sizeof want,
           "mkernel: task \"forgetful\" (#2, spawned at %s:%d) returned with "
           "children not awaited: task \"sleeps_forever\" (#3, spawned at "
           "%s:%d) (still has children)\n",
           __FILE__, forgetful_line, __FILE__, forgotten_line);
  ASSERT_STR(mk_test_log(), want);
  /* Everything was cancelled and cleaned: the child woke cancelled, no
   * virtual time passed. */
  ASSERT_STR(mk_test_console(), "root: await cancelled\n"
                                "forgotten child woke: cancelled\n");
  ASSERT_INT(mk_test_clock(), 0);
  ASSERT_RESULT(o.result, MK_CANCELLED);
}

static void finaliser_says(void *value) { say("finalise %s", (char *)value); }

static int leaker_line;

static void *leaks(void *arg) {
  mk_resource *r = arg;
  ASSERT_RESULT(mk_own(r), MK_OK);
  return NULL;
}

static void *leak_root(void *arg) {
  (void)arg;
  mk_resource r = MK_RESOURCE_INIT("socket", finaliser_says);
  mk_task t;
  leaker_line = __LINE__, mk_async(&t, leaks, &r);
  say("root: await %s", mk_result_name(mk_await(&t, NULL)));
  return NULL;
}

void test_leaked_resource_ends_run(void) {
  ASSERT_RESULT(run(leak_root, NULL, NULL), MK_ELEAK);
  char want[256];
  snprintf(want, sizeof want,
           "mkernel: task \"leaks\" (#2, spawned at %s:%d) returned still "
           "owning a resource (resource leaked)\n",
           __FILE__, leaker_line);
  ASSERT_STR(mk_test_log(), want);
  /* The finaliser still ran: nothing leaks for real. */
  ASSERT_STR(mk_test_console(), "finalise socket\nroot: await cancelled\n");
}

/* A failing task's resources are finalised newest first, then its children
 * are cancelled (their cleanup runs), then its parent sees the failure. */
static void *child_cleanup(void *arg) {
  mk_result r = mk_sleep(MK_SEC(10));
  say("%s cleanup after %s", (char *)arg, mk_result_name(r));
  return NULL;
}

static void *fails_with_stuff(void *arg) {
  (void)arg;
  mk_resource r1 = MK_RESOURCE_INIT("r1", finaliser_says);
  mk_resource r2 = MK_RESOURCE_INIT("r2", finaliser_says);
  mk_resource r3 = MK_RESOURCE_INIT("r3", finaliser_says);
  mk_own(&r1), mk_own(&r2), mk_own(&r3);
  mk_task c1, c2;
  mk_async(&c1, child_cleanup, "c1");
  mk_async(&c2, child_cleanup, "c2");
  mk_yield(); /* let the children start sleeping */
  mk_fail(MK_USER + 1);
}

static void *failing_root(void *arg) {
  (void)arg;
  mk_task t;
  mk_outcome o;
  mk_async(&t, fails_with_stuff, NULL);
  ASSERT_RESULT(mk_await(&t, &o), MK_OK);
  say("parent sees %s", mk_result_name(o.result));
  return NULL;
}

void test_failing_task_cleans_resources_then_children(void) {
  ASSERT_RESULT(run(failing_root, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "finalise r3\nfinalise r2\nfinalise r1\n"
                                "c2 cleanup after cancelled\n"
                                "c1 cleanup after cancelled\n"
                                "parent sees application error\n");
  ASSERT_INT(mk_test_clock(), 0);
}

static void *nested_run(void *arg) {
  (void)arg;
  ASSERT_RESULT(mk_run_task(returns_42, NULL, NULL, NULL), MK_EINVAL);
  return NULL;
}

void test_run_is_not_reentrant(void) {
  ASSERT_RESULT(run(nested_run, NULL, NULL), MK_OK);
  ASSERT_RESULT(mk_run_task(NULL, NULL, NULL, NULL), MK_EINVAL);
}

static void *outside_calls(void *arg) {
  (void)arg;
  return NULL;
}

void test_calls_outside_a_task(void) {
  mk_task t = {0};
  mk_mutex m = MK_MUTEX_INIT;
  ASSERT_RESULT(mk_async(&t, outside_calls, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_await(&t, NULL), MK_EINVAL);
  ASSERT_RESULT(mk_yield(), MK_EINVAL);
  ASSERT_RESULT(mk_sleep(1), MK_EINVAL);
  ASSERT_RESULT(mk_mutex_lock(&m), MK_EINVAL);
  ASSERT(!mk_mutex_try_lock(&m));
  ASSERT_INT(mk_self_id(), 0);
  ASSERT_STR(mk_self_name(), "");
}

static void *say_self(void *arg) {
  (void)arg;
  say("%s #%llu", mk_self_name(), (unsigned long long)mk_self_id());
  return NULL;
}

static void *names(void *arg) {
  mk_task t, u;
  mk_spawn_opts opts = {.name = "custom"};
  say_self(arg);
  mk_async_with(&t, say_self, NULL, &opts);
  mk_async(&u, say_self, NULL);
  mk_await_exn(&t);
  mk_await_exn(&u);
  return NULL;
}

void test_result_names_and_identity(void) {
  ASSERT_STR(mk_result_name(MK_OK), "ok");
  ASSERT_STR(mk_result_name(MK_ENODOMAIN), "no domain available");
  ASSERT_STR(mk_result_name(MK_ECHILDREN), "still has children");
  ASSERT_STR(mk_result_name(MK_USER + 7), "application error");
  ASSERT_STR(mk_result_name(-1), "unknown result");
  ASSERT_RESULT(run(names, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "main #1\ncustom #2\nsay_self #3\n");
}

/* Values live across a switch must survive it: with many locals alive
 * across mk_yield the compiler keeps them in callee-saved registers (x19-x28
 * and d8-d15 on aarch64; rbx, rbp, r12-r15 on x86_64), and the other task
 * fills the same registers with different values. */
static void *keep_registers(void *arg) {
  long k = (long)(intptr_t)arg;
  long a = k * 3, b = k * 5, c = k * 7, d = k * 11, e = k * 13, f = k * 17;
  double x = (double)k * 1.5, y = (double)k * 2.5, z = (double)k * 3.5,
         w = (double)k * 4.5;
  for (int i = 0; i < 50; i++) {
    mk_yield();
    a += 1, b += 2, c += 3, d += 4, e += 5, f += 6;
    x += 0.5, y += 1.5, z += 2.5, w += 3.5;
  }
  ASSERT_INT(a, k * 3 + 50);
  ASSERT_INT(b, k * 5 + 100);
  ASSERT_INT(c, k * 7 + 150);
  ASSERT_INT(d, k * 11 + 200);
  ASSERT_INT(e, k * 13 + 250);
  ASSERT_INT(f, k * 17 + 300);
  ASSERT(x == (double)k * 1.5 + 25.0);
  ASSERT(y == (double)k * 2.5 + 75.0);
  ASSERT(z == (double)k * 3.5 + 125.0);
  ASSERT(w == (double)k * 4.5 + 175.0);
  return NULL;
}

static void *registers_root(void *arg) {
  (void)arg;
  mk_task t[3];
  for (intptr_t i = 0; i < 3; i++)
    mk_async(&t[i], keep_registers, (void *)(1000 * (i + 1)));
  ASSERT_RESULT(mk_await_all(t, 3, NULL), MK_OK);
  return NULL;
}

void test_switch_preserves_callee_saved_registers(void) {
  ASSERT_RESULT(run(registers_root, NULL, NULL), MK_OK);
}
