/*
 * sysregs.h - descriptors of the system-register catalogue (sysreg_table.h).
 */
#ifndef SOFTKVM_REGS_SYSREGS_H
#define SOFTKVM_REGS_SYSREGS_H

#include <stdbool.h>
#include <stdint.h>

enum sr_vis { VIS_ALL, VIS_SVE, VIS_PTRAUTH, VIS_PMU, VIS_MTE, VIS_GUEST };
enum sr_reset { RK_VAL, RK_UNKNOWN, RK_ID, RK_MPIDR, RK_PMU_MASK, RK_PMCR, RK_NONE };
enum sr_acc { ACC_RW, ACC_ID, ACC_PFR0, ACC_OSLSR, ACC_WI };

struct sysreg_desc {
    const char *name;
    uint32_t enc;          /* op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2 */
    uint16_t slot;         /* index in struct cpu sys[] */
    uint8_t vis, reset, acc;
    uint64_t reset_val;
};

struct vcpu;

extern const struct sysreg_desc sysreg_descs[];
extern const unsigned sysreg_nr_descs;

/* KVM's "unknown" reset poison (sys_regs.h:reset_unknown). */
#define SYSREG_POISON 0x1de7ec7edbadc0deull

/* Descriptor for an encoding (any visibility), or NULL. */
const struct sysreg_desc *sysreg_find(uint32_t enc);
/* Is the register visible to this vCPU (ONE_REG, list, guest)? */
bool sysreg_visible(const struct vcpu *v, const struct sysreg_desc *d);

#endif
