/*
 * start.S - entry points and exception vectors of the guest runtime.
 *
 * _start (boot CPU, from the VMM or QEMU): x0 = device tree or 0. Sets SP to
 * CPU 0's stack (the linker's, not the VMM's, so the same image runs where no
 * one sets SP), installs the vectors, zeroes .bss and calls rt_main(x0).
 * rt_secondary_entry (PSCI CPU_ON target): x0 = context id = CPU index.
 * The MMU, caches and FP/SIMD stay as reset left them (off / trapped); a
 * guest that wants FP or SVE enables it through CPACR_EL1 itself.
 *
 * Vectors (Arm ARM D1.10.2): 16 entries of 0x80 bytes at a 2 KiB-aligned VBAR.
 * Each saves x0-x30, ELR, SPSR on the stack, calls rt_exception(frame, index),
 * restores (the handler may have changed the frame, e.g. ELR += 4) and ERETs.
 */
#define FRAME_SIZE (34 * 8)
#define STACK_SIZE 0x4000

	.section .text.boot, "ax"
	.global	_start
_start:
	mov	x19, x0
	ldr	x1, =__stacks
	add	x1, x1, #STACK_SIZE
	mov	sp, x1
	ldr	x1, =rt_vectors
	msr	vbar_el1, x1
	isb
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	mov	x0, x19
	bl	rt_main
3:	wfi
	b	3b

	.text
	.global	rt_secondary_entry
rt_secondary_entry:
	mov	x19, x0
	ldr	x1, =__stacks
	add	x2, x0, #1
	mov	x3, #STACK_SIZE
	madd	x1, x2, x3, x1
	mov	sp, x1
	ldr	x1, =rt_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	rt_secondary_main
4:	wfi
	b	4b

/* One vector entry: make room, save x0/x1, branch to the common save code with the index in x1. */
.macro	vector index
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	exc_common
.endm

	.balign	0x800
	.global	rt_vectors
rt_vectors:
	vector	0
	vector	1
	vector	2
	vector	3
	vector	4
	vector	5
	vector	6
	vector	7
	vector	8
	vector	9
	vector	10
	vector	11
	vector	12
	vector	13
	vector	14
	vector	15

exc_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x30, x2, [sp, #240]
	str	x3, [sp, #256]
	mov	x0, sp
	bl	rt_exception
	ldp	x30, x2, [sp, #240]
	ldr	x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #FRAME_SIZE
	eret
	.ltorg

/*
 * int64_t rt_guarded_call(uint64_t (*fn)(void *), void *arg, uint64_t *result)
 * Calls fn(arg); 0 and *result = its return value, or, if a synchronous
 * exception interrupts it, the exception's ESR_EL1 (rt_exception redirects the
 * ERET to rt_guard_recover with x0 = ESR). Callee-saved registers and SP are
 * restored from this frame either way. One guard per CPU; not nestable.
 */
	.global	rt_guarded_call
rt_guarded_call:
	stp	x29, x30, [sp, #-112]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x29, sp
	mov	x19, x2
	mrs	x3, mpidr_el1
	and	x3, x3, #0xf
	ldr	x4, =rt_guard_sp
	mov	x5, sp
	str	x5, [x4, x3, lsl #3]
	mov	x9, x0
	mov	x0, x1
	blr	x9
	str	x0, [x19]
	mov	x0, #0
guard_done:
	mrs	x3, mpidr_el1
	and	x3, x3, #0xf
	ldr	x4, =rt_guard_sp
	str	xzr, [x4, x3, lsl #3]
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #112
	ret

	.global	rt_guard_recover
rt_guard_recover:
	mrs	x3, mpidr_el1
	and	x3, x3, #0xf
	ldr	x4, =rt_guard_sp
	ldr	x5, [x4, x3, lsl #3]
	mov	sp, x5
	b	guard_done
	.ltorg
