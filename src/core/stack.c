/*
 * stack.c: task stacks.
 *
 * Sizes are powers of two from MK_STACK_MIN up. Freed stacks go to a LIFO
 * cache per size (the most recently used stack is the one still warm in the
 * cache and TLB); the cache keeps its links inside the free stacks, so it
 * costs no memory of its own, and is emptied when the run ends. The lowest
 * word of every stack holds a canary, checked each time a task switches
 * away: the overflow check where the platform has no guard page, a backup
 * where it has one.
 */
#include "internal.h"

#define MIN_SHIFT 12 /* MK_STACK_MIN == 4096 */
#define MAX_SHIFT 30 /* 1 GiB */
#define NCLASSES (MAX_SHIFT - MIN_SHIFT + 1)

_Static_assert(MK_STACK_MIN == (size_t)1 << MIN_SHIFT, "MK_STACK_MIN");

struct free_stack {
  uint64_t canary; /* stays in place while cached */
  struct free_stack *next;
};

static struct free_stack *cache[NCLASSES];

mk_result mk__stack_get(size_t request, void **lo, size_t *size) {
  if (request > (size_t)1 << MAX_SHIFT) return MK_EINVAL;
  /* The smallest power of two >= request, at least MK_STACK_MIN. */
  unsigned shift = request <= MK_STACK_MIN
                       ? MIN_SHIFT
                       : 64 - (unsigned)__builtin_clzll((uint64_t)request - 1);
  struct free_stack *s = cache[shift - MIN_SHIFT];
  if (s) {
    cache[shift - MIN_SHIFT] = s->next;
  } else {
    bool guarded;
    if (!(s = mk__platform_stack_alloc((size_t)1 << shift, &guarded)))
      return MK_ENOMEM;
  }
  s->canary = mk__stack_canary(s);
  *lo = s;
  *size = (size_t)1 << shift;
  return MK_OK;
}

void mk__stack_put(void *lo, size_t size) {
  unsigned shift = (unsigned)__builtin_ctzll((uint64_t)size);
  struct free_stack *s = lo;
  s->next = cache[shift - MIN_SHIFT];
  cache[shift - MIN_SHIFT] = s;
}

void mk__stack_drain(void) {
  for (unsigned c = 0; c < NCLASSES; c++) {
    while (cache[c]) {
      struct free_stack *s = cache[c];
      cache[c] = s->next;
      mk__platform_stack_free(s, (size_t)1 << (c + MIN_SHIFT));
    }
  }
}

_Noreturn void mk__stack_overflow(const struct mk__task *t) {
  char buf[512];
  mk__msg m = {buf, 0, sizeof buf};
  mk__msg_str(&m, "mkernel: stack overflow in ");
  mk__msg_task(&m, t);
  mk__msg_str(&m, ": its ");
  mk__msg_u64(&m, t->stack_size);
  mk__msg_str(&m, "-byte stack is too small (see mk_spawn_opts.stack_size)\n");
  mk__log_msg(&m);
  mk__platform_abort();
}
