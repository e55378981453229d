/*
 * mmu.c - stage-1 address translation of the EL1&0 regime (VMSAv8-64).
 *
 * What is modelled (Arm ARM D8, "The AArch64 Virtual Memory System
 * Architecture"; the host is QEMU 7.2 -cpu max, whose ID registers the guest
 * sees: ID_AA64MMFR0 0x0000032310201126, MMFR1 0x0000001010211122, MMFR2
 * 0x1021011010011011):
 * - TTBR0_EL1 / TTBR1_EL1 chosen by VA bit 55, T0SZ/T1SZ (16..48, 12 for the
 *   64K granule: FEAT_LVA, FEAT_TTST; outside that range a level 0
 *   translation fault, as QEMU chooses), EPD0/EPD1, E0PD0/E0PD1, TBI0/TBI1
 *   (TBID0/TBID1 keep instruction addresses untagged);
 * - 4K, 16K and 64K granules, the start level from the input size, table,
 *   block (4K: levels 1-2, 16K: level 2, 64K: levels 1-2) and page
 *   descriptors; 52-bit output addresses with the 64K granule (FEAT_LPA:
 *   OA[51:48] in descriptor bits 15:12, TTBR bits 5:2); IPS caps the output
 *   address (Address size fault); TCR_EL1.DS (FEAT_LPA2) is not modelled;
 * - AP[2:1], APTable, UXN/PXN, UXNTable/PXNTable (unless TCR_EL1.HPD0/HPD1),
 *   "writable at EL0 implies PXN", SCTLR_EL1.WXN, PSTATE.PAN (FEAT_PAN);
 * - the Access flag (AF = 0: Access flag fault) and, when TCR_EL1.HA/HD ask
 *   for it, hardware AF and dirty-state (DBM) updates (FEAT_HAFDBS, which the
 *   host advertises) done with a compare-and-swap on the descriptor;
 * - a walk that reads an IPA outside every memslot: on KVM the stage-2 fault
 *   of the walk becomes an injected synchronous external abort (6.1
 *   mmu.c:kvm_handle_guest_abort -> inject_fault.c:inject_abt64; spec 4.8).
 * Fault priority as the Arm ARM's: translation / address size during the
 * walk, then Access flag, then permission.
 *
 * Not modelled: ASIDs and VMIDs as TLB tags (every TTBR write drops all
 * cached translations instead), the contiguous hint, memory types beyond
 * reporting MAIR attributes (no alignment faults on Device memory), stage 2
 * (KVM's stage 2 is the memslot map).
 */
#include "engine/internal.h"

#define TCR_EPD0   (1ull << 7)
#define TCR_EPD1   (1ull << 23)
#define TCR_TBI0   (1ull << 37)
#define TCR_TBI1   (1ull << 38)
#define TCR_HA     (1ull << 39)
#define TCR_HD     (1ull << 40)
#define TCR_HPD0   (1ull << 41)
#define TCR_HPD1   (1ull << 42)
#define TCR_TBID0  (1ull << 51)
#define TCR_TBID1  (1ull << 52)
#define TCR_E0PD0  (1ull << 55)
#define TCR_E0PD1  (1ull << 56)
#define SCTLR_M    (1ull << 0)
#define SCTLR_WXN  (1ull << 19)
#define PSTATE_PAN (1ull << 22)

#define D_AF       (1ull << 10)
#define D_AP2      (1ull << 7)   /* read-only */
#define D_DBM      (1ull << 51)

/* ---- state changes ------------------------------------------------------ */

void mmu_flush(struct run *r)
{
    r->mmu.gen++;
    engine_tlb_flush(r);
    engine_new_stamp(r);     /* jump cache and far branch links check pages again */
}

void mmu_sync(struct run *r)
{
    const uint64_t *sys = r->cpu->sys;
    struct mmu_state *m = &r->mmu;
    /* Fast path (every engine_run and exception entry): off and staying off. */
    if (likely(!m->on && !(sys[SR_SCTLR_EL1] & SCTLR_M) && !m->ctx))
        return;
    if (unlikely(sys[SR_SCTLR_EL1] != m->sctlr || sys[SR_TCR_EL1] != m->tcr ||
                 sys[SR_TTBR0_EL1] != m->ttbr0 || sys[SR_TTBR1_EL1] != m->ttbr1 ||
                 sys[SR_MAIR_EL1] != m->mair)) {
        /* With the MMU off and staying off only M matters: the other
         * registers may change freely (a boot path setting them up) without
         * throwing away the TLB. SCTLR bits other than M and WXN do not
         * change translations either. */
        bool was_on = m->on;
        bool on = sys[SR_SCTLR_EL1] & SCTLR_M;
        bool relevant = was_on != on ||
                        (on && (((sys[SR_SCTLR_EL1] ^ m->sctlr) & SCTLR_WXN) || sys[SR_TCR_EL1] != m->tcr ||
                                sys[SR_TTBR0_EL1] != m->ttbr0 || sys[SR_TTBR1_EL1] != m->ttbr1 ||
                                sys[SR_MAIR_EL1] != m->mair));
        m->sctlr = sys[SR_SCTLR_EL1];
        m->tcr = sys[SR_TCR_EL1];
        m->ttbr0 = sys[SR_TTBR0_EL1];
        m->ttbr1 = sys[SR_TTBR1_EL1];
        m->mair = sys[SR_MAIR_EL1];
        m->on = on;
        if (relevant)
            mmu_flush(r);
    }
    uint8_t ctx = 0;
    if (m->on) {
        ctx = MMU_CTX_ON;
        if (r->el == 0)
            ctx |= MMU_CTX_EL0;
        else if (r->cpu->pstate & PSTATE_PAN)
            ctx |= MMU_CTX_PAN;
    }
    if (unlikely(ctx != m->ctx)) {
        /* TLB entries hold the permissions of one context. Instruction-side
         * permissions depend on the EL only: pages checked for the old EL
         * (jump cache, far branch links) are checked again when it changes. */
        bool el_changed = (ctx ^ m->ctx) & MMU_CTX_EL0;
        if ((ctx | m->ctx) & MMU_CTX_ON) {
            engine_tlb_flush(r);
            if (el_changed)
                engine_new_stamp(r);
        }
        m->ctx = ctx;
    }
}

/* ---- faults ------------------------------------------------------------- */

uint64_t mmu_fault_esr(const struct run *r, uint32_t fault, bool write, bool fetch)
{
    uint32_t ec = fetch ? (r->el ? EC_IABT_CUR : EC_IABT_LOW) : (r->el ? EC_DABT_CUR : EC_DABT_LOW);
    if (fault & MMU_F_WALK_EA) {
        /* KVM's injected external abort: FSC 0x10, no WnR, and `EC << 26`
         * computed as an int, sign-extended into ESR's upper half (spec 4.8). */
        return (uint64_t)(int64_t)(int32_t)((ec << 26) | ESR_IL | 0x10);
    }
    /* Arm ARM ESR_ELx ISS for aborts: ISV = 0, WnR (data only), DFSC/IFSC. */
    return ((uint64_t)ec << 26) | ESR_IL | (write && !fetch ? 1u << 6 : 0) | (fault & 0x3f);
}

/* ---- the walk ------------------------------------------------------------ */

/* Descriptor at IPA pa: host pointer, or NULL outside every memslot. */
static uint64_t *desc_ptr(struct run *r, uint64_t pa)
{
    const struct memslot *s = memslots_find(r->ms, pa);
    if (!s)
        return NULL;
    return (uint64_t *)(void *)(s->hva + (pa - s->gpa));
}

/* IPS (TCR_EL1[34:32]) to bits, capped at the host's PARange (52). */
static unsigned pa_bits(uint64_t tcr, unsigned gbits)
{
    static const uint8_t ips[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    unsigned b = ips[(tcr >> 32) & 7];
    /* 52-bit output needs the 64K granule (FEAT_LPA) or TCR.DS (not modelled). */
    if (b == 52 && gbits != 16)
        b = 48;
    return b;
}

/* Output address field of a table/block/page descriptor: bits [47:lo] and,
 * with the 64K granule, OA[51:48] from bits 15:12 (FEAT_LPA). With 4K/16K
 * bits 49:48 are kept (RES0 without TCR.DS) so that a nonzero value is an
 * Address size fault, as QEMU's 50-bit descriptor address mask makes it. */
static uint64_t desc_oa(uint64_t desc, unsigned lo, unsigned gbits)
{
    if (gbits == 16)
        return (desc & 0x0000ffffffffffffull & ~((1ull << lo) - 1)) | (((desc >> 12) & 0xf) << 48);
    return desc & 0x0003ffffffffffffull & ~((1ull << lo) - 1);
}

uint32_t mmu_translate(struct run *r, uint64_t va, unsigned acc, struct mmu_out *o)
{
    const uint64_t *sys = r->cpu->sys;
    bool el0 = acc & MMU_CTX_EL0;
    if (!(sys[SR_SCTLR_EL1] & SCTLR_M)) {
        o->pa = va;
        o->rw = 3;
        o->xperm = 3;
        o->attr = 0;             /* Device-nGnRnE, outer shareable (stage 1 off) */
        o->sh = 2;
        return 0;
    }
    uint64_t tcr = sys[SR_TCR_EL1];
    bool hi = (va >> 55) & 1;
    unsigned tsz = (unsigned)(hi ? (tcr >> 16) : tcr) & 63;
    bool tbi = tcr & (hi ? TCR_TBI1 : TCR_TBI0);
    if ((acc & MMU_EXEC) && (tcr & (hi ? TCR_TBID1 : TCR_TBID0)))
        tbi = false;
    unsigned tg = (unsigned)(hi ? (tcr >> 30) : (tcr >> 14)) & 3;
    unsigned gbits;
    if (hi)
        gbits = tg == 1 ? 14 : tg == 3 ? 16 : 12;    /* TG1: 01 16K, 10 4K, 11 64K */
    else
        gbits = tg == 2 ? 14 : tg == 1 ? 16 : 12;    /* TG0: 00 4K, 01 64K, 10 16K */
    /* Reserved TGx values are taken as 4K (IMPLEMENTATION DEFINED choice). */
    unsigned min_tsz = gbits == 16 ? 12 : 16;
    unsigned max_tsz = gbits == 16 ? 47 : 48;
    unsigned level = 0;
    if (tsz < min_tsz || tsz > max_tsz)
        return MMU_FSC_XLAT | 0;
    unsigned inputsize = 64 - tsz;
    /* VA[top:inputsize] must equal bit 55 (all zeros for TTBR0, ones for TTBR1). */
    unsigned top = tbi ? 55 : 63;
    uint64_t upper = (va >> inputsize) & ((2ull << (top - inputsize)) - 1);
    uint64_t want = hi ? ((2ull << (top - inputsize)) - 1) : 0;
    if (upper != want)
        return MMU_FSC_XLAT | 0;
    if (tcr & (hi ? TCR_EPD1 : TCR_EPD0))
        return MMU_FSC_XLAT | 0;
    if (el0 && (tcr & (hi ? TCR_E0PD1 : TCR_E0PD0)))
        return MMU_FSC_XLAT | 0;

    unsigned stride = gbits - 3;
    unsigned nlevels = (inputsize - gbits + stride - 1) / stride;
    unsigned start = 4 - nlevels;
    unsigned pbits = pa_bits(tcr, gbits);
    uint64_t ttbr = sys[hi ? SR_TTBR1_EL1 : SR_TTBR0_EL1];
    unsigned sbits = inputsize - (gbits + (3 - start) * stride);   /* index bits at the start level */
    uint64_t base = ttbr & 0x0000fffffffffffeull;
    uint64_t align = 8ull << sbits;
    if (pbits == 52) {
        base = (ttbr & 0x0000ffffffffffc0ull) | ((ttbr & 0x3cull) << 46);
        if (align < 64)
            align = 64;
    }
    base &= ~(align - 1);        /* BADDR bits below the table size are RES0 */
    if (base >> pbits)
        return MMU_FSC_ADDR_SIZE | 0;

    bool hpd = tcr & (hi ? TCR_HPD1 : TCR_HPD0);
    unsigned ap_table = 0;
    bool pxn_table = false, uxn_table = false;
    uint64_t desc, *dp;
    unsigned shift;
    for (level = start;; level++) {
        shift = gbits + (3 - level) * stride;
        unsigned ibits = level == start ? sbits : stride;
        uint64_t dpa = base + ((va >> shift) & ((1ull << ibits) - 1)) * 8;
        dp = desc_ptr(r, dpa);
        if (!dp)
            return MMU_F_WALK_EA;
        desc = __atomic_load_n(dp, __ATOMIC_RELAXED);
        if (!(desc & 1))
            return MMU_FSC_XLAT | level;
        if (level == 3) {
            if (!(desc & 2))
                return MMU_FSC_XLAT | level;     /* 0b01 at level 3 is reserved */
            break;
        }
        if (!(desc & 2)) {
            /* Block: 4K at levels 1 and 2, 16K at level 2, 64K at 1 (FEAT_LPA) and 2. */
            bool ok = level == 2 || (level == 1 && gbits != 14);
            if (!ok)
                return MMU_FSC_XLAT | level;
            break;
        }
        base = desc_oa(desc, gbits, gbits);
        if (base >> pbits)
            return MMU_FSC_ADDR_SIZE | level;
        if (!hpd) {
            ap_table |= (unsigned)(desc >> 61) & 3;
            pxn_table |= (desc >> 59) & 1;
            uxn_table |= (desc >> 60) & 1;
        }
    }
    uint64_t oa = desc_oa(desc, shift, gbits);
    if (oa >> pbits)
        return MMU_FSC_ADDR_SIZE | level;

    /* Permissions (Arm ARM D8.4): AP[1] = EL0 access, AP[2] = read-only. */
    unsigned ap = (unsigned)(desc >> 6) & 3;
    if (ap_table & 1)
        ap &= ~1u;               /* APTable[0]: no EL0 access below */
    if (ap_table & 2)
        ap |= 2;                 /* APTable[1]: read-only below */
    bool r0 = ap & 1, w0 = ap == 1, w1 = !(ap & 2);
    bool x0 = !((desc >> 54) & 1) && !uxn_table;
    bool x1 = !((desc >> 53) & 1) && !pxn_table && !w0;   /* EL0-writable is PXN */
    if (sys[SR_SCTLR_EL1] & SCTLR_WXN) {
        x0 = x0 && !w0;
        x1 = x1 && !w1;
    }
    bool pan = (acc & MMU_CTX_PAN) && r0;
    bool rd = el0 ? r0 : !pan;
    bool wr = el0 ? w0 : (w1 && !pan);
    /* FEAT_HAFDBS dirty state: a writable-clean page (DBM set, AP[2] set in
     * the descriptor itself, not forced by APTable) becomes writable on the
     * first write. */
    bool dirtyable = (tcr & TCR_HD) && (desc & D_DBM) && !(ap_table & 2) && (el0 ? r0 : !pan);

    uint64_t upd = desc;
    if (!(desc & D_AF)) {
        if (!(tcr & TCR_HA))
            return MMU_FSC_AF | level;
        upd |= D_AF;             /* hardware Access flag update */
    }
    if (!(acc & MMU_NOPERM)) {
        bool ok;
        if (acc & MMU_EXEC)
            ok = el0 ? x0 : x1;
        else if (acc & MMU_WRITE)
            ok = wr || dirtyable;
        else
            ok = rd;
        if (!ok)
            return MMU_FSC_PERM | level;
        if ((acc & MMU_WRITE) && !wr) {
            upd &= ~D_AP2;       /* hardware dirty-state update */
            wr = true;
        }
    }
    if (upd != desc && !(acc & MMU_NOUPDATE)) {
        /* The descriptor may have changed under us (another vCPU, the VMM):
         * update only what we read; on a race just retry the whole walk. */
        gmem_probe_w(dp);
        if (!__atomic_compare_exchange_n(dp, &desc, upd, false, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
            return mmu_translate(r, va, acc, o);
    }
    o->pa = oa | (va & ((1ull << shift) - 1));
    o->rw = (uint8_t)((rd ? 1 : 0) | (wr ? 2 : 0));
    o->xperm = (uint8_t)((x0 ? 1 : 0) | (x1 ? 2 : 0));
    o->attr = (uint8_t)(sys[SR_MAIR_EL1] >> (8 * ((desc >> 2) & 7)));
    o->sh = (uint8_t)((desc >> 8) & 3);
    return 0;
}
