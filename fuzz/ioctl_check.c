/*
 * ioctl_check.c - the invariants fuzz_ioctl checks after every step:
 *   1. a failed ioctl changed nothing a VMM can observe (snapshot compare);
 *   2. KVM_GET_REG_LIST agrees with KVM_GET/SET_ONE_REG: every listed id reads
 *      and writes back, ids near listed ones that are not listed are refused;
 *   3. the lifecycle never goes backwards (created -> initialised -> ready).
 * Rules: spec/kvm-arm64-abi.md 2.5-2.7 (state x ioctl), 3.2 and 3.9 (ids and
 * the list protocol), STYLE.md "Errors" (validate fully before mutating).
 */
#include "ioctl_state.h"

uint64_t fz_cat[FZ_MAX_CAT];
unsigned fz_ncat;
struct fz fz;

/* ---- ONE_REG helpers -------------------------------------------------- */

int fz_get_reg(int fd, uint64_t id, void *buf)
{
    struct kvm_one_reg r = { id, (uintptr_t)buf };
    return softkvm_ioctl(fd, KVM_GET_ONE_REG, &r) == 0 ? 0 : errno;
}

int fz_set_reg(int fd, uint64_t id, const void *buf)
{
    struct kvm_one_reg r = { id, (uintptr_t)buf };
    return softkvm_ioctl(fd, KVM_SET_ONE_REG, &r) == 0 ? 0 : errno;
}

/* spec 3.7: the virtual count moves with the host clock (CTL's ISTATUS is
 * derived from it and masked in value_hash instead). */
bool fz_time_dependent(uint64_t id)
{
    return id == KVM_REG_ARM_TIMER_CNT;
}

/* ---- catalogue -------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bool fz_cat_has(uint64_t id)
{
    return bsearch(&id, fz_cat, fz_ncat, sizeof id, cmp_u64) != NULL;
}

static void cat_add(uint64_t id)
{
    if (fz_ncat < FZ_MAX_CAT)
        fz_cat[fz_ncat++] = id;
}

/* One vCPU with the given features on a fresh VM of the current profile:
 * INIT, FINALIZE(SVE) if needed, and every id of its list into the catalogue. */
static void cat_learn(int sysfd, uint32_t features)
{
    int vm = softkvm_ioctl(sysfd, KVM_CREATE_VM, 0);
    if (vm < 0)
        FUZZ_FAIL("catalogue: KVM_CREATE_VM: %s", strerror(errno));
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vcpu < 0)
        FUZZ_FAIL("catalogue: KVM_CREATE_VCPU: %s", strerror(errno));
    struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8, .features = { features } };
    if (softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0) {
        int what = KVM_ARM_VCPU_SVE;
        if (features & (1u << KVM_ARM_VCPU_SVE))
            softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what);
        static uint64_t buf[1 + FZ_MAX_LIST];
        struct kvm_reg_list *l = (void *)buf;
        l->n = FZ_MAX_LIST;
        if (softkvm_ioctl(vcpu, KVM_GET_REG_LIST, l) == 0)
            for (uint64_t i = 0; i < l->n; i++)
                cat_add(l->reg[i]);
    }
    softkvm_close(vcpu);
    softkvm_close(vm);
}

void fz_catalogue_build(int sysfd)
{
    static const char *const hosts[] = { "qemu-max", "nosve", "a64fx" };
    static const uint32_t sets[] = {
        0,
        1u << KVM_ARM_VCPU_SVE | 1u << KVM_ARM_VCPU_PTRAUTH_ADDRESS | 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC |
            1u << KVM_ARM_VCPU_PMU_V3,
        1u << KVM_ARM_VCPU_PSCI_0_2,
    };
    struct softkvm_host_profile saved;
    softkvm_get_host_profile(&saved);
    for (unsigned h = 0; h < sizeof hosts / sizeof hosts[0]; h++) {
        struct softkvm_host_profile p;
        if (softkvm_host_preset(hosts[h], &p) || softkvm_set_host_profile(&p))
            continue;
        for (unsigned s = 0; s < sizeof sets / sizeof sets[0]; s++)
            cat_learn(sysfd, sets[s]);
    }
    softkvm_set_host_profile(&saved);
    /* Hidden-by-design ids worth probing even though no list has them. */
    cat_add(KVM_REG_ARM_PTIMER_CTL);
    cat_add(KVM_REG_ARM_PTIMER_CVAL);
    cat_add(KVM_REG_ARM_PTIMER_CNT);
    qsort(fz_cat, fz_ncat, sizeof fz_cat[0], cmp_u64);
    unsigned k = 0;
    for (unsigned i = 0; i < fz_ncat; i++)
        if (!k || fz_cat[k - 1] != fz_cat[i])
            fz_cat[k++] = fz_cat[i];
    fz_ncat = k;
    if (fz_ncat < 300)
        FUZZ_FAIL("catalogue: only %u ids learned from KVM_GET_REG_LIST", fz_ncat);
}

/* ---- snapshots -------------------------------------------------------- */

#define CORE(off, size) (KVM_REG_ARM64 | (size) | KVM_REG_ARM_CORE | (off))
#define SYS(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)

/* A cross-section of every register class: what a careless failure path
 * (partial reset, half-applied copy) would most likely corrupt. */
static const uint64_t watch[] = {
    CORE(0x00, KVM_REG_SIZE_U64), CORE(0x3c, KVM_REG_SIZE_U64),   /* x0, x30 */
    CORE(0x3e, KVM_REG_SIZE_U64), CORE(0x40, KVM_REG_SIZE_U64),   /* sp, pc */
    CORE(0x42, KVM_REG_SIZE_U64), CORE(0x44, KVM_REG_SIZE_U64),   /* pstate, sp_el1 */
    CORE(0x46, KVM_REG_SIZE_U64), CORE(0x48, KVM_REG_SIZE_U64),   /* elr_el1, spsr[0] */
    CORE(0x54, KVM_REG_SIZE_U128), CORE(0xd0, KVM_REG_SIZE_U128), /* v0, v31 */
    CORE(0xd4, KVM_REG_SIZE_U32), CORE(0xd5, KVM_REG_SIZE_U32),   /* fpsr, fpcr */
    SYS(3, 0, 1, 0, 0), SYS(3, 0, 1, 0, 2), SYS(3, 0, 13, 0, 4),  /* SCTLR, CPACR, TPIDR_EL1 */
    SYS(3, 0, 0, 0, 5), SYS(3, 0, 1, 2, 0), SYS(3, 0, 12, 0, 0),  /* MPIDR, ZCR_EL1, VBAR */
    SYS(3, 0, 2, 1, 0), SYS(3, 3, 9, 12, 0), SYS(3, 0, 0, 4, 0),  /* APIAKEYLO, PMCR, PFR0 */
    SYS(2, 0, 1, 1, 4), SYS(3, 0, 0, 0, 0),                       /* OSLSR, MIDR */
    KVM_REG_ARM64_SVE_VLS, KVM_REG_ARM64_SVE_ZREG(0, 0), KVM_REG_ARM64_SVE_ZREG(31, 0),
    KVM_REG_ARM64_SVE_PREG(0, 0), KVM_REG_ARM64_SVE_FFR(0),
    KVM_REG_ARM_PSCI_VERSION, KVM_REG_ARM_STD_BMAP, KVM_REG_ARM_VENDOR_HYP_BMAP,
    KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CVAL,
    KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX | 0,      /* CCSIDR csselr 0 */
};
#define NWATCH (sizeof watch / sizeof watch[0])

static uint64_t value_hash(int fd, uint64_t id)
{
    static uint8_t buf[4096];
    size_t size = reg_bytes(id);
    if (size > sizeof buf)
        size = sizeof buf;
    memset(buf, 0, size);
    int e = fz_get_reg(fd, id, buf);
    if (e)
        return 0xe000000000000000ull | (unsigned)e;
    if (id == KVM_REG_ARM_TIMER_CTL)
        buf[0] &= (uint8_t)~0x4;   /* ISTATUS = CVAL <= count: follows the clock */
    return fnv64(buf, size, 0xcbf29ce484222325ull);
}

void fz_snapshot(unsigned i, struct fz_snap *s, const uint64_t *extra, unsigned nextra, bool deep)
{
    const struct fz_vcpu *c = &fz.vcpus[i];
    static uint64_t buf[1 + FZ_MAX_LIST];
    struct kvm_reg_list *l = (void *)buf;
    l->n = FZ_MAX_LIST;
    s->list_err = softkvm_ioctl(c->fd, KVM_GET_REG_LIST, l) == 0 ? 0 : errno;
    s->list_n = s->list_err ? 0 : (uint32_t)l->n;
    s->list_hash = s->list_err ? 0 : fnv64(l->reg, l->n * sizeof l->reg[0], 1);
    struct kvm_mp_state mp = { 0 };
    s->mp_err = softkvm_ioctl(c->fd, KVM_GET_MP_STATE, &mp) == 0 ? 0 : errno;
    s->mp_state = mp.mp_state;
    s->deep = deep;
    const uint64_t *src = deep ? fz_cat : watch;
    unsigned n = deep ? fz_ncat : NWATCH;
    s->nvals = 0;
    for (unsigned k = 0; k < n + nextra; k++) {
        uint64_t id = k < n ? src[k] : extra[k - n];
        if (fz_time_dependent(id))
            continue;
        s->ids[s->nvals] = id;
        s->vals[s->nvals++] = value_hash(c->fd, id);
    }
    s->gen = fz.vms[c->vm].gen;
    s->valid = true;
}

void fz_snap_fresh(unsigned i, const uint64_t *extra, unsigned nextra)
{
    struct fz_vcpu *c = &fz.vcpus[i];
    /* The extra ids (the op's own target) are always re-read: cheap and exact. */
    fz_snapshot(i, &c->snap, extra, nextra, fz.deep);
    fz_check_stage(i, &c->snap, "snapshot");
}

static const char *stage_name(int s)
{
    static const char *const n[] = { "created", "initialised", "ready" };
    return s >= 0 && s < 3 ? n[s] : "?";
}

void fz_check_stage(unsigned i, const struct fz_snap *s, const char *what)
{
    struct fz_vcpu *c = &fz.vcpus[i];
    int st;
    switch (s->list_err) {
    case ENOEXEC: st = 0; break;
    case EPERM: st = 1; break;
    case 0: st = 2; break;
    default:
        FUZZ_FAIL("vCPU %u: KVM_GET_REG_LIST with a valid buffer failed %s (only ENOEXEC/EPERM/success exist)",
                  i, strerror(s->list_err));
    }
    if (st < c->stage)
        FUZZ_FAIL("vCPU %u after %s: lifecycle went backwards, %s -> %s", i, what, stage_name(c->stage),
                  stage_name(st));
    c->stage = st;
    FUZZ_ASSERT(s->mp_err == 0, "vCPU %u: KVM_GET_MP_STATE failed %s", i, strerror(s->mp_err));
    /* spec 2.6: before INIT every ONE_REG is ENOEXEC, whatever the id. */
    if (st == 0)
        for (unsigned k = 0; k < s->nvals; k++)
            FUZZ_ASSERT(s->vals[k] == (0xe000000000000000ull | ENOEXEC),
                        "vCPU %u is not initialised but GET_ONE_REG(0x%llx) did not fail ENOEXEC", i,
                        (unsigned long long)s->ids[k]);
}

void fz_check_unchanged(unsigned i, const char *what, long err)
{
    struct fz_vcpu *c = &fz.vcpus[i];
    const struct fz_snap *a = &c->snap;
    if (!a->valid || a->gen != fz.vms[c->vm].gen)
        return;
    static struct fz_snap b;
    fz_snapshot(i, &b, NULL, 0, a->deep);
    /* The extra ids of the pre-snapshot sit after the base set: re-read them too. */
    unsigned base = b.nvals;
    for (unsigned k = base; k < a->nvals; k++) {
        b.ids[b.nvals] = a->ids[k];
        b.vals[b.nvals++] = value_hash(c->fd, a->ids[k]);
    }
    if (a->list_err != b.list_err || a->list_n != b.list_n || a->list_hash != b.list_hash)
        FUZZ_FAIL("vCPU %u: %s failed (%s) but KVM_GET_REG_LIST changed: %s/%u -> %s/%u", i, what,
                  strerror((int)err), strerror(a->list_err), a->list_n, strerror(b.list_err), b.list_n);
    if (a->mp_state != b.mp_state)
        FUZZ_FAIL("vCPU %u: %s failed (%s) but mp_state changed %u -> %u", i, what, strerror((int)err),
                  a->mp_state, b.mp_state);
    FUZZ_ASSERT(a->nvals == b.nvals, "snapshot sizes differ");
    for (unsigned k = 0; k < a->nvals; k++)
        if (a->ids[k] != b.ids[k] || a->vals[k] != b.vals[k])
            FUZZ_FAIL("vCPU %u: %s failed (%s) but register 0x%llx changed (hash %llx -> %llx)", i, what,
                      strerror((int)err), (unsigned long long)a->ids[k], (unsigned long long)a->vals[k],
                      (unsigned long long)b.vals[k]);
    fz_check_stage(i, &b, what);
}

/* ---- list / ONE_REG agreement ----------------------------------------- */

/*
 * Linux quirk (spec 3.2): the invariant-register lookup ignores the coproc
 * field, so MIDR/REVIDR/CLIDR/AIDR/CTR answer under any coproc that is not
 * routed earlier (core, demux, fw, SVE, fw bitmaps). Those ids are accepted
 * but never listed.
 */
bool fz_invariant_alias(uint64_t id)
{
    static const uint16_t inv[] = { 0xc000, 0xc006, 0xc801, 0xc807, 0xd801 };
    if ((id & 0xfff0ffff00000000ull) != (KVM_REG_ARM64 | KVM_REG_SIZE_U64))
        return false;
    if (id & 0xf0000000u)
        return false;
    unsigned coproc = (unsigned)(id >> 16) & 0xfff;
    if (coproc == 0x10 || coproc == 0x11 || coproc == 0x14 || coproc == 0x15 || coproc == 0x16)
        return false;
    for (unsigned k = 0; k < sizeof inv / sizeof inv[0]; k++)
        if ((uint16_t)id == inv[k])
            return true;
    return false;
}

static bool in_sorted(const uint64_t *ids, uint64_t n, uint64_t id)
{
    return bsearch(&id, ids, n, sizeof id, cmp_u64) != NULL;
}

static uint64_t neighbour(uint64_t id, uint8_t how)
{
    switch (how % 6) {
    case 0: return id ^ (1ull << (how / 6 % 64));
    case 1: return id + 1;
    case 2: return id - 1;
    case 3: return (id & ~(0xfull << 52)) | ((uint64_t)(how >> 3 & 0xf) << 52);   /* size code */
    case 4: return (id & ~0x0fff0000ull) | ((uint64_t)(0x10 + how % 8) << 16);      /* coproc */
    default: return id ^ ((uint64_t)how << 32);                                     /* bits 51:32 */
    }
}

void fz_check_agreement(unsigned i, struct bytes *b)
{
    struct fz_vcpu *c = &fz.vcpus[i];
    /* Nothing changed since the last full check of this vCPU: same answer. */
    if (c->agreed && c->agreed_gen == fz.vms[c->vm].gen)
        return;
    static uint64_t buf[1 + FZ_MAX_LIST + 8];
    struct kvm_reg_list *l = (void *)buf;

    /* Size probe (spec 3.9): E2BIG, the true n written back, no id written. */
    l->n = 0;
    l->reg[0] = 0x5a5a5a5a5a5a5a5aull;
    if (softkvm_ioctl(c->fd, KVM_GET_REG_LIST, l) != 0 && errno != E2BIG)
        return;   /* not ready: nothing to compare */
    uint64_t count = l->n;
    FUZZ_ASSERT(count > 0 && count <= FZ_MAX_LIST, "vCPU %u: register list of %llu ids", i, (unsigned long long)count);
    FUZZ_ASSERT(l->reg[0] == 0x5a5a5a5a5a5a5a5aull, "E2BIG probe wrote an id");
    l->n = count - 1;
    FUZZ_ASSERT(softkvm_ioctl(c->fd, KVM_GET_REG_LIST, l) == -1 && errno == E2BIG, "n = count-1 must be E2BIG");
    FUZZ_ASSERT(l->n == count, "E2BIG must write back the true n");
    for (unsigned k = 0; k < 8; k++)
        l->reg[count + k] = 0xc0ffee00 + k;
    l->n = count + 8;
    FUZZ_ASSERT(softkvm_ioctl(c->fd, KVM_GET_REG_LIST, l) == 0, "GET_REG_LIST with room failed %s", strerror(errno));
    FUZZ_ASSERT(l->n == count, "n = %llu after success, count was %llu", (unsigned long long)l->n,
                (unsigned long long)count);
    for (unsigned k = 0; k < 8; k++)
        FUZZ_ASSERT(l->reg[count + k] == 0xc0ffee00 + k, "GET_REG_LIST wrote past its count");

    static uint8_t val[256], again[256];
    static uint64_t sorted[FZ_MAX_LIST];
    memcpy(sorted, l->reg, count * sizeof sorted[0]);
    qsort(sorted, count, sizeof sorted[0], cmp_u64);
    for (uint64_t k = 1; k < count; k++)
        FUZZ_ASSERT(sorted[k - 1] != sorted[k], "id 0x%llx listed twice", (unsigned long long)sorted[k]);
    for (uint64_t k = 0; k < count; k++) {
        uint64_t id = l->reg[k];
        size_t size = reg_bytes(id);
        FUZZ_ASSERT(size <= sizeof val, "listed id 0x%llx has size %zu", (unsigned long long)id, size);
        /* Tight buffer: a read or write of more than the id's size hits the guard page. */
        uint8_t *tight = fuzz_ptr(&fz.mem, PTR_VALID, size);
        int e = fz_get_reg(c->fd, id, tight);
        FUZZ_ASSERT(e == 0, "listed id 0x%llx: GET_ONE_REG failed %s", (unsigned long long)id, strerror(e));
        memcpy(val, tight, size);
        e = fz_set_reg(c->fd, id, tight);
        if (id == KVM_REG_ARM64_SVE_VLS)
            FUZZ_ASSERT(e == EPERM, "VLS written back after FINALIZE: want EPERM, got %s", strerror(e));
        else
            FUZZ_ASSERT(e == 0, "listed id 0x%llx: writing back the value read (0x%llx...) failed %s",
                        (unsigned long long)id, (unsigned long long)*(const uint64_t *)val, strerror(e));
        if (!fz_time_dependent(id) && id != KVM_REG_ARM_TIMER_CTL) {
            FUZZ_ASSERT(fz_get_reg(c->fd, id, again) == 0 && memcmp(val, again, size) == 0,
                        "listed id 0x%llx reads differently after writing back its value", (unsigned long long)id);
        }
        /* A few neighbours of this id: unlisted means refused (GET and SET). */
        if (k % 4 == 0 || bytes_left(b)) {
            uint64_t nb = neighbour(id, take8(b));
            if (in_sorted(sorted, count, nb) || fz_invariant_alias(nb) || reg_bytes(nb) > sizeof val)
                continue;
            e = fz_get_reg(c->fd, nb, val);
            FUZZ_ASSERT(e != 0, "id 0x%llx is not listed but GET_ONE_REG accepts it (neighbour of 0x%llx)",
                        (unsigned long long)nb, (unsigned long long)id);
            memset(val, 0, sizeof val);
            e = fz_set_reg(c->fd, nb, val);
            FUZZ_ASSERT(e != 0, "id 0x%llx is not listed but SET_ONE_REG accepts it", (unsigned long long)nb);
        }
    }
    /* Writing values back may move the VM-wide counter offset: state changed. */
    fz.vms[c->vm].gen++;
    c->agreed = true;
    c->agreed_gen = fz.vms[c->vm].gen;
}
