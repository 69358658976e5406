/*
 * test_await.c: await_all, await_one, await_first.
 */
#include "test.h"

typedef struct job {
  const char *name;
  uint64_t delay; /* virtual ns */
  int fail;       /* failure code, or 0 to return */
} job;

static void *run_job(void *arg) {
  const job *j = arg;
  mk_result r = mk_sleep(j->delay);
  if (r != MK_OK) {
    say("%s cleanup (%s)", j->name, mk_result_name(r));
    return NULL;
  }
  say("%s done", j->name);
  if (j->fail) mk_fail(j->fail);
  return (void *)j->name;
}

static void *await_all_root(void *arg) {
  (void)arg;
  static const job jobs[] = {{"a", 30, 0}, {"b", 10, MK_USER}, {"c", 20, 0}};
  mk_task t[3];
  mk_outcome o[3];
  for (int i = 0; i < 3; i++) mk_async(&t[i], run_job, (void *)&jobs[i]);
  ASSERT_RESULT(mk_await_all(t, 3, o), MK_OK);
  ASSERT_STR((const char *)o[0].value, "a");
  ASSERT_RESULT(o[1].result, MK_USER);
  ASSERT_STR((const char *)o[2].value, "c");
  return NULL;
}

void test_await_all_awaits_everything(void) {
  ASSERT_RESULT(run(await_all_root, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "b done\nc done\na done\n");
  ASSERT_INT(mk_test_clock(), 30);
}

static void *await_one_root(void *arg) {
  (void)arg;
  static const job jobs[] = {{"slow", 30, 0}, {"fast", 10, 0}};
  mk_task t[2];
  mk_outcome o;
  size_t i;
  for (int k = 0; k < 2; k++) mk_async(&t[k], run_job, (void *)&jobs[k]);
  ASSERT_RESULT(mk_await_one(t, 2, &o, &i), MK_OK);
  ASSERT_INT(i, 1);
  ASSERT_STR((const char *)o.value, "fast");
  /* The other is left to us: await it. */
  ASSERT_RESULT(mk_await_one(t, 2, &o, &i), MK_OK);
  ASSERT_INT(i, 0);
  ASSERT_RESULT(mk_await_one(t, 2, &o, &i), MK_EINVAL); /* none left */
  ASSERT_RESULT(mk_await_one(t, 0, &o, &i), MK_EINVAL);
  return NULL;
}

void test_await_one_leaves_the_others(void) {
  ASSERT_RESULT(run(await_one_root, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "fast done\nslow done\n");
}

static void *forgets_after_await_one(void *arg) {
  (void)arg;
  static const job jobs[] = {{"x", 1, 0}, {"y", 2, 0}};
  mk_task t[2];
  for (int k = 0; k < 2; k++) mk_async(&t[k], run_job, (void *)&jobs[k]);
  mk_await_one(t, 2, NULL, NULL);
  return NULL; /* y was neither awaited nor cancelled */
}

void test_await_one_then_forgetting_is_an_error(void) {
  ASSERT_RESULT(run(forgets_after_await_one, NULL, NULL), MK_ECHILDREN);
}

/* The winner is the first to end; a sleeping loser is cancelled and its
 * cleanup has run when await_first returns. */
static void *await_first_root(void *arg) {
  (void)arg;
  static const job jobs[] = {{"timeout", 1000, MK_USER}, {"work", 10, 0}};
  mk_task t[2];
  mk_outcome o, lo;
  size_t i;
  for (int k = 0; k < 2; k++) mk_async(&t[k], run_job, (void *)&jobs[k]);
  ASSERT_RESULT(mk_await_first(t, 2, &o, &i), MK_OK);
  say("await_first returned %s", (const char *)o.value);
  ASSERT_INT(i, 1);
  ASSERT_RESULT(mk_await(&t[0], &lo), MK_OK); /* consumed: cancelled */
  ASSERT_RESULT(lo.result, MK_CANCELLED);
  return NULL;
}

void test_await_first_cancels_sleeping_loser(void) {
  ASSERT_RESULT(run(await_first_root, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "work done\ntimeout cleanup (cancelled)\n"
                                "await_first returned work\n");
  ASSERT_INT(mk_test_clock(), 10);
}

/* Among tasks that had all ended, one that returned beats one that failed,
 * and the losers are cancelled newest first. */
static void *prefers_success(void *arg) {
  (void)arg;
  static const job jobs[] = {
      {"f1", 0, MK_USER}, {"ok", 0, 0}, {"f2", 0, MK_USER}, {"late", 50, 0}};
  mk_task t[4];
  mk_outcome o;
  size_t i;
  for (int k = 0; k < 4; k++) mk_async(&t[k], run_job, (void *)&jobs[k]);
  mk_sleep(1); /* f1, ok and f2 end meanwhile */
  ASSERT_RESULT(mk_await_first(t, 4, &o, &i), MK_OK);
  ASSERT_INT(i, 1);
  ASSERT_RESULT(o.result, MK_OK);
  return NULL;
}

void test_await_first_prefers_success(void) {
  ASSERT_RESULT(run(prefers_success, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "f1 done\nok done\nf2 done\nlate cleanup (cancelled)\n");
}

/* Ties are broken by the run's PRNG: the same seed gives the same pick,
 * and over a few seeds every candidate gets picked. */
static void *pick_among_equals(void *arg) {
  size_t *picked = arg;
  static const job jobs[] = {{"p0", 0, 0}, {"p1", 0, 0}, {"p2", 0, 0}};
  mk_task t[3];
  for (int k = 0; k < 3; k++) mk_async(&t[k], run_job, (void *)&jobs[k]);
  mk_yield();
  ASSERT_RESULT(mk_await_first(t, 3, NULL, picked), MK_OK);
  return NULL;
}

void test_await_first_ties_follow_seed(void) {
  bool seen[3] = {false, false, false};
  for (uint64_t seed = 1; seed <= 16; seed++) {
    size_t a = 99, b = 99;
    mk_run_opts opts = {.seed = seed};
    ASSERT_RESULT(run_at(0, pick_among_equals, &a, &opts, NULL), MK_OK);
    ASSERT_RESULT(run_at(0, pick_among_equals, &b, &opts, NULL), MK_OK);
    ASSERT_INT(a, b);
    ASSERT(a < 3);
    seen[a] = true;
  }
  ASSERT(seen[0] && seen[1] && seen[2]);
}

/* await_first in a cancelled caller: nothing is consumed. */
static void *cancelled_await_first(void *arg) {
  (void)arg;
  static const job jobs[] = {{"j", 100, 0}};
  mk_task t;
  mk_async(&t, run_job, (void *)&jobs[0]);
  mk_result r = mk_await_first(&t, 1, NULL, NULL);
  say("await_first: %s", mk_result_name(r));
  return NULL;
}

static void *cancel_await_first(void *arg) {
  (void)arg;
  mk_task t;
  mk_async(&t, cancelled_await_first, NULL);
  mk_yield();
  mk_cancel(&t);
  return NULL;
}

void test_await_first_interrupted_by_cancel(void) {
  ASSERT_RESULT(run(cancel_await_first, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "await_first: cancelled\nj cleanup (cancelled)\n");
}
