/*
 * sync.c: mutex, condition and lazy values.
 *
 * Waiters live on the waiting task's stack and sit in a FIFO; a cancelled
 * waiter removes itself through its syscall's on_cancel, so queues never
 * hold a task that stopped waiting.
 */
#include "internal.h"

/* ---- Wait queues -------------------------------------------------------- */

void mk__waitq_push(mk__waitq *q, struct mk__waiter *w) {
  w->next = NULL;
  w->prev = q->tail;
  if (q->tail)
    q->tail->next = w;
  else
    q->head = w;
  q->tail = w;
}

void mk__waitq_remove(mk__waitq *q, struct mk__waiter *w) {
  if (w->prev)
    w->prev->next = w->next;
  else
    q->head = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    q->tail = w->prev;
  w->prev = w->next = NULL;
}

struct mk__waiter *mk__waitq_pop(mk__waitq *q) {
  struct mk__waiter *w = q->head;
  if (w) mk__waitq_remove(q, w);
  return w;
}

static void waiter_cancelled(mk_syscall *sc) {
  struct mk__waiter *w =
      (struct mk__waiter *)((char *)sc - offsetof(struct mk__waiter, sc));
  mk__waitq_remove(sc->data, w);
}

/* Queues the caller on `q` and suspends it until wake_one() picks it. */
static mk_result wait_in(mk__waitq *q, struct mk__waiter *w, const char *what) {
  w->task = mk__s.current;
  w->signalled = false;
  mk__syscall_init(&w->sc, waiter_cancelled, q);
  mk__waitq_push(q, w);
  return mk__suspend_as(&w->sc, what);
}

static struct mk__waiter *wake_one(mk__waitq *q) {
  struct mk__waiter *w = mk__waitq_pop(q);
  if (w) {
    w->signalled = true;
    mk__wake(&w->sc);
  }
  return w;
}

/* ---- Mutex -------------------------------------------------------------- */

mk_result mk_mutex_lock(mk_mutex *m) {
  struct mk__task *self = mk__s.current;
  if (!self || !m) return MK_EINVAL;
  if (m->mk__owner == self) return MK_EMUTEX;
  mk_result r = mk__blocking_entry(&self);
  if (r != MK_OK) return r;
  if (!m->mk__owner) {
    m->mk__owner = self;
    return MK_OK;
  }
  struct mk__waiter w;
  return wait_in(&m->mk__waiters, &w, "mutex lock");
  /* MK_OK: unlock handed the mutex over to us (owner already set). */
}

bool mk_mutex_try_lock(mk_mutex *m) {
  struct mk__task *self = mk__s.current;
  if (!self || !m || m->mk__owner) return false;
  m->mk__owner = self;
  return true;
}

mk_result mk_mutex_unlock(mk_mutex *m) {
  struct mk__task *self = mk__s.current;
  if (!self || !m) return MK_EINVAL;
  if (m->mk__owner != self) return MK_EMUTEX;
  struct mk__waiter *w = m->mk__waiters.head;
  m->mk__owner = w ? w->task : NULL; /* FIFO hand-off: no barging */
  if (w) wake_one(&m->mk__waiters);
  return MK_OK;
}

/* ---- Condition ---------------------------------------------------------- */

mk_result mk_condition_wait(mk_condition *c, mk_mutex *m) {
  struct mk__task *self = mk__s.current;
  if (!self || !c || !m) return MK_EINVAL;
  if (m->mk__owner != self) return MK_EMUTEX;
  mk_result r = mk__blocking_entry(&self);
  struct mk__waiter w;
  if (r == MK_OK) {
    w.task = self;
    w.signalled = false;
    mk__syscall_init(&w.sc, waiter_cancelled, &c->mk__waiters);
    mk__waitq_push(&c->mk__waiters, &w);
  }
  mk_mutex_unlock(m);
  if (r != MK_OK) return r; /* cancelled: released, not re-acquired */
  if ((r = mk__suspend_as(&w.sc, "condition wait")) != MK_OK) return r;
  if ((r = mk_mutex_lock(m)) != MK_OK)
    mk_condition_signal(c); /* signalled, then cancelled: pass it on */
  return r;
}

void mk_condition_signal(mk_condition *c) {
  if (c) wake_one(&c->mk__waiters);
}

void mk_condition_broadcast(mk_condition *c) {
  if (!c) return;
  /* Only those waiting now: a woken task that waits again is not woken
   * twice by one broadcast. */
  struct mk__waiter *last = c->mk__waiters.tail;
  while (last && wake_one(&c->mk__waiters) != last) continue;
}

/* ---- Lazy --------------------------------------------------------------- */

enum { LAZY_UNFORCED, LAZY_FORCING, LAZY_DONE };

static void lazy_wake_all(mk_lazy *l) {
  while (wake_one(&l->mk__waiters)) continue;
}

/* Back to unforced: the forcer was cancelled or failed. The waiters retry,
 * and the first of them to run forces it. */
static void lazy_reset(mk_lazy *l) {
  l->mk__state = LAZY_UNFORCED;
  l->mk__forcer = NULL;
  lazy_wake_all(l);
}

mk_result mk_lazy_force(mk_lazy *l, void **value) {
  struct mk__task *self;
  mk_result r = mk__blocking_entry(&self);
  if (r != MK_OK) return r;
  if (!l || !l->fn) return MK_EINVAL;
  for (;;) {
    if (l->mk__state == LAZY_DONE) {
      if (value) *value = l->mk__value;
      return l->mk__result;
    }
    if (l->mk__state == LAZY_UNFORCED) break;
    if (l->mk__forcer == self) return MK_EINVAL; /* forces itself */
    struct mk__waiter w;
    if ((r = wait_in(&l->mk__waiters, &w, "lazy force")) != MK_OK) return r;
  }
  l->mk__state = LAZY_FORCING;
  l->mk__forcer = self;
  l->mk__outer = self->forcing; /* fn may force other lazy values */
  self->forcing = l;
  void *v = NULL;
  r = l->fn(l->ctx, &v);
  self->forcing = l->mk__outer;
  if (r == MK_CANCELLED) {
    lazy_reset(l);
    return r;
  }
  l->mk__state = LAZY_DONE;
  l->mk__forcer = NULL;
  l->mk__result = r;
  l->mk__value = v;
  lazy_wake_all(l);
  if (value) *value = v;
  return r;
}

/* The task ends (mk_fail) while forcing: unforce what it was forcing. */
void mk__lazy_abandon(struct mk__task *t) {
  while (t->forcing) {
    mk_lazy *l = t->forcing;
    t->forcing = l->mk__outer;
    lazy_reset(l);
  }
}
