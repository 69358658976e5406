/*
 * minswitch.S: the minimal hand-written x86_64 context switch that the
 * scheduler benchmarks use as their baseline, the floor a switch that keeps
 * the System V ABI can reach: push the six callee-saved registers (rbx, rbp,
 * r12-r15), store rsp, load the other rsp, pop its six registers and resume
 * with an indirect jump (not `ret`, whose return-stack prediction is wrong
 * on every switch, as mkernel's own switch also avoids). It is written here,
 * inside the benchmark, so that the baseline does not depend on the code it
 * judges.
 */
	.text

/* void bench_min_switch(void **save, void *to) */
	.globl	bench_min_switch
	.type	bench_min_switch, @function
	.p2align 4
bench_min_switch:
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
	popq	%rax
	jmpq	*%rax
	.size	bench_min_switch, .-bench_min_switch

/* First code on a prepared stack (see bench_min_prepare): r13 = fn,
 * r12 = arg; the stack is 16-byte aligned here, as `call` requires. */
	.globl	bench_min_start
	.type	bench_min_start, @function
	.p2align 4
bench_min_start:
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.size	bench_min_start, .-bench_min_start

	.section .note.GNU-stack,"",@progbits
