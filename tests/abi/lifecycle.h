/*
 * lifecycle.h - the lifecycle.tsv errno matrix as a table of named actions.
 *
 * Each row of lifecycle.tsv is one step of a scripted vCPU history; the table in
 * lifecycle_table.c has one entry per row, in the same order, with the same name and
 * ioctl, saying what to do. A "slot" is one vCPU history (one VM + vCPU 0): the step-name
 * prefix tells which (fresh:, sticky:, sve:, run:, ...). The runner (lifecycle.c) checks
 * that table and data line up row by row, executes each step and compares
 * "result detail" with the data's columns for the cfg under test.
 */
#ifndef ABI_LIFECYCLE_H
#define ABI_LIFECYCLE_H

#include "abi.h"

enum act {
    A_GET,   /* KVM_GET_ONE_REG id */
    A_SET,   /* KVM_SET_ONE_REG id, value per vk */
    A_INIT,  /* KVM_ARM_VCPU_INIT features[0] = id, features[1] = arg */
    A_FIN,   /* KVM_ARM_VCPU_FINALIZE what = (int)id */
    A_LIST,  /* KVM_GET_REG_LIST, mode = id (enum listm) */
    A_KRUN,  /* bare KVM_RUN expected to fail at once (no run page, no guest) */
    A_RUN,   /* KVM_RUN of a guest; detail = the exit */
    A_MPGET, /* KVM_GET_MP_STATE */
    A_MPSET, /* KVM_SET_MP_STATE mp_state = id */
    A_REGS,  /* several KVM_GET_ONE_REG, detail "name=value ..." per regs */
    A_CALL,  /* fn */
};

/* vCPU histories; the run group starts at S_RUNA. */
enum slot_id {
    S_FRESH, S_E32SVE, S_E32, S_STICKY, S_STICKY2, S_STICKY3, S_SVE, S_SVE2, S_NOSVE,
    S_RUNA, S_MINI1, S_MINI2, S_RUNB, S_UNDEF, S_TRAP1, S_TRAP2, S_ZEN, S_POFF,
    S_COUNT
};

enum det {
    D_NONE,
    D_VALUE,  /* value=0x.. (u64) */
    D_VLS0,   /* vls0=0x.. (word 0) */
    D_VLS,    /* vls=w0,w1,..,w7 */
    D_NZ,     /* nonzero_bytes=N (buffer pre-filled with a non-zero, non-0xff pattern) */
    D_FF,     /* leading_ff_bytes=N nonzero_bytes=M */
    D_BYTES,  /* bytes=<hex> */
    D_NAFTER, /* n_after=N [+ first_entry_written= / entry[N]=] */
    D_MP,     /* mp_state=N */
};

enum setv { V_U64, V_ZERO, V_ASREAD, V_VLS1, V_FF, V_SEQ16 };
enum listm { L_N0, L_NM1, L_N, L_NP5, L_NULL, L_UNMAPPED };

#define F_NEW (1u << 0)       /* fresh VM + vCPU 0 in this slot first (setup() if given) */
#define F_NULLARG (1u << 1)   /* ioctl argument pointer NULL */
#define F_ADDRNULL (1u << 2)  /* kvm_one_reg.addr = NULL */
#define F_ADDR1 (1u << 3)     /* kvm_one_reg.addr = 0x1 */
#define F_TGT1 (1u << 4)      /* INIT target = preferred + 1 */
#define F_TGTFF (1u << 5)     /* INIT target = 0xffffffff */
#define F_SETX0 (1u << 6)     /* INIT: set X0 = 0x1234 first (the data's "was 0x1234") */
#define F_GUARD (1u << 7)     /* KVM_RUN expected to block: short SIGALRM guard */
#define F_GUARDNOTE (1u << 8) /* on EINTR append " (guard timeout 3s or signal)" */
#define F_PC (1u << 9)        /* append " pc=0x.." */
#define F_REGS (1u << 10)     /* append " | " + the exception-state registers */
#define F_SETPC (1u << 11)    /* PC := RAM before KVM_RUN */

struct slot {
    struct guest g;   /* VM, vCPU (run page and RAM in the run group) */
    bool broken;      /* INIT or setup failed: the slot's later steps are "(absent)" */
    char why[96];     /* non-empty when setup failed (reported instead of "(absent)") */
    uint64_t n;       /* register count from the last n=0 probe */
    uint64_t vls[8];  /* VLS as last read */
};

struct step;
typedef void step_fn(struct slot *s, const struct step *st, char *res, char *det);
#define RES_LEN 160
#define DET_LEN 1024

struct step {
    const char *name;  /* exactly as in lifecycle.tsv column "step" */
    const char *ioctl; /* exactly as in column "ioctl" */
    enum act act;
    enum slot_id slot;
    unsigned flags;
    uint64_t id;       /* see enum act */
    uint64_t arg;
    int vk;            /* A_SET: enum setv */
    int det;           /* enum det */
    const char *regs;  /* A_REGS, F_REGS: e.g. "pc pstate ESR_EL1" */
    step_fn *fn;       /* A_CALL */
    int (*setup)(struct slot *s); /* F_NEW in the run group: build the guest */
};

extern const struct step abi_lifecycle_steps[];
extern const size_t abi_lifecycle_nsteps;

/* lifecycle.c, for the run-group callbacks */
#define GUARD_MS 300
#define REGS_EXC "pc pstate ESR_EL1 ELR_EL1 FAR_EL1 SPSR_EL1 VBAR_EL1"
int abi_regs_detail(struct slot *s, const char *names, char *det, size_t n);
void abi_run_detail(struct slot *s, const struct step *st, int ret, char *res, char *det);

/* lifecycle_run.c: callbacks and setups named by the table */
step_fn abi_c_mmap, abi_c_immexit_init, abi_c_immexit_preset, abi_c_memslot, abi_c_setvbar,
    abi_c_regs_end, abi_c_trap_init;
int abi_setup_mini_hvcoff(struct slot *s);
int abi_setup_mini_mmio(struct slot *s);
int abi_setup_runb(struct slot *s);
int abi_setup_undef(struct slot *s);
int abi_setup_trap(struct slot *s);
int abi_setup_zen(struct slot *s);
int abi_setup_poff(struct slot *s);

#endif
