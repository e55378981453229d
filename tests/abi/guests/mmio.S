/*
 * mmio.S - the "mmio" guest of lifecycle.tsv (steps mini:, mmio+psci(...), run:, poweroff:).
 *
 * MMIO stores and loads of every size to the window at 0x20000000 (no memslot), then the
 * results of four HVC calls (PSCI_VERSION, SMCCC_VERSION, PSCI_FEATURES(SYSTEM_OFF), an
 * unknown SiP function), then PSCI SYSTEM_OFF. The measured PCs pin the layout: first
 * store at +0x14, the SYSTEM_OFF HVC at +0x88, the final loop at +0x90 (.org checks it).
 * Expected exits: lifecycle.tsv rows "mmio+psci(...): KVM_RUN #n".
 */
	.text
	.global	_start
_start:
	movz	x20, #0x2000, lsl #16	// +0x00 x20 = MMIO window
	movz	x2, #0xbeef		// +0x04
	movk	x2, #0xdead, lsl #16	// +0x08
	movk	x2, #0x3210, lsl #32	// +0x0c
	movk	x2, #0x7654, lsl #48	// +0x10 x2 = 0x76543210deadbeef
	str	x2, [x20]		// +0x14 #1 store, 8 bytes
	strb	w2, [x20, #1]		// +0x18 #2 store, 1 byte
	strh	w2, [x20, #2]		// +0x1c #3 store, 2 bytes
	ldr	x3, [x20, #8]		// +0x20 #4 load, 8 bytes (reply 11 22 .. 88)
	ldr	w4, [x20, #0x10]	// +0x24 #5 load, 4 bytes
	ldrb	w5, [x20, #0x14]	// +0x28 #6 load, 1 byte
	str	x3, [x20, #0x18]	// +0x2c #7 what the 8-byte load returned
	str	w4, [x20, #0x20]	// +0x30 #8 what the 4-byte load returned (4-byte store)
	str	x5, [x20, #0x28]	// +0x34 #9 what the 1-byte load returned
	movz	x0, #0x8400, lsl #16	// +0x38 PSCI_VERSION
	hvc	#0
	str	x0, [x20, #0x30]	// +0x40 #10
	movz	x0, #0x8000, lsl #16	// +0x44 SMCCC_VERSION
	hvc	#0
	str	x0, [x20, #0x38]	// +0x4c #11
	movz	x0, #0x000a		// +0x50 PSCI_FEATURES ...
	movk	x0, #0x8400, lsl #16
	movz	x1, #0x0008		// +0x58 ... of SYSTEM_OFF
	movk	x1, #0x8400, lsl #16
	hvc	#0			// +0x60 (HVC clears x1-x3, hence x20 as base)
	str	x0, [x20, #0x40]	// +0x64 #12
	movz	x0, #0xff00		// +0x68 an SiP function KVM does not implement
	movk	x0, #0x8200, lsl #16
	hvc	#0			// +0x70
	str	x0, [x20, #0x48]	// +0x74 #13
	nop				// +0x78 padding to the measured SYSTEM_OFF PC
	nop
	movz	x0, #0x0008		// +0x80 PSCI SYSTEM_OFF
	movk	x0, #0x8400, lsl #16
	.org	0x88
	hvc	#0			// +0x88 exits (PSCI 0.2+) with PC = +0x8c
	str	x0, [x20, #0x50]	// +0x8c #14 without PSCI_0_2: SYSTEM_OFF returned -1
	.org	0x90
1:	b	1b			// +0x90
