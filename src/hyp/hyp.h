/*
 * hyp.h - what Linux's KVM does in the kernel between guest entries: the
 * KVM_RUN loop, MMIO exits and their completion, HVC/SMC (PSCI, SMCCC), WFI,
 * power states.
 */
#ifndef SOFTKVM_HYP_HYP_H
#define SOFTKVM_HYP_HYP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* KVM_RUN. 0 with run->exit_reason set, or -errno (-EINTR, -EINVAL, -ENOEXEC, -EPERM, -ENOSYS, and -EFAULT
 * when guest RAM cannot be accessed in this process).
 * The program's signals are deferred while the guest runs; if *must_restore is set
 * on return, the caller restores *restore with pthread_sigmask after releasing the
 * vCPU (a pending signal is then delivered). */
int hyp_run(struct vcpu *v, unsigned long arg, sigset_t *restore, bool *must_restore);

/* KVM_SET_MP_STATE. 0 or -EINVAL. */
int hyp_set_mp_state(struct vcpu *v, uint32_t state);

/* Apply a PSCI CPU_ON reset that is still pending (before ONE_REG access). */
void hyp_apply_pending_reset(struct vcpu *v);

/* KVM_SET_VCPU_EVENTS ext_dabt_pending: inject an external data abort. */
int hyp_inject_ext_dabt(struct vcpu *v);

/* Wake a vCPU sleeping in KVM_RUN (power-off, WFI) and make a running one
 * re-check its state. */
void hyp_kick(struct vcpu *v);

/* HVC from EL1 (psci.c). Returns true if the vCPU must exit to user space with
 * run->exit_reason already filled (a system event). */
bool hyp_hvc(struct vcpu *v);

/* MMIO (mmio.c). */
void hyp_mmio_exit(struct vcpu *v, const void *engine_exit);
void hyp_mmio_complete(struct vcpu *v);

#endif
