/*
 * slots.h - indices of system registers in struct cpu's sys[] array.
 *
 * SR_<NAME> for every row of sysreg_table.h, e.g. cpu->sys[SR_VBAR_EL1].
 */
#ifndef SOFTKVM_REGS_SLOTS_H
#define SOFTKVM_REGS_SLOTS_H

enum sysreg_slot {
#define SR(name, op0, op1, crn, crm, op2, vis, rk, rv, acc) SR_##name,
#include "regs/sysreg_table.h"
#undef SR
    SR_NR
};

/* KVM's sysreg index / MRS encoding: op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2. */
#define SYSREG_ENC(op0, op1, crn, crm, op2) \
    ((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))

#endif
