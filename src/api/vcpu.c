/*
 * vcpu.c - the ioctls on a vCPU fd: copy-in/copy-out and the order of checks,
 * no policy (that lives in src/vcpu, src/regs, src/hyp).
 *
 * Every vCPU ioctl runs under the vCPU's ioctl lock, as Linux's vcpu->mutex.
 * Order of checks per ioctl: Linux 6.1 arm.c:kvm_arch_vcpu_ioctl (spec 2.5, 2.6).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "api/dispatch.h"
#include "hyp/hyp.h"
#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/lifecycle.h"
#include "vcpu/vm.h"

static int one_reg(struct vcpu *v, unsigned long arg, bool set)
{
    int r = vcpu_require_initialized(v);
    if (r)
        return r;
    struct kvm_one_reg reg;
    if (copy_from_user(&reg, (void *)arg, sizeof reg))
        return -EFAULT;
    if (explain_enabled) {
        /* "KVM_SET_ONE_REG(ZCR_EL1)": name the register in explanations. */
        static _Thread_local char what[96];
        char name[64];
        snprintf(what, sizeof what, "%s(%s)", set ? "KVM_SET_ONE_REG" : "KVM_GET_ONE_REG",
                 reg_name(reg.id, name, sizeof name));
        explain_begin(what);
    }
    hyp_apply_pending_reset(v);   /* userspace sees post-CPU_ON values */
    void *uaddr = (void *)(uintptr_t)reg.addr;
    return set ? reg_set(v, reg.id, uaddr) : reg_get(v, reg.id, uaddr);
}

static int get_reg_list(struct vcpu *v, unsigned long arg)
{
    int r = vcpu_require_finalized(v);
    if (r)
        return r;
    struct kvm_reg_list hdr;
    struct kvm_reg_list *user = (void *)arg;
    if (copy_from_user(&hdr, user, sizeof hdr))
        return -EFAULT;
    uint64_t ids[512];
    unsigned count = reg_list(v, ids, 512);
    uint32_t user_n = (uint32_t)hdr.n;      /* arm.c truncates n to 32 bits */
    hdr.n = count;
    if (copy_to_user(user, &hdr, sizeof hdr))
        return -EFAULT;
    if (user_n < count)
        return EXPLAIN(-E2BIG, "the list holds %u ids but n was %u; n now says how many (probe with n = 0)",
                       count, user_n);
    return copy_to_user(user->reg, ids, count * sizeof ids[0]);
}

static int vcpu_init(struct vcpu *v, unsigned long arg)
{
    struct kvm_vcpu_init init;
    if (copy_from_user(&init, (void *)arg, sizeof init))
        return -EFAULT;
    return vcpu_do_init(v, &init);
}

static int vcpu_finalize(struct vcpu *v, unsigned long arg)
{
    int r = vcpu_require_initialized(v);   /* ENOEXEC before reading the argument */
    if (r)
        return r;
    int what;
    if (copy_from_user(&what, (void *)arg, sizeof what))
        return -EFAULT;
    return vcpu_do_finalize(v, what);
}

static int mp_state(struct vcpu *v, unsigned long arg, bool set)
{
    struct kvm_mp_state mp;
    if (!set) {
        pthread_mutex_lock(&v->vm->lock);
        mp.mp_state = v->mp_state;
        pthread_mutex_unlock(&v->vm->lock);
        return copy_to_user((void *)arg, &mp, sizeof mp);
    }
    if (copy_from_user(&mp, (void *)arg, sizeof mp))
        return -EFAULT;
    return hyp_set_mp_state(v, mp.mp_state);
}

static int vcpu_events(struct vcpu *v, unsigned long arg, bool set)
{
    int r = vcpu_require_initialized(v);
    if (r)
        return r;
    struct kvm_vcpu_events ev;
    if (!set) {
        memset(&ev, 0, sizeof ev);   /* no SError or abort is ever left pending */
        return copy_to_user((void *)arg, &ev, sizeof ev);
    }
    if (copy_from_user(&ev, (void *)arg, sizeof ev))
        return -EFAULT;
    for (size_t i = 0; i < sizeof ev.reserved / sizeof ev.reserved[0]; i++)
        if (ev.reserved[i])
            return EXPLAIN(-EINVAL, "reserved fields must be 0");
    for (size_t i = 0; i < sizeof ev.exception.pad; i++)
        if (ev.exception.pad[i])
            return EXPLAIN(-EINVAL, "exception.pad must be 0");
    if (ev.exception.serror_pending)
        return EXPLAIN(-EINVAL, "SError injection is not implemented in softkvm yet");
    if (ev.exception.ext_dabt_pending)
        return hyp_inject_ext_dabt(v);
    return 0;
}

static int set_signal_mask(struct vcpu *v, unsigned long arg)
{
    if (!arg) {
        v->has_sigmask = false;
        return 0;
    }
    struct kvm_signal_mask hdr;
    if (copy_from_user(&hdr, (void *)arg, sizeof hdr))
        return -EFAULT;
    if (hdr.len != 8)   /* sizeof(kernel sigset_t) */
        return EXPLAIN(-EINVAL, "len must be 8 (the kernel's sigset size), got %u", hdr.len);
    uint64_t bits;
    if (copy_from_user(&bits, ((struct kvm_signal_mask *)arg)->sigset, 8))
        return -EFAULT;
    sigemptyset(&v->sigmask);
    for (int s = 1; s <= 64; s++)
        if (bits >> (s - 1) & 1)
            sigaddset(&v->sigmask, s);
    v->has_sigmask = true;
    return 0;
}

static int device_attr(struct vcpu *v, unsigned long req, unsigned long arg)
{
    struct kvm_device_attr attr;
    if (copy_from_user(&attr, (void *)arg, sizeof attr))
        return -EFAULT;
    bool has = req == KVM_HAS_DEVICE_ATTR, set = req == KVM_SET_DEVICE_ATTR;
    switch (attr.group) {
    case KVM_ARM_VCPU_PMU_V3_CTRL:
        if (!v->has_pmu)
            return has ? -ENXIO : EXPLAIN(-ENODEV, "vCPU %u has no PMU (KVM_ARM_VCPU_PMU_V3 at INIT)", v->id);
        if (attr.attr == KVM_ARM_VCPU_PMU_V3_INIT) {
            if (has)
                return 0;
            if (!set)
                return -ENXIO;
            if (v->pmu_initialized)
                return EXPLAIN(-EBUSY, "the PMU of vCPU %u is already initialised", v->id);
            v->pmu_initialized = true;
            return 0;
        }
        return EXPLAIN(-ENXIO, "PMU attribute %llu is not implemented by softkvm", (unsigned long long)attr.attr);
    case KVM_ARM_VCPU_TIMER_CTRL:
        if (set)
            return EXPLAIN(-EINVAL, "timer IRQ numbers need an in-kernel irqchip");
        return -ENXIO;
    default:
        return EXPLAIN(-ENXIO, "attribute group %u is not implemented by softkvm", attr.group);
    }
}

long vcpu_ioctl(struct vcpu *v, unsigned long req, unsigned long arg)
{
    long r;
    sigset_t restore;
    bool must_restore = false;
    pthread_mutex_lock(&v->ioctl_lock);
    switch (req) {
    case KVM_RUN:
        explain_begin("KVM_RUN");
        r = hyp_run(v, arg, &restore, &must_restore);
        break;
    case KVM_GET_ONE_REG:
        explain_begin("KVM_GET_ONE_REG");
        r = one_reg(v, arg, false);
        break;
    case KVM_SET_ONE_REG:
        explain_begin("KVM_SET_ONE_REG");
        r = one_reg(v, arg, true);
        break;
    case KVM_ARM_VCPU_INIT:
        explain_begin("KVM_ARM_VCPU_INIT");
        r = vcpu_init(v, arg);
        break;
    case KVM_ARM_VCPU_FINALIZE:
        explain_begin("KVM_ARM_VCPU_FINALIZE");
        r = vcpu_finalize(v, arg);
        break;
    case KVM_GET_REG_LIST:
        explain_begin("KVM_GET_REG_LIST");
        r = get_reg_list(v, arg);
        break;
    case KVM_GET_MP_STATE:
    case KVM_SET_MP_STATE:
        explain_begin(req == KVM_GET_MP_STATE ? "KVM_GET_MP_STATE" : "KVM_SET_MP_STATE");
        r = mp_state(v, arg, req == KVM_SET_MP_STATE);
        break;
    case KVM_GET_VCPU_EVENTS:
    case KVM_SET_VCPU_EVENTS:
        explain_begin(req == KVM_GET_VCPU_EVENTS ? "KVM_GET_VCPU_EVENTS" : "KVM_SET_VCPU_EVENTS");
        r = vcpu_events(v, arg, req == KVM_SET_VCPU_EVENTS);
        break;
    case KVM_SET_SIGNAL_MASK:
        explain_begin("KVM_SET_SIGNAL_MASK");
        r = set_signal_mask(v, arg);
        break;
    case KVM_SET_DEVICE_ATTR:
    case KVM_GET_DEVICE_ATTR:
    case KVM_HAS_DEVICE_ATTR:
        explain_begin("KVM_{SET,GET,HAS}_DEVICE_ATTR");
        r = device_attr(v, req, arg);
        break;
    case KVM_SET_REGS:
    case KVM_SET_FPU:
    case KVM_SET_SREGS:
    case KVM_TRANSLATE: {
        /* Not implemented on arm64; the generic code copies the struct first. */
        explain_begin("KVM_SET_REGS/FPU/SREGS/TRANSLATE");
        uint8_t buf[1024];
        size_t size = _IOC_SIZE(req) < sizeof buf ? _IOC_SIZE(req) : sizeof buf;
        if (copy_from_user(buf, (void *)arg, size))
            r = -EFAULT;
        else
            r = EXPLAIN(-EINVAL, "not implemented on arm64: use KVM_SET_ONE_REG");
        break;
    }
    case KVM_GET_REGS:
    case KVM_GET_FPU:
    case KVM_GET_SREGS:
        explain_begin("KVM_GET_REGS/FPU/SREGS");
        r = EXPLAIN(-EINVAL, "not implemented on arm64: use KVM_GET_ONE_REG");
        break;
    default:
        explain_begin("vCPU ioctl");
        r = EXPLAIN(-EINVAL, "request 0x%lx is not implemented for a vCPU fd", req);
        break;
    }
    pthread_mutex_unlock(&v->ioctl_lock);
    if (must_restore)
        pthread_sigmask(SIG_SETMASK, &restore, NULL);   /* deferred signals arrive now */
    return r;
}
