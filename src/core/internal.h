/*
 * internal.h: the core's private types and the functions its files share.
 *
 * The scheduler runs on the stack of whoever called mk_run_task() (the
 * "scheduler context"); every task has its own stack. A task that suspends,
 * yields or ends switches straight to the next runnable task when nothing
 * else is due, and to the scheduler otherwise: scheduler work (timers,
 * device polling, hooks) never runs on a task's stack. A task that ended
 * never frees the stack it is running on: whatever runs next does.
 */
#ifndef MK_CORE_INTERNAL_H
#define MK_CORE_INTERNAL_H

#include <mkernel.h>

#include "ctx.h"
#include "platform.h"

/* Freestanding: the compiler may emit these, every platform provides them. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

#define MK__UNUSED(x) ((void)(x))
#define MK__LIKELY(x) __builtin_expect(!!(x), 1)
#define MK__UNLIKELY(x) __builtin_expect(!!(x), 0)

enum mk__state {
  MK__RUNNABLE,  /* in the run queue, or running */
  MK__SUSPENDED, /* blocked on a syscall */
  MK__ENDED,     /* finished; waits to be consumed by its parent */
};

/* A task. Records come from slabs and outlive their stacks: a finished task
 * gives its stack back at once but keeps its record (and outcome) until its
 * parent consumes it. Kept small: an idle task costs its record and the
 * pages its stack uses. */
struct mk__task {
  void *sp; /* while not running: where its saved context is (ctx.h) */
  union {
    struct mk__task *next_run;  /* run queue link */
    struct mk__task *free_next; /* record pool link, once freed */
  };
  uint8_t state;       /* enum mk__state */
  bool cancelled;      /* cancellation requested */
  bool shielded;       /* in internal waits that cancellation must not
                          interrupt (ending, await_first's losers) */
  bool in_finaliser;   /* running a resource finaliser: no blocking */
  uint8_t wake_result; /* why the last suspension ended: MK_OK, MK_CANCELLED */
  uint8_t stack_shift; /* the stack is 1 << stack_shift bytes */
  int32_t line;        /* spawn site */
  mk_syscall *suspended_on; /* while MK__SUSPENDED */
  void *stack_lo;

  union {
    struct { /* until it starts */
      mk_task_fn fn;
      void *arg;
    } start;
    mk_outcome outcome; /* once it has ended */
  };

  /* The tree. Children are listed newest first. */
  struct mk__task *parent;
  struct mk__task *children;
  struct mk__task *sib_prev, *sib_next;

  mk_resource *resources; /* owned, newest first */
  mk_orphans *orphans;    /* the set it belongs to, if any */
  struct mk__task *orph_prev, *orph_next;
  mk_lazy *forcing; /* innermost lazy value it is forcing */

  uint64_t id;
  const char *name;
  const char *file;
};

static inline size_t mk__stack_size_of(const struct mk__task *t) {
  return (size_t)1 << t->stack_shift;
}

/* True when a blocking call of `t` must fail with MK_CANCELLED: it was
 * cancelled and is not in a shielded wait, or it runs a finaliser. The
 * common case (neither flag) costs one test. */
static inline bool mk__cancellation_due(const struct mk__task *t) {
  return MK__UNLIKELY(t->cancelled | t->in_finaliser) &&
         (t->in_finaliser || !t->shielded);
}

/* The task after `t` in a walk of the tree below `top` (parents before
 * children, newest child first), or NULL at the end. Iterative: trees can
 * be deep. */
static inline struct mk__task *mk__tree_next(struct mk__task *t,
                                             struct mk__task *top) {
  if (t->children) return t->children;
  while (t != top && !t->sib_next) t = t->parent;
  return t == top ? NULL : t->sib_next;
}

/* A task waiting in a queue (mutex, condition, lazy): lives on its stack. */
struct mk__waiter {
  struct mk__waiter *prev, *next;
  struct mk__task *task;
  mk_syscall sc;
  bool signalled;
};

struct mk__sleeper;
typedef struct mk__timer {
  uint64_t deadline;
  struct mk__sleeper *sleeper;
} mk__timer;

typedef struct mk__sched {
  bool running;
  void *sp; /* the scheduler's own context, while a task runs */
  struct mk__task *current;
  struct mk__task *root;
  struct mk__task *zombie; /* ended; its stack is freed by whoever runs next */

  /* Run queue: FIFO, O(1) at both ends. */
  struct mk__task *run_head, *run_tail;
  /* The last task of the current round, NULL between rounds (sched.c). */
  struct mk__task *round_last;

  /* Timers: binary min-heap keyed by (deadline, seq). */
  mk__timer *timers;
  size_t ntimers, timers_cap;
  uint64_t timer_seq;

  /* Waits on devices (net reads, scheduled block I/O); the event policy
   * polls only while this is non-zero. */
  size_t device_waiters;
  mk_net *nets[64];      /* by handle */
  uint64_t net_interest; /* handles with a reader waiting */
  struct mk__block_request *block_head, *block_tail; /* scheduled I/O */

  mk_hook *hooks;
  mk_hook *hook_cursor; /* next hook to run, kept valid across removals */

  uint64_t (*clock)(void *ctx);
  void *clock_ctx;
  uint64_t prng;

  uint64_t next_id;
  struct mk__task *free_tasks; /* record pool */
  struct mk__slab *slabs;      /* where the records come from */

  int fatal;           /* first programming error that ends the run, or MK_OK */
  bool stacks_guarded; /* the platform puts a guard page below each stack */

  /* AddressSanitizer: the scheduler stack, learnt on the first switch. */
  const void *asan_stack_bottom;
  size_t asan_stack_size;
  void *asan_fake_stack; /* the scheduler's, while a task runs */
} mk__sched;

extern mk__sched mk__s;

/* sched.c */
static inline void mk__runq_push(struct mk__task *t) {
  t->state = MK__RUNNABLE;
  t->next_run = NULL;
  if (mk__s.run_tail)
    mk__s.run_tail->next_run = t;
  else
    mk__s.run_head = t;
  mk__s.run_tail = t;
}

static inline void
mk__syscall_init(mk_syscall *sc, void (*on_cancel)(mk_syscall *), void *data) {
  sc->on_cancel = on_cancel;
  sc->data = data;
  sc->mk__task = NULL;
  sc->mk__what = NULL;
}

/* mk_signal for the core's own queues, whose members are always suspended
 * on the syscall that queued them (a cancelled one leaves its queue). */
static inline void mk__wake(mk_syscall *sc) {
  struct mk__task *t = sc->mk__task;
  t->wake_result = MK_OK;
  mk__runq_push(t);
}
mk_result mk__blocking_entry(struct mk__task **self);
mk_result mk__suspend_as(mk_syscall *sc, const char *what);
_Noreturn void mk__leave_final(struct mk__task *self);
void mk__arrived_first(void);
void mk__cancel_request(struct mk__task *t);
void mk__cancel_all(struct mk__task *t);
void mk__fatal(int code);
uint64_t mk__now(void);
uint64_t mk__random_below(uint64_t n);

/* task.c */
mk_result mk__task_create(struct mk__task *parent, mk_task_fn fn, void *arg,
                          size_t stack, const char *name, const char *file,
                          int line, struct mk__task **out);
void mk__task_free(struct mk__task *t);
void mk__task_entry(void *task);
void mk__drain_task_pool(void);

/* own.c */
void mk__resources_finalise(struct mk__task *t);
bool mk__resources_all_owned(struct mk__task *self, mk_resource *const *rs,
                             size_t n);
void mk__resources_give(struct mk__task *to, mk_resource *const *rs, size_t n);

/* sync.c */
void mk__lazy_abandon(struct mk__task *t);
void mk__waitq_push(mk__waitq *q, struct mk__waiter *w);
void mk__waitq_remove(mk__waitq *q, struct mk__waiter *w);
struct mk__waiter *mk__waitq_pop(mk__waitq *q);

/* net.c */
void mk__net_deliver(uint64_t ready);
mk_result mk__net_create(const char *name, mk_net **out);
void mk__net_destroy(mk_net *n);

/* block.c */
bool mk__block_pending(void);
void mk__block_perform_one(void);
mk_result mk__block_create(const char *name, mk_block **out);
void mk__block_destroy(mk_block *b);

/* timer.c */
uint64_t mk__timers_next(void);
void mk__timers_expire(uint64_t now);
void mk__timers_release(void);

/* hook.c */
void mk__hooks_run(void);
void mk__hooks_reset(void);

/* stack.c */
mk_result mk__stack_get(size_t request, void **lo, size_t *size);
void mk__stack_put(void *lo, size_t size);
/* The word at the bottom of every stack, checked at each switch. */
static inline uint64_t mk__stack_canary(const void *lo) {
  return 0x216c656e72656b6dull /* "mkernel!" */ ^ (uint64_t)(uintptr_t)lo;
}
/* True unless the canary of a stack without a guard page was overwritten. */
static inline bool mk__stack_intact(const void *lo) {
  return mk__s.stacks_guarded || *(const uint64_t *)lo == mk__stack_canary(lo);
}
void mk__stack_drain(void);
_Noreturn void mk__stack_overflow(const struct mk__task *t);

/* diag.c: a tiny message builder (the core has no printf). */
typedef struct mk__msg {
  char *buf;
  size_t len, cap;
} mk__msg;
void mk__msg_str(mk__msg *m, const char *s);
void mk__msg_u64(mk__msg *m, uint64_t v);
void mk__msg_task(mk__msg *m, const struct mk__task *t);
void mk__log_msg(const mk__msg *m);
void mk__dump_blocked(struct mk__task *root);

#endif
