/*
 * diff_engine.c - engine side of the differential test.
 *
 *   diff_engine CASES RESULTS
 *
 * Runs every case on the engine at EL1h (SP_EL1 = the case's SP, FP enabled
 * through CPACR_EL1.FPEN, SCTLR_EL1 at its reset value, so SP alignment is
 * checked as Linux's SCTLR_EL1.SA0 makes it for the reference at EL0). One
 * memslot covers the data buffer, the code and a vector table whose entries
 * exit with "hvc #entry": the exception syndrome then tells how the sequence
 * stopped (BRK #0x777 = end, EC 0 = UNDEF, alignment faults, aborts), mapped
 * to the same kinds the reference derives from signals.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_format.h"
#include "engine/engine.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x2000000ull
#define VBAR     0x41800000ull

struct sys_map { uint32_t enc; unsigned slot; };
static const struct sys_map sysmap[] = {
#define SR(name, op0, op1, crn, crm, op2, vis, rk, rv, acc) { SYSREG_ENC(op0, op1, crn, crm, op2), SR_##name },
#include "regs/sysreg_table.h"
#undef SR
};

static struct cpu cpu;

static int find(uint32_t enc)
{
    for (unsigned i = 0; i < sizeof sysmap / sizeof sysmap[0]; i++)
        if (sysmap[i].enc == enc)
            return (int)sysmap[i].slot;
    return -1;
}

static bool rd(void *ctx, uint32_t enc, uint64_t *v)
{
    int s = find(enc);
    if (s < 0)
        return false;
    *v = cpu.sys[s];
    return true;
}

static bool wr(void *ctx, uint32_t enc, uint64_t v)
{
    int s = find(enc);
    if (s < 0 || (enc >> 7) == (SYSREG_ENC(3, 0, 0, 0, 0) >> 7))
        return false;
    cpu.sys[s] = v;
    return true;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s CASES RESULTS\n", argv[0]);
        return 2;
    }
    FILE *in = fopen(argv[1], "rb"), *out = fopen(argv[2], "wb");
    if (!in || !out) {
        perror("open");
        return 2;
    }
    struct diff_header hdr;
    if (fread(&hdr, sizeof hdr, 1, in) != 1 || hdr.magic != DIFF_MAGIC) {
        fprintf(stderr, "bad case file\n");
        return 2;
    }
    uint8_t *ram = calloc(1, RAM_SIZE);
    struct memslots *ms = calloc(1, sizeof *ms + sizeof(struct memslot));
    if (!ram || !ms)
        return 2;
    ms->generation = 1;
    ms->n = 1;
    ms->slot[0] = (struct memslot){ .gpa = RAM_BASE, .size = RAM_SIZE, .hva = ram };
    _Atomic(const struct memslots *) msp;
    atomic_init(&msp, ms);
    atomic_int kick;
    atomic_init(&kick, 0);
    struct engine_env env = {
        .memslots = &msp, .sysreg_read = rd, .sysreg_write = wr, .kick = &kick, .host_has_sve = true,
    };
    struct engine_cache *cache = engine_cache_new();
    for (unsigned i = 0; i < 16; i++) {
        uint32_t hvc = 0xd4000002u | (i << 5);
        memcpy(ram + (VBAR - RAM_BASE) + 0x80 * i, &hvc, 4);
    }
    fwrite(&hdr, sizeof hdr, 1, out);
    /* DIFF_TRACE=<case id>: instruction trace of that case on stderr. */
    const char *tr = getenv("DIFF_TRACE");
    long trace_id = tr ? strtol(tr, NULL, 0) : -1;
    static struct diff_case c;
    static struct diff_result res;
    for (uint32_t n = 0; n < hdr.count; n++) {
        if (fread(&c, sizeof c, 1, in) != 1) {
            fprintf(stderr, "short case file\n");
            return 2;
        }
        memset(&cpu, 0, sizeof cpu);
        memcpy(cpu.x, c.x, sizeof cpu.x);
        cpu.sp_el1 = c.sp;
        cpu.pc = DIFF_CODE;
        cpu.pstate = 0x3c5 | (c.nzcv & 0xf0000000ull);
        cpu.fpcr = (uint32_t)c.fpcr;
        cpu.fpsr = (uint32_t)c.fpsr;
        for (int i = 0; i < 32; i++)
            memcpy(cpu.z[i], c.v[i], 16);
        cpu.sys[SR_SCTLR_EL1] = 0x00c50078;
        cpu.sys[SR_CPACR_EL1] = 3u << 20;
        cpu.sys[SR_VBAR_EL1] = VBAR;
        cpu.sys[SR_ID_AA64ISAR0_EL1] = 0x1221111110212120ull;
        cpu.sys[SR_ID_AA64ISAR1_EL1] = 0x0011111101211012ull;
        cpu.sys[SR_ID_AA64PFR0_EL1] = 0x1101001121110222ull;
        cpu.sys[SR_ID_AA64PFR1_EL1] = 0x21;
        cpu.sys[SR_ID_AA64MMFR1_EL1] = 0x0000001010211122ull;
        cpu.sys[SR_ID_AA64MMFR2_EL1] = 0x1021011010011011ull;
        memset(ram + (DIFF_CODE - RAM_BASE), 0, 4 * DIFF_CODE_WORDS + 4);
        memcpy(ram + (DIFF_CODE - RAM_BASE), c.code, 4 * c.ncode);
        memset(ram, 0, 0x10000);
        memcpy(ram + (DIFF_DATA - RAM_BASE), c.buf, DIFF_BUF);
        /* The runner rewrote guest memory behind the engine's back, as a VMM may. */
        engine_cache_flush(cache);
        env.insn_budget = 1000000;
        env.trace = (long)c.id == trace_id;
        struct engine_exit ex;
        engine_run(&cpu, &env, cache, &ex);
        /* WFI: the hypervisor would wait for a wake-up and step past it. */
        for (int k = 0; k < 100 && ex.kind == ENGINE_EXIT_WFI; k++) {
            cpu.pc += 4;
            engine_run(&cpu, &env, cache, &ex);
        }

        memset(&res, 0, sizeof res);
        res.id = c.id;
        memcpy(res.x, cpu.x, sizeof res.x);
        res.sp = cpu.sp_el1;
        res.nzcv = cpu.pstate & 0xf0000000ull;
        res.fpsr = cpu.fpsr;
        for (int i = 0; i < 32; i++)
            memcpy(res.v[i], cpu.z[i], 16);
        memcpy(res.buf, ram + (DIFF_DATA - RAM_BASE), DIFF_BUF);
        res.stop_off = cpu.pc - DIFF_CODE;
        if (ex.kind == ENGINE_EXIT_HVC && cpu.pc == VBAR + 0x204) {
            uint64_t esr = cpu.sys[SR_ESR_EL1];
            unsigned ec = (unsigned)(esr >> 26) & 0x3f;
            res.stop_off = cpu.elr_el1 - DIFF_CODE;
            if (ec == 0x3c)
                res.kind = (esr & 0xffff) == DIFF_END_IMM ? DIFF_END : DIFF_TRAP;
            else if (ec == 0x00)
                res.kind = DIFF_ILL;
            else if (ec == 0x22 || ec == 0x26 || ((ec == 0x24 || ec == 0x25) && (esr & 0x3f) == 0x21))
                res.kind = DIFF_BUS;
            else if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)
                res.kind = DIFF_SEGV;
            else
                res.kind = DIFF_OTHER;
        } else if (ex.kind == ENGINE_EXIT_MMIO || ex.kind == ENGINE_EXIT_NISV) {
            res.kind = DIFF_SEGV;
        } else if (ex.kind == ENGINE_EXIT_BUDGET) {
            res.kind = DIFF_TIMEOUT;
        } else {
            res.kind = DIFF_OTHER;
        }
        fwrite(&res, sizeof res, 1, out);
    }
    fclose(out);
    engine_cache_free(cache);
    free(ram);
    free(ms);
    return 0;
}
