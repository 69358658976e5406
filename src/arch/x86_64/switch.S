/*
 * switch.S (x86_64, System V): the task context switch.
 *
 * mk__ctx_switch(from, to) saves the callee-saved registers and the stack
 * pointer into *from, loads *to and jumps to its saved resume address. It
 * returns with an indirect `jmp` instead of `ret`: the return-stack buffer
 * would predict a return to the caller of *this* switch, which is wrong on
 * every switch, while the indirect branch predictor learns the pattern.
 */
#include "ctx.h"

	.text
	.globl	mk__ctx_switch
	.type	mk__ctx_switch, @function
	.p2align 4
mk__ctx_switch:
	movq	(%rsp), %rax		/* where the caller resumes */
	leaq	8(%rsp), %rcx		/* its stack pointer after a return */
	movq	%rbx, MK__CTX_RBX(%rdi)
	movq	%rbp, MK__CTX_RBP(%rdi)
	movq	%r12, MK__CTX_R12(%rdi)
	movq	%r13, MK__CTX_R13(%rdi)
	movq	%r14, MK__CTX_R14(%rdi)
	movq	%r15, MK__CTX_R15(%rdi)
	movq	%rcx, MK__CTX_SP(%rdi)
	movq	%rax, MK__CTX_PC(%rdi)

	movq	MK__CTX_RBX(%rsi), %rbx
	movq	MK__CTX_RBP(%rsi), %rbp
	movq	MK__CTX_R12(%rsi), %r12
	movq	MK__CTX_R13(%rsi), %r13
	movq	MK__CTX_R14(%rsi), %r14
	movq	MK__CTX_R15(%rsi), %r15
	movq	MK__CTX_SP(%rsi), %rsp
	jmpq	*MK__CTX_PC(%rsi)
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
