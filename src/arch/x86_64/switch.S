/*
 * switch.S (x86_64, System V): the task context switch.
 *
 * mk__ctx_switch(from_sp, to_sp) pushes the callee-saved registers on the
 * current stack (above them is already the caller's return address), saves
 * the stack pointer in *from_sp, loads to_sp and pops the other task's
 * registers and resume address (the layout is MK__FRAME_* in ctx.h). It
 * resumes with an indirect `jmp` instead of `ret`: the return-stack buffer
 * would predict a return to the caller of *this* switch, which is wrong on
 * every switch, while the indirect branch predictor learns the pattern.
 */
#include "ctx.h"

	.text
	.globl	mk__ctx_switch
	.type	mk__ctx_switch, @function
	.p2align 4
mk__ctx_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popq	%rcx			/* MK__FRAME_PC: where to resume */
	jmpq	*%rcx
	.size	mk__ctx_switch, .-mk__ctx_switch

/* Entered by the first switch to a new context: r13 = entry, r12 = arg. */
	.globl	mk__ctx_start
	.type	mk__ctx_start, @function
	.p2align 4
mk__ctx_start:
	movq	%r12, %rdi
	callq	*%r13
	ud2				/* entry never returns */
	.size	mk__ctx_start, .-mk__ctx_start

	.section .note.GNU-stack,"",@progbits
