/*
 * catalogue.c - routes a register id to its class, in Linux 6.1's order
 * (guest.c:kvm_arm_get_reg/kvm_arm_set_reg, sys_regs.c:kvm_arm_sys_reg_get_reg;
 * spec 3.2), and assembles KVM_GET_REG_LIST (guest.c:kvm_arm_copy_reg_indices;
 * spec 3.9): core, SVE, firmware, timer, invariants + system registers, demux.
 */
#include "regs/catalogue.h"

#include <errno.h>
#include <stdio.h>

#include "regs/sysregs.h"

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

const char *reg_name(uint64_t id, char *buf, size_t len)
{
    uint64_t coproc = id & KVM_REG_ARM_COPROC_MASK;
    unsigned idx = (unsigned)(id & 0xffff);
    if ((id & ID_FIXED_MASK) != KVM_REG_ARM64) {
        snprintf(buf, len, "0x%llx", (unsigned long long)id);
    } else if (coproc == KVM_REG_ARM_CORE) {
        static const char *const named[] = { [0x3e] = "sp", [0x40] = "pc", [0x42] = "pstate", [0x44] = "sp_el1",
                                             [0x46] = "elr_el1", [0xd4] = "fpsr", [0xd5] = "fpcr" };
        if (idx <= 0x3c && !(idx & 1))
            snprintf(buf, len, "x%u", idx / 2);
        else if (idx < sizeof named / sizeof named[0] && named[idx])
            snprintf(buf, len, "%s", named[idx]);
        else if (idx >= 0x48 && idx <= 0x50 && !(idx & 1))
            snprintf(buf, len, "spsr[%u]", (idx - 0x48) / 2);
        else if (idx >= 0x54 && idx <= 0xd0 && !(idx & 3))
            snprintf(buf, len, "v%u", (idx - 0x54) / 4);
        else
            snprintf(buf, len, "core+0x%x", idx);
    } else if (id == KVM_REG_ARM64_SVE_VLS) {
        snprintf(buf, len, "KVM_REG_ARM64_SVE_VLS");
    } else if (coproc == KVM_REG_ARM64_SVE) {
        unsigned n = (idx >> 5) & 31, slice = idx & 31;
        if (idx < 0x400)
            snprintf(buf, len, "Z%u slice %u", n, slice);
        else if (idx < 0x600)
            snprintf(buf, len, "P%u slice %u", n & 15, slice);
        else
            snprintf(buf, len, "FFR slice %u", slice);
    } else if (coproc == KVM_REG_ARM_FW || coproc == KVM_REG_ARM_FW_FEAT_BMAP) {
        static const char *const fw[] = { "PSCI_VERSION", "SMCCC_ARCH_WORKAROUND_1", "SMCCC_ARCH_WORKAROUND_2",
                                          "SMCCC_ARCH_WORKAROUND_3" };
        static const char *const bm[] = { "STD_BMAP", "STD_HYP_BMAP", "VENDOR_HYP_BMAP" };
        if (coproc == KVM_REG_ARM_FW && idx < 4)
            snprintf(buf, len, "KVM_REG_ARM_%s", fw[idx]);
        else if (coproc == KVM_REG_ARM_FW_FEAT_BMAP && idx < 3)
            snprintf(buf, len, "KVM_REG_ARM_%s", bm[idx]);
        else
            snprintf(buf, len, "firmware register %u", idx);
    } else if (id == KVM_REG_ARM_TIMER_CTL || id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_TIMER_CVAL) {
        snprintf(buf, len, "%s", id == KVM_REG_ARM_TIMER_CTL ? "KVM_REG_ARM_TIMER_CTL" :
                                 id == KVM_REG_ARM_TIMER_CNT ? "KVM_REG_ARM_TIMER_CNT" : "KVM_REG_ARM_TIMER_CVAL");
    } else if (coproc == KVM_REG_ARM_DEMUX) {
        snprintf(buf, len, "CCSIDR(csselr %u)", idx & 0xff);
    } else {
        const struct sysreg_desc *d = coproc == KVM_REG_ARM64_SYSREG ? sysreg_find(idx) : NULL;
        if (d)
            snprintf(buf, len, "%s", d->name);
        else
            snprintf(buf, len, "S%u_%u_C%u_C%u_%u", idx >> 14, (idx >> 11) & 7, (idx >> 7) & 15, (idx >> 3) & 15, idx & 7);
    }
    return buf;
}
