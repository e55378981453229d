/*
 * test_engine_mmu.c - stage-1 translation of the EL1&0 regime (SCTLR_EL1.M = 1):
 * page tables built here in guest RAM for the 4K, 16K and 64K granules,
 * identity and non-identity maps, blocks, TTBR1, the faults with their exact
 * ESR_EL1/FAR_EL1/ELR_EL1 (translation, Access flag, permission incl. EL0,
 * PAN, LDTR, UXN/PXN, address size, KVM's external abort for a walk outside
 * the memslots), MMIO exits reporting the IPA, TLBI and TTBR switches, AT into
 * PAR_EL1, TBI, hardware AF/dirty updates, self-modifying code written
 * through a second virtual alias of the code page, a branch link into a
 * remapped page, and code rewritten by the VMM that runs at two aliases.
 *
 * Expected values come from the Arm ARM (D8 VMSAv8-64, ESR_ELx ISS for data
 * and instruction aborts) and, for the KVM-injected abort, spec 4.8.
 */
#include "test_engine_harness.h"

#define VBAR   (RAM_GPA + 0x10000)
#define CODE   (RAM_GPA + 0x1000)
#define STACK  (RAM_GPA + 0x8000)
#define DATA   (RAM_GPA + 0x20000)     /* 64K aligned: a page in every granule */
#define DATA2  (RAM_GPA + 0x40000)
#define CODE2  (RAM_GPA + 0x30000)
#define TABLES (RAM_GPA + 0x100000)    /* page-table pool (up to 1 MiB) */
#define NOSLOT 0x30000000ull           /* an IPA outside every memslot */

/* Descriptor bits (Arm ARM D8.3). */
#define D_VALID (1ull << 0)
#define D_TABLE (1ull << 1)            /* table (levels 0-2) / page (level 3) */
#define D_ATTR(i) ((uint64_t)(i) << 2)
#define D_AP_EL0 (1ull << 6)           /* AP[1]: EL0 access */
#define D_RO    (1ull << 7)            /* AP[2]: read-only */
#define D_SH_IS (3ull << 8)
#define D_AF    (1ull << 10)
#define D_DBM   (1ull << 51)
#define D_PXN   (1ull << 53)
#define D_UXN   (1ull << 54)
#define D_NORMAL (D_AF | D_SH_IS | D_ATTR(0))

/* Instructions (checked with aarch64-linux-gnu-as). */
#define LDR(t, n)   (0xf9400000u | (n) << 5 | (t))
#define STR(t, n)   (0xf9000000u | (n) << 5 | (t))
#define STRW(t, n)  (0xb9000000u | (n) << 5 | (t))
#define LDTR(t, n)  (0xf8400800u | (n) << 5 | (t))
#define HVC(i)      (0xd4000002u | (i) << 5)
#define BR(n)       (0xd61f0000u | (n) << 5)
#define BLR(n)      (0xd63f0000u | (n) << 5)
#define RET         0xd65f03c0u
#define MOVZ(d, i)  (0xd2800000u | (i) << 5 | (d))
#define MOVX(d, m)  (0xaa0003e0u | (m) << 16 | (d))
#define TLBI_VMALLE1 0xd508871fu
#define TLBI_VAE1(t) (0xd5088720u | (t))
#define TLBI_VMALLE1IS 0xd508831fu
#define DSB_ISH     0xd5033b9fu
#define ISB         0xd5033fdfu
#define IC_IVAU(t)  (0xd50b7520u | (t))
#define AT_S1E1R(t) (0xd5087800u | (t))
#define AT_S1E1W(t) (0xd5087820u | (t))
#define AT_S1E0R(t) (0xd5087840u | (t))
#define MRS_PAR(t)  (0xd5387400u | (t))
#define MSR_TTBR0(t) (0xd5182000u | (t))
#define MSR_PAN(i)  (0xd500401fu | (i) << 8 | 4u << 5)
#define END         HVC(0x99)

#define SCTLR_MMU  (0x00c50078ull | 1)
#define PSTATE_PAN (1ull << 22)

/* ---- page tables ----------------------------------------------------------- */

struct pt {
    unsigned gbits, tsz, start;
    uint64_t root, next;
};

static struct harness H;
static bool live;
static struct pt P;

static uint64_t pt_alloc(struct pt *p)
{
    uint64_t a = p->next;
    p->next += 1ull << p->gbits;
    memset(h_ptr(&H, a), 0, 1ull << p->gbits);
    return a;
}

static void pt_init(struct pt *p, unsigned gbits, unsigned tsz)
{
    p->gbits = gbits;
    p->tsz = tsz;
    unsigned stride = gbits - 3, in = 64 - tsz;
    p->start = 4 - (in - gbits + stride - 1) / stride;
    p->next = TABLES;
    p->root = pt_alloc(p);
}

static unsigned pt_shift(const struct pt *p, unsigned level)
{
    return p->gbits + (3 - level) * (p->gbits - 3);
}

/* IPA of the descriptor for va at level, creating tables above it. */
static uint64_t pt_slot(struct pt *p, uint64_t va, unsigned level)
{
    uint64_t table = p->root;
    for (unsigned l = p->start;; l++) {
        unsigned sh = pt_shift(p, l);
        unsigned bits = l == p->start ? (64 - p->tsz) - sh : p->gbits - 3;
        uint64_t slot = table + ((va >> sh) & ((1ull << bits) - 1)) * 8;
        if (l == level)
            return slot;
        uint64_t d = h_rd64(&H, slot);
        if (!(d & D_VALID)) {
            d = pt_alloc(p) | D_VALID | D_TABLE;
            h_wr64(&H, slot, d);
        }
        table = d & 0x0000fffffffff000ull & ~((1ull << p->gbits) - 1);
    }
}

/* Map one granule page (level 3) or a block (level < 3). */
static void pt_map(struct pt *p, uint64_t va, uint64_t pa, unsigned level, uint64_t attrs)
{
    h_wr64(&H, pt_slot(p, va, level), pa | attrs | D_VALID | (level == 3 ? D_TABLE : 0));
}

static void pt_map_range(struct pt *p, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
    uint64_t g = 1ull << p->gbits;
    for (uint64_t off = 0; off < size; off += g)
        pt_map(p, (va & ~(g - 1)) + off, (pa & ~(g - 1)) + off, 3, attrs);
}

static uint64_t tcr_for(unsigned gbits, unsigned tsz, unsigned ips)
{
    uint64_t tg0 = gbits == 12 ? 0 : gbits == 16 ? 1 : 2;
    /* T0SZ, IRGN0/ORGN0 WBWA, SH0 inner, TG0, EPD1 (no TTBR1 walks), IPS. */
    return tsz | (1u << 8) | (1u << 10) | (3u << 12) | (tg0 << 14) | (1u << 23) | ((uint64_t)ips << 32);
}

static void teardown(void)
{
    if (live)
        h_free(&H);
    live = false;
}

/* MMU on at EL1h: code, vectors, stack, data and the tables identity-mapped. */
static void setup(unsigned gbits, unsigned tsz)
{
    teardown();
    h_init(&H);
    live = true;
    h_vectors(&H, VBAR);
    pt_init(&P, gbits, tsz);
    pt_map_range(&P, RAM_GPA, RAM_GPA, 0x10000, D_NORMAL);            /* code, stack */
    pt_map_range(&P, VBAR, VBAR, 0x10000, D_NORMAL | D_RO);
    pt_map_range(&P, DATA, DATA, 0x10000, D_NORMAL | D_UXN | D_PXN);
    pt_map_range(&P, TABLES, TABLES, 0x100000, D_NORMAL | D_UXN | D_PXN);
    H.cpu.sp_el1 = STACK;
    H.cpu.sys[SR_CPACR_EL1] = 3u << 20;
    H.cpu.sys[SR_MAIR_EL1] = 0x00ff;        /* 0: Normal WB, 1: Device-nGnRnE */
    H.cpu.sys[SR_TCR_EL1] = tcr_for(gbits, tsz, 5);
    H.cpu.sys[SR_TTBR0_EL1] = P.root;
    H.cpu.sys[SR_SCTLR_EL1] = SCTLR_MMU;
}

static struct engine_exit *run_at(uint64_t pc, const uint32_t *code, size_t n, uint64_t load_pa)
{
    h_load(&H, load_pa, code, n);
    engine_cache_flush(H.cache);
    H.cpu.pc = pc;
    return h_run(&H, 100000);
}
#define RUN(pc, pa, ...)                                                         \
    ({                                                                           \
        static const uint32_t c_[] = { __VA_ARGS__ };                            \
        run_at(pc, c_, sizeof c_ / sizeof c_[0], pa);                            \
    })

static void check_end(struct engine_exit *e, uint64_t pc_after)
{
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(e->hvc.imm, 0x99);
    CHECK_EQ(H.cpu.pc, pc_after);
}

/* An exception was taken to vector index vec (hvc #vec there). */
static void check_abort(struct engine_exit *e, unsigned vec, uint64_t esr, uint64_t far, uint64_t elr)
{
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(e->hvc.imm, vec);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], esr);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], far);
    CHECK_EQ(H.cpu.elr_el1, elr);
}

/* ---- maps -------------------------------------------------------------------- */

static void test_identity(unsigned gbits, unsigned tsz)
{
    setup(gbits, tsz);
    h_wr64(&H, DATA + 0x10, 0x1122334455667788ull);
    H.cpu.x[1] = DATA + 0x10;
    H.cpu.x[3] = DATA + 0x18;
    H.cpu.x[5] = 0xabcdull;
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), STR(5, 3), STR(0, 31), LDR(6, 31), END);
    check_end(e, CODE + 20);
    CHECK_EQ(H.cpu.x[0], 0x1122334455667788ull);
    CHECK_EQ(H.cpu.x[6], 0x1122334455667788ull);
    CHECK_EQ(h_rd64(&H, DATA + 0x18), 0xabcd);
    CHECK_EQ(h_rd64(&H, STACK), 0x1122334455667788ull);
}

/* Code and data at virtual addresses other than their IPAs; MMIO through a map. */
static void test_nonidentity(unsigned gbits, unsigned tsz)
{
    setup(gbits, tsz);
    pt_map(&P, 0x40000000, DATA2, 3, D_NORMAL | D_UXN | D_PXN);
    pt_map(&P, 0x80000000, CODE2, 3, D_NORMAL | D_RO);
    pt_map(&P, 0x50000000, MMIO_GPA, 3, D_AF | D_ATTR(1) | D_UXN | D_PXN);
    h_wr64(&H, DATA2 + 0x10, 0x5555aaaa5555aaaaull);
    H.cpu.x[1] = 0x40000010;
    H.cpu.x[3] = 0x40000018;
    H.cpu.x[5] = 0x77;
    struct engine_exit *e = RUN(0x80000000, CODE2, LDR(0, 1), STR(5, 3), END);
    check_end(e, 0x8000000c);
    CHECK_EQ(H.cpu.x[0], 0x5555aaaa5555aaaaull);
    CHECK_EQ(h_rd64(&H, DATA2 + 0x18), 0x77);

    /* MMIO: phys_addr is the IPA, PC the virtual address of the store. */
    H.cpu.x[3] = 0x50000040;
    H.cpu.x[2] = 0xfeedf00d;
    e = RUN(0x80000000, CODE2, STRW(2, 3), END);
    CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
    CHECK_EQ(e->mmio.addr, MMIO_GPA + 0x40);
    CHECK_EQ(e->mmio.len, 4);
    CHECK_EQ(e->mmio.is_write, 1);
    CHECK_EQ(e->mmio.data[0], 0x0d);
    CHECK_EQ(H.cpu.pc, 0x80000000);
}

/* Blocks: 4K level 2 (2 MiB) and level 1 (1 GiB), 64K level 2 (512 MiB). */
static void test_blocks(void)
{
    setup(12, 16);
    pt_map(&P, 0x40200000, RAM_GPA, 2, D_NORMAL | D_UXN);
    pt_map(&P, 0x80000000, 0, 1, D_NORMAL | D_UXN);
    h_wr64(&H, DATA + 0x28, 0x0123456789abcdefull);
    H.cpu.x[1] = 0x40200000 + (DATA - RAM_GPA) + 0x28;
    H.cpu.x[2] = 0x80000000 + DATA + 0x28;
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), LDR(3, 2), END);
    check_end(e, CODE + 12);
    CHECK_EQ(H.cpu.x[0], 0x0123456789abcdefull);
    CHECK_EQ(H.cpu.x[3], 0x0123456789abcdefull);

    setup(16, 16);
    pt_map(&P, 0x20000000, 0, 2, D_NORMAL | D_UXN);
    H.cpu.x[1] = 0x20000000 + DATA + 0x28;
    h_wr64(&H, DATA + 0x28, 0x0f0e0d0c0b0a0908ull);
    e = RUN(CODE, CODE, LDR(0, 1), END);
    check_end(e, CODE + 8);
    CHECK_EQ(H.cpu.x[0], 0x0f0e0d0c0b0a0908ull);
}

/* TTBR1 half: T1SZ = 25 (39-bit), TG1 = 4K (0b10), EPD1 clear. */
static void test_ttbr1(void)
{
    setup(12, 16);
    struct pt p1;
    p1.gbits = 12;
    p1.tsz = 25;
    p1.start = 1;
    p1.next = TABLES + 0x80000;
    p1.root = pt_alloc(&p1);
    struct pt save = P;
    P = p1;
    pt_map(&P, 0xffffffc000001000ull, DATA, 3, D_NORMAL | D_UXN);
    P = save;
    H.cpu.sys[SR_TTBR1_EL1] = p1.root;
    H.cpu.sys[SR_TCR_EL1] = (tcr_for(12, 16, 5) & ~(1ull << 23)) | (25ull << 16) | (2ull << 30);
    h_wr64(&H, DATA + 8, 0x7777);
    H.cpu.x[1] = 0xffffffc000001008ull;
    H.cpu.x[2] = 0xffffff0000001008ull;        /* outside the 39-bit TTBR1 range */
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), LDR(0, 2), END);
    CHECK_EQ(H.cpu.x[0], 0x7777);
    check_abort(e, 4, 0x96000004, 0xffffff0000001008ull, CODE + 4);
}

/* ---- faults ------------------------------------------------------------------ */

static void test_data_faults(void)
{
    setup(12, 16);
    pt_map(&P, 0x40001000, DATA2, 3, D_NORMAL | D_RO | D_UXN);      /* read-only */
    pt_map(&P, 0x40002000, DATA2, 3, D_SH_IS | D_UXN);              /* AF = 0 */
    pt_map(&P, 0x40003000, NOSLOT, 3, D_NORMAL | D_UXN);            /* RAM-less IPA */
    /* A level 2 table descriptor pointing outside every memslot. */
    h_wr64(&H, pt_slot(&P, 0x70000000, 2), NOSLOT | D_VALID | D_TABLE);
    /* An output address above IPS (48 bits): Address size fault. */
    pt_map(&P, 0x40004000, 1ull << 48, 3, D_NORMAL | D_UXN);
    static const struct {
        uint32_t insn;
        uint64_t va, esr;
    } t[] = {
        { LDR(0, 1), 0x60000000, 0x96000006 },            /* no level 2 entry */
        { LDR(0, 1), 0x100000000ull, 0x96000005 },        /* no level 1 entry */
        { STR(0, 1), 0x60000008, 0x96000046 },            /* WnR */
        { LDR(0, 1), 0x1000000000000ull, 0x96000004 },    /* above T0SZ: level 0 */
        { STR(0, 1), 0x40001010, 0x9600004f },            /* permission, level 3 */
        { LDR(0, 1), 0x40002010, 0x9600000b },            /* Access flag, level 3 */
        { STR(0, 1), 0x40002010, 0x9600004b },
        { LDR(0, 1), 0x70000000, 0xffffffff96000010ull }, /* KVM: external abort on the walk */
        { STR(0, 1), 0x70000000, 0xffffffff96000010ull }, /* no WnR in KVM's injection */
        { LDR(0, 1), 0x40004008, 0x96000003 },            /* address size, level 3 */
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        H.cpu.x[1] = t[i].va;
        H.cpu.pstate = 0x3c5;
        uint32_t code[2] = { t[i].insn, END };
        struct engine_exit *e = run_at(CODE, code, 2, CODE);
        if (H.cpu.sys[SR_ESR_EL1] != t[i].esr)
            fprintf(stderr, "case %u (va %llx)\n", i, (unsigned long long)t[i].va);
        check_abort(e, 4, t[i].esr, t[i].va, CODE);
    }
    /* The read-only page reads fine; a RAM-less IPA is an MMIO exit with it. */
    H.cpu.pstate = 0x3c5;
    H.cpu.x[1] = 0x40001010;
    H.cpu.x[2] = 0x40003020;
    h_wr64(&H, DATA2 + 0x10, 42);
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), LDR(3, 2), END);
    CHECK_EQ(H.cpu.x[0], 42);
    CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
    CHECK_EQ(e->mmio.addr, NOSLOT + 0x20);
    CHECK_EQ(e->mmio.len, 8);
    CHECK_EQ(H.cpu.pc, CODE + 4);

    /* A pair straddling into an unmapped page: FAR = first byte of that page. */
    H.cpu.pstate = 0x3c5;
    H.cpu.x[1] = 0x40001ff8;                      /* next page 0x40002000 has AF = 0 */
    e = RUN(CODE, CODE, 0xa9400820u /* ldp x0, x2, [x1] */, END);
    check_abort(e, 4, 0x9600000b, 0x40002000, CODE);
}

static void test_exec_faults(void)
{
    setup(12, 16);
    pt_map(&P, 0x40003000, CODE2, 3, D_NORMAL | D_PXN);
    pt_map(&P, 0x40004000, NOSLOT, 3, D_NORMAL);
    pt_map(&P, 0x40005000, CODE2, 3, D_SH_IS);                   /* AF = 0 */
    uint32_t ret[1] = { END };
    h_load(&H, CODE2, ret, 1);
    static const struct {
        uint64_t target, esr;
    } t[] = {
        { 0x40003000, 0x8600000f },                   /* PXN: permission */
        { 0x40004000, 0xffffffff86000010ull },        /* IPA without memslot (spec 4.8) */
        { 0x40005000, 0x8600000b },                   /* Access flag */
        { 0x48000000, 0x86000006 },                   /* unmapped, level 2 */
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        H.cpu.pstate = 0x3c5;
        H.cpu.x[4] = t[i].target;
        uint32_t code[2] = { BR(4), END };
        struct engine_exit *e = run_at(CODE, code, 2, CODE);
        check_abort(e, 4, t[i].esr, t[i].target, t[i].target);
    }
    /* Mapped at EL1 with UXN only: runs. */
    pt_map(&P, 0x40006000, CODE2, 3, D_NORMAL | D_UXN);
    H.cpu.pstate = 0x3c5;
    H.cpu.x[4] = 0x40006000;
    struct engine_exit *e = RUN(CODE, CODE, BR(4));
    check_end(e, 0x40006004);
    /* SCTLR_EL1.WXN: the (EL1-writable) code page is no longer executable,
     * the read-only vector page still is. */
    H.cpu.sys[SR_SCTLR_EL1] = SCTLR_MMU | (1u << 19);
    H.cpu.pstate = 0x3c5;
    e = RUN(CODE + 0x100, CODE + 0x100, BR(4));
    check_abort(e, 4, 0x8600000f, CODE + 0x100, CODE + 0x100);
}

/* EL0: its own permissions, EC 0x24/0x20, vector +0x400 (index 8). */
static void test_el0(void)
{
    setup(12, 16);
    pt_map(&P, 0x80000000, CODE2, 3, D_NORMAL | D_RO | D_AP_EL0);    /* EL0 r-x */
    pt_map(&P, 0x40000000, DATA2, 3, D_NORMAL | D_UXN | D_PXN);      /* EL1 only */
    pt_map(&P, 0x40001000, DATA2, 3, D_NORMAL | D_AP_EL0 | D_RO | D_UXN | D_PXN);
    pt_map(&P, 0x80001000, CODE2, 3, D_NORMAL | D_RO | D_AP_EL0 | D_UXN);
    h_wr64(&H, DATA2, 99);
    H.cpu.sp_el0 = 0;
    H.cpu.pstate = 0x0;                       /* EL0t */
    H.cpu.x[1] = 0x40001000;
    H.cpu.x[2] = 0x40000000;
    struct engine_exit *e = RUN(0x80000000, CODE2, LDR(0, 1), LDR(3, 2), END);
    CHECK_EQ(H.cpu.x[0], 99);
    check_abort(e, 8, 0x9200000f, 0x40000000, 0x80000004);
    CHECK_EQ(H.cpu.spsr[0], 0);
    /* Store to the EL0 read-only page. */
    H.cpu.pstate = 0;
    e = RUN(0x80000000, CODE2, STR(0, 1), END);
    check_abort(e, 8, 0x9200004f, 0x40001000, 0x80000000);
    /* UXN: instruction abort from EL0 (EC 0x20). */
    H.cpu.pstate = 0;
    H.cpu.x[4] = 0x80001000;
    e = RUN(0x80000000, CODE2, BR(4));
    check_abort(e, 8, 0x8200000f, 0x80001000, 0x80001000);
}

/* PAN and the unprivileged loads. */
static void test_pan_ldtr(void)
{
    setup(12, 16);
    pt_map(&P, 0x40000000, DATA2, 3, D_NORMAL | D_UXN | D_PXN);                /* EL1 only */
    pt_map(&P, 0x40001000, DATA2, 3, D_NORMAL | D_AP_EL0 | D_UXN | D_PXN);     /* EL0 rw */
    h_wr64(&H, DATA2 + 8, 0x4242);
    H.cpu.x[1] = 0x40001008;
    H.cpu.x[2] = 0x40000008;
    /* PAN = 0: both readable at EL1; LDTR of the EL0 page works, of the EL1 page faults. */
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), LDR(3, 2), LDTR(5, 1), LDTR(6, 2), END);
    CHECK_EQ(H.cpu.x[0], 0x4242);
    CHECK_EQ(H.cpu.x[3], 0x4242);
    CHECK_EQ(H.cpu.x[5], 0x4242);
    check_abort(e, 4, 0x9600000f, 0x40000008, CODE + 12);
    /* PAN = 1 (MSR PAN, #1): the EL0-accessible page faults for plain loads
     * only; LDTR still works (it is an EL0 access). */
    H.cpu.pstate = 0x3c5;
    H.cpu.x[0] = H.cpu.x[5] = 0;
    e = RUN(CODE, CODE, MSR_PAN(1), LDTR(5, 1), LDR(3, 2), LDR(0, 1), END);
    CHECK_EQ(H.cpu.x[5], 0x4242);
    check_abort(e, 4, 0x9600000f, 0x40001008, CODE + 12);
    CHECK(H.cpu.spsr[0] & PSTATE_PAN);
    /* MSR PAN, #0 lets it through again (the TLB refills for the new PAN). */
    H.cpu.pstate = 0x3c5 | PSTATE_PAN;
    e = RUN(CODE, CODE, MSR_PAN(0), LDR(0, 1), END);
    check_end(e, CODE + 12);
    CHECK_EQ(H.cpu.x[0], 0x4242);
}

/* ---- TLB maintenance --------------------------------------------------------- */

static void test_tlbi(void)
{
    setup(12, 16);
    pt_map(&P, 0x40000000, DATA, 3, D_NORMAL | D_UXN | D_PXN);
    h_wr64(&H, DATA, 1);
    h_wr64(&H, DATA2, 2);
    uint64_t pte = pt_slot(&P, 0x40000000, 3);
    H.cpu.x[1] = 0x40000000;
    H.cpu.x[5] = DATA2 | D_NORMAL | D_UXN | D_PXN | D_VALID | D_TABLE;
    H.cpu.x[6] = pte;
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), STR(5, 6), DSB_ISH, TLBI_VMALLE1, DSB_ISH, ISB,
                                LDR(3, 1), END);
    check_end(e, CODE + 32);
    CHECK_EQ(H.cpu.x[0], 1);
    CHECK_EQ(H.cpu.x[3], 2);

    /* TLBI VAE1 (by address) and a page made invalid: translation fault. */
    h_wr64(&H, pte, DATA | D_NORMAL | D_UXN | D_PXN | D_VALID | D_TABLE);
    H.cpu.x[5] = 0;
    H.cpu.x[7] = 0x40000000 >> 12;
    e = RUN(CODE, CODE, LDR(0, 1), STR(5, 6), DSB_ISH, TLBI_VAE1(7), DSB_ISH, ISB, LDR(3, 1), END);
    CHECK_EQ(H.cpu.x[0], 1);
    check_abort(e, 4, 0x96000007, 0x40000000, CODE + 24);

    /* A TTBR0 switch: a second table maps the same VA to DATA2. */
    setup(12, 16);
    pt_map(&P, 0x40000000, DATA, 3, D_NORMAL | D_UXN | D_PXN);
    struct pt p2 = P;
    p2.next = TABLES + 0x80000;
    p2.root = pt_alloc(&p2);
    struct pt save = P;
    P = p2;
    pt_map_range(&P, RAM_GPA, RAM_GPA, 0x10000, D_NORMAL);
    pt_map_range(&P, VBAR, VBAR, 0x10000, D_NORMAL);
    pt_map(&P, 0x40000000, DATA2, 3, D_NORMAL | D_UXN | D_PXN);
    p2 = P;
    P = save;
    h_wr64(&H, DATA, 1);
    h_wr64(&H, DATA2, 2);
    H.cpu.x[1] = 0x40000000;
    H.cpu.x[8] = p2.root;
    e = RUN(CODE, CODE, LDR(0, 1), MSR_TTBR0(8), ISB, LDR(3, 1), END);
    check_end(e, CODE + 20);
    CHECK_EQ(H.cpu.x[0], 1);
    CHECK_EQ(H.cpu.x[3], 2);

    /* The VMM switching TTBR0 between two KVM_RUNs (SET_ONE_REG). */
    H.cpu.sys[SR_TTBR0_EL1] = P.root;
    e = RUN(CODE, CODE, LDR(3, 1), END);
    CHECK_EQ(H.cpu.x[3], 1);
    H.cpu.sys[SR_TTBR0_EL1] = p2.root;
    H.cpu.pc = CODE;
    e = h_run(&H, 1000);
    CHECK_EQ(H.cpu.x[3], 2);
    /* And turning the MMU off from the VMM: VA = IPA again. */
    H.cpu.sys[SR_SCTLR_EL1] = SCTLR_MMU & ~1ull;
    H.cpu.x[1] = DATA;
    H.cpu.pc = CODE;
    e = h_run(&H, 1000);
    CHECK_EQ(H.cpu.x[3], 1);
}

/* TLBI VMALLE1IS reaches another vCPU of the VM (the shared code_gen word):
 * vCPU B cached a translation, vCPU A remaps and broadcasts, B sees the new
 * page on its next run without any TLBI of its own. */
static void test_tlbi_broadcast(void)
{
    setup(12, 16);
    _Atomic uint64_t gen;
    atomic_init(&gen, 0);
    H.env.code_gen = &gen;
    pt_map(&P, 0x40000000, DATA, 3, D_NORMAL | D_UXN | D_PXN);
    h_wr64(&H, DATA, 1);
    h_wr64(&H, DATA2, 2);
    uint32_t reader[2] = { LDR(3, 1), END };
    h_load(&H, CODE + 0x200, reader, 2);
    struct cpu *b = malloc(sizeof *b);
    *b = H.cpu;
    struct engine_env envb = H.env;
    struct engine_cache *cb = engine_cache_new();
    struct engine_exit ex;
    b->x[1] = 0x40000000;
    b->pc = CODE + 0x200;
    engine_run(b, &envb, cb, &ex);
    CHECK_EQ(ex.kind, ENGINE_EXIT_HVC);
    CHECK_EQ(b->x[3], 1);

    H.cpu.x[5] = DATA2 | D_NORMAL | D_UXN | D_PXN | D_VALID | D_TABLE;
    H.cpu.x[6] = pt_slot(&P, 0x40000000, 3);
    struct engine_exit *e = RUN(CODE, CODE, STR(5, 6), DSB_ISH, TLBI_VMALLE1IS, DSB_ISH, ISB, END);
    check_end(e, CODE + 24);

    b->pc = CODE + 0x200;
    engine_run(b, &envb, cb, &ex);
    CHECK_EQ(ex.kind, ENGINE_EXIT_HVC);
    CHECK_EQ(b->x[3], 2);
    engine_cache_free(cb);
    free(b);
    H.env.code_gen = NULL;
}

/* Self-modifying code through a writable alias of the (read-only) code page. */
static void test_smc_alias(void)
{
    setup(12, 16);
    pt_map(&P, 0x80000000, CODE2, 3, D_NORMAL | D_RO);              /* r-x */
    pt_map(&P, 0x40000000, CODE2, 3, D_NORMAL | D_UXN | D_PXN);     /* rw- alias */
    uint32_t fn[2] = { MOVZ(0, 1), RET };
    h_load(&H, CODE2, fn, 2);
    H.cpu.x[4] = 0x80000000;
    H.cpu.x[6] = 0x40000000;
    H.cpu.x[5] = MOVZ(0, 2);
    struct engine_exit *e = RUN(CODE, CODE, BLR(4), MOVX(10, 0), STRW(5, 6), DSB_ISH, IC_IVAU(4), DSB_ISH,
                                ISB, BLR(4), END);
    check_end(e, CODE + 36);
    CHECK_EQ(H.cpu.x[10], 1);
    CHECK_EQ(H.cpu.x[0], 2);
    /* A store to the read-only code mapping itself faults (permission). */
    H.cpu.x[6] = 0x80000000;
    H.cpu.pstate = 0x3c5;
    e = RUN(CODE, CODE, STRW(5, 6), END);
    check_abort(e, 4, 0x9600004f, 0x80000000, CODE);
}

/* A direct BL into another page keeps a link to the decoded target: after the
 * guest remaps the target's VA (PTE store, TLBI, ISB) the same BL must run
 * the new page, not the linked one. */
static void test_far_link_remap(void)
{
    setup(12, 16);
    const uint64_t fva = RAM_GPA + 0x400000, caller = CODE + 0x800;   /* VA only: no RAM there */
    pt_map(&P, fva, CODE2, 3, D_NORMAL | D_RO);
    uint32_t f1[2] = { MOVZ(0, 1), RET }, f2[2] = { MOVZ(0, 2), RET };
    h_load(&H, CODE2, f1, 2);
    h_load(&H, CODE2 + 0x1000, f2, 2);
    uint32_t call[2] = { 0x94000000u | (uint32_t)(((fva - caller) >> 2) & 0x3ffffff), END };   /* bl fva */
    h_load(&H, caller, call, 2);
    H.cpu.x[4] = caller;
    struct engine_exit *e = RUN(CODE, CODE, BLR(4));
    check_end(e, caller + 8);
    CHECK_EQ(H.cpu.x[0], 1);
    /* Without a cache flush: the guest remaps fva to the second page and calls again. */
    uint32_t remap[] = { STR(5, 6), DSB_ISH, TLBI_VMALLE1, DSB_ISH, ISB, BLR(4) };
    h_load(&H, CODE + 0x100, remap, 6);
    H.cpu.x[5] = (CODE2 + 0x1000) | D_NORMAL | D_RO | D_VALID | D_TABLE;
    H.cpu.x[6] = pt_slot(&P, fva, 3);
    H.cpu.pc = CODE + 0x100;
    e = h_run(&H, 1000);
    check_end(e, caller + 8);
    CHECK_EQ(H.cpu.x[0], 2);
}

/* The VMM rewrites a code page that runs at two virtual aliases (two decoded
 * copies of one IPA page): after engine_cache_recheck both run the new code. */
static void test_vmm_rewrite_alias(void)
{
    setup(12, 16);
    pt_map(&P, 0x80000000, CODE2, 3, D_NORMAL | D_RO);
    pt_map(&P, 0x90000000, CODE2, 3, D_NORMAL | D_RO);
    uint32_t fn[2] = { MOVZ(0, 1), RET };
    h_load(&H, CODE2 + 0x400, fn, 2);
    H.cpu.x[4] = 0x80000400;
    H.cpu.x[7] = 0x90000400;
    struct engine_exit *e = RUN(CODE, CODE, BLR(4), MOVX(10, 0), BLR(7), MOVX(11, 0), END);
    check_end(e, CODE + 20);
    CHECK_EQ(H.cpu.x[10], 1);
    CHECK_EQ(H.cpu.x[11], 1);
    fn[0] = MOVZ(0, 2);
    h_load(&H, CODE2 + 0x400, fn, 1);
    engine_cache_recheck(H.cache);
    H.cpu.pc = CODE;
    e = h_run(&H, 1000);
    check_end(e, CODE + 20);
    CHECK_EQ(H.cpu.x[10], 2);
    CHECK_EQ(H.cpu.x[11], 2);
}

/* ---- AT, TBI, hardware flags, 52-bit output ---------------------------------- */

static void test_at(void)
{
    setup(12, 16);
    pt_map(&P, 0x40000000, DATA2, 3, D_NORMAL | D_RO | D_UXN | D_PXN);
    H.cpu.sys[SR_MAIR_EL1] = 0x04ff;
    pt_map(&P, 0x40001000, DATA2, 3, D_AF | D_ATTR(1) | D_UXN | D_PXN);
    static const struct {
        uint32_t at;
        uint64_t va, par;
    } t[] = {
        { AT_S1E1R(1), 0x40000123, 0xff00000000000b80ull | DATA2 },  /* ATTR ff, NS, SH 11 */
        { AT_S1E1W(1), 0x40000123, 0x81f },                          /* F, FST 0x0f */
        { AT_S1E0R(1), 0x40000123, 0x81f },                          /* EL1-only */
        { AT_S1E1R(1), 0x48000000, 0x80d },                          /* translation, level 2 */
        { AT_S1E1R(1), 0x40001000, 0x0400000000000b00ull | DATA2 },  /* Device-nGnRE: SH 10 */
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        H.cpu.x[1] = t[i].va;
        uint32_t code[4] = { t[i].at, ISB, MRS_PAR(7), END };
        struct engine_exit *e = run_at(CODE, code, 4, CODE);
        check_end(e, CODE + 16);
        CHECK_EQ(H.cpu.x[7], t[i].par);
    }
}

static void test_tbi(void)
{
    setup(12, 16);
    h_wr64(&H, DATA + 0x30, 0x3030);
    H.cpu.x[1] = 0x5a00000000000000ull | (DATA + 0x30);
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), END);
    check_abort(e, 4, 0x96000004, H.cpu.x[1], CODE);          /* TBI0 = 0: out of range */
    H.cpu.sys[SR_TCR_EL1] |= 1ull << 37;                     /* TBI0 */
    H.cpu.pstate = 0x3c5;
    e = RUN(CODE, CODE, LDR(0, 1), STR(0, 1), LDR(2, 1), END);
    check_end(e, CODE + 16);
    CHECK_EQ(H.cpu.x[0], 0x3030);
    CHECK_EQ(H.cpu.x[2], 0x3030);
    /* EPD0: no TTBR0 walks at all (level 0 translation fault), so even the
     * vector fetch faults, again and again, until the budget runs out. */
    H.cpu.sys[SR_TCR_EL1] |= 1ull << 7;
    H.cpu.pc = CODE;
    e = h_run(&H, 1000);
    CHECK_EQ(e->kind, ENGINE_EXIT_BUDGET);
    CHECK_EQ(H.cpu.sys[SR_ESR_EL1], 0x86000004);
    CHECK_EQ(H.cpu.sys[SR_FAR_EL1], VBAR + 0x200);
    CHECK_EQ(H.cpu.pc, VBAR + 0x200);
}

static void test_hw_flags(void)
{
    setup(12, 16);
    H.cpu.sys[SR_TCR_EL1] |= (1ull << 39) | (1ull << 40);    /* HA, HD */
    pt_map(&P, 0x40000000, DATA2, 3, D_SH_IS | D_UXN | D_PXN);               /* AF = 0 */
    pt_map(&P, 0x40001000, DATA2, 3, D_NORMAL | D_RO | D_DBM | D_UXN | D_PXN);  /* writable-clean */
    pt_map(&P, 0x40002000, DATA2, 3, D_NORMAL | D_RO | D_UXN | D_PXN);       /* read-only */
    uint64_t s0 = pt_slot(&P, 0x40000000, 3), s1 = pt_slot(&P, 0x40001000, 3);
    H.cpu.x[1] = 0x40000000;
    H.cpu.x[2] = 0x40001000;
    H.cpu.x[3] = 0x40002000;
    H.cpu.x[5] = 5;
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), LDR(0, 2), STR(5, 2), STR(5, 3), END);
    CHECK(h_rd64(&H, s0) & D_AF);
    CHECK(!(h_rd64(&H, s1) & D_RO));
    CHECK_EQ(h_rd64(&H, DATA2), 5);
    check_abort(e, 4, 0x9600004f, 0x40002000, CODE + 12);
}

/* 64K granule with IPS = 52: OA[51:48] in descriptor bits 15:12. */
static void test_pa52(void)
{
    setup(16, 16);
    H.cpu.sys[SR_TCR_EL1] = tcr_for(16, 16, 6);
    uint64_t hi = 1ull << 48;
    pt_map(&P, 0x40000000, (MMIO_GPA & 0xffffffffffffull) | (1ull << 12), 3,
           D_AF | D_ATTR(1) | D_UXN | D_PXN);
    H.cpu.x[1] = 0x40000010;
    struct engine_exit *e = RUN(CODE, CODE, LDR(0, 1), END);
    CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
    CHECK_EQ(e->mmio.addr, hi | MMIO_GPA | 0x10);
    /* With IPS = 48 the same descriptor is an Address size fault. */
    H.cpu.sys[SR_TCR_EL1] = tcr_for(16, 16, 5);
    e = RUN(CODE, CODE, LDR(0, 1), END);
    check_abort(e, 4, 0x96000003, 0x40000010, CODE);
}

int main(void)
{
    test_identity(12, 16);     /* 4K, 4 levels */
    test_identity(12, 25);     /* 4K, 3 levels */
    test_identity(14, 16);     /* 16K, 4 levels */
    test_identity(16, 16);     /* 64K, 3 levels */
    test_identity(16, 22);     /* 64K, 2 levels */
    test_nonidentity(12, 16);
    test_nonidentity(14, 17);
    test_nonidentity(16, 16);
    test_blocks();
    test_ttbr1();
    test_data_faults();
    test_exec_faults();
    test_el0();
    test_pan_ldtr();
    test_tlbi();
    test_tlbi_broadcast();
    test_smc_alias();
    test_far_link_remap();
    test_vmm_rewrite_alias();
    test_at();
    test_tbi();
    test_hw_flags();
    test_pa52();
    teardown();
    if (h_fails) {
        fprintf(stderr, "test_engine_mmu: %d check(s) failed\n", h_fails);
        return 1;
    }
    printf("test_engine_mmu: all checks passed\n");
    return 0;
}
