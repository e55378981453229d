/*
 * test_engine_harness.h - drive engine_run() directly, without the KVM layer.
 *
 * A harness owns guest RAM (malloc'd, with guard bytes after each slot), a
 * memslots snapshot over it, a struct cpu in the reset state KVM gives a
 * vCPU (EL1h, DAIF masked, SCTLR_EL1 reset value) and sysreg callbacks that
 * read/write cpu->sys[] through the catalogue table, with QEMU -cpu max ID
 * register values so the decoder enables the same features as in a VM.
 * Header-only: each test_engine_*.c includes it once.
 */
#ifndef TEST_ENGINE_HARNESS_H
#define TEST_ENGINE_HARNESS_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"

#define H_MAXSLOTS 4
#define H_GUARD 64

struct harness {
    struct memslots *ms;
    _Atomic(const struct memslots *) msp;
    uint8_t *mem[H_MAXSLOTS];
    struct cpu cpu;
    struct engine_env env;
    struct engine_cache *cache;
    atomic_int kick;
    struct engine_exit exit;
};

static const struct { uint32_t enc; unsigned slot; } h_sysregs[] = {
#define SR(name, op0, op1, crn, crm, op2, vis, rk, rv, acc) { SYSREG_ENC(op0, op1, crn, crm, op2), SR_##name },
#include "regs/sysreg_table.h"
#undef SR
};

static inline int h_find(uint32_t enc)
{
    for (unsigned i = 0; i < sizeof h_sysregs / sizeof h_sysregs[0]; i++)
        if (h_sysregs[i].enc == enc)
            return (int)h_sysregs[i].slot;
    return -1;
}

static inline bool h_sysreg_read(void *ctx, uint32_t enc, uint64_t *val)
{
    struct harness *h = ctx;
    int s = h_find(enc);
    if (s < 0)
        return false;
    *val = h->cpu.sys[s];
    return true;
}

static inline bool h_sysreg_write(void *ctx, uint32_t enc, uint64_t val)
{
    struct harness *h = ctx;
    int s = h_find(enc);
    if (s < 0 || (enc >> 7) == (SYSREG_ENC(3, 0, 0, 0, 0) >> 7))
        return false;                    /* ID space is read-only */
    h->cpu.sys[s] = val;
    return true;
}

static int h_fails;
#define CHECK(cond)                                                               \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
            h_fails++;                                                            \
        }                                                                         \
    } while (0)
#define CHECK_EQ(a, b)                                                            \
    do {                                                                          \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
        if (a_ != b_) {                                                           \
            fprintf(stderr, "%s:%d: %s = 0x%llx, expected %s = 0x%llx\n", __FILE__, __LINE__, #a, a_, #b, b_); \
            h_fails++;                                                            \
        }                                                                         \
    } while (0)

static inline void h_reset_cpu(struct harness *h)
{
    memset(&h->cpu, 0, sizeof h->cpu);
    h->cpu.pstate = 0x3c5;                       /* EL1h, DAIF masked (KVM reset) */
    h->cpu.sys[SR_SCTLR_EL1] = 0x00c50078;
    for (unsigned i = 0; i < SR_NR; i++)
        if (i != SR_SCTLR_EL1)
            h->cpu.sys[i] = 0;
    h->cpu.sys[SR_ESR_EL1] = 0x1de7ec7edbadc0deull;
    h->cpu.sys[SR_FAR_EL1] = 0x1de7ec7edbadc0deull;
    /* QEMU 7.2 -cpu max ID values (src/host/idregs.c) so decode features match. */
    h->cpu.sys[SR_ID_AA64ISAR0_EL1] = 0x1221111110212120ull;
    h->cpu.sys[SR_ID_AA64ISAR1_EL1] = 0x0011111101211012ull;
    h->cpu.sys[SR_ID_AA64PFR0_EL1] = 0x1101001121110222ull;
    h->cpu.sys[SR_ID_AA64PFR1_EL1] = 0x21;
    h->cpu.sys[SR_ID_AA64MMFR1_EL1] = 0x0000001010211122ull;
    h->cpu.sys[SR_ID_AA64MMFR2_EL1] = 0x1021011010011011ull;
}

/* slots: pairs (gpa, size, flags) */
static inline void h_init_slots(struct harness *h, unsigned n, const uint64_t (*slots)[3])
{
    memset(h, 0, sizeof *h);
    h->ms = calloc(1, sizeof *h->ms + n * sizeof(struct memslot));
    h->ms->generation = 1;
    h->ms->n = n;
    for (unsigned i = 0; i < n; i++) {
        h->mem[i] = calloc(1, slots[i][1] + H_GUARD);
        memset(h->mem[i] + slots[i][1], 0xa5, H_GUARD);
        h->ms->slot[i].gpa = slots[i][0];
        h->ms->slot[i].size = slots[i][1];
        h->ms->slot[i].hva = h->mem[i];
        h->ms->slot[i].flags = (uint32_t)slots[i][2];
        h->ms->slot[i].id = i;
    }
    atomic_init(&h->msp, h->ms);
    h_reset_cpu(h);
    h->env.memslots = &h->msp;
    h->env.sysreg_read = h_sysreg_read;
    h->env.sysreg_write = h_sysreg_write;
    h->env.sysreg_ctx = h;
    h->env.host_has_sve = true;
    atomic_init(&h->kick, 0);
    h->env.kick = &h->kick;
    h->cache = engine_cache_new();
}

#define RAM_GPA 0x10000000ull
#define RAM_SIZE 0x200000ull
#define MMIO_GPA 0x20000000ull

static inline void h_init(struct harness *h)
{
    static const uint64_t one[1][3] = { { RAM_GPA, RAM_SIZE, 0 } };
    h_init_slots(h, 1, one);
}

static inline bool h_guard_intact(struct harness *h, unsigned slot)
{
    const uint8_t *g = h->mem[slot] + h->ms->slot[slot].size;
    for (unsigned i = 0; i < H_GUARD; i++)
        if (g[i] != 0xa5)
            return false;
    return true;
}

static inline void h_free(struct harness *h)
{
    engine_cache_free(h->cache);
    for (unsigned i = 0; i < h->ms->n; i++)
        free(h->mem[i]);
    free(h->ms);
}

static inline uint8_t *h_ptr(struct harness *h, uint64_t gpa)
{
    for (unsigned i = 0; i < h->ms->n; i++) {
        const struct memslot *s = &h->ms->slot[i];
        if (gpa >= s->gpa && gpa - s->gpa < s->size)
            return h->mem[i] + (gpa - s->gpa);
    }
    return NULL;
}

static inline void h_load(struct harness *h, uint64_t gpa, const uint32_t *code, size_t nwords)
{
    memcpy(h_ptr(h, gpa), code, nwords * 4);
}

static inline uint64_t h_rd64(struct harness *h, uint64_t gpa)
{
    uint64_t v;
    memcpy(&v, h_ptr(h, gpa), 8);
    return v;
}

static inline void h_wr64(struct harness *h, uint64_t gpa, uint64_t v)
{
    memcpy(h_ptr(h, gpa), &v, 8);
}

static inline struct engine_exit *h_run(struct harness *h, uint64_t budget)
{
    h->env.insn_budget = budget;
    engine_run(&h->cpu, &h->env, h->cache, &h->exit);
    return &h->exit;
}

/* A vector table at vbar: each of the 16 entries does "hvc #index" so the test
 * sees which vector was taken (HVC exits with imm = index). */
static inline void h_vectors(struct harness *h, uint64_t vbar)
{
    for (unsigned i = 0; i < 16; i++) {
        uint32_t hvc = 0xd4000002u | (i << 5);
        h_load(h, vbar + 0x80 * i, &hvc, 1);
    }
    h->cpu.sys[SR_VBAR_EL1] = vbar;
}

#endif
