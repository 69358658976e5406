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

/* Before switching to the stack [lo, lo + size); `save` is where the
 * current stack's fake frames go, NULL if it is never resumed. */
static inline void mk__asan_switch(void **save, const void *lo, size_t size) {
  __sanitizer_start_switch_fiber(save, lo, size);
}

/* After arriving on a stack, with what its mk__asan_switch saved. */
static inline void mk__asan_arrived(void *saved) {
  __sanitizer_finish_switch_fiber(saved, NULL, NULL);
}

/* First arrival on a task's stack. The root task is always entered from
 * the scheduler first: that is when the scheduler's stack is learnt. */
static inline void mk__asan_started(void) {
  const void *bottom;
  size_t size;
  __sanitizer_finish_switch_fiber(NULL, &bottom, &size);
  if (!mk__s.asan_stack_size) {
    mk__s.asan_stack_bottom = bottom;
    mk__s.asan_stack_size = size;
  }
}

static inline void mk__asan_forget_stack(void *lo, size_t size) {
  __asan_unpoison_memory_region(lo, size);
}
#else
static inline void mk__asan_switch(void **save, const void *lo, size_t size) {
  MK__UNUSED(save), MK__UNUSED(lo), MK__UNUSED(size);
}
static inline void mk__asan_arrived(void *saved) { MK__UNUSED(saved); }
static inline void mk__asan_started(void) {}
static inline void mk__asan_forget_stack(void *lo, size_t size) {
  MK__UNUSED(lo), MK__UNUSED(size);
}
#endif

#endif
