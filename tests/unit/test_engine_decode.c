/*
 * test_engine_decode.c - the generated decoder and engine_disasm().
 *
 *  - known encodings (assembled with binutils) disassemble to the expected text;
 *  - every row's base encoding decodes to that row or is refused (no row
 *    shadows another outside a priority group);
 *  - a million random words all decode to a handler (never a NULL entry) and
 *    disassemble without overrunning the buffer;
 *  - rows of the SIMD&FP extensions (JSCVT, FCMA, FHM, BF16, I8MM) are gated
 *    on their feature bits, which the ID registers give;
 *  - env->trace prints PC, encoding, disassembly and changed registers.
 */
#include <unistd.h>

#include "test_engine_harness.h"
#include "engine/internal.h"
#include "a64_args.h"

static const struct { uint32_t insn; const char *text; } known[] = {
    { 0x91404041, "add x1, x2, #0x10, lsl #12" },
    { 0x71000483, "subs w3, w4, #1" },
    { 0x92781c20, "and x0, x1, #0xff00" },
    { 0xd2a24685, "movz x5, #0x1234, lsl #0x10" },
    { 0x54000001, "b.ne 0x1000" },
    { 0x94000002, "bl 0x1008" },
    { 0x34000083, "cbz w3, 0x1010" },
    { 0xb7400047, "tbnz x7, #0x28, 0x1008" },
    { 0xf9400841, "ldr x1, [x2, #0x10]" },
    { 0x38dfdc83, "ldrsb w3, [x4, #-0x3]!" },
    { 0x3d800be0, "str q0, [sp, #0x20]" },
    { 0xa8c17bfd, "ldp x29, x30, [sp], #0x10" },
    { 0x885ffc41, "ldaxr w1, [x2]" },
    { 0xf8210062, "ldadd x1, x2, [x3]" },
    { 0x88e1fc62, "casal w1, w2, [x3]" },
    { 0xd538c000, "mrs x0, vbar_el1" },
    { 0xd50343df, "msr daifset, #3" },
    { 0xd5033b9f, "dsb ish" },
    { 0x9a82a020, "csel x0, x1, x2, ge" },
    { 0x9b020c20, "madd x0, x1, x2, x3" },
    { 0xd3442c20, "ubfm x0, x1, #4, #0xb" },
    { 0x6f05e540, "movi v0.2d, #0xff00ff00ff00ff00" },
    { 0x4e040c41, "dup v1.4s, w2" },
    { 0x0e163c83, "umov w3, v4.h[5]" },
    { 0x9e670020, "fmov d0, x1" },
    { 0xd69f03e0, "eret" },
    { 0x00000001, "udf #1" },
    { 0xdac00841, "rev32 x1, x2" },
    { 0x1ac35841, "crc32cw w1, w2, w3" },
    { 0x90000000, "adrp x0, 0x1000" },
    { 0xd503201f, "nop" },
    { 0x4ea11c20, "orr v0.16b, v1.16b, v1.16b" },
    { 0x4e284841, "aese v1.16b, v2.16b" },
    { 0x5e030041, "sha1c q1, s2, v3.4s" },
    { 0x5e280841, "sha1h s1, s2" },
    { 0xce638041, "sha512h q1, q2, v3.2d" },
    { 0xce831441, "xar v1.2d, v2.2d, v3.2d, #5" },
    { 0xce431041, "sm3ss1 v1.4s, v2.4s, v3.4s, v4.4s" },
    { 0xce43a041, "sm3tt1a v1.4s, v2.4s, v3.s[2]" },
    { 0xcec08441, "sm4e v1.4s, v2.4s" },
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

int main(void)
{
    char buf[96];
    for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++) {
        engine_disasm(known[i].insn, 0x1000, buf, sizeof buf);
        if (strcmp(buf, known[i].text)) {
            fprintf(stderr, "0x%08x: \"%s\", expected \"%s\"\n", known[i].insn, buf, known[i].text);
            h_fails++;
        }
    }

    /* A truncating buffer stays terminated. */
    engine_disasm(0xa8c17bfd, 0, buf, 8);
    CHECK_EQ(strlen(buf), 7);

    unsigned undef = 0;
    for (unsigned i = 0; i < 1000000; i++) {
        uint32_t w = rnd();
        struct dinsn e;
        struct decode dc = { .e = &e, .pc = 0x40000000, .insn = w, .features = ~0ull };
        int row = engine_decode(&dc);
        CHECK(e.fn != NULL);
        if (row < 0)
            undef++;
        char small[24];
        engine_disasm(w, 0x40000000, small, sizeof small);
        CHECK(strlen(small) < sizeof small);
    }
    /* Most random words are unallocated or SIMD&FP/SVE work for later, but a
     * good share of the space decodes. */
    CHECK(undef > 100000 && undef < 900000);
    printf("test_engine_decode: %u of 1000000 random words without a row\n", undef);

    /* A row's own match word decodes to that row, or is refused (UNDEF) by its
     * op_ function because all-zero fields are invalid. Check a few rows by
     * name through their disassembly templates' first word. */
    static const struct { uint32_t insn; const char *mnemonic; } base[] = {
        { 0x11000000, "add" }, { 0x14000000, "b" }, { 0xd4000001, "svc" }, { 0x38400400, "ldrb" },
        { 0xc8df7c00, "ldlar" }, { 0xc8dffc00, "ldar" }, { 0x0f000400, "movi" },
    };
    for (unsigned i = 0; i < sizeof base / sizeof base[0]; i++) {
        engine_disasm(base[i].insn, 0, buf, sizeof buf);
        CHECK(strncmp(buf, base[i].mnemonic, strlen(base[i].mnemonic)) == 0);
    }

    /* Feature gating: a row of each SIMD&FP extension decodes with every
     * feature and is UNDEFINED without its own (so a vCPU whose ID registers
     * lack it never runs it); engine_decode_features derives every one of
     * them from QEMU max's ID registers (the harness's values). */
    {
        /* Encodings and mnemonics from binutils 2.40 (aarch64-linux-gnu-as). */
        static const struct { uint32_t insn; uint64_t feat; const char *text; } gated[] = {
            { 0x1e7e00e3, A64_FEAT_JSCVT, "fjcvtzs w3, " },     /* fjcvtzs w3, d7 */
            { 0x6e82cc20, A64_FEAT_FCMA, "fcmla v0" },          /* fcmla v0.4s, v1.4s, v2.4s, #90 */
            { 0x2e82f420, A64_FEAT_FCMA, "fcadd v0" },          /* fcadd v0.2s, v1.2s, v2.2s, #270 */
            { 0x4fbf0820, A64_FEAT_FHM, "fmlal v0" },           /* fmlal v0.4s, v1.4h, v15.h[7] */
            { 0x1e634041, A64_FEAT_BF16, "bfcvt " },            /* bfcvt h1, s2 */
            { 0x6e42ec20, A64_FEAT_BF16, "bfmmla v0" },         /* bfmmla v0.4s, v1.8h, v2.8h */
            { 0x4e82a420, A64_FEAT_I8MM, "smmla v0" },          /* smmla v0.4s, v1.16b, v2.16b */
            { 0x0f1ff820, A64_FEAT_I8MM, "sudot v0" },          /* sudot v0.2s, v1.8b, v31.4b[2] */
        };
        for (unsigned i = 0; i < sizeof gated / sizeof gated[0]; i++) {
            struct dinsn e;
            struct decode dc = { .e = &e, .pc = 0x40000000, .insn = gated[i].insn, .features = ~0ull };
            CHECK(engine_decode(&dc) >= 0);
            dc.features = ~0ull & ~gated[i].feat;
            CHECK(engine_decode(&dc) < 0);
            engine_disasm(gated[i].insn, 0, buf, sizeof buf);
            if (strncmp(buf, gated[i].text, strlen(gated[i].text))) {
                fprintf(stderr, "0x%08x: \"%s\", expected \"%s...\"\n", gated[i].insn, buf, gated[i].text);
                h_fails++;
            }
        }
        /* FCVT's reserved opc 10 from single is BFCVT only with FEAT_BF16. */
        struct dinsn e;
        struct decode dc = { .e = &e, .pc = 0, .insn = 0x1e634041, .features = ~0ull & ~A64_FEAT_BF16 };
        CHECK(engine_decode(&dc) < 0);
        struct harness h;
        h_init(&h);
        uint64_t f = engine_decode_features(&h.env);
        uint64_t want = A64_FEAT_JSCVT | A64_FEAT_FCMA | A64_FEAT_FHM | A64_FEAT_BF16 | A64_FEAT_I8MM;
        CHECK_EQ(f & want, want);
        h.cpu.sys[SR_ID_AA64ISAR1_EL1] &= ~(0xfull << 44);    /* BF16 = 0 */
        h.cpu.sys[SR_ID_AA64ISAR0_EL1] &= ~(0xfull << 48);    /* FHM = 0 */
        f = engine_decode_features(&h.env);
        CHECK_EQ(f & want, want & ~(A64_FEAT_BF16 | A64_FEAT_FHM));
        h_free(&h);
    }

    /* Trace: captured from stderr. */
    {
        static const uint32_t code[] = { 0xd28000a0, 0xf1000400, 0xd4000002 };  /* mov x0,#5; subs x0,x0,#1; hvc */
        struct harness h;
        h_init(&h);
        h_load(&h, RAM_GPA, code, 3);
        h.cpu.pc = RAM_GPA;
        h.env.trace = true;
        char path[] = "/tmp/engine_traceXXXXXX";
        int fd = mkstemp(path);
        fflush(stderr);
        int saved = dup(2);
        dup2(fd, 2);
        h_run(&h, 0);
        fflush(stderr);
        dup2(saved, 2);
        close(saved);
        char text[2048] = { 0 };
        lseek(fd, 0, SEEK_SET);
        ssize_t got = read(fd, text, sizeof text - 1);
        close(fd);
        unlink(path);
        CHECK(got > 0);
        CHECK(strstr(text, "0000000010000000: d28000a0  movz x0, #5") != NULL);
        CHECK(strstr(text, "x0=5") != NULL);
        CHECK(strstr(text, "subs x0, x0, #1") != NULL);
        CHECK(strstr(text, "x0=4 nzcv=2") != NULL);
        CHECK(strstr(text, "hvc #0") != NULL);
        CHECK_EQ(h.env.insns_retired, 3);
        h_free(&h);
    }

    if (h_fails) {
        fprintf(stderr, "test_engine_decode: %d failures\n", h_fails);
        return 1;
    }
    printf("test_engine_decode: ok\n");
    return 0;
}
