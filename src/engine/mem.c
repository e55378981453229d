/*
 * mem.c - guest data accesses that miss the software TLB, and MMIO exits.
 *
 * Every access is checked against the memslots snapshot (r->ms). Inside a
 * slot it is a host memory access; outside every slot, or a write to a
 * KVM_MEM_READONLY slot, it is an exit to the VMM (spec 4.3). An access that
 * runs past the end of a slot continues into the next slot only if that one
 * starts exactly there, so no byte outside a slot is ever touched.
 *
 * The TLB remembers, per guest page, the host address and whether reads and
 * writes may use it directly. Writes are kept off the fast path for read-only
 * slots and for pages holding decoded code, so that every store to code goes
 * through engine_code_written (self-modifying code).
 */
#include "engine/internal.h"

void engine_tlb_flush(struct run *r)
{
    for (unsigned i = 0; i < TLB_N; i++) {
        r->tlb[i].tag_r = TLB_INVALID;
        r->tlb[i].tag_w = TLB_INVALID;
        r->tlb[i].addend = 0;
    }
}

static void tlb_fill(struct run *r, uint64_t addr, const struct memslot *s)
{
    uint64_t page = addr & PAGE_MASK;
    struct tlbe *t = &r->tlb[(page >> PAGE_SHIFT) & (TLB_N - 1)];
    t->tag_r = page;
    t->addend = (uintptr_t)s->hva - (uintptr_t)s->gpa;
    const struct cpage *p = (s->flags & MEMSLOT_READONLY) ? NULL : engine_page_find(r->cache, page);
    bool writable = !(s->flags & MEMSLOT_READONLY) && !(p && p->code_bits);
    t->tag_w = writable ? page : TLB_INVALID;
}

/* Up to two slots covering [addr, addr+len): the part in s1 is n1 bytes. */
static bool slots_for(struct run *r, uint64_t addr, unsigned len, const struct memslot **s1,
                      const struct memslot **s2, unsigned *n1)
{
    *s1 = memslots_find(r->ms, addr);
    if (!*s1)
        return false;
    uint64_t avail = (*s1)->size - (addr - (*s1)->gpa);
    if (avail >= len) {
        *s2 = NULL;
        *n1 = len;
        return true;
    }
    *n1 = (unsigned)avail;
    *s2 = memslots_find(r->ms, addr + avail);
    /* Slots are at least a page, so the rest (< 64 bytes) fits in the next one. */
    return *s2 && (*s2)->gpa == addr + avail;
}

bool mem_read_slow(struct run *r, uint64_t addr, unsigned len, void *dst)
{
    const struct memslot *s1, *s2;
    unsigned n1;
    if (!slots_for(r, addr, len, &s1, &s2, &n1))
        return false;
    gmem_read(dst, s1->hva + (addr - s1->gpa), n1);
    if (s2)
        gmem_read((uint8_t *)dst + n1, s2->hva, len - n1);
    tlb_fill(r, addr, s1);
    return true;
}

bool mem_write_slow(struct run *r, uint64_t addr, unsigned len, const void *src)
{
    const struct memslot *s1, *s2;
    unsigned n1;
    if (!slots_for(r, addr, len, &s1, &s2, &n1))
        return false;
    if ((s1->flags & MEMSLOT_READONLY) || (s2 && (s2->flags & MEMSLOT_READONLY)))
        return false;
    engine_code_written(r, addr, len);
    gmem_write(s1->hva + (addr - s1->gpa), src, n1);
    if (s2)
        gmem_write(s2->hva, (const uint8_t *)src + n1, len - n1);
    tlb_fill(r, addr, s1);
    return true;
}

uint8_t *mem_host_rw(struct run *r, uint64_t addr, unsigned len, bool write)
{
    uint8_t *p = write ? tlb_write(r, addr, len) : tlb_read(r, addr, len);
    if (p)
        return p;
    const struct memslot *s = memslots_find(r->ms, addr);
    if (!s || addr - s->gpa > s->size - len)
        return NULL;
    if (write) {
        if (s->flags & MEMSLOT_READONLY)
            return NULL;
        engine_code_written(r, addr, len);
    }
    tlb_fill(r, addr, s);
    return s->hva + (addr - s->gpa);
}

static unsigned arch_reg(unsigned slot)
{
    return slot > 30 ? 31 : slot;
}

struct dinsn *engine_mmio_exit(struct run *r, struct dinsn *d, uint64_t addr, unsigned len,
                               bool write, uint64_t val, unsigned rt_slot, bool sext, bool sf)
{
    struct engine_exit *o = r->out;
    o->kind = ENGINE_EXIT_MMIO;
    o->mmio.addr = addr;
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
    struct engine_exit *o = r->out;
    o->kind = ENGINE_EXIT_NISV;
    o->mmio.addr = addr;
    o->mmio.len = len;
    o->mmio.is_write = write;
    memset(o->mmio.data, 0, sizeof o->mmio.data);
    o->mmio.rt = 31;
    o->mmio.sign_extend = false;
    o->mmio.sf = true;
    return engine_stop(r, pc_of(r, d));
}
