/*
 * internal.h - the engine's private data structures, shared by its files.
 *
 * Execution model (speed is a requirement, see issue 3): guest code is decoded
 * once per instruction into a struct dinsn kept in a per-guest-page array
 * (struct cpage, 1024 entries + one "next page" sentinel). An entry holds the
 * address of its execution handler and pre-extracted operands; executing a
 * guest instruction is one indirect call, and the handler returns the entry to
 * execute next (entry + 1, a pre-linked branch target, or NULL to leave the
 * run loop). Entries start as a "decode me" stub, so pages are decoded lazily
 * one instruction at a time, and invalidating code (self-modifying code) only
 * resets the fn pointer of the affected entries.
 *
 * General registers live in run->x[] while engine_run executes, with two extra
 * slots that remove every "register 31" test from the handlers: slot 31 is a
 * zero that is never written (XZR as a source), slot 32 is the current stack
 * pointer, slot 33 a sink for writes to XZR. The decoder maps each operand to a
 * slot according to its role in the encoding.
 *
 * NZCV is kept apart in run->nzcv (PSTATE layout, bits 31:28) and folded into
 * cpu->pstate whenever the architectural state must be complete (exit,
 * exception, MRS, trace).
 */
#ifndef SOFTKVM_ENGINE_INTERNAL_H
#define SOFTKVM_ENGINE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "engine/engine.h"
#include "util/hostfault.h"

/* Everything declared below is internal to the library: no GOT/PLT indirection
 * between engine files (the handlers call these on hot paths). */
#pragma GCC visibility push(hidden)

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Register slots. */
#define R_ZR   31u   /* reads as zero, never written */
#define R_SP   32u   /* current SP (SP_EL0 or SP_EL1 per PSTATE) */
#define R_SINK 33u   /* writes to XZR land here */
#define R_NSLOTS 34u

struct run;
struct dinsn;
/* An execution handler runs the instruction of entry d, then continues with
 * the next entry itself (NEXT): n is how many instructions this chain may
 * still execute, counting the current one. */
typedef struct dinsn *(*exec_fn)(struct run *r, struct dinsn *d, uint64_t n);

/* One pre-decoded instruction: 32 bytes. Field use is up to the handler. */
struct dinsn {
    exec_fn fn;
    uint64_t imm;
    union {
        struct dinsn *link;  /* branches: target entry once known */
        exec_fn fn2;         /* wrappers: the wrapped handler */
        uint64_t imm2;
    };
    union {
        struct { uint8_t d, n, m, a; };   /* register slots (or small values) */
        struct { uint16_t h0, h1; };      /* B.cond: h1 = condition mask (cond_tab) */
    };
    union {
        struct { uint8_t c0, c1, c2, c3; };   /* small parameters */
        struct { uint16_t k0, k1; };          /* fused B.cond: k1 = condition mask */
    };
};
_Static_assert(sizeof(struct dinsn) == 32, "dinsn must stay 32 bytes");

#define PAGE_SHIFT   12
#define PAGE_SIZE    (1ull << PAGE_SHIFT)
#define PAGE_MASK    (~(PAGE_SIZE - 1))
#define CPAGE_INSNS  (PAGE_SIZE / 4)
/* struct cpage is allocated at this alignment so that the page of an entry is
 * found by masking its address: no "current page" bookkeeping in handlers. */
#define CPAGE_ALIGN  65536u

/* The decoded form of one page of code, keyed by the virtual address it runs
 * at (= its IPA with the MMU off) and by the IPA it was fetched from: two
 * virtual aliases of one IPA page are two cpages. */
struct cpage {
    struct dinsn ins[CPAGE_INSNS + 1];  /* [CPAGE_INSNS]: "fall into next page" */
    uint64_t gpa;            /* virtual page address the code runs at (PC = gpa + 4 * index) */
    const uint8_t *hva;      /* host address of the page (instruction fetch) */
    uint64_t code_bits;      /* bit k: an entry in bytes [64k, 64k+64) is decoded */
    struct cpage *hnext;     /* hash chain (by gpa) */
    struct cpage *lnext;     /* list of all pages (for flush) */
    /* MMU section: */
    uint64_t pa;             /* guest-physical (IPA) page the code was fetched from */
    struct cpage *pnext;     /* hash chain (by pa) */
    uint64_t vgen;           /* translation generation gpa -> pa was last checked at */
    uint8_t xperm;           /* bit e: executable at ELe (as of vgen) */
    /* Entry checks (run.c: engine_lookup_slow). Execution enters a page only
     * through engine_lookup or a far branch link, and both trust the page
     * only while stamp == run.stamp: the page's translation, its execute
     * permission at the current EL and its bytes were checked since the last
     * event that could change them. */
    uint64_t stamp;
    uint64_t vmm_epoch;      /* engine_cache.vmm_epoch the bytes were last compared at */
    /* The guest bytes every decoded 64-byte chunk was decoded from (copied
     * when the chunk's first entry is decoded; entries decode from here): a
     * chunk whose guest bytes no longer match was written from outside the
     * engine (the VMM) and is decoded again. Chunks without code bits are
     * stale garbage. */
    uint8_t bytes[PAGE_SIZE];
};

static inline struct cpage *cpage_of(const struct dinsn *d)
{
    return (struct cpage *)((uintptr_t)d & ~(uintptr_t)(CPAGE_ALIGN - 1));
}

/* Software TLB for data accesses: guest virtual page -> host address (with
 * the MMU off VA = IPA; with it on, the entry caches the stage-1 translation
 * and permissions for the current EL and PSTATE.PAN, see the MMU section).
 * tag_r / tag_w
 * hold the page address when reads / writes may use the host pointer
 * directly; an invalid tag is 1 (never a page address). Writes are not
 * allowed directly to read-only slots or to pages holding decoded code. */
#define TLB_BITS 8
#define TLB_N    (1u << TLB_BITS)
#define TLB_INVALID 1ull
struct tlbe {
    uint64_t tag_r, tag_w;
    uintptr_t addend;        /* host = guest + addend */
    uint64_t pa;             /* MMU: guest-physical page behind the entry (32 bytes in all) */
};

#define JC_N 256             /* jump cache: guest page -> struct cpage */
/* Jump cache entry: tag = virtual page | jtag of the stamp it was filled in
 * (bits 11:2, never 0: tag 0 is empty). A misaligned PC never matches. */
struct jce {
    uint64_t tag;
    struct cpage *p;
};
#define HASH_N 1024          /* cpage hash buckets */
#ifdef __OPTIMIZE__
#define CHUNK 4096           /* instructions between polls of the kick flag */
#else
#define CHUNK 256            /* no tail calls: CHUNK nested frames at most */
#endif

/* Exclusive monitor of this vCPU (the "global" part is the memory itself:
 * store-exclusive is a compare-and-swap against the value seen by the load). */
struct monitor {
    bool valid;
    uint8_t size;            /* bytes of the whole access (pair: both halves) */
    uint64_t addr;
    uint64_t val[2];
};

/* ---- MMU (types; functions at the end of this file) ------------------- */

/* Translation state of one vCPU (mmu.c). The regime registers seen last are
 * kept to notice changes (guest MSR, or the VMM's SET_ONE_REG between runs). */
struct mmu_state {
    bool on;                 /* SCTLR_EL1.M */
    uint8_t ctx;             /* access context the TLB is filled for: MMU_CTX_* */
    uint64_t gen;            /* translation generation: bumped by TLBI and regime changes */
    uint64_t sctlr, tcr, ttbr0, ttbr1, mair;   /* values the cached translations came from */
    /* The last slow data access (mem.c): what engine_mmio_exit/nisv_exit report. */
    uint64_t acc_va;         /* its virtual address */
    uint64_t acc_pa;         /* its IPA (first byte) when it was not a fault */
    uint64_t acc_esr;        /* nonzero: the access faulted, take this data abort */
    uint64_t acc_far;        /* FAR_EL1 of that abort */
};

struct run {
    uint64_t x[R_NSLOTS];
    uint32_t nzcv;           /* PSTATE bits 31:28 only */
    uint32_t el;             /* 0 or 1 */
    bool fp_ok;              /* CPACR_EL1.FPEN lets the current EL use FP/SIMD */
    bool zen_ok;             /* CPACR_EL1.ZEN lets the current EL use SVE */
    uint8_t sp_align;        /* 15 if SP alignment checking is on at this EL, else 0 */
    bool zero_upper;         /* FP/SIMD writes must zero Z bits above 127 */

    struct cpu *cpu;
    struct engine_env *env;
    struct engine_cache *cache;
    struct engine_exit *out;
    const struct memslots *ms;   /* snapshot in use */
    uint64_t n_left;         /* instructions of the chain not executed (NEXT) */
    uint64_t extra_retired;  /* instructions completed by handlers that returned NULL */
    uint64_t retired;        /* instructions of the chains completed in this engine_run */
    /* What a host fault on guest memory interrupts (see mem_begin): the data
     * access of the instruction at mem_insn, or with mem_insn NULL the fetch
     * of fetch_pc. */
    struct dinsn *mem_insn;
    uint64_t fetch_pc;

    struct monitor mon;
    struct mmu_state mmu;
    struct tlbe tlb[TLB_N];
    /* Validity stamp (engine_new_stamp): a new one whenever decoded pages must
     * be checked again before they run: translation flush, EL change with the
     * MMU on, possible writes by the VMM (engine_cache_recheck). jtag is its
     * jump cache tag, in bits 11:2. */
    uint64_t stamp;
    uint64_t jtag;
    struct jce jc[JC_N];

    /* Target for an instruction fetch that cannot be decoded from memory
     * (misaligned PC, no memslot, illegal state): executing it takes the
     * exception. imm = the PC concerned. */
    struct dinsn stub;

    /* Host faults on guest RAM (run.c, util/hostfault.h): the scope engine_run
     * resumes, the slot the address was found in, and a lock to release if
     * the fault interrupted a handler holding it. */
    struct hostfault_scope fault;
    const struct memslot *fault_slot;
    pthread_mutex_t *held_lock;
};

struct engine_cache {
    struct run r;
    struct cpage *hash[HASH_N];
    struct cpage *phash[HASH_N];   /* MMU: the same pages by IPA (stores to code, aliases) */
    struct cpage *pages;     /* every page, for flush */
    unsigned npages;
    uint64_t ms_generation;  /* memslots generation the cache is valid for */
    const struct memslots *ms_seen;
    uint64_t features;       /* decode features the cache was built with */
    bool features_set;
    uint64_t code_gen_seen;
    uint64_t vmm_epoch;      /* bumped by engine_cache_recheck */
    /* Counters for tests: pages whose bytes were compared, and chunks found
     * changed (decoded again) by those comparisons. */
    uint64_t stat_rechecks, stat_stale_chunks;
};

/* ---- helpers ---------------------------------------------------------- */

static inline uint64_t sext(uint64_t v, unsigned bits)
{
    unsigned s = 64 - bits;
    return (uint64_t)((int64_t)(v << s) >> s);
}

static inline uint64_t pc_of(struct run *r, const struct dinsn *d)
{
    if (unlikely(d == &r->stub))
        return d->imm;
    const struct cpage *p = cpage_of(d);
    return p->gpa + ((uint64_t)(d - p->ins) << 2);
}

/* Condition codes (Arm ARM ConditionHolds): bit (nzcv >> 28) of
 * cond_tab[cond] says whether cond holds for that NZCV. */
static const uint16_t cond_tab[16] = {
    0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
    0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};
static inline bool cond_holds(uint32_t nzcv, unsigned cond)
{
    return (cond_tab[cond] >> (nzcv >> 28)) & 1;
}

/* ---- run.c ------------------------------------------------------------ */

/* Entry for guest PC pc (decoded lazily); r->stub (armed) if it cannot be fetched. */
struct dinsn *engine_lookup_slow(struct run *r, uint64_t pc);

static inline struct dinsn *engine_lookup(struct run *r, uint64_t pc)
{
    const struct jce *e = &r->jc[(pc >> PAGE_SHIFT) & (JC_N - 1)];
    if (likely(e->tag == ((pc & ~(uint64_t)(PAGE_SIZE - 4)) | r->jtag)))
        return &e->p->ins[(pc & (PAGE_SIZE - 1)) >> 2];
    return engine_lookup_slow(r, pc);
}

/* The target of a branch link into another page, if that page is still
 * valid in this stamp (else NULL: look it up again). */
static inline struct dinsn *far_link_ok(const struct run *r, struct dinsn *t)
{
    return likely(t != NULL) && likely(cpage_of(t)->stamp == r->stamp) ? t : NULL;
}

/* Every decoded page must pass the entry checks again (new stamp). O(1). */
void engine_new_stamp(struct run *r);

/* The end of every handler: continue with entry x. Threaded dispatch: the
 * handler tail-calls the next handler (one indirect jump per instruction, at
 * a different site per handler, which the host predicts much better than one
 * shared loop). The chain returns to run_n() after n instructions or when x
 * is NULL (an exit); r->n_left tells run_n how many were not executed. Without
 * tail-call optimisation each step nests a frame, so the chain length (CHUNK)
 * bounds the stack depth. */
#define NEXT(x)                                                                  \
    do {                                                                         \
        struct dinsn *nx_ = (x);                                                 \
        if (likely(nx_ != NULL) && likely(--n != 0))                             \
            return nx_->fn(r, nx_, n);                                           \
        r->n_left = n;                                                           \
        return nx_;                                                              \
    } while (0)

/* Stop the run loop: the handler filled r->out. Returns NULL for "return". */
static inline struct dinsn *engine_stop(struct run *r, uint64_t pc)
{
    r->cpu->pc = pc;
    return NULL;
}

/* After an instruction that may have unmasked IRQ/FIQ: is an asserted line
 * now unmasked (env->irq_lines)? The caller then stops with
 * engine_irq_stop(). */
static inline bool irq_now_pending(const struct run *r)
{
    const atomic_uint *l = r->env->irq_lines;
    if (!l)
        return false;
    unsigned lines = atomic_load_explicit(l, memory_order_relaxed);
    uint64_t ps = r->cpu->pstate;
    return ((lines & 1) && !(ps & PSTATE_I)) || ((lines & 2) && !(ps & PSTATE_F));
}

/* Stop with ENGINE_EXIT_KICK at next_pc; the current instruction completed. */
static inline struct dinsn *engine_irq_stop(struct run *r, uint64_t next_pc)
{
    r->out->kind = ENGINE_EXIT_KICK;
    r->extra_retired++;
    r->cpu->pc = next_pc;
    return NULL;
}

/* Host faults on guest memory. Guest RAM is the VMM's memory: if the VMM
 * unmapped it (or made it inaccessible) the host access faults, and
 * engine_run stops with ENGINE_EXIT_HOST_FAULT, the state as before the
 * instruction, PC at it (Linux: KVM_RUN fails EFAULT). The engine must then
 * know which instruction it was executing, which the threaded dispatch keeps
 * only in registers; so every handler that touches guest memory (loads,
 * stores, atomics, DC ZVA, AT and DC by VA walking the tables) names its
 * entry first with mem_begin(), one store, and every instruction fetch (and
 * the table walk for it) says which PC it fetches with fetch_begin(). A
 * handler must not write guest-visible state before its last access that
 * can fault (load into a temporary, then write the registers). */
static inline void mem_begin(struct run *r, struct dinsn *d)
{
    r->mem_insn = d;
}
static inline void fetch_begin(struct run *r, uint64_t pc)
{
    r->mem_insn = NULL;
    r->fetch_pc = pc;
}

/* Recompute cached PSTATE/SCTLR/CPACR-derived state after a change. */
void engine_mode_changed(struct run *r);

/* Bring cpu up to date from r (nzcv, SP) / reload r from cpu (SP slot, mode). */
void engine_sync_out(struct run *r);
void engine_sync_in(struct run *r);

/* Does any decoded page (any virtual alias) hold code fetched from IPA page pa? */
bool engine_code_on(struct engine_cache *c, uint64_t pa);

/* Forget decoded code overlapping IPA range [gpa, gpa+len): called on guest stores. */
void engine_code_written(struct run *r, uint64_t gpa, uint64_t len);

/* ---- except.c --------------------------------------------------------- */

/* ESR_EL1 values (Arm ARM D17.2.37 ESR_ELx). */
#define ESR_IL        (1u << 25)
#define EC_UNKNOWN    0x00u
#define EC_WFX        0x01u
#define EC_FP         0x07u
#define EC_ILLEGAL    0x0eu
#define EC_SVC64      0x15u
#define EC_SYS64      0x18u
#define EC_SVE        0x19u
#define EC_IABT_LOW   0x20u
#define EC_IABT_CUR   0x21u
#define EC_PC_ALIGN   0x22u
#define EC_DABT_LOW   0x24u
#define EC_DABT_CUR   0x25u
#define EC_SP_ALIGN   0x26u
#define EC_BRK64      0x3cu
#define ESR_UNDEF     ((uint64_t)ESR_IL)   /* 0x02000000 */

/* Architectural exception entry to EL1 on cpu (state must be synced out). */
void cpu_take_exception(struct cpu *cpu, uint64_t esr, bool far_valid, uint64_t far,
                        uint64_t ret_addr);

/* From a handler: take a synchronous exception for the instruction at entry d
 * (ELR = ret_addr). Returns the entry at the vector. */
struct dinsn *engine_exception(struct run *r, uint64_t esr, bool far_valid, uint64_t far,
                               uint64_t ret_addr);
struct dinsn *engine_undef(struct run *r, struct dinsn *d);
struct dinsn *engine_fp_trap(struct run *r, struct dinsn *d);
struct dinsn *engine_sve_trap(struct run *r, struct dinsn *d);
struct dinsn *engine_align_fault(struct run *r, struct dinsn *d, uint64_t addr, bool write);
struct dinsn *engine_sp_align_fault(struct run *r, struct dinsn *d);
struct dinsn *engine_sys_trap(struct run *r, struct dinsn *d, uint32_t iss);
/* EC 0x18 ISS: Op0 Op2 Op1 CRn Rt CRm Direction (1 = read, MRS). */
uint32_t sys_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2, unsigned rt, bool read);

/* ---- mem.c ------------------------------------------------------------ */

void engine_tlb_flush(struct run *r);

/* Slow paths (addr is a virtual address): false = not done, because the IPA
 * is not RAM (MMIO/unmapped, or read-only for writes) or because stage-1
 * translation faulted. Either way the caller continues with
 * engine_mmio_exit() or engine_nisv_exit() for the same address, which exits
 * to the VMM with the IPA or takes the recorded data abort (mem.c). A false
 * return alone has no effect (an SVE first-fault/non-fault load may just stop). */
bool mem_read_slow(struct run *r, uint64_t addr, unsigned len, void *dst);
bool mem_write_slow(struct run *r, uint64_t addr, unsigned len, const void *src);
/* Host pointer for an aligned, non-straddling access of len bytes that must be
 * done in place (atomics, exclusives, DC ZVA), or NULL as above. */
uint8_t *mem_host_rw(struct run *r, uint64_t addr, unsigned len, bool write);

/* Fast path as used by the load/store handlers: t = tlb_entry(r, a); if
 * tlb_hit_r/w(t, a, len) the host address is a + t->addend. */
static inline const struct tlbe *tlb_entry(const struct run *r, uint64_t a)
{
    return &r->tlb[(a >> PAGE_SHIFT) & (TLB_N - 1)];
}
static inline bool tlb_hit_r(const struct tlbe *t, uint64_t a, unsigned len)
{
    return t->tag_r == ((a + len - 1) & PAGE_MASK);
}
static inline bool tlb_hit_w(const struct tlbe *t, uint64_t a, unsigned len)
{
    return t->tag_w == ((a + len - 1) & PAGE_MASK);
}
static inline uint8_t *tlb_host(const struct tlbe *t, uint64_t a)
{
    return (uint8_t *)(uintptr_t)(a + t->addend);
}

/* Copies to and from guest RAM. Another vCPU thread may access the same
 * bytes at the same time (a guest data race, or an atomic against a plain
 * access): on the hosts supported (x86-64, little-endian) an aligned access of
 * up to 8 bytes is one host access either way. Under ThreadSanitizer they are
 * done as relaxed atomics so that guest races are not reported as races of
 * the engine. */
#if defined(__SANITIZE_THREAD__)
#define ENGINE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define ENGINE_TSAN 1
#endif
#endif

#ifdef ENGINE_TSAN
static inline void gmem_read(void *dst, const void *src, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        ((uint8_t *)dst)[i] = __atomic_load_n((const uint8_t *)src + i, __ATOMIC_RELAXED);
}
static inline void gmem_write(void *dst, const void *src, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        __atomic_store_n((uint8_t *)dst + i, ((const uint8_t *)src)[i], __ATOMIC_RELAXED);
}
static inline bool gmem_same(const void *guest, const void *copy, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (__atomic_load_n((const uint8_t *)guest + i, __ATOMIC_RELAXED) != ((const uint8_t *)copy)[i])
            return false;
    return true;
}
#else
static inline void gmem_read(void *dst, const void *src, unsigned n)
{
    memcpy(dst, src, n);
}
static inline void gmem_write(void *dst, const void *src, unsigned n)
{
    memcpy(dst, src, n);
}
/* Do n bytes of guest memory equal a copy? */
static inline bool gmem_same(const void *guest, const void *copy, unsigned n)
{
    return memcmp(guest, copy, n) == 0;
}
#endif

/* Under ThreadSanitizer the runtime performs a non-relaxed atomic store or
 * read-modify-write while holding its own locks: a host fault there would
 * leave them held. A relaxed read-modify-write of the same byte first, which
 * TSan does without locks, takes any fault before. (Other builds: nothing.) */
static inline void gmem_probe_w(void *p)
{
#ifdef ENGINE_TSAN
    __atomic_fetch_or((uint8_t *)p, 0, __ATOMIC_RELAXED);
#else
    (void)p;
#endif
}

/* Take any host fault for writing the page of p now, changing nothing (an
 * atomic OR of 0 cannot lose another thread's store): an access spanning two
 * pages, or an SVE store of many elements, checks the later pages before it
 * writes the first, so that a host fault leaves guest memory unchanged too. */
static inline void gmem_touch_w(void *p)
{
    __atomic_fetch_or((uint8_t *)p, 0, __ATOMIC_RELAXED);
}

/* Fast path: host pointer or NULL (then use the slow path). */
static inline uint8_t *tlb_read(struct run *r, uint64_t a, unsigned len)
{
    const struct tlbe *t = &r->tlb[(a >> PAGE_SHIFT) & (TLB_N - 1)];
    if (likely(t->tag_r == ((a + len - 1) & PAGE_MASK)))
        return (uint8_t *)(uintptr_t)(a + t->addend);
    return NULL;
}
static inline uint8_t *tlb_write(struct run *r, uint64_t a, unsigned len)
{
    const struct tlbe *t = &r->tlb[(a >> PAGE_SHIFT) & (TLB_N - 1)];
    if (likely(t->tag_w == ((a + len - 1) & PAGE_MASK)))
        return (uint8_t *)(uintptr_t)(a + t->addend);
    return NULL;
}

/* Leave for the VMM: an MMIO access with a valid syndrome / without one. */
struct dinsn *engine_mmio_exit(struct run *r, struct dinsn *d, uint64_t addr, unsigned len,
                               bool write, uint64_t val, unsigned rt_slot, bool sext, bool sf);
struct dinsn *engine_nisv_exit(struct run *r, struct dinsn *d, uint64_t addr, unsigned len,
                               bool write);

/* ---- decode.c --------------------------------------------------------- */

/* Feature bits the decoder gates rows on (A64_FEAT_* in gen/a64_args.h). */
uint64_t engine_decode_features(const struct engine_env *env);

struct decode {
    struct dinsn *e;         /* entry to fill */
    uint64_t pc;             /* address of the instruction */
    uint32_t insn;
    uint64_t features;
    struct cpage *page;      /* page being decoded, NULL for disassembly */
    const struct engine_env *env;
};

/* Fill dc->e for dc->insn (always succeeds: unknown encodings get the UNDEF
 * handler). Returns the table row index or -1. */
int engine_decode(struct decode *dc);

/* Disassembly: row index (or -1), its fields f[0..51] (a-z, A-Z), field
 * widths in f[52..103], and the decoded entry in *scratch. */
int engine_disasm_row(uint32_t insn, uint32_t *fields, const char **name, const char **tmpl,
                      struct dinsn *scratch);

/* Handlers every class uses. */
struct dinsn *x_undef(struct run *r, struct dinsn *d, uint64_t n);
struct dinsn *x_fp_unimpl(struct run *r, struct dinsn *d, uint64_t n);
struct dinsn *x_sve_unimpl(struct run *r, struct dinsn *d, uint64_t n);

/* Operand slot for register field v in a given role. */
static inline uint8_t slot_rz(uint32_t v) { return (uint8_t)v; }            /* XZR source */
static inline uint8_t slot_wz(uint32_t v) { return v == 31 ? R_SINK : v; }  /* XZR destination */
static inline uint8_t slot_sp(uint32_t v) { return v == 31 ? R_SP : v; }    /* SP src/dst */

/* Memory instructions: set base slot e->n = slot_sp(rn) and the handler; with
 * SP as base the handler is wrapped by the SP alignment check (SCTLR_EL1.SA/SA0). */
void decode_mem_fn(struct decode *dc, exec_fn fn, uint32_t rn);

/* The B.cond right after the instruction being decoded, if it can be fused
 * into it: in the same 64-byte chunk (one invalidation unit) and branching
 * within the page. Returns its target entry and sets *mask (cond_tab). */
struct dinsn *decode_fusable_bcond(struct decode *dc, uint16_t *mask);

/* Same-page direct branch target at decode time (NULL if in another page). */
struct dinsn *decode_link(struct decode *dc, uint64_t target);

/* ---- FP/SIMD (exec/fpsimd.c, exec/fp_*.c, exec/simd_*.c) ---------------- */

/* Every SIMD&FP handler starts with the CPACR_EL1.FPEN trap (EC 0x07). */
#define FP_CHECK(r, d)                                                           \
    do {                                                                         \
        if (unlikely(!(r)->fp_ok))                                               \
            NEXT(engine_fp_trap(r, d));                                          \
    } while (0)

/* Vn: bytes [0, 16) of Zn. */
static inline uint8_t *vreg(struct run *r, unsigned i)
{
    return r->cpu->z[i];
}

/* Bytes [n, 16) of V[i] and, with SVE, the rest of Z[i] become zero (Arm ARM:
 * AdvSIMD and FP register writes are zero-extended to the vector length). */
static inline void vzero_from(struct run *r, unsigned i, unsigned n)
{
    uint8_t *z = vreg(r, i);
    if (n < 16)
        memset(z + n, 0, 16 - n);
    if (r->zero_upper)
        memset(z + 16, 0, SVE_Z_BYTES - 16);
}

/* SIMD&FP memory instructions: base slot and handler, with SP as base wrapped
 * by the FPEN check and then the SP alignment check (fpsimd.c). */
void fp_mem_fn(struct decode *dc, exec_fn fn, uint32_t rn);

/* Write the low n bytes (1, 2, 4, 8 or 16) of V[i] from src, zeroing the
 * rest; fixed-size copies (a variable-length memcpy is a slow rep movs).
 * Callers pass objects of at least n bytes, initialised; GCC's flow analysis
 * cannot see that n < 16 when src is smaller or partly written, hence the
 * pragmas. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
static inline __attribute__((always_inline)) void vset(struct run *r, unsigned i, const void *src, unsigned n)
{
    uint8_t *z = vreg(r, i);
    if (likely(n == 16)) {
        memcpy(z, src, 16);
    } else {
        uint64_t lo = 0;
        switch (n) {
        case 8: memcpy(&lo, src, 8); break;
        case 4: memcpy(&lo, src, 4); break;
        case 2: memcpy(&lo, src, 2); break;
        default: memcpy(&lo, src, 1); break;
        }
        memcpy(z, &lo, 8);
        memset(z + 8, 0, 8);
    }
    if (r->zero_upper)
        memset(z + 16, 0, SVE_Z_BYTES - 16);
}
#pragma GCC diagnostic pop

/* ---- sysreg.c --------------------------------------------------------- */

#define ENGINE_CNTFRQ 62500000u      /* CNTFRQ_EL0: 62.5 MHz, 16 ns per tick */

/* ---- MMU (mmu.c: stage-1 EL1&0 translation; mem.c, run.c use it) ------- */

/* Access context of the TLB and of data accesses (struct mmu_state.ctx). */
#define MMU_CTX_ON   1u      /* SCTLR_EL1.M: translation on (0: VA = IPA, no checks) */
#define MMU_CTX_EL0  2u      /* permissions as EL0 */
#define MMU_CTX_PAN  4u      /* EL1 with PSTATE.PAN set */

/* mmu_translate access kinds (or-ed with MMU_CTX_EL0 / MMU_CTX_PAN). */
#define MMU_READ     0u
#define MMU_WRITE    0x10u
#define MMU_EXEC     0x20u
#define MMU_NOUPDATE 0x40u   /* AT: no hardware Access flag / dirty state update */
#define MMU_NOPERM   0x80u   /* DC by VA: translation faults only, no permission check */

/* A fault from mmu_translate: DFSC/IFSC in bits 5:0 (Arm ARM ESR_ELx ISS),
 * or MMU_F_WALK_EA: the walk read an IPA outside every memslot, which KVM
 * turns into an injected external abort (spec 4.8). 0 = no fault. */
#define MMU_FSC_ADDR_SIZE 0x00u  /* + level */
#define MMU_FSC_XLAT      0x04u
#define MMU_FSC_AF        0x08u
#define MMU_FSC_PERM      0x0cu
#define MMU_FSC_ALIGN     0x21u
#define MMU_F_WALK_EA     0x100u

struct mmu_out {
    uint64_t pa;             /* IPA of the address translated */
    uint8_t rw;              /* bit 0 readable, bit 1 writable in the context asked for */
    uint8_t xperm;           /* bit e: executable at ELe */
    uint8_t attr;            /* MAIR_EL1 attribute byte */
    uint8_t sh;              /* SH[1:0] of the descriptor */
};

/* Translate va for an access of the given kind. Returns 0 (and *o) or a
 * fault (MMU_FSC_* + level, MMU_F_WALK_EA). With the MMU off: pa = va,
 * everything allowed. */
uint32_t mmu_translate(struct run *r, uint64_t va, unsigned acc, struct mmu_out *o);

/* Re-read the regime registers and PSTATE: on a change of SCTLR_EL1, TCR_EL1,
 * TTBR0/1_EL1 or MAIR_EL1 drop every cached translation (mmu_flush); on a
 * change of EL or PAN refill the TLB. Called from engine_mode_changed. */
void mmu_sync(struct run *r);
/* TLBI / regime change: forget every cached translation of this vCPU (TLB,
 * jump cache; decoded pages are re-checked against a new walk on next use). */
void mmu_flush(struct run *r);

/* ESR_EL1 of a data abort (fetch = false) or instruction abort for a fault
 * from mmu_translate, at the current EL. */
uint64_t mmu_fault_esr(const struct run *r, uint32_t fault, bool write, bool fetch);

/* Data accesses with an explicit context (mem.c): MMU_CTX_EL0 for LDTR/STTR.
 * Same results as mem_read_slow / mem_write_slow. */
bool mem_read_as(struct run *r, uint64_t va, unsigned len, void *dst, unsigned ctx);
bool mem_write_as(struct run *r, uint64_t va, unsigned len, const void *src, unsigned ctx);

/* ---- SVE (sve.c, exec/sve_*.c; this section is maintained with them) ------- */

/* Decode a word of the SVE group (op0 = 0010): A64_NROWS + its isa/sve.isa
 * row, or -1 (the entry then raises what an unallocated encoding raises). */
int engine_sve_decode(struct decode *dc);
/* engine_disasm_row for the SVE group: *tmpl is the finished text. */
int engine_sve_disasm_row(uint32_t insn, uint32_t *fields, const char **name, const char **tmpl,
                          struct dinsn *scratch);

#pragma GCC visibility pop

#endif
