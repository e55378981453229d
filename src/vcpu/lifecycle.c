/*
 * lifecycle.c - the vCPU configuration state machine. The only writer of a
 * vCPU's lifecycle fields (target, features, finalized flags, has_run).
 *
 *   KVM_CREATE_VCPU
 *         |
 *         v                 INIT fails in its reset step (bits dropped)
 *     CREATED <------------------------------------------------+
 *         |  KVM_ARM_VCPU_INIT(target, features)                |
 *         v                                                     |
 *    INITIALIZED --(a finalizable feature is open: SVE VLS)-----+
 *         |  KVM_ARM_VCPU_FINALIZE(feature), for each open one
 *         v
 *     FINALIZED  (INIT without finalizable features lands here directly)
 *         |  first KVM_RUN that passes its checks
 *         v
 *        RAN
 *
 * Re-INIT with the same target and feature bits is allowed in every state
 * after the first and resets the registers; it never goes back from
 * FINALIZED (spec 2.2, 2.7). What each ioctl needs is asked through
 * vcpu_require_*(), which yield Linux's errno: not initialised -> ENOEXEC,
 * finalizable feature still open -> EPERM.
 *
 * Source: Linux 6.1 arch/arm64/kvm/arm.c (kvm_vcpu_set_target,
 * kvm_arch_vcpu_ioctl_vcpu_init, kvm_arch_vcpu_run_pid_change) and reset.c
 * (kvm_reset_vcpu, kvm_arm_vcpu_finalize), checked against spec/data/lifecycle.tsv.
 */
#include "vcpu/lifecycle.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "api/dispatch.h"
#include "softkvm/kvm.h"
#include "util/alloc.h"
#include "util/explain.h"
#include "vcpu/features.h"
#include "vcpu/vm.h"

static bool is_initialized(const struct vcpu *v)
{
    return v->target >= 0;
}

/* reset.c:kvm_arm_vcpu_is_finalized, generalised over the feature table. */
static const struct feature *open_feature(const struct vcpu *v)
{
    for (unsigned i = 0; i < vcpu_nr_feature_rows; i++) {
        const struct feature *f = &vcpu_features[i];
        if (f->finalize && f->has(v) && !f->is_finalized(v))
            return f;
    }
    return NULL;
}

enum vcpu_state vcpu_state(const struct vcpu *v)
{
    if (!is_initialized(v))
        return VCPU_CREATED;
    if (open_feature(v))
        return VCPU_INITIALIZED;
    return v->has_run ? VCPU_RAN : VCPU_FINALIZED;
}

const char *vcpu_state_name(enum vcpu_state s)
{
    static const char *const names[] = { "created", "initialized", "finalized", "ran" };
    return names[s];
}

int vcpu_require_initialized(const struct vcpu *v)
{
    if (!is_initialized(v))
        return EXPLAIN(-ENOEXEC, "vCPU %u is not initialized: call KVM_ARM_VCPU_INIT first", v->id);
    return 0;
}

int vcpu_require_finalized(const struct vcpu *v)
{
    int r = vcpu_require_initialized(v);
    if (r)
        return r;
    const struct feature *f = open_feature(v);
    if (f)
        return EXPLAIN(-EPERM, "vCPU %u has feature %s configured but not finalized: "
                       "call KVM_ARM_VCPU_FINALIZE(KVM_ARM_VCPU_%s) first", v->id, f->name, f->name);
    return 0;
}

/* arm.c:kvm_vcpu_set_target: bits are scanned upward and recorded as they are
 * seen, so a call failing on an unknown high bit leaves the lower bits behind
 * (data: INIT(SVE|bit7) = ENOENT, then INIT(0) gives an SVE vCPU). */
static int record_features(struct vcpu *v, const struct kvm_vcpu_init *init)
{
    for (unsigned i = 0; i < sizeof init->features * 8; i++) {
        bool set = (init->features[i / 32] >> (i % 32)) & 1;
        if (set && i >= VCPU_NR_FEATURES)
            return EXPLAIN(-ENOENT, "feature bit %u is unknown to Linux 6.1 (bits 0..%u exist)", i, VCPU_NR_FEATURES - 1);
        if (i < VCPU_NR_FEATURES && is_initialized(v) && set != !!(v->features & (1u << i)))
            return EXPLAIN(-EINVAL, "vCPU %u was initialized with features 0x%x: a re-INIT must repeat exactly the same bits",
                           v->id, v->features);
        if (set)
            v->features |= 1u << i;
    }
    return 0;
}

int vcpu_do_init(struct vcpu *v, const struct kvm_vcpu_init *init)
{
    if (init->target != KVM_ARM_TARGET_GENERIC_V8)
        return EXPLAIN(-EINVAL, "target %u is not this host's (%u, from KVM_ARM_PREFERRED_TARGET)",
                       init->target, KVM_ARM_TARGET_GENERIC_V8);
    int r = record_features(v, init);
    if (r)
        return r;

    v->target = KVM_ARM_TARGET_GENERIC_V8;
    for (unsigned i = 0; i < vcpu_nr_feature_rows && !r; i++)
        if (vcpu_features[i].enable)
            r = vcpu_features[i].enable(v);
    if (r) {
        /* arm.c: a failed reset de-initialises the vCPU (sticky has_* flags stay). */
        v->target = -1;
        v->features = 0;
        return r;
    }
    v->has_pmu = v->features & (1u << KVM_ARM_VCPU_PMU_V3);
    v->env.vcpu_has_ptrauth = v->has_ptrauth;
    v->env.vcpu_has_pmu = v->has_pmu;

    pthread_mutex_lock(&v->vm->lock);
    vcpu_reset_regs(v);
    v->reset_pending = false;
    v->mp_state = (v->features & (1u << KVM_ARM_VCPU_POWER_OFF)) ? KVM_MP_STATE_STOPPED : KVM_MP_STATE_RUNNABLE;
    pthread_cond_broadcast(&v->vm->wake);
    pthread_mutex_unlock(&v->vm->lock);
    v->mmio = MMIO_NONE;
    return 0;
}

int vcpu_do_finalize(struct vcpu *v, int what)
{
    for (unsigned i = 0; i < vcpu_nr_feature_rows; i++) {
        const struct feature *f = &vcpu_features[i];
        if (!f->finalize || f->finalize_what != what)
            continue;
        if (!f->has(v))
            return EXPLAIN(-EINVAL, "vCPU %u was not initialized with KVM_ARM_VCPU_%s", v->id, f->name);
        if (f->is_finalized(v))
            return EXPLAIN(-EPERM, "vCPU %u: feature %s is already finalized", v->id, f->name);
        return f->finalize(v);
    }
    return EXPLAIN(-EINVAL, "%d is not a finalizable feature (Linux 6.1 knows only KVM_ARM_VCPU_SVE = %d)",
                   what, KVM_ARM_VCPU_SVE);
}

void vcpu_mark_ran(struct vcpu *v)
{
    v->has_run = true;
    atomic_store(&v->vm->has_ran_once, true);
}

int vcpu_new(struct vm *vm, uint32_t id, unsigned index, struct vcpu **out)
{
    struct vcpu *v = skvm_calloc(1, sizeof *v);
    if (!v)
        return -ENOMEM;
    v->engine = engine_cache_new();
    if (!v->engine) {
        free(v);
        return -ENOMEM;
    }
    v->vm = vm;
    v->id = id;
    v->index = index;
    v->fd = -1;
    v->target = -1;
    v->wake_fd = -1;
    v->sig_fd = -1;     /* both created at the first sleep: one fd per vCPU until then, as KVM */
    const char *trace = getenv("SOFTKVM_TRACE");
    v->trace = trace && *trace && strcmp(trace, "0") != 0;
    v->mp_state = KVM_MP_STATE_RUNNABLE;
    pthread_mutex_init(&v->ioctl_lock, NULL);
    atomic_init(&v->kick, 0);
    atomic_init(&v->in_run, false);
    atomic_init(&v->nofd_sleeping, false);
    *out = v;
    return 0;
}

int vcpu_map_run(struct vcpu *v)
{
    size_t size = (size_t)sys_mmap_size();
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (p == MAP_FAILED)
        return -errno;
    v->run = p;
    v->run_map_size = size;
    return 0;
}

void vcpu_destroy(struct vcpu *v)
{
    if (v->run)
        munmap(v->run, v->run_map_size);
    engine_cache_free(v->engine);
    if (v->wake_fd >= 0)
        close(v->wake_fd);
    if (v->sig_fd >= 0)
        close(v->sig_fd);
    pthread_mutex_destroy(&v->ioctl_lock);
    free(v);
}
