/*
 * sleep.c: the timer, seen from a unikernel. Prints "Hello" after one second
 * and "World" after another; the main task is the only task, so between the
 * two lines the scheduler has nothing to do but wait for the deadline.
 */
#include <mkernel.h>
#include <stdio.h>

static int sleep_main(void *const *values, void *ctx) {
  (void)values;
  (void)ctx;
  if (mk_sleep(MK_SEC(1)) != MK_OK) return 1;
  puts("Hello");
  if (mk_sleep(MK_SEC(1)) != MK_OK) return 1;
  puts("World");
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return mk_run(NULL, 0, sleep_main, NULL, NULL);
}
