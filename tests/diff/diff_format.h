/*
 * diff_format.h - test-case and result records shared by the differential
 * test's generator (gen_cases.py), the reference runner under qemu-aarch64
 * (diff_ref.c) and the engine runner (diff_engine.c).
 *
 * Both runners place the case's code at DIFF_CODE and its data buffer at
 * DIFF_DATA (the same addresses, so PC-relative results and pointers agree),
 * load X0-X30, SP, NZCV, V0-V31, FPCR/FPSR, and run until the code reaches
 * its final "brk #0x777" (or faults). The code is a short sequence; no
 * prologue or epilogue runs on either side: the reference starts and stops it
 * through signal contexts, the engine through its own state.
 * All fields little-endian, fixed layout (written by Python's struct).
 */
#ifndef DIFF_FORMAT_H
#define DIFF_FORMAT_H

#include <stdint.h>

#define DIFF_CODE 0x41000000ull
#define DIFF_DATA 0x40000000ull
#define DIFF_BUF 1024
#define DIFF_CODE_WORDS 64
#define DIFF_END_IMM 0x777
#define DIFF_MAGIC 0x46464944u   /* "DIFF" */

struct diff_case {
    uint64_t x[31];
    uint64_t sp;
    uint64_t nzcv;               /* PSTATE bits 31:28 */
    uint64_t fpcr, fpsr;
    uint8_t v[32][16];
    uint32_t ncode;
    uint32_t id;
    uint32_t code[DIFF_CODE_WORDS];
    uint8_t buf[DIFF_BUF];
};

enum diff_kind {
    DIFF_END = 0,       /* reached brk #0x777 */
    DIFF_ILL = 1,       /* undefined instruction (SIGILL / ESR EC 0) */
    DIFF_BUS = 2,       /* alignment fault, data or SP (SIGBUS / EC 0x24-0x26) */
    DIFF_SEGV = 3,      /* other memory fault (SIGSEGV / abort, MMIO exit) */
    DIFF_TRAP = 4,      /* another BRK or trap (SIGTRAP with another immediate) */
    DIFF_TIMEOUT = 5,   /* did not finish */
    DIFF_OTHER = 6,
};

struct diff_result {
    uint32_t kind;
    uint32_t id;
    uint64_t stop_off;           /* PC where it stopped, minus DIFF_CODE */
    uint64_t x[31];
    uint64_t sp;
    uint64_t nzcv;
    uint64_t fpsr;
    uint8_t v[32][16];
    uint8_t buf[DIFF_BUF];
};

struct diff_header {
    uint32_t magic;
    uint32_t count;
};

#endif
