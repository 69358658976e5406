/*
 * ctx.h (aarch64, AAPCS64): the saved context of a task, shared by switch.S
 * and the C core. Only what the ABI makes callee-saved is kept: x19-x28, the
 * frame pointer x29, the link register x30 (where to resume), sp, and the low
 * 64 bits of v8-v15 (d8-d15). AAPCS64 makes d8-d15 callee-saved, so the
 * compiler may keep a live double there across the call to the switch; they
 * are part of the integer-style callee-saved set, not "FPU state". FPCR/FPSR
 * and the rest of the SIMD registers are not saved.
 */
#ifndef MK_ARCH_CTX_H
#define MK_ARCH_CTX_H

#define MK__CTX_X19 0
#define MK__CTX_X21 16
#define MK__CTX_X23 32
#define MK__CTX_X25 48
#define MK__CTX_X27 64
#define MK__CTX_X29 80 /* x29 then x30 (the resume address) */
#define MK__CTX_SP 96
#define MK__CTX_D8 104
#define MK__CTX_D10 120
#define MK__CTX_D12 136
#define MK__CTX_D14 152
#define MK__CTX_SIZE 168

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

typedef struct mk__ctx {
  uint64_t x[10];  /* x19..x28 */
  uint64_t fp, pc; /* x29, x30 */
  uint64_t sp;
  uint64_t d[8]; /* d8..d15 */
} mk__ctx;

_Static_assert(offsetof(mk__ctx, x) == MK__CTX_X19, "x19 offset");
_Static_assert(offsetof(mk__ctx, x[2]) == MK__CTX_X21, "x21 offset");
_Static_assert(offsetof(mk__ctx, x[4]) == MK__CTX_X23, "x23 offset");
_Static_assert(offsetof(mk__ctx, x[6]) == MK__CTX_X25, "x25 offset");
_Static_assert(offsetof(mk__ctx, x[8]) == MK__CTX_X27, "x27 offset");
_Static_assert(offsetof(mk__ctx, fp) == MK__CTX_X29, "x29 offset");
_Static_assert(offsetof(mk__ctx, sp) == MK__CTX_SP, "sp offset");
_Static_assert(offsetof(mk__ctx, d) == MK__CTX_D8, "d8 offset");
_Static_assert(offsetof(mk__ctx, d[2]) == MK__CTX_D10, "d10 offset");
_Static_assert(offsetof(mk__ctx, d[4]) == MK__CTX_D12, "d12 offset");
_Static_assert(offsetof(mk__ctx, d[6]) == MK__CTX_D14, "d14 offset");
_Static_assert(sizeof(mk__ctx) == MK__CTX_SIZE, "ctx size");

/* Saves the caller's context in *from and resumes *to. Returns when some
 * other switch resumes *from. */
void mk__ctx_switch(mk__ctx *from, const mk__ctx *to);

/* First code run on a new stack: calls entry(arg), which must not return. */
void mk__ctx_start(void);

/* Prepares *c so that switching to it calls entry(arg) on the stack whose
 * highest address is `top`. */
static inline void mk__ctx_init(mk__ctx *c, void *top, void (*entry)(void *),
                                void *arg) {
  for (int i = 0; i < 10; i++) c->x[i] = 0;
  for (int i = 0; i < 8; i++) c->d[i] = 0;
  c->sp = (uint64_t)(uintptr_t)top & ~(uint64_t)15; /* AAPCS64: 16-aligned */
  c->pc = (uint64_t)(uintptr_t)mk__ctx_start;
  c->fp = 0;                            /* ends frame-pointer backtraces */
  c->x[0] = (uint64_t)(uintptr_t)arg;   /* x19 */
  c->x[1] = (uint64_t)(uintptr_t)entry; /* x20 */
}
#endif

#endif
