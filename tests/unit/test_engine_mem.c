/*
 * test_engine_mem.c - guest memory through the engine: MMIO vs NISV
 * classification (spec 4.3: only single general-register loads/stores without
 * writeback have a valid syndrome), read-only slots, accesses straddling a
 * slot boundary, DC ZVA, self-modifying code, memslot changes, the
 * instruction budget, the kick flag and the retired-instruction counter.
 */
#include <pthread.h>
#include <time.h>

#include "test_engine_harness.h"

#define VBAR (RAM_GPA + 0x10000)
#define CODE (RAM_GPA + 0x1000)

static struct harness H;
static bool live;

static void teardown(void)
{
    if (live)
        h_free(&H);
    live = false;
}

static void setup(void)
{
    teardown();
    h_init(&H);
    live = true;
    h_vectors(&H, VBAR);
    H.cpu.sp_el1 = RAM_GPA + 0x8000;
    H.cpu.sys[SR_CPACR_EL1] = 3u << 20;
}

static struct engine_exit *run1(uint32_t insn, uint64_t x2)
{
    uint32_t code[2] = { insn, 0xd4000002 };
    h_load(&H, CODE, code, 2);
    engine_cache_flush(H.cache);     /* new code written from outside */
    H.cpu.pc = CODE;
    H.cpu.x[2] = x2;
    return h_run(&H, 0);
}

struct isv_case {
    uint32_t insn;
    const char *text;
    unsigned len;
    bool write, sext, sf;
    unsigned rt;
    uint64_t x2_off;                 /* addr = MMIO_GPA + 0x100 + x2_off */
};

static void test_mmio_isv(void)
{
    static const struct isv_case t[] = {
        { 0xb9000041, "str w1, [x2]", 4, true, false, false, 1, 0 },
        { 0x39800043, "ldrsb x3, [x2]", 1, false, true, true, 3, 0 },
        { 0x79c00043, "ldrsh w3, [x2]", 2, false, true, false, 3, 0 },
        { 0xf8646843, "ldr x3, [x2, x4]", 8, false, false, true, 3, 0x10 },
        { 0xb85fd043, "ldur w3, [x2, #-3]", 4, false, false, false, 3, (uint64_t)-3 },
        { 0x88dffc43, "ldar w3, [x2]", 4, false, false, false, 3, 0 },
        { 0xc89ffc43, "stlr x3, [x2]", 8, true, false, true, 3, 0 },
        { 0xf8400843, "ldtr x3, [x2]", 8, false, false, true, 3, 0 },
        { 0x39000441, "strb w1, [x2, #1]", 1, true, false, false, 1, 1 },
        { 0x78645843, "ldrh w3, [x2, w4, uxtw #1]", 2, false, false, false, 3, 0x20 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        setup();
        H.cpu.x[1] = 0x1122334455667788ull;
        H.cpu.x[3] = 0xa1a2a3a4a5a6a7a8ull;
        H.cpu.x[4] = 0x10;
        struct engine_exit *e = run1(t[i].insn, MMIO_GPA + 0x100);
        if (e->kind != ENGINE_EXIT_MMIO)
            fprintf(stderr, "case %s\n", t[i].text);
        CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
        CHECK_EQ(e->mmio.addr, MMIO_GPA + 0x100 + t[i].x2_off);
        CHECK_EQ(e->mmio.len, t[i].len);
        CHECK_EQ(e->mmio.is_write, t[i].write);
        CHECK_EQ(e->mmio.rt, t[i].rt);
        CHECK_EQ(H.cpu.pc, CODE);                       /* PC stays at the access */
        if (t[i].write) {
            uint64_t v = H.cpu.x[t[i].rt], got = 0;
            memcpy(&got, e->mmio.data, t[i].len);
            CHECK_EQ(got, t[i].len == 8 ? v : v & ((1ull << (8 * t[i].len)) - 1));
        } else {
            CHECK_EQ(e->mmio.sign_extend, t[i].sext);
            CHECK_EQ(e->mmio.sf, t[i].sf);
            CHECK_EQ(H.cpu.x[3], 0xa1a2a3a4a5a6a7a8ull);   /* destination untouched */
        }
        teardown();
    }
}

static void test_mmio_nisv(void)
{
    static const struct { uint32_t insn; const char *text; unsigned off; } t[] = {
        { 0xa9401043, "ldp x3, x4, [x2]", 0 }, { 0xf8408443, "ldr x3, [x2], #8", 0 },
        { 0xf8008c43, "str x3, [x2, #8]!", 8 }, { 0xc85f7c43, "ldxr x3, [x2]", 0 },
        { 0xf8210043, "ldadd x1, x3, [x2]", 0 }, { 0x3dc00040, "ldr q0, [x2]", 0 },
        { 0xc8a17c43, "cas x1, x3, [x2]", 0 }, { 0xd50b7422, "dc zva, x2", 0 },
        { 0x29000c41, "stp w1, w3, [x2]", 0 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        setup();
        H.cpu.x[3] = 77;
        struct engine_exit *e = run1(t[i].insn, MMIO_GPA + 0x200);
        if (e->kind != ENGINE_EXIT_NISV)
            fprintf(stderr, "case %s: exit %d\n", t[i].text, e->kind);
        CHECK_EQ(e->kind, ENGINE_EXIT_NISV);
        CHECK_EQ(e->mmio.addr, MMIO_GPA + 0x200 + t[i].off);
        CHECK_EQ(H.cpu.pc, CODE);
        CHECK_EQ(H.cpu.x[2], MMIO_GPA + 0x200);             /* no writeback */
        CHECK_EQ(H.cpu.x[3], 77);
        teardown();
    }
    /* LDAPR: acquire load with a valid syndrome. */
    setup();
    CHECK_EQ(run1(0xf8bfc043, MMIO_GPA)->kind, ENGINE_EXIT_MMIO);
    teardown();
}

/* Completing an MMIO load as the hypervisor does, then continuing. */
static void test_mmio_complete(void)
{
    setup();
    struct engine_exit *e = run1(0x39800043, MMIO_GPA);   /* ldrsb x3, [x2] */
    CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
    H.cpu.x[e->mmio.rt] = (uint64_t)(int64_t)(int8_t)0x80;
    H.cpu.pc += 4;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[3], 0xffffffffffffff80ull);
    CHECK_EQ(H.env.insns_retired, 1);     /* the MMIO load is not counted by the engine */
    teardown();
}

static void test_readonly_slot(void)
{
    static const uint64_t slots[2][3] = { { RAM_GPA, RAM_SIZE, 0 }, { MMIO_GPA, 0x1000, MEMSLOT_READONLY } };
    teardown();
    h_init_slots(&H, 2, slots);
    live = true;
    h_vectors(&H, VBAR);
    memset(H.mem[1], 0x5a, 0x1000);
    struct engine_exit *e = run1(0xf9400043, MMIO_GPA + 8);   /* ldr x3, [x2]: RAM read */
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[3], 0x5a5a5a5a5a5a5a5aull);
    H.cpu.x[1] = 0x99;
    e = run1(0xb9000041, MMIO_GPA + 8);                         /* str w1, [x2] */
    CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
    CHECK_EQ(e->mmio.is_write, true);
    CHECK_EQ(e->mmio.addr, MMIO_GPA + 8);
    CHECK_EQ(H.mem[1][8], 0x5a);
    e = run1(0xf8210043, MMIO_GPA + 8);                         /* ldadd: NISV */
    CHECK_EQ(e->kind, ENGINE_EXIT_NISV);
    CHECK_EQ(H.mem[1][8], 0x5a);
    /* Code runs from a read-only slot. */
    uint32_t code[2] = { 0xd2800540, 0xd4000002 };              /* mov x0, #42; hvc */
    memcpy(H.mem[1] + 0x100, code, 8);
    H.cpu.pc = MMIO_GPA + 0x100;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 42);
    teardown();
}

static void test_straddle(void)
{
    /* Past the end of the last slot: an exit, no byte written, guard intact. */
    setup();
    uint64_t end = RAM_GPA + RAM_SIZE;
    memset(h_ptr(&H, end - 4), 0x33, 4);
    H.cpu.x[3] = 0xffffffffffffffffull;
    struct engine_exit *e = run1(0xf9000043, end - 4);          /* str x3, [x2] */
    CHECK_EQ(e->kind, ENGINE_EXIT_MMIO);
    CHECK(h_guard_intact(&H, 0));
    CHECK_EQ(h_ptr(&H, end - 4)[0], 0x33);
    e = run1(0xa9001043, end - 8);                              /* stp x3, x4, [x2] */
    CHECK_EQ(e->kind, ENGINE_EXIT_NISV);
    CHECK(h_guard_intact(&H, 0));
    teardown();

    /* Two adjacent slots: the access is split between their host buffers. */
    static const uint64_t slots[2][3] = { { RAM_GPA, RAM_SIZE, 0 }, { RAM_GPA + RAM_SIZE, 0x1000, 0 } };
    teardown();
    h_init_slots(&H, 2, slots);
    live = true;
    h_vectors(&H, VBAR);
    H.cpu.x[3] = 0x8877665544332211ull;
    e = run1(0xf9000043, end - 3);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.mem[0][RAM_SIZE - 3], 0x11);
    CHECK_EQ(H.mem[0][RAM_SIZE - 1], 0x33);
    CHECK_EQ(H.mem[1][0], 0x44);
    CHECK_EQ(H.mem[1][4], 0x88);
    CHECK(h_guard_intact(&H, 0));
    e = run1(0xf9400043, end - 5);                              /* ldr x3, [x2] */
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[3], 0x6655443322110000ull);
    teardown();
}

static void test_dc_zva(void)
{
    setup();
    memset(h_ptr(&H, RAM_GPA + 0x4000), 0xee, 0x600);
    struct engine_exit *e = run1(0xd50b7422, RAM_GPA + 0x4000 + 0x2c3);   /* dc zva, x2 */
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    const uint8_t *p = h_ptr(&H, RAM_GPA + 0x4000);
    CHECK_EQ(p[0x1ff], 0xee);
    CHECK_EQ(p[0x200], 0);
    CHECK_EQ(p[0x3ff], 0);
    CHECK_EQ(p[0x400], 0xee);
    teardown();
}

static void test_self_modifying(void)
{
    /* Store a new instruction just ahead of the store itself. */
    static const uint32_t code[] = { 0xb9400041, 0xb9000061, 0xd2800020, 0xd4000002, 0xd2800540 };
    setup();
    h_load(&H, CODE, code, 5);
    H.cpu.pc = CODE;
    H.cpu.x[2] = CODE + 16;          /* the word "mov x0, #42" */
    H.cpu.x[3] = CODE + 8;           /* overwrite "mov x0, #1" */
    struct engine_exit *e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 42);

    /* Code already executed (decoded) and then rewritten in a loop. */
    static const uint32_t loop[] = { 0xd2800045, 0xd2800020, 0xb9400041, 0xb9000061,
                                     0xf10004a5, 0x54ffff81, 0xd4000002 };
    static const uint32_t newi = 0xd2800540;                    /* mov x0, #42 */
    setup();
    h_load(&H, CODE, loop, 7);
    h_load(&H, RAM_GPA + 0x5000, &newi, 1);
    H.cpu.pc = CODE;
    H.cpu.x[2] = RAM_GPA + 0x5000;
    H.cpu.x[3] = CODE + 4;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 42);
    CHECK_EQ(H.cpu.x[5], 0);

    /* Rewriting code in another page that ran before. */
    static const uint32_t callee[] = { 0xd2800020, 0xd65f03c0 };   /* mov x0, #1; ret */
    static const uint32_t caller[] = { 0x94000000, 0xd4000002 };   /* bl <patched>; hvc */
    setup();
    h_load(&H, RAM_GPA + 0x6000, callee, 2);
    uint32_t bl = 0x94000000 | (((RAM_GPA + 0x6000 - CODE) >> 2) & 0x3ffffff);
    uint32_t c2[2] = { bl, caller[1] };
    h_load(&H, CODE, c2, 2);
    H.cpu.pc = CODE;
    e = h_run(&H, 0);
    CHECK_EQ(H.cpu.x[0], 1);
    static const uint32_t st[] = { 0xb9000061, 0xd4000002 };         /* str w1, [x3]; hvc */
    h_load(&H, RAM_GPA + 0x7000, st, 2);
    H.cpu.x[1] = 0xd2800540;
    H.cpu.x[3] = RAM_GPA + 0x6000;
    H.cpu.pc = RAM_GPA + 0x7000;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    H.cpu.pc = CODE;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 42);
    teardown();
}

/* A new memslots generation: decoded code and TLB entries are dropped. */
static void test_memslot_change(void)
{
    static const uint32_t a[] = { 0xd2800020, 0xd4000002 };   /* mov x0, #1 */
    static const uint32_t b[] = { 0xd2800540, 0xd4000002 };   /* mov x0, #42 */
    setup();
    h_load(&H, CODE, a, 2);
    H.cpu.pc = CODE;
    h_run(&H, 0);
    CHECK_EQ(H.cpu.x[0], 1);
    uint8_t *other = calloc(1, RAM_SIZE);
    memcpy(other, H.mem[0], RAM_SIZE);
    memcpy(other + (CODE - RAM_GPA), b, 8);
    struct memslots *ms2 = calloc(1, sizeof *ms2 + sizeof(struct memslot));
    *ms2 = *H.ms;
    ms2->slot[0] = H.ms->slot[0];
    ms2->slot[0].hva = other;
    ms2->generation = H.ms->generation + 1;
    atomic_store(&H.msp, ms2);
    H.cpu.pc = CODE;
    h_run(&H, 0);
    CHECK_EQ(H.cpu.x[0], 42);
    atomic_store(&H.msp, H.ms);
    teardown();
    free(ms2);
    free(other);
}

/* env->code_gen: IC IVAU on one vCPU makes the others drop decoded code. */
static void test_code_gen(void)
{
    static const uint32_t a[] = { 0xd2800020, 0xd4000002 };   /* mov x0, #1; hvc */
    static const uint32_t b = 0xd2800540;                      /* mov x0, #42 */
    static const uint32_t ic[] = { 0xd50b7521, 0xd4000002 };   /* ic ivau, x1; hvc */
    _Atomic uint64_t gen;
    atomic_init(&gen, 0);
    setup();
    H.env.code_gen = &gen;
    h_load(&H, CODE, a, 2);
    H.cpu.pc = CODE;
    h_run(&H, 0);
    CHECK_EQ(H.cpu.x[0], 1);
    /* Another vCPU (here: the test) rewrites the code without this vCPU seeing
     * the store, then broadcasts the invalidation. */
    h_load(&H, CODE, &b, 1);
    H.cpu.pc = CODE;
    h_run(&H, 0);
    CHECK_EQ(H.cpu.x[0], 1);                                   /* stale: not invalidated yet */
    struct harness *other = &H;                                /* the writer's IC IVAU */
    h_load(other, RAM_GPA + 0x7000, ic, 2);
    other->cpu.pc = RAM_GPA + 0x7000;
    other->cpu.x[1] = CODE;
    h_run(other, 0);
    CHECK_EQ(atomic_load(&gen), 1);
    /* The writer keeps its own cache (it saw its stores); model the reader as
     * a vCPU that last synchronised at generation 0. */
    engine_cache_free(H.cache);
    H.cache = engine_cache_new();
    h_load(&H, CODE, a, 2);
    H.cpu.pc = CODE;
    h_run(&H, 0);                                              /* reader at generation 1 now */
    CHECK_EQ(H.cpu.x[0], 1);
    h_load(&H, CODE, &b, 1);                                   /* unseen write ... */
    atomic_fetch_add(&gen, 1);                                 /* ... then another vCPU's IC IVAU */
    H.cpu.pc = CODE;
    h_run(&H, 0);
    CHECK_EQ(H.cpu.x[0], 42);
    H.env.code_gen = NULL;
    teardown();
}

static void test_budget_and_retired(void)
{
    static const uint32_t code[] = { 0xd2800000, 0xd2807d01, 0x8b010000, 0xf1000421, 0x54ffffc1, 0xd4000002 };
    setup();
    h_load(&H, CODE, code, 6);
    H.cpu.pc = CODE;
    struct engine_exit *e = h_run(&H, 1001);
    CHECK_EQ(e->kind, ENGINE_EXIT_BUDGET);
    CHECK_EQ(H.env.insns_retired, 1001);
    /* 2 setup + 333 iterations of 3 = 1001: the next is the add of iteration 334. */
    CHECK_EQ(H.cpu.pc, CODE + 8);
    CHECK_EQ(H.cpu.x[1], 1000 - 333);
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(H.cpu.x[0], 500500);
    CHECK_EQ(H.env.insns_retired, 2 + 3 * 1000 + 1);
    teardown();
}

static void *kicker(void *arg)
{
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    atomic_store((atomic_int *)arg, 1);
    return NULL;
}

static void test_kick(void)
{
    static const uint32_t code[] = { 0x14000000 };   /* b . */
    setup();
    h_load(&H, CODE, code, 1);
    H.cpu.pc = CODE;
    pthread_t t;
    pthread_create(&t, NULL, kicker, &H.kick);
    struct engine_exit *e = h_run(&H, 0);
    pthread_join(t, NULL);
    CHECK_EQ(e->kind, ENGINE_EXIT_KICK);
    CHECK_EQ(H.cpu.pc, CODE);
    CHECK(H.env.insns_retired > 1000);
    /* A kick already pending stops the run before any instruction. */
    uint64_t before = H.env.insns_retired;
    e = h_run(&H, 0);
    CHECK_EQ(e->kind, ENGINE_EXIT_KICK);
    CHECK_EQ(H.env.insns_retired, before);
    teardown();
}

int main(void)
{
    test_mmio_isv();
    test_mmio_nisv();
    test_mmio_complete();
    test_readonly_slot();
    test_straddle();
    test_dc_zva();
    test_self_modifying();
    test_memslot_change();
    test_code_gen();
    test_budget_and_retired();
    test_kick();
    teardown();
    if (h_fails) {
        fprintf(stderr, "test_engine_mem: %d failures\n", h_fails);
        return 1;
    }
    printf("test_engine_mem: ok\n");
    return 0;
}
