/*
 * features.c - what each KVM_ARM_VCPU_INIT feature bit requires and does.
 *
 * Rows are in the order Linux 6.1's reset step checks them (reset.c:
 * kvm_reset_vcpu: VM width, SVE, PtrAuth, PMU); the first refusal wins.
 * SVE is the only finalizable feature in 6.1: its configuration (the VLS
 * pseudo-register, regs/sve.c) is open until FINALIZE(KVM_ARM_VCPU_SVE).
 */
#include "vcpu/features.h"

#include <errno.h>

#include "softkvm/kvm.h"
#include "util/explain.h"
#include "vcpu/vm.h"

static bool wants(const struct vcpu *v, unsigned bit)
{
    return v->features & (1u << bit);
}

/* reset.c:kvm_set_vm_width: the register width is VM-wide and fixed by the first
 * INIT that reaches the reset step, even if that INIT then fails. */
static int enable_width(struct vcpu *v)
{
    struct vm *vm = v->vm;
    bool is32 = wants(v, KVM_ARM_VCPU_EL1_32BIT);
    int r = 0;
    pthread_mutex_lock(&vm->lock);
    if (vm->width_configured) {
        if (is32 != vm->el1_32bit)
            r = EXPLAIN(-EINVAL, "the VM's vCPUs are %s: every vCPU must use the same KVM_ARM_VCPU_EL1_32BIT setting",
                        vm->el1_32bit ? "AArch32 at EL1" : "AArch64");
    } else if (is32 && !vm->host.p.el1_32bit) {
        r = EXPLAIN(-EINVAL, "KVM_ARM_VCPU_EL1_32BIT: this host has no AArch32 EL1 (KVM_CAP_ARM_EL1_32BIT is 0)");
    } else if (is32 && vm->mte_enabled) {
        r = EXPLAIN(-EINVAL, "KVM_ARM_VCPU_EL1_32BIT cannot be combined with MTE");
    } else {
        vm->el1_32bit = is32;
        vm->width_configured = true;
    }
    pthread_mutex_unlock(&vm->lock);
    return r;
}

/* reset.c:kvm_vcpu_enable_sve: before FINALIZE every INIT (re)starts the VL
 * configuration at the host maximum; after FINALIZE the VL set is frozen. */
static int enable_sve(struct vcpu *v)
{
    if (!wants(v, KVM_ARM_VCPU_SVE) || v->sve_finalized)
        return 0;
    if (!v->vm->host.p.sve_vqs)
        return EXPLAIN(-EINVAL, "KVM_ARM_VCPU_SVE: this host has no SVE (KVM_CAP_ARM_SVE is 0)");
    v->has_sve = true;
    v->sve_max_vq = v->vm->host.sve_max_vq;
    return 0;
}

/* reset.c:kvm_vcpu_enable_ptrauth: both PAuth bits or neither, and host support. */
static int enable_ptrauth(struct vcpu *v)
{
    bool a = wants(v, KVM_ARM_VCPU_PTRAUTH_ADDRESS), g = wants(v, KVM_ARM_VCPU_PTRAUTH_GENERIC);
    if (!a && !g)
        return 0;
    if (a != g)
        return EXPLAIN(-EINVAL, "KVM_ARM_VCPU_PTRAUTH_ADDRESS and KVM_ARM_VCPU_PTRAUTH_GENERIC must be requested together");
    if (!v->vm->host.p.ptrauth)
        return EXPLAIN(-EINVAL, "pointer authentication: this host has none (KVM_CAP_ARM_PTRAUTH_* are 0)");
    v->has_ptrauth = true;
    return 0;
}

static int enable_pmu(struct vcpu *v)
{
    if (!wants(v, KVM_ARM_VCPU_PMU_V3))
        return 0;
    if (!v->vm->host.p.pmu)
        return EXPLAIN(-EINVAL, "KVM_ARM_VCPU_PMU_V3: this host has no usable PMUv3 (KVM_CAP_ARM_PMU_V3 is 0)");
    v->has_pmu = true;
    return 0;
}

static bool has_sve(const struct vcpu *v) { return v->has_sve; }
static bool sve_finalized(const struct vcpu *v) { return v->sve_finalized; }

/* reset.c:kvm_vcpu_finalize_sve: freeze the VL chosen through KVM_REG_ARM64_SVE_VLS. */
static int finalize_sve(struct vcpu *v)
{
    v->sve_finalized = true;
    v->env.vcpu_has_sve = true;
    v->env.sve_vqs = v->vm->host.p.sve_vqs & ((1u << v->sve_max_vq) - 1);
    return 0;
}

const struct feature vcpu_features[] = {
    { KVM_ARM_VCPU_POWER_OFF, "POWER_OFF", NULL, -1, NULL, NULL, NULL },
    { KVM_ARM_VCPU_EL1_32BIT, "EL1_32BIT", enable_width, -1, NULL, NULL, NULL },
    { KVM_ARM_VCPU_PSCI_0_2, "PSCI_0_2", NULL, -1, NULL, NULL, NULL },
    { KVM_ARM_VCPU_SVE, "SVE", enable_sve, KVM_ARM_VCPU_SVE, has_sve, sve_finalized, finalize_sve },
    { KVM_ARM_VCPU_PTRAUTH_ADDRESS, "PTRAUTH_ADDRESS", enable_ptrauth, -1, NULL, NULL, NULL },
    { KVM_ARM_VCPU_PTRAUTH_GENERIC, "PTRAUTH_GENERIC", NULL, -1, NULL, NULL, NULL },
    { KVM_ARM_VCPU_PMU_V3, "PMU_V3", enable_pmu, -1, NULL, NULL, NULL },
};
const unsigned vcpu_nr_feature_rows = sizeof vcpu_features / sizeof vcpu_features[0];
