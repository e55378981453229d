/*
 * sysreg_table.h - the system-register catalogue of a Linux 6.1 arm64 vCPU.
 *
 * One row per register, in ascending encoding order (the order KVM_GET_REG_LIST
 * walks them; tests/unit/test_catalogue checks the order). Includers define
 *   SR(name, op0, op1, crn, crm, op2, visibility, reset_kind, reset_value, access)
 * and include this file (an X-macro table).
 *
 * visibility: who sees the register (ONE_REG, REG_LIST and guest MRS/MSR):
 *   ALL, SVE (vCPU has SVE), PTRAUTH, PMU, MTE (VM has MTE), GUEST (never a ONE_REG
 *   id: guest-only state such as the timer, whose ONE_REG ids are handled apart).
 * reset_kind: VAL (reset_value), UNKNOWN (KVM's 0x1de7ec7edbadc0de poison), ID
 *   (host profile's ID value for this vCPU), MPIDR (from the vcpu id), PMU_MASK
 *   (poison & implemented-counter mask), PMCR (host PMCR), NONE (not reset).
 * access (ONE_REG SET rule): RW any value; ID only the current value; PFR0 the ID
 *   rule with CSV2/CSV3 free; OSLSR only OSLK may change; WI reads 0, ignores writes.
 *
 * Source of truth: Linux 6.1 arch/arm64/kvm/sys_regs.c sys_reg_descs[], checked
 * against spec/data/reglist-*.tsv (the lists real KVM returned).
 */

#define SR_DBG(n, crm)                                                          \
    SR(DBGBVR##n##_EL1, 2, 0, 0, crm, 4, ALL, VAL, 0, RW)                       \
    SR(DBGBCR##n##_EL1, 2, 0, 0, crm, 5, ALL, VAL, 0, RW)                       \
    SR(DBGWVR##n##_EL1, 2, 0, 0, crm, 6, ALL, VAL, 0, RW)                       \
    SR(DBGWCR##n##_EL1, 2, 0, 0, crm, 7, ALL, VAL, 0, RW)

/* The 56 ID-space encodings (3,0,0,crm,op2), crm 1..7: all listed, hidden or not. */
#define SR_IDROW(crm, n0, n1, n2, n3, n4, n5, n6, n7)                           \
    SR(n0, 3, 0, 0, crm, 0, ALL, ID, 0, ID) SR(n1, 3, 0, 0, crm, 1, ALL, ID, 0, ID) \
    SR(n2, 3, 0, 0, crm, 2, ALL, ID, 0, ID) SR(n3, 3, 0, 0, crm, 3, ALL, ID, 0, ID) \
    SR(n4, 3, 0, 0, crm, 4, ALL, ID, 0, ID) SR(n5, 3, 0, 0, crm, 5, ALL, ID, 0, ID) \
    SR(n6, 3, 0, 0, crm, 6, ALL, ID, 0, ID) SR(n7, 3, 0, 0, crm, 7, ALL, ID, 0, ID)

#define SR_PMEV(n, crm, op2)                                                    \
    SR(PMEVCNTR##n##_EL0, 3, 3, 14, crm, op2, PMU, VAL, 0xdbadc0de, RW)
#define SR_PMEVT(n, crm, op2)                                                   \
    SR(PMEVTYPER##n##_EL0, 3, 3, 14, crm, op2, PMU, VAL, 0xc800c0de, RW)

SR_DBG(0, 0)
SR_DBG(1, 1)
SR(MDCCINT_EL1,     2, 0, 0, 2, 0, ALL, VAL, 0, RW)
SR(MDSCR_EL1,       2, 0, 0, 2, 2, ALL, VAL, 0, RW)
SR_DBG(2, 2)
SR_DBG(3, 3) SR_DBG(4, 4) SR_DBG(5, 5) SR_DBG(6, 6) SR_DBG(7, 7) SR_DBG(8, 8)
SR_DBG(9, 9) SR_DBG(10, 10) SR_DBG(11, 11) SR_DBG(12, 12) SR_DBG(13, 13)
SR_DBG(14, 14) SR_DBG(15, 15)
SR(OSLSR_EL1,       2, 0, 1, 1, 4, ALL, VAL, 0x8, OSLSR)
SR(DBGVCR32_EL2,    2, 4, 0, 7, 0, ALL, VAL, 0, RW)
SR(MPIDR_EL1,       3, 0, 0, 0, 5, ALL, MPIDR, 0, RW)
SR_IDROW(1, ID_PFR0_EL1, ID_PFR1_EL1, ID_DFR0_EL1, ID_AFR0_EL1,
            ID_MMFR0_EL1, ID_MMFR1_EL1, ID_MMFR2_EL1, ID_MMFR3_EL1)
SR_IDROW(2, ID_ISAR0_EL1, ID_ISAR1_EL1, ID_ISAR2_EL1, ID_ISAR3_EL1,
            ID_ISAR4_EL1, ID_ISAR5_EL1, ID_MMFR4_EL1, ID_ISAR6_EL1)
SR_IDROW(3, MVFR0_EL1, MVFR1_EL1, MVFR2_EL1, ID_3_0_0_3_3,
            ID_PFR2_EL1, ID_DFR1_EL1, ID_MMFR5_EL1, ID_3_0_0_3_7)
/* ID_AA64PFR0_EL1 is the one ID register whose SET may change CSV2/CSV3: row apart. */
SR(ID_AA64PFR0_EL1, 3, 0, 0, 4, 0, ALL, ID, 0, PFR0)
SR(ID_AA64PFR1_EL1, 3, 0, 0, 4, 1, ALL, ID, 0, ID)
SR(ID_3_0_0_4_2,    3, 0, 0, 4, 2, ALL, ID, 0, ID)
SR(ID_3_0_0_4_3,    3, 0, 0, 4, 3, ALL, ID, 0, ID)
SR(ID_AA64ZFR0_EL1, 3, 0, 0, 4, 4, ALL, ID, 0, ID)
SR(ID_AA64SMFR0_EL1,3, 0, 0, 4, 5, ALL, ID, 0, ID)
SR(ID_3_0_0_4_6,    3, 0, 0, 4, 6, ALL, ID, 0, ID)
SR(ID_3_0_0_4_7,    3, 0, 0, 4, 7, ALL, ID, 0, ID)
SR_IDROW(5, ID_AA64DFR0_EL1, ID_AA64DFR1_EL1, ID_3_0_0_5_2, ID_3_0_0_5_3,
            ID_AA64AFR0_EL1, ID_AA64AFR1_EL1, ID_3_0_0_5_6, ID_3_0_0_5_7)
SR_IDROW(6, ID_AA64ISAR0_EL1, ID_AA64ISAR1_EL1, ID_AA64ISAR2_EL1, ID_3_0_0_6_3,
            ID_3_0_0_6_4, ID_3_0_0_6_5, ID_3_0_0_6_6, ID_3_0_0_6_7)
SR_IDROW(7, ID_AA64MMFR0_EL1, ID_AA64MMFR1_EL1, ID_AA64MMFR2_EL1, ID_3_0_0_7_3,
            ID_3_0_0_7_4, ID_3_0_0_7_5, ID_3_0_0_7_6, ID_3_0_0_7_7)
SR(SCTLR_EL1,       3, 0, 1, 0, 0, ALL, VAL, 0x00C50078, RW)
SR(ACTLR_EL1,       3, 0, 1, 0, 1, ALL, VAL, 0, RW)         /* host value: 0 on QEMU max */
SR(CPACR_EL1,       3, 0, 1, 0, 2, ALL, VAL, 0, RW)
SR(RGSR_EL1,        3, 0, 1, 0, 5, MTE, UNKNOWN, 0, RW)
SR(GCR_EL1,         3, 0, 1, 0, 6, MTE, UNKNOWN, 0, RW)
SR(ZCR_EL1,         3, 0, 1, 2, 0, SVE, VAL, 0, RW)
SR(TTBR0_EL1,       3, 0, 2, 0, 0, ALL, UNKNOWN, 0, RW)
SR(TTBR1_EL1,       3, 0, 2, 0, 1, ALL, UNKNOWN, 0, RW)
SR(TCR_EL1,         3, 0, 2, 0, 2, ALL, VAL, 0, RW)
SR(APIAKEYLO_EL1,   3, 0, 2, 1, 0, PTRAUTH, UNKNOWN, 0, RW)
SR(APIAKEYHI_EL1,   3, 0, 2, 1, 1, PTRAUTH, UNKNOWN, 0, RW)
SR(APIBKEYLO_EL1,   3, 0, 2, 1, 2, PTRAUTH, UNKNOWN, 0, RW)
SR(APIBKEYHI_EL1,   3, 0, 2, 1, 3, PTRAUTH, UNKNOWN, 0, RW)
SR(APDAKEYLO_EL1,   3, 0, 2, 2, 0, PTRAUTH, UNKNOWN, 0, RW)
SR(APDAKEYHI_EL1,   3, 0, 2, 2, 1, PTRAUTH, UNKNOWN, 0, RW)
SR(APDBKEYLO_EL1,   3, 0, 2, 2, 2, PTRAUTH, UNKNOWN, 0, RW)
SR(APDBKEYHI_EL1,   3, 0, 2, 2, 3, PTRAUTH, UNKNOWN, 0, RW)
SR(APGAKEYLO_EL1,   3, 0, 2, 3, 0, PTRAUTH, UNKNOWN, 0, RW)
SR(APGAKEYHI_EL1,   3, 0, 2, 3, 1, PTRAUTH, UNKNOWN, 0, RW)
SR(AFSR0_EL1,       3, 0, 5, 1, 0, ALL, UNKNOWN, 0, RW)
SR(AFSR1_EL1,       3, 0, 5, 1, 1, ALL, UNKNOWN, 0, RW)
SR(ESR_EL1,         3, 0, 5, 2, 0, ALL, UNKNOWN, 0, RW)
SR(TFSR_EL1,        3, 0, 5, 6, 0, MTE, UNKNOWN, 0, RW)
SR(TFSRE0_EL1,      3, 0, 5, 6, 1, MTE, UNKNOWN, 0, RW)
SR(FAR_EL1,         3, 0, 6, 0, 0, ALL, UNKNOWN, 0, RW)
SR(PAR_EL1,         3, 0, 7, 4, 0, ALL, UNKNOWN, 0, RW)
SR(PMINTENSET_EL1,  3, 0, 9, 14, 1, PMU, PMU_MASK, 0, RW)
SR(PMINTENCLR_EL1,  3, 0, 9, 14, 2, PMU, PMU_MASK, 0, RW)
SR(MAIR_EL1,        3, 0, 10, 2, 0, ALL, UNKNOWN, 0, RW)
SR(AMAIR_EL1,       3, 0, 10, 3, 0, ALL, VAL, 0, RW)        /* host value: 0 on QEMU max */
SR(VBAR_EL1,        3, 0, 12, 0, 0, ALL, VAL, 0, RW)
SR(DISR_EL1,        3, 0, 12, 1, 1, ALL, VAL, 0, RW)
SR(CONTEXTIDR_EL1,  3, 0, 13, 0, 1, ALL, VAL, 0, RW)
SR(TPIDR_EL1,       3, 0, 13, 0, 4, ALL, UNKNOWN, 0, RW)
SR(CNTKCTL_EL1,     3, 0, 14, 1, 0, ALL, VAL, 0, RW)
SR(CSSELR_EL1,      3, 2, 0, 0, 0, ALL, UNKNOWN, 0, RW)
SR(PMCR_EL0,        3, 3, 9, 12, 0, PMU, PMCR, 0, RW)
SR(PMCNTENSET_EL0,  3, 3, 9, 12, 1, PMU, PMU_MASK, 0, RW)
SR(PMCNTENCLR_EL0,  3, 3, 9, 12, 2, PMU, PMU_MASK, 0, RW)
SR(PMOVSCLR_EL0,    3, 3, 9, 12, 3, PMU, PMU_MASK, 0, RW)
SR(PMSWINC_EL0,     3, 3, 9, 12, 4, PMU, VAL, 0, WI)
SR(PMSELR_EL0,      3, 3, 9, 12, 5, PMU, VAL, 0x1e, RW)     /* poison & 0x1f */
SR(PMCCNTR_EL0,     3, 3, 9, 13, 0, PMU, UNKNOWN, 0, RW)
SR(PMUSERENR_EL0,   3, 3, 9, 14, 0, PMU, VAL, 0, RW)
SR(PMOVSSET_EL0,    3, 3, 9, 14, 3, PMU, PMU_MASK, 0, RW)
SR(TPIDR_EL0,       3, 3, 13, 0, 2, ALL, UNKNOWN, 0, RW)
SR(TPIDRRO_EL0,     3, 3, 13, 0, 3, ALL, UNKNOWN, 0, RW)
SR_PMEV(0, 8, 0) SR_PMEV(1, 8, 1) SR_PMEV(2, 8, 2) SR_PMEV(3, 8, 3)
SR_PMEV(4, 8, 4) SR_PMEV(5, 8, 5) SR_PMEV(6, 8, 6) SR_PMEV(7, 8, 7)
SR_PMEV(8, 9, 0) SR_PMEV(9, 9, 1) SR_PMEV(10, 9, 2) SR_PMEV(11, 9, 3)
SR_PMEV(12, 9, 4) SR_PMEV(13, 9, 5) SR_PMEV(14, 9, 6) SR_PMEV(15, 9, 7)
SR_PMEV(16, 10, 0) SR_PMEV(17, 10, 1) SR_PMEV(18, 10, 2) SR_PMEV(19, 10, 3)
SR_PMEV(20, 10, 4) SR_PMEV(21, 10, 5) SR_PMEV(22, 10, 6) SR_PMEV(23, 10, 7)
SR_PMEV(24, 11, 0) SR_PMEV(25, 11, 1) SR_PMEV(26, 11, 2) SR_PMEV(27, 11, 3)
SR_PMEV(28, 11, 4) SR_PMEV(29, 11, 5) SR_PMEV(30, 11, 6)
SR_PMEVT(0, 12, 0) SR_PMEVT(1, 12, 1) SR_PMEVT(2, 12, 2) SR_PMEVT(3, 12, 3)
SR_PMEVT(4, 12, 4) SR_PMEVT(5, 12, 5) SR_PMEVT(6, 12, 6) SR_PMEVT(7, 12, 7)
SR_PMEVT(8, 13, 0) SR_PMEVT(9, 13, 1) SR_PMEVT(10, 13, 2) SR_PMEVT(11, 13, 3)
SR_PMEVT(12, 13, 4) SR_PMEVT(13, 13, 5) SR_PMEVT(14, 13, 6) SR_PMEVT(15, 13, 7)
SR_PMEVT(16, 14, 0) SR_PMEVT(17, 14, 1) SR_PMEVT(18, 14, 2) SR_PMEVT(19, 14, 3)
SR_PMEVT(20, 14, 4) SR_PMEVT(21, 14, 5) SR_PMEVT(22, 14, 6) SR_PMEVT(23, 14, 7)
SR_PMEVT(24, 15, 0) SR_PMEVT(25, 15, 1) SR_PMEVT(26, 15, 2) SR_PMEVT(27, 15, 3)
SR_PMEVT(28, 15, 4) SR_PMEVT(29, 15, 5) SR_PMEVT(30, 15, 6)
SR(PMCCFILTR_EL0,   3, 3, 14, 15, 7, PMU, VAL, 0, RW)
SR(DACR32_EL2,      3, 4, 3, 0, 0, ALL, UNKNOWN, 0, RW)
SR(IFSR32_EL2,      3, 4, 5, 0, 1, ALL, UNKNOWN, 0, RW)
SR(FPEXC32_EL2,     3, 4, 5, 3, 0, ALL, VAL, 0x700, RW)

/* Guest-only state (no ONE_REG id of its own; the timer ids map here in timer.c). */
SR(CNTV_CTL_EL0,    3, 3, 14, 3, 1, GUEST, VAL, 0, RW)
SR(CNTV_CVAL_EL0,   3, 3, 14, 3, 2, GUEST, NONE, 0, RW)
SR(CNTP_CTL_EL0,    3, 3, 14, 2, 1, GUEST, VAL, 0, RW)
SR(CNTP_CVAL_EL0,   3, 3, 14, 2, 2, GUEST, NONE, 0, RW)

#undef SR_DBG
#undef SR_IDROW
#undef SR_PMEV
#undef SR_PMEVT
