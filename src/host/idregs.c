/*
 * idregs.c - ID register values and other fixed facts of the emulated host.
 *
 * The base values are what Linux 6.1 KVM showed a vCPU with every feature
 * (SVE + PAuth + PMUv3) on QEMU 7.2 `-cpu max` (spec/data/reglist-default-
 * sve-ptrauth-pmu.tsv): the "sanitised host view" KVM starts from. host_derive()
 * then removes what the profile's host lacks, as the host kernel's cpufeature
 * code would; per-vCPU hiding (no SVE feature -> no SVE field) is done at vCPU
 * reset (src/vcpu/reset.c), as KVM's read_id_reg() does.
 */
#include "host/host.h"

#include <string.h>

static const uint64_t qemu_max_id[56] = {
    /* crm 1 */ 0x01020131, 0x10011001, 0x05010009, 0, 0x10101105, 0x40000000, 0x01260000, 0x02122211,
    /* crm 2 */ 0x02101110, 0x13112111, 0x21232042, 0x01112131, 0x00011142, 0x01011121, 0x00011110, 0x01111111,
    /* crm 3 */ 0x10110222, 0x13211111, 0x00000043, 0, 0x00000011, 0, 0x00000001, 0,
    /* crm 4 */ 0x1101001121110222ull, 0x21, 0, 0, 0x0110110100110021ull, 0, 0, 0,
    /* crm 5 */ 0x10305506, 0, 0, 0, 0, 0, 0, 0,
    /* crm 6 */ 0x1221111110212120ull, 0x0011111101211012ull, 0, 0, 0, 0, 0, 0,
    /* crm 7 */ 0x0000032310201126ull, 0x0000001010211122ull, 0x1021011010011011ull, 0, 0, 0, 0, 0,
};

static uint64_t clear_field(uint64_t v, unsigned shift, unsigned width)
{
    return v & ~(((1ull << width) - 1) << shift);
}

static uint64_t set_field(uint64_t v, unsigned shift, unsigned width, uint64_t f)
{
    return clear_field(v, shift, width) | (f << shift);
}

void host_derive(struct host *h)
{
    const struct softkvm_host_profile *p = &h->p;

    h->sve_max_vq = p->sve_vqs ? 32 - (unsigned)__builtin_clz(p->sve_vqs) : 0;
    h->pmcr_n = 6;            /* QEMU max: 6 event counters */
    h->hw_bps = 6;
    h->hw_wps = 4;
    h->midr = 0x000f0510;     /* QEMU max: implementer 0, "max" part */
    h->revidr = 0;
    h->clidr = 0x2000023;     /* L1 I+D separate, L2 unified, LoUU/LoC as measured */
    h->aidr = 0;
    h->ctr = 0x9444c004;
    memset(h->ccsidr, 0, sizeof h->ccsidr);
    h->ccsidr[0] = 0x701fe00a; /* L1 D */
    h->ccsidr[1] = 0x201fe012; /* L1 I */
    h->ccsidr[2] = 0x70ffe07a; /* L2 unified */
    h->fw_wa1 = 2;            /* WORKAROUND_1 not required (measured) */
    h->fw_wa2 = 0;
    h->fw_wa3 = 0;

    memcpy(h->id, qemu_max_id, sizeof h->id);
    uint64_t *pfr0 = &h->id[host_id_index(4, 0)];
    if (!p->sve_vqs) {
        *pfr0 = clear_field(*pfr0, 32, 4);          /* ID_AA64PFR0_EL1.SVE */
        h->id[host_id_index(4, 4)] = 0;              /* ID_AA64ZFR0_EL1 */
    }
    if (!p->el1_32bit)
        *pfr0 = set_field(*pfr0, 4, 4, 1);           /* PFR0.EL1: AArch64 only */
    if (!p->pmu) {
        h->id[host_id_index(5, 0)] = clear_field(h->id[host_id_index(5, 0)], 8, 4);   /* DFR0.PMUVer */
        h->id[host_id_index(1, 2)] = clear_field(h->id[host_id_index(1, 2)], 24, 4);  /* ID_DFR0.PerfMon */
        h->pmcr_n = 0;
    }
    if (!p->ptrauth) {
        uint64_t *isar1 = &h->id[host_id_index(6, 1)];
        *isar1 = clear_field(*isar1, 4, 4);   /* APA */
        *isar1 = clear_field(*isar1, 8, 4);   /* API */
        *isar1 = clear_field(*isar1, 24, 4);  /* GPA */
        *isar1 = clear_field(*isar1, 28, 4);  /* GPI */
        uint64_t *isar2 = &h->id[host_id_index(6, 2)];
        *isar2 = clear_field(*isar2, 8, 4);   /* GPA3 */
        *isar2 = clear_field(*isar2, 12, 4);  /* APA3 */
    }
}
