/*
 * fuzz_engine.c - libFuzzer harness for the execution engine, driven only
 * through the KVM API: random instruction words and register state, run with
 * an instruction limit (softkvm_vcpu_set_insn_limit) under a watchdog.
 *
 * Asserted for every input: the host process does not fault (guest RAM sits
 * between PROT_NONE guard pages; ASan/UBSan watch the rest), every KVM_RUN
 * ends with a valid exit (spec 4.1, 4.2): an MMIO exit names an address
 * outside every RAM slot with len 1/2/4/8, a write to the read-only slot is the
 * only MMIO inside a slot, a read-only slot is never modified, no exit reason
 * appears that this VM did not enable, and afterwards every register of the
 * list still reads back with PSTATE in a valid AArch64 mode.
 *
 * Input: a header (features, VL, registers, system registers; see
 * fuzz/README.md) and then the guest code as little-endian words. Each KVM_RUN
 * may execute at most 1..2048 instructions (softkvm_vcpu_set_insn_limit); the
 * watchdog covers the waits that execute nothing (WFI, power-off). While no
 * engine is linked KVM_RUN answers KVM_EXIT_INTERNAL_ERROR; the harness
 * detects that once at start-up and then accepts it.
 */
#include <fcntl.h>

#include "fuzz_common.h"

#define RAM_GPA 0x10000000ull
#define RAM_PAGES 16
#define RO_GPA 0x10100000ull
#define MAX_RUNS 6
#define VEC_END 0x8800u                         /* VBAR choices: RAM + 0x800 * (0..15) */
#define CODE_END ((RAM_PAGES - 1) * 4096u)      /* the last page is the stack */

#define CORE64(off) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define CORE_X(n) CORE64(2 * (n))
#define CORE_SP CORE64(0x3e)
#define CORE_PC CORE64(0x40)
#define CORE_PSTATE CORE64(0x42)
#define CORE_SP_EL1 CORE64(0x44)
#define CORE_ELR_EL1 CORE64(0x46)
#define CORE_SPSR_EL1 CORE64(0x48)
#define SCTLR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 0)
#define CPACR_EL1 ARM64_SYS_REG(3, 0, 1, 0, 2)
#define VBAR_EL1 ARM64_SYS_REG(3, 0, 12, 0, 0)
#define ZCR_EL1 ARM64_SYS_REG(3, 0, 1, 2, 0)
#define TCR_EL1 ARM64_SYS_REG(3, 0, 2, 0, 2)
#define TTBR0_EL1 ARM64_SYS_REG(3, 0, 2, 0, 0)
#define MAIR_EL1 ARM64_SYS_REG(3, 0, 10, 2, 0)

static size_t page;
static int sysfd;
static long mmap_size;
static uint8_t *ram, *ro;            /* guest memory, each between guard pages */
static uint8_t ro_image[4096];
static bool no_engine;               /* KVM_RUN gives INTERNAL_ERROR for a trivial guest */
static int maxfd;

/* [guard][n pages][guard] */
static uint8_t *guarded(size_t n)
{
    uint8_t *p = mmap(NULL, (n + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FUZZ_ASSERT(p != MAP_FAILED, "mmap");
    FUZZ_ASSERT(mprotect(p + page, n * page, PROT_READ | PROT_WRITE) == 0, "mprotect");
    return p + page;
}

static void set64(int fd, uint64_t id, uint64_t v)
{
    struct kvm_one_reg r = { id, (uintptr_t)&v };
    softkvm_ioctl(fd, KVM_SET_ONE_REG, &r);   /* may fail (e.g. ZCR_EL1 without SVE): fine */
}

struct guest {
    int vm, vcpu;
    struct kvm_run *run;
    bool nisv;
};

static void guest_create(struct guest *g, uint32_t features, unsigned sve_max_vq, bool nisv)
{
    g->vm = softkvm_ioctl(sysfd, KVM_CREATE_VM, 0);
    FUZZ_ASSERT(g->vm >= 0, "KVM_CREATE_VM: %s", strerror(errno));
    g->nisv = nisv;
    if (nisv) {
        struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };
        FUZZ_ASSERT(softkvm_ioctl(g->vm, KVM_ENABLE_CAP, &cap) == 0, "NISV_TO_USER");
    }
    struct kvm_userspace_memory_region mr = { 0, 0, RAM_GPA, RAM_PAGES * page, (uintptr_t)ram };
    FUZZ_ASSERT(softkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr) == 0, "RAM slot: %s", strerror(errno));
    struct kvm_userspace_memory_region rm = { 1, KVM_MEM_READONLY, RO_GPA, page, (uintptr_t)ro };
    FUZZ_ASSERT(softkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &rm) == 0, "RO slot: %s", strerror(errno));
    g->vcpu = softkvm_ioctl(g->vm, KVM_CREATE_VCPU, 0);
    FUZZ_ASSERT(g->vcpu >= 0, "KVM_CREATE_VCPU: %s", strerror(errno));
    if (g->vcpu > maxfd)
        maxfd = g->vcpu;
    g->run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
    FUZZ_ASSERT(g->run != MAP_FAILED, "mmap kvm_run");
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8, .features = { features } };
    FUZZ_ASSERT(softkvm_ioctl(g->vcpu, KVM_ARM_VCPU_INIT, &in) == 0, "INIT(0x%x): %s", features, strerror(errno));
    if (features & (1u << KVM_ARM_VCPU_PMU_V3)) {
        struct kvm_device_attr a = { 0, KVM_ARM_VCPU_PMU_V3_CTRL, KVM_ARM_VCPU_PMU_V3_INIT, 0 };
        FUZZ_ASSERT(softkvm_ioctl(g->vcpu, KVM_SET_DEVICE_ATTR, &a) == 0, "PMU init: %s", strerror(errno));
    }
    if (features & (1u << KVM_ARM_VCPU_SVE)) {
        struct softkvm_host_profile h;
        softkvm_get_host_profile(&h);
        uint64_t vls[8] = { h.sve_vqs & ((1ull << sve_max_vq) - 1) };
        struct kvm_one_reg r = { KVM_REG_ARM64_SVE_VLS, (uintptr_t)vls };
        if (vls[0])
            softkvm_ioctl(g->vcpu, KVM_SET_ONE_REG, &r);   /* a prefix of the host set: accepted */
        int what = KVM_ARM_VCPU_SVE;
        FUZZ_ASSERT(softkvm_ioctl(g->vcpu, KVM_ARM_VCPU_FINALIZE, &what) == 0, "FINALIZE: %s", strerror(errno));
    }
}

static void guest_destroy(struct guest *g)
{
    munmap(g->run, (size_t)mmap_size);
    softkvm_close(g->vcpu);
    softkvm_close(g->vm);
}

/* An access the engine reported as MMIO must really be outside guest RAM. */
static void check_mmio(const struct guest *g, uint64_t addr, uint32_t len, bool write, const char *what)
{
    FUZZ_ASSERT(len == 1 || len == 2 || len == 4 || len == 8, "%s exit with len %u", what, len);
    uint64_t ram_end = RAM_GPA + RAM_PAGES * page;
    bool in_ram = addr + len > RAM_GPA && addr < ram_end;
    bool in_ro = addr + len > RO_GPA && addr < RO_GPA + page;
    FUZZ_ASSERT(!in_ram, "%s exit for 0x%llx (len %u) inside the RAM slot", what, (unsigned long long)addr, len);
    FUZZ_ASSERT(!in_ro || write, "%s read exit for 0x%llx inside the read-only slot (reads are RAM)", what,
                (unsigned long long)addr);
    (void)g;
}

/* After the runs: the vCPU is in a state a VMM can read and resume. full:
 * every listed register (costly: a quarter of the inputs ask for it). */
static void check_state(const struct guest *g, bool full)
{
    static uint64_t buf[1 + 600];
    struct kvm_reg_list *l = (void *)buf;
    l->n = 600;
    FUZZ_ASSERT(softkvm_ioctl(g->vcpu, KVM_GET_REG_LIST, l) == 0, "GET_REG_LIST after running: %s", strerror(errno));
    static uint8_t val[256];
    for (uint64_t k = 0; k < l->n && full; k++) {
        struct kvm_one_reg r = { l->reg[k], (uintptr_t)val };
        FUZZ_ASSERT(softkvm_ioctl(g->vcpu, KVM_GET_ONE_REG, &r) == 0, "GET 0x%llx after running: %s",
                    (unsigned long long)l->reg[k], strerror(errno));
    }
    uint64_t pstate;
    struct kvm_one_reg r = { CORE_PSTATE, (uintptr_t)&pstate };
    FUZZ_ASSERT(softkvm_ioctl(g->vcpu, KVM_GET_ONE_REG, &r) == 0, "pstate");
    unsigned m = pstate & 0x1f;
    FUZZ_ASSERT(m == 0x0 || m == 0x4 || m == 0x5, "PSTATE 0x%llx: not an AArch64 EL0/EL1 mode after running",
                (unsigned long long)pstate);
    FUZZ_ASSERT(memcmp(ro, ro_image, page) == 0, "the guest modified a KVM_MEM_READONLY slot");
    /* Still resumable: immediate_exit returns EINTR without running. */
    g->run->immediate_exit = 1;
    int rr = softkvm_ioctl(g->vcpu, KVM_RUN, 0);
    int e = errno;
    g->run->immediate_exit = 0;
    FUZZ_ASSERT(rr == -1 && e == EINTR, "KVM_RUN with immediate_exit after running: %d/%s", rr, strerror(e));
}

static void run_guest(struct guest *g, struct bytes *b)
{
    for (int n = 0; n < MAX_RUNS; n++) {
        fuzz_watchdog_arm(5);
        fuzz_hang_guard(10);
        errno = 0;
        int r = softkvm_ioctl(g->vcpu, KVM_RUN, 0);
        int e = errno;
        fuzz_hang_guard(0);
        fuzz_watchdog_disarm();
        if (r < 0) {
            FUZZ_ASSERT(r == -1, "KVM_RUN returned %d", r);
            if (e == EINTR) {
                FUZZ_ASSERT(g->run->exit_reason == KVM_EXIT_INTR, "EINTR with exit_reason %u", g->run->exit_reason);
                return;
            }
            FUZZ_ASSERT(e == ENOSYS && !g->nisv, "KVM_RUN failed %s (nisv %d)", strerror(e), g->nisv);
            return;
        }
        FUZZ_ASSERT(r == 0, "KVM_RUN returned %d", r);
        struct kvm_run *run = g->run;
        switch (run->exit_reason) {
        case KVM_EXIT_MMIO:
            check_mmio(g, run->mmio.phys_addr, run->mmio.len, run->mmio.is_write, "MMIO");
            FUZZ_ASSERT(run->mmio.is_write <= 1, "is_write %u", run->mmio.is_write);
            if (!run->mmio.is_write)
                take_buf(b, run->mmio.data, 8);
            break;
        case KVM_EXIT_ARM_NISV:
            FUZZ_ASSERT(g->nisv, "ARM_NISV exit without KVM_CAP_ARM_NISV_TO_USER");
            check_mmio(g, run->arm_nisv.fault_ipa, 1, true, "ARM_NISV");
            return;   /* KVM cannot resume it either: the VMM must emulate or stop */
        case KVM_EXIT_SYSTEM_EVENT:
            FUZZ_ASSERT(run->system_event.type >= KVM_SYSTEM_EVENT_SHUTDOWN &&
                            run->system_event.type <= KVM_SYSTEM_EVENT_SUSPEND,
                        "system event type %u", run->system_event.type);
            return;
        case KVM_EXIT_INTERNAL_ERROR:
            FUZZ_ASSERT(no_engine, "KVM_EXIT_INTERNAL_ERROR (suberror %u): the engine gave up on a guest",
                        run->internal.suberror);
            return;
        default:
            FUZZ_FAIL("KVM_RUN returned 0 with exit_reason %u", run->exit_reason);
        }
    }
}

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    sysfd = softkvm_open(NULL, O_CLOEXEC);
    FUZZ_ASSERT(sysfd >= 0, "softkvm_open");
    mmap_size = softkvm_ioctl(sysfd, KVM_GET_VCPU_MMAP_SIZE, 0);
    ram = guarded(RAM_PAGES);
    ro = guarded(1);
    for (size_t i = 0; i < page; i++)
        ro_image[i] = (uint8_t)(i * 7 + 1);
    memcpy(ro, ro_image, page);
    fuzz_watchdog_init();

    /* Is there an engine? "mov x0, #0x84000008 (SYSTEM_OFF); hvc #0" with PSCI 0.2. */
    static const uint32_t probe[] = { 0xd2800100, 0xf2b08000, 0xd4000002 };
    memcpy(ram, probe, sizeof probe);
    struct guest g;
    guest_create(&g, 1u << KVM_ARM_VCPU_PSCI_0_2, 0, false);
    set64(g.vcpu, CORE_PC, RAM_GPA);
    FUZZ_ASSERT(softkvm_vcpu_set_insn_limit(g.vcpu, 100) == 0, "set_insn_limit");
    fuzz_watchdog_arm(50);
    int r = softkvm_ioctl(g.vcpu, KVM_RUN, 0);
    fuzz_watchdog_disarm();
    no_engine = r == 0 && g.run->exit_reason == KVM_EXIT_INTERNAL_ERROR;
    if (no_engine)
        fprintf(stderr, "fuzz_engine: no execution engine linked (KVM_RUN gives KVM_EXIT_INTERNAL_ERROR); "
                        "only the API path is exercised\n");
    guest_destroy(&g);
    fuzz_fd_baseline();   /* sysfd stays open for every input */
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

    /* Header: configuration. */
    uint8_t f = take8(&b);
    uint32_t features = 0;
    if (f & 1) features |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (f & 2) features |= 1u << KVM_ARM_VCPU_SVE;
    if (f & 4) features |= 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC;
    if (f & 8) features |= 1u << KVM_ARM_VCPU_PMU_V3;
    bool nisv = f & 16;
    unsigned vq = 1 + take8(&b) % 16;
    struct guest g;
    guest_create(&g, features, vq, nisv);

    /* Registers: a few general registers, PSTATE, stacks, system registers. */
    unsigned nx = take8(&b) % 32;
    for (unsigned i = 0; i < nx; i++) {
        unsigned reg = take8(&b) % 31;
        set64(g.vcpu, CORE_X(reg), take64(&b));
    }
    static const uint64_t modes[] = { 0x3c5, 0x3c4, 0x3c0, 0x5, 0x4, 0x0, 0x3c5, 0x3c5 };
    uint8_t m = take8(&b);
    set64(g.vcpu, CORE_PSTATE, modes[m % 8] | (uint64_t)(m >> 4) << 28);
    set64(g.vcpu, CORE_SP, RAM_GPA + RAM_PAGES * page - 16 * (take8(&b) % 4));
    set64(g.vcpu, CORE_SP_EL1, RAM_GPA + (RAM_PAGES - 1) * page + (take8(&b) & 0xf0));
    uint8_t s = take8(&b);
    set64(g.vcpu, CPACR_EL1, s & 1 ? 0x330000 : s & 2 ? 0x300000 : 0);        /* FPEN, ZEN */
    set64(g.vcpu, VBAR_EL1, s & 4 ? RAM_GPA + 0x800 * (take8(&b) % 16) : take64(&b) & ~0x7ffull);
    set64(g.vcpu, ZCR_EL1, take8(&b) & 0xf);
    if (s & 8) {   /* stray MMU configuration: the engine must stay sane whatever it does with it */
        set64(g.vcpu, SCTLR_EL1, 0x30d00800 | (take8(&b) & 1));
        set64(g.vcpu, TCR_EL1, take64(&b));
        set64(g.vcpu, TTBR0_EL1, RAM_GPA + (take8(&b) % RAM_PAGES) * page);
        set64(g.vcpu, MAIR_EL1, take64(&b));
    }
    set64(g.vcpu, CORE_ELR_EL1, RAM_GPA + (take16(&b) & 0xfffc));
    set64(g.vcpu, CORE_SPSR_EL1, modes[take8(&b) % 8]);
    for (unsigned i = 0, nz = take8(&b) % 4; i < nz; i++) {
        uint8_t z[256];
        take_buf(&b, z, sizeof z);
        struct kvm_one_reg r = { features & (1u << KVM_ARM_VCPU_SVE) ? KVM_REG_ARM64_SVE_ZREG(take8(&b) % 32, 0)
                                                                    : KVM_REG_ARM64 | KVM_REG_SIZE_U128 |
                                                                          KVM_REG_ARM_CORE | (0x54 + 4 * (take8(&b) % 32)),
                                 (uintptr_t)z };
        softkvm_ioctl(g.vcpu, KVM_SET_ONE_REG, &r);
    }
    /* Layout: vectors (VBAR choices) in [0, 0x8800), code from 0x8800, stack page last. */
    uint64_t pc = RAM_GPA + VEC_END + ((uint64_t)take16(&b) * 4) % (CODE_END - VEC_END);
    set64(g.vcpu, CORE_PC, take8(&b) < 250 ? pc : take64(&b));
    uint64_t limit = 1 + take16(&b) % 2048;

    /* Guest memory: the rest of the input is code at PC; the same words, spread
     * out, fill the vector region so that exceptions run fuzzed code too. */
    memset(ram, 0, RAM_PAGES * page);
    size_t code = b.n & ~(size_t)3;
    if (code > CODE_END - (pc - RAM_GPA))
        code = CODE_END - (pc - RAM_GPA);
    if (pc >= RAM_GPA + VEC_END && pc < RAM_GPA + CODE_END && code) {
        memcpy(ram + (pc - RAM_GPA), b.p, code);
        uint32_t *vec = (uint32_t *)ram;
        for (size_t i = 0; i < VEC_END / 4; i++)
            memcpy(&vec[i], b.p + (i * 7 * 4) % code, 4);
    }
    b.p += code;
    b.n -= code;

    FUZZ_ASSERT(softkvm_vcpu_set_insn_limit(g.vcpu, limit) == 0, "set_insn_limit");
    run_guest(&g, &b);
    check_state(&g, (f & 0xc0) == 0xc0);
    guest_destroy(&g);

    fuzz_check_no_leaked_fds(maxfd + 8);
    return 0;
}
