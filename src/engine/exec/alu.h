/*
 * alu.h - arithmetic helpers shared by the data-processing handlers: NZCV for
 * additions and subtractions (Arm ARM AddWithCarry), rotates, the bitmask
 * immediate decoder (DecodeBitMasks) and the condition table.
 */
#ifndef SOFTKVM_ENGINE_EXEC_ALU_H
#define SOFTKVM_ENGINE_EXEC_ALU_H

#include "engine/internal.h"

static inline uint32_t nz64(uint64_t res)
{
    return (uint32_t)((res >> 63) << 31) | ((uint32_t)(res == 0) << 30);
}

static inline uint32_t nz32(uint32_t res)
{
    return ((res >> 31) << 31) | ((uint32_t)(res == 0) << 30);
}

/* res = a + b (+ carry in); C = unsigned carry out, V = signed overflow. */
static inline uint32_t flags_add64(uint64_t a, uint64_t b, uint64_t res, uint32_t c)
{
    return nz64(res) | (c << 29) | (uint32_t)(((~(a ^ b) & (a ^ res)) >> 63) << 28);
}

static inline uint32_t flags_add32(uint32_t a, uint32_t b, uint32_t res, uint32_t c)
{
    return nz32(res) | (c << 29) | ((~(a ^ b) & (a ^ res)) >> 31 << 28);
}

static inline uint32_t nzcv_adds64(uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t res = a + b;
    *out = res;
    return flags_add64(a, b, res, res < a);
}

static inline uint32_t nzcv_subs64(uint64_t a, uint64_t b, uint64_t *out)
{
    uint64_t res = a - b;
    *out = res;
    return nz64(res) | ((uint32_t)(a >= b) << 29) | (uint32_t)((((a ^ b) & (a ^ res)) >> 63) << 28);
}

static inline uint32_t nzcv_adds32(uint32_t a, uint32_t b, uint32_t *out)
{
    uint32_t res = a + b;
    *out = res;
    return flags_add32(a, b, res, res < a);
}

static inline uint32_t nzcv_subs32(uint32_t a, uint32_t b, uint32_t *out)
{
    uint32_t res = a - b;
    *out = res;
    return nz32(res) | ((uint32_t)(a >= b) << 29) | ((((a ^ b) & (a ^ res)) >> 31) << 28);
}

static inline uint64_t ror64(uint64_t v, unsigned s)
{
    s &= 63;
    return s ? (v >> s) | (v << (64 - s)) : v;
}

static inline uint32_t ror32(uint32_t v, unsigned s)
{
    s &= 31;
    return s ? (v >> s) | (v << (32 - s)) : v;
}

/* Extended register operand (Arm ARM ExtendReg): option UXTB..SXTX, then << shift. */
static inline uint64_t extend_reg(uint64_t v, unsigned option, unsigned shift)
{
    switch (option) {
    case 0: v = (uint8_t)v; break;
    case 1: v = (uint16_t)v; break;
    case 2: v = (uint32_t)v; break;
    case 4: v = (uint64_t)(int64_t)(int8_t)v; break;
    case 5: v = (uint64_t)(int64_t)(int16_t)v; break;
    case 6: v = (uint64_t)(int64_t)(int32_t)v; break;
    default: break;
    }
    return v << shift;
}

/* Arm ARM DecodeBitMasks(N, imms, immr, immediate, datasize). */
bool alu_bitmasks(unsigned n, unsigned imms, unsigned immr, bool immediate, unsigned width,
                  uint64_t *wmask, uint64_t *tmask);

#endif
