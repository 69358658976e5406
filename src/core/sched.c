/*
 * sched.c: the run queue, switching, suspension and the event policy.
 *
 * This file decides what runs next and when the outside world is consulted.
 * Tasks live in task.c; blocking primitives (mutex, sleep, devices) are all
 * built on mk__suspend_as()/mk_signal() from here.
 */
#include "asan.h"
#include "internal.h"

mk__sched mk__s;

#define DEFAULT_SEED 0x6d6b65726e656c00ull /* "mkernel", reproducible runs */

/* ---- Run queue ---------------------------------------------------------- */

/* Takes the next task of the round, and notes when the round is over. */
static inline struct mk__task *runq_pop(void) {
  struct mk__task *t = mk__s.run_head;
  if (t) {
    mk__s.run_head = t->next_run;
    if (!mk__s.run_head) mk__s.run_tail = NULL;
    if (t == mk__s.round_last) mk__s.round_last = NULL;
  }
  return t;
}

/* A new round: every task runnable now, up to the current tail. */
static inline void new_round(void) { mk__s.round_last = mk__s.run_tail; }

/* ---- Switching ----------------------------------------------------------
 *
 * A task that stops running (queued again, suspended or ended) switches
 * straight to the next runnable task when the scheduler has no work to do
 * first; otherwise it switches to the scheduler's context, which does that
 * work (polling, waiting, hooks) on its own stack. A task that ended cannot
 * free the stack it is still running on: it leaves itself as the "zombie",
 * and whatever runs next frees that stack before anything else.
 */

static __attribute__((noinline)) void reap(struct mk__task *z) {
  mk__s.zombie = NULL;
  mk__asan_forget_stack(z->stack_lo, mk__stack_size_of(z));
  mk__stack_put(z->stack_lo, mk__stack_size_of(z));
  z->stack_lo = NULL;
}

/* Kept small: it runs after every switch, and rarely has work. */
static inline void reap_zombie(void) {
  if (MK__UNLIKELY(mk__s.zombie != NULL)) reap(mk__s.zombie);
}

/* The task to switch to directly, or NULL when the scheduler must run:
 * nothing is runnable, or a round ends and devices or timers need a look
 * (see the event policy below). */
static inline __attribute__((always_inline)) struct mk__task *
next_direct(void) {
  if (!mk__s.round_last) {
    if (mk__s.device_waiters || mk__s.ntimers) return NULL;
    new_round(); /* with nothing to do between the two */
  }
  return runq_pop();
}

/* Switches from `self`, which is not resumed if `ending`. Inlined into the
 * few callers: it is the hot path of every yield and suspension. */
static inline __attribute__((always_inline)) void leave(struct mk__task *self,
                                                        bool ending) {
  /* Where memory cannot be protected, this canary is the overflow check;
   * elsewhere it backs up the guard page. */
  if (MK__UNLIKELY(!mk__stack_intact(self->stack_lo))) mk__stack_overflow(self);
  /* AddressSanitizer's fake frames of this task, kept in this frame, which
   * stays on the task's stack while it is suspended. */
  void *fake_stack = NULL, **save = ending ? NULL : &fake_stack;
  struct mk__task *next = next_direct();
  mk__s.current = next;
  if (next == self) /* it is also the next to run: carry on */
    return;
  if (next) {
    mk__asan_switch(save, next->stack_lo, mk__stack_size_of(next));
    mk__ctx_switch(&self->sp, next->sp);
  } else {
    mk__asan_switch(save, mk__s.asan_stack_bottom, mk__s.asan_stack_size);
    mk__ctx_switch(&self->sp, mk__s.sp);
  }
  mk__asan_arrived(fake_stack);
  reap_zombie();
}

_Noreturn void mk__leave_final(struct mk__task *self) {
  mk__s.zombie = self;
  leave(self, true);
  __builtin_unreachable();
}

/* A task's first instructions, before its function runs. */
void mk__arrived_first(void) {
  mk__asan_started();
  reap_zombie();
}

/* Scheduler context: runs `t` until the tasks switch back here. */
static void run(struct mk__task *t) {
  mk__s.current = t;
  mk__asan_switch(&mk__s.asan_fake_stack, t->stack_lo, mk__stack_size_of(t));
  mk__ctx_switch(&mk__s.sp, t->sp);
  mk__asan_arrived(mk__s.asan_fake_stack);
  mk__s.current = NULL;
  reap_zombie();
}

/* ---- Suspension: the one way a task blocks ------------------------------ */

mk_result mk__blocking_entry(struct mk__task **self) {
  struct mk__task *t = mk__s.current;
  *self = t;
  if (!t) return MK_EINVAL;
  if (mk__cancellation_due(t)) return MK_CANCELLED;
  return MK_OK;
}

mk_result mk__suspend_as(mk_syscall *sc, const char *what) {
  struct mk__task *self = mk__s.current;
  if (!self || sc->mk__task) return MK_EINVAL;
  if (mk__cancellation_due(self)) {
    if (sc->on_cancel) sc->on_cancel(sc);
    return MK_CANCELLED;
  }
  sc->mk__task = self;
  sc->mk__what = what;
  self->suspended_on = sc;
  self->state = MK__SUSPENDED;
  leave(self, false);
  self->suspended_on = NULL;
  sc->mk__task = NULL;
  return self->wake_result;
}

void mk_syscall_init(mk_syscall *sc, void (*on_cancel)(mk_syscall *),
                     void *data) {
  mk__syscall_init(sc, on_cancel, data);
}

mk_result mk_suspend(mk_syscall *sc) {
  if (!sc) return MK_EINVAL;
  return mk__suspend_as(sc, "mk_suspend");
}

mk_result mk_signal(mk_syscall *sc) {
  struct mk__task *t = sc ? sc->mk__task : NULL;
  if (!t || t->state != MK__SUSPENDED || t->suspended_on != sc)
    return MK_EINVAL;
  mk__wake(sc);
  return MK_OK;
}

/* ---- Cancellation delivery ---------------------------------------------- */

void mk__cancel_request(struct mk__task *t) {
  if (t->state == MK__ENDED || t->cancelled) return;
  t->cancelled = true;
  if (t->state == MK__SUSPENDED && !t->shielded) {
    mk_syscall *sc = t->suspended_on;
    if (sc->on_cancel) sc->on_cancel(sc); /* drop its registration first */
    t->wake_result = MK_CANCELLED;
    mk__runq_push(t);
  }
}

/* Requests cancellation of `top` and everything below it, newest first. */
void mk__cancel_all(struct mk__task *top) {
  for (struct mk__task *t = top; t; t = mk__tree_next(t, top))
    mk__cancel_request(t);
}

/* A programming error ends the whole run: remember the first one and cancel
 * every task so that all of them clean up and end. */
void mk__fatal(int code) {
  if (mk__s.fatal == MK_OK) mk__s.fatal = code;
  if (mk__s.root) mk__cancel_all(mk__s.root);
}

/* ---- Time and randomness ------------------------------------------------ */

uint64_t mk__now(void) {
  return mk__s.clock ? mk__s.clock(mk__s.clock_ctx)
                     : mk__platform_clock_monotonic();
}

/* splitmix64: small, fast and good enough for tie-breaking. */
static uint64_t prng_next(void) {
  uint64_t z = (mk__s.prng += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t mk__random_below(uint64_t n) { return prng_next() % n; }

/* A deadline on the scheduler's clock, as a deadline on the platform's. */
static uint64_t platform_deadline(uint64_t deadline) {
  if (deadline == MK_FOREVER || !mk__s.clock) return deadline;
  uint64_t now = mk__now();
  if (deadline <= now) return 0;
  uint64_t left = deadline - now, pnow = mk__platform_clock_monotonic();
  return pnow > MK_FOREVER - 1 - left ? MK_FOREVER - 1 : pnow + left;
}

/* ---- The event policy --------------------------------------------------- *
 *
 * 1. Tasks run in rounds: every task that was runnable when the round began
 *    runs once, in FIFO order; tasks made runnable meanwhile wait for the
 *    next round.
 * 2. Between rounds, if some task waits on a device (a net read or a
 *    scheduled block operation), the devices are polled with a zero
 *    deadline, so frames are not starved by busy tasks. With no device
 *    waiter nothing is polled, and a yield costs no hypercall and no clock
 *    read. If tasks sleep, the clock is read and due sleepers wake.
 * 3. When nothing is runnable, the scheduler waits until the earliest
 *    sleeper's deadline or a device event (doing queued block I/O first).
 * 4. After every wait or poll, the hooks run, then readers of ready devices
 *    and due sleepers are woken.
 * 5. When nothing is runnable and nothing can make anything runnable (no
 *    sleeper, no device waiter), the run is deadlocked.
 */

static void wait_for_events(uint64_t deadline) {
  uint64_t ready =
      mk__platform_wait(platform_deadline(deadline), mk__s.net_interest);
  mk__hooks_run();
  mk__net_deliver(ready);
  if (mk__s.ntimers) mk__timers_expire(mk__now());
}

static void between_rounds(void) {
  if (mk__s.device_waiters) {
    if (mk__block_pending()) mk__block_perform_one();
    wait_for_events(0);
  } else if (mk__s.ntimers) {
    mk__timers_expire(mk__now());
  }
  new_round();
}

static void deadlock(void) {
  if (mk__s.fatal == MK_EDEADLOCK) {
    /* Cancelling every task woke nobody: cannot happen unless the core's
     * own invariants are broken. Stop rather than spin. */
    static const char msg[] = "mkernel: deadlock persists after cancelling "
                              "every task\n";
    mk__platform_log(msg, sizeof msg - 1);
    mk__platform_abort();
  }
  mk__dump_blocked(mk__s.root);
  mk__fatal(MK_EDEADLOCK);
}

/* True when a net device someone reads from has a frame. */
static bool frame_waiting(void) {
  return mk__s.net_interest && mk__platform_wait(0, mk__s.net_interest);
}

static void idle(void) {
  uint64_t next = mk__timers_next();
  if (next == MK_FOREVER && !mk__s.device_waiters) {
    deadlock();
    return;
  }
  if (mk__block_pending()) {
    /* Nothing else to do: perform queued block I/O until the next timer is
     * due or a frame arrives, then only poll. */
    do mk__block_perform_one();
    while (mk__block_pending() && !frame_waiting() && mk__now() < next);
    next = 0;
  }
  wait_for_events(next);
  new_round();
}

static void loop(struct mk__task *root) {
  while (root->state != MK__ENDED) {
    if (!mk__s.round_last) between_rounds();
    struct mk__task *t = runq_pop();
    if (t)
      run(t);
    else
      idle();
  }
}

/* ---- Public calls ------------------------------------------------------- */

mk_result mk_yield(void) {
  struct mk__task *self;
  mk_result r = mk__blocking_entry(&self);
  if (r != MK_OK) return r;
  mk__runq_push(self);
  leave(self, false);
  return mk__cancellation_due(self) ? MK_CANCELLED : MK_OK;
}

uint64_t mk_self_id(void) { return mk__s.current ? mk__s.current->id : 0; }

const char *mk_self_name(void) {
  return mk__s.current ? mk__s.current->name : "";
}

bool mk_cancelled(void) { return mk__s.current && mk__s.current->cancelled; }

uint64_t mk_clock_monotonic(void) { return mk__platform_clock_monotonic(); }
uint64_t mk_clock_wall(void) { return mk__platform_clock_wall(); }
void mk_console_write(const char *buf, size_t len) {
  mk__platform_console_write(buf, len);
}

mk_result mk_run_task(mk_task_fn root, void *arg, const mk_run_opts *opts,
                      mk_outcome *out) {
  if (mk__s.running || !root) return MK_EINVAL;
  memset(&mk__s, 0, sizeof mk__s);
  mk__s.running = true;
  mk__s.fatal = MK_OK;
  mk__s.prng = DEFAULT_SEED;
  size_t stack = 0;
  if (opts) {
    mk__s.clock = opts->clock;
    mk__s.clock_ctx = opts->clock_ctx;
    if (opts->seed) mk__s.prng = opts->seed;
    stack = opts->stack_size;
  }
  struct mk__task *t;
  mk_result r = mk__task_create(NULL, root, arg, stack, "main", NULL, 0, &t);
  if (r == MK_OK) {
    mk__s.root = t;
    mk__runq_push(t);
    loop(t);
    if (out) *out = t->outcome;
    mk__task_free(t);
    r = mk__s.fatal;
  }
  mk__timers_release();
  mk__hooks_reset();
  mk__stack_drain();
  mk__drain_task_pool();
  mk__s.running = false;
  return r;
}
