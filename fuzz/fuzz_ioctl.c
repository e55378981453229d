/*
 * fuzz_ioctl.c - libFuzzer harness for the ioctl surface (system, VM, vCPU fds).
 *
 * Input format (fuzz/README.md has the table): byte 0 picks the host profile
 * (a preset, or a custom one from the next bytes); then each step is one opcode
 * byte followed by that op's argument bytes, until the input runs out or
 * FZ_MAX_STEPS steps. Arguments reach where a VMM's mistakes would: register
 * ids from the run-time catalogue (every id KVM_GET_REG_LIST returned at start)
 * and mutated neighbours of them, VLS bitmaps around the host set, INIT feature
 * sets, FINALIZE values, memslot layouts, NULL/guard-page/straddling/kernel
 * pointers, unknown request numbers, closing a VM fd under live vCPUs.
 *
 * After every step the invariants of ioctl_check.c are checked; the ABI rules
 * that the harness can predict exactly (spec 1.3, 1.4, 1.5, 2.4, 2.6, 3.5, 3.9)
 * are checked too, so a divergence shows up as a crash with the input saved.
 * At the end of each input every fd is closed and nothing may leak (fds here,
 * memory through LeakSanitizer).
 *
 * This file: the helpers every op uses and the driver; the ops are in
 * ioctl_ops_vm.c (system and VM fds) and ioctl_ops_vcpu.c (vCPU fds).
 */
#include <fcntl.h>

#include "ioctl_state.h"

#define FZ_MAX_STEPS 64

static struct softkvm_host_profile default_host;

/* ---- small helpers ---------------------------------------------------- */

int fz_pick_vcpu(struct bytes *b)
{
    if (!fz.nvcpus)
        return -1;
    unsigned i = pick(b, fz.nvcpus);
    for (unsigned k = 0; k < fz.nvcpus; k++, i = (i + 1) % fz.nvcpus)
        if (fz.vcpus[i].open)
            return (int)i;
    return -1;
}

int fz_pick_vm(struct bytes *b)
{
    if (!fz.nvms)
        return -1;
    unsigned i = pick(b, fz.nvms);
    for (unsigned k = 0; k < fz.nvms; k++, i = (i + 1) % fz.nvms)
        if (fz.vms[i].open)
            return (int)i;
    return -1;
}

void fz_note_fd(int fd)
{
    if (fd > fz.maxfd)
        fz.maxfd = fd;
}

/* Copy obj into the valid buffer (ending at the guard page) and return the
 * pointer of the chosen kind. */
void *fz_arg_ptr(enum ptr_kind k, const void *obj, size_t size)
{
    void *p = fuzz_ptr(&fz.mem, k, size);
    if (k == PTR_VALID && obj)
        memcpy(p, obj, size);
    return p;
}


/* Register ids: the catalogue, its neighbours, SVE slices, raw values. */
uint64_t fz_take_reg_id(struct bytes *b)
{
    uint64_t id = fz_ncat ? fz_cat[take16(b) % fz_ncat] : 0;
    switch (take8(b) % 10) {
    case 0: case 1: case 2: case 3: return id;
    case 4: return id ^ (1ull << (take8(b) % 64));
    case 5: return id + (uint64_t)(int8_t)take8(b);
    case 6: return (id & ~(0xfull << 52)) | ((uint64_t)(take8(b) & 0xf) << 52);
    case 7: return (id & ~0x0fff0000ull) | ((uint64_t)(take16(b) & 0xfff) << 16);
    case 8: {
        unsigned n = take8(b), slice = take8(b) % 33;
        switch (n % 4) {
        case 0: return KVM_REG_ARM64_SVE_ZREG(n / 4 % 32, slice % 32);
        case 1: return KVM_REG_ARM64_SVE_PREG(n / 4 % 16, slice % 32);
        case 2: return KVM_REG_ARM64_SVE_FFR(slice % 32);
        default: return KVM_REG_ARM64_SVE_VLS;
        }
    }
    default: return take64(b);
    }
}

/* Before a vCPU op: a snapshot valid for the VM's generation. */
void fz_pre(unsigned i)
{
    struct fz_vcpu *c = &fz.vcpus[i];
    if (!c->snap.valid || c->snap.gen != fz.vms[c->vm].gen)
        fz_snap_fresh(i, NULL, 0);
}

/* After a vCPU op: a failure changed nothing; a mutating success bumps the generation. */
void fz_post(unsigned i, long ret, int err, const char *what, bool mutating)
{
    struct fz_vcpu *c = &fz.vcpus[i];
    if (fz.verbose)
        fprintf(stderr, "  vcpu%u %s -> %ld%s%s\n", i, what, ret, ret < 0 ? "/" : "", ret < 0 ? strerror(err) : "");
    if (ret < 0) {
        FUZZ_ASSERT(ret == -1, "%s returned %ld", what, ret);
        FUZZ_ASSERT(err > 0 && err < 4096, "%s: errno %d", what, err);
        fz_check_unchanged(i, what, err);
    } else if (mutating) {
        fz.vms[c->vm].gen++;
    }
}

long fz_ioctl_vcpu(unsigned i, unsigned long req, void *arg, int *err)
{
    errno = 0;
    long r = softkvm_ioctl(fz.vcpus[i].fd, req, arg);
    *err = errno;
    return r;
}

/* ---- driver ----------------------------------------------------------- */

typedef void (*op_fn)(struct bytes *);

static void fzop_get_reg(struct bytes *b) { fzop_one_reg(b, false); }
static void fzop_set_reg(struct bytes *b) { fzop_one_reg(b, true); }

static const op_fn ops[] = {
    fzop_create_vm, fzop_create_vcpu, fzop_create_vcpu, fzop_init, fzop_init, fzop_finalize, fzop_get_reg, fzop_get_reg,
    fzop_set_reg, fzop_set_reg, fzop_set_vls, fzop_reg_list, fzop_memslot, fzop_memslot, fzop_check_extension, fzop_enable_cap,
    fzop_preferred_target, fzop_mp_state, fzop_events, fzop_device_attr, fzop_sigmask, fzop_run, fzop_bad_pointer,
    fzop_unknown_request, fzop_close, fzop_poke, fzop_agree,
};

static void choose_host(struct bytes *b)
{
    static const char *const presets[] = { "qemu-max", "graviton3", "graviton4", "a64fx", "nosve" };
    struct softkvm_host_profile p;
    uint8_t c = take8(b);
    if (c < 200) {
        softkvm_host_preset(presets[c % 5], &p);
    } else {
        softkvm_host_preset("qemu-max", &p);
        p.sve_vqs = take16(b);
        uint8_t f = take8(b);
        p.ptrauth = f & 1;
        p.pmu = f & 2;
        p.el1_32bit = f & 4;
        p.ipa_bits = 32 + take8(b) % 17;
        p.nr_cpus = 1 + take8(b) % 4;
    }
    if (softkvm_set_host_profile(&p) != 0)
        softkvm_set_host_profile(&default_host);
    softkvm_get_host_profile(&fz.host);
}

static void setup(void)
{
    fz.page_size = (size_t)sysconf(_SC_PAGESIZE);
    fuzz_mem_init(&fz.mem);
    fz.arena = mmap(NULL, FZ_ARENA_PAGES * fz.page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FUZZ_ASSERT(fz.arena != MAP_FAILED, "arena");
    mprotect(fz.arena + (FZ_ARENA_PAGES - 1) * fz.page_size, fz.page_size, PROT_NONE);
    fz.deep = getenv("FUZZ_DEEP") && atoi(getenv("FUZZ_DEEP"));
    fz.verbose = getenv("FUZZ_VERBOSE") && atoi(getenv("FUZZ_VERBOSE"));
    fz.protnone_slots = getenv("FUZZ_PROTNONE_SLOTS") && atoi(getenv("FUZZ_PROTNONE_SLOTS"));
    fz.strict = getenv("FUZZ_STRICT") && atoi(getenv("FUZZ_STRICT"));
    if (fz.strict)
        fz.protnone_slots = true;
    softkvm_get_host_profile(&default_host);
    int sys = softkvm_open(NULL, O_CLOEXEC);
    FUZZ_ASSERT(sys >= 0, "softkvm_open: %s", strerror(errno));
    fz.mmap_size = softkvm_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0);
    fz_catalogue_build(sys);
    softkvm_close(sys);
    fuzz_watchdog_init();
    fuzz_fd_baseline();
}

static void teardown(void)
{
    for (unsigned i = 0; i < fz.nvcpus; i++) {
        munmap(fz.vcpus[i].run, (size_t)fz.mmap_size);
        if (fz.vcpus[i].open)
            softkvm_close(fz.vcpus[i].fd);
    }
    for (unsigned v = 0; v < fz.nvms; v++)
        if (fz.vms[v].open)
            softkvm_close(fz.vms[v].fd);
    softkvm_close(fz.sysfd);
    fuzz_check_no_leaked_fds(fz.maxfd + 16);
    softkvm_set_host_profile(&default_host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool ready;
    if (!ready) {
        setup();
        ready = true;
    }
    struct bytes b = { data, size };
    memset(fz.vms, 0, sizeof fz.vms);
    fz.nvms = fz.nvcpus = 0;
    choose_host(&b);
    fz.sysfd = softkvm_open(NULL, take8(&b) & 1 ? O_CLOEXEC : 0);
    FUZZ_ASSERT(fz.sysfd >= 0, "softkvm_open: %s", strerror(errno));
    fz.maxfd = fz.sysfd;
    FUZZ_ASSERT(softkvm_ioctl(fz.sysfd, KVM_GET_API_VERSION, 0) == 12, "API version");
    for (unsigned step = 0; step < FZ_MAX_STEPS && bytes_left(&b); step++) {
        unsigned op = take8(&b) % (sizeof ops / sizeof ops[0]);
        if (fz.verbose)
            fprintf(stderr, "step %u: op %u\n", step, op);
        ops[op](&b);
    }
    teardown();
    return 0;
}
