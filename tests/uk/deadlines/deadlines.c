/*
 * deadlines.c: sleeps whose deadline has already passed, and zero sleeps,
 * on the hosted platform's real wait (ppoll). A deadline in the past must
 * poll and return, never block (a known bug class in unikernel event
 * loops): if it blocked, this would never finish and the test's timeout
 * would fail it.
 */
#include <mkernel.h>
#include <stdio.h>

static void *sleeper(void *arg) {
  uint64_t now = mk_clock_monotonic();
  for (int i = 0; i < 1000; i++) {
    if (mk_sleep_until(0) != MK_OK || mk_sleep_until(now - 1) != MK_OK ||
        mk_sleep(0) != MK_OK)
      return (void *)1;
  }
  (void)arg;
  return NULL;
}

static int unikernel(void *const *devices, void *ctx) {
  (void)devices, (void)ctx;
  mk_task a, b;
  mk_async(&a, sleeper, NULL);
  mk_async(&b, sleeper, NULL);
  void *ra = mk_await_exn(&a), *rb = mk_await_exn(&b);
  printf("3000 past or zero deadlines each in 2 tasks: %s\n",
         ra || rb ? "error" : "ok");
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  return mk_run(NULL, 0, unikernel, NULL, NULL);
}
