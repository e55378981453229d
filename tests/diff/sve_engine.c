/*
 * sve_engine.c - engine side of the SVE differential test.
 *
 *   sve_engine VL_BYTES CASES RESULTS
 *
 * Runs every case on the engine at EL1h as an SVE vCPU whose VQ set is
 * {1..VL/16} (QEMU's -cpu max,sve-max-vq=N offers every length up to N) with
 * ZCR_EL1.LEN = VL/16 - 1, FP and SVE enabled in CPACR_EL1. Memory mirrors
 * the reference's address space: a data slot of SVE_DATA_SIZE (nothing after
 * it), a code slot and a vector table whose entries exit with "hvc #entry",
 * from which the stop kind is derived as in diff_engine.c. The case's own
 * prologue and epilogue move the vector state (sve_format.h).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "sve_format.h"

#define VBAR 0x41800000ull

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
    if (enc == SYSREG_ENC(3, 0, 0, 4, 4)) {
        *v = 0x0110110100110021ull;   /* ID_AA64ZFR0_EL1 of the default host (QEMU max): SVE2, BitPerm.. */
        return true;
    }
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
    if (s == SR_ZCR_EL1)
        v &= 0xf;
    cpu.sys[s] = v;
    return true;
}

/* sve_engine --decode WORDS: for each little-endian 32-bit word of the file,
 * print "1" if the engine's SVE decoder accepts it (an allocated base SVE
 * encoding), "0" if it is UNDEFINED for an SVE vCPU (sve_isa_check.py). */
static int decode_words(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 2;
    }
    uint32_t w;
    char text[128];
    while (fread(&w, 4, 1, f) == 1)   /* disassembly decodes as an SVE vCPU; ".inst" = no row accepted it */
        putchar(strncmp(engine_disasm(w, 0, text, sizeof text), ".inst", 5) ? '1' : '0');
    putchar('\n');
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--decode"))
        return decode_words(argv[2]);
    if (argc != 4) {
        fprintf(stderr, "usage: %s VL_BYTES CASES RESULTS\n", argv[0]);
        return 2;
    }
    unsigned vl = (unsigned)strtoul(argv[1], NULL, 0);
    if (vl < 16 || vl > 256 || vl % 16) {
        fprintf(stderr, "sve_engine: bad vector length %u\n", vl);
        return 2;
    }
    FILE *in = fopen(argv[2], "rb"), *out = fopen(argv[3], "wb");
    if (!in || !out) {
        perror("open");
        return 2;
    }
    struct sve_header hdr;
    if (fread(&hdr, sizeof hdr, 1, in) != 1 || hdr.magic != SVEDIFF_MAGIC) {
        fprintf(stderr, "bad case file\n");
        return 2;
    }
    uint8_t *data = calloc(1, SVE_DATA_SIZE), *code = calloc(1, 0x10000), *vec = calloc(1, 0x1000);
    struct memslots *ms = calloc(1, sizeof *ms + 3 * sizeof(struct memslot));
    if (!data || !code || !vec || !ms)
        return 2;
    ms->generation = 1;
    ms->n = 3;
    ms->slot[0] = (struct memslot){ .gpa = SVE_DATA, .size = SVE_DATA_SIZE, .hva = data, .id = 0 };
    ms->slot[1] = (struct memslot){ .gpa = SVE_CODE, .size = 0x10000, .hva = code, .id = 1 };
    ms->slot[2] = (struct memslot){ .gpa = VBAR, .size = 0x1000, .hva = vec, .id = 2 };
    _Atomic(const struct memslots *) msp;
    atomic_init(&msp, ms);
    atomic_int kick;
    atomic_init(&kick, 0);
    struct engine_env env = {
        .memslots = &msp, .sysreg_read = rd, .sysreg_write = wr, .kick = &kick, .host_has_sve = true,
        .vcpu_has_sve = true, .sve_vqs = (1u << (vl / 16)) - 1,
    };
    struct engine_cache *cache = engine_cache_new();
    for (unsigned i = 0; i < 16; i++) {
        uint32_t hvc = 0xd4000002u | (i << 5);
        memcpy(vec + 0x80 * i, &hvc, 4);
    }
    hdr.vl = vl;
    fwrite(&hdr, sizeof hdr, 1, out);
    /* SVE_TRACE=<case id>: instruction trace of that case on stderr. */
    const char *tr = getenv("SVE_TRACE");
    long trace_id = tr ? strtol(tr, NULL, 0) : -1;
    static struct sve_case c;
    static struct sve_result res;
    for (uint32_t n = 0; n < hdr.count; n++) {
        if (fread(&c, sizeof c, 1, in) != 1) {
            fprintf(stderr, "short case file\n");
            return 2;
        }
        memset(&cpu, 0, sizeof cpu);
        memcpy(cpu.x, c.x, sizeof cpu.x);
        cpu.sp_el1 = SVE_STATE;
        cpu.pc = SVE_CODE;
        cpu.pstate = 0x3c5 | (c.nzcv & 0xf0000000ull);
        cpu.sys[SR_SCTLR_EL1] = 0x00c50078;
        cpu.sys[SR_CPACR_EL1] = (3u << 20) | (3u << 16);
        cpu.sys[SR_ZCR_EL1] = vl / 16 - 1;
        cpu.sys[SR_VBAR_EL1] = VBAR;
        cpu.sys[SR_ID_AA64ISAR0_EL1] = 0x1221111110212120ull;
        cpu.sys[SR_ID_AA64ISAR1_EL1] = 0x0011111101211012ull;
        cpu.sys[SR_ID_AA64PFR0_EL1] = 0x1101001121110222ull;
        cpu.sys[SR_ID_AA64PFR1_EL1] = 0x21;
        cpu.sys[SR_ID_AA64MMFR1_EL1] = 0x0000001010211122ull;
        cpu.sys[SR_ID_AA64MMFR2_EL1] = 0x1021011010011011ull;
        memset(code, 0, 4 * SVE_CODE_WORDS + 4);
        memcpy(code, c.code, 4 * c.ncode);
        memset(data, 0, SVE_DATA_SIZE);
        memcpy(data, c.buf, SVE_BUF);
        sve_state_put(data + (SVE_STATE - 32 - SVE_DATA), &c, vl);
        engine_cache_flush(cache);   /* memory rewritten behind the engine's back */
        env.insn_budget = 1000000;
        env.trace = (long)c.id == trace_id;
        struct engine_exit ex;
        engine_run(&cpu, &env, cache, &ex);

        memset(&res, 0, sizeof res);
        res.id = c.id;
        memcpy(res.x, cpu.x, sizeof res.x);
        res.sp = cpu.sp_el1;
        res.nzcv = cpu.pstate & 0xf0000000ull;
        res.stop_off = cpu.pc - SVE_CODE;
        if (ex.kind == ENGINE_EXIT_HVC && cpu.pc == VBAR + 0x204) {
            uint64_t esr = cpu.sys[SR_ESR_EL1];
            unsigned ec = (unsigned)(esr >> 26) & 0x3f;
            res.stop_off = cpu.elr_el1 - SVE_CODE;
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
        sve_state_get(data + (SVE_STATE - 32 - SVE_DATA), &res, vl);
        memcpy(res.buf, data, SVE_BUF);
        fwrite(&res, sizeof res, 1, out);
    }
    fclose(out);
    engine_cache_free(cache);
    free(data);
    free(code);
    free(vec);
    free(ms);
    return 0;
}
