/*
 * atomic.c - exclusives, load-acquire/store-release, LSE atomics (Arm ARM
 * C4.1.88 "Load/store exclusive", "Atomic memory operations", "LDAPR/STLR
 * unscaled immediate").
 *
 * The exclusive monitor: LDXR records (address, size, value) in the vCPU's
 * local monitor; STXR succeeds only if the monitor still holds the same
 * address and size and the memory still holds the recorded value, checked and
 * written with one host compare-and-swap. A store by another vCPU that changes
 * the value therefore makes the STXR fail, across threads, without a global
 * lock (as QEMU does; a store of the same value is not detected - allowed,
 * since the architecture only requires that some competing store clears the
 * monitor eventually, not every one).
 *
 * These instructions require natural alignment (no FEAT_LSE2 in the modelled
 * CPU: ID_AA64MMFR2_EL1.AT = 0): otherwise an alignment fault is taken.
 * Outside RAM: LDAR/STLR/LDAPR/LDAPUR/STLUR have a valid syndrome (MMIO
 * exit); exclusives and atomics do not (NISV exit), as in spec 4.3.
 */
#include <pthread.h>

#include "engine/exec/alu.h"
#include "a64_args.h"

#define SEQ __ATOMIC_SEQ_CST

/* ---- acquire / release ---------------------------------------------------- */

#define DEF_LDAR(S, UT)                                                          \
    static struct dinsn *x_ldar##S(struct run *r, struct dinsn *d, uint64_t n)               \
    {                                                                            \
        mem_begin(r, d);                                                         \
        uint64_t a = r->x[d->n];                                                 \
        if (unlikely(a & (S - 1)))                                               \
            NEXT(engine_align_fault(r, d, a, false));                           \
        uint8_t *p = mem_host_rw(r, a, S, false);                                \
        if (unlikely(!p))                                                        \
            NEXT(engine_mmio_exit(r, d, a, S, false, 0, d->d, false, S == 8));  \
        r->x[d->d] = __atomic_load_n((UT *)p, __ATOMIC_ACQUIRE);                 \
        NEXT(d + 1);                                                            \
    }                                                                            \
    static struct dinsn *x_stlr##S(struct run *r, struct dinsn *d, uint64_t n)               \
    {                                                                            \
        mem_begin(r, d);                                                         \
        uint64_t a = r->x[d->n];                                                 \
        UT v = (UT)r->x[d->d];                                                   \
        if (unlikely(a & (S - 1)))                                               \
            NEXT(engine_align_fault(r, d, a, true));                            \
        uint8_t *p = mem_host_rw(r, a, S, true);                                 \
        if (unlikely(!p))                                                        \
            NEXT(engine_mmio_exit(r, d, a, S, true, v, d->d, false, S == 8));   \
        gmem_probe_w(p);                                                         \
        __atomic_store_n((UT *)p, v, SEQ);                                       \
        NEXT(d + 1);                                                            \
    }
DEF_LDAR(1, uint8_t)
DEF_LDAR(2, uint16_t)
DEF_LDAR(4, uint32_t)
DEF_LDAR(8, uint64_t)

static const exec_fn ldar_fn[4] = { x_ldar1, x_ldar2, x_ldar4, x_ldar8 };
static const exec_fn stlr_fn[4] = { x_stlr1, x_stlr2, x_stlr4, x_stlr8 };

static bool acqrel(struct decode *dc, bool load, uint32_t z, uint32_t n, uint32_t t)
{
    dc->e->d = load ? slot_wz(t) : slot_rz(t);
    decode_mem_fn(dc, load ? ldar_fn[z] : stlr_fn[z], n);
    return true;
}

bool op_LDAR(struct decode *dc, const struct args_LDAR *a)
{
    return acqrel(dc, true, a->z, a->n, a->t);
}

bool op_LDLAR(struct decode *dc, const struct args_LDLAR *a)
{
    return acqrel(dc, true, a->z, a->n, a->t);
}

bool op_STLR(struct decode *dc, const struct args_STLR *a)
{
    return acqrel(dc, false, a->z, a->n, a->t);
}

bool op_STLLR(struct decode *dc, const struct args_STLLR *a)
{
    return acqrel(dc, false, a->z, a->n, a->t);
}

bool op_LDAPR(struct decode *dc, const struct args_LDAPR *a)
{
    return acqrel(dc, true, a->z, a->n, a->t);
}

/* LDAPUR/STLUR (RCpc with unscaled offset): c0 = bytes, c1 = extension
 * (0 zero, 1 sign to 64, 2 sign to 32), c2 = 1 for the store. */
static struct dinsn *x_ldapur(struct run *r, struct dinsn *d, uint64_t n)
{
    mem_begin(r, d);
    uint64_t a = r->x[d->n] + d->imm;
    unsigned s = d->c0;
    bool store = d->c2;
    if (unlikely(a & (s - 1)))
        NEXT(engine_align_fault(r, d, a, store));
    uint8_t *p = mem_host_rw(r, a, s, store);
    uint64_t v = 0;
    if (store) {
        v = r->x[d->d];
        if (unlikely(!p))
            NEXT(engine_mmio_exit(r, d, a, s, true, v, d->d, false, s == 8));
        gmem_probe_w(p);
        switch (s) {
        case 1: __atomic_store_n(p, (uint8_t)v, SEQ); break;
        case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, SEQ); break;
        case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, SEQ); break;
        default: __atomic_store_n((uint64_t *)p, v, SEQ); break;
        }
        NEXT(d + 1);
    }
    if (unlikely(!p))
        NEXT(engine_mmio_exit(r, d, a, s, false, 0, d->d, d->c1 != 0, d->c1 == 1 || s == 8));
    switch (s) {
    case 1: v = __atomic_load_n(p, __ATOMIC_ACQUIRE); break;
    case 2: v = __atomic_load_n((uint16_t *)p, __ATOMIC_ACQUIRE); break;
    case 4: v = __atomic_load_n((uint32_t *)p, __ATOMIC_ACQUIRE); break;
    default: v = __atomic_load_n((uint64_t *)p, __ATOMIC_ACQUIRE); break;
    }
    if (d->c1) {
        v = sext(v, 8 * s);
        if (d->c1 == 2)
            v = (uint32_t)v;
    }
    r->x[d->d] = v;
    NEXT(d + 1);
}

bool op_LDAPUR(struct decode *dc, const struct args_LDAPUR *a)
{
    /* size:opc as LDR/STR: 00 store, 01 load, 10 signed to X, 11 signed to W. */
    if ((a->z == 3 && a->o >= 2) || (a->z == 2 && a->o == 3))
        return false;
    struct dinsn *e = dc->e;
    e->imm = sext(a->i, 9);
    e->c0 = (uint8_t)(1u << a->z);
    e->c1 = a->o == 2 ? 1 : a->o == 3 ? 2 : 0;
    e->c2 = a->o == 0;
    e->d = a->o == 0 ? slot_rz(a->t) : slot_wz(a->t);
    decode_mem_fn(dc, x_ldapur, a->n);
    return true;
}

/* ---- exclusives ------------------------------------------------------------ */

/* c0 = bytes of one register (1..8), c1 = 1 for a pair. */
static struct dinsn *x_ldxr(struct run *r, struct dinsn *d, uint64_t n)
{
    mem_begin(r, d);
    uint64_t a = r->x[d->n];
    unsigned s = d->c0, total = d->c1 ? 2 * s : s;
    if (unlikely(a & (total - 1)))
        NEXT(engine_align_fault(r, d, a, false));
    uint8_t *p = mem_host_rw(r, a, total, false);
    if (unlikely(!p))
        NEXT(engine_nisv_exit(r, d, a, total, false));
    uint64_t v0, v1 = 0;
    switch (total) {
    case 1: v0 = __atomic_load_n(p, SEQ); break;
    case 2: v0 = __atomic_load_n((uint16_t *)p, SEQ); break;
    case 4: v0 = __atomic_load_n((uint32_t *)p, SEQ); break;
    case 8: v0 = __atomic_load_n((uint64_t *)p, SEQ); break;
    default:
        /* 128 bits: two loads; a torn pair only makes the STXP fail. */
        v0 = __atomic_load_n((uint64_t *)p, SEQ);
        v1 = __atomic_load_n((uint64_t *)p + 1, SEQ);
        break;
    }
    r->mon.valid = true;
    r->mon.addr = a;
    r->mon.size = (uint8_t)total;
    r->mon.val[0] = v0;
    r->mon.val[1] = v1;
    if (!d->c1) {
        r->x[d->d] = v0;
    } else if (s == 4) {
        r->x[d->d] = (uint32_t)v0;
        r->x[d->a] = v0 >> 32;
    } else {
        r->x[d->d] = v0;
        r->x[d->a] = v1;
    }
    NEXT(d + 1);
}

#if defined(__x86_64__) && defined(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)
static bool cas128(struct run *r, uint8_t *p, uint64_t e0, uint64_t e1, uint64_t n0, uint64_t n1, uint64_t *o0,
                   uint64_t *o1)
{
    unsigned __int128 exp = ((unsigned __int128)e1 << 64) | e0;
    unsigned __int128 nv = ((unsigned __int128)n1 << 64) | n0;
    unsigned __int128 old = __sync_val_compare_and_swap((unsigned __int128 *)p, exp, nv);
    *o0 = (uint64_t)old;
    *o1 = (uint64_t)(old >> 64);
    return old == exp;
}
#else
/* Hosts without a 16-byte compare-and-swap: a global lock serialises the
 * 128-bit exclusives and CASP against each other (not against plain stores). */
static pthread_mutex_t cas128_lock = PTHREAD_MUTEX_INITIALIZER;
static bool cas128(struct run *r, uint8_t *p, uint64_t e0, uint64_t e1, uint64_t n0, uint64_t n1, uint64_t *o0,
                   uint64_t *o1)
{
    /* Fault (host_fault_stop) before taking the lock if the page is gone;
     * should it vanish while the lock is held, the fault path releases it. */
    __atomic_fetch_or(p, 0, __ATOMIC_RELAXED);
    pthread_mutex_lock(&cas128_lock);
    r->held_lock = &cas128_lock;
    uint64_t c[2];
    memcpy(c, p, 16);
    *o0 = c[0];
    *o1 = c[1];
    bool ok = c[0] == e0 && c[1] == e1;
    if (ok) {
        c[0] = n0;
        c[1] = n1;
        memcpy(p, c, 16);
    }
    r->held_lock = NULL;
    pthread_mutex_unlock(&cas128_lock);
    return ok;
}
#endif

#define CAS_N(T)                                                                 \
    do {                                                                         \
        T e = (T)*expected;                                                      \
        bool ok = __atomic_compare_exchange_n((T *)p, &e, (T)nv, false, SEQ, SEQ); \
        *expected = e;                                                           \
        return ok;                                                               \
    } while (0)

/* Compare-and-swap of size bytes at p; *expected receives the old value. */
static bool cas_n(uint8_t *p, unsigned size, uint64_t *expected, uint64_t nv)
{
    switch (size) {
    case 1: CAS_N(uint8_t);
    case 2: CAS_N(uint16_t);
    case 4: CAS_N(uint32_t);
    default: CAS_N(uint64_t);
    }
}

/* d->m = status register (W), c0 / c1 as for x_ldxr. */
static struct dinsn *x_stxr(struct run *r, struct dinsn *d, uint64_t n)
{
    mem_begin(r, d);
    uint64_t a = r->x[d->n];
    unsigned s = d->c0, total = d->c1 ? 2 * s : s;
    uint64_t t0 = r->x[d->d], t1 = d->c1 ? r->x[d->a] : 0;
    if (unlikely(a & (total - 1)))
        NEXT(engine_align_fault(r, d, a, true));
    uint8_t *p = mem_host_rw(r, a, total, true);
    if (unlikely(!p))
        NEXT(engine_nisv_exit(r, d, a, total, true));
    uint64_t status = 1;
    gmem_probe_w(p);
    if (r->mon.valid && r->mon.addr == a && r->mon.size == total) {
        if (total == 16) {
            uint64_t o0, o1;
            if (cas128(r, p, r->mon.val[0], r->mon.val[1], t0, t1, &o0, &o1))
                status = 0;
        } else {
            uint64_t nv = t0;
            if (d->c1)
                nv = (uint32_t)t0 | (t1 << 32);
            uint64_t exp = r->mon.val[0];
            if (cas_n(p, total, &exp, nv))
                status = 0;
        }
    }
    r->mon.valid = false;
    r->x[d->m] = status;
    NEXT(d + 1);
}

static bool excl(struct decode *dc, bool load, unsigned bytes, bool pair, uint32_t s, uint32_t a2, uint32_t n,
                 uint32_t t)
{
    struct dinsn *e = dc->e;
    e->c0 = (uint8_t)bytes;
    e->c1 = pair;
    e->d = load ? slot_wz(t) : slot_rz(t);
    e->a = load ? slot_wz(a2) : slot_rz(a2);
    e->m = slot_wz(s);
    decode_mem_fn(dc, load ? x_ldxr : x_stxr, n);
    return true;
}

bool op_STXR(struct decode *dc, const struct args_STXR *a)
{
    return excl(dc, false, 1u << a->z, false, a->s, 31, a->n, a->t);
}

bool op_STLXR(struct decode *dc, const struct args_STLXR *a)
{
    return excl(dc, false, 1u << a->z, false, a->s, 31, a->n, a->t);
}

bool op_LDXR(struct decode *dc, const struct args_LDXR *a)
{
    return excl(dc, true, 1u << a->z, false, 31, 31, a->n, a->t);
}

bool op_LDAXR(struct decode *dc, const struct args_LDAXR *a)
{
    return excl(dc, true, 1u << a->z, false, 31, 31, a->n, a->t);
}

bool op_STXP(struct decode *dc, const struct args_STXP *a)
{
    return excl(dc, false, a->z ? 8 : 4, true, a->s, a->a, a->n, a->t);
}

bool op_STLXP(struct decode *dc, const struct args_STLXP *a)
{
    return excl(dc, false, a->z ? 8 : 4, true, a->s, a->a, a->n, a->t);
}

bool op_LDXP(struct decode *dc, const struct args_LDXP *a)
{
    return excl(dc, true, a->z ? 8 : 4, true, 31, a->a, a->n, a->t);
}

bool op_LDAXP(struct decode *dc, const struct args_LDAXP *a)
{
    return excl(dc, true, a->z ? 8 : 4, true, 31, a->a, a->n, a->t);
}

/* ---- compare and swap -------------------------------------------------------- */

/* CAS: d->m = Rs read slot, d->a = Rs write slot, d->d = Rt, c0 = bytes. */
static struct dinsn *x_cas(struct run *r, struct dinsn *d, uint64_t n)
{
    mem_begin(r, d);
    uint64_t a = r->x[d->n];
    unsigned s = d->c0;
    if (unlikely(a & (s - 1)))
        NEXT(engine_align_fault(r, d, a, true));
    uint8_t *p = mem_host_rw(r, a, s, true);
    if (unlikely(!p))
        NEXT(engine_nisv_exit(r, d, a, s, true));
    uint64_t exp = r->x[d->m];
    gmem_probe_w(p);
    cas_n(p, s, &exp, r->x[d->d]);
    r->x[d->a] = exp;
    NEXT(d + 1);
}

/* CASP: Rs, Rs+1 compared and loaded, Rt, Rt+1 stored. Slots: m/m+1 read via
 * c2/c3 for register 31 handling: d->m, d->c2 = Rs, Rs+1 read slots; d->a, d->c3
 * = Rs, Rs+1 write slots; d->d, d->imm = Rt, Rt+1 read slots. c0 = bytes of one. */
static struct dinsn *x_casp(struct run *r, struct dinsn *d, uint64_t n)
{
    mem_begin(r, d);
    uint64_t a = r->x[d->n];
    unsigned s = d->c0, total = 2 * s;
    if (unlikely(a & (total - 1)))
        NEXT(engine_align_fault(r, d, a, true));
    uint8_t *p = mem_host_rw(r, a, total, true);
    if (unlikely(!p))
        NEXT(engine_nisv_exit(r, d, a, total, true));
    uint64_t e0 = r->x[d->m], e1 = r->x[d->c2];
    uint64_t n0 = r->x[d->d], n1 = r->x[d->imm];
    uint64_t o0, o1;
    gmem_probe_w(p);
    if (s == 8) {
        cas128(r, p, e0, e1, n0, n1, &o0, &o1);
    } else {
        uint64_t exp = (uint32_t)e0 | (e1 << 32);
        cas_n(p, 8, &exp, (uint32_t)n0 | (n1 << 32));
        o0 = (uint32_t)exp;
        o1 = exp >> 32;
    }
    r->x[d->a] = o0;
    r->x[d->c3] = o1;
    NEXT(d + 1);
}

bool op_CAS(struct decode *dc, const struct args_CAS *a)
{
    struct dinsn *e = dc->e;
    e->c0 = (uint8_t)(1u << a->z);
    e->m = slot_rz(a->s);
    e->a = slot_wz(a->s);
    e->d = slot_rz(a->t);
    decode_mem_fn(dc, x_cas, a->n);
    return true;
}

bool op_CASP(struct decode *dc, const struct args_CASP *a)
{
    if ((a->s & 1) || (a->t & 1))
        return false;
    struct dinsn *e = dc->e;
    e->c0 = a->z ? 8 : 4;
    e->m = slot_rz(a->s);
    e->c2 = slot_rz(a->s + 1);
    e->a = slot_wz(a->s);
    e->c3 = slot_wz(a->s + 1);
    e->d = slot_rz(a->t);
    e->imm = slot_rz(a->t + 1);
    decode_mem_fn(dc, x_casp, a->n);
    return true;
}

/* ---- LSE atomic memory operations ---------------------------------------------- */

enum { AT_ADD, AT_CLR, AT_EOR, AT_SET, AT_SMAX, AT_SMIN, AT_UMAX, AT_UMIN, AT_SWP };

#define DEF_RMW(UT, ST)                                                          \
    static uint64_t rmw_##UT(UT *p, unsigned op, UT v)                           \
    {                                                                            \
        switch (op) {                                                            \
        case AT_ADD: return __atomic_fetch_add(p, v, SEQ);                       \
        case AT_CLR: return __atomic_fetch_and(p, (UT)~v, SEQ);                  \
        case AT_EOR: return __atomic_fetch_xor(p, v, SEQ);                       \
        case AT_SET: return __atomic_fetch_or(p, v, SEQ);                        \
        case AT_SWP: return __atomic_exchange_n(p, v, SEQ);                      \
        default: break;                                                          \
        }                                                                        \
        UT old = __atomic_load_n(p, __ATOMIC_RELAXED), nv;                       \
        do {                                                                     \
            switch (op) {                                                        \
            case AT_SMAX: nv = (ST)old > (ST)v ? old : v; break;                 \
            case AT_SMIN: nv = (ST)old < (ST)v ? old : v; break;                 \
            case AT_UMAX: nv = old > v ? old : v; break;                         \
            default: nv = old < v ? old : v; break;                              \
            }                                                                    \
        } while (!__atomic_compare_exchange_n(p, &old, nv, true, SEQ, __ATOMIC_RELAXED)); \
        return old;                                                              \
    }
DEF_RMW(uint8_t, int8_t)
DEF_RMW(uint16_t, int16_t)
DEF_RMW(uint32_t, int32_t)
DEF_RMW(uint64_t, int64_t)

/* d->m = Rs (operand), d->d = Rt (old value), c0 = bytes, c1 = operation. */
static struct dinsn *x_atomic(struct run *r, struct dinsn *d, uint64_t n)
{
    mem_begin(r, d);
    uint64_t a = r->x[d->n];
    unsigned s = d->c0;
    if (unlikely(a & (s - 1)))
        NEXT(engine_align_fault(r, d, a, true));
    uint8_t *p = mem_host_rw(r, a, s, true);
    if (unlikely(!p))
        NEXT(engine_nisv_exit(r, d, a, s, true));
    uint64_t v = r->x[d->m], old;
    gmem_probe_w(p);
    switch (s) {
    case 1: old = rmw_uint8_t(p, d->c1, (uint8_t)v); break;
    case 2: old = rmw_uint16_t((uint16_t *)p, d->c1, (uint16_t)v); break;
    case 4: old = rmw_uint32_t((uint32_t *)p, d->c1, (uint32_t)v); break;
    default: old = rmw_uint64_t((uint64_t *)p, d->c1, v); break;
    }
    r->x[d->d] = old;
    NEXT(d + 1);
}

bool op_ATOMIC(struct decode *dc, const struct args_ATOMIC *a)
{
    unsigned op;
    if (!a->O)
        op = a->o;
    else if (a->o == 0)
        op = AT_SWP;
    else
        return false;                  /* LDAPR (own row), ST64B & co: not implemented */
    struct dinsn *e = dc->e;
    e->c0 = (uint8_t)(1u << a->z);
    e->c1 = (uint8_t)op;
    e->m = slot_rz(a->s);
    e->d = slot_wz(a->t);
    decode_mem_fn(dc, x_atomic, a->n);
    return true;
}
