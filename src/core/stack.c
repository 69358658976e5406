/*
 * stack.c: task stacks.
 *
 * Sizes are powers of two from MK_STACK_MIN up. Freed stacks go to a LIFO
 * cache per size (the most recently used stack is the one still warm in the
 * cache and TLB); the cache keeps its links in the top word of the free
 * stacks, which a task touches first anyway, so it costs no memory and no
 * extra page of its own, and is emptied when the run ends. Where the
 * platform cannot put a guard page below a stack, the lowest word holds a
 * canary, checked each time a task switches away; where it can, the guard
 * page is the check and the bottom of a stack is never touched, so an idle
 * task costs only the pages its frames use.
 */
#include "internal.h"

#define MIN_SHIFT 12 /* MK_STACK_MIN == 4096 */
#define MAX_SHIFT 30 /* 1 GiB */
#define NCLASSES (MAX_SHIFT - MIN_SHIFT + 1)

_Static_assert(MK_STACK_MIN == (size_t)1 << MIN_SHIFT, "MK_STACK_MIN");

/* The top word of a free stack. */
struct free_stack {
  struct free_stack *next;
};

static struct free_stack *cache[NCLASSES];

static struct free_stack *top_of(void *lo, size_t size) {
  return (struct free_stack *)((char *)lo + size) - 1;
}

mk_result mk__stack_get(size_t request, void **lo, size_t *size) {
  if (request > (size_t)1 << MAX_SHIFT) return MK_EINVAL;
  /* The smallest power of two >= request, at least MK_STACK_MIN. */
  unsigned shift = request <= MK_STACK_MIN
                       ? MIN_SHIFT
                       : 64 - (unsigned)__builtin_clzll((uint64_t)request - 1);
  size_t bytes = (size_t)1 << shift;
  struct free_stack *s = cache[shift - MIN_SHIFT];
  void *base;
  if (s) {
    cache[shift - MIN_SHIFT] = s->next;
    base = (char *)(s + 1) - bytes;
  } else {
    bool guarded;
    if (!(base = mk__platform_stack_alloc(bytes, &guarded))) return MK_ENOMEM;
    mk__s.stacks_guarded = guarded;
  }
  if (!mk__s.stacks_guarded) *(uint64_t *)base = mk__stack_canary(base);
  *lo = base;
  *size = bytes;
  return MK_OK;
}

void mk__stack_put(void *lo, size_t size) {
  unsigned shift = (unsigned)__builtin_ctzll((uint64_t)size);
  struct free_stack *s = top_of(lo, size);
  s->next = cache[shift - MIN_SHIFT];
  cache[shift - MIN_SHIFT] = s;
}

void mk__stack_drain(void) {
  for (unsigned c = 0; c < NCLASSES; c++) {
    size_t bytes = (size_t)1 << (c + MIN_SHIFT);
    while (cache[c]) {
      struct free_stack *s = cache[c];
      cache[c] = s->next;
      mk__platform_stack_free((char *)(s + 1) - bytes, bytes);
    }
  }
}

_Noreturn void mk__stack_overflow(const struct mk__task *t) {
  char buf[512];
  mk__msg m = {buf, 0, sizeof buf};
  mk__msg_str(&m, "mkernel: stack overflow in ");
  mk__msg_task(&m, t);
  mk__msg_str(&m, ": its ");
  mk__msg_u64(&m, mk__stack_size_of(t));
  mk__msg_str(&m, "-byte stack is too small (see mk_spawn_opts.stack_size)\n");
  mk__log_msg(&m);
  mk__platform_abort();
}
