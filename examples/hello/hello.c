/*
 * hello.c: the smallest unikernel. A child task prints "Hello World!" while
 * the main task sleeps for a second, then the main task awaits the child, as
 * every child must be awaited before its parent returns.
 */
#include <mkernel.h>
#include <stdio.h>

static void *say_hello(void *arg) {
  (void)arg;
  puts("Hello World!");
  return NULL;
}

static int hello_main(void *const *values, void *ctx) {
  (void)values;
  (void)ctx;
  mk_task task;
  mk_result r = mk_async(&task, say_hello, NULL);
  if (r != MK_OK) {
    printf("hello: %s\n", mk_result_name(r));
    return 1;
  }
  /* Even if the sleep were cut short, the child must still be awaited. */
  mk_result slept = mk_sleep(MK_SEC(1));
  mk_await_exn(&task);
  return slept == MK_OK ? 0 : 1;
}

int mk_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return mk_run(NULL, 0, hello_main, NULL, NULL);
}
