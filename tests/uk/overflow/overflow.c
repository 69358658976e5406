/*
 * overflow.c: a unikernel whose task overflows its stack, for the hosted
 * platform's guard page. Expected: one line naming the task, status 255.
 */
#include <mkernel.h>
#include <stdio.h>
#include <string.h>

static int recurse(int n) {
  volatile char frame[512];
  memset((char *)frame, n, sizeof frame); /* touches the frame, low to high */
  return n > 0 ? recurse(n - 1) + frame[0] : frame[0];
}

static void *deep(void *arg) {
  printf("result %d\n", recurse((int)(intptr_t)arg));
  return NULL;
}

static int unikernel(void *const *devices, void *ctx) {
  (void)devices, (void)ctx;
  mk_task t;
  mk_spawn_opts opts = {.name = "deep", .stack_size = 16384};
  mk_async_with(&t, deep, (void *)100000, &opts);
  mk_await_exn(&t);
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  return mk_run(NULL, 0, unikernel, NULL, NULL);
}
