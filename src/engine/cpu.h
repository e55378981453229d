/*
 * cpu.h - architectural state of one AArch64 vCPU.
 *
 * This struct is the single home of a vCPU's registers: the ONE_REG layer
 * (src/regs) reads and writes it for the VMM, the engine (src/engine) executes
 * on it. Whenever the engine returns from engine_run() every field holds the
 * architectural value (no lazily-computed flags left unsynchronised).
 *
 * System registers live in sys[], indexed by enum sysreg_slot (src/regs/slots.h
 * lists them); the register catalogue maps each KVM register id / MRS encoding to
 * a slot, so the value a VMM sets is what the guest reads.
 */
#ifndef SOFTKVM_ENGINE_CPU_H
#define SOFTKVM_ENGINE_CPU_H

#include <stdint.h>
#include "regs/slots.h"

/* PSTATE bits, in SPSR_ELx layout (Arm ARM C5.2.18). */
#define PSTATE_N      (1ull << 31)
#define PSTATE_Z      (1ull << 30)
#define PSTATE_C      (1ull << 29)
#define PSTATE_V      (1ull << 28)
#define PSTATE_NZCV   (0xfull << 28)
#define PSTATE_SS     (1ull << 21)
#define PSTATE_IL     (1ull << 20)
#define PSTATE_D      (1ull << 9)
#define PSTATE_A      (1ull << 8)
#define PSTATE_I      (1ull << 7)
#define PSTATE_F      (1ull << 6)
#define PSTATE_DAIF   (0xfull << 6)
#define PSTATE_nRW    (1ull << 4)      /* 1 = AArch32 */
#define PSTATE_M      0x1full
#define PSTATE_MODE_EL0t 0x0
#define PSTATE_MODE_EL1t 0x4
#define PSTATE_MODE_EL1h 0x5

#define SVE_MAX_VQ     16
#define SVE_Z_BYTES    (SVE_MAX_VQ * 16)   /* 256: Z register storage at the largest VL */
#define SVE_P_BYTES    (SVE_MAX_VQ * 2)    /* 32: P register / FFR storage */

struct cpu {
    uint64_t x[31];          /* X0..X30 */
    uint64_t sp_el0;
    uint64_t pc;
    uint64_t pstate;         /* SPSR layout: NZCV, DAIF, nRW, M[3:0] (EL and SPSel) */
    uint64_t sp_el1;
    uint64_t elr_el1;
    uint64_t spsr[5];        /* KVM order: SPSR_EL1, SPSR_abt, SPSR_und, SPSR_irq, SPSR_fiq */
    uint32_t fpsr, fpcr;

    /* FP/SIMD and SVE: Vn is bits [127:0] of Zn, byte k = bits [8k+7:8k]. */
    _Alignas(16) uint8_t z[32][SVE_Z_BYTES];
    uint8_t p[16][SVE_P_BYTES];
    uint8_t ffr[SVE_P_BYTES];

    uint64_t sys[SR_NR];     /* system registers, see regs/slots.h */
};

#endif
