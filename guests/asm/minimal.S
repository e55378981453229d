/*
 * minimal.S - a guest without the runtime, in the fewest instruction kinds:
 * MOVZ/MOVK, byte stores to the PL011 data register, a loop, HVC SYSTEM_OFF.
 * Position-independent, so it also serves as the flat-binary (--load-addr) test.
 */
	.section .text.boot, "ax"
	.global	_start
_start:
	movz	x1, #0x0900, lsl #16	// PL011 UARTDR
	adr	x2, msg
1:	ldrb	w3, [x2], #1
	cbz	w3, 2f
	strb	w3, [x1]
	b	1b
2:	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16	// PSCI SYSTEM_OFF
	hvc	#0
3:	b	3b
msg:	.asciz	"minimal guest: ok\n"
