/*
 * lifecycle.h - the vCPU configuration state machine (KVM_ARM_VCPU_INIT ->
 * per-feature configuration -> KVM_ARM_VCPU_FINALIZE -> run). See lifecycle.c.
 */
#ifndef SOFTKVM_VCPU_LIFECYCLE_H
#define SOFTKVM_VCPU_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vm;
struct kvm_vcpu_init;

enum vcpu_state {
    VCPU_CREATED,      /* no successful INIT (or the last INIT failed in its reset step) */
    VCPU_INITIALIZED,  /* INIT done; a feature that needs FINALIZE is still open */
    VCPU_FINALIZED,    /* ready: every finalizable feature finalized (or none) */
    VCPU_RAN,          /* ready and KVM_RUN has entered once */
};

enum vcpu_state vcpu_state(const struct vcpu *v);
const char *vcpu_state_name(enum vcpu_state s);

/* Preconditions, each giving Linux's errno (and an explanation) or 0. */
int vcpu_require_initialized(const struct vcpu *v);   /* -ENOEXEC */
int vcpu_require_finalized(const struct vcpu *v);     /* -ENOEXEC, -EPERM */

/* KVM_ARM_VCPU_INIT with an already copied-in argument. 0, -EINVAL, -ENOENT. */
int vcpu_do_init(struct vcpu *v, const struct kvm_vcpu_init *init);
/* KVM_ARM_VCPU_FINALIZE(what) with what already copied in (after the ENOEXEC check). */
int vcpu_do_finalize(struct vcpu *v, int what);
/* First KVM_RUN entry passed its checks. */
void vcpu_mark_ran(struct vcpu *v);

/* Object management. */
int vcpu_new(struct vm *vm, uint32_t id, unsigned index, struct vcpu **out);
int vcpu_map_run(struct vcpu *v);
void vcpu_destroy(struct vcpu *v);

/* Register reset of a (re-)initialised vCPU (reset.c). */
void vcpu_reset_regs(struct vcpu *v);

#endif
