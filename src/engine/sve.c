/*
 * sve.c - SVE state the engine exposes before SVE execution exists.
 *
 * Spec 7 (measured on Linux 6.1): the effective vector length at EL1/EL0 is
 * the largest VQ the vCPU supports that is <= min(ZCR_EL1.LEN + 1, its maximum
 * VQ); ZCR_EL1 resets to 0, so a fresh vCPU runs at 128 bits. Example from the
 * {1,2,4} host: LEN = 2 requests VQ 3 and gets VQ 2 (32 bytes).
 */
#include "engine/internal.h"

unsigned engine_sve_vl_bytes(const struct cpu *cpu, const struct engine_env *env)
{
    uint32_t vqs = env->sve_vqs;
    if (!env->vcpu_has_sve || !vqs)
        return 0;
    unsigned want = (unsigned)(cpu->sys[SR_ZCR_EL1] & 0xf) + 1;
    for (unsigned vq = want; vq >= 1; vq--)
        if (vqs & (1u << (vq - 1)))
            return 16 * vq;
    return 16;   /* VQ 1 is always in a valid set (spec 3.5) */
}
