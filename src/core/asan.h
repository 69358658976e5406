/*
 * asan.h: telling AddressSanitizer about stack switches.
 *
 * ASan tracks one stack per thread; without these annotations it reports
 * false positives when tasks switch stacks, and a stack reused after a task
 * ended with mk_fail (its frames never unwound) would still carry their
 * poisoned red zones. Outside sanitizer builds every function is empty.
 */
#ifndef MK_CORE_ASAN_H
#define MK_CORE_ASAN_H

#include "internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define MK__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MK__ASAN 1
#endif
#endif

#ifdef MK__ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom,
                                    size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save,
                                     const void **bottom_old, size_t *size_old);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);

static inline void mk__asan_enter_task(struct mk__task *t) {
  __sanitizer_start_switch_fiber(&mk__s.asan_fake_stack, t->stack_lo,
                                 t->stack_size);
}

static inline void mk__asan_leave_task(struct mk__task *t) {
  MK__UNUSED(t);
  __sanitizer_finish_switch_fiber(mk__s.asan_fake_stack, NULL, NULL);
}

static inline void mk__asan_task_started(void) {
  __sanitizer_finish_switch_fiber(NULL, &mk__s.asan_stack_bottom,
                                  &mk__s.asan_stack_size);
}

static inline void mk__asan_task_suspending(struct mk__task *t, bool ending) {
  __sanitizer_start_switch_fiber(ending ? NULL : &t->asan_fake_stack,
                                 mk__s.asan_stack_bottom,
                                 mk__s.asan_stack_size);
}

static inline void mk__asan_task_resumed(struct mk__task *t) {
  __sanitizer_finish_switch_fiber(t->asan_fake_stack, &mk__s.asan_stack_bottom,
                                  &mk__s.asan_stack_size);
}

static inline void mk__asan_forget_stack(void *lo, size_t size) {
  __asan_unpoison_memory_region(lo, size);
}
#else
static inline void mk__asan_enter_task(struct mk__task *t) { MK__UNUSED(t); }
static inline void mk__asan_leave_task(struct mk__task *t) { MK__UNUSED(t); }
static inline void mk__asan_task_started(void) {}
static inline void mk__asan_task_suspending(struct mk__task *t, bool ending) {
  MK__UNUSED(t), MK__UNUSED(ending);
}
static inline void mk__asan_task_resumed(struct mk__task *t) { MK__UNUSED(t); }
static inline void mk__asan_forget_stack(void *lo, size_t size) {
  MK__UNUSED(lo), MK__UNUSED(size);
}
#endif

#endif
