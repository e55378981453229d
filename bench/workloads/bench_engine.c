/*
 * bench_engine.c - run the benchmark guest (guest.bin) on the engine alone.
 *
 *   bench_engine GUEST.bin ID SCALE      one workload: prints
 *                                        "checksum insns cpu_seconds mips wall_seconds"
 *   bench_engine GUEST.bin --mmio N      N MMIO write exits, each completed
 *                                        and resumed (with engine_cache_recheck, as
 *                                        KVM_RUN): prints "exits seconds exits_per_s"
 *
 * The guest runs at EL1h with the MMU off in 64 MiB of RAM at 0x40000000
 * (one memslot), FP enabled (CPACR_EL1.FPEN = 11), no sysreg callbacks beyond
 * the engine's own registers. Times are the CPU time of this thread around
 * engine_run() (the machine is shared: CPU time is what the engine costs),
 * MIPS = retired guest instructions / CPU seconds; the wall time is printed last.
 *
 * BENCH_MMU=4k|16k|64k in the environment runs the same guest with the
 * stage-1 MMU on instead: RAM and the MMIO page identity-mapped with pages of
 * that granule (48-bit VA, tables in a second memslot at 0x80000000), so the
 * TLB hit path and the walks of its misses are what is measured.
 *
 * BENCH_SVE_VQ=N makes the vCPU an SVE one running at N x 128 bits.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine/engine.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE (64ull << 20)
#define VBAR     (RAM_BASE + RAM_SIZE - 0x10000)

static double now_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define PT_BASE 0x80000000ull
#define PT_SIZE (4ull << 20)

struct pt {
    uint8_t *mem;            /* host view of the table slot */
    uint64_t next;           /* next free table (IPA) */
    unsigned g;              /* granule bits */
};

static uint64_t *pt_at(struct pt *p, uint64_t ipa)
{
    return (uint64_t *)(void *)(p->mem + (ipa - PT_BASE));
}

static uint64_t pt_alloc(struct pt *p)
{
    uint64_t a = p->next;
    p->next += 1ull << p->g;
    return a;
}

/* Map the 2^g page at va = pa (48-bit VA, T0SZ = 16). attr: AttrIndx. */
static void pt_map(struct pt *p, uint64_t root, uint64_t va, unsigned attr)
{
    unsigned stride = p->g - 3, levels = (48 - p->g + stride - 1) / stride, start = 4 - levels;
    uint64_t table = root;
    for (unsigned l = start;; l++) {
        unsigned sh = p->g + (3 - l) * stride;
        unsigned bits = l == start ? 48 - sh : stride;
        uint64_t *d = pt_at(p, table + ((va >> sh) & ((1ull << bits) - 1)) * 8);
        if (l == 3) {
            /* page: AF, inner shareable, AttrIndx; EL1 read/write */
            *d = (va & ~((1ull << p->g) - 1)) | (1u << 10) | (3u << 8) | (attr << 2) | 3;
            return;
        }
        if (!*d)
            *d = pt_alloc(p) | 3;
        table = *d & 0x0000fffffffff000ull & ~((1ull << p->g) - 1);
    }
}

static double now(void)
{
    return now_clock(CLOCK_THREAD_CPUTIME_ID);
}

static double wall(void)
{
    return now_clock(CLOCK_MONOTONIC);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s GUEST.bin ID SCALE | GUEST.bin --mmio N\n", argv[0]);
        return 2;
    }
    uint8_t *ram = calloc(1, RAM_SIZE);
    FILE *f = fopen(argv[1], "rb");
    if (!ram || !f) {
        perror(argv[1]);
        return 2;
    }
    size_t n = fread(ram, 1, RAM_SIZE - 0x100000, f);
    fclose(f);
    if (!n) {
        fprintf(stderr, "%s: empty image\n", argv[1]);
        return 2;
    }
    /* Every vector entry: "hvc #0xfff" (an unexpected exception). */
    for (unsigned i = 0; i < 16; i++) {
        uint32_t hvc = 0xd4000002u | (0xfffu << 5);
        memcpy(ram + (VBAR - RAM_BASE) + 0x80 * i, &hvc, 4);
    }
    const char *mmu = getenv("BENCH_MMU");
    unsigned gbits = 0;
    if (mmu)
        gbits = !strcmp(mmu, "4k") ? 12 : !strcmp(mmu, "16k") ? 14 : !strcmp(mmu, "64k") ? 16 : 0;
    if (mmu && !gbits) {
        fprintf(stderr, "BENCH_MMU: 4k, 16k or 64k\n");
        return 2;
    }
    struct memslots *ms = calloc(1, sizeof *ms + 2 * sizeof(struct memslot));
    ms->generation = 1;
    ms->n = 1;
    ms->slot[0] = (struct memslot){ .gpa = RAM_BASE, .size = RAM_SIZE, .hva = ram };
    struct pt pt = { 0 };
    uint64_t root = 0;
    if (gbits) {
        pt.mem = calloc(1, PT_SIZE);
        pt.next = PT_BASE;
        pt.g = gbits;
        ms->n = 2;
        ms->slot[1] = (struct memslot){ .gpa = PT_BASE, .size = PT_SIZE, .hva = pt.mem, .id = 1 };
        root = pt_alloc(&pt);
        for (uint64_t va = RAM_BASE; va < RAM_BASE + RAM_SIZE; va += 1ull << gbits)
            pt_map(&pt, root, va, 0);
        pt_map(&pt, root, 0x50000000, 1);          /* the MMIO loop's device page */
    }
    _Atomic(const struct memslots *) msp;
    atomic_init(&msp, ms);
    atomic_int kick;
    atomic_init(&kick, 0);
    struct engine_env env = { .memslots = &msp, .kick = &kick };
    struct engine_cache *cache = engine_cache_new();
    static struct cpu cpu;
    cpu.pstate = 0x3c5;
    cpu.sys[SR_SCTLR_EL1] = 0x00c50078;
    cpu.sys[SR_CPACR_EL1] = 3u << 20;
    cpu.sys[SR_VBAR_EL1] = VBAR;
    /* BENCH_SVE_VQ=N (bench/run_sve.sh): an SVE vCPU with VQs 1..N running at
     * VQ N (ZCR_EL1.LEN = N - 1), SVE enabled (CPACR_EL1.ZEN = 11). */
    const char *sve = getenv("BENCH_SVE_VQ");
    if (sve) {
        unsigned vq = (unsigned)strtoul(sve, NULL, 0);
        if (vq < 1 || vq > SVE_MAX_VQ) {
            fprintf(stderr, "BENCH_SVE_VQ: 1..%u\n", SVE_MAX_VQ);
            return 2;
        }
        env.host_has_sve = env.vcpu_has_sve = true;
        env.sve_vqs = (1u << vq) - 1;
        cpu.sys[SR_CPACR_EL1] |= 3u << 16;
        cpu.sys[SR_ZCR_EL1] = vq - 1;
    }
    if (gbits) {
        /* MAIR: 0 Normal WB, 1 Device-nGnRnE; TCR: T0SZ 16, WBWA, inner
         * shareable, TG0, EPD1, IPS 48 bits. */
        uint64_t tg0 = gbits == 12 ? 0 : gbits == 16 ? 1 : 2;
        cpu.sys[SR_MAIR_EL1] = 0x00ff;
        cpu.sys[SR_TCR_EL1] = 16 | (1u << 8) | (1u << 10) | (3u << 12) | (tg0 << 14) | (1u << 23) | (5ull << 32);
        cpu.sys[SR_TTBR0_EL1] = root;
        cpu.sys[SR_SCTLR_EL1] |= 1;
    }
    struct engine_exit ex;

    if (!strcmp(argv[2], "--mmio")) {
        uint64_t count = strtoull(argv[3], NULL, 0), exits = 0;
        cpu.pc = RAM_BASE + 0x40;
        cpu.x[0] = count;
        double t0 = now();
        for (;;) {
            engine_cache_recheck(cache);   /* as KVM_RUN does: the VMM may have written code */
            engine_run(&cpu, &env, cache, &ex);
            if (ex.kind != ENGINE_EXIT_MMIO)
                break;
            exits++;
            cpu.pc += 4;          /* the hypervisor's completion of a store */
        }
        double t = now() - t0;
        if (ex.kind != ENGINE_EXIT_HVC || exits != count) {
            fprintf(stderr, "unexpected exit %d after %llu exits\n", ex.kind, (unsigned long long)exits);
            return 1;
        }
        printf("%llu %.6f %.0f\n", (unsigned long long)exits, t, (double)exits / t);
        return 0;
    }

    cpu.pc = RAM_BASE;
    cpu.x[0] = strtoul(argv[2], NULL, 0);
    cpu.x[1] = strtoul(argv[3], NULL, 0);
    env.trace = getenv("BENCH_TRACE") != NULL;
    double t0 = now(), w0 = wall();
    engine_run(&cpu, &env, cache, &ex);
    double t = now() - t0, w = wall() - w0;
    if (ex.kind != ENGINE_EXIT_HVC || ex.hvc.imm != 0) {
        fprintf(stderr, "unexpected exit %d (imm %u) at pc %llx, esr %llx elr %llx\n", ex.kind, ex.hvc.imm,
                (unsigned long long)cpu.pc, (unsigned long long)cpu.sys[SR_ESR_EL1],
                (unsigned long long)cpu.elr_el1);
        return 1;
    }
    printf("%llu %llu %.6f %.1f %.6f\n", (unsigned long long)cpu.x[0], (unsigned long long)env.insns_retired, t,
           (double)env.insns_retired / t / 1e6, w);
    engine_cache_free(cache);
    free(pt.mem);
    free(ms);
    free(ram);
    return 0;
}
