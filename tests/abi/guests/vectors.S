/*
 * vectors.S - the vector table loaded at VBAR_EL1 = 0x10010000 for the run steps.
 *
 * Entry i (0..15) sets x10 = i and joins a common reporter at +0x800 that stores x10,
 * ESR_EL1, ELR_EL1, FAR_EL1 and SPSR_EL1 to MMIO +0x100..+0x120 (base x20, set by the
 * guest program) and then loops at +0x824, the PC measured after the undef steps.
 */
	.text
	.global	_start
_start:
	.irp	i, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.org	\i * 0x80
	mov	x10, #\i
	b	report
	.endr
	.org	0x800
report:
	mrs	x11, esr_el1
	mrs	x12, elr_el1
	mrs	x13, far_el1
	mrs	x14, spsr_el1
	str	x10, [x20, #0x100]
	str	x11, [x20, #0x108]
	str	x12, [x20, #0x110]
	str	x13, [x20, #0x118]
	str	x14, [x20, #0x120]
	.org	0x824
1:	b	1b
