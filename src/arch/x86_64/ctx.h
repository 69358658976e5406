/*
 * ctx.h (x86_64, System V): how a suspended task's context is kept, shared
 * by switch.S and the C core.
 *
 * A task's callee-saved registers (rbx, rbp, r12-r15) are pushed on its own
 * stack, above them the address to resume at, and only the stack pointer is
 * kept in the task's record: a switch is six pushes, two moves, six pops
 * and an indirect jump, and a record needs 8 bytes of context. Nothing else
 * is saved: no XMM register is callee-saved in the System V ABI, and the
 * MXCSR/x87 control words are left as the program set them (tasks must not
 * change rounding modes and expect them to be task-local).
 */
#ifndef MK_ARCH_CTX_H
#define MK_ARCH_CTX_H

/* The frame a switch leaves on the suspended task's stack, from its stack
 * pointer up. */
#define MK__FRAME_R15 0
#define MK__FRAME_R14 8
#define MK__FRAME_R13 16
#define MK__FRAME_R12 24
#define MK__FRAME_RBX 32
#define MK__FRAME_RBP 40
#define MK__FRAME_PC 48
#define MK__FRAME_SIZE 56

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

typedef struct mk__frame {
  uint64_t r15, r14, r13, r12, rbx, rbp, pc;
} mk__frame;

_Static_assert(offsetof(mk__frame, r15) == MK__FRAME_R15, "r15 offset");
_Static_assert(offsetof(mk__frame, r14) == MK__FRAME_R14, "r14 offset");
_Static_assert(offsetof(mk__frame, r13) == MK__FRAME_R13, "r13 offset");
_Static_assert(offsetof(mk__frame, r12) == MK__FRAME_R12, "r12 offset");
_Static_assert(offsetof(mk__frame, rbx) == MK__FRAME_RBX, "rbx offset");
_Static_assert(offsetof(mk__frame, rbp) == MK__FRAME_RBP, "rbp offset");
_Static_assert(offsetof(mk__frame, pc) == MK__FRAME_PC, "pc offset");
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
  /* After the frame is popped the stack pointer is `top` rounded down to
   * 16, as mk__ctx_start's `call` needs. */
  uintptr_t end = (uintptr_t)top & ~(uintptr_t)15;
  mk__frame *f = (mk__frame *)(end - sizeof *f);
  f->r15 = f->r14 = f->rbx = 0;
  f->r12 = (uint64_t)(uintptr_t)arg;
  f->r13 = (uint64_t)(uintptr_t)entry;
  f->rbp = 0; /* ends frame-pointer backtraces */
  f->pc = (uint64_t)(uintptr_t)mk__ctx_start;
  return f;
}
#endif

#endif
