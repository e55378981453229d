/*
 * rdvl.S - the guest behind vls.tsv's guest_observations column.
 *
 * Enables FP and SVE at EL1, then reports through MMIO stores to 0x20000000 + offset:
 *   +0x00 ZCR_EL1 at reset          +0x08 RDVL #1 at reset
 *   +0x10.. RDVL #1 after ZCR_EL1.LEN = 0,1,2,3,4,5,6,7,8,15 (one u64 each, up to +0x58)
 *   +0x70 ZCR_EL1 after writing all-ones   +0x78 RDVL #1 then
 * and ends with PSCI SYSTEM_OFF (the vCPU has PSCI_0_2).
 */
	.text
	.global	_start
_start:
	movz	x20, #0x2000, lsl #16	// x20 = MMIO window
	movz	x0, #0x33, lsl #16	// CPACR_EL1.FPEN = 3, ZEN = 3
	msr	cpacr_el1, x0
	isb
	mrs	x1, S3_0_C1_C2_0	// ZCR_EL1
	str	x1, [x20, #0x00]
	rdvl	x1, #1
	str	x1, [x20, #0x08]
	.irp	len, 0, 1, 2, 3, 4, 5, 6, 7, 8, 15
	mov	x0, #\len
	msr	S3_0_C1_C2_0, x0
	isb
	rdvl	x1, #1
	str	x1, [x20, #(0x10 + 8 * (\len - 6 * (\len / 15)))]
	.endr
	mov	x0, #-1
	msr	S3_0_C1_C2_0, x0
	isb
	mrs	x1, S3_0_C1_C2_0
	str	x1, [x20, #0x70]
	rdvl	x1, #1
	str	x1, [x20, #0x78]
	movz	x0, #0x0008
	movk	x0, #0x8400, lsl #16	// PSCI SYSTEM_OFF
	hvc	#0
1:	b	1b
