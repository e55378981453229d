/*
 * vm.h - the VM and vCPU objects behind the file descriptors.
 *
 * Locking (mirrors Linux): vm->lock serialises VM-level changes (vCPU creation,
 * memslots, VM-wide firmware registers) and the power state of every vCPU
 * (mp_state, pending PSCI resets), with vm->wake for vCPUs sleeping in KVM_RUN.
 * vcpu->ioctl_lock is held for the whole of every vCPU ioctl, KVM_RUN included,
 * so one vCPU's ioctls are serialised as Linux's vcpu->mutex does. The engine
 * runs without vm->lock; it reads memslots through an atomic snapshot pointer.
 */
#ifndef SOFTKVM_VCPU_VM_H
#define SOFTKVM_VCPU_VM_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/cpu.h"
#include "engine/engine.h"
#include "host/host.h"
#include "mem/memslots.h"

#define VM_MAX_VCPU_IDS 512    /* KVM_MAX_VCPU_IDS on arm64 */
#define VCPU_NR_FEATURES 7     /* KVM_VCPU_MAX_FEATURES in 6.1 */

struct kvm_run;

/* PSCI versions as KVM encodes them (major << 16 | minor). */
#define PSCI_VER_0_1 0x1u
#define PSCI_VER_0_2 0x2u
#define PSCI_VER_1_0 0x10000u
#define PSCI_VER_1_1 0x10001u

struct retired_memslots {
    struct retired_memslots *next;
    struct memslots *ms;
};

struct vm {
    atomic_int refs;                 /* the VM fd + one per vCPU */
    pthread_mutex_t lock;
    pthread_cond_t wake;             /* power-state changes of any vCPU */
    struct host host;                /* the host this VM was created on */
    unsigned ipa_bits;
    unsigned max_vcpus;

    struct vcpu *vcpus[VM_MAX_VCPU_IDS]; /* by creation index */
    unsigned nr_vcpus;

    _Atomic(const struct memslots *) memslots;
    struct retired_memslots *retired;

    bool width_configured, el1_32bit;    /* VM-wide register width (sticky) */
    atomic_bool has_ran_once;
    bool mte_enabled;
    bool nisv_to_user;                   /* KVM_CAP_ARM_NISV_TO_USER enabled */
    bool system_suspend;                 /* KVM_CAP_ARM_SYSTEM_SUSPEND enabled */

    /* VM-wide firmware pseudo-registers (spec 3.6). */
    uint64_t psci_version;               /* for PSCI_0_2 vCPUs */
    uint64_t fw_std_bmap, fw_std_hyp_bmap, fw_vendor_hyp_bmap;

    uint64_t cntvoff;                    /* virtual counter offset, in timer ticks */
    _Atomic uint64_t code_gen;           /* bumped by guest IC IVAU/IALLU: drop decoded code */
};

enum vcpu_mmio_state { MMIO_NONE, MMIO_PENDING };

struct vcpu {
    struct vm *vm;
    uint32_t id;                    /* vcpu_id given to KVM_CREATE_VCPU */
    unsigned index;                 /* creation order */
    int fd;
    pthread_mutex_t ioctl_lock;

    struct kvm_run *run;            /* shared page (mapping of the fd's memfd) */
    size_t run_map_size;

    /* Lifecycle (src/vcpu/lifecycle.c is the only writer). */
    int target;                     /* -1 = not initialised */
    uint32_t features;              /* bits recorded by INIT (bit i = feature i) */
    bool has_sve, has_ptrauth, has_pmu;  /* sticky capabilities */
    bool sve_finalized;
    bool has_run;
    unsigned sve_max_vq;            /* vCPU max VQ (VLS) */

    /* Power state: guarded by vm->lock. */
    uint32_t mp_state;              /* KVM_MP_STATE_* */
    bool reset_pending;             /* PSCI CPU_ON reset to apply lazily */
    uint64_t reset_pc, reset_x0;
    bool reset_be;

    struct cpu cpu;
    struct engine_cache *engine;
    struct engine_env env;
    atomic_int kick;
    pthread_t run_thread;
    atomic_bool in_run;
    atomic_bool in_engine;          /* executing guest code (may touch guest memory) */
    _Atomic uint64_t memslots_gen;  /* generation of the memslots it loaded for that */

    /* MMIO completion (spec 4.3). */
    enum vcpu_mmio_state mmio;
    struct engine_exit mmio_exit;

    /* KVM_SET_SIGNAL_MASK: the thread's signal mask while in KVM_RUN. */
    bool has_sigmask;
    sigset_t sigmask;
    int sig_fd;                     /* signalfd of the run mask's open signals (-1 until a sleep) */
    uint64_t sig_fd_set;
    atomic_int wake_fd;             /* eventfd waking this vCPU from WFI / power-off sleep (-1 until a sleep) */
    atomic_bool nofd_sleeping;      /* sleeping without descriptors: futex on kick (hyp/run.c) */
    bool pmu_initialized;
    bool wfi_pending;
    atomic_uint irq_lines;          /* KVM_IRQ_LINE type CPU: bit 0 IRQ, bit 1 FIQ */               /* PSCI CPU_SUSPEND: wait as WFI before resuming */           /* KVM_ARM_VCPU_PMU_V3_INIT done */

    /* Debug / stats. */
    uint64_t insn_limit;
    bool trace;
    uint64_t stat_runs, stat_mmio, stat_sysev, stat_intr, stat_other;
};

/* Reference counting: the last put frees. */
void vm_get(struct vm *vm);
void vm_put(struct vm *vm);

/* Create a VM for the current host profile; type = KVM_CREATE_VM argument. -errno on failure. */
int vm_create(unsigned long type, struct vm **out);

/* vCPU id validation and creation (KVM_CREATE_VCPU rules). */
int vm_create_vcpu(struct vm *vm, unsigned long id, struct vcpu **out);
void vcpu_destroy(struct vcpu *v);

#endif
