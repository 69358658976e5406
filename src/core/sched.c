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

void mk__runq_push(struct mk__task *t) {
  t->state = MK__RUNNABLE;
  t->next_run = NULL;
  if (mk__s.run_tail)
    mk__s.run_tail->next_run = t;
  else
    mk__s.run_head = t;
  mk__s.run_tail = t;
  mk__s.run_count++;
}

static struct mk__task *runq_pop(void) {
  struct mk__task *t = mk__s.run_head;
  if (t) {
    mk__s.run_head = t->next_run;
    if (!mk__s.run_head) mk__s.run_tail = NULL;
    mk__s.run_count--;
  }
  return t;
}

/* ---- Switching ---------------------------------------------------------- */

/* Scheduler context: runs `t` until it suspends, yields or ends. */
static void run(struct mk__task *t) {
  mk__s.current = t;
  t->state = MK__RUNNING;
  mk__asan_enter_task(t);
  mk__ctx_switch(&mk__s.ctx, &t->ctx);
  mk__asan_leave_task(t);
  mk__s.current = NULL;
  /* Where memory cannot be protected, this canary is the overflow check;
   * elsewhere it backs up the guard page. */
  if (MK__UNLIKELY(!mk__stack_intact(t->stack_lo))) mk__stack_overflow(t);
  if (t->state == MK__ENDED) mk__task_reap(t);
}

void mk__to_scheduler(struct mk__task *self) {
  mk__asan_task_suspending(self, false);
  mk__ctx_switch(&self->ctx, &mk__s.ctx);
  mk__asan_task_resumed(self);
}

_Noreturn void mk__to_scheduler_final(struct mk__task *self) {
  self->state = MK__ENDED;
  mk__asan_task_suspending(self, true);
  mk__ctx_switch(&self->ctx, &mk__s.ctx);
  __builtin_unreachable();
}

/* ---- Suspension: the one way a task blocks ------------------------------ */

static bool cancellation_due(const struct mk__task *t) {
  return t->in_finaliser || (t->cancelled && !t->shielded);
}

mk_result mk__blocking_entry(struct mk__task **self) {
  struct mk__task *t = mk__s.current;
  *self = t;
  if (!t) return MK_EINVAL;
  if (cancellation_due(t)) return MK_CANCELLED;
  return MK_OK;
}

mk_result mk__suspend_as(mk_syscall *sc, const char *what) {
  struct mk__task *self = mk__s.current;
  if (!self || sc->mk__task) return MK_EINVAL;
  if (cancellation_due(self)) {
    if (sc->on_cancel) sc->on_cancel(sc);
    return MK_CANCELLED;
  }
  sc->mk__task = self;
  self->suspended_on = sc;
  self->waiting_for = what;
  self->state = MK__SUSPENDED;
  mk__to_scheduler(self);
  self->suspended_on = NULL;
  self->waiting_for = NULL;
  sc->mk__task = NULL;
  return self->wake_result;
}

void mk_syscall_init(mk_syscall *sc, void (*on_cancel)(mk_syscall *),
                     void *data) {
  sc->on_cancel = on_cancel;
  sc->data = data;
  sc->mk__task = NULL;
  sc->mk__state = 0;
}

mk_result mk_suspend(mk_syscall *sc) {
  if (!sc) return MK_EINVAL;
  return mk__suspend_as(sc, "mk_suspend");
}

mk_result mk_signal(mk_syscall *sc) {
  struct mk__task *t = sc ? sc->mk__task : NULL;
  if (!t || t->state != MK__SUSPENDED || t->suspended_on != sc)
    return MK_EINVAL;
  t->wake_result = MK_OK;
  mk__runq_push(t);
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

/* Requests cancellation of `top` and everything below it, newest first.
 * Iterative: trees can be deep. */
void mk__cancel_all(struct mk__task *top) {
  struct mk__task *t = top;
  for (;;) {
    mk__cancel_request(t);
    if (t->children) {
      t = t->children;
      continue;
    }
    while (t != top && !t->sib_next) t = t->parent;
    if (t == top) return;
    t = t->sib_next;
  }
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
  mk__s.round_left = mk__s.run_count;
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
  mk__s.round_left = mk__s.run_count;
}

static void loop(struct mk__task *root) {
  while (root->state != MK__ENDED) {
    if (mk__s.round_left == 0) between_rounds();
    struct mk__task *t = runq_pop();
    if (!t) {
      idle();
      continue;
    }
    mk__s.round_left--;
    run(t);
  }
}

/* ---- Public calls ------------------------------------------------------- */

mk_result mk_yield(void) {
  struct mk__task *self;
  mk_result r = mk__blocking_entry(&self);
  if (r != MK_OK) return r;
  mk__runq_push(self);
  mk__to_scheduler(self);
  return cancellation_due(self) ? MK_CANCELLED : MK_OK;
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
