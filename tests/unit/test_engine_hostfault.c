/*
 * test_engine_hostfault.c - guest RAM that faults on the host (the VMM made it
 * inaccessible): engine_run must stop with ENGINE_EXIT_HOST_FAULT, PC at the
 * instruction, the vCPU state exactly as before it, and run the instruction
 * normally once the memory is back (Linux: KVM_RUN fails EFAULT and the VMM
 * may fix the mapping and re-run).
 *
 * Every class of guest memory access the engine has is covered, because each
 * handler must name its instruction before touching memory (internal.h
 * mem_begin): general loads/stores in every shape, pairs, SIMD&FP, Advanced
 * SIMD structures and lanes, acquire/release, exclusives (also the 128-bit
 * ones, done under a lock on hosts without a 16-byte CAS), CAS/CASP, LSE
 * atomics, DC ZVA, SVE contiguous/structure/replicating/first-fault loads,
 * LDR/STR of Z and P, gathers and scatters. Each runs twice: with a cold
 * software TLB (the slow path faults) and after the instruction ran once on
 * the page (the fast path holds a host pointer that now faults). Also the
 * instruction fetch (a PC in the page, a branch into it), and with the MMU on
 * a page-table walk (data access, fetch, AT) reading a table that vanished.
 *
 * The memory is made PROT_NONE with mprotect (the same SIGSEGV as after an
 * munmap; tests/robust/test_host_fault.c covers munmap, read-only mappings
 * and SIGBUS through the KVM API).
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_engine_harness.h"

#define CODE   (RAM_GPA + 0x1000)
#define VBAR   (RAM_GPA + 0x8000)
#define DATA   0x10100000ull           /* slot 1: the page that goes away, then its neighbour */
#define TABLES 0x10200000ull           /* slot 2: one page of page tables */
#define PAGE   4096u

#define HVC(i) (0xd4000002u | (i) << 5)

static struct harness H;
static uint8_t *ram, *data, *tables;

static void setup(void)
{
    memset(&H, 0, sizeof H);
    ram = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    data = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    tables = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    H.ms = calloc(1, sizeof *H.ms + 3 * sizeof(struct memslot));
    H.ms->generation = 1;
    H.ms->n = 3;
    H.ms->slot[0] = (struct memslot){ RAM_GPA, 0x10000, ram, 0, 0 };
    H.ms->slot[1] = (struct memslot){ DATA, 2 * PAGE, data, 0, 1 };
    H.ms->slot[2] = (struct memslot){ TABLES, PAGE, tables, 0, 2 };
    H.mem[0] = ram;
    H.mem[1] = data;
    H.mem[2] = tables;
    atomic_init(&H.msp, H.ms);
    H.env.memslots = &H.msp;
    H.env.sysreg_read = h_sysreg_read;
    H.env.sysreg_write = h_sysreg_write;
    H.env.sysreg_ctx = &H;
    H.env.host_has_sve = true;
    H.env.vcpu_has_sve = true;
    H.env.sve_vqs = 0xf;                /* up to 512 bits */
    atomic_init(&H.kick, 0);
    H.env.kick = &H.kick;
    H.cache = engine_cache_new();
}

/* A fresh vCPU: EL1h, FP/SIMD and SVE on at VL 512, the data page patterned. */
static void reset(void)
{
    h_reset_cpu(&H);
    H.cpu.sys[SR_CPACR_EL1] = (3u << 20) | (3u << 16);
    H.cpu.sys[SR_ZCR_EL1] = 3;
    H.cpu.sys[SR_VBAR_EL1] = VBAR;
    for (unsigned i = 0; i < 16; i++) {
        uint32_t hvc = HVC(0x40 + i);   /* an exception would land here: not expected */
        memcpy(ram + (VBAR - RAM_GPA) + 0x80 * i, &hvc, 4);
    }
    for (unsigned i = 0; i < 2 * PAGE; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    H.cpu.x[0] = 0x0101010101010101ull;  /* CASP compares x0:x1 */
    H.cpu.x[1] = 0x1111111111111111ull;
    H.cpu.x[2] = DATA + 0x100;           /* the address every access uses */
    H.cpu.x[3] = 0x3333333333333333ull;
    H.cpu.x[5] = 0x5555;
    H.cpu.x[6] = 0x6666666666666666ull;
    H.cpu.x[7] = 0x7777777777777777ull;
    H.cpu.sp_el1 = RAM_GPA + 0x7000;
    memset(H.cpu.p[0], 0xff, sizeof H.cpu.p[0]);   /* p0 all true; z3 = 0 (gather/scatter offsets) */
    engine_cache_flush(H.cache);
}

static void load(const uint32_t *code, unsigned n)
{
    memcpy(ram + (CODE - RAM_GPA), code, 4 * n);
}

static struct engine_exit *run(void)
{
    return h_run(&H, 1000);
}

static void prot(uint8_t *p, int prot_flags)
{
    if (mprotect(p, PAGE, prot_flags) != 0)
        perror("mprotect");
}

/* The run stopped at the host fault: PC at pc, state as in *before (same PC). */
static void check_fault(const char *what, const struct engine_exit *e, const struct cpu *before, uint64_t pc,
                        bool fetch, uint64_t ipa)
{
    bool ok = e->kind == ENGINE_EXIT_HOST_FAULT && H.cpu.pc == pc && e->host_fault.fetch == fetch &&
              e->host_fault.ipa_known && e->host_fault.ipa == ipa && e->host_fault.sig == SIGSEGV;
    if (!ok)
        fprintf(stderr, "%s: exit %d pc 0x%llx fetch %d ipa 0x%llx (want HOST_FAULT at 0x%llx, fetch %d, ipa 0x%llx)\n",
                what, (int)e->kind, (unsigned long long)H.cpu.pc, e->host_fault.fetch,
                (unsigned long long)e->host_fault.ipa, (unsigned long long)pc, fetch, (unsigned long long)ipa);
    CHECK(ok);
    if (before && memcmp(before, &H.cpu, sizeof H.cpu) != 0) {
        fprintf(stderr, "%s: the vCPU state changed although the instruction faulted\n", what);
        CHECK(false);
    }
}

static bool stopped_at_hvc(const struct engine_exit *e, unsigned imm)
{
    return e->kind == ENGINE_EXIT_HVC && e->hvc.imm == imm;
}

/* ---- data accesses ----------------------------------------------------------------------------------- */

struct acase {
    const char *name;
    uint32_t insn;
    uint32_t pre;        /* run before (0 = none): the monitor for a store-exclusive */
};

static const struct acase cases[] = {
    { "ldr x", 0xf9400041u, 0 },                        /* ldr x1, [x2] */
    { "ldrb", 0x39400441u, 0 },                         /* ldrb w1, [x2, #1] */
    { "str x", 0xf9000041u, 0 },                        /* str x1, [x2] */
    { "ldr post-index", 0xf8408441u, 0 },               /* ldr x1, [x2], #8: x2 not written either */
    { "ldp", 0xa9400c41u, 0 },                          /* ldp x1, x3, [x2] */
    { "stp pre-index", 0xa9810c41u, 0 },                /* stp x1, x3, [x2, #16]! */
    { "ldr q", 0x3dc00041u, 0 },                        /* ldr q1, [x2] */
    { "str d", 0xfd000041u, 0 },                        /* str d1, [x2] */
    { "ldp q", 0xad400c41u, 0 },                        /* ldp q1, q3, [x2] */
    { "ld1 two registers", 0x4c40a041u, 0 },            /* ld1 {v1.16b, v2.16b}, [x2] */
    { "ld1 lane", 0x0d409041u, 0 },                     /* ld1 {v1.s}[1], [x2] */
    { "ld1r", 0x4d40c841u, 0 },                         /* ld1r {v1.4s}, [x2] */
    { "st1", 0x4c007c41u, 0 },                          /* st1 {v1.2d}, [x2] */
    { "ld2 post-index", 0x4cdf8841u, 0 },               /* ld2 {v1.4s, v2.4s}, [x2], #32 */
    { "ldar", 0xc8dffc41u, 0 },                         /* ldar x1, [x2] */
    { "stlr", 0xc89ffc41u, 0 },                         /* stlr x1, [x2] */
    { "ldapr", 0xf8bfc041u, 0 },                        /* ldapr x1, [x2] */
    { "ldapur", 0xd9408041u, 0 },                       /* ldapur x1, [x2, #8] */
    { "stlur", 0xd9008041u, 0 },                        /* stlur x1, [x2, #8] */
    { "ldtr", 0xf8400841u, 0 },                         /* ldtr x1, [x2] */
    { "ldxr", 0xc85f7c41u, 0 },                         /* ldxr x1, [x2] */
    { "stxr", 0xc8057c41u, 0xc85f7c41u },               /* stxr w5, x1, [x2] after ldxr x1, [x2] */
    { "ldxp", 0xc87f0c41u, 0 },                         /* ldxp x1, x3, [x2] */
    { "stxp (128-bit)", 0xc8250c41u, 0xc87f0c41u },     /* stxp w5, x1, x3, [x2] after ldxp */
    { "cas", 0xc8a17c43u, 0 },                          /* cas x1, x3, [x2] */
    { "casp (128-bit)", 0x48207c46u, 0 },               /* casp x0, x1, x6, x7, [x2] */
    { "ldadd", 0xf8210043u, 0 },                        /* ldadd x1, x3, [x2] */
    { "swp", 0xf8218043u, 0 },                          /* swp x1, x3, [x2] */
    { "dc zva", 0xd50b7422u, 0 },                       /* dc zva, x2 */
    { "sve ld1d", 0xa5e0a041u, 0 },            /* ld1d {z1.d}, p0/z, [x2] */
    { "sve st1d", 0xe5e0e041u, 0 },            /* st1d {z1.d}, p0, [x2] */
    { "sve ldr z", 0x85804041u, 0 },                    /* ldr z1, [x2] */
    { "sve str z", 0xe5804041u, 0 },                    /* str z1, [x2] */
    { "sve ldr p", 0x85800041u, 0 },                    /* ldr p1, [x2] */
    { "sve ld1rqd", 0xa5802041u, 0 },          /* ld1rqd {z1.d}, p0/z, [x2] */
    { "sve ld1rd", 0x85c0e041u, 0 },           /* ld1rd {z1.d}, p0/z, [x2] */
    { "sve ld2d", 0xa5a0e041u, 0 },            /* ld2d {z1.d, z2.d}, p0/z, [x2] */
    { "sve st2d", 0xe5b0e041u, 0 },            /* st2d {z1.d, z2.d}, p0, [x2] */
    { "sve gather", 0xc5c3c041u, 0 },  /* ld1d {z1.d}, p0/z, [x2, z3.d] */
    { "sve scatter", 0xe583a041u, 0 }, /* st1d {z1.d}, p0, [x2, z3.d] */
    { "sve ldff1d", 0xa5ff6041u, 0 },          /* ldff1d {z1.d}, p0/z, [x2, xzr, lsl #3] */
};

/* Code: [insn (warm)] [pre] hvc #1; insn; hvc #2. */
static void test_access(const struct acase *c, bool warm)
{
    char what[80];
    snprintf(what, sizeof what, "%s (%s TLB)", c->name, warm ? "warm" : "cold");
    uint32_t code[8];
    unsigned n = 0;
    if (warm)
        code[n++] = c->insn;
    if (c->pre)
        code[n++] = c->pre;
    code[n++] = HVC(1);
    uint64_t at = CODE + 4ull * n;
    code[n++] = c->insn;
    code[n++] = HVC(2);
    reset();
    load(code, n);
    H.cpu.pc = CODE;
    struct engine_exit *e = run();
    if (!stopped_at_hvc(e, 1)) {
        fprintf(stderr, "%s: the set-up did not reach hvc #1 (exit %d)\n", what, (int)e->kind);
        CHECK(false);
        return;
    }
    struct cpu before;
    memcpy(&before, &H.cpu, sizeof before);
    prot(data, PROT_NONE);
    e = run();
    check_fault(what, e, &before, at, false, DATA);
    /* Fault again (the TLB still holds the page), then with the memory back the
     * instruction completes. */
    e = run();
    check_fault(what, e, &before, at, false, DATA);
    prot(data, PROT_READ | PROT_WRITE);
    e = run();
    if (!stopped_at_hvc(e, 2))
        fprintf(stderr, "%s: after the memory came back: exit %d at 0x%llx\n", what, (int)e->kind,
                (unsigned long long)H.cpu.pc);
    CHECK(stopped_at_hvc(e, 2));
}

/* A load after the fault reads what the memory holds then (the VMM may have
 * mapped other contents). */
static void test_reload(void)
{
    static const uint32_t code[] = { 0xf9400041u, HVC(1), 0xf9400041u, HVC(2) };   /* ldr x1, [x2] */
    reset();
    load(code, 4);
    H.cpu.pc = CODE;
    CHECK(stopped_at_hvc(run(), 1));
    uint64_t old;
    memcpy(&old, data + 0x100, 8);
    CHECK_EQ(H.cpu.x[1], old);
    prot(data, PROT_NONE);
    CHECK_EQ(run()->kind, ENGINE_EXIT_HOST_FAULT);
    prot(data, PROT_READ | PROT_WRITE);
    uint64_t v = 0x0123456789abcdefull;
    memcpy(data + 0x100, &v, 8);
    CHECK(stopped_at_hvc(run(), 2));
    CHECK_EQ(H.cpu.x[1], v);
}

/* A store across a page boundary whose second page faults writes nothing
 * (the first page is not written first), for a plain store, a pair and SVE. */
static void test_straddle(void)
{
    static const struct { const char *name; uint32_t insn; } st[] = {
        { "str x across pages", 0xf9000041u },              /* str x1, [x2] */
        { "stp across pages", 0xa9000c41u },                /* stp x1, x3, [x2] */
        { "sve st1d across pages", 0xe5e0e041u },           /* st1d {z1.d}, p0, [x2] */
        { "sve str z across pages", 0xe5804041u },          /* str z1, [x2] */
    };
    for (unsigned i = 0; i < sizeof st / sizeof st[0]; i++) {
        uint32_t code[] = { HVC(1), st[i].insn, HVC(2) };
        reset();
        memset(H.cpu.z[1], 0xee, sizeof H.cpu.z[1]);
        load(code, 3);
        H.cpu.x[2] = DATA + PAGE - 4;
        H.cpu.pc = CODE;
        CHECK(stopped_at_hvc(run(), 1));
        struct cpu before;
        memcpy(&before, &H.cpu, sizeof before);
        uint8_t saved[PAGE];
        memcpy(saved, data, PAGE);
        prot(data + PAGE, PROT_NONE);
        struct engine_exit *e = run();
        check_fault(st[i].name, e, &before, CODE + 4, false, DATA + PAGE);
        if (memcmp(saved, data, PAGE) != 0) {
            fprintf(stderr, "%s: the first page was written\n", st[i].name);
            CHECK(false);
        }
        prot(data + PAGE, PROT_READ | PROT_WRITE);
        CHECK(stopped_at_hvc(run(), 2));
    }
}

/* ---- instruction fetch ----------------------------------------------------------------------------- */

static void test_fetch(void)
{
    static const uint32_t there[] = { 0xd2822221u, HVC(3) };   /* mov x1, #0x1111; hvc #3 */
    /* PC in the page. */
    reset();
    memcpy(data, there, sizeof there);
    H.cpu.pc = DATA;
    struct cpu before;
    memcpy(&before, &H.cpu, sizeof before);
    prot(data, PROT_NONE);
    check_fault("fetch", run(), &before, DATA, true, DATA);
    prot(data, PROT_READ | PROT_WRITE);
    CHECK(stopped_at_hvc(run(), 3));
    CHECK_EQ(H.cpu.x[1], 0x1111);

    /* A branch into the page: it completes, the fetch of its target faults. */
    static const uint32_t br[] = { HVC(1), 0xd61f0040u };      /* hvc #1; br x2 */
    reset();
    memcpy(data + 0x100, there, sizeof there);
    load(br, 2);
    H.cpu.pc = CODE;
    CHECK(stopped_at_hvc(run(), 1));
    memcpy(&before, &H.cpu, sizeof before);
    before.pc = DATA + 0x100;
    prot(data, PROT_NONE);
    check_fault("branch target", run(), &before, DATA + 0x100, true, DATA);
    prot(data, PROT_READ | PROT_WRITE);
    CHECK(stopped_at_hvc(run(), 3));

    /* The next page: code running off the end of an accessible page into one that is not. */
    static const uint32_t nop = 0xd503201fu;
    reset();
    memcpy(data, &nop, 4);
    for (unsigned i = 0; i < PAGE / 4; i++)
        memcpy(data + 4 * i, &nop, 4);
    memcpy(data + PAGE, there, sizeof there);
    H.cpu.pc = DATA + PAGE - 8;
    prot(data + PAGE, PROT_NONE);
    struct engine_exit *e = run();
    CHECK(e->kind == ENGINE_EXIT_HOST_FAULT && H.cpu.pc == DATA + PAGE && e->host_fault.fetch &&
          e->host_fault.ipa == DATA + PAGE);
    prot(data + PAGE, PROT_READ | PROT_WRITE);
    CHECK(stopped_at_hvc(run(), 3));
}

/* ---- page-table walks (MMU on) ----------------------------------------------------------------------- */

/* One level-1 block (4K granule, 39-bit VAs) maps the first GiB flat. */
static void mmu_on(void)
{
    uint64_t block = 0x0 | 1 | (1ull << 10) | (3ull << 8);    /* valid block, AF, inner shareable, attr 0 */
    memset(tables, 0, PAGE);
    memcpy(tables, &block, 8);
    H.cpu.sys[SR_MAIR_EL1] = 0xff;
    H.cpu.sys[SR_TCR_EL1] = 25 | (1ull << 23) | (2ull << 32);  /* T0SZ 25, TG0 4K, EPD1, IPS 40 bits */
    H.cpu.sys[SR_TTBR0_EL1] = TABLES;
    H.cpu.sys[SR_SCTLR_EL1] |= 1;
}

static void test_walks(void)
{
    /* The fetch walks first. */
    static const uint32_t code[] = { HVC(1), 0xf9400041u, HVC(2) };   /* hvc #1; ldr x1, [x2]; hvc #2 */
    reset();
    mmu_on();
    load(code, 3);
    H.cpu.pc = CODE;
    struct cpu before;
    memcpy(&before, &H.cpu, sizeof before);
    prot(tables, PROT_NONE);
    check_fault("fetch walk", run(), &before, CODE, true, TABLES);
    prot(tables, PROT_READ | PROT_WRITE);
    CHECK(stopped_at_hvc(run(), 1));

    /* The code's translation is known now; the load's walk faults. */
    memcpy(&before, &H.cpu, sizeof before);
    prot(tables, PROT_NONE);
    check_fault("data walk", run(), &before, CODE + 4, false, TABLES);
    prot(tables, PROT_READ | PROT_WRITE);
    CHECK(stopped_at_hvc(run(), 2));
    CHECK_EQ(H.cpu.x[1], h_rd64(&H, DATA + 0x100));

    /* AT walks too. */
    static const uint32_t at[] = { HVC(1), 0xd5087802u, HVC(2) };     /* at s1e1r, x2 */
    reset();
    mmu_on();
    load(at, 3);
    H.cpu.pc = CODE;
    CHECK(stopped_at_hvc(run(), 1));
    memcpy(&before, &H.cpu, sizeof before);
    prot(tables, PROT_NONE);
    check_fault("at s1e1r", run(), &before, CODE + 4, false, TABLES);
    prot(tables, PROT_READ | PROT_WRITE);
    CHECK(stopped_at_hvc(run(), 2));
    CHECK_EQ(H.cpu.sys[SR_PAR_EL1] & 0xfffffffff001ull, DATA);
}

/* Faults that are not the guest's still reach the previous handler: here the
 * default action, in a child (it must die of SIGSEGV at our own access). */
static void test_foreign_fault(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit no_core = { 0, 0 };
        setrlimit(RLIMIT_CORE, &no_core);
        reset();
        static const uint32_t code[] = { HVC(1) };
        load(code, 1);
        H.cpu.pc = CODE;
        run();                              /* the handler is installed now */
        prot(data, PROT_NONE);
        *(volatile uint8_t *)data = 1;      /* the test's own fault, not the guest's */
        _exit(0);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    /* Killed by SIGSEGV, or (sanitizer builds) the sanitizer's report and its
     * exit status (ASan 1, TSan 66); surviving it (exit 0) is the failure. */
    CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) || (WIFEXITED(st) && WEXITSTATUS(st) != 0));
}

int main(void)
{
    setup();
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        test_access(&cases[i], false);
        test_access(&cases[i], true);
    }
    test_reload();
    test_straddle();
    test_fetch();
    test_walks();
    test_foreign_fault();
    engine_cache_free(H.cache);
    printf("test_engine_hostfault: %u access kinds, cold and warm; fetch; walks: %s\n",
           (unsigned)(sizeof cases / sizeof cases[0]), h_fails ? "FAILED" : "ok");
    return h_fails ? 1 : 0;
}
