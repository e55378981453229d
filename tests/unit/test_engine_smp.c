/*
 * test_engine_smp.c - two vCPUs of one VM (two threads, one memory) update the
 * same counters 20000 times each with LDAXR/STLXR, LDADD, LDAXP/STLXP (128-bit)
 * and CAS retry loops. Every update must land: the exclusive monitor and the
 * atomics are correct across vCPUs.
 */
#include <pthread.h>

#include "test_engine_harness.h"

#define CODE (RAM_GPA + 0x1000)
#define CTR (RAM_GPA + 0x3000)
#define N 20000

static const uint32_t prog[] = {
    0xd289c405, /* mov x5, #20000 */
    0xc85ffc40, /* 1: ldaxr x0, [x2] */
    0x91000400, /* add x0, x0, #1 */
    0xc801fc40, /* stlxr w1, x0, [x2] */
    0x35ffffa1, /* cbnz w1, 1b */
    0xf10004a5, /* subs x5, x5, #1 */
    0x54ffff61, /* b.ne 1b */
    0xd289c405, /* mov x5, #20000 */
    0xf8260067, /* 2: ldadd x6, x7, [x3] */
    0xf10004a5, /* subs x5, x5, #1 */
    0x54ffffc1, /* b.ne 2b */
    0xd289c405, /* mov x5, #20000 */
    0xc87fa488, /* 3: ldaxp x8, x9, [x4] */
    0xb1000508, /* adds x8, x8, #1 */
    0x9a1f0129, /* adc x9, x9, xzr */
    0xc821a488, /* stlxp w1, x8, x9, [x4] */
    0x35ffff81, /* cbnz w1, 3b */
    0xf10004a5, /* subs x5, x5, #1 */
    0x54ffff41, /* b.ne 3b */
    0xd289c405, /* mov x5, #20000 */
    0xb940016a, /* 4: ldr w10, [x11] */
    0x1100054c, /* add w12, w10, #1 */
    0x88aa7d6c, /* cas w10, w12, [x11] */
    0x6b0c015f, /* cmp w10, w12 */
    0x5100058d, /* sub w13, w12, #1 */
    0x6b0d015f, /* cmp w10, w13 */
    0x54ffff41, /* b.ne 4b */
    0xf10004a5, /* subs x5, x5, #1 */
    0x54ffff01, /* b.ne 4b */
    0xd4000002, /* hvc #0 */
};

static struct harness H0, H1;

static void prepare(struct harness *h)
{
    h->cpu.pc = CODE;
    h->cpu.x[2] = CTR;
    h->cpu.x[3] = CTR + 0x40;
    h->cpu.x[4] = CTR + 0x80;
    h->cpu.x[6] = 1;
    h->cpu.x[11] = CTR + 0xc0;
}

static void *vcpu(void *arg)
{
    struct harness *h = arg;
    struct engine_exit *e;
    do
        e = h_run(h, 0);
    while (e->kind == ENGINE_EXIT_KICK || e->kind == ENGINE_EXIT_BUDGET);
    return e;
}

int main(void)
{
    h_init(&H0);
    h_load(&H0, CODE, prog, sizeof prog / 4);
    /* Second vCPU: same memory map, its own registers and engine cache. */
    H1 = H0;
    H1.env.sysreg_ctx = &H1;
    atomic_init(&H1.kick, 0);
    H1.env.kick = &H1.kick;
    H1.cache = engine_cache_new();
    prepare(&H0);
    prepare(&H1);
    pthread_t t0, t1;
    pthread_create(&t0, NULL, vcpu, &H0);
    pthread_create(&t1, NULL, vcpu, &H1);
    void *r0, *r1;
    pthread_join(t0, &r0);
    pthread_join(t1, &r1);
    CHECK_EQ(((struct engine_exit *)r0)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(((struct engine_exit *)r1)->kind, ENGINE_EXIT_HVC);
    CHECK_EQ(h_rd64(&H0, CTR), 2 * N);
    CHECK_EQ(h_rd64(&H0, CTR + 0x40), 2 * N);
    CHECK_EQ(h_rd64(&H0, CTR + 0x80), 2 * N);
    CHECK_EQ(h_rd64(&H0, CTR + 0x88), 0);
    CHECK_EQ(h_rd64(&H0, CTR + 0xc0) & 0xffffffff, 2 * N);
    engine_cache_free(H1.cache);
    h_free(&H0);
    if (h_fails) {
        fprintf(stderr, "test_engine_smp: %d failures\n", h_fails);
        return 1;
    }
    printf("test_engine_smp: ok\n");
    return 0;
}
