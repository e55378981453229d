/*
 * sve_format.h - SVE differential test: case and result records shared by
 * the generator (sve_gen.py), the reference runner under qemu-aarch64
 * (sve_ref.c), the engine runner (sve_engine.c) and the comparison
 * (sve_run.py).
 *
 * Vector state never travels through a signal frame (QEMU 7.2's user-mode
 * frame is not reliable for it): every case's code starts with a prologue
 * that loads Z0-Z31, P0-P15, FFR, FPCR and FPSR from the state area at SP,
 * and ends with an epilogue that stores them back there before its final
 * "brk #0x777". The runners only place X0-X30, SP (= SVE_STATE), NZCV and PC,
 * lay the state area out at the vector length in force, and read it back.
 *
 * State area at SP (VL = vector length in bytes, PL = VL / 8):
 *   SP + k*PL          P0..P15 (k = 0..15)       SP + 16*PL   FFR
 *   SP + (3+k)*VL      Z0..Z31
 *   SP - 8  scratch (X0 while the prologue/epilogue run)
 *   SP - 16 FPSR stored by the epilogue
 *   SP - 24 FPCR and SP - 32 FPSR loaded by the prologue
 * All fields little-endian, fixed layout (written by Python's struct).
 */
#ifndef SVE_FORMAT_H
#define SVE_FORMAT_H

#include <stdint.h>
#include <string.h>

#include "diff_format.h"      /* DIFF_END.. kinds, DIFF_END_IMM */

#define SVE_CODE 0x41000000ull
#define SVE_DATA 0x40000000ull
#define SVE_DATA_SIZE 0x10000ull  /* mapped; the page after it is not (fault tests) */
#define SVE_BUF 4096              /* data buffer at SVE_DATA, compared after each case */
#define SVE_STATE (SVE_DATA + 0x4000)
#define SVE_CODE_WORDS 192
#define SVEDIFF_MAGIC 0x45565344u /* "DSVE" */

struct sve_case {
    uint64_t x[31];
    uint64_t nzcv;               /* PSTATE bits 31:28 */
    uint64_t fpcr, fpsr;
    uint8_t z[32][256];          /* at VL 2048; a shorter VL uses the low bytes */
    uint8_t p[16][32];
    uint8_t ffr[32];
    uint32_t ncode;
    uint32_t id;
    uint32_t code[SVE_CODE_WORDS];
    uint8_t buf[SVE_BUF];
};

struct sve_result {
    uint32_t kind;               /* enum diff_kind */
    uint32_t id;
    uint64_t stop_off;           /* PC where it stopped, minus SVE_CODE */
    uint64_t x[31];
    uint64_t sp;
    uint64_t nzcv;
    uint64_t fpsr;               /* as stored by the epilogue */
    uint8_t z[32][256];          /* the state area read back, zero above the VL */
    uint8_t p[16][32];
    uint8_t ffr[32];
    uint8_t buf[SVE_BUF];
};

struct sve_header {
    uint32_t magic;
    uint32_t count;
    uint32_t vl;                 /* bytes (results only; 0 in a case file) */
    uint32_t pad;
};

/* Lay the case's vector state out at vector length vl. a = SVE_STATE - 32: the
 * state area and the words below SP. */
static inline void sve_state_put(uint8_t *a, const struct sve_case *c, unsigned vl)
{
    unsigned pl = vl / 8;
    uint8_t *st = a + 32;
    for (int k = 0; k < 16; k++)
        memcpy(st + k * pl, c->p[k], pl);
    memcpy(st + 16 * pl, c->ffr, pl);
    for (int k = 0; k < 32; k++)
        memcpy(st + (3 + k) * vl, c->z[k], vl);
    memcpy(a + 8, &c->fpcr, 8);
    memcpy(a, &c->fpsr, 8);
    memset(a + 16, 0xee, 8);          /* the epilogue overwrites it */
}

/* Read the state area back into a result (a as for sve_state_put). */
static inline void sve_state_get(const uint8_t *a, struct sve_result *res, unsigned vl)
{
    unsigned pl = vl / 8;
    const uint8_t *st = a + 32;
    memset(res->z, 0, sizeof res->z);
    memset(res->p, 0, sizeof res->p);
    memset(res->ffr, 0, sizeof res->ffr);
    for (int k = 0; k < 16; k++)
        memcpy(res->p[k], st + k * pl, pl);
    memcpy(res->ffr, st + 16 * pl, pl);
    for (int k = 0; k < 32; k++)
        memcpy(res->z[k], st + (3 + k) * vl, vl);
    memcpy(&res->fpsr, a + 16, 8);
}

#endif
