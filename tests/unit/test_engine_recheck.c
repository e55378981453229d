/*
 * test_engine_recheck.c - decoded code against writes from outside the guest
 * (engine_cache_recheck, which KVM_RUN calls on entry): after the VMM writes
 * guest code and calls it, the next run executes the new bytes, wherever
 * execution enters the page (engine_run's PC, a branch link from another
 * decoded page, a conditional one); chunks whose bytes did not change keep
 * their decoded entries (the engine's counters say how many chunks were
 * decoded again); code the guest itself rewrote is compared against what it
 * was last decoded from; and the jump cache's stamp tags survive wrapping.
 * Expected results follow from the instructions' semantics (MOVZ/ADD values).
 */
#include "test_engine_harness.h"
#include "engine/internal.h"

#define VBAR  (RAM_GPA + 0x10000)
#define CODE  (RAM_GPA + 0x1000)
#define FAR   (RAM_GPA + 0x5800)     /* another page, mid-page */
#define DATA  (RAM_GPA + 0x20000)

/* Instructions (aarch64-linux-gnu-as). */
#define MOVZ(d, i)   (0xd2800000u | (i) << 5 | (d))
#define ADDI(d, n, i) (0x91000000u | (i) << 10 | (n) << 5 | (d))   /* add xd, xn, #i */
#define HVC(i)       (0xd4000002u | (i) << 5)
#define RET          0xd65f03c0u
#define NOP          0xd503201fu
#define STRW(t, n)   (0xb9000000u | (n) << 5 | (t))
#define BL(from, to) (0x94000000u | (uint32_t)((((to) - (from)) >> 2) & 0x3ffffff))
#define CBZX(t, from, to) (0xb4000000u | (uint32_t)((((to) - (from)) >> 2) & 0x7ffff) << 5 | (t))

static struct harness H;

static void setup(void)
{
    h_init(&H);
    h_vectors(&H, VBAR);
    H.cpu.sp_el1 = RAM_GPA + 0x8000;
}

static void poke(uint64_t gpa, uint32_t insn)
{
    h_load(&H, gpa, &insn, 1);
}

/* The VMM's side of a KVM_RUN at pc: recheck, run to the HVC, return x0. */
static uint64_t run_from(uint64_t pc, unsigned hvc)
{
    engine_cache_recheck(H.cache);
    H.cpu.pc = pc;
    struct engine_exit *e = h_run(&H, 100000);
    CHECK_EQ(e->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(e->hvc.imm, hvc);
    return H.cpu.x[0];
}

/* A page run before, entered again at engine_run's PC. */
static void test_same_page(void)
{
    setup();
    poke(CODE, MOVZ(0, 1));
    poke(CODE + 4, HVC(0));
    CHECK_EQ(run_from(CODE, 0), 1);
    uint64_t stale = H.cache->stat_stale_chunks;
    poke(CODE, MOVZ(0, 2));
    CHECK_EQ(run_from(CODE, 0), 2);
    CHECK_EQ(H.cache->stat_stale_chunks, stale + 1);
    h_free(&H);
}

/* 40 instructions from the middle of a page over three 64-byte chunks:
 * rewriting them unchanged decodes nothing again; one changed instruction in
 * the middle chunk decodes that chunk only. */
static void test_chunks(void)
{
    setup();
    const uint64_t at = CODE + 0x7d0;          /* chunks 0x7c0, 0x800, 0x840 */
    uint32_t code[40];
    for (unsigned i = 0; i < 39; i++)
        code[i] = ADDI(0, 0, 1);
    code[39] = HVC(0);
    h_load(&H, at, code, 40);
    H.cpu.x[0] = 0;
    CHECK_EQ(run_from(at, 0), 39);

    uint64_t checks = H.cache->stat_rechecks, stale = H.cache->stat_stale_chunks;
    h_load(&H, at, code, 40);                  /* the same bytes */
    H.cpu.x[0] = 0;
    CHECK_EQ(run_from(at, 0), 39);
    CHECK_EQ(H.cache->stat_rechecks, checks + 1);
    CHECK_EQ(H.cache->stat_stale_chunks, stale);

    poke(CODE + 0x820, ADDI(0, 0, 5));          /* middle chunk */
    H.cpu.x[0] = 0;
    CHECK_EQ(run_from(at, 0), 43);
    CHECK_EQ(H.cache->stat_stale_chunks, stale + 1);

    /* Without a recheck nothing is compared (the next KVM_RUN does it). */
    checks = H.cache->stat_rechecks;
    H.cpu.pc = at;
    H.cpu.x[0] = 0;
    h_run(&H, 100000);
    CHECK_EQ(H.cpu.x[0], 43);
    CHECK_EQ(H.cache->stat_rechecks, checks);
    h_free(&H);
}

/* Direct branches into another decoded page keep a link to its entry: the
 * link must not bypass the recheck. BL and CBZ (near and far handlers). */
static void test_far_links(void)
{
    setup();
    poke(CODE, BL(CODE, FAR));
    poke(CODE + 4, HVC(0));
    poke(CODE + 0x40, CBZX(1, CODE + 0x40, FAR + 0x100));
    poke(CODE + 0x44, HVC(2));
    poke(FAR, MOVZ(0, 1));
    poke(FAR + 4, RET);
    poke(FAR + 0x100, MOVZ(0, 7));
    poke(FAR + 0x104, HVC(1));
    H.cpu.x[1] = 0;
    for (unsigned i = 0; i < 2; i++) {
        CHECK_EQ(run_from(CODE, 0), 1);
        CHECK_EQ(run_from(CODE + 0x40, 1), 7);
    }
    poke(FAR, MOVZ(0, 2));
    CHECK_EQ(run_from(CODE, 0), 2);
    poke(FAR + 0x100, MOVZ(0, 8));
    CHECK_EQ(run_from(CODE + 0x40, 1), 8);
    h_free(&H);
}

/* The guest rewrites its next instruction (the chunk is decoded again from
 * the new bytes); then the VMM puts the old instruction back: the comparison
 * must be against the bytes last decoded, not the first ones. */
static void test_guest_then_vmm(void)
{
    setup();
    poke(CODE, STRW(5, 6));
    poke(CODE + 4, MOVZ(0, 1));
    poke(CODE + 8, HVC(0));
    H.cpu.x[5] = MOVZ(0, 3);
    H.cpu.x[6] = CODE + 4;
    CHECK_EQ(run_from(CODE, 0), 3);
    poke(CODE + 4, MOVZ(0, 1));
    H.cpu.x[6] = DATA;                          /* the store now goes to data */
    CHECK_EQ(run_from(CODE, 0), 1);
    h_free(&H);
}

/* Thousands of rechecks: the jump cache's 10-bit stamp tag wraps several
 * times; rewrites every 97 runs must be seen each time, and only then. */
static void test_many_rechecks(void)
{
    setup();
    poke(CODE, BL(CODE, FAR));
    poke(CODE + 4, HVC(0));
    poke(FAR, MOVZ(0, 0));
    poke(FAR + 4, RET);
    uint64_t stale = H.cache->stat_stale_chunks;
    unsigned v = 0, bad = 0;
    for (unsigned i = 1; i <= 5000; i++) {
        if (i % 97 == 0) {
            v = i & 0xffff;
            poke(FAR, MOVZ(0, v));
        }
        if (run_from(CODE, 0) != v)
            bad++;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(H.cache->stat_stale_chunks, stale + 5000 / 97);
    h_free(&H);
}

int main(void)
{
    test_same_page();
    test_chunks();
    test_far_links();
    test_guest_then_vmm();
    test_many_rechecks();
    if (h_fails) {
        fprintf(stderr, "test_engine_recheck: %d check(s) failed\n", h_fails);
        return 1;
    }
    printf("test_engine_recheck: all checks passed\n");
    return 0;
}
