/*
 * lifecycle.c - replays lifecycle.tsv: walks the step table and the data side by side,
 * executes each step on its slot (vCPU history) and compares "result detail".
 *
 * Buffers are prepared the way the measurements show the probe did: scalar and VLS reads
 * start from zeroes, Z/P/FFR reads from a non-zero, non-0xff pattern (a failed read then
 * shows nonzero_bytes = the full size, as recorded).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lifecycle.h"

#define POISON 0xa5
#define SENTINEL 0x5e5e5e5e5e5e5e5eULL

static struct slot slots[S_COUNT];

static bool in_run_group(const struct step *st)
{
    return st->slot >= S_RUNA;
}

static void slot_close(struct slot *s)
{
    abi_guest_close(&s->g);
    memset(s, 0, sizeof(*s));
    abi_guest_zero(&s->g);
}

/* A VM and vCPU 0 without run page: the norun histories never map or run. */
static int slot_new_plain(struct slot *s)
{
    s->g.vm = abi_vm_create();
    if (s->g.vm < 0)
        return s->g.vm;
    s->g.vcpu = abi_vcpu_create(s->g.vm, 0);
    return s->g.vcpu < 0 ? s->g.vcpu : 0;
}

static const struct {
    const char *name;
    uint64_t id;
} named_regs[] = {
    { "pc", REG_PC },           { "x0", REG_X0 },           { "pstate", REG_PSTATE },
    { "ESR_EL1", REG_ESR_EL1 }, { "ELR_EL1", REG_ELR_EL1 }, { "FAR_EL1", REG_FAR_EL1 },
    { "SPSR_EL1", REG_SPSR_EL1 }, { "VBAR_EL1", REG_VBAR_EL1 },
    { "elr_el1(core)", REG_ELR_EL1 },
};

/* "pc=0x.. pstate=0x.." for the space-separated names; returns 0 or the first -errno. */
int abi_regs_detail(struct slot *s, const char *names, char *det, size_t n)
{
    char buf[256];
    size_t len = 0;
    int ret = 0;

    snprintf(buf, sizeof(buf), "%s", names);
    det[0] = '\0';
    for (char *save, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        uint64_t v = 0;
        int r = -ENOENT;

        for (size_t i = 0; i < sizeof(named_regs) / sizeof(named_regs[0]); i++)
            if (strcmp(tok, named_regs[i].name) == 0)
                r = abi_reg_get64(s->g.vcpu, named_regs[i].id, &v);
        if (r < 0 && !ret)
            ret = r;
        len += (size_t)snprintf(det + len, n - len, "%s%s=0x%" PRIx64, len ? " " : "", tok, v);
        if (len >= n)
            break;
    }
    return ret;
}

static void __attribute__((format(printf, 2, 3))) append(char *det, const char *fmt, ...)
{
    size_t len = strlen(det);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(det + len, DET_LEN - len, fmt, ap);
    va_end(ap);
}

/* Result and detail of a KVM_RUN step (also used by the run callbacks). */
void abi_run_detail(struct slot *s, const struct step *st, int ret, char *res, char *det)
{
    abi_fmt_ret(res, RES_LEN, ret);
    abi_guest_fmt_exit(&s->g, det, DET_LEN);
    if (st->flags & F_PC) {
        uint64_t pc = 0;

        abi_reg_get64(s->g.vcpu, REG_PC, &pc);
        append(det, " pc=0x%" PRIx64, pc);
    }
    if ((st->flags & F_GUARDNOTE) && ret == -EINTR)
        append(det, " (guard timeout 3s or signal)");
    if (st->flags & F_REGS) {
        size_t len = strlen(det);

        snprintf(det + len, DET_LEN - len, " | ");
        len = strlen(det);
        abi_regs_detail(s, REGS_EXC, det + len, DET_LEN - len);
    }
    if (ret == 0 && s->g.run->exit_reason == KVM_EXIT_MMIO && !s->g.run->mmio.is_write)
        abi_guest_mmio_reply(&s->g);
}

static void do_get(struct slot *s, const struct step *st, char *res, char *det)
{
    unsigned char buf[256];
    size_t size = abi_reg_size(st->id), ff = 0, nz = 0;
    struct kvm_one_reg r = { .id = st->id, .addr = (uint64_t)(uintptr_t)buf };
    uint64_t w[8];
    int ret;

    if (size > sizeof(buf))
        size = sizeof(buf);
    memset(buf, st->det == D_NZ || st->det == D_FF ? POISON : 0, sizeof(buf));
    if (st->flags & F_ADDRNULL)
        r.addr = 0;
    if (st->flags & F_ADDR1)
        r.addr = 1;
    ret = abi_kvm_call(s->g.vcpu, KVM_GET_ONE_REG, (st->flags & F_NULLARG) ? NULL : &r);
    abi_fmt_ret(res, RES_LEN, ret);
    memcpy(w, buf, sizeof(w));
    if (st->id == REG_SVE_VLS && ret == 0)
        memcpy(s->vls, w, sizeof(s->vls));
    while (ff < size && buf[ff] == 0xff)
        ff++;
    for (size_t i = 0; i < size; i++)
        nz += buf[i] != 0;
    switch (st->det) {
    case D_VALUE:
        snprintf(det, DET_LEN, "value=0x%" PRIx64, w[0]);
        break;
    case D_VLS0:
        snprintf(det, DET_LEN, "vls0=0x%" PRIx64, w[0]);
        break;
    case D_VLS:
        snprintf(det, DET_LEN, "vls=%" PRIx64 ",%" PRIx64 ",%" PRIx64 ",%" PRIx64 ",%" PRIx64
                 ",%" PRIx64 ",%" PRIx64 ",%" PRIx64, w[0], w[1], w[2], w[3], w[4], w[5], w[6],
                 w[7]);
        break;
    case D_NZ:
        snprintf(det, DET_LEN, "nonzero_bytes=%zu", nz);
        break;
    case D_FF:
        snprintf(det, DET_LEN, "leading_ff_bytes=%zu nonzero_bytes=%zu", ff, nz);
        break;
    case D_BYTES:
        strcpy(det, "bytes=");
        abi_hex_bytes(det + 6, buf, size);
        break;
    default:
        break;
    }
}

static void do_set(struct slot *s, const struct step *st, char *res)
{
    unsigned char buf[256];
    size_t size = abi_reg_size(st->id);
    struct kvm_one_reg r = { .id = st->id, .addr = (uint64_t)(uintptr_t)buf };

    if (size > sizeof(buf))
        size = sizeof(buf);
    memset(buf, 0, sizeof(buf));
    switch (st->vk) {
    case V_U64:
        memcpy(buf, &st->arg, sizeof(st->arg));
        break;
    case V_ASREAD:
        memcpy(buf, s->vls, sizeof(s->vls));
        break;
    case V_VLS1:
        buf[0] = 1;
        break;
    case V_FF:
        memset(buf, 0xff, size);
        break;
    case V_SEQ16:
        for (int i = 0; i < 16; i++)
            buf[i] = (unsigned char)(0x10 + i);
        break;
    default:
        break;
    }
    if (st->flags & F_ADDRNULL)
        r.addr = 0;
    abi_fmt_ret(res, RES_LEN, abi_kvm_call(s->g.vcpu, KVM_SET_ONE_REG, &r));
}

static void do_init(struct slot *s, const struct step *st, char *res)
{
    uint32_t target = abi_preferred_target();
    int ret;

    if (st->flags & F_SETX0)
        abi_reg_set64(s->g.vcpu, REG_X0, 0x1234);
    if (st->flags & F_TGT1)
        target += 1;
    if (st->flags & F_TGTFF)
        target = 0xffffffff;
    if (st->flags & F_NULLARG)
        ret = abi_kvm_call(s->g.vcpu, KVM_ARM_VCPU_INIT, NULL);
    else
        ret = abi_vcpu_init(s->g.vcpu, target, (uint32_t)st->id, (uint32_t)st->arg);
    abi_fmt_ret(res, RES_LEN, ret);
}

static void do_fin(struct slot *s, const struct step *st, char *res)
{
    int what = (int)st->id;

    abi_fmt_ret(res, RES_LEN,
            abi_kvm_call(s->g.vcpu, KVM_ARM_VCPU_FINALIZE, (st->flags & F_NULLARG) ? NULL : &what));
}

static void do_list(struct slot *s, const struct step *st, char *res, char *det)
{
    uint64_t n = s->n, *mem;
    struct kvm_reg_list *l;
    int ret;

    if (st->id == L_NULL) {
        abi_fmt_ret(res, RES_LEN, abi_kvm_call(s->g.vcpu, KVM_GET_REG_LIST, NULL));
        return;
    }
    if (st->id == L_UNMAPPED) {
        /* The header at the end of a page whose successor is unmapped: reg[] faults. */
        char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

        if (p == MAP_FAILED) {
            snprintf(res, RES_LEN, "(mmap failed)");
            return;
        }
        munmap(p + 4096, 4096);
        l = (struct kvm_reg_list *)(p + 4096 - sizeof(*l));
        l->n = 100000;
        abi_fmt_ret(res, RES_LEN, abi_kvm_call(s->g.vcpu, KVM_GET_REG_LIST, l));
        snprintf(det, DET_LEN, "n_after=%" PRIu64, (uint64_t)l->n);
        munmap(p, 4096);
        return;
    }
    mem = calloc(n + 16, sizeof(uint64_t));
    if (!mem) {
        snprintf(res, RES_LEN, "(out of memory)");
        return;
    }
    l = (struct kvm_reg_list *)mem;
    for (uint64_t i = 0; i < n + 8; i++)
        l->reg[i] = SENTINEL;
    switch (st->id) {
    case L_N0: l->n = 0; break;
    case L_NM1: l->n = n ? n - 1 : 0; break;
    case L_N: l->n = n; break;
    case L_NP5: l->n = n + 5; break;
    }
    ret = abi_kvm_call(s->g.vcpu, KVM_GET_REG_LIST, l);
    abi_fmt_ret(res, RES_LEN, ret);
    snprintf(det, DET_LEN, "n_after=%" PRIu64, (uint64_t)l->n);
    if (st->id == L_NM1)
        append(det, " first_entry_written=%s", l->reg[0] == SENTINEL ? "no" : "yes");
    if (st->id == L_NP5)
        append(det, " entry[N]=%s", l->reg[n] == SENTINEL ? "untouched" : "written");
    if (st->id == L_N0)
        s->n = l->n;
    free(mem);
}

static void do_mp(struct slot *s, const struct step *st, char *res, char *det)
{
    struct kvm_mp_state mp = { .mp_state = (uint32_t)st->id };

    if (st->act == A_MPSET) {
        abi_fmt_ret(res, RES_LEN, abi_kvm_call(s->g.vcpu, KVM_SET_MP_STATE, &mp));
        return;
    }
    mp.mp_state = 0;
    abi_fmt_ret(res, RES_LEN, abi_kvm_call(s->g.vcpu, KVM_GET_MP_STATE, &mp));
    snprintf(det, DET_LEN, "mp_state=%u", mp.mp_state);
}

static void exec_step(const struct step *st, char *res, char *det)
{
    struct slot *s = &slots[st->slot];
    int ret;

    res[0] = det[0] = '\0';
    if (st->flags & F_NEW) {
        slot_close(s);
        ret = 0;
        if (st->setup)
            ret = st->setup(s);
        else if (!in_run_group(st))
            ret = slot_new_plain(s);
        if (ret < 0) {
            s->broken = true;
            if (!s->why[0])
                snprintf(s->why, sizeof(s->why), "new VM/vCPU: %s", abi_errname(-ret));
        }
    }
    if (s->broken) {
        if (s->why[0])
            snprintf(res, RES_LEN, "(setup failed: %s)", s->why);
        else
            snprintf(res, RES_LEN, "(absent)");
        return;
    }
    switch (st->act) {
    case A_GET: do_get(s, st, res, det); break;
    case A_SET: do_set(s, st, res); break;
    case A_INIT: do_init(s, st, res); break;
    case A_FIN: do_fin(s, st, res); break;
    case A_LIST: do_list(s, st, res, det); break;
    case A_KRUN: abi_fmt_ret(res, RES_LEN, abi_guest_run_fd(s->g.vcpu, GUARD_MS)); break;
    case A_RUN:
        if (st->flags & F_SETPC)
            abi_reg_set64(s->g.vcpu, REG_PC, GUEST_RAM);
        ret = abi_guest_run(&s->g, (st->flags & F_GUARD) ? GUARD_MS : 0);
        abi_run_detail(s, st, ret, res, det);
        break;
    case A_MPGET:
    case A_MPSET: do_mp(s, st, res, det); break;
    case A_REGS: abi_fmt_ret(res, RES_LEN, abi_regs_detail(s, st->regs, det, DET_LEN)); break;
    case A_CALL: st->fn(s, st, res, det); break;
    }
}

void abi_test_lifecycle(void)
{
    struct tsv t;
    char col[64], expected[DET_LEN + RES_LEN + 2], got[DET_LEN + RES_LEN + 2];
    char res[RES_LEN], det[DET_LEN];
    int cres, cdet;
    size_t next = 0;
    bool no_guest_reported = false;

    if (abi_tsv_load(&t, "lifecycle.tsv") < 0)
        return;
    for (int i = 0; i < S_COUNT; i++)
        abi_guest_zero(&slots[i].g);
    snprintf(col, sizeof(col), "result[%s]", abi_opt.cfg);
    cres = t.nrows ? abi_tsv_col(&t.rows[0], col) : -1;
    snprintf(col, sizeof(col), "detail[%s]", abi_opt.cfg);
    cdet = t.nrows ? abi_tsv_col(&t.rows[0], col) : -1;
    if (cres < 0 || cdet < 0) {
        abi_report_fail(t.name, 1, "header", "no result/detail columns for cfg %s",
                        abi_opt.cfg);
        goto out;
    }
    for (int i = 1; i < t.nrows; i++) {
        const struct tsv_row *r = &t.rows[i];
        const struct step *st;

        if (next >= abi_lifecycle_nsteps) {
            abi_report_fail(t.name, r->line, r->cols[0], "no step in the table for this row");
            goto out;
        }
        st = &abi_lifecycle_steps[next++];
        if (strcmp(st->name, abi_tsv_get(r, 0)) || strcmp(st->ioctl, abi_tsv_get(r, 1))) {
            abi_report_fail(t.name, r->line, abi_tsv_get(r, 0),
                        "step table out of sync: table has \"%s\" (%s)", st->name, st->ioctl);
            goto out;
        }
        if (in_run_group(st) ? !abi_opt.run : !abi_opt.norun)
            continue;
        if (in_run_group(st) && !abi_guest_code_available()) {
            if (!no_guest_reported)
                abi_report_fail(t.name, r->line, "run group",
                            "guest code not built (no aarch64 assembler)");
            no_guest_reported = true;
            continue;
        }
        exec_step(st, res, det);
        snprintf(expected, sizeof(expected), "%s%s%s", abi_tsv_get(r, cres),
                 abi_tsv_get(r, cdet)[0] ? " " : "", abi_tsv_get(r, cdet));
        snprintf(got, sizeof(got), "%s%s%s", res, det[0] ? " " : "", det);
        abi_check_str(t.name, r->line, st->name, expected, got);
    }
    if (next != abi_lifecycle_nsteps)
        abi_report_fail(t.name, 0, "step table", "%zu steps beyond the data's last row",
                    abi_lifecycle_nsteps - next);
out:
    for (int i = 0; i < S_COUNT; i++)
        slot_close(&slots[i]);
    abi_tsv_free(&t);
}
