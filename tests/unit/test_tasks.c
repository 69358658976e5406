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
