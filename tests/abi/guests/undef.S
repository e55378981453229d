/* undef.S - "undef(UDF #0 at RAM+8 ...)": a marker store, then a permanently undefined
 * instruction at RAM+8; vectors.S reports the exception through MMIO. */
	.text
	.global	_start
_start:
	movz	x20, #0x2000, lsl #16	// x20 = MMIO window (vectors.S uses it)
	str	xzr, [x20, #0x80]	// marker exit: value 0 at +0x80
	.org	0x8
	udf	#0
1:	b	1b
