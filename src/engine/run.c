/*
 * run.c - the engine's run loop and its cache of decoded code.
 *
 * engine_run() loads the vCPU's general registers into the run state, finds
 * the decoded entry for PC and runs chains of at most CHUNK instructions (each
 * handler continues with the next, see NEXT in internal.h) until a handler
 * returns NULL (an exit: MMIO, HVC, WFI, ...). Every CHUNK instructions (and
 * at entry) it polls the kick flag, the instruction budget, the memslot
 * generation and the VM's code generation: no per-instruction bookkeeping
 * besides a counter.
 *
 * Decoded code lives in struct cpage (internal.h), one per virtual page of
 * code and IPA page it maps to (the same with the MMU off), found through a
 * small direct-mapped jump cache, then a hash table by virtual address; a
 * second hash by IPA finds every alias when the guest stores to code. A page
 * found by address is used only if its translation was checked in the
 * current translation generation (mmu.c: TLBI and regime changes start a new
 * one) and allows execution at the current EL, else the fetch is translated
 * again: so TLB maintenance keeps decoded code, only re-checks it. Pages are
 * only freed all together (engine_cache_flush, memslot change, size cap);
 * invalidating code written by the guest resets entries to the decode stub,
 * so pointers between entries (pre-linked branches) stay valid.
 *
 * Entry checks: execution enters a page only through engine_lookup (jump
 * cache hit or engine_lookup_slow) or a far branch link (exec/branch.c), and
 * both trust a page only if it was checked in the current stamp
 * (engine_new_stamp: TLBI, EL change with the MMU on, engine_cache_recheck).
 * engine_lookup_slow checks it: translation and execute permission as above,
 * then, after engine_cache_recheck (the VMM may have written guest memory),
 * its decoded chunks against the copy of the bytes they were decoded from
 * (page_recheck). Within a page, sequential flow and same-page links need no
 * check. So a new stamp costs O(1), and each page pays one lookup (and at
 * most one compare of its decoded bytes) the first time it runs afterwards.
 */
#include <stdio.h>
#include <stdlib.h>

#include "engine/internal.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the engine reads guest memory with host loads: little-endian hosts only"
#endif

#define MAX_PAGES 4096      /* decoded pages kept before everything is dropped */

static bool claims_guest_ram(struct hostfault_scope *s, uintptr_t addr, bool addr_known);

/* ---- stubs ------------------------------------------------------------- */

/* Decode entry d from guest memory (out of line: the decode context's address
 * escapes, which would keep x_decode from tail-calling the new handler). */
static __attribute__((noinline)) void decode_entry(struct run *r, struct dinsn *d)
{
    struct cpage *p = cpage_of(d);
    unsigned idx = (unsigned)(d - p->ins);
    fetch_begin(r, p->gpa + 4ull * idx);   /* a host fault below is this fetch's */
    uint64_t bit = 1ull << (idx / 16);
    if (!(p->code_bits & bit)) {
        if (!p->code_bits) {
            /* Stores into this IPA page, through any virtual alias, must now
             * go through mem_write_slow (SMC check). While some page of the
             * IPA holds code no fast write entry is made (mem.c:tlb_fill). */
            for (unsigned i = 0; i < TLB_N; i++)
                if (r->tlb[i].pa == p->pa)
                    r->tlb[i].tag_w = TLB_INVALID;
        }
        /* The chunk's entries decode from this copy, so they always match it
         * and the recheck (page_recheck) is exact. */
        unsigned off = (idx / 16) * 64;
        gmem_read(p->bytes + off, p->hva + off, 64);
        p->code_bits |= bit;
    }
    uint32_t insn;
    memcpy(&insn, p->bytes + 4 * idx, 4);   /* guest instructions are little-endian */
    struct decode dc = {
        .e = d, .pc = p->gpa + 4ull * idx, .insn = insn,
        .features = r->cache->features, .page = p, .env = r->env,
    };
    engine_decode(&dc);
}

static struct dinsn *x_decode(struct run *r, struct dinsn *d, uint64_t n)
{
    decode_entry(r, d);
    return d->fn(r, d, n);
}

static struct dinsn *x_next_page(struct run *r, struct dinsn *d, uint64_t n)
{
    /* Not a guest instruction: continue without counting one. */
    struct dinsn *t = engine_lookup(r, cpage_of(d)->gpa + PAGE_SIZE);
    return t->fn(r, t, n);
}

/* Instruction abort on fetch: stub.imm2 = ESR_EL1, FAR = ELR = the PC. An
 * IPA outside every memslot (also one read by the translation table walk)
 * is KVM's injected synchronous external abort (spec 4.8, mmu_fault_esr). */
static struct dinsn *x_fetch_fault(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t pc = d->imm;
    NEXT(engine_exception(r, d->imm2, true, pc, pc));
}

/* Arm ARM D1.3.4: PC alignment fault on fetch; FAR = ELR = the PC. */
static struct dinsn *x_pc_align(struct run *r, struct dinsn *d, uint64_t n)
{
    uint64_t pc = d->imm;
    NEXT(engine_exception(r, ((uint64_t)EC_PC_ALIGN << 26) | ESR_IL, true, pc, pc));
}

/* Arm ARM D1.4: executing with PSTATE.IL set (after an illegal exception return). */
static struct dinsn *x_illegal_state(struct run *r, struct dinsn *d, uint64_t n)
{
    NEXT(engine_exception(r, ((uint64_t)EC_ILLEGAL << 26) | ESR_IL, false, 0, d->imm));
}

static struct dinsn *x_nomem(struct run *r, struct dinsn *d, uint64_t n)
{
    r->out->kind = ENGINE_EXIT_INTERNAL;
    r->out->internal.msg = "engine: out of memory for decoded code";
    NEXT(engine_stop(r, d->imm));
}

static struct dinsn *arm_stub(struct run *r, exec_fn fn, uint64_t pc)
{
    memset(&r->stub, 0, sizeof r->stub);
    r->stub.fn = fn;
    r->stub.imm = pc;
    return &r->stub;
}

static struct dinsn *fetch_fault_stub(struct run *r, uint64_t pc, uint32_t fault)
{
    struct dinsn *d = arm_stub(r, x_fetch_fault, pc);
    d->imm2 = mmu_fault_esr(r, fault, false, true);
    return d;
}

/* ---- the page cache ---------------------------------------------------- */

static unsigned hash_of(uint64_t gpa)
{
    uint64_t h = (gpa >> PAGE_SHIFT) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> 54) & (HASH_N - 1);
}

bool engine_code_on(struct engine_cache *c, uint64_t pa)
{
    for (struct cpage *p = c->phash[hash_of(pa)]; p; p = p->pnext)
        if (p->pa == pa && p->code_bits)
            return true;
    return false;
}

static struct cpage *page_new(struct engine_cache *c, uint64_t gpa, uint64_t pa, const uint8_t *hva)
{
    void *mem;
    if (posix_memalign(&mem, CPAGE_ALIGN, sizeof(struct cpage)))
        return NULL;
    struct cpage *p = mem;
    for (unsigned i = 0; i < CPAGE_INSNS; i++) {
        memset(&p->ins[i], 0, sizeof p->ins[i]);
        p->ins[i].fn = x_decode;
    }
    memset(&p->ins[CPAGE_INSNS], 0, sizeof p->ins[0]);
    p->ins[CPAGE_INSNS].fn = x_next_page;
    p->gpa = gpa;
    p->hva = hva;
    p->code_bits = 0;
    unsigned h = hash_of(gpa);
    p->hnext = c->hash[h];
    c->hash[h] = p;
    p->lnext = c->pages;
    c->pages = p;
    c->npages++;
    p->pa = pa;
    h = hash_of(pa);
    p->pnext = c->phash[h];
    c->phash[h] = p;
    p->vgen = c->r.mmu.gen;
    p->xperm = 0;
    p->stamp = 0;                /* run.stamp starts at 1 */
    p->vmm_epoch = c->vmm_epoch; /* nothing decoded yet: nothing to compare */
    return p;
}

/* Reset the 16 entries of chunk k to the decode stub. Operands stay: a
 * handler running now may read them. */
static void chunk_forget(struct cpage *p, unsigned k)
{
    p->code_bits &= ~(1ull << k);
    for (unsigned i = 16 * k; i < 16 * k + 16; i++)
        p->ins[i].fn = x_decode;
}

/* Guest memory may have changed behind the engine since the page was last
 * compared (engine_cache_recheck): decode again every chunk whose bytes
 * differ from those its entries came from. Runs of decoded chunks are
 * compared with one memcmp each, chunk by chunk only when they differ. */
static __attribute__((noinline)) void page_recheck(struct engine_cache *c, struct cpage *p)
{
    p->vmm_epoch = c->vmm_epoch;
    c->stat_rechecks++;
    uint64_t bits = p->code_bits;
    while (bits) {
        uint64_t run = bits & ~(bits + (bits & -bits));   /* the lowest run of set bits */
        bits ^= run;
        unsigned lo = (unsigned)__builtin_ctzll(run), len = 64 - (unsigned)__builtin_clzll(run) - lo;
        if (gmem_same(p->hva + 64 * lo, p->bytes + 64 * lo, 64 * len))
            continue;
        for (unsigned k = lo; k < lo + len; k++) {
            if (!gmem_same(p->hva + 64 * k, p->bytes + 64 * k, 64)) {
                chunk_forget(p, k);
                c->stat_stale_chunks++;
            }
        }
    }
}

void engine_new_stamp(struct run *r)
{
    r->stamp++;
    r->jtag = (r->jtag + 4) & (PAGE_SIZE - 4);
    if (!r->jtag) {
        /* The tag wrapped (every 1023 stamps): entries of old stamps could match again. */
        memset(r->jc, 0, sizeof r->jc);
        r->jtag = 4;
    }
}

struct dinsn *engine_lookup_slow(struct run *r, uint64_t pc)
{
    if (pc & 3)
        return arm_stub(r, x_pc_align, pc);
    fetch_begin(r, pc);                 /* the table walk below reads guest memory */
    struct engine_cache *c = r->cache;
    uint64_t va = pc & PAGE_MASK;
    unsigned h = hash_of(va);
    struct cpage *p;
    for (p = c->hash[h]; p; p = p->hnext)
        if (p->gpa == va && p->vgen == r->mmu.gen && ((p->xperm >> r->el) & 1))
            break;
    if (!p) {
        /* Not checked in this translation generation: translate the fetch. */
        struct mmu_out o;
        uint32_t f = mmu_translate(r, pc, MMU_EXEC | (r->el ? 0 : MMU_CTX_EL0), &o);
        if (f)
            return fetch_fault_stub(r, pc, f);
        uint64_t pa = o.pa & PAGE_MASK;
        for (p = c->hash[h]; p; p = p->hnext)
            if (p->gpa == va && p->pa == pa)
                break;
        if (!p) {
            const struct memslot *s = memslots_find(r->ms, pa);
            if (!s)
                return fetch_fault_stub(r, pc, MMU_F_WALK_EA);
            p = page_new(c, va, pa, s->hva + (pa - s->gpa));
            if (!p)
                return arm_stub(r, x_nomem, pc);
        }
        p->vgen = r->mmu.gen;
        p->xperm = o.xperm;
    }
    if (unlikely(p->vmm_epoch != c->vmm_epoch))
        page_recheck(c, p);
    p->stamp = r->stamp;
    struct jce *e = &r->jc[(pc >> PAGE_SHIFT) & (JC_N - 1)];
    e->tag = va | r->jtag;
    e->p = p;
    return &p->ins[(pc & (PAGE_SIZE - 1)) >> 2];
}

void engine_code_written(struct run *r, uint64_t gpa, uint64_t len)
{
    uint64_t end = gpa + len - 1;
    for (uint64_t pg = gpa & PAGE_MASK; pg <= (end & PAGE_MASK); pg += PAGE_SIZE) {
        unsigned lo = pg < gpa ? (unsigned)(gpa - pg) / 64 : 0;
        unsigned hi = (end & PAGE_MASK) == pg ? (unsigned)(end - pg) / 64 : 63;
        for (struct cpage *p = r->cache->phash[hash_of(pg)]; p; p = p->pnext) {
            if (p->pa != pg || !p->code_bits)
                continue;
            for (unsigned k = lo; k <= hi; k++)
                if (p->code_bits & (1ull << k))
                    chunk_forget(p, k);
        }
        if (pg + PAGE_SIZE < pg)
            break;
    }
}

static void cache_drop(struct engine_cache *c)
{
    struct cpage *p = c->pages;
    while (p) {
        struct cpage *n = p->lnext;
        free(p);
        p = n;
    }
    c->pages = NULL;
    c->npages = 0;
    memset(c->hash, 0, sizeof c->hash);
    memset(c->phash, 0, sizeof c->phash);
    memset(c->r.jc, 0, sizeof c->r.jc);
    engine_tlb_flush(&c->r);
}

struct engine_cache *engine_cache_new(void)
{
    struct engine_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    engine_tlb_flush(&c->r);
    c->r.stamp = 1;
    c->r.jtag = 4;
    c->r.fault.claims = claims_guest_ram;   /* fault_slot is set by it, held_lock kept NULL by cas128 */
    return c;
}

void engine_cache_free(struct engine_cache *c)
{
    if (!c)
        return;
    cache_drop(c);
    free(c);
}

void engine_cache_flush(struct engine_cache *c)
{
    cache_drop(c);
    c->ms_seen = NULL;
    c->ms_generation = 0;
    c->features_set = false;
    c->r.mon.valid = false;
}

void engine_cache_recheck(struct engine_cache *c)
{
    c->vmm_epoch++;
    engine_new_stamp(&c->r);
}

/* ---- mode and synchronisation ------------------------------------------ */

void engine_mode_changed(struct run *r)
{
    const struct cpu *cpu = r->cpu;
    unsigned el = (unsigned)(cpu->pstate >> 2) & 3;
    r->el = el;
    /* CPACR_EL1.FPEN (21:20) and ZEN (17:16): x0 traps EL0 and EL1 (00, 10),
     * 01 traps EL0 only, 11 traps nothing (Arm ARM D17.2.30). */
    unsigned fpen = (unsigned)(cpu->sys[SR_CPACR_EL1] >> 20) & 3;
    unsigned zen = (unsigned)(cpu->sys[SR_CPACR_EL1] >> 16) & 3;
    r->fp_ok = fpen == 3 || (fpen == 1 && el == 1);
    r->zen_ok = zen == 3 || (zen == 1 && el == 1);
    /* SCTLR_EL1.SA (bit 3) checks SP alignment at EL1, SA0 (bit 4) at EL0. */
    uint64_t sctlr = cpu->sys[SR_SCTLR_EL1];
    r->sp_align = ((sctlr >> (el ? 3 : 4)) & 1) ? 15 : 0;
    r->zero_upper = r->env->vcpu_has_sve;
    mmu_sync(r);
}

static bool sp_is_el1(uint64_t pstate)
{
    return (pstate & 0xf) == PSTATE_MODE_EL1h;
}

void engine_sync_out(struct run *r)
{
    struct cpu *cpu = r->cpu;
    cpu->pstate = (cpu->pstate & ~PSTATE_NZCV) | r->nzcv;
    if (sp_is_el1(cpu->pstate))
        cpu->sp_el1 = r->x[R_SP];
    else
        cpu->sp_el0 = r->x[R_SP];
}

void engine_sync_in(struct run *r)
{
    struct cpu *cpu = r->cpu;
    r->nzcv = (uint32_t)(cpu->pstate & PSTATE_NZCV);
    r->x[R_SP] = sp_is_el1(cpu->pstate) ? cpu->sp_el1 : cpu->sp_el0;
    engine_mode_changed(r);
}

/* ---- the loop ----------------------------------------------------------- */

/* Make the cache consistent with the current memory map, features and VM code
 * generation. Returns true if decoded code was dropped. */
static bool refresh(struct run *r)
{
    struct engine_cache *c = r->cache;
    const struct engine_env *env = r->env;
    bool dropped = false;
    const struct memslots *ms = env->memslots ? atomic_load(env->memslots) : NULL;
    uint64_t gen = ms ? ms->generation : 0;
    if (ms != c->ms_seen || gen != c->ms_generation) {
        cache_drop(c);
        c->ms_seen = ms;
        c->ms_generation = gen;
        dropped = true;
    }
    r->ms = ms;
    if (!c->features_set) {
        c->features = engine_decode_features(env);
        c->features_set = true;
        if (c->npages) {
            cache_drop(c);
            dropped = true;
        }
    }
    if (env->code_gen) {
        /* Low half: code generation (IC IVAU / IALLUIS: drop decoded code);
         * high half: broadcast TLB invalidations (TLBI ...IS/OS: forget
         * translations). Both are bumped by the engine only (system.c). */
        uint64_t g = atomic_load_explicit(env->code_gen, memory_order_acquire);
        if (g != c->code_gen_seen) {
            bool code = (uint32_t)g != (uint32_t)c->code_gen_seen;
            bool tlb = (g >> 32) != (c->code_gen_seen >> 32);
            c->code_gen_seen = g;
            if (code && c->npages) {
                cache_drop(c);
                dropped = true;
            }
            if (tlb) {
                mmu_flush(r);
                dropped = true;
            }
        }
    }
    if (c->npages > MAX_PAGES) {
        cache_drop(c);
        dropped = true;
    }
    return dropped;
}

static void trace_one(struct run *r, struct dinsn **dp);

/* Run a chain of up to n instructions; *done = how many completed. */
static struct dinsn *run_n(struct run *r, struct dinsn *d, uint64_t n, uint64_t *done)
{
    r->n_left = 0;
    d = d->fn(r, d, n);
    *done = n - r->n_left;
    return d;
}

/* ---- host faults on guest RAM (util/hostfault.h) ------------------------- */

#if defined(__x86_64__)
/* An address the x86-64 host cannot form (non-canonical with 4-level paging)
 * faults without an address: claim such a fault only if a slot reaches there. */
#define HOST_VA_CANONICAL (1ull << 47)
#endif

/* In the signal handler: is addr in the host range of a slot of the map in
 * use? (Every host pointer the engine holds comes from that map: a new map
 * drops the decoded code and the TLB, run.c:refresh.) */
static bool claims_guest_ram(struct hostfault_scope *s, uintptr_t addr, bool addr_known)
{
    struct run *r = (struct run *)(void *)((char *)s - offsetof(struct run, fault));
    const struct memslots *ms = r->ms;
    for (unsigned i = 0; ms && i < ms->n; i++) {
        const struct memslot *m = &ms->slot[i];
        uintptr_t h = (uintptr_t)m->hva;
        bool hit = addr_known && addr - h < m->size;
#ifdef HOST_VA_CANONICAL
        hit = hit || (!addr_known && h + m->size > HOST_VA_CANONICAL);
#endif
        if (hit) {
            r->fault_slot = addr_known ? m : NULL;
            return true;
        }
    }
    return false;
}

/* engine_run resumed from a host fault: stop at the instruction (or fetch)
 * that faulted. Handlers write no guest state before their last access that
 * can fault, so the state is the one before that instruction. */
static void host_fault_stop(struct run *r)
{
    if (r->held_lock) {
        pthread_mutex_unlock(r->held_lock);
        r->held_lock = NULL;
    }
    struct engine_exit *o = r->out;
    o->kind = ENGINE_EXIT_HOST_FAULT;
    o->host_fault.hva = r->fault.addr;
    o->host_fault.sig = r->fault.sig;
    o->host_fault.fetch = r->mem_insn == NULL;
    const struct memslot *m = r->fault_slot;
    if (m) {
        o->host_fault.ipa_known = true;
        o->host_fault.ipa = (m->gpa + (r->fault.addr - (uintptr_t)m->hva)) & PAGE_MASK;
        o->host_fault.slot = m->id;
    }
    r->cpu->pc = r->mem_insn ? pc_of(r, r->mem_insn) : r->fetch_pc;
}

/* The chains, from cpu->pc until an exit; r->retired counts what completed. */
static __attribute__((noinline)) void run_chains(struct run *r)
{
    struct cpu *cpu = r->cpu;
    struct engine_env *env = r->env;
    struct engine_cache *c = r->cache;
    struct engine_exit *out = r->out;
    struct dinsn *d = (cpu->pstate & PSTATE_IL) ? arm_stub(r, x_illegal_state, cpu->pc)
                                                  : engine_lookup(r, cpu->pc);
    uint64_t left = env->insn_budget ? env->insn_budget : UINT64_MAX;
    for (;;) {
        if (env->kick && atomic_load_explicit(env->kick, memory_order_relaxed)) {
            out->kind = ENGINE_EXIT_KICK;
            cpu->pc = pc_of(r, d);
            break;
        }
        if (!left) {
            out->kind = ENGINE_EXIT_BUDGET;
            cpu->pc = pc_of(r, d);
            break;
        }
        uint64_t n = left < CHUNK ? left : CHUNK, done;
        if (unlikely(env->trace)) {
            trace_one(r, &d);
            done = 1 - r->n_left;
        } else {
            d = run_n(r, d, n, &done);
        }
        r->retired += done;
        left -= done;
        if (!d)
            break;
        const struct memslots *ms = env->memslots ? atomic_load(env->memslots) : NULL;
        if (unlikely(ms != r->ms || (c->npages > MAX_PAGES) ||
                     (env->code_gen && atomic_load_explicit(env->code_gen, memory_order_relaxed) !=
                                           c->code_gen_seen))) {
            uint64_t pc = pc_of(r, d);
            refresh(r);
            d = engine_lookup(r, pc);
        }
    }
}

/* run_chains inside a host-fault scope (its own function: sigsetjmp makes
 * the compiler careful with everything around it). Only fields of *r change
 * between the sigsetjmp and a resume. The instructions completed in the
 * interrupted chain are not counted. */
static __attribute__((noinline)) void run_guarded(struct run *r)
{
    hostfault_setup();   /* the first engine_run of the process installs the handler */
    fetch_begin(r, r->cpu->pc);   /* no stale mem_insn from an earlier run */
    if (sigsetjmp(r->fault.env, 0) == 0) {
        hostfault_enter(&r->fault);
        run_chains(r);
        hostfault_leave();
    } else {
        hostfault_leave();
        host_fault_stop(r);
    }
}

void engine_run(struct cpu *cpu, struct engine_env *env, struct engine_cache *c, struct engine_exit *out)
{
    struct run *r = &c->r;
    r->cpu = cpu;
    r->env = env;
    r->out = out;
    r->cache = c;
    r->extra_retired = 0;
    r->retired = 0;
    memset(out, 0, sizeof *out);
    refresh(r);

    memcpy(r->x, cpu->x, sizeof cpu->x);
    r->x[R_ZR] = 0;
    engine_sync_in(r);

    if (cpu->pstate & PSTATE_nRW) {
        out->kind = ENGINE_EXIT_INTERNAL;
        out->internal.msg = "engine: AArch32 state is not supported";
    } else {
        run_guarded(r);
    }
    env->insns_retired += r->retired + r->extra_retired;
    engine_sync_out(r);
    memcpy(cpu->x, r->x, sizeof cpu->x);
}

/* ---- tracing ------------------------------------------------------------ */

static void trace_one(struct run *r, struct dinsn **dp)
{
    struct dinsn *d = *dp;
    uint64_t pc = pc_of(r, d);
    uint64_t before[R_NSLOTS];
    uint32_t nzcv = r->nzcv;
    uint64_t pstate = r->cpu->pstate;
    memcpy(before, r->x, sizeof before);
    char text[96];
    uint32_t insn = 0;
    if (d != &r->stub && d == &cpage_of(d)->ins[CPAGE_INSNS]) {
        d = engine_lookup(r, pc);    /* the "next page" link: show what it runs */
    }
    bool have = d != &r->stub;
    if (have) {
        fetch_begin(r, pc);
        memcpy(&insn, cpage_of(d)->hva + (pc & (PAGE_SIZE - 1)), 4);
    }
    r->n_left = 0;
    *dp = d->fn(r, d, 1);
    if (have)
        engine_disasm(insn, pc, text, sizeof text);
    else
        snprintf(text, sizeof text, "<no instruction: fetch fault>");
    char line[512];
    int len = snprintf(line, sizeof line, "%016llx: %08x  %-40s", (unsigned long long)pc, insn, text);
    for (unsigned i = 0; i <= R_SP && len < (int)sizeof line - 40; i++) {
        if (r->x[i] == before[i] || i == R_ZR)
            continue;
        if (i == R_SP)
            len += snprintf(line + len, sizeof line - len, " sp=%llx", (unsigned long long)r->x[i]);
        else
            len += snprintf(line + len, sizeof line - len, " x%u=%llx", i, (unsigned long long)r->x[i]);
    }
    if (r->nzcv != nzcv && len < (int)sizeof line - 20)
        len += snprintf(line + len, sizeof line - len, " nzcv=%x", r->nzcv >> 28);
    if (r->cpu->pstate != pstate && len < (int)sizeof line - 30)
        len += snprintf(line + len, sizeof line - len, " pstate=%llx", (unsigned long long)r->cpu->pstate);
    if (!*dp && r->out && len < (int)sizeof line - 20)
        snprintf(line + len, sizeof line - len, " [exit %d]", (int)r->out->kind);
    fprintf(stderr, "%s\n", line);
}
