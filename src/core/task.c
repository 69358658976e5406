/*
 * task.c: the life of a task, from spawn to consumption.
 *
 * A task is spawned as the newest child of the caller, runs, and ends in one
 * of three ways (returned, failed, cancelled). Its end runs in its own
 * context: finalisers, then its remaining children cancelled newest first,
 * then a last switch to the scheduler, which frees its stack. The record
 * stays until the parent consumes the outcome through its handle
 * (await, cancel, await_one/await_first, or the parent's own end).
 */
#include "internal.h"

/* ---- Records ------------------------------------------------------------ */

/* Records are carved from slabs, without an allocator header each, and
 * recycled through a free list: most spawns allocate nothing. */
#define SLAB_RECORDS 64
struct mk__slab {
  struct mk__slab *next;
  struct mk__task records[SLAB_RECORDS];
};

void mk__task_free(struct mk__task *t) {
  t->id = 0; /* a stale handle copy can no longer match it */
  t->free_next = mk__s.free_tasks;
  mk__s.free_tasks = t;
}

void mk__drain_task_pool(void) {
  while (mk__s.slabs) {
    struct mk__slab *slab = mk__s.slabs;
    mk__s.slabs = slab->next;
    mk__platform_free(slab);
  }
  mk__s.free_tasks = NULL;
}

static struct mk__task *record_alloc(void) {
  if (!mk__s.free_tasks) {
    struct mk__slab *slab = mk__platform_alloc(sizeof *slab);
    if (!slab) return NULL;
    slab->next = mk__s.slabs;
    mk__s.slabs = slab;
    for (int i = SLAB_RECORDS - 1; i >= 0; i--) {
      slab->records[i].free_next = mk__s.free_tasks;
      mk__s.free_tasks = &slab->records[i];
    }
  }
  struct mk__task *t = mk__s.free_tasks;
  mk__s.free_tasks = t->free_next;
  return t;
}

mk_result mk__task_create(struct mk__task *parent, mk_task_fn fn, void *arg,
                          size_t stack, const char *name, const char *file,
                          int line, struct mk__task **out) {
  void *stack_lo;
  size_t stack_size;
  mk_result r =
      mk__stack_get(stack ? stack : MK_STACK_DEFAULT, &stack_lo, &stack_size);
  if (r != MK_OK) return r;
  struct mk__task *t = record_alloc();
  if (!t) {
    mk__stack_put(stack_lo, stack_size);
    return MK_ENOMEM;
  }
  /* Every field but the stack pointer, which mk__ctx_init gives. */
  t->next_run = NULL;
  t->state = MK__RUNNABLE;
  t->cancelled = t->shielded = t->in_finaliser = false;
  t->wake_result = MK_OK;
  t->stack_shift = (uint8_t)__builtin_ctzll((uint64_t)stack_size);
  t->line = line;
  t->suspended_on = NULL;
  t->stack_lo = stack_lo;
  t->start.fn = fn;
  t->start.arg = arg;
  t->parent = parent;
  t->children = t->sib_prev = t->sib_next = NULL;
  t->resources = NULL;
  t->orphans = NULL;
  t->orph_prev = t->orph_next = NULL;
  t->forcing = NULL;
  t->id = ++mk__s.next_id;
  t->name = name ? name : "task";
  t->file = file;
  t->sp = mk__ctx_init((char *)stack_lo + stack_size, mk__task_entry, t);
  if (parent) {
    t->sib_next = parent->children;
    if (parent->children) parent->children->sib_prev = t;
    parent->children = t;
  }
  *out = t;
  return MK_OK;
}

static void unlink_child(struct mk__task *parent, struct mk__task *t) {
  if (t->sib_prev)
    t->sib_prev->sib_next = t->sib_next;
  else
    parent->children = t->sib_next;
  if (t->sib_next) t->sib_next->sib_prev = t->sib_prev;
}

/* ---- Orphan set lists --------------------------------------------------- */

static void list_remove(struct mk__task **head, struct mk__task **tail,
                        struct mk__task *t) {
  if (t->orph_prev)
    t->orph_prev->orph_next = t->orph_next;
  else
    *head = t->orph_next;
  if (t->orph_next)
    t->orph_next->orph_prev = t->orph_prev;
  else if (tail)
    *tail = t->orph_prev;
  t->orph_prev = t->orph_next = NULL;
}

static void orphan_leave(struct mk__task *t) {
  mk_orphans *o = t->orphans;
  if (!o) return;
  if (t->state == MK__ENDED)
    list_remove(&o->mk__done, &o->mk__done_tail, t);
  else
    list_remove(&o->mk__live, NULL, t);
  o->mk__count--;
  t->orphans = NULL;
}

/* The owner of a set is the first task that uses it. */
static mk_result orphans_claim(mk_orphans *o, struct mk__task *self) {
  if (!o->mk__owner) o->mk__owner = self->id;
  return o->mk__owner == self->id ? MK_OK : MK_EOWNED;
}

/* ---- Spawning ----------------------------------------------------------- */

/* A handle refers to a live record until the child is consumed, then keeps
 * its outcome in the same place (mkernel.h). */
static void handle_fill(mk_task *h, struct mk__task *t, struct mk__task *p) {
  h->mk__parent = p->id << 1;
  h->mk__u.mk__live.rec = t;
  h->mk__u.mk__live.id = t->id;
}

static struct mk__task *handle_rec(const mk_task *h) {
  return h->mk__parent & 1 ? NULL : h->mk__u.mk__live.rec;
}

static void handle_done(mk_task *h, mk_outcome outcome) {
  h->mk__parent |= 1;
  h->mk__u.mk__done = outcome;
}

mk_result mk__spawn(mk_task *h, mk_task_fn fn, void *arg,
                    const mk_spawn_opts *opts, const char *fn_name,
                    const char *file, int line) {
  struct mk__task *self = mk__s.current, *t;
  mk_orphans *o = opts ? opts->orphans : NULL;
  if (!self || !fn || (!h && !o)) return MK_EINVAL;
  if (self->cancelled || self->in_finaliser) return MK_CANCELLED;
  mk_result r;
  if (!opts) { /* the common case */
    r = mk__task_create(self, fn, arg, 0, fn_name, file, line, &t);
  } else {
    if (opts->give_count &&
        (!opts->give ||
         !mk__resources_all_owned(self, opts->give, opts->give_count)))
      return MK_ENOTOWNER;
    if (o && orphans_claim(o, self) != MK_OK) return MK_EOWNED;
    r = mk__task_create(self, fn, arg, opts->stack_size,
                        opts->name ? opts->name : fn_name, file, line, &t);
    if (r == MK_OK && opts->give_count)
      mk__resources_give(t, opts->give, opts->give_count);
    if (r == MK_OK && o) {
      t->orphans = o;
      t->orph_next = o->mk__live;
      if (o->mk__live) o->mk__live->orph_prev = t;
      o->mk__live = t;
      o->mk__count++;
    }
  }
  if (r != MK_OK) return r;
  if (h) handle_fill(h, t, self);
  mk__runq_push(t);
  return MK_OK;
}

mk_result mk__call(mk_task *h, mk_task_fn fn, void *arg,
                   const mk_spawn_opts *opts, const char *fn_name,
                   const char *file, int line) {
  MK__UNUSED(h), MK__UNUSED(fn), MK__UNUSED(arg), MK__UNUSED(opts);
  MK__UNUSED(fn_name), MK__UNUSED(file), MK__UNUSED(line);
  return MK_ENODOMAIN; /* one CPU: there is no other domain to run on */
}

/* ---- Waiting for children ----------------------------------------------- */

/* A task waiting for a child to end is suspended on one of these, on its
 * stack: `target`, or any child if NULL. */
struct child_wait {
  mk_syscall sc;
  struct mk__task *target;
};

/* Nothing to undo when such a wait is cancelled; the function also tells a
 * child wait from other suspensions (see task_finished). */
static void child_wait_cancelled(mk_syscall *sc) { MK__UNUSED(sc); }

/* Suspends until `target` (or, if NULL, any child) ends. */
static mk_result wait_child(struct mk__task *self, struct mk__task *target) {
  struct child_wait w = {.target = target};
  mk__syscall_init(&w.sc, child_wait_cancelled, self);
  return mk__suspend_as(&w.sc, target ? "await" : "await any child");
}

static mk_result wait_ended(struct mk__task *self, struct mk__task *t) {
  while (t->state != MK__ENDED) {
    mk_result r = wait_child(self, t);
    if (r != MK_OK) return r;
  }
  return MK_OK;
}

/* Frees an ended child's record; its outcome has been copied out. */
static void release_child(struct mk__task *self, struct mk__task *t) {
  orphan_leave(t);
  unlink_child(self, t);
  mk__task_free(t);
}

static void consume(struct mk__task *self, mk_task *h) {
  struct mk__task *t = handle_rec(h);
  handle_done(h, t->outcome);
  release_child(self, t);
}

/* ---- Ending ------------------------------------------------------------- */

static void report(struct mk__task *t, const char *what, int code) {
  char buf[768];
  mk__msg m = {buf, 0, sizeof buf};
  mk__msg_str(&m, "mkernel: ");
  mk__msg_task(&m, t);
  mk__msg_str(&m, what);
  if (code == MK_ECHILDREN) {
    int shown = 0;
    struct mk__task *c = t->children;
    for (; c && shown < 8; c = c->sib_next, shown++) {
      mk__msg_str(&m, shown ? ", " : ": ");
      mk__msg_task(&m, c);
    }
    if (c) mk__msg_str(&m, ", ...");
  }
  mk__msg_str(&m, " (");
  mk__msg_str(&m, mk_result_name(code));
  mk__msg_str(&m, ")\n");
  mk__log_msg(&m);
}

/* Cancels the remaining children one by one, newest first, waiting for each
 * subtree to end. The task is shielded, so these waits are not cut short. */
static void cancel_children(struct mk__task *self) {
  /* The task's function has returned: an orphan set it declared may be gone
   * with its frame. Forget the sets without touching them. */
  for (struct mk__task *c = self->children; c; c = c->sib_next) {
    c->orphans = NULL;
    c->orph_prev = c->orph_next = NULL;
  }
  while (self->children) {
    struct mk__task *c = self->children;
    mk__cancel_request(c);
    wait_ended(self, c);
    release_child(self, c);
  }
}

/* The task has ended: tell its orphan set and its parent. Its stack is
 * freed by whatever runs next (see mk__leave_final). */
static void task_finished(struct mk__task *t) {
  mk_orphans *o = t->orphans;
  if (o) { /* move it to the set's finished list, oldest first */
    list_remove(&o->mk__live, NULL, t);
    t->orph_prev = o->mk__done_tail;
    if (o->mk__done_tail)
      o->mk__done_tail->orph_next = t;
    else
      o->mk__done = t;
    o->mk__done_tail = t;
  }
  struct mk__task *p = t->parent;
  if (p && p->state == MK__SUSPENDED &&
      p->suspended_on->on_cancel == child_wait_cancelled) {
    struct child_wait *w = (struct child_wait *)p->suspended_on;
    if (!w->target || w->target == t) mk__wake(&w->sc);
  }
}

static _Noreturn void task_end(struct mk__task *self, int result, void *value) {
  self->shielded = true;
  if (self->cancelled) result = MK_CANCELLED;
  if (self->forcing) mk__lazy_abandon(self);
  if (result == MK_OK && self->children) {
    report(self, " returned with children not awaited", MK_ECHILDREN);
    mk__fatal(result = MK_ECHILDREN);
  } else if (result == MK_OK && self->resources) {
    report(self, " returned still owning a resource", MK_ELEAK);
    mk__fatal(result = MK_ELEAK);
  }
  if (result != MK_OK) {
    value = NULL;
    mk__resources_finalise(self);
  }
  if (self->children) cancel_children(self);
  self->outcome.result = result;
  self->outcome.value = value;
  self->state = MK__ENDED;
  task_finished(self);
  mk__leave_final(self);
}

void mk__task_entry(void *arg) {
  struct mk__task *self = arg;
  mk__arrived_first();
  void *value = NULL;
  if (!self->cancelled) /* cancelled before it ever ran: it never runs */
    value = self->start.fn(self->start.arg);
  task_end(self, MK_OK, value);
}

_Noreturn void mk_fail(int code) {
  struct mk__task *self = mk__s.current;
  if (!self) {
    static const char msg[] = "mkernel: mk_fail called outside a task\n";
    mk__platform_log(msg, sizeof msg - 1);
    mk__platform_abort();
  }
  task_end(self, code == MK_OK ? MK_EUNSPEC : code, NULL);
}

/* ---- Await and cancel --------------------------------------------------- */

static mk_result check_handle(const struct mk__task *self, const mk_task *h) {
  if (!h || !h->mk__parent) return MK_EINVAL;
  if (h->mk__parent >> 1 != self->id) return MK_ENOTCHILD;
  struct mk__task *t = handle_rec(h);
  if (t && t->id != h->mk__u.mk__live.id) return MK_EINVAL; /* stale copy */
  return MK_OK;
}

static mk_result check_handles(const struct mk__task *self, const mk_task *hs,
                               size_t n) {
  if (!hs && n) return MK_EINVAL;
  for (size_t i = 0; i < n; i++) {
    mk_result r = check_handle(self, &hs[i]);
    if (r != MK_OK) return r;
  }
  return MK_OK;
}

/* Common entry of the calls below: a task, valid handles, not cancelled. */
static mk_result await_entry(struct mk__task **self, const mk_task *hs,
                             size_t n) {
  struct mk__task *t = *self = mk__s.current;
  if (!t) return MK_EINVAL;
  mk_result r = check_handles(t, hs, n);
  if (r != MK_OK) return r;
  return mk__blocking_entry(self);
}

mk_result mk_await(mk_task *h, mk_outcome *out) {
  struct mk__task *self = mk__s.current;
  if (!self) return MK_EINVAL;
  mk_result r = check_handle(self, h);
  if (r != MK_OK) return r;
  if (mk__cancellation_due(self)) return MK_CANCELLED;
  struct mk__task *t = handle_rec(h);
  if (t) {
    if ((r = wait_ended(self, t)) != MK_OK) return r;
    consume(self, h);
  }
  if (out) *out = h->mk__u.mk__done;
  return MK_OK;
}

void *mk_await_exn(mk_task *h) {
  mk_outcome o;
  mk_result r = mk_await(h, &o);
  if (r != MK_OK) mk_fail(r);
  if (o.result != MK_OK) mk_fail(o.result);
  return o.value;
}

mk_result mk_await_all(mk_task *hs, size_t n, mk_outcome *outs) {
  struct mk__task *self;
  mk_result r = await_entry(&self, hs, n);
  for (size_t i = 0; r == MK_OK && i < n; i++)
    r = mk_await(&hs[i], outs ? &outs[i] : NULL);
  return r;
}

/* Index of the task await_one/await_first returns: the first to end; among
 * several already ended, one that returned is preferred, then the PRNG
 * decides. */
static mk_result pick_first(struct mk__task *self, mk_task *hs, size_t n,
                            size_t *index) {
  for (;;) {
    size_t pending = 0, ended = 0, returned = 0;
    for (size_t i = 0; i < n; i++) {
      struct mk__task *t = handle_rec(&hs[i]);
      if (!t) continue;
      pending++;
      if (t->state == MK__ENDED) {
        ended++;
        returned += t->outcome.result == MK_OK;
      }
    }
    if (!pending) return MK_EINVAL;
    if (ended) {
      bool want_returned = returned > 0;
      size_t k = want_returned ? returned : ended;
      size_t nth = k > 1 ? (size_t)mk__random_below(k) : 0;
      for (size_t i = 0; i < n; i++) {
        struct mk__task *t = handle_rec(&hs[i]);
        if (!t || t->state != MK__ENDED) continue;
        if (want_returned && t->outcome.result != MK_OK) continue;
        if (nth-- == 0) {
          *index = i;
          return MK_OK;
        }
      }
    }
    mk_result r = wait_child(self, NULL);
    if (r != MK_OK) return r;
  }
}

static mk_result await_one(mk_task *hs, size_t n, mk_outcome *out,
                           size_t *index, bool cancel_others) {
  struct mk__task *self;
  mk_result r = await_entry(&self, hs, n);
  size_t i;
  if (r != MK_OK || (r = pick_first(self, hs, n, &i)) != MK_OK) return r;
  consume(self, &hs[i]);
  if (out) *out = hs[i].mk__u.mk__done;
  if (index) *index = i;
  if (!cancel_others) return MK_OK;

  /* The winner is chosen: cancelling the losers must complete. */
  bool was_shielded = self->shielded;
  self->shielded = true;
  for (;;) {
    struct mk__task *newest = NULL;
    size_t at = 0;
    for (size_t j = 0; j < n; j++) {
      struct mk__task *t = handle_rec(&hs[j]);
      if (t && (!newest || t->id > newest->id)) newest = t, at = j;
    }
    if (!newest) break;
    mk__cancel_request(newest);
    wait_ended(self, newest);
    newest->outcome.result = MK_CANCELLED;
    newest->outcome.value = NULL;
    consume(self, &hs[at]);
  }
  self->shielded = was_shielded;
  return MK_OK;
}

mk_result mk_await_one(mk_task *hs, size_t n, mk_outcome *out, size_t *index) {
  return await_one(hs, n, out, index, false);
}

mk_result mk_await_first(mk_task *hs, size_t n, mk_outcome *out,
                         size_t *index) {
  return await_one(hs, n, out, index, true);
}

mk_result mk_cancel(mk_task *h) {
  struct mk__task *self = mk__s.current;
  if (!self) return MK_EINVAL;
  mk_result r = check_handle(self, h);
  if (r != MK_OK) return r;
  struct mk__task *t = handle_rec(h);
  if (t) {
    /* Requested even from a cancelled caller; only the wait can be cut. */
    mk__cancel_request(t);
    if ((r = wait_ended(self, t)) != MK_OK) return r;
    consume(self, h);
  }
  handle_done(h, (mk_outcome){MK_CANCELLED, NULL});
  return MK_OK;
}

/* ---- Orphans ------------------------------------------------------------ */

static mk_result orphans_entry(mk_orphans *o, struct mk__task **self) {
  *self = mk__s.current;
  if (!*self || !o) return MK_EINVAL;
  return orphans_claim(o, *self);
}

mk_result mk_orphans_care(mk_orphans *o, mk_task *h) {
  struct mk__task *self;
  mk_result r = orphans_entry(o, &self);
  if (r != MK_OK) return r;
  if (!h) return MK_EINVAL;
  if (!o->mk__count) return MK_EMPTY;
  struct mk__task *t = o->mk__done;
  if (!t) return MK_AGAIN;
  orphan_leave(t);
  handle_fill(h, t, self);
  return MK_OK;
}

mk_result mk_orphans_take(mk_orphans *o, mk_task *h) {
  struct mk__task *self;
  mk_result r = orphans_entry(o, &self);
  if (r != MK_OK) return r;
  if (!h) return MK_EINVAL;
  struct mk__task *t = o->mk__done ? o->mk__done : o->mk__live;
  if (!t) return MK_EMPTY;
  orphan_leave(t);
  handle_fill(h, t, self);
  return MK_OK;
}

mk_result mk_orphans_get(mk_orphans *o, mk_outcome *out) {
  struct mk__task *self;
  mk_result r = orphans_entry(o, &self);
  if (r != MK_OK || (r = mk__blocking_entry(&self)) != MK_OK) return r;
  for (;;) {
    if (!o->mk__count) return MK_EMPTY;
    struct mk__task *t = o->mk__done;
    if (t) {
      if (out) *out = t->outcome;
      release_child(self, t);
      return MK_OK;
    }
    if ((r = wait_child(self, NULL)) != MK_OK) return r;
  }
}

size_t mk_orphans_length(const mk_orphans *o) { return o ? o->mk__count : 0; }
