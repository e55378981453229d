/*
 * psci.c - HVC from EL1: SMCCC discovery, PSCI 0.1 .. 1.1, vendor calls.
 *
 * Linux 6.1 hypercalls.c (kvm_hvc_call_handler), psci.c (kvm_psci_0_1_call,
 * kvm_psci_0_2_call, kvm_psci_1_x_call, kvm_psci_vcpu_on, affinity info,
 * kvm_prepare_system_event) and hyp-entry.S's workaround fast path (spec 4.4,
 * 4.6). The PSCI version in force is the VM-wide firmware register for vCPUs
 * with KVM_ARM_VCPU_PSCI_0_2, and 0.1 for the others.
 */
#include <string.h>

#include "hyp/hyp.h"
#include "softkvm/kvm.h"
#include "vcpu/vm.h"

#define RET_SUCCESS 0
#define RET_NOT_SUPPORTED ((uint64_t)-1)
#define RET_INVALID_PARAMS ((uint64_t)-2)
#define RET_ALREADY_ON ((uint64_t)-4)
#define RET_INTERNAL_FAILURE ((uint64_t)-6)

/* SMCCC function ids */
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu
#define SMCCC_VENDOR_HYP_UID 0x8600ff01u
#define SMCCC_VENDOR_HYP_FEATURES 0x86000000u

/* PSCI function ids (SMC32 / SMC64 where both exist) */
#define PSCI_0_1_CPU_OFF 0x95c1ba5fu
#define PSCI_0_1_CPU_ON 0x95c1ba60u
#define PSCI_FN_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND 0x84000001u
#define PSCI_CPU_SUSPEND64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0x84000003u
#define PSCI_CPU_ON64 0xc4000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_AFFINITY_INFO64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au
#define PSCI_SYSTEM_SUSPEND 0x8400000eu
#define PSCI_SYSTEM_SUSPEND64 0xc400000eu
#define PSCI_SYSTEM_RESET2 0x84000012u
#define PSCI_SYSTEM_RESET2_64 0xc4000012u

#define MPIDR_AFF_MASK 0xff00ffffffull

static uint32_t psci_version(const struct vcpu *v)
{
    if (!(v->features & (1u << KVM_ARM_VCPU_PSCI_0_2)))
        return PSCI_VER_0_1;
    return (uint32_t)v->vm->psci_version;
}

static void set_ret(struct vcpu *v, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
    v->cpu.x[0] = x0;
    v->cpu.x[1] = x1;
    v->cpu.x[2] = x2;
    v->cpu.x[3] = x3;
}

/* psci.c:kvm_prepare_system_event: every vCPU stops; this one exits. */
static bool system_event(struct vcpu *v, uint32_t type, uint64_t flags)
{
    struct vm *vm = v->vm;
    pthread_mutex_lock(&vm->lock);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        vm->vcpus[i]->mp_state = KVM_MP_STATE_STOPPED;
        if (vm->vcpus[i] != v)
            hyp_kick(vm->vcpus[i]);
    }
    pthread_mutex_unlock(&vm->lock);
    struct kvm_run *run = v->run;
    memset(&run->system_event, 0, sizeof run->system_event);
    run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
    run->system_event.type = type;
    run->system_event.ndata = 1;
    run->system_event.data[0] = flags;
    v->stat_sysev++;
    return true;
}

static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
    for (unsigned i = 0; i < vm->nr_vcpus; i++)
        if ((vm->vcpus[i]->cpu.sys[SR_MPIDR_EL1] & MPIDR_AFF_MASK) == mpidr)
            return vm->vcpus[i];
    return NULL;
}

/* psci.c:kvm_psci_vcpu_on */
static uint64_t cpu_on(struct vcpu *v, uint64_t target, uint64_t pc, uint64_t ctx, uint32_t ver)
{
    struct vm *vm = v->vm;
    if (target & ~MPIDR_AFF_MASK)
        return RET_INVALID_PARAMS;
    pthread_mutex_lock(&vm->lock);
    struct vcpu *t = vcpu_by_mpidr(vm, target);
    uint64_t r = RET_SUCCESS;
    if (!t) {
        r = RET_INVALID_PARAMS;
    } else if (t->mp_state != KVM_MP_STATE_STOPPED) {
        r = ver == PSCI_VER_0_1 ? RET_INVALID_PARAMS : RET_ALREADY_ON;
    } else {
        t->reset_pending = true;
        t->reset_pc = pc;
        t->reset_x0 = ctx;
        t->mp_state = KVM_MP_STATE_RUNNABLE;
        hyp_kick(t);
    }
    pthread_mutex_unlock(&vm->lock);
    return r;
}

/* psci.c:kvm_psci_vcpu_affinity_info */
static uint64_t affinity_info(struct vcpu *v, uint64_t aff, uint64_t level)
{
    struct vm *vm = v->vm;
    if (level > 3 || (aff & ~MPIDR_AFF_MASK))
        return RET_INVALID_PARAMS;
    /* Affinity fields at and above the level are compared: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], Aff3 [39:32]. */
    static const uint64_t masks[4] = { 0xff00ffffffull, 0xff00ffff00ull, 0xff00ff0000ull, 0xff00000000ull };
    uint64_t mask = masks[level];
    bool matched = false;
    uint64_t r = 1; /* OFF */
    pthread_mutex_lock(&vm->lock);
    for (unsigned i = 0; i < vm->nr_vcpus; i++) {
        struct vcpu *t = vm->vcpus[i];
        if ((t->cpu.sys[SR_MPIDR_EL1] & mask) != (aff & mask))
            continue;
        matched = true;
        if (t->mp_state != KVM_MP_STATE_STOPPED)
            r = 0; /* ON */
    }
    pthread_mutex_unlock(&vm->lock);
    return matched ? r : RET_INVALID_PARAMS;
}

static bool psci_features_has(const struct vcpu *v, uint32_t fid, uint32_t ver)
{
    switch (fid) {
    case PSCI_FN_VERSION: case PSCI_CPU_SUSPEND: case PSCI_CPU_SUSPEND64: case PSCI_CPU_OFF:
    case PSCI_CPU_ON: case PSCI_CPU_ON64: case PSCI_AFFINITY_INFO: case PSCI_AFFINITY_INFO64:
    case PSCI_MIGRATE_INFO_TYPE: case PSCI_SYSTEM_OFF: case PSCI_SYSTEM_RESET: case PSCI_FEATURES:
    case SMCCC_VERSION:
        return true;
    case PSCI_SYSTEM_SUSPEND: case PSCI_SYSTEM_SUSPEND64:
        return v->vm->system_suspend;
    case PSCI_SYSTEM_RESET2: case PSCI_SYSTEM_RESET2_64:
        return ver >= PSCI_VER_1_1;
    default:
        return false;
    }
}

/* Returns true if the vCPU must exit; x0..x3 are written here. */
static bool psci_call(struct vcpu *v, uint32_t fid)
{
    uint32_t ver = psci_version(v);
    struct cpu *c = &v->cpu;
    bool is32 = !(fid & 0x40000000u);
    uint64_t x1 = c->x[1], x2 = c->x[2], x3 = c->x[3];

    if (ver == PSCI_VER_0_1) {
        if (fid == PSCI_0_1_CPU_OFF) {
            pthread_mutex_lock(&v->vm->lock);
            v->mp_state = KVM_MP_STATE_STOPPED;
            pthread_mutex_unlock(&v->vm->lock);
            set_ret(v, RET_SUCCESS, x1, x2, x3);
        } else if (fid == PSCI_0_1_CPU_ON) {
            set_ret(v, cpu_on(v, x1, x2, x3, ver), x1, x2, x3);
        } else {
            set_ret(v, RET_NOT_SUPPORTED, 0, 0, 0);
        }
        return false;
    }
    if (is32 && (fid == PSCI_CPU_ON || fid == PSCI_AFFINITY_INFO || fid == PSCI_SYSTEM_SUSPEND ||
                 fid == PSCI_SYSTEM_RESET2)) {
        /* psci.c:kvm_psci_narrow_to_32bit truncates the arguments in place. */
        c->x[1] = x1 = (uint32_t)x1;
        c->x[2] = x2 = (uint32_t)x2;
        c->x[3] = x3 = (uint32_t)x3;
    }
    uint64_t r;
    switch (fid) {
    case PSCI_FN_VERSION:
        r = ver;
        break;
    case PSCI_CPU_SUSPEND:
    case PSCI_CPU_SUSPEND64:
        /* Behaves as WFI; the run loop waits when it sees x0 = 0 with wfi_pending. */
        v->wfi_pending = true;
        r = RET_SUCCESS;
        break;
    case PSCI_CPU_OFF:
        pthread_mutex_lock(&v->vm->lock);
        v->mp_state = KVM_MP_STATE_STOPPED;
        pthread_mutex_unlock(&v->vm->lock);
        r = RET_SUCCESS;
        break;
    case PSCI_CPU_ON:
    case PSCI_CPU_ON64:
        r = cpu_on(v, x1, x2, x3, ver);
        break;
    case PSCI_AFFINITY_INFO:
    case PSCI_AFFINITY_INFO64:
        r = affinity_info(v, x1, x2);
        break;
    case PSCI_MIGRATE_INFO_TYPE:
        r = 2; /* Trusted OS not present, no migration needed */
        break;
    case PSCI_SYSTEM_OFF:
        set_ret(v, RET_INTERNAL_FAILURE, 0, 0, 0);
        return system_event(v, KVM_SYSTEM_EVENT_SHUTDOWN, 0);
    case PSCI_SYSTEM_RESET:
        set_ret(v, RET_INTERNAL_FAILURE, 0, 0, 0);
        return system_event(v, KVM_SYSTEM_EVENT_RESET, 0);
    case PSCI_FEATURES:
        if (ver < PSCI_VER_1_0)
            r = RET_NOT_SUPPORTED;
        else
            r = psci_features_has(v, (uint32_t)x1, ver) ? RET_SUCCESS : RET_NOT_SUPPORTED;
        break;
    case PSCI_SYSTEM_SUSPEND:
    case PSCI_SYSTEM_SUSPEND64:
        if (ver < PSCI_VER_1_0 || !v->vm->system_suspend) {
            r = RET_NOT_SUPPORTED;
            break;
        }
        {
            struct kvm_run *run = v->run;
            memset(&run->system_event, 0, sizeof run->system_event);
            run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
            run->system_event.type = KVM_SYSTEM_EVENT_SUSPEND;
            v->stat_sysev++;
            return true;  /* registers untouched */
        }
    case PSCI_SYSTEM_RESET2:
    case PSCI_SYSTEM_RESET2_64:
        if (ver < PSCI_VER_1_1) {
            r = RET_NOT_SUPPORTED;
            break;
        }
        if ((int64_t)(int32_t)x1 <= 0 || x1 >= 0x80000000u) {
            c->x[0] = RET_INTERNAL_FAILURE;
            return system_event(v, KVM_SYSTEM_EVENT_RESET, KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
        }
        r = RET_INVALID_PARAMS;
        break;
    default:
        r = RET_NOT_SUPPORTED;
        break;
    }
    set_ret(v, r, 0, 0, 0);
    return false;
}

bool hyp_hvc(struct vcpu *v)
{
    struct cpu *c = &v->cpu;
    uint32_t fid = (uint32_t)c->x[0];
    struct vm *vm = v->vm;

    switch (fid) {
    case SMCCC_ARCH_WORKAROUND_1:
    case SMCCC_ARCH_WORKAROUND_2:
    case SMCCC_ARCH_WORKAROUND_3:
        /* hyp-entry.S fast path: x0 = x1 = 0, x2/x3 untouched. */
        c->x[0] = 0;
        c->x[1] = 0;
        return false;
    case SMCCC_VERSION:
        set_ret(v, 0x10001, 0, 0, 0);
        return false;
    case SMCCC_ARCH_FEATURES: {
        uint64_t r = RET_NOT_SUPPORTED;
        switch ((uint32_t)c->x[1]) {
        case SMCCC_ARCH_WORKAROUND_1: r = vm->host.fw_wa1 == 2 ? 1 : vm->host.fw_wa1 == 1 ? 0 : RET_NOT_SUPPORTED; break;
        case SMCCC_ARCH_WORKAROUND_2: r = vm->host.fw_wa2 == 3 ? (uint64_t)-2 : RET_NOT_SUPPORTED; break;
        case SMCCC_ARCH_WORKAROUND_3: r = vm->host.fw_wa3 == 2 ? 1 : vm->host.fw_wa3 == 1 ? 0 : RET_NOT_SUPPORTED; break;
        }
        set_ret(v, r, 0, 0, 0);
        return false;
    }
    case SMCCC_VENDOR_HYP_UID:
        if (vm->fw_vendor_hyp_bmap & 1) {
            set_ret(v, 0xb66fb428u, 0xe911c52eu, 0x564bcaa9u, 0x743a004du);
            return false;
        }
        break;
    case SMCCC_VENDOR_HYP_FEATURES:
        if (vm->fw_vendor_hyp_bmap & 1) {
            /* The bitmap, as 6.1 answers (the PTP call itself is not implemented: -1). */
            set_ret(v, vm->fw_vendor_hyp_bmap, 0, 0, 0);
            return false;
        }
        break;
    }
    uint32_t owner = (fid >> 24) & 0x3f;
    if ((owner == 4 && (fid & 0xffff) <= 0x1f) || (fid >= 0x95c1ba5eu && fid <= 0x95c1ba61u))
        return psci_call(v, fid);
    set_ret(v, RET_NOT_SUPPORTED, 0, 0, 0);
    return false;
}
