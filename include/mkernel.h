/*
 * mkernel.h: the contract of mkernel, a library for single-CPU unikernels.
 *
 * This header is the specification. Every platform (hosted Linux process,
 * Solo5, and the test platform) is written and reviewed against it. Each call
 * says what it takes, what it returns, whether it *blocks* (lets other tasks
 * run) and what the caller may rely on.
 *
 * The scheduler has the semantics of the OCaml scheduler Miou, in C:
 * cooperative tasks on one CPU, structured concurrency (a task may not end
 * with live children), cancellation that reaches children, resources with
 * finalisers, orphans, mutexes and conditions, sleep on a timer heap.
 *
 * Conventions used throughout:
 *
 * - Errors are values. Calls that can fail return an `mk_result`; there is no
 *   errno. `mk_result_name()` names every code.
 * - Time is `uint64_t` nanoseconds. Deadlines are absolute values of the
 *   monotonic clock; `MK_FOREVER` is "never".
 * - A *blocking* call may suspend the calling task and run others. Only the
 *   calls documented as blocking do so; everything else runs to completion
 *   without a scheduling point (unlike Miou, where every call is one).
 * - Cancellation is delivered at blocking calls: in a cancelled task every
 *   blocking call returns MK_CANCELLED at once, and keeps doing so, so that
 *   ordinary C cleanup code runs and the task returns.
 * - Objects the caller allocates (task handles, mutexes, conditions,
 *   resources, orphans, syscalls, hooks) are plain structs whose fields are
 *   private; initialise them with the given initialiser or init function.
 * - Names starting with `mk__` are private to the library.
 */
#ifndef MKERNEL_H
#define MKERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------ */

/* The one list of result codes; the enum and mk_result_name() both come from
 * it. Values are stable and small; applications may fail tasks with their own
 * codes from MK_USER upwards. */
#define MK_RESULTS(X)                                                          \
  X(MK_OK, "ok")                                                               \
  X(MK_AGAIN, "try again")                                                     \
  X(MK_EINVAL, "invalid argument")                                             \
  X(MK_CANCELLED, "cancelled")                                                 \
  X(MK_ENOTCHILD, "not a child")                                               \
  X(MK_ENODOMAIN, "no domain available")                                       \
  X(MK_ENOTOWNER, "not owner")                                                 \
  X(MK_EOWNED, "owned by another task")                                        \
  X(MK_EMUTEX, "mutex misuse")                                                 \
  X(MK_ENOMEM, "no memory")                                                    \
  X(MK_ENODEV, "no such device")                                               \
  X(MK_EDEADLOCK, "deadlock")                                                  \
  X(MK_ECHILDREN, "still has children")                                        \
  X(MK_ELEAK, "resource leaked")                                               \
  X(MK_EMPTY, "empty")                                                         \
  X(MK_EUNSPEC, "unspecified error")

typedef enum mk_result {
#define MK__RESULT_ENUM(code, text) code,
  MK_RESULTS(MK__RESULT_ENUM)
#undef MK__RESULT_ENUM
      MK_USER = 1000 /* first code free for applications (see mk_fail) */
} mk_result;

/* The text of a code ("invalid argument"); "application error" for codes at
 * or above MK_USER, "unknown result" otherwise. Never NULL. */
const char *mk_result_name(int code);

/* ------------------------------------------------------------------------
 * Time
 * ------------------------------------------------------------------------ */

#define MK_FOREVER UINT64_MAX
#define MK_MSEC(n) ((uint64_t)(n)*1000000u)
#define MK_SEC(n) ((uint64_t)(n)*1000000000u)

/* Nanoseconds since an unspecified point in the past; never goes back. Not
 * blocking. Unaffected by mk_run_opts.clock (which only drives sleeps). */
uint64_t mk_clock_monotonic(void);

/* Nanoseconds since the UNIX epoch, UTC, from the host. Not blocking. */
uint64_t mk_clock_wall(void);

/* Writes `len` bytes to the console (stdout on the hosted platform). Best
 * effort, like solo5_console_write(). Not blocking. */
void mk_console_write(const char *buf, size_t len);

/* ------------------------------------------------------------------------
 * Tasks
 * ------------------------------------------------------------------------ */

struct mk__task;

/* How a task ended. `result` is MK_OK when the task returned `value`,
 * MK_CANCELLED when it was cancelled (or failed with MK_CANCELLED, which is
 * the same thing, as in Miou), and otherwise the code it failed with. */
typedef struct mk_outcome {
  int result;
  void *value;
} mk_outcome;

/* A handle on a child task, filled in by mk_async() and friends. The parent
 * keeps it to await or cancel the child. Once the child has been consumed
 * (awaited, cancelled, picked by await_one/await_first) the handle keeps the
 * outcome, so awaiting again gives the same answer, and the library's own
 * record of the task is freed: memory stays flat however many tasks a
 * long-lived task spawns. Do not copy a handle before it is consumed: a copy
 * is stale afterwards (using it returns MK_EINVAL). */
typedef struct mk_task {
  uint64_t mk__parent; /* the parent's id times two, plus one once consumed;
                          0: never filled in */
  union {
    struct {
      struct mk__task *rec;
      uint64_t id;
    } mk__live;          /* until consumed */
    mk_outcome mk__done; /* once consumed */
  } mk__u;
} mk_task;

typedef void *(*mk_task_fn)(void *arg);

typedef struct mk_orphans mk_orphans;
typedef struct mk_resource mk_resource;

/* Stack sizes. A stack is rounded up to a power of two, at least
 * MK_STACK_MIN. The default suits ordinary C code including a printf; a task
 * that only waits and computes little can use MK_STACK_MIN. Overflowing a
 * stack is always detected (guard page on the hosted platform, a canary
 * checked at every switch elsewhere) and ends the run naming the task. */
#define MK_STACK_MIN ((size_t)4096)
#ifndef MK_STACK_DEFAULT
#define MK_STACK_DEFAULT ((size_t)65536)
#endif

/* Options for mk_async_with(); zero means default for every field. */
typedef struct mk_spawn_opts {
  const char *name;         /* for diagnostics; default: the function's name */
  size_t stack_size;        /* 0: MK_STACK_DEFAULT */
  mk_orphans *orphans;      /* make the child a member of this orphan set */
  mk_resource *const *give; /* resources handed to the child at spawn */
  size_t give_count;
} mk_spawn_opts;

/* Spawns a child of the calling task that runs fn(arg). The child goes to the
 * tail of the run queue; the caller keeps running (not blocking). `*task`
 * receives the handle; it may be NULL only for an orphan (opts->orphans).
 *
 * Returns MK_OK; MK_EINVAL outside a task, with fn NULL, or with task NULL
 * and no orphans; MK_CANCELLED if the caller is cancelled (a cancelled task
 * may not start new work); MK_EOWNED if the orphan set belongs to another
 * task; MK_ENOTOWNER if a resource to give is not owned by the caller;
 * MK_ENOMEM. On error nothing was spawned and nothing changed hands.
 *
 * The spawn site (file:line) is recorded for diagnostics. */
#define mk_async(task, fn, arg)                                                \
  mk__spawn((task), (fn), (arg), NULL, #fn, __FILE__, __LINE__)
#define mk_async_with(task, fn, arg, opts)                                     \
  mk__spawn((task), (fn), (arg), (opts), #fn, __FILE__, __LINE__)

/* Miou's `call` runs a task on another domain (CPU). A unikernel has one CPU,
 * so this always returns MK_ENODOMAIN and spawns nothing. */
#define mk_call(task, fn, arg)                                                 \
  mk__call((task), (fn), (arg), NULL, #fn, __FILE__, __LINE__)

mk_result mk__spawn(mk_task *task, mk_task_fn fn, void *arg,
                    const mk_spawn_opts *opts, const char *fn_name,
                    const char *file, int line);
mk_result mk__call(mk_task *task, mk_task_fn fn, void *arg,
                   const mk_spawn_opts *opts, const char *fn_name,
                   const char *file, int line);

/* Ends the calling task at once with failure `code`, like pthread_exit():
 * the task's C code does not continue and its stack is not unwound. Its
 * resources are finalised (newest first), then its remaining children are
 * cancelled (newest first), then its parent sees the failure. A code of
 * MK_OK is turned into MK_EUNSPEC; MK_CANCELLED makes the outcome
 * "cancelled". Outside a task it aborts the program. */
_Noreturn void mk_fail(int code);

/* Blocking. Waits for child `task` to end and stores its outcome in `*out`
 * (out may be NULL). Consumes the child. Calling it again returns the same
 * outcome. Does not suspend if the child has already ended.
 * Returns MK_OK; MK_ENOTCHILD if `task` is not a child of the caller;
 * MK_EINVAL for a stale copy of a handle or outside a task; MK_CANCELLED if
 * the caller was cancelled (the child is left alone). */
mk_result mk_await(mk_task *task, mk_outcome *out);

/* Blocking. Like mk_await() but returns the child's value directly. If the
 * child failed or was cancelled, or mk_await() itself fails, the caller
 * fails with that code (see mk_fail): the failure propagates up the tree
 * like an exception in Miou. */
void *mk_await_exn(mk_task *task);

/* Blocking. Awaits every task of `tasks[0..n)` (all must be children of the
 * caller, checked before waiting), even after some fail; outs[i] receives
 * the outcome of tasks[i] (outs may be NULL). Returns MK_OK, MK_ENOTCHILD,
 * MK_EINVAL, or MK_CANCELLED if the caller was cancelled (tasks not yet
 * ended stay unconsumed). */
mk_result mk_await_all(mk_task *tasks, size_t n, mk_outcome *outs);

/* Blocking. Waits for the first of `tasks[0..n)` to end, consumes it and
 * stores its outcome; `*index` (may be NULL) receives its position. The
 * others are left to the caller. When several have already ended, one that
 * returned is preferred to one that failed; remaining ties are broken by the
 * run's PRNG (see mk_run_opts.seed). Tasks already consumed are skipped.
 * Returns MK_OK, MK_EINVAL (n == 0, nothing left to wait for, stale handle),
 * MK_ENOTCHILD, MK_CANCELLED. */
mk_result mk_await_one(mk_task *tasks, size_t n, mk_outcome *out,
                       size_t *index);

/* Blocking. Like mk_await_one(), then cancels every other task of the list
 * (newest first) and waits until they have all ended, so their cleanup has
 * run when this returns; they are consumed with outcome "cancelled". Once a
 * winner is chosen, cancelling the losers is not interrupted by a
 * cancellation of the caller. */
mk_result mk_await_first(mk_task *tasks, size_t n, mk_outcome *out,
                         size_t *index);

/* Blocking. Cancels child `task` and, through it, its whole subtree, and
 * returns once all of it has ended; other tasks may run meanwhile. Afterwards
 * the child is consumed and its outcome is "cancelled", even if it had
 * already returned. A child that never ran never runs. A running child sees
 * MK_CANCELLED from its current or next blocking call; when it ends, its
 * resources are finalised and then its own children are cancelled, newest
 * first. Returns MK_OK, MK_ENOTCHILD, MK_EINVAL, or MK_CANCELLED if the
 * caller was itself cancelled while waiting (the child then ends when the
 * caller does). */
mk_result mk_cancel(mk_task *task);

/* Blocking. Puts the caller at the tail of the run queue and runs the others.
 * Returns MK_OK, or MK_CANCELLED at once in a cancelled task. */
mk_result mk_yield(void);

/* Identity of the calling task, for diagnostics: a run-unique id (0 outside
 * any task) and its name ("" outside any task). Not blocking. */
uint64_t mk_self_id(void);
const char *mk_self_name(void);

/* True when the calling task has been cancelled. Not blocking. */
bool mk_cancelled(void);

/* ------------------------------------------------------------------------
 * Orphans: background children collected later (Miou's orphans)
 * ------------------------------------------------------------------------ */

/* An orphan set belongs to the first task that uses it (spawns into it or
 * collects from it); using it from another task returns MK_EOWNED. Members
 * are still children of that task and must be collected before it returns.
 * The set may live in the owner's stack frame: when the owner ends, the
 * library forgets it without touching it. */
struct mk_orphans {
  uint64_t mk__owner;                        /* id of the owning task */
  struct mk__task *mk__live;                 /* members still running */
  struct mk__task *mk__done, *mk__done_tail; /* ended, oldest first */
  size_t mk__count;
};
#define MK_ORPHANS_INIT                                                        \
  { 0, 0, 0, 0, 0 }

/* Not blocking. If a member has ended, removes it from the set and fills
 * `*task` with a handle to await: MK_OK. Members remain but none has ended:
 * MK_AGAIN. No member: MK_EMPTY. */
mk_result mk_orphans_care(mk_orphans *set, mk_task *task);

/* Not blocking. Removes any member (ended or not) and hands it to the caller
 * as an ordinary child (`*task`): MK_OK, or MK_EMPTY. */
mk_result mk_orphans_take(mk_orphans *set, mk_task *task);

/* Blocking. Waits for a member to end, consumes it and returns its outcome:
 * MK_OK, MK_EMPTY if there is no member, MK_CANCELLED. */
mk_result mk_orphans_get(mk_orphans *set, mk_outcome *out);

/* Number of members. Not blocking. */
size_t mk_orphans_length(const mk_orphans *set);

/* ------------------------------------------------------------------------
 * Ownership: resources with finalisers (Miou's Ownership)
 * ------------------------------------------------------------------------ */

/* A resource is a value with a finaliser, owned by at most one task. When a
 * task fails or is cancelled, the finalisers of what it owns run, newest
 * first, before its children are cancelled. A task that returns normally
 * still owning a resource is a programming error: the finaliser runs and the
 * run ends with MK_ELEAK. A finaliser must not block (blocking calls return
 * MK_CANCELLED inside it). The mk_resource must stay valid while it is owned
 * (so not in the frame of a function that returns while owning it). */
struct mk_resource {
  void *value;
  void (*finally)(void *value);
  struct mk__task *mk__owner;
  struct mk_resource *mk__prev, *mk__next;
};
#define MK_RESOURCE_INIT(value, finally)                                       \
  { (value), (finally), 0, 0, 0 }

/* The caller becomes the owner. MK_OK; MK_EINVAL if it already owns it (or
 * outside a task); MK_EOWNED if another task owns it. */
mk_result mk_own(mk_resource *r);
/* The caller gives it up without running the finaliser (it released the
 * resource itself). MK_OK or MK_ENOTOWNER. */
mk_result mk_disown(mk_resource *r);
/* Runs the finaliser now and gives the resource up. MK_OK or MK_ENOTOWNER. */
mk_result mk_release(mk_resource *r);
/* Hands the resource to the caller's parent. MK_OK; MK_ENOTOWNER; MK_EINVAL
 * in the root task, which has no parent. */
mk_result mk_transfer(mk_resource *r);
/* MK_OK if the caller owns it, MK_ENOTOWNER otherwise. */
mk_result mk_check(const mk_resource *r);

/* ------------------------------------------------------------------------
 * Mutex and condition
 * ------------------------------------------------------------------------ */

typedef struct mk__waitq {
  struct mk__waiter *head, *tail;
} mk__waitq;

/* A mutex hands itself to the oldest waiter on unlock (FIFO, no barging). */
typedef struct mk_mutex {
  struct mk__task *mk__owner;
  mk__waitq mk__waiters;
} mk_mutex;
#define MK_MUTEX_INIT                                                          \
  {                                                                            \
    0, { 0, 0 }                                                                \
  }

/* Blocking. MK_OK once the caller holds the mutex; MK_EMUTEX if it already
 * holds it; MK_CANCELLED (not held). */
mk_result mk_mutex_lock(mk_mutex *m);
/* Not blocking. Locks and returns true if the mutex was free; false
 * otherwise (including when the caller already holds it). */
bool mk_mutex_try_lock(mk_mutex *m);
/* Not blocking. MK_OK; MK_EMUTEX if the mutex is not locked or is held by
 * another task. */
mk_result mk_mutex_unlock(mk_mutex *m);

typedef struct mk_condition {
  mk__waitq mk__waiters;
} mk_condition;
#define MK_CONDITION_INIT                                                      \
  {                                                                            \
    { 0, 0 }                                                                   \
  }

/* Blocking. The caller must hold `m`. Releases `m`, waits for a signal and
 * re-acquires `m`. Returns MK_OK with `m` held; MK_EMUTEX (nothing changed)
 * if the caller does not hold `m`; MK_CANCELLED with `m` released and not
 * re-acquired, as Miou does (a cancelled task must not wait for it). A waiter
 * cancelled after being signalled passes the wake-up on to the next waiter,
 * so no signal is lost. */
mk_result mk_condition_wait(mk_condition *c, mk_mutex *m);
/* Not blocking. Wakes the oldest waiter, if any. */
void mk_condition_signal(mk_condition *c);
/* Not blocking. Wakes every waiter, oldest first. */
void mk_condition_broadcast(mk_condition *c);

/* ------------------------------------------------------------------------
 * Lazy values
 * ------------------------------------------------------------------------ */

/* A value computed once, by the first task that forces it. `fn` may block.
 * If `fn` returns an error other than MK_CANCELLED, that error is the lazy
 * value's answer forever. If the forcing task is cancelled (fn returns
 * MK_CANCELLED, or the task fails while forcing), the lazy value goes back to
 * unforced and the next forcer computes it. */
typedef struct mk_lazy {
  mk_result (*fn)(void *ctx, void **value);
  void *ctx;
  int mk__state;
  int mk__result;
  void *mk__value;
  struct mk__task *mk__forcer;
  struct mk_lazy *mk__outer; /* lazy the forcer was forcing before this one */
  mk__waitq mk__waiters;
} mk_lazy;
#define MK_LAZY_INIT(fn, ctx)                                                  \
  {                                                                            \
    (fn), (ctx), 0, 0, 0, 0, 0, { 0, 0 }                                       \
  }

/* Blocking. Stores the value in `*value`: MK_OK; fn's error; MK_EINVAL if
 * the caller is the one already forcing it (a self-referential lazy);
 * MK_CANCELLED. Concurrent forcers wait for the first. */
mk_result mk_lazy_force(mk_lazy *l, void **value);

/* ------------------------------------------------------------------------
 * Sleep
 * ------------------------------------------------------------------------ */

/* Blocking. Suspends the caller until `ns` nanoseconds have passed on the
 * scheduler's clock. Sleepers wake in deadline order, FIFO among equal
 * deadlines. A deadline past the end of time saturates. MK_OK or
 * MK_CANCELLED. */
mk_result mk_sleep(uint64_t ns);
/* Blocking. Same with an absolute deadline; a deadline already passed still
 * goes through the timer queue (other due tasks may run first). */
mk_result mk_sleep_until(uint64_t deadline);

/* ------------------------------------------------------------------------
 * Extension point: suspend until signalled (Miou's syscall/suspend/signal)
 * ------------------------------------------------------------------------ */

/* Code outside the core (a device, a network stack) suspends a task on a
 * syscall and signals it later. The usual shape:
 *
 *   mk_syscall_init(&sc, unregister);   // unregister(sc) undoes step 2
 *   register_somewhere(&sc);            // where the signaller will find it
 *   r = mk_suspend(&sc);                // MK_OK once mk_signal(&sc)
 *
 * If the task is cancelled while suspended (or already cancelled when it
 * calls mk_suspend), `on_cancel(sc)` is called first, so the registration is
 * removed and no later event is delivered to a task that is gone; then
 * mk_suspend returns MK_CANCELLED. on_cancel must not block. */
typedef struct mk_syscall mk_syscall;
struct mk_syscall {
  void (*on_cancel)(mk_syscall *sc);
  void *data; /* free for the user */
  struct mk__task *mk__task;
  const char *mk__what; /* what the task is blocked in, for diagnostics */
};

void mk_syscall_init(mk_syscall *sc, void (*on_cancel)(mk_syscall *sc),
                     void *data);
/* Blocking. MK_OK when signalled; MK_CANCELLED; MK_EINVAL outside a task or
 * if the syscall is already in use. */
mk_result mk_suspend(mk_syscall *sc);
/* Not blocking; may be called from a task, a hook or device code. Makes the
 * suspended task runnable (at the tail of the run queue); its mk_suspend
 * returns MK_OK. MK_EINVAL if no task is suspended on `sc`. */
mk_result mk_signal(mk_syscall *sc);

/* ------------------------------------------------------------------------
 * Hooks: run after every wait for external events
 * ------------------------------------------------------------------------ */

/* A hook runs after each time the scheduler waits for (or polls) external
 * events. It runs outside any task: it must not block (blocking calls return
 * MK_EINVAL there) but it may signal syscalls and add or remove hooks. */
typedef struct mk_hook {
  void (*fn)(void *ctx);
  void *ctx;
  struct mk_hook *mk__prev, *mk__next;
  bool mk__added;
} mk_hook;

/* MK_OK; MK_EINVAL if fn is NULL, the hook is already added, or no run is
 * under way (hooks belong to a run and are forgotten when it ends). */
mk_result mk_hook_add(mk_hook *h, void (*fn)(void *ctx), void *ctx);
/* MK_OK; MK_EINVAL if the hook is not added. */
mk_result mk_hook_remove(mk_hook *h);

/* ------------------------------------------------------------------------
 * Running the scheduler
 * ------------------------------------------------------------------------ */

/* Options for mk_run_task(); zero means default for every field. */
typedef struct mk_run_opts {
  /* The scheduler's clock for sleeps and timers (Miou/mkernel `?now`);
   * NULL: the platform's monotonic clock. */
  uint64_t (*clock)(void *ctx);
  void *clock_ctx;
  /* Seed of the run's PRNG (await_one/await_first ties); 0: a fixed default,
   * so runs are reproducible. */
  uint64_t seed;
  /* Stack size of the root task; 0: MK_STACK_DEFAULT. */
  size_t stack_size;
} mk_run_opts;

/* Runs `root(arg)` as the root task until it ends, and everything it spawns.
 * Not reentrant: MK_EINVAL when called from inside a run.
 *
 * Returns MK_OK with the root's outcome in `*out` (may be NULL) when the run
 * ended normally, whatever the root's outcome. Otherwise the run was ended
 * by a programming error, after a message naming the task and its spawn site
 * (file:line) went to the console and every task was cancelled and cleaned
 * up:
 *   MK_ECHILDREN  a task returned with children not awaited or cancelled
 *   MK_ELEAK      a task returned still owning a resource
 *   MK_EDEADLOCK  the root is blocked and nothing can wake any task (no
 *                 runnable task, no sleeper, no device wait); the message
 *                 lists every blocked task and what it waits on
 *   MK_ENOMEM     the root task could not be created
 * A stack overflow is not returned: it aborts the program (exit code 255)
 * after naming the task. */
mk_result mk_run_task(mk_task_fn root, void *arg, const mk_run_opts *opts,
                      mk_outcome *out);

/* ------------------------------------------------------------------------
 * Net devices: Ethernet frames on a TAP interface
 * ------------------------------------------------------------------------ */

#define MK_NET_ALEN 6  /* bytes in a MAC address */
#define MK_NET_HLEN 14 /* Ethernet header: destination, source, type */

typedef struct mk_net mk_net;

typedef struct mk_net_info {
  uint8_t mac[MK_NET_ALEN];
  size_t mtu; /* largest payload, not counting the Ethernet header */
} mk_net_info;

typedef struct mk_net_stats {
  uint64_t frames_in, bytes_in;   /* frames handed to readers */
  uint64_t frames_out, bytes_out; /* frames written */
  uint64_t drops_in;  /* frames the device discarded: larger than the MTU */
  uint64_t drops_out; /* frames the host could not send (dropped, as Solo5) */
} mk_net_stats;

/* The device's name (as given to mk_net / --net:NAME), MAC and MTU. */
const char *mk_net_name(const mk_net *n);
const mk_net_info *mk_net_get_info(const mk_net *n);
void mk_net_get_stats(const mk_net *n, mk_net_stats *out);

/* Blocking. Reads one frame (Ethernet header included) into buf[0..size)
 * and stores its length in *len. Tries the device once; if no frame is
 * there the task is suspended until the device has one (other tasks run).
 * When several tasks read one device, every reader is woken when a frame
 * arrives and the first to run gets it. A frame larger than `size` is not
 * truncated: MK_EINVAL is returned and the frame stays, to be read with a
 * buffer of at least mtu + MK_NET_HLEN bytes. MK_OK; MK_EINVAL;
 * MK_CANCELLED. */
mk_result mk_net_read(mk_net *n, void *buf, size_t size, size_t *len);

/* Not blocking: writes one frame at once and never lets another task run.
 * `len` must be in [MK_NET_HLEN, mtu + MK_NET_HLEN], else MK_EINVAL and
 * nothing is sent. MK_OK (including when the host drops the frame, as a
 * real link may: see drops_out). */
mk_result mk_net_write(mk_net *n, const void *frame, size_t len);

/* Not blocking. Like mk_net_write, but `fill(frame, size, ctx)` writes the
 * frame in place into a device buffer of `size` = mtu + MK_NET_HLEN bytes and
 * returns its length; a length of 0 sends nothing. MK_EINVAL if the length
 * is out of range as for mk_net_write. */
mk_result mk_net_write_into(mk_net *n,
                            size_t (*fill)(uint8_t *frame, size_t size,
                                           void *ctx),
                            void *ctx);

/* ------------------------------------------------------------------------
 * Block devices: a page-addressed file
 * ------------------------------------------------------------------------ */

typedef struct mk_block mk_block;

const char *mk_block_name(const mk_block *b);
/* The page (sector) size: a power of two, 512 to 32768. */
size_t mk_block_page_size(const mk_block *b);
/* The device's length in bytes, a multiple of the page size. */
uint64_t mk_block_length(const mk_block *b);

/* Every read and write takes a byte offset that is a multiple of the page
 * size and a length that is a positive multiple of it, within the device;
 * otherwise MK_EINVAL is returned before any I/O. Several pages may be
 * transferred at once. */

/* Not blocking: the I/O is done at once and no other task runs meanwhile.
 * MK_OK, MK_EINVAL, MK_EUNSPEC (host I/O error). */
mk_result mk_block_atomic_read(mk_block *b, uint64_t off, void *buf,
                               size_t len);
mk_result mk_block_atomic_write(mk_block *b, uint64_t off, const void *buf,
                                size_t len);

/* Blocking (scheduled): the request is queued and the task suspended; the
 * scheduler performs one queued request each time it checks for events
 * while tasks are busy, and as many as fit while it is otherwise idle
 * waiting for a timer or a frame. A request cancelled before it is performed
 * is never performed. MK_OK, MK_EINVAL, MK_EUNSPEC, MK_CANCELLED. */
mk_result mk_block_read(mk_block *b, uint64_t off, void *buf, size_t len);
mk_result mk_block_write(mk_block *b, uint64_t off, const void *buf,
                         size_t len);

/* Not blocking: makes completed writes durable on the host (fsync).
 * MK_OK or MK_EUNSPEC. */
mk_result mk_block_flush(mk_block *b);

/* ------------------------------------------------------------------------
 * The unikernel: devices and entry point
 * ------------------------------------------------------------------------ */

/* The application provides mk_main(); the library owns the platform's real
 * entry point (a process's main(), Solo5's solo5_app_main), separates the
 * tender's options from the unikernel's own arguments and calls mk_main with
 * the latter (argv[0] is the program's name). The same source therefore
 * builds for every platform. Its return value is the exit status. */
int mk_main(int argc, char **argv);

/* A device argument of mk_run, written with the initialisers below:
 *
 *   static const mk_arg stack_args[] = {MK_NET("service")};
 *   static const mk_arg devices[] = {
 *       MK_BLOCK("disk"),
 *       MK_MAP(tcpip_of_net, NULL, stack_args, 1),
 *       MK_CONST(&config),
 *   };
 */
typedef enum mk_arg_kind {
  MK_ARG_NET = 1, /* value: mk_net *, see mk_net_get_info for MAC and MTU */
  MK_ARG_BLOCK,   /* value: mk_block * */
  MK_ARG_MAP,     /* value: what `map` makes of the values of `args` */
  MK_ARG_CONST,   /* value: `value` */
} mk_arg_kind;

typedef struct mk_arg mk_arg;
struct mk_arg {
  mk_arg_kind kind;
  const char *name; /* NET, BLOCK: the device's name given to the tender */
  void *value;      /* CONST */
  /* MAP: called with the values of args[0..nargs); stores the result in
   * *out. Runs inside the root task, before main, so it may spawn tasks
   * (which then belong to the root task). An error other than MK_OK ends
   * the run with a message naming the map. */
  mk_result (*map)(void *const *values, void *ctx, void **out);
  void *ctx;
  const mk_arg *args;
  size_t nargs;
};

#define MK_NET(device_name)                                                    \
  { .kind = MK_ARG_NET, .name = (device_name) }
#define MK_BLOCK(device_name)                                                  \
  { .kind = MK_ARG_BLOCK, .name = (device_name) }
#define MK_CONST(v)                                                            \
  { .kind = MK_ARG_CONST, .value = (v) }
#define MK_MAP(fn, fn_ctx, map_args, map_nargs)                                \
  {                                                                            \
    .kind = MK_ARG_MAP, .name = #fn, .map = (fn), .ctx = (fn_ctx),             \
    .args = (map_args), .nargs = (map_nargs)                                   \
  }

/* The unikernel's main function: values[i] is the value of args[i]. Its
 * return value is the exit status. */
typedef int (*mk_main_fn)(void *const *values, void *ctx);

/* Acquires the devices of args[0..nargs) in list order, depth first
 * (a MAP's arguments before the MAP), then runs main(values, ctx) as the
 * root task of a scheduler run (see mk_run_task; opts may be NULL).
 *
 * Before anything is acquired, the device list is checked against the
 * tender's command line: a device the list names but the command line does
 * not give, a device given but not named, or a device named twice, is an
 * error naming the device. So is a device that cannot be acquired (missing
 * TAP interface, block file of a bad size). Every such error, and a MAP
 * that fails, prints one line "mkernel: ..." and returns 1.
 *
 * In manifest mode (hosted: --mk:manifest) it prints the Solo5 manifest of
 * the devices the list would acquire, in list order, and returns 0 without
 * running anything.
 *
 * Returns main's return value; 1 if main failed or was cancelled; 255 if the
 * run ended with a programming error (see mk_run_task). */
int mk_run(const mk_arg *args, size_t nargs, mk_main_fn main, void *ctx,
           const mk_run_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* MKERNEL_H */
