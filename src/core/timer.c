/*
 * timer.c: sleep, on a binary min-heap of deadlines.
 *
 * Entries keep their deadline inline, so sifting chases a pointer only to
 * break a tie (a sequence number, for FIFO order among equal deadlines);
 * each sleeper knows its index, so a cancelled sleep leaves in O(log n).
 * Sleepers are never scanned linearly.
 */
#include "internal.h"

struct mk__sleeper {
  mk_syscall sc;
  size_t index; /* position in the heap */
  uint64_t seq; /* order of arrival */
};

static bool before(const mk__timer *a, const mk__timer *b) {
  return a->deadline < b->deadline ||
         (a->deadline == b->deadline && a->sleeper->seq < b->sleeper->seq);
}

static void place(size_t i, mk__timer e) {
  mk__s.timers[i] = e;
  e.sleeper->index = i;
}

static void sift_up(size_t i, mk__timer e) {
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!before(&e, &mk__s.timers[parent])) break;
    place(i, mk__s.timers[parent]);
    i = parent;
  }
  place(i, e);
}

static void sift_down(size_t i, mk__timer e) {
  size_t n = mk__s.ntimers;
  for (;;) {
    size_t child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(&mk__s.timers[child + 1], &mk__s.timers[child]))
      child++;
    if (!before(&mk__s.timers[child], &e)) break;
    place(i, mk__s.timers[child]);
    i = child;
  }
  place(i, e);
}

static bool reserve(void) {
  if (mk__s.ntimers < mk__s.timers_cap) return true;
  /* Grows by half: the unused tail stays small with many sleepers. */
  size_t cap = mk__s.timers_cap ? mk__s.timers_cap + mk__s.timers_cap / 2 : 64;
  mk__timer *t = mk__platform_alloc(cap * sizeof *t);
  if (!t) return false;
  if (mk__s.ntimers) memcpy(t, mk__s.timers, mk__s.ntimers * sizeof *t);
  mk__platform_free(mk__s.timers);
  mk__s.timers = t;
  mk__s.timers_cap = cap;
  return true;
}

static void heap_remove(size_t i) {
  mk__timer last = mk__s.timers[--mk__s.ntimers];
  if (i == mk__s.ntimers) return;
  if (i > 0 && before(&last, &mk__s.timers[(i - 1) / 2]))
    sift_up(i, last);
  else
    sift_down(i, last);
}

static void sleep_cancelled(mk_syscall *sc) {
  heap_remove(((struct mk__sleeper *)sc)->index);
}

mk_result mk_sleep_until(uint64_t deadline) {
  struct mk__task *self;
  mk_result r = mk__blocking_entry(&self);
  if (r != MK_OK) return r;
  if (!reserve()) return MK_ENOMEM;
  struct mk__sleeper s = {.seq = mk__s.timer_seq++};
  mk__syscall_init(&s.sc, sleep_cancelled, NULL);
  mk__timer e = {deadline, &s};
  sift_up(mk__s.ntimers++, e);
  return mk__suspend_as(&s.sc, "sleep");
}

mk_result mk_sleep(uint64_t ns) {
  if (!mk__s.current) return MK_EINVAL;
  uint64_t now = mk__now();
  /* Saturate below MK_FOREVER: a huge sleep is still a (distant) timer. */
  uint64_t deadline = ns >= MK_FOREVER - 1 - now ? MK_FOREVER - 1 : now + ns;
  return mk_sleep_until(deadline);
}

uint64_t mk__timers_next(void) {
  return mk__s.ntimers ? mk__s.timers[0].deadline : MK_FOREVER;
}

/* Wakes every sleeper due at `now`, in deadline order, FIFO among equals. */
void mk__timers_expire(uint64_t now) {
  while (mk__s.ntimers && mk__s.timers[0].deadline <= now) {
    struct mk__sleeper *s = mk__s.timers[0].sleeper;
    heap_remove(0);
    mk__wake(&s->sc);
  }
}

void mk__timers_release(void) {
  mk__platform_free(mk__s.timers);
  mk__s.timers = NULL;
  mk__s.ntimers = mk__s.timers_cap = 0;
}
