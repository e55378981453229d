/*
 * mem.c - guest data accesses that miss the software TLB, and MMIO exits.
 *
 * An access first goes through stage-1 translation (mmu.c; the identity with
 * the MMU off), one virtual page at a time: an access straddling two pages is
 * translated twice and may fault on either (FAR = the first byte in the
 * faulting page). The IPA is then checked against the memslots snapshot
 * (r->ms). Inside a slot it is a host memory access; outside every slot, or a
 * write to a KVM_MEM_READONLY slot, it is an exit to the VMM (spec 4.3) that
 * reports the IPA. A translation fault, permission fault etc. is recorded in
 * r->mmu (acc_esr) and the caller's exit path (engine_mmio_exit or
 * engine_nisv_exit, which every slow path already ends in) takes the data
 * abort instead of exiting: handlers need not know about the MMU.
 *
 * The TLB remembers, per virtual page, the host address and whether reads and
 * writes of the current access context (EL, PAN) may use it directly. Writes
 * are kept off the fast path for read-only slots and for IPA pages holding
 * decoded code, so that every store to code goes through engine_code_written
 * (self-modifying code, also through another virtual alias).
 */
#include "engine/internal.h"

void engine_tlb_flush(struct run *r)
{
    for (unsigned i = 0; i < TLB_N; i++) {
        r->tlb[i].tag_r = TLB_INVALID;
        r->tlb[i].tag_w = TLB_INVALID;
        r->tlb[i].addend = 0;
        r->tlb[i].pa = TLB_INVALID;
    }
}

/* Remember va's page -> pa's page (in slot s) with the permissions the
 * translation gave for the current context. */
static void tlb_fill(struct run *r, uint64_t va, uint64_t pa, const struct memslot *s, unsigned rw)
{
    uint64_t page = va & PAGE_MASK, ppage = pa & PAGE_MASK;
    struct tlbe *t = &r->tlb[(page >> PAGE_SHIFT) & (TLB_N - 1)];
    t->tag_r = (rw & 1) ? page : TLB_INVALID;
    t->addend = (uintptr_t)(s->hva + (ppage - s->gpa)) - (uintptr_t)page;
    t->pa = ppage;
    bool writable = (rw & 2) && !(s->flags & MEMSLOT_READONLY) && !engine_code_on(r->cache, ppage);
    t->tag_w = writable ? page : TLB_INVALID;
}

/* Translate the part of an access that lies in one virtual page. On a fault
 * the data abort is recorded (r->mmu.acc_esr/acc_far). */
static bool xlate(struct run *r, uint64_t va, bool write, unsigned ctx, struct mmu_out *o)
{
    if (!(r->mmu.ctx & MMU_CTX_ON)) {
        o->pa = va;              /* MMU off (mmu_translate's answer, without the call) */
        o->rw = 3;
        return true;
    }
    uint32_t f = mmu_translate(r, va, (write ? MMU_WRITE : MMU_READ) | ctx, o);
    if (likely(!f))
        return true;
    r->mmu.acc_esr = mmu_fault_esr(r, f, write, false);
    r->mmu.acc_far = va;
    return false;
}

/* The host address of [pa, pa+n) when it lies in one RAM slot (n <= page). */
static uint8_t *ram_at(struct run *r, uint64_t pa, unsigned n, bool write, const struct memslot **sp)
{
    const struct memslot *s = memslots_find(r->ms, pa);
    if (!s || s->size - (pa - s->gpa) < n)
        return NULL;
    if (write && (s->flags & MEMSLOT_READONLY))
        return NULL;
    *sp = s;
    return s->hva + (pa - s->gpa);
}

/* One access of len bytes (at most two pages): translate, then copy. */
static __attribute__((noinline)) bool access_mmu(struct run *r, uint64_t va, unsigned len, void *buf, bool write,
                                                 unsigned ctx)
{
    struct mmu_state *m = &r->mmu;
    m->acc_va = va;
    m->acc_esr = 0;
    unsigned n1 = (unsigned)(PAGE_SIZE - (va & (PAGE_SIZE - 1)));
    if (n1 > len)
        n1 = len;
    struct mmu_out o1, o2;
    if (!xlate(r, va, write, ctx, &o1))
        return false;
    m->acc_pa = o1.pa;
    if (n1 < len && !xlate(r, va + n1, write, ctx, &o2))
        return false;
    const struct memslot *s1, *s2 = NULL;
    uint8_t *h1 = ram_at(r, o1.pa, n1, write, &s1), *h2 = NULL;
    if (!h1)
        return false;
    if (n1 < len && !(h2 = ram_at(r, o2.pa, len - n1, write, &s2)))
        return false;
    if (write) {
        if (h2)
            gmem_touch_w(h2);   /* the second page faults before the first is written */
        engine_code_written(r, o1.pa, n1);
        if (h2)
            engine_code_written(r, o2.pa, len - n1);
        gmem_write(h1, buf, n1);
        if (h2)
            gmem_write(h2, (const uint8_t *)buf + n1, len - n1);
    } else {
        gmem_read(buf, h1, n1);
        if (h2)
            gmem_read((uint8_t *)buf + n1, h2, len - n1);
    }
    /* Only translations of the current context may serve the fast path. */
    if (ctx == (m->ctx & (MMU_CTX_EL0 | MMU_CTX_PAN)))
        tlb_fill(r, va, o1.pa, s1, o1.rw);
    return true;
}

static unsigned cur_ctx(const struct run *r)
{
    return r->mmu.ctx & (MMU_CTX_EL0 | MMU_CTX_PAN);
}

/* The MMU-off access within one page (most TLB misses and every MMIO exit
 * of an MMU-off guest) without the translation machinery. */
static inline bool mem_access(struct run *r, uint64_t va, unsigned len, void *buf, bool write, unsigned ctx)
{
    struct mmu_state *m = &r->mmu;
    if (!(m->ctx & MMU_CTX_ON) && (va & (PAGE_SIZE - 1)) + len <= PAGE_SIZE) {
        m->acc_va = va;
        m->acc_pa = va;
        m->acc_esr = 0;
        const struct memslot *s;
        uint8_t *h = ram_at(r, va, len, write, &s);
        if (!h)
            return false;
        if (write) {
            engine_code_written(r, va, len);
            gmem_write(h, buf, len);
        } else {
            gmem_read(buf, h, len);
        }
        tlb_fill(r, va, va, s, 3);
        return true;
    }
    return access_mmu(r, va, len, buf, write, ctx);
}

bool mem_read_slow(struct run *r, uint64_t addr, unsigned len, void *dst)
{
    return mem_access(r, addr, len, dst, false, cur_ctx(r));
}

bool mem_write_slow(struct run *r, uint64_t addr, unsigned len, const void *src)
{
    return mem_access(r, addr, len, (void *)(uintptr_t)src, true, cur_ctx(r));
}

bool mem_read_as(struct run *r, uint64_t va, unsigned len, void *dst, unsigned ctx)
{
    return mem_access(r, va, len, dst, false, ctx);
}

bool mem_write_as(struct run *r, uint64_t va, unsigned len, const void *src, unsigned ctx)
{
    return mem_access(r, va, len, (void *)(uintptr_t)src, true, ctx);
}

uint8_t *mem_host_rw(struct run *r, uint64_t addr, unsigned len, bool write)
{
    uint8_t *p = write ? tlb_write(r, addr, len) : tlb_read(r, addr, len);
    if (p)
        return p;
    struct mmu_state *m = &r->mmu;
    m->acc_va = addr;
    m->acc_esr = 0;
    struct mmu_out o;
    unsigned ctx = cur_ctx(r);
    if (!xlate(r, addr, write, ctx, &o))
        return NULL;
    m->acc_pa = o.pa;
    const struct memslot *s;
    /* The caller guarantees alignment, so [addr, addr+len) is in one page. */
    p = ram_at(r, o.pa, len, write, &s);
    if (!p)
        return NULL;
    if (write)
        engine_code_written(r, o.pa, len);
    tlb_fill(r, addr, o.pa, s, o.rw);
    return p;
}

/* What the access at va that could not be done was: a fault already taken
 * into account (returns the ESR), or the IPA to report. An exit path called
 * without a slow access before it (or for another address) translates now. */
static uint64_t exit_ipa(struct run *r, uint64_t va, bool write, uint64_t *esr)
{
    struct mmu_state *m = &r->mmu;
    if (m->acc_va != va) {
        struct mmu_out o;
        m->acc_va = va;
        m->acc_esr = 0;
        if (xlate(r, va, write, cur_ctx(r), &o))
            m->acc_pa = o.pa;
    }
    *esr = m->acc_esr;
    return m->acc_pa;
}

/* KVM injects an external abort for an IPA beyond the VM's IPA size before it
 * looks at the syndrome (so also for accesses that would exit NISV). */
static bool beyond_ipa(const struct run *r, uint64_t ipa)
{
    unsigned bits = r->env->ipa_bits;
    return bits && bits < 64 && (ipa >> bits) != 0;
}

static unsigned arch_reg(unsigned slot)
{
    return slot > 30 ? 31 : slot;
}

struct dinsn *engine_mmio_exit(struct run *r, struct dinsn *d, uint64_t addr, unsigned len,
                               bool write, uint64_t val, unsigned rt_slot, bool sext, bool sf)
{
    uint64_t esr, ipa = exit_ipa(r, addr, write, &esr);
    if (esr)
        return engine_exception(r, esr, true, r->mmu.acc_far, pc_of(r, d));
    if (beyond_ipa(r, ipa))
        return engine_exception(r, mmu_fault_esr(r, MMU_F_WALK_EA, write, false), true, ipa, pc_of(r, d));
    struct engine_exit *o = r->out;
    o->kind = ENGINE_EXIT_MMIO;
    o->mmio.addr = ipa;         /* KVM_EXIT_MMIO.phys_addr is an IPA */
    o->mmio.len = len;
    o->mmio.is_write = write;
    for (unsigned i = 0; i < 8; i++)
        o->mmio.data[i] = write && i < len ? (uint8_t)(val >> (8 * i)) : 0;
    o->mmio.rt = (uint8_t)arch_reg(rt_slot);
    o->mmio.sign_extend = sext;
    o->mmio.sf = sf;
    return engine_stop(r, pc_of(r, d));
}

struct dinsn *engine_nisv_exit(struct run *r, struct dinsn *d, uint64_t addr, unsigned len, bool write)
{
    uint64_t esr, ipa = exit_ipa(r, addr, write, &esr);
    if (esr)
        return engine_exception(r, esr, true, r->mmu.acc_far, pc_of(r, d));
    if (beyond_ipa(r, ipa))
        return engine_exception(r, mmu_fault_esr(r, MMU_F_WALK_EA, write, false), true, ipa, pc_of(r, d));
    struct engine_exit *o = r->out;
    o->kind = ENGINE_EXIT_NISV;
    o->mmio.addr = ipa;
    o->mmio.len = len;
    o->mmio.is_write = write;
    memset(o->mmio.data, 0, sizeof o->mmio.data);
    o->mmio.rt = 31;
    o->mmio.sign_extend = false;
    o->mmio.sf = true;
    return engine_stop(r, pc_of(r, d));
}
