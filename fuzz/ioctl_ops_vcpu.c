/*
 * ioctl_ops_vcpu.c - fuzz_ioctl's operations on vCPU fds: INIT, FINALIZE,
 * ONE_REG, VLS, the register list, MP state, events, device attributes, the
 * signal mask, KVM_RUN, bad pointers and unknown requests. Each op predicts
 * what the ABI fixes exactly (spec 2.4-2.6, 3.5, 3.9, 4.1) and leaves the
 * "failure changed nothing" check to fz_pre()/fz_post().
 */
#include "ioctl_state.h"

void fzop_init(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    static const uint32_t sets[] = {
        0, 1u << 2, 1u << 4, 1u << 4 | 1u << 2, 3u << 5, 1u << 5, 1u << 6, 1u << 3, 1u << 0, 1u << 1,
        1u << 4 | 1u << 7, 1u << 4 | 1u << 1, 0x7f, 1u << 4 | 3u << 5 | 1u << 3,
    };
    struct kvm_vcpu_init in;
    memset(&in, 0, sizeof in);
    uint8_t c = take8(b);
    in.target = c < 230 ? KVM_ARM_TARGET_GENERIC_V8 : c < 250 ? c % 8u : take32(b);
    c = take8(b);
    in.features[0] = c < 200 ? sets[c % (sizeof sets / sizeof sets[0])] : c < 240 ? take8(b) : take32(b);
    if (take8(b) >= 240)
        in.features[1 + take8(b) % 6] |= 1u << (take8(b) % 32);
    enum ptr_kind k = take8(b) < 250 ? PTR_VALID : take_ptr_kind(b);
    fz_pre((unsigned)i);
    int err;
    long r = fz_ioctl_vcpu((unsigned)i, KVM_ARM_VCPU_INIT, fz_arg_ptr(k, &in, sizeof in), &err);
    if (k == PTR_READONLY)
        memset(&in, 0xa5, sizeof in);   /* what the read-only page holds */
    if (fz.verbose)
        fprintf(stderr, "  INIT target %u features 0x%x,0x%x.. ptr %d\n", in.target, in.features[0], in.features[1], k);
    bool high = (in.features[0] >> 7) != 0;
    for (unsigned j = 1; j < 7; j++)
        high |= in.features[j] != 0;
    if (fz_bad_ptr(k))
        FUZZ_ASSERT(r == -1 && err == EFAULT, "INIT with a bad pointer: EFAULT (spec 2.2 step 1)");
    else if (in.target != KVM_ARM_TARGET_GENERIC_V8)
        FUZZ_ASSERT(r == -1 && err == EINVAL, "INIT with target %u: EINVAL", in.target);
    else if (high)
        FUZZ_ASSERT(r == -1 && (err == ENOENT || err == EINVAL), "INIT with feature bits >= 7: %s", strerror(err));
    fz_post((unsigned)i, r, err, "KVM_ARM_VCPU_INIT", true);
    if (r == 0) {
        fz_snap_fresh((unsigned)i, NULL, 0);
        FUZZ_ASSERT(fz.vcpus[i].stage >= 1, "vCPU not initialised after a successful INIT");
        /* POWER_OFF -> STOPPED. Without it RUNNABLE, unless an earlier INIT that
         * failed ENOENT left the bit recorded (spec 2.2 step 3, a measured quirk). */
        if (in.features[0] & 1)
            FUZZ_ASSERT(fz.vcpus[i].snap.mp_state == KVM_MP_STATE_STOPPED, "INIT(POWER_OFF): mp_state %u",
                        fz.vcpus[i].snap.mp_state);
        else
            FUZZ_ASSERT(fz.vcpus[i].snap.mp_state == KVM_MP_STATE_RUNNABLE ||
                            fz.vcpus[i].snap.mp_state == KVM_MP_STATE_STOPPED,
                        "INIT(0x%x): mp_state %u", in.features[0], fz.vcpus[i].snap.mp_state);
    }
}

void fzop_finalize(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    uint8_t c = take8(b);
    int what = c < 200 ? KVM_ARM_VCPU_SVE : c < 240 ? (int)(c % 8) - 1 : (int)take32(b);
    enum ptr_kind k = take8(b) < 230 ? PTR_VALID : take_ptr_kind(b);
    fz_pre((unsigned)i);
    int stage = fz.vcpus[i].stage, err;
    long r = fz_ioctl_vcpu((unsigned)i, KVM_ARM_VCPU_FINALIZE, fz_arg_ptr(k, &what, sizeof what), &err);
    if (fz.verbose)
        fprintf(stderr, "  FINALIZE(%d) ptr %d at stage %d\n", what, k, stage);
    if (k == PTR_READONLY)
        what = (int)0xa5a5a5a5;   /* what the read-only page holds */
    if (stage == 0)
        FUZZ_ASSERT(r == -1 && err == ENOEXEC, "FINALIZE before INIT: ENOEXEC beats everything (spec 2.4)");
    else if (fz_bad_ptr(k))
        FUZZ_ASSERT(r == -1 && err == EFAULT, "FINALIZE with a bad pointer: EFAULT");
    else if (what != KVM_ARM_VCPU_SVE)
        FUZZ_ASSERT(r == -1 && err == EINVAL, "FINALIZE(%d): EINVAL", what);
    else if (stage == 2)
        FUZZ_ASSERT(r == -1 && (err == EPERM || err == EINVAL), "FINALIZE on a ready vCPU: EPERM/EINVAL");
    else
        FUZZ_ASSERT(r == 0, "FINALIZE(SVE) on an initialised SVE vCPU: %s", strerror(err));
    fz_post((unsigned)i, r, err, "KVM_ARM_VCPU_FINALIZE", true);
    if (r == 0) {
        fz_snap_fresh((unsigned)i, NULL, 0);
        FUZZ_ASSERT(fz.vcpus[i].stage == 2, "not ready after FINALIZE");
    }
}

void fzop_one_reg(struct bytes *b, bool set)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    uint64_t id = fz_take_reg_id(b);
    size_t size = reg_bytes(id);
    uint8_t mode = take8(b);
    enum ptr_kind k = take_ptr_kind(b);
    bool tight = mode & 1, bad_struct = take8(b) >= 250;
    uint8_t *buf = k == PTR_VALID ? (tight ? fuzz_ptr(&fz.mem, PTR_VALID, size) : fz.mem.rw)
                                  : fuzz_ptr(&fz.mem, k, size);
    if (k == PTR_VALID) {
        if (!tight)
            memset(fz.mem.rw, 0xcd, fz.page_size);
        if (set) {
            uint8_t val[256] = { 0 };
            switch (mode >> 1 & 3) {
            case 0: take_buf(b, val, size < sizeof val ? size : sizeof val); break;
            case 1:
            case 2:
                fz_get_reg(fz.vcpus[i].fd, id, val);
                if ((mode >> 1 & 3) == 1)
                    val[take8(b) % (size < sizeof val ? size : sizeof val)] ^= (uint8_t)(1u << (take8(b) % 8));
                break;
            default: {
                static const uint64_t specials[] = { 0, ~0ull, 0x3c5, 0x3c4, 0x3c0, 0x10, 0x1d3, 0x3c9,
                                                     0x10001, 0x10000, 2, 1, 0xffff, 0x3, 0x8 };
                uint64_t s = specials[take8(b) % (sizeof specials / sizeof specials[0])];
                memcpy(val, &s, sizeof s);
            }
            }
            if (size <= fz.page_size)
                memcpy(buf, val, size < sizeof val ? size : sizeof val);
        }
    }
    struct kvm_one_reg reg = { id, (uintptr_t)buf };
    void *rp = bad_struct ? fuzz_ptr(&fz.mem, PTR_GUARD, 0) : &reg;
    fz_pre((unsigned)i);
    int stage = fz.vcpus[i].stage, err;
    long r = fz_ioctl_vcpu((unsigned)i, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, rp, &err);
    const char *what = set ? "KVM_SET_ONE_REG" : "KVM_GET_ONE_REG";
    if (stage == 0)
        FUZZ_ASSERT(r == -1 && err == ENOEXEC, "%s before INIT: ENOEXEC (spec 2.6)", what);
    else if (bad_struct)
        FUZZ_ASSERT(r == -1 && err == EFAULT, "%s with an unreadable kvm_one_reg: EFAULT", what);
    if (r == 0) {
        FUZZ_ASSERT(fz_cat_has(id) || fz_invariant_alias(id), "%s accepted id 0x%llx that no register list ever contained", what, (unsigned long long)id);
        FUZZ_ASSERT(!fz_bad_ptr(k) && !(k == PTR_READONLY && !set), "%s succeeded through a bad pointer", what);
        if (k == PTR_VALID && !tight)
            for (size_t j = size; j < fz.page_size; j++)
                FUZZ_ASSERT(fz.mem.rw[j] == 0xcd, "%s of 0x%llx (%zu bytes) wrote byte %zu", what,
                            (unsigned long long)id, size, j);
    }
    fz_post((unsigned)i, r, err, what, set);
}

/* SET(KVM_REG_ARM64_SVE_VLS), predicted exactly (spec 3.5, data/vls.tsv). */
void fzop_set_vls(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    uint64_t vls[8] = { 0 };
    uint32_t host = fz.host.sve_vqs;
    uint8_t c = take8(b);
    switch (c % 6) {
    case 0: vls[0] = host & ((1ull << (take8(b) % 18)) - 1); break;          /* a prefix (or empty) */
    case 1: vls[0] = take16(b); break;
    case 2: vls[0] = host; vls[0] ^= 1ull << (take8(b) % 20); break;           /* one VQ off/extra */
    case 3: vls[0] = host; vls[1 + take8(b) % 7] = 1ull << (take8(b) % 64); break;
    case 4: vls[0] = host & ~1ull; break;                                     /* VQ1 missing */
    default: take_buf(b, vls, sizeof vls); break;
    }
    enum ptr_kind k = take8(b) < 240 ? PTR_VALID : take_ptr_kind(b);
    fz_pre((unsigned)i);
    struct fz_vcpu *vc = &fz.vcpus[i];
    uint64_t before[8];
    int has = fz_get_reg(vc->fd, KVM_REG_ARM64_SVE_VLS, before);   /* ENOEXEC, ENOENT (no SVE) or 0 */
    int want;
    unsigned m = 0;
    for (unsigned w = 0; w < 8; w++)
        for (unsigned bit = 0; bit < 64; bit++)
            if (vls[w] >> bit & 1)
                m = w * 64 + bit + 1;
    unsigned host_max = 0;
    for (unsigned q = 1; q <= 16; q++)
        if (host >> (q - 1) & 1)
            host_max = q;
    if (has)
        want = has;
    else if (vc->stage == 2)
        want = EPERM;
    else if (fz_bad_ptr(k))
        want = EFAULT;
    else if (m == 0 || m > host_max || vls[0] != (host & ((1ull << m) - 1)))
        want = EINVAL;
    else
        want = 0;
    int err;
    struct kvm_one_reg reg = { KVM_REG_ARM64_SVE_VLS, (uintptr_t)fz_arg_ptr(k, vls, sizeof vls) };
    long r = fz_ioctl_vcpu((unsigned)i, KVM_SET_ONE_REG, &reg, &err);
    if (k != PTR_READONLY)
        FUZZ_ASSERT((want == 0 && r == 0) || (want && r == -1 && err == want),
                    "SET VLS {0x%llx,..} (host 0x%x, stage %d): want %s, got %ld/%s", (unsigned long long)vls[0], host,
                    vc->stage, want ? strerror(want) : "0", r, strerror(err));
    fz_post((unsigned)i, r, err, "SET_ONE_REG(VLS)", true);
    if (r == 0) {
        uint64_t after[8];
        FUZZ_ASSERT(fz_get_reg(vc->fd, KVM_REG_ARM64_SVE_VLS, after) == 0 && !memcmp(after, vls, sizeof vls),
                    "VLS reads back differently");
    }
}

void fzop_reg_list(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    fz_pre((unsigned)i);
    struct fz_vcpu *vc = &fz.vcpus[i];
    uint32_t count = vc->snap.list_n;
    uint8_t c = take8(b);
    uint64_t n = c < 60 ? 0 : c < 120 ? count - 1 : c < 180 ? count : c < 220 ? count + c % 8
               : c < 240 ? (1ull << 32) | count : take64(b);
    enum ptr_kind k = take8(b) < 220 ? PTR_VALID : take_ptr_kind(b);
    static uint64_t buf[1 + FZ_MAX_LIST + 8];
    struct kvm_reg_list *l = k == PTR_VALID ? (void *)buf : fuzz_ptr(&fz.mem, k, 16);
    if (k == PTR_VALID) {
        for (unsigned j = 0; j < FZ_MAX_LIST + 8; j++)
            buf[1 + j] = 0xabababababababab;
        l->n = n;
    }
    uint32_t user_n = (uint32_t)n;
    int err;
    long r = fz_ioctl_vcpu((unsigned)i, KVM_GET_REG_LIST, l, &err);
    if (vc->stage < 2)
        FUZZ_ASSERT(r == -1 && err == (vc->stage ? EPERM : ENOEXEC), "GET_REG_LIST at stage %d: %s", vc->stage,
                    strerror(err));
    else if (k == PTR_STRADDLE)   /* header readable, ids run into the guard page */
        FUZZ_ASSERT(r == -1 && (err == EFAULT || err == E2BIG), "GET_REG_LIST straddling the guard: %s",
                    strerror(err));
    else if (fz_bad_ptr(k) || k == PTR_READONLY)
        FUZZ_ASSERT(r == -1 && err == EFAULT, "GET_REG_LIST through a bad pointer: %s", strerror(err));
    else if (user_n < count) {
        FUZZ_ASSERT(r == -1 && err == E2BIG && l->n == count, "GET_REG_LIST n=%u < %u: E2BIG, n written back",
                    user_n, count);
        FUZZ_ASSERT(buf[1] == 0xabababababababab, "E2BIG wrote ids");
    } else {   /* valid buffer, large enough: count ids always fit in it */
        FUZZ_ASSERT(r == 0 && l->n == count, "GET_REG_LIST n=%u >= %u: success with n = count", user_n, count);
        FUZZ_ASSERT(fnv64(l->reg, count * 8, 1) == vc->snap.list_hash, "the list changed without a mutation");
        FUZZ_ASSERT(buf[1 + count] == 0xabababababababab, "ids written past the count");
    }
    fz_post((unsigned)i, r, err, "KVM_GET_REG_LIST", false);
}

void fzop_mp_state(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    bool set = take8(b) & 1;
    uint8_t c = take8(b);
    struct kvm_mp_state mp = { c < 200 ? (uint32_t[]){ 0, 5, 10, 1, 2, 3, 4, 6 }[c % 8] : take32(b) };
    enum ptr_kind k = take8(b) < 230 ? PTR_VALID : take_ptr_kind(b);
    fz_pre((unsigned)i);
    int err;
    long r = fz_ioctl_vcpu((unsigned)i, set ? KVM_SET_MP_STATE : KVM_GET_MP_STATE, fz_arg_ptr(k, &mp, sizeof mp), &err);
    uint32_t val = k == PTR_READONLY ? 0xa5a5a5a5u : mp.mp_state;   /* what the ro page holds */
    if (fz_bad_ptr(k) || (!set && k == PTR_READONLY))
        FUZZ_ASSERT(r == -1 && err == EFAULT, "MP_STATE through a bad pointer: EFAULT");
    else if (set)
        FUZZ_ASSERT((r == 0) == (val == 0 || val == 5 || val == 10), "SET_MP_STATE(%u): %ld/%s", val, r,
                    strerror(err));
    fz_post((unsigned)i, r, err, set ? "KVM_SET_MP_STATE" : "KVM_GET_MP_STATE", set);
}

void fzop_events(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    bool set = take8(b) & 1;
    struct kvm_vcpu_events ev;
    memset(&ev, 0, sizeof ev);
    uint8_t c = take8(b);
    if (c >= 128)
        take_buf(b, &ev, c >= 240 ? sizeof ev : 16);
    else if (c >= 64)
        ev.exception.ext_dabt_pending = 1;
    enum ptr_kind k = take8(b) < 230 ? PTR_VALID : take_ptr_kind(b);
    fz_pre((unsigned)i);
    int stage = fz.vcpus[i].stage, err;
    long r = fz_ioctl_vcpu((unsigned)i, set ? KVM_SET_VCPU_EVENTS : KVM_GET_VCPU_EVENTS, fz_arg_ptr(k, &ev, sizeof ev), &err);
    if (stage == 0)
        FUZZ_ASSERT(r == -1 && err == ENOEXEC, "VCPU_EVENTS before INIT: ENOEXEC");
    fz_post((unsigned)i, r, err, set ? "KVM_SET_VCPU_EVENTS" : "KVM_GET_VCPU_EVENTS", set);
}

void fzop_device_attr(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    static const unsigned long reqs[] = { KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR };
    unsigned long req = reqs[pick(b, 3)];
    uint64_t data = take64(b);
    struct kvm_device_attr a;
    memset(&a, 0, sizeof a);
    uint8_t c = take8(b);
    a.group = c < 200 ? c % 4 : take32(b);
    c = take8(b);
    a.attr = c < 200 ? c % 4 : take64(b);
    a.flags = take8(b) < 240 ? 0 : take32(b);
    a.addr = (uintptr_t)(take8(b) < 200 ? memcpy(fz.mem.rw, &data, sizeof data) : fuzz_ptr(&fz.mem, take_ptr_kind(b), 8));
    enum ptr_kind k = take8(b) < 240 ? PTR_VALID : take_ptr_kind(b);
    fz_pre((unsigned)i);
    int err;
    long r = fz_ioctl_vcpu((unsigned)i, req, fz_arg_ptr(k, &a, sizeof a), &err);
    if (fz_bad_ptr(k))
        FUZZ_ASSERT(r == -1 && err == EFAULT, "DEVICE_ATTR with a bad pointer: EFAULT");
    fz_post((unsigned)i, r, err, "KVM_*_DEVICE_ATTR", req == KVM_SET_DEVICE_ATTR);
}

void fzop_sigmask(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    static uint8_t raw[sizeof(struct kvm_signal_mask) + 8];
    struct kvm_signal_mask *m = (void *)raw;
    uint8_t c = take8(b);
    m->len = c < 220 ? 8 : take32(b);
    uint64_t set = take64(b);
    set &= ~(1ull << (FUZZ_WATCHDOG_SIG - 1));   /* the watchdog must reach KVM_RUN */
    memcpy(m->sigset, &set, 8);
    enum ptr_kind k = take8(b) < 220 ? PTR_VALID : take_ptr_kind(b);
    void *p = k == PTR_VALID ? fz_arg_ptr(k, raw, sizeof raw) : fuzz_ptr(&fz.mem, k, sizeof raw);
    fz_pre((unsigned)i);
    int err;
    long r = fz_ioctl_vcpu((unsigned)i, KVM_SET_SIGNAL_MASK, p, &err);
    if (k == PTR_NULL)
        FUZZ_ASSERT(r == 0, "SET_SIGNAL_MASK(NULL) clears the mask");
    fz_post((unsigned)i, r, err, "KVM_SET_SIGNAL_MASK", true);
}

/*
 * KVM_RUN. With immediate_exit the preconditions are checked and nothing runs
 * (spec 4.1: EINTR, exit_reason untouched). Otherwise the guest runs for a few
 * instructions (insn limit, when the library has it) under the watchdog.
 */
void fzop_run(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    struct fz_vcpu *vc = &fz.vcpus[i];
    uint8_t c = take8(b);
    bool immediate = c < 160;
    /* Guest code only runs on memory the harness owns: a slot the fuzzer
     * pointed at some other mapping of this process would let the guest
     * scribble over the fuzzer itself (a VMM's mistake, not softkvm's). */
    const struct fz_vm *vmr = &fz.vms[vc->vm];
    for (unsigned k = 0; k < vmr->nslots; k++)
        if (!vmr->slots[k].safe)
            immediate = true;
    fz_pre((unsigned)i);
    int stage = vc->stage, err;
    uint32_t sentinel = 0x1234;
    bool keep = take8(b) & 1;
    if (!keep || vc->run->exit_reason == KVM_EXIT_MMIO)
        vc->run->exit_reason = sentinel;
    else
        sentinel = vc->run->exit_reason;
    vc->run->immediate_exit = immediate;
    if (!immediate) {
        /* Small limits make runs end at every kind of exit, HVC/SMC/WFI included
         * (a limit used up there once made KVM_RUN deaf to signals: fixed,
         * regression tests/robust/hostile_loops.c). */
        uint64_t limit = 1 + take8(b) % 64;
        FUZZ_ASSERT(softkvm_vcpu_set_insn_limit(vc->fd, limit) == 0, "set_insn_limit");
        fuzz_watchdog_arm(2);
    }
    fuzz_hang_guard(10);
    long r = fz_ioctl_vcpu((unsigned)i, KVM_RUN, NULL, &err);
    fuzz_hang_guard(0);
    if (!immediate)
        fuzz_watchdog_disarm();
    vc->run->immediate_exit = 0;
    if (stage == 0)
        FUZZ_ASSERT(r == -1 && err == ENOEXEC, "KVM_RUN before INIT: ENOEXEC (%s)", strerror(err));
    else if (stage == 1)
        FUZZ_ASSERT(r == -1 && err == EPERM, "KVM_RUN before FINALIZE: EPERM (%s)", strerror(err));
    if (r < 0 && (err == ENOEXEC || err == EPERM || (immediate && err == EINTR)))
        FUZZ_ASSERT(vc->run->exit_reason == sentinel, "KVM_RUN %s changed exit_reason to %u", strerror(err),
                    vc->run->exit_reason);
    if (immediate && stage == 2 && r < 0)
        FUZZ_ASSERT(err == EINTR || err == EINVAL, "KVM_RUN with immediate_exit: %s", strerror(err));
    if (r == 0) {
        static const uint32_t valid[] = { KVM_EXIT_MMIO, KVM_EXIT_SYSTEM_EVENT, KVM_EXIT_INTERNAL_ERROR,
                                          KVM_EXIT_ARM_NISV, KVM_EXIT_DEBUG, KVM_EXIT_FAIL_ENTRY };
        bool ok = false;
        for (unsigned j = 0; j < sizeof valid / sizeof valid[0]; j++)
            ok |= vc->run->exit_reason == valid[j];
        FUZZ_ASSERT(ok, "KVM_RUN returned 0 with exit_reason %u", vc->run->exit_reason);
    } else {
        FUZZ_ASSERT(err == EINTR || err == EINVAL || err == ENOEXEC || err == EPERM || err == ENOSYS ||
                        err == EFAULT,
                    "KVM_RUN failed %s", strerror(err));
    }
    /* Only the pure precondition failures are side-effect free; anything that
     * got past them may have run guest code or completed MMIO. */
    if (r < 0 && (err == ENOEXEC || err == EPERM))
        fz_post((unsigned)i, r, err, "KVM_RUN", true);
    else
        fz.vms[vc->vm].gen++;
}

/* A request that takes a pointer, given a pointer that cannot be followed. */
void fzop_bad_pointer(struct bytes *b)
{
    static const unsigned long vcpu_reqs[] = {
        KVM_GET_ONE_REG, KVM_SET_ONE_REG, KVM_ARM_VCPU_INIT, KVM_ARM_VCPU_FINALIZE, KVM_GET_REG_LIST,
        KVM_GET_MP_STATE, KVM_SET_MP_STATE, KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS, KVM_SET_SIGNAL_MASK,
        KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR, KVM_SET_REGS, KVM_GET_REGS,
    };
    static const unsigned long vm_reqs[] = { KVM_SET_USER_MEMORY_REGION, KVM_ARM_PREFERRED_TARGET, KVM_ENABLE_CAP };
    static const enum ptr_kind kinds[] = { PTR_NULL, PTR_GUARD, PTR_LOW, PTR_KERNEL, PTR_WRAP };
    enum ptr_kind k = kinds[pick(b, 5)];
    if (take8(b) & 1) {
        int v = fz_pick_vm(b);
        if (v < 0)
            return;
        unsigned long req = vm_reqs[pick(b, 3)];
        errno = 0;
        int r = softkvm_ioctl(fz.vms[v].fd, req, fuzz_ptr(&fz.mem, k, 128));
        FUZZ_ASSERT(r == -1 && errno == EFAULT, "VM ioctl 0x%lx with pointer kind %d: %d/%s", req, k, r,
                    strerror(errno));
        return;
    }
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    unsigned long req = vcpu_reqs[pick(b, sizeof vcpu_reqs / sizeof vcpu_reqs[0])];
    fz_pre((unsigned)i);
    int err;
    long r = fz_ioctl_vcpu((unsigned)i, req, fuzz_ptr(&fz.mem, k, 128), &err);
    if (req == KVM_SET_SIGNAL_MASK && k == PTR_NULL) {
        fz_post((unsigned)i, r, err, "KVM_SET_SIGNAL_MASK(NULL)", true);
        return;
    }
    FUZZ_ASSERT(r == -1, "vCPU ioctl 0x%lx succeeded with pointer kind %d", req, k);
    fz_post((unsigned)i, r, err, "bad-pointer vCPU ioctl", false);
}

static bool known_request(unsigned long req)
{
    static const unsigned long known[] = {
        KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CHECK_EXTENSION, KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VCPU,
        KVM_SET_USER_MEMORY_REGION, KVM_ARM_PREFERRED_TARGET, KVM_ENABLE_CAP, KVM_CREATE_IRQCHIP, KVM_CREATE_DEVICE,
        KVM_RUN, KVM_GET_ONE_REG, KVM_SET_ONE_REG, KVM_ARM_VCPU_INIT, KVM_ARM_VCPU_FINALIZE, KVM_GET_REG_LIST,
        KVM_GET_MP_STATE, KVM_SET_MP_STATE, KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS, KVM_SET_SIGNAL_MASK,
        KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR, KVM_SET_REGS, KVM_GET_REGS,
        KVM_SET_FPU, KVM_GET_FPU, KVM_SET_SREGS, KVM_GET_SREGS, KVM_TRANSLATE, KVM_IRQ_LINE,
        KVM_ARM_SET_DEVICE_ADDR, KVM_SET_GUEST_DEBUG,
    };
    for (unsigned k = 0; k < sizeof known / sizeof known[0]; k++)
        if (known[k] == req)
            return true;
    return false;
}

/* A request number no dispatcher knows, on any kind of fd: fails, changes nothing. */
void fzop_unknown_request(struct bytes *b)
{
    uint8_t c = take8(b);
    unsigned long req = c < 128 ? (unsigned long)take8(b) << 30 | (unsigned long)(take16(b) & 0x3fff) << 16 |
                                      0xae00 | take8(b)
                                : (unsigned long)take32(b);
    if (known_request(req))
        return;
    unsigned long arg = (uintptr_t)fuzz_ptr(&fz.mem, take_ptr_kind(b), 64);
    switch (take8(b) % 4) {
    case 0:
        errno = 0;
        FUZZ_ASSERT(softkvm_ioctl(fz.sysfd, req, arg) == -1, "system fd accepted unknown request 0x%lx", req);
        break;
    case 1: {
        int v = fz_pick_vm(b);
        if (v >= 0)
            FUZZ_ASSERT(softkvm_ioctl(fz.vms[v].fd, req, arg) == -1, "VM fd accepted unknown request 0x%lx", req);
        break;
    }
    case 2: {
        int i = fz_pick_vcpu(b);
        if (i < 0)
            break;
        fz_pre((unsigned)i);
        int err;
        long r = fz_ioctl_vcpu((unsigned)i, req, (void *)arg, &err);
        FUZZ_ASSERT(r == -1, "vCPU fd accepted unknown request 0x%lx", req);
        fz_post((unsigned)i, r, err, "unknown vCPU ioctl", false);
        break;
    }
    default:
        /* Not a softkvm fd at all: EBADF (closed) or ENOTTY (some other file). */
        errno = 0;
        FUZZ_ASSERT(softkvm_ioctl(-1, req, arg) == -1 && errno == EBADF, "fd -1: EBADF");
        break;
    }
}



void fzop_agree(struct bytes *b)
{
    int i = fz_pick_vcpu(b);
    if (i < 0)
        return;
    struct bytes sub = { b->p, b->n < 64 ? b->n : 64 };
    size_t used = sub.n;
    fz_check_agreement((unsigned)i, &sub);
    b->p += used;
    b->n -= used;
}
