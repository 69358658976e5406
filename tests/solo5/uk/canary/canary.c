/*
 * canary.c: a task that overflows its stack by a few KiB, then yields. On
 * Solo5 there is no guard page below a task's stack; the core's canary,
 * checked when the task switches away, must stop the image with one line
 * naming the task and Solo5's abort status, 255, before anything runs on
 * the memory the overflow trampled. (The hosted platform's version of this
 * test, tests/uk/overflow, recurses without bound into its guard page,
 * which on Solo5 would run through the whole heap first.)
 */
#include <mkernel.h>
#include <stdio.h>
#include <string.h>

static int recurse(int n) {
  volatile char frame[256];
  memset((char *)frame, n, sizeof frame);
  return n > 0 ? recurse(n - 1) + frame[0] : frame[0];
}

static void *deep(void *arg) {
  /* About 48 frames of 300 bytes or so: 14 KiB in an 8 KiB stack. */
  int r = recurse((int)(intptr_t)arg);
  mk_yield();
  printf("canary: not caught (%d)\n", r);
  return NULL;
}

static int unikernel(void *const *devices, void *ctx) {
  (void)devices, (void)ctx;
  mk_task t;
  mk_spawn_opts opts = {.name = "deep", .stack_size = 8192};
  if (mk_async_with(&t, deep, (void *)48, &opts) != MK_OK) return 1;
  mk_await_exn(&t);
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  return mk_run(NULL, 0, unikernel, NULL, NULL);
}
