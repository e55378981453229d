/* zcr.S - "nosve-zen(non-SVE vCPU; CPACR_EL1.ZEN=3 then MRS ZCR_EL1 at RAM+0x18)":
 * enable SVE (and FP: with FPEN still 0 the access traps as EC 0x07 first, which is not
 * what was measured) at EL1, then read ZCR_EL1, which KVM hides from a non-SVE vCPU. */
	.text
	.global	_start
_start:
	movz	x20, #0x2000, lsl #16	// x20 = MMIO window (vectors.S uses it)
	movz	x0, #0x33, lsl #16	// CPACR_EL1.FPEN = 3, ZEN = 3
	msr	cpacr_el1, x0
	isb
	nop				// padding to the measured ELR (RAM+0x18)
	nop
	.org	0x18
	mrs	x1, S3_0_C1_C2_0	// ZCR_EL1
1:	b	1b
