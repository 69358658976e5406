/*
 * ctx.h (aarch64, AAPCS64): how a suspended task's context is kept, shared
 * by switch.S and the C core.
 *
 * A task's callee-saved registers are stored on its own stack and only the
 * stack pointer is kept in its record. Saved: x19-x28, the frame pointer
 * x29, the link register x30 (where to resume), and the low 64 bits of
 * v8-v15 (d8-d15). AAPCS64 makes d8-d15 callee-saved, so the compiler may
 * keep a live double there across the call to the switch; they belong to
 * the callee-saved set, not to "FPU state". FPCR/FPSR and the rest of the
 * SIMD registers are not saved.
 */
#ifndef MK_ARCH_CTX_H
#define MK_ARCH_CTX_H

/* The frame a switch leaves on the suspended task's stack, from its stack
 * pointer up (a multiple of 16, as sp must stay aligned). */
#define MK__FRAME_X19 0
#define MK__FRAME_X21 16
#define MK__FRAME_X23 32
#define MK__FRAME_X25 48
#define MK__FRAME_X27 64
#define MK__FRAME_X29 80 /* x29 then x30 (the resume address) */
#define MK__FRAME_D8 96
#define MK__FRAME_D10 112
#define MK__FRAME_D12 128
#define MK__FRAME_D14 144
#define MK__FRAME_SIZE 160

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

typedef struct mk__frame {
  uint64_t x[10];  /* x19..x28 */
  uint64_t fp, pc; /* x29, x30 */
  uint64_t d[8];   /* d8..d15 */
} mk__frame;

_Static_assert(offsetof(mk__frame, x) == MK__FRAME_X19, "x19 offset");
_Static_assert(offsetof(mk__frame, x[2]) == MK__FRAME_X21, "x21 offset");
_Static_assert(offsetof(mk__frame, x[4]) == MK__FRAME_X23, "x23 offset");
_Static_assert(offsetof(mk__frame, x[6]) == MK__FRAME_X25, "x25 offset");
_Static_assert(offsetof(mk__frame, x[8]) == MK__FRAME_X27, "x27 offset");
_Static_assert(offsetof(mk__frame, fp) == MK__FRAME_X29, "x29 offset");
_Static_assert(offsetof(mk__frame, d) == MK__FRAME_D8, "d8 offset");
_Static_assert(offsetof(mk__frame, d[2]) == MK__FRAME_D10, "d10 offset");
_Static_assert(offsetof(mk__frame, d[4]) == MK__FRAME_D12, "d12 offset");
_Static_assert(offsetof(mk__frame, d[6]) == MK__FRAME_D14, "d14 offset");
_Static_assert(sizeof(mk__frame) == MK__FRAME_SIZE, "frame size");

/* Saves the caller's registers on its stack and its stack pointer in
 * *from_sp, then resumes the context whose stack pointer is `to_sp`.
 * Returns when some other switch resumes *from_sp. */
void mk__ctx_switch(void **from_sp, void *to_sp);

/* First code run on a new stack: calls entry(arg), which must not return. */
void mk__ctx_start(void);

/* Builds, at the top of a new stack whose highest address is `top`, the
 * frame a switch resumes to call entry(arg); returns its stack pointer. */
static inline void *mk__ctx_init(void *top, void (*entry)(void *), void *arg) {
  uintptr_t end = (uintptr_t)top & ~(uintptr_t)15; /* AAPCS64: 16-aligned */
  mk__frame *f = (mk__frame *)(end - sizeof *f);
  for (int i = 0; i < 10; i++) f->x[i] = 0;
  for (int i = 0; i < 8; i++) f->d[i] = 0;
  f->x[0] = (uint64_t)(uintptr_t)arg;   /* x19 */
  f->x[1] = (uint64_t)(uintptr_t)entry; /* x20 */
  f->fp = 0;                            /* ends frame-pointer backtraces */
  f->pc = (uint64_t)(uintptr_t)mk__ctx_start;
  return f;
}
#endif

#endif
