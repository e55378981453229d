/*
 * ioctl_state.h - fuzz_ioctl's view of the objects it created and the checks
 * it runs on them (ioctl_check.c).
 *
 * The harness keeps, per input, a few VMs and vCPUs. For each vCPU it can take
 * a snapshot of everything a VMM could observe (register list or its errno,
 * register values, mp_state); a failed ioctl must leave the snapshot equal
 * (Linux validates fully before mutating; STYLE.md "Errors"). Snapshots are
 * cached per VM generation: any successful mutating ioctl on a VM or one of its
 * vCPUs bumps the generation, so a run of failures costs one snapshot.
 */
#ifndef SOFTKVM_FUZZ_IOCTL_STATE_H
#define SOFTKVM_FUZZ_IOCTL_STATE_H

#include "fuzz_common.h"

#define FZ_MAX_VMS 3
#define FZ_MAX_VCPUS 6
#define FZ_MAX_SLOTS 24
#define FZ_MAX_CAT 1024        /* register ids in the catalogue */
#define FZ_MAX_LIST 600        /* a register list never exceeds this */
#define FZ_ARENA_PAGES 16      /* guest memory the memslots may point at */

/* The register catalogue: every id any KVM_GET_REG_LIST returned at start-up,
 * over several host profiles and feature sets (ioctl_check.c). Sorted. */
extern uint64_t fz_cat[FZ_MAX_CAT];
extern unsigned fz_ncat;
void fz_catalogue_build(int sysfd);
bool fz_cat_has(uint64_t id);

struct fz_slot {                 /* shadow of one memslot */
    uint16_t id;
    uint32_t flags;
    uint64_t gpa, size, uaddr;
    bool safe;                   /* backed by the harness's accessible arena pages */
};

struct fz_vm {
    int fd;
    bool open;                   /* our VM fd is still open (vCPUs may outlive it) */
    bool exists;                 /* created in this input */
    unsigned ipa_bits;
    unsigned gen;                /* bumped by every successful mutation */
    uint32_t vcpu_ids[FZ_MAX_VCPUS];
    unsigned nvcpu_ids;
    struct fz_slot slots[FZ_MAX_SLOTS];
    unsigned nslots;
};

/* What a VMM sees of one vCPU. Values are hashed per id (errno folded in). */
struct fz_snap {
    bool valid;
    unsigned gen;
    bool deep;                   /* covers the whole catalogue, not only the watch list */
    int list_err;                /* GET_REG_LIST: 0 or errno */
    uint32_t list_n;
    uint64_t list_hash;
    uint32_t mp_state;
    int mp_err;
    unsigned nvals;
    uint64_t ids[FZ_MAX_CAT + 64];
    uint64_t vals[FZ_MAX_CAT + 64];
};

struct fz_vcpu {
    int fd;
    bool open;
    int vm;                      /* index into fz.vms */
    uint32_t id;
    int stage;                   /* highest lifecycle stage seen: 0 C, 1 N, 2 R */
    struct kvm_run *run;
    bool agreed;                 /* fz_check_agreement passed at generation agreed_gen */
    unsigned agreed_gen;
    struct fz_snap snap;
};

struct fz {
    int sysfd;
    struct fuzz_mem mem;
    uint8_t *arena;              /* FZ_ARENA_PAGES pages: last one PROT_NONE */
    struct fz_vm vms[FZ_MAX_VMS];
    unsigned nvms;
    struct fz_vcpu vcpus[FZ_MAX_VCPUS];
    unsigned nvcpus;
    struct softkvm_host_profile host;
    int maxfd;
    bool deep;                   /* FUZZ_DEEP=1: snapshots cover the whole catalogue */
    bool verbose;                /* FUZZ_VERBOSE=1: log the steps (reproducers) */
    bool protnone_slots;         /* FUZZ_PROTNONE_SLOTS=1: slots may cover the PROT_NONE page */
    bool strict;                 /* FUZZ_STRICT=1: do not steer around known library bugs */
    size_t page_size;
    long mmap_size;              /* KVM_GET_VCPU_MMAP_SIZE */
};

extern struct fz fz;

/* Snapshot vCPU i (watch list + extra ids, or everything when deep). */
void fz_snapshot(unsigned i, struct fz_snap *s, const uint64_t *extra, unsigned nextra, bool deep);
/* Make sure vCPU i has a snapshot valid for its VM's generation. */
void fz_snap_fresh(unsigned i, const uint64_t *extra, unsigned nextra);
/* After a failed ioctl on vCPU i: what it observes must equal its snapshot. */
void fz_check_unchanged(unsigned i, const char *what, long err);
/* Lifecycle stage from a snapshot, and the "never backwards" rule. */
void fz_check_stage(unsigned i, const struct fz_snap *s, const char *what);
/* KVM_GET_REG_LIST agrees with ONE_REG (listed ids GET/SET back; neighbours refused). */
void fz_check_agreement(unsigned i, struct bytes *b);

/* ONE_REG helpers: return 0 or errno. */
int fz_get_reg(int fd, uint64_t id, void *buf);
int fz_set_reg(int fd, uint64_t id, const void *buf);

/* Linux quirk: MIDR/REVIDR/CLIDR/AIDR/CTR answer under (almost) any coproc. */
bool fz_invariant_alias(uint64_t id);

/* Ids whose value legitimately changes with time. */
bool fz_time_dependent(uint64_t id);

/* ---- helpers shared by the ops (fuzz_ioctl.c) ---- */
int fz_pick_vcpu(struct bytes *b);      /* an open vCPU, or -1 */
int fz_pick_vm(struct bytes *b);        /* a VM whose fd is open, or -1 */
void fz_note_fd(int fd);
/* obj copied into the valid buffer (which ends at the guard page); the pointer of kind k. */
void *fz_arg_ptr(enum ptr_kind k, const void *obj, size_t size);
static inline bool fz_bad_ptr(enum ptr_kind k) { return k != PTR_VALID && k != PTR_READONLY; }
uint64_t fz_take_reg_id(struct bytes *b);
/* Around every vCPU op: a fresh snapshot before; after, a failure must have
 * changed nothing and a mutating success bumps the VM's generation. */
void fz_pre(unsigned i);
void fz_post(unsigned i, long ret, int err, const char *what, bool mutating);
long fz_ioctl_vcpu(unsigned i, unsigned long req, void *arg, int *err);

/* ---- the ops: each reads its operands from b ---- */
void fzop_create_vm(struct bytes *b);
void fzop_create_vcpu(struct bytes *b);
void fzop_memslot(struct bytes *b);
void fzop_check_extension(struct bytes *b);
void fzop_enable_cap(struct bytes *b);
void fzop_preferred_target(struct bytes *b);
void fzop_close(struct bytes *b);
void fzop_poke(struct bytes *b);
void fzop_init(struct bytes *b);
void fzop_finalize(struct bytes *b);
void fzop_one_reg(struct bytes *b, bool set);
void fzop_set_vls(struct bytes *b);
void fzop_reg_list(struct bytes *b);
void fzop_mp_state(struct bytes *b);
void fzop_events(struct bytes *b);
void fzop_device_attr(struct bytes *b);
void fzop_sigmask(struct bytes *b);
void fzop_run(struct bytes *b);
void fzop_bad_pointer(struct bytes *b);
void fzop_unknown_request(struct bytes *b);
void fzop_agree(struct bytes *b);

#endif
