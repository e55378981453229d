/* hvcoff.S - "mini: first insn HVC #0 (x0=SYSTEM_OFF)": PSCI SYSTEM_OFF right away;
 * the measured exit PC is +0xc (just past the HVC at +0x8). */
	.text
	.global	_start
_start:
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16	// x0 = PSCI SYSTEM_OFF
	.org	0x8
	hvc	#0
1:	b	1b
