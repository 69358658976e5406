/*
 * test_timer.c: sleep on the timer heap, with the virtual clock.
 */
#include "test.h"

typedef struct nap {
  const char *name;
  uint64_t ns;
} nap;

static void *sleep_and_say(void *arg) {
  const nap *n = arg;
  if (mk_sleep(n->ns) == MK_OK)
    say("%s at %llu", n->name, (unsigned long long)mk_test_clock());
  return NULL;
}

static void *sleepers(void *arg) {
  const nap *naps = arg;
  mk_task t[5];
  for (int i = 0; i < 5; i++) mk_async(&t[i], sleep_and_say, (void *)&naps[i]);
  ASSERT_RESULT(mk_await_all(t, 5, NULL), MK_OK);
  return NULL;
}

void test_sleepers_wake_in_deadline_order(void) {
  static const nap naps[] = {
      {"3", 3000}, {"1", 1000}, {"2", 2000}, {"2bis", 2000}, {"2ter", 2000}};
  ASSERT_RESULT(run(sleepers, (void *)naps, NULL), MK_OK);
  /* Deadline order; FIFO among equal deadlines; exact virtual times. */
  ASSERT_STR(mk_test_console(), "1 at 1000\n2 at 2000\n2bis at 2000\n"
                                "2ter at 2000\n3 at 3000\n");
}

void test_sleepers_near_clock_wrap(void) {
  static const nap naps[] = {
      {"c", 30}, {"a", 10}, {"b", 20}, {"far", 1000}, {"d", 40}};
  uint64_t start = UINT64_MAX - 500; /* "far" saturates at the end of time */
  ASSERT_RESULT(run_at(start, sleepers, (void *)naps, NULL, NULL), MK_OK);
  char want[256];
  snprintf(want, sizeof want,
           "a at %llu\nb at %llu\nc at %llu\nd at %llu\nfar at %llu\n",
           (unsigned long long)(start + 10), (unsigned long long)(start + 20),
           (unsigned long long)(start + 30), (unsigned long long)(start + 40),
           (unsigned long long)(UINT64_MAX - 1));
  ASSERT_STR(mk_test_console(), want);
}

/* Many timers through the heap, inserted in a scrambled order, some
 * cancelled: the survivors wake sorted. */
static void *many(void *arg) {
  (void)arg;
  enum { N = 500 };
  static nap naps[N];
  static char names[N][8];
  mk_task t[N];
  for (int i = 0; i < N; i++) {
    snprintf(names[i], sizeof names[i], "%d", i);
    naps[i].name = names[i];
    naps[i].ns = (uint64_t)((i * 7919) % N) + 1; /* a permutation of 1..N */
    mk_async(&t[i], sleep_and_say, &naps[i]);
  }
  mk_yield();
  for (int i = 0; i < N; i += 3) mk_cancel(&t[i]);
  for (int i = 0; i < N; i++)
    if (i % 3) mk_await_exn(&t[i]);
  return NULL;
}

void test_timer_heap_many_and_cancelled(void) {
  ASSERT_RESULT(run(many, NULL, NULL), MK_OK);
  const char *out = mk_test_console();
  unsigned long last = 0, count = 0, name, at;
  int used;
  while (sscanf(out, "%lu at %lu\n%n", &name, &at, &used) == 2) {
    ASSERT(at > last);
    ASSERT(name % 3 != 0);
    ASSERT_INT(at, (name * 7919) % 500 + 1);
    last = at;
    count++;
    out += used;
  }
  ASSERT_INT(count, 500 - 167);
}

static void *zero_and_past(void *arg) {
  (void)arg;
  ASSERT_RESULT(mk_sleep(0), MK_OK);
  ASSERT_INT(mk_test_clock(), 100);
  ASSERT_RESULT(mk_sleep_until(5), MK_OK); /* in the past: no wait */
  ASSERT_INT(mk_test_clock(), 100);
  return NULL;
}

void test_zero_sleep_and_past_deadline(void) {
  ASSERT_RESULT(run_at(100, zero_and_past, NULL, NULL, NULL), MK_OK);
}

static void *huge_sleeper(void *arg) {
  (void)arg;
  say("huge: %s", mk_result_name(mk_sleep(UINT64_MAX)));
  return NULL;
}

static void *cancel_huge(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, huge_sleeper, NULL);
  mk_sleep(10);
  ASSERT_RESULT(mk_cancel(&t), MK_OK);
  return NULL;
}

void test_huge_sleep(void) {
  ASSERT_RESULT(run(cancel_huge, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "huge: cancelled\n");
  ASSERT_INT(mk_test_clock(), 10);
}

/* The run's clock function drives sleeps (Miou/mkernel's ?now). */
static uint64_t fake_now;
static uint64_t my_clock(void *ctx) {
  (void)ctx;
  return fake_now;
}

static void *with_my_clock(void *arg) {
  (void)arg;
  fake_now = 1000;
  ASSERT_RESULT(mk_sleep(0), MK_OK);
  return NULL;
}

void test_run_clock_option(void) {
  mk_run_opts opts = {.clock = my_clock};
  ASSERT_RESULT(run_at(0, with_my_clock, NULL, &opts, NULL), MK_OK);
}
