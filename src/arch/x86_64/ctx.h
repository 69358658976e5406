/*
 * ctx.h (x86_64, System V): the saved context of a task, shared by switch.S
 * and the C core. Only what the ABI makes callee-saved is kept: rbx, rbp,
 * r12-r15 and the stack pointer, plus the address to resume at. No x87/SSE
 * state is saved: no XMM register is callee-saved in the System V ABI, and
 * MXCSR/x87 control words are left as the program set them (tasks must not
 * change rounding modes and expect them to be task-local).
 */
#ifndef MK_ARCH_CTX_H
#define MK_ARCH_CTX_H

#define MK__CTX_RBX 0
#define MK__CTX_RBP 8
#define MK__CTX_R12 16
#define MK__CTX_R13 24
#define MK__CTX_R14 32
#define MK__CTX_R15 40
#define MK__CTX_SP 48
#define MK__CTX_PC 56
#define MK__CTX_SIZE 64

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

typedef struct mk__ctx {
  uint64_t rbx, rbp, r12, r13, r14, r15, sp, pc;
} mk__ctx;

_Static_assert(offsetof(mk__ctx, rbx) == MK__CTX_RBX, "rbx offset");
_Static_assert(offsetof(mk__ctx, rbp) == MK__CTX_RBP, "rbp offset");
_Static_assert(offsetof(mk__ctx, r12) == MK__CTX_R12, "r12 offset");
_Static_assert(offsetof(mk__ctx, r13) == MK__CTX_R13, "r13 offset");
_Static_assert(offsetof(mk__ctx, r14) == MK__CTX_R14, "r14 offset");
_Static_assert(offsetof(mk__ctx, r15) == MK__CTX_R15, "r15 offset");
_Static_assert(offsetof(mk__ctx, sp) == MK__CTX_SP, "sp offset");
_Static_assert(offsetof(mk__ctx, pc) == MK__CTX_PC, "pc offset");
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
  /* At mk__ctx_start's `call`, the stack must be 16-byte aligned. */
  c->sp = (uint64_t)(uintptr_t)top & ~(uint64_t)15;
  c->pc = (uint64_t)(uintptr_t)mk__ctx_start;
  c->rbp = 0; /* ends frame-pointer backtraces */
  c->r12 = (uint64_t)(uintptr_t)arg;
  c->r13 = (uint64_t)(uintptr_t)entry;
  c->rbx = c->r14 = c->r15 = 0;
}
#endif

#endif
