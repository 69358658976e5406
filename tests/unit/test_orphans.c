/*
 * test_orphans.c: orphan sets (care, take, get, the owner rule) and
 * ownership of resources.
 */
#include "test.h"

static void *work(void *arg) {
  uintptr_t n = (uintptr_t)arg;
  if (mk_sleep_until(n) != MK_OK) return NULL; /* ends at virtual time n */
  say("orphan %u ends", (unsigned)n);
  return arg;
}

/* A server-style loop: spawn into the set, collect what has ended with care
 * between spawns, then drain. */
static void *care_loop(void *arg) {
  (void)arg;
  mk_orphans set = MK_ORPHANS_INIT;
  mk_task t;
  mk_outcome o;
  static const uintptr_t ends[] = {3, 6, 9, 100};
  ASSERT_RESULT(mk_orphans_care(&set, &t), MK_EMPTY);
  for (int i = 0; i < 4; i++) {
    mk_spawn_opts opts = {.orphans = &set};
    ASSERT_RESULT(mk_async_with(NULL, work, (void *)ends[i], &opts), MK_OK);
    mk_sleep(4); /* time passes; members end meanwhile */
    while (mk_orphans_care(&set, &t) == MK_OK) {
      ASSERT_RESULT(mk_await(&t, &o), MK_OK);
      say("collected %u", (unsigned)(uintptr_t)o.value);
    }
  }
  ASSERT_RESULT(mk_orphans_care(&set, &t), MK_AGAIN); /* one still runs */
  ASSERT_INT(mk_orphans_length(&set), 1);
  while (mk_orphans_get(&set, &o) == MK_OK)
    say("got %u", (unsigned)(uintptr_t)o.value);
  ASSERT_INT(mk_orphans_length(&set), 0);
  return NULL;
}

void test_orphans_collected_with_care(void) {
  ASSERT_RESULT(run(care_loop, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "orphan 3 ends\ncollected 3\n"
                                "orphan 6 ends\ncollected 6\n"
                                "orphan 9 ends\ncollected 9\n"
                                "orphan 100 ends\ngot 100\n");
}

static void *uses_foreign_set(void *arg) {
  mk_orphans *set = arg;
  mk_task t;
  mk_spawn_opts opts = {.orphans = set};
  ASSERT_RESULT(mk_orphans_care(set, &t), MK_EOWNED);
  ASSERT_RESULT(mk_orphans_take(set, &t), MK_EOWNED);
  ASSERT_RESULT(mk_orphans_get(set, NULL), MK_EOWNED);
  ASSERT_RESULT(mk_async_with(NULL, work, (void *)1, &opts), MK_EOWNED);
  return NULL;
}

static void *take_and_owner(void *arg) {
  (void)arg;
  mk_orphans set = MK_ORPHANS_INIT;
  mk_spawn_opts opts = {.orphans = &set};
  mk_task t, other;
  mk_async_with(NULL, work, (void *)5, &opts);
  /* Owned by this task now: another task may not touch it. */
  mk_async(&other, uses_foreign_set, &set);
  mk_await_exn(&other);
  ASSERT_RESULT(mk_orphans_take(&set, &t), MK_OK); /* not ended yet */
  ASSERT_RESULT(mk_orphans_take(&set, &t), MK_EMPTY);
  ASSERT_RESULT(mk_cancel(&t), MK_OK); /* an ordinary child now */
  return NULL;
}

void test_orphans_take_and_owner_rule(void) {
  ASSERT_RESULT(run(take_and_owner, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "");
}

static void *abandons_orphans(void *arg) {
  (void)arg;
  mk_orphans set = MK_ORPHANS_INIT;
  mk_spawn_opts opts = {.orphans = &set};
  mk_async_with(NULL, work, (void *)5, &opts);
  return NULL; /* orphans are children too */
}

void test_uncollected_orphans_are_an_error(void) {
  ASSERT_RESULT(run(abandons_orphans, NULL, NULL), MK_ECHILDREN);
  ASSERT_CONTAINS(mk_test_log(), "task \"work\"");
}

/* ---- Ownership ---- */

static void finaliser_says(void *value) { say("finalise %s", (char *)value); }

static void *owns_and_releases(void *arg) {
  mk_resource *r = arg;
  ASSERT_RESULT(mk_check(r), MK_OK); /* given at spawn */
  ASSERT_RESULT(mk_release(r), MK_OK);
  ASSERT_RESULT(mk_check(r), MK_ENOTOWNER);
  return NULL;
}

static void *transfers(void *arg) {
  mk_resource *r = arg;
  ASSERT_RESULT(mk_own(r), MK_OK);
  ASSERT_RESULT(mk_transfer(r), MK_OK);
  ASSERT_RESULT(mk_check(r), MK_ENOTOWNER);
  return NULL;
}

static void *tries_foreign(void *arg) {
  mk_resource *r = arg;
  ASSERT_RESULT(mk_own(r), MK_EOWNED);
  ASSERT_RESULT(mk_disown(r), MK_ENOTOWNER);
  ASSERT_RESULT(mk_release(r), MK_ENOTOWNER);
  ASSERT_RESULT(mk_transfer(r), MK_ENOTOWNER);
  ASSERT_RESULT(mk_check(r), MK_ENOTOWNER);
  return NULL;
}

static void *ownership(void *arg) {
  (void)arg;
  mk_resource a = MK_RESOURCE_INIT("a", finaliser_says);
  mk_resource b = MK_RESOURCE_INIT("b", finaliser_says);
  mk_resource c = MK_RESOURCE_INIT("c", finaliser_says);
  mk_task t;
  ASSERT_RESULT(mk_own(&a), MK_OK);
  ASSERT_RESULT(mk_own(&a), MK_EINVAL);      /* double own */
  ASSERT_RESULT(mk_transfer(&a), MK_EINVAL); /* the root has no parent */
  /* Another task may not use it. */
  mk_async(&t, tries_foreign, &a);
  mk_await_exn(&t);
  ASSERT_RESULT(mk_disown(&a), MK_OK); /* released by hand: no finaliser */
  ASSERT_RESULT(mk_disown(&a), MK_ENOTOWNER);
  /* Give at spawn: the child owns it and releases it. */
  mk_resource *give_b[] = {&b};
  mk_spawn_opts opts = {.give = give_b, .give_count = 1};
  ASSERT_RESULT(mk_own(&b), MK_OK);
  mk_async_with(&t, owns_and_releases, &b, &opts);
  mk_await_exn(&t);
  /* Giving what one does not own spawns nothing. */
  ASSERT_RESULT(mk_async_with(&t, owns_and_releases, &b, &opts), MK_ENOTOWNER);
  /* A child transfers a resource up to us. */
  mk_async(&t, transfers, &c);
  mk_await_exn(&t);
  ASSERT_RESULT(mk_check(&c), MK_OK);
  ASSERT_RESULT(mk_release(&c), MK_OK);
  return NULL;
}

void test_ownership_rules(void) {
  ASSERT_RESULT(run(ownership, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(), "finalise b\nfinalise c\n");
}

/* A finaliser must not block: blocking calls fail inside it. */
static void finaliser_tries_to_block(void *value) {
  (void)value;
  say("finaliser: sleep %s, yield %s", mk_result_name(mk_sleep(1)),
      mk_result_name(mk_yield()));
}

static void *fails_owning(void *arg) {
  (void)arg;
  mk_resource r = MK_RESOURCE_INIT(NULL, finaliser_tries_to_block);
  mk_own(&r);
  mk_fail(MK_USER);
}

static void *finaliser_root(void *arg) {
  (void)arg;
  mk_task t;
  mk_outcome o;
  mk_async(&t, fails_owning, NULL);
  mk_await(&t, &o);
  ASSERT_RESULT(o.result, MK_USER);
  return NULL;
}

void test_finaliser_cannot_block(void) {
  ASSERT_RESULT(run(finaliser_root, NULL, NULL), MK_OK);
  ASSERT_STR(mk_test_console(),
             "finaliser: sleep cancelled, yield cancelled\n");
}
