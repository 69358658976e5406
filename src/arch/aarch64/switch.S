/*
 * switch.S (aarch64, AAPCS64): the task context switch.
 *
 * mk__ctx_switch(from, to) saves the callee-saved registers into *from, loads
 * *to and branches to its saved x30 with `br`, not `ret`: `ret` would consult
 * the return-address predictor, which is wrong on every switch.
 */
#include "ctx.h"

	.text
	.globl	mk__ctx_switch
	.type	mk__ctx_switch, %function
	.p2align 4
mk__ctx_switch:
	mov	x9, sp
	stp	x19, x20, [x0, #MK__CTX_X19]
	stp	x21, x22, [x0, #MK__CTX_X21]
	stp	x23, x24, [x0, #MK__CTX_X23]
	stp	x25, x26, [x0, #MK__CTX_X25]
	stp	x27, x28, [x0, #MK__CTX_X27]
	stp	x29, x30, [x0, #MK__CTX_X29]
	str	x9, [x0, #MK__CTX_SP]
	stp	d8, d9, [x0, #MK__CTX_D8]
	stp	d10, d11, [x0, #MK__CTX_D10]
	stp	d12, d13, [x0, #MK__CTX_D12]
	stp	d14, d15, [x0, #MK__CTX_D14]

	ldp	x19, x20, [x1, #MK__CTX_X19]
	ldp	x21, x22, [x1, #MK__CTX_X21]
	ldp	x23, x24, [x1, #MK__CTX_X23]
	ldp	x25, x26, [x1, #MK__CTX_X25]
	ldp	x27, x28, [x1, #MK__CTX_X27]
	ldp	x29, x30, [x1, #MK__CTX_X29]
	ldr	x9, [x1, #MK__CTX_SP]
	ldp	d8, d9, [x1, #MK__CTX_D8]
	ldp	d10, d11, [x1, #MK__CTX_D10]
	ldp	d12, d13, [x1, #MK__CTX_D12]
	ldp	d14, d15, [x1, #MK__CTX_D14]
	mov	sp, x9
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
