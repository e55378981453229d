/*
 * catalogue.c - routes a register id to its class, in Linux 6.1's order
 * (guest.c:kvm_arm_get_reg/kvm_arm_set_reg, sys_regs.c:kvm_arm_sys_reg_get_reg;
 * spec 3.2), and assembles KVM_GET_REG_LIST (guest.c:kvm_arm_copy_reg_indices;
 * spec 3.9): core, SVE, firmware, timer, invariants + system registers, demux.
 */
#include "regs/catalogue.h"

#include <errno.h>

#include "softkvm/kvm.h"
#include "util/explain.h"
#include "vcpu/vm.h"

#define ID_FIXED_MASK 0xff0fffff00000000ull   /* arch + bits 51:32 (size excluded) */

static int route(struct vcpu *v, uint64_t id, void *uaddr, bool set)
{
    if ((id & ID_FIXED_MASK) != KVM_REG_ARM64)
        return EXPLAIN(-EINVAL, "id 0x%llx is not an arm64 register id (bits 63:32 other than the size must be 0x6000000000000000)",
                       (unsigned long long)id);
    switch (id & KVM_REG_ARM_COPROC_MASK) {
    case KVM_REG_ARM_CORE:
        return set ? core_set(v, id, uaddr) : core_get(v, id, uaddr);
    case KVM_REG_ARM_FW:
    case KVM_REG_ARM_FW_FEAT_BMAP:
        return set ? fw_set(v, id, uaddr) : fw_get(v, id, uaddr);
    case KVM_REG_ARM64_SVE:
        return set ? sve_set(v, id, uaddr) : sve_get(v, id, uaddr);
    }
    if (timer_is_reg(id))
        return set ? timer_set(v, id, uaddr) : timer_get(v, id, uaddr);
    if ((id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_DEMUX)
        return set ? demux_set(v, id, uaddr) : demux_get(v, id, uaddr);
    return set ? sysreg_set(v, id, uaddr) : sysreg_get(v, id, uaddr);
}

int reg_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    return route(v, id, uaddr, false);
}

int reg_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    return route(v, id, (void *)uaddr, true);
}

unsigned reg_list(const struct vcpu *v, uint64_t *ids, unsigned max)
{
    unsigned (*const classes[])(const struct vcpu *, uint64_t *) = {
        core_list, sve_list, fw_list, timer_list, NULL /* invariants */, sysreg_list, demux_list,
    };
    static const uint64_t invariants[] = {
        KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | 0xc000, /* MIDR_EL1 */
        KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | 0xc006, /* REVIDR_EL1 */
        KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | 0xc801, /* CLIDR_EL1 */
        KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | 0xc807, /* AIDR_EL1 */
        KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | 0xd801, /* CTR_EL0 */
    };
    uint64_t buf[512];
    unsigned total = 0;
    for (unsigned c = 0; c < sizeof classes / sizeof classes[0]; c++) {
        unsigned n;
        if (!classes[c]) {
            n = sizeof invariants / sizeof invariants[0];
            for (unsigned i = 0; i < n; i++)
                buf[i] = invariants[i];
        } else {
            n = classes[c](v, buf);
        }
        for (unsigned i = 0; i < n; i++, total++)
            if (ids && total < max)
                ids[total] = buf[i];
    }
    return total;
}
