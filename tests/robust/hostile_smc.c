/*
 * hostile_smc.c - self-modifying code. The guest rewrites instructions it is
 * about to execute, with the maintenance the architecture requires when
 * CTR_EL0.DIC is 0 (as softkvm's hosts report): DC CVAU, DSB ISH, IC IVAU,
 * DSB ISH, ISB (Arm ARM B2.4.4, "Concurrent modification and execution of
 * instructions"). After that sequence the new instruction must run, also on
 * another vCPU (IC IVAU is broadcast to the Inner Shareable domain). The
 * bystander vCPU keeps counting meanwhile.
 *
 * A VMM that rewrites guest code between two KVM_RUNs (tests, loaders) gets
 * the new code on Linux: KVM's stage-2 faults and the VMM's own cache
 * maintenance (__builtin___clear_cache) make it visible; softkvm cannot see
 * host-side maintenance, so its decoded-code cache must not outlive a change
 * of the bytes (checked last: code run once, and code of a loop the vCPU
 * keeps running across KVM_RUNs).
 */
#include "hostile.h"

static void patch_next_instruction(struct hv *h)
{
    static const uint32_t code[] = {
        0xb9000041, /* str w1, [x2] */
        0xd50b7b22, /* dc cvau, x2 */
        0xd5033b9f, /* dsb ish */
        0xd50b7522, /* ic ivau, x2 */
        0xd5033b9f, /* dsb ish */
        0xd5033fdf, /* isb */
        0xd2800020, /* target: mov x0, #1 (becomes mov x0, #2) */
        0x14000000, /* b . */
    };
    hv_code(h, code, 8);
    set_reg(h->g.vcpu, REG_X(1), 0xd2800040);   /* mov x0, #2 */
    set_reg(h->g.vcpu, REG_X(2), h->pc + 24);
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == -1 && x.err == EINTR);
    CHECK(get_reg(h->g.vcpu, REG_X(0)) == 2);
}

/* Every iteration rewrites the immediate of the add at the top of the loop. */
static void patch_every_iteration(struct hv *h)
{
    static const uint32_t code[] = {
        0x91000400, /* loop: add x0, x0, #1 (imm rewritten each time) */
        0x91000484, /* add x4, x4, #1 */
        0x2a0428a6, /* orr w6, w5, w4, lsl #10 */
        0xb9000046, /* str w6, [x2] */
        0xd50b7b22, /* dc cvau, x2 */
        0xd5033b9f, /* dsb ish */
        0xd50b7522, /* ic ivau, x2 */
        0xd5033b9f, /* dsb ish */
        0xd5033fdf, /* isb */
        0xf1000463, /* subs x3, x3, #1 */
        0x54fffec1, /* b.ne loop */
        0x14000000, /* b . */
    };
    const uint64_t n = 1000;
    hv_code(h, code, 12);
    set_reg(h->g.vcpu, REG_X(0), 0);
    set_reg(h->g.vcpu, REG_X(2), h->pc);
    set_reg(h->g.vcpu, REG_X(3), n);
    set_reg(h->g.vcpu, REG_X(4), 1);
    set_reg(h->g.vcpu, REG_X(5), 0x91000000);   /* add x0, x0, #0 */
    struct exit_info x = hv_run(h, 100000);
    CHECK(x.ret == -1 && x.err == EINTR);
    uint64_t sum = get_reg(h->g.vcpu, REG_X(0));
    if (sum != n * (n + 1) / 2)
        fprintf(stderr, "patch_every_iteration: x0 = %llu, want %llu\n", (unsigned long long)sum,
                (unsigned long long)(n * (n + 1) / 2));
    CHECK(sum == n * (n + 1) / 2);
}

/* ---- across vCPUs ---------------------------------------------------------- */

struct spinner {
    int vcpu;
    int ret, err;
};

static void *spin_thread(void *arg)
{
    struct spinner *s = arg;
    s->ret = softkvm_ioctl(s->vcpu, KVM_RUN, 0);
    s->err = errno;
    return NULL;
}

static void patch_other_vcpu(struct hv *h)
{
    static const uint32_t spin[] = {
        0xd503201f, /* spin: nop (becomes b .+8) */
        0x17ffffff, /* b spin */
        0xf90001ee, /* str x14, [x15] */
        0x14000000, /* b . */
    };
    uint64_t spin_gpa = GUEST_RAM_GPA + 0x5000;
    memcpy(h->g.ram + 0x5000, spin, sizeof spin);
    int v2 = -1;
    struct kvm_run *run2 = NULL;
    CHECK(guest_add_vcpu(&h->g, &v2, &run2, 2, 0) == 0);
    set_reg(v2, REG_PC, spin_gpa);
    set_reg(v2, REG_X(14), 0x5a5a);
    set_reg(v2, REG_X(15), REPORT_ADDR + 0x100);
    struct spinner s = { v2, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, spin_thread, &s);
    usleep(20 * 1000);   /* it spins */

    static const uint32_t patcher[] = {
        0xb9000041, /* str w1, [x2] */
        0xd50b7b22, /* dc cvau, x2 */
        0xd5033b9f, /* dsb ish */
        0xd50b7522, /* ic ivau, x2 */
        0xd5033b9f, /* dsb ish */
        0xd5033fdf, /* isb */
        0x14000000, /* b . */
    };
    hv_code(h, patcher, 7);
    set_reg(h->g.vcpu, REG_X(1), 0x14000002);   /* b .+8 */
    set_reg(h->g.vcpu, REG_X(2), spin_gpa);
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == -1 && x.err == EINTR);

    /* The spinner must now leave its loop and report, within a second. */
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 2;
    int joined = pthread_timedjoin_np(t, NULL, &deadline);
    if (joined != 0) {
        fprintf(stderr, "patch_other_vcpu: the other vCPU still spins on the old instruction\n");
        pthread_kill(t, SIGUSR2);
        pthread_join(t, NULL);
    }
    CHECK(joined == 0);
    CHECK(s.ret == 0 && run2->exit_reason == KVM_EXIT_MMIO && run2->mmio.phys_addr == REPORT_ADDR + 0x100);
    munmap(run2, (size_t)softkvm_ioctl(h->g.kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
    softkvm_close(v2);
}

/* The VMM rewrites code the vCPU already executed, between two KVM_RUNs. */
static void vmm_rewrites_code(struct hv *h)
{
    static const uint32_t one[] = { 0xd2800020 /* mov x0, #1 */, 0x14000000 /* b . */ };
    static const uint32_t two[] = { 0xd2800040 /* mov x0, #2 */, 0x14000000 /* b . */ };
    hv_code(h, one, 2);
    uint64_t pc = h->pc;
    struct exit_info x = hv_run(h, 100);
    CHECK(x.ret == -1 && x.err == EINTR && get_reg(h->g.vcpu, REG_X(0)) == 1);
    memcpy(h->g.ram + (pc - GUEST_RAM_GPA), two, sizeof two);
    __builtin___clear_cache((char *)h->g.ram + (pc - GUEST_RAM_GPA), (char *)h->g.ram + (pc - GUEST_RAM_GPA) + 8);
    set_reg(h->g.vcpu, REG_PC, pc);
    x = hv_run(h, 100);
    CHECK(x.ret == -1 && x.err == EINTR);
    CHECK(get_reg(h->g.vcpu, REG_X(0)) == 2);
}

static uint32_t movz(unsigned rd, unsigned imm)
{
    return 0xd2800000u | imm << 5 | rd;
}

static void vmm_poke(struct hv *h, uint64_t gpa, uint32_t word)
{
    char *p = (char *)h->g.ram + (gpa - GUEST_RAM_GPA);
    memcpy(p, &word, 4);
    __builtin___clear_cache(p, p + 4);
}

/* Run to the loop's next report (an MMIO store of x0 + x1) and return it. */
static uint64_t next_report(struct hv *h)
{
    struct exit_info x = hv_run(h, 1000);
    CHECK(x.ret == 0 && x.reason == KVM_EXIT_MMIO && x.write && x.addr == REPORT_ADDR);
    return x.data;
}

/*
 * The VMM rewrites code of a loop the vCPU is running, between two of its
 * exits (KVM_RUN continues the loop each time, the decoded pages stay cached):
 * one instruction in the middle of the loop's page, with decoded code in
 * other chunks of the page, and the body of a function in another page that
 * the loop reaches by a direct BL (a link between two decoded pages). Writing
 * the bytes already there changes nothing.
 */
static void vmm_rewrites_running_code(struct hv *h)
{
    const uint64_t fn = GUEST_RAM_GPA + 0x7800;   /* mid-page: movz x1, #imm; ret */
    uint32_t code[0x48];
    for (unsigned i = 0; i < 0x48; i++)
        code[i] = 0xd503201f;                     /* nop */
    code[0] = 0x14000000u | 0x42;                 /* b loop (at +0x108) */
    code[0x42] = movz(0, 1);                      /* loop: movz x0, #1 */
    uint64_t bl_pc = HV_CODE_AREA + (uint64_t)h->ncases * 0x400 + 0x10c;
    code[0x43] = 0x94000000u | (uint32_t)(((fn - bl_pc) >> 2) & 0x3ffffff);   /* bl fn */
    code[0x44] = 0x8b010002;                      /* add x2, x0, x1 */
    code[0x45] = 0xf90001e2;                      /* str x2, [x15] */
    code[0x46] = 0x14000000u | (0x3ffffff & (uint32_t)-4);   /* b loop */
    hv_code(h, code, 0x48);
    CHECK(h->pc + 0x10c == bl_pc);
    uint64_t mov_x0 = h->pc + 0x108;
    vmm_poke(h, fn, movz(1, 10));
    vmm_poke(h, fn + 4, 0xd65f03c0);             /* ret */

    CHECK(next_report(h) == 11);
    CHECK(next_report(h) == 11);
    vmm_poke(h, mov_x0, movz(0, 2));             /* in the loop's own page */
    uint64_t got = next_report(h);
    if (got != 12)
        fprintf(stderr, "vmm_rewrites_running_code: loop page rewrite: report %llu, want 12\n", (unsigned long long)got);
    CHECK(got == 12);
    vmm_poke(h, fn, movz(1, 20));                 /* in the page the BL links to */
    got = next_report(h);
    if (got != 22)
        fprintf(stderr, "vmm_rewrites_running_code: callee rewrite: report %llu, want 22\n", (unsigned long long)got);
    CHECK(got == 22);
    vmm_poke(h, fn, movz(1, 20));                 /* the same bytes */
    vmm_poke(h, mov_x0, movz(0, 2));
    CHECK(next_report(h) == 22);
    vmm_poke(h, fn, movz(1, 30));                 /* both at once */
    vmm_poke(h, mov_x0, movz(0, 3));
    CHECK(next_report(h) == 33);
    CHECK(next_report(h) == 33);
}

int main(void)
{
    if (!engine_present()) {
        printf("hostile_smc: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    struct hv h;
    hv_init(&h, 0);
    hv_bystander_start(&h);
    patch_next_instruction(&h);
    patch_every_iteration(&h);
    patch_other_vcpu(&h);
    vmm_rewrites_code(&h);
    vmm_rewrites_running_code(&h);
    hv_bystander_stop(&h);
    hv_destroy(&h);
    CHECK(softkvm_fds_open() == 0);
    return check_done("hostile_smc");
}
