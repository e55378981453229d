/*
 * features.h - the KVM_ARM_VCPU_INIT feature table.
 *
 * One row per feature bit. The generic finalize framework walks this table:
 * a row with a finalize hook is "finalizable" (today: SVE), and a vCPU is ready
 * once every finalizable feature it has is finalized.
 */
#ifndef SOFTKVM_VCPU_FEATURES_H
#define SOFTKVM_VCPU_FEATURES_H

#include <stdbool.h>

struct vcpu;

struct feature {
    unsigned bit;                 /* KVM_ARM_VCPU_* */
    const char *name;
    /* Reset-step check/enable, in table order (reset.c:kvm_reset_vcpu). 0 or -EINVAL. */
    int (*enable)(struct vcpu *v);
    /* Finalizable features: the KVM_ARM_VCPU_FINALIZE argument, the vCPU has it
     * (sticky), it is finalized, and the finalize hook. */
    int finalize_what;            /* -1 = not finalizable */
    bool (*has)(const struct vcpu *v);
    bool (*is_finalized)(const struct vcpu *v);
    int (*finalize)(struct vcpu *v);
};

extern const struct feature vcpu_features[];
extern const unsigned vcpu_nr_feature_rows;

#endif
