/*
 * fw.c - firmware pseudo-registers (coproc 0x14 KVM_REG_ARM_FW and 0x16
 * KVM_REG_ARM_FW_FEAT_BMAP): the PSCI version, the SMCCC workaround levels and
 * the hypercall-service bitmaps. Their values are VM-wide.
 *
 * Linux 6.1 hypercalls.c (kvm_arm_get_fw_reg, kvm_arm_set_fw_reg,
 * kvm_arm_set_fw_reg_bmap, get_kernel_wa_level; spec 3.6).
 */
#include <errno.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/vm.h"

static const uint64_t fw_ids[] = {
    KVM_REG_ARM_PSCI_VERSION,
    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1,
    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2,
    KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3,
    KVM_REG_ARM_STD_BMAP,
    KVM_REG_ARM_STD_HYP_BMAP,
    KVM_REG_ARM_VENDOR_HYP_BMAP,
};
#define NR_FW_IDS (sizeof fw_ids / sizeof fw_ids[0])

unsigned fw_list(const struct vcpu *v, uint64_t *ids)
{
    for (unsigned i = 0; ids && i < NR_FW_IDS; i++)
        ids[i] = fw_ids[i];
    return NR_FW_IDS;
}

static bool has_psci02(const struct vcpu *v)
{
    return v->features & (1u << KVM_ARM_VCPU_PSCI_0_2);
}

/* The value of bitmap register id, and its writable mask. */
static uint64_t *bmap(struct vm *vm, uint64_t id, uint64_t *mask)
{
    switch (id) {
    case KVM_REG_ARM_STD_BMAP: *mask = 0x1; return &vm->fw_std_bmap;
    case KVM_REG_ARM_STD_HYP_BMAP: *mask = 0x1; return &vm->fw_std_hyp_bmap;
    case KVM_REG_ARM_VENDOR_HYP_BMAP: *mask = 0x3; return &vm->fw_vendor_hyp_bmap;
    default: return NULL;
    }
}

int fw_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    struct vm *vm = v->vm;
    uint64_t val, mask;
    switch (id) {
    case KVM_REG_ARM_PSCI_VERSION:
        val = has_psci02(v) ? vm->psci_version : PSCI_VER_0_1;
        break;
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1: val = (uint64_t)vm->host.fw_wa1; break;
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2: val = (uint64_t)vm->host.fw_wa2; break;
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3: val = (uint64_t)vm->host.fw_wa3; break;
    default: {
        uint64_t *b = bmap(vm, id, &mask);
        if (!b)
            return EXPLAIN(-ENOENT, "firmware register id 0x%llx does not exist", (unsigned long long)id);
        pthread_mutex_lock(&vm->lock);
        val = *b;
        pthread_mutex_unlock(&vm->lock);
    }
    }
    return copy_to_user(uaddr, &val, 8);
}

static int set_psci_version(struct vcpu *v, uint64_t val)
{
    if (!has_psci02(v)) {
        if (val != PSCI_VER_0_1)
            return EXPLAIN(-EINVAL, "vCPU %u has no KVM_ARM_VCPU_PSCI_0_2: its PSCI version can only be 0.1 (0x1)", v->id);
        return 0;
    }
    if (val != PSCI_VER_0_2 && val != PSCI_VER_1_0 && val != PSCI_VER_1_1)
        return EXPLAIN(-EINVAL, "PSCI version 0x%llx: a PSCI_0_2 vCPU accepts 0x2 (0.2), 0x10000 (1.0), 0x10001 (1.1)",
                       (unsigned long long)val);
    pthread_mutex_lock(&v->vm->lock);
    v->vm->psci_version = val;   /* VM-wide: every PSCI_0_2 vCPU now reports it */
    pthread_mutex_unlock(&v->vm->lock);
    return 0;
}

int fw_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    struct vm *vm = v->vm;
    uint64_t val, mask;
    if (reg_size_bytes(id) != 8)
        return EXPLAIN(-ENOENT, "firmware registers are U64");
    if (copy_from_user(&val, uaddr, 8))
        return -EFAULT;
    switch (id) {
    case KVM_REG_ARM_PSCI_VERSION:
        return set_psci_version(v, val);
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1:
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3: {
        int level = id == KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 ? vm->host.fw_wa1 : vm->host.fw_wa3;
        if (val > 0xf || val > (uint64_t)level)
            return EXPLAIN(-EINVAL, "workaround level %llu is above this host's %d (a VM cannot migrate to a less "
                           "mitigated host)", (unsigned long long)val, level);
        return 0;
    }
    case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2: {
        if (val & ~0x1full)
            return EXPLAIN(-EINVAL, "WORKAROUND_2: only the level (bits 3:0) and ENABLED (bit 4) exist");
        if ((val & 0x10) && (val & 0xf) != 2)
            return EXPLAIN(-EINVAL, "WORKAROUND_2: ENABLED requires level AVAIL (2)");
        int want;
        switch (val & 0xf) {
        case 0: case 1: want = 0; break;     /* NOT_AVAIL, UNKNOWN */
        case 2: case 3: want = 3; break;     /* AVAIL, NOT_REQUIRED */
        default: return EXPLAIN(-EINVAL, "WORKAROUND_2: level %llu does not exist", (unsigned long long)(val & 0xf));
        }
        if (want > vm->host.fw_wa2)
            return EXPLAIN(-EINVAL, "WORKAROUND_2 level is above this host's");
        return 0;
    }
    default: {
        uint64_t *b = bmap(vm, id, &mask);
        if (!b)
            return EXPLAIN(-ENOENT, "firmware register id 0x%llx does not exist", (unsigned long long)id);
        if (val & ~mask)
            return EXPLAIN(-EINVAL, "bitmap 0x%llx has bits outside the known services 0x%llx",
                           (unsigned long long)val, (unsigned long long)mask);
        int r = 0;
        pthread_mutex_lock(&vm->lock);
        if (atomic_load(&vm->has_ran_once) && val != *b)
            r = EXPLAIN(-EBUSY, "a vCPU of this VM has run: hypercall bitmaps are frozen");
        else
            *b = val;
        pthread_mutex_unlock(&vm->lock);
        return r;
    }
    }
}
