/*
 * stats.c - softkvm-only vCPU controls with no KVM equivalent: statistics,
 * instruction trace, instruction budget (softkvm.h).
 *
 * They act on the same struct vcpu the ioctls use, under vcpu->ioctl_lock like
 * every vCPU ioctl, so a value is never read or written while KVM_RUN of that
 * vCPU is executing: a call made from another thread waits until KVM_RUN
 * returns (a VMM calls them between runs, or after kicking the vCPU out).
 * Trace and budget take effect at the next KVM_RUN.
 */
#include "softkvm/softkvm.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "api/handle.h"
#include "vcpu/vm.h"

#define API __attribute__((visibility("default")))

/* Resolve fd to a vCPU and hold its ioctl lock. 0 or -EBADF (not a vCPU fd). */
static int vcpu_lock_fd(int fd, struct handle *h, struct vcpu **out)
{
    if (handle_acquire(fd, h) != 0)
        return -EBADF;
    if (h->kind != H_VCPU) {
        handle_release(h);
        return -EBADF;
    }
    *out = h->obj;
    pthread_mutex_lock(&(*out)->ioctl_lock);
    return 0;
}

static void vcpu_unlock_fd(struct handle *h, struct vcpu *v)
{
    pthread_mutex_unlock(&v->ioctl_lock);
    handle_release(h);
}

/* Returns 0, or -1/EBADF if vcpu_fd is not a vCPU. */
API int softkvm_vcpu_stats(int vcpu_fd, struct softkvm_vcpu_stats *out)
{
    struct handle h;
    struct vcpu *v;
    if (vcpu_lock_fd(vcpu_fd, &h, &v) != 0) {
        errno = EBADF;
        return -1;
    }
    struct softkvm_vcpu_stats s;
    memset(&s, 0, sizeof s);
    s.insns_retired = v->env.insns_retired;
    s.exits_mmio = v->stat_mmio;
    s.exits_system_event = v->stat_sysev;
    s.exits_intr = v->stat_intr;
    s.exits_other = v->stat_other;
    s.runs = v->stat_runs;
    vcpu_unlock_fd(&h, v);
    *out = s;
    return 0;
}

/* Returns 0, or -1/EBADF if vcpu_fd is not a vCPU. */
API int softkvm_vcpu_set_trace(int vcpu_fd, bool on)
{
    struct handle h;
    struct vcpu *v;
    if (vcpu_lock_fd(vcpu_fd, &h, &v) != 0) {
        errno = EBADF;
        return -1;
    }
    v->trace = on;
    vcpu_unlock_fd(&h, v);
    return 0;
}

/* Returns 0, or -1/EBADF if vcpu_fd is not a vCPU. */
API int softkvm_vcpu_set_insn_limit(int vcpu_fd, uint64_t max_insns)
{
    struct handle h;
    struct vcpu *v;
    if (vcpu_lock_fd(vcpu_fd, &h, &v) != 0) {
        errno = EBADF;
        return -1;
    }
    v->insn_limit = max_insns;
    vcpu_unlock_fd(&h, v);
    return 0;
}
