/*
 * timer.c - the three timer ONE_REG ids (virtual timer of the vCPU) and the
 * guest's virtual counter.
 *
 * The uapi swaps two encodings: KVM_REG_ARM_TIMER_CNT is (3,3,14,3,2), the
 * architectural CNTV_CVAL_EL0, and KVM_REG_ARM_TIMER_CVAL is (3,3,14,0,2),
 * architectural CNTVCT_EL0 (spec 3.7). CNT writes move the VM-wide offset.
 * Linux 6.1 guest.c:get/set_timer_reg, arch_timer.c:kvm_arm_timer_get/set_reg.
 */
#include <errno.h>
#include <time.h>

#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/uaccess.h"
#include "vcpu/vm.h"

uint64_t timer_host_ticks(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    /* 62.5 MHz: one tick every 16 ns. */
    return ((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec) / 16;
}

uint64_t timer_virtual_count(const struct vcpu *v)
{
    return timer_host_ticks() - v->vm->cntvoff;
}

bool timer_is_reg(uint64_t id)
{
    return id == KVM_REG_ARM_TIMER_CTL || id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_TIMER_CVAL;
}

unsigned timer_list(const struct vcpu *v, uint64_t *ids)
{
    if (ids) {
        ids[0] = KVM_REG_ARM_TIMER_CTL;
        ids[1] = KVM_REG_ARM_TIMER_CNT;
        ids[2] = KVM_REG_ARM_TIMER_CVAL;
    }
    return 3;
}

#define CTL_ISTATUS 0x4ull

int timer_get(struct vcpu *v, uint64_t id, void *uaddr)
{
    uint64_t val;
    if (id == KVM_REG_ARM_TIMER_CTL) {
        val = v->cpu.sys[SR_CNTV_CTL_EL0] & ~CTL_ISTATUS;
        if (v->cpu.sys[SR_CNTV_CVAL_EL0] <= timer_virtual_count(v))
            val |= CTL_ISTATUS;   /* computed whether or not ENABLE is set (read_timer_ctl) */
    } else if (id == KVM_REG_ARM_TIMER_CNT) {
        val = timer_virtual_count(v);
    } else {
        val = v->cpu.sys[SR_CNTV_CVAL_EL0];
    }
    return copy_to_user(uaddr, &val, 8);
}

int timer_set(struct vcpu *v, uint64_t id, const void *uaddr)
{
    uint64_t val;
    if (copy_from_user(&val, uaddr, 8))
        return -EFAULT;
    if (id == KVM_REG_ARM_TIMER_CTL) {
        v->cpu.sys[SR_CNTV_CTL_EL0] = val & ~CTL_ISTATUS;
    } else if (id == KVM_REG_ARM_TIMER_CNT) {
        pthread_mutex_lock(&v->vm->lock);
        v->vm->cntvoff = timer_host_ticks() - val;   /* for every vCPU of the VM */
        pthread_mutex_unlock(&v->vm->lock);
    } else {
        v->cpu.sys[SR_CNTV_CVAL_EL0] = val;
    }
    return 0;
}
