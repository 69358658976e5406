/*
 * valgrind_stacks.h: tells valgrind about task stacks (Linux platforms).
 *
 * Memcheck tracks one stack per thread; when a task switches stacks it
 * would take the task's frames for invalid memory. Registering each stack
 * (VALGRIND_STACK_REGISTER) makes memcheck follow the switches. Outside
 * valgrind this costs one test per stack allocation, and without valgrind's
 * header it compiles to nothing.
 */
#ifndef MK_VALGRIND_STACKS_H
#define MK_VALGRIND_STACKS_H

#include <stddef.h>
#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define MK__HAVE_VALGRIND 1
#endif
#endif

#ifdef MK__HAVE_VALGRIND
/* Registrations, to deregister a stack when it is freed. Only used under
 * valgrind, where a list walk per freed stack does not matter. */
struct vg_stack {
  void *lo;
  unsigned id;
  struct vg_stack *next;
};
static struct vg_stack *vg_stacks;

static inline void vg_stack_register(void *lo, size_t size) {
  if (!RUNNING_ON_VALGRIND) return;
  struct vg_stack *s = malloc(sizeof *s);
  if (!s) return;
  s->lo = lo;
  s->id = VALGRIND_STACK_REGISTER(lo, (char *)lo + size);
  s->next = vg_stacks;
  vg_stacks = s;
}

static inline void vg_stack_deregister(void *lo) {
  for (struct vg_stack **p = &vg_stacks; *p; p = &(*p)->next) {
    if ((*p)->lo == lo) {
      struct vg_stack *s = *p;
      VALGRIND_STACK_DEREGISTER(s->id);
      *p = s->next;
      free(s);
      return;
    }
  }
}
#else
static inline void vg_stack_register(void *lo, size_t size) {
  (void)lo, (void)size;
}
static inline void vg_stack_deregister(void *lo) { (void)lo; }
#endif

#endif
