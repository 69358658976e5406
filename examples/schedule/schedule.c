/*
 * schedule.c: the run queue's order. A new task goes to the tail of the run
 * queue and its parent keeps running until it blocks, so
 * `p = async(print "World"); print "Hello"; await p` prints "Hello" first,
 * then "World" once the await lets the child run.
 */
#include <mkernel.h>
#include <stdio.h>

static void *say_world(void *arg) {
  (void)arg;
  puts("World");
  return NULL;
}

static int schedule_main(void *const *values, void *ctx) {
  (void)values;
  (void)ctx;
  mk_task task;
  mk_result r = mk_async(&task, say_world, NULL);
  if (r != MK_OK) {
    printf("schedule: %s\n", mk_result_name(r));
    return 1;
  }
  puts("Hello");
  mk_await_exn(&task);
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  return mk_run(NULL, 0, schedule_main, NULL, NULL);
}
