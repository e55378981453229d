/* svetrap.S - "svetrap(...; RDVL with CPACR_EL1.ZEN=0)": RDVL at RAM+8 with SVE still
 * trapped by CPACR_EL1 (reset value 0); vectors.S reports the exception. */
	.text
	.global	_start
_start:
	movz	x20, #0x2000, lsl #16	// x20 = MMIO window (vectors.S uses it)
	str	xzr, [x20, #0x80]	// marker exit: value 0 at +0x80
	.org	0x8
	rdvl	x0, #1
1:	b	1b
