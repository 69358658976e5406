/*
 * switch.S (aarch64, AAPCS64): the task context switch.
 *
 * mk__ctx_switch(from_sp, to_sp) stores the callee-saved registers in a
 * frame on the current stack (the layout is MK__FRAME_* in ctx.h), saves
 * the stack pointer in *from_sp, loads to_sp, reloads the other task's
 * frame and branches to its saved x30 with `br`, not `ret`: `ret` would
 * consult the return-address predictor, which is wrong on every switch.
 */
#include "ctx.h"

	.text
	.globl	mk__ctx_switch
	.type	mk__ctx_switch, %function
	.p2align 4
mk__ctx_switch:
	sub	sp, sp, #MK__FRAME_SIZE
	stp	x19, x20, [sp, #MK__FRAME_X19]
	stp	x21, x22, [sp, #MK__FRAME_X21]
	stp	x23, x24, [sp, #MK__FRAME_X23]
	stp	x25, x26, [sp, #MK__FRAME_X25]
	stp	x27, x28, [sp, #MK__FRAME_X27]
	stp	x29, x30, [sp, #MK__FRAME_X29]
	stp	d8, d9, [sp, #MK__FRAME_D8]
	stp	d10, d11, [sp, #MK__FRAME_D10]
	stp	d12, d13, [sp, #MK__FRAME_D12]
	stp	d14, d15, [sp, #MK__FRAME_D14]
	mov	x9, sp
	str	x9, [x0]

	mov	sp, x1
	ldp	x19, x20, [sp, #MK__FRAME_X19]
	ldp	x21, x22, [sp, #MK__FRAME_X21]
	ldp	x23, x24, [sp, #MK__FRAME_X23]
	ldp	x25, x26, [sp, #MK__FRAME_X25]
	ldp	x27, x28, [sp, #MK__FRAME_X27]
	ldp	x29, x30, [sp, #MK__FRAME_X29]
	ldp	d8, d9, [sp, #MK__FRAME_D8]
	ldp	d10, d11, [sp, #MK__FRAME_D10]
	ldp	d12, d13, [sp, #MK__FRAME_D12]
	ldp	d14, d15, [sp, #MK__FRAME_D14]
	add	sp, sp, #MK__FRAME_SIZE
	br	x30
	.size	mk__ctx_switch, .-mk__ctx_switch

/* Entered by the first switch to a new context: x20 = entry, x19 = arg. */
	.globl	mk__ctx_start
	.type	mk__ctx_start, %function
	.p2align 4
mk__ctx_start:
	mov	x0, x19
	blr	x20
	brk	#0			/* entry never returns */
	.size	mk__ctx_start, .-mk__ctx_start

	.section .note.GNU-stack,"",%progbits
