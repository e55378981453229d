/*
 * hostile_exclusive.c - exclusive monitors and atomics abused by the guest.
 * Architecture (Arm ARM B2.9, "Synchronization and semaphores"):
 *   - STXR with no LDXR before it, or after CLREX, fails (status 1) and
 *     does not write;
 *   - a store by another PE to the monitored location makes a pending
 *     STXR fail;
 *   - LDXR/STXR loops and LDADD from several vCPUs at once are atomic:
 *     no increment is lost;
 *   - a vCPU that takes an exclusive and never releases it does not hold up
 *     the others (the monitor is not a lock).
 * The vCPUs run on real host threads in parallel; the bystander keeps
 * counting.
 */
#include "hostile.h"

#define COUNTER (GUEST_RAM_GPA + 0xa000)
#define FLAG (GUEST_RAM_GPA + 0xa100)

static uint64_t ram64(struct hv *h, uint64_t gpa)
{
    uint64_t v;
    memcpy(&v, h->g.ram + (gpa - GUEST_RAM_GPA), 8);
    return v;
}

static void ram64_set(struct hv *h, uint64_t gpa, uint64_t v)
{
    memcpy(h->g.ram + (gpa - GUEST_RAM_GPA), &v, 8);
}

/* Run code and return the value the guest reports with "str xN, [x15]". */
static bool run_report(struct hv *h, uint64_t *val)
{
    struct exit_info x = hv_run(h, 1000000);
    *val = x.data;
    return x.ret == 0 && x.reason == KVM_EXIT_MMIO && x.write && x.addr == REPORT_ADDR;
}

static void lone_store_exclusive(struct hv *h)
{
    static const uint32_t lone[] = {
        0xc8037c41, /* stxr w3, x1, [x2] */
        0xf90001e3, /* str x3, [x15] */
        0x14000000, /* b . */
    };
    static const uint32_t cleared[] = {
        0xc85f7c41, /* ldxr x1, [x2] */
        0xd5033f5f, /* clrex */
        0xc8037c41, /* stxr w3, x1, [x2] */
        0xf90001e3, /* str x3, [x15] */
        0x14000000, /* b . */
    };
    const uint32_t *codes[] = { lone, cleared };
    size_t lens[] = { 3, 5 };
    for (unsigned i = 0; i < 2; i++) {
        ram64_set(h, COUNTER, 77);
        hv_code(h, codes[i], lens[i]);
        set_reg(h->g.vcpu, REG_X(1), 0x1111);
        set_reg(h->g.vcpu, REG_X(2), COUNTER);
        uint64_t status = 0;
        CHECK(run_report(h, &status));
        CHECK(status == 1);                    /* failed */
        CHECK(ram64(h, COUNTER) == 77);        /* and wrote nothing */
    }
}

/* ---- several vCPUs incrementing one counter ---------------------------------- */

struct worker {
    struct guest *g;
    int vcpu;
    struct kvm_run *run;
    int ret;
};

static void *worker_thread(void *arg)
{
    struct worker *w = arg;
    softkvm_vcpu_set_insn_limit(w->vcpu, 0);
    w->ret = softkvm_ioctl(w->vcpu, KVM_RUN, 0);
    return NULL;
}

static void concurrent_increments(struct hv *h)
{
    static const uint32_t inc[] = {
        0xc85f7c41, /* inc: ldxr x1, [x2] */
        0x91000421, /* add x1, x1, #1 */
        0xc8037c41, /* stxr w3, x1, [x2] */
        0x35ffffa3, /* cbnz w3, inc */
        0xf1000529, /* subs x9, x9, #1 */
        0x54ffff61, /* b.ne inc */
        0xf90001e9, /* str x9, [x15] */
        0x14000000, /* b . */
    };
    static const uint32_t lse[] = {
        0xf8240045, /* lse: ldadd x4, x5, [x2] */
        0xf1000529, /* subs x9, x9, #1 */
        0x54ffffc1, /* b.ne lse */
        0xf90001e9, /* str x9, [x15] */
        0x14000000, /* b . */
    };
    const uint64_t n = 100000;
    memcpy(h->g.ram + 0x6000, inc, sizeof inc);
    memcpy(h->g.ram + 0x7000, lse, sizeof lse);
    ram64_set(h, COUNTER, 0);
    struct worker w[3];
    pthread_t t[3];
    for (unsigned i = 0; i < 3; i++) {
        w[i].g = &h->g;
        CHECK(guest_add_vcpu(&h->g, &w[i].vcpu, &w[i].run, 10 + i, 0) == 0);
        set_reg(w[i].vcpu, REG_PC, GUEST_RAM_GPA + (i < 2 ? 0x6000 : 0x7000));
        set_reg(w[i].vcpu, REG_X(2), COUNTER);
        set_reg(w[i].vcpu, REG_X(4), 1);
        set_reg(w[i].vcpu, REG_X(9), n);
        set_reg(w[i].vcpu, REG_X(15), REPORT_ADDR);
    }
    for (unsigned i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker_thread, &w[i]);
    for (unsigned i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        CHECK(w[i].ret == 0 && w[i].run->exit_reason == KVM_EXIT_MMIO && w[i].run->mmio.phys_addr == REPORT_ADDR);
    }
    uint64_t got = ram64(h, COUNTER);
    printf("concurrent increments: %llu of %llu\n", (unsigned long long)got, (unsigned long long)(3 * n));
    CHECK(got == 3 * n);
    for (unsigned i = 0; i < 3; i++) {
        munmap(w[i].run, (size_t)softkvm_ioctl(h->g.kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
        softkvm_close(w[i].vcpu);
    }
}

/* ---- a monitor held forever --------------------------------------------------- */

static void monitor_hog(struct hv *h)
{
    static const uint32_t hog[] = {
        0xc85f7c41, /* ldxr x1, [x2] */
        0xf9400107, /* wait: ldr x7, [x8] */
        0xb4ffffe7, /* cbz x7, wait */
        0xc8037c41, /* stxr w3, x1, [x2] */
        0xf90001e3, /* str x3, [x15] */
        0x14000000, /* b . */
    };
    static const uint32_t inc[] = {
        0xc85f7c41, /* inc: ldxr x1, [x2] */
        0x91000421, /* add x1, x1, #1 */
        0xc8037c41, /* stxr w3, x1, [x2] */
        0x35ffffa3, /* cbnz w3, inc */
        0xf1000529, /* subs x9, x9, #1 */
        0x54ffff61, /* b.ne inc */
        0xf90001e9, /* str x9, [x15] */
        0x14000000, /* b . */
    };
    memcpy(h->g.ram + 0x6800, hog, sizeof hog);
    ram64_set(h, COUNTER, 0);
    ram64_set(h, FLAG, 0);
    struct worker w = { &h->g, 0, NULL, 0 };
    CHECK(guest_add_vcpu(&h->g, &w.vcpu, &w.run, 20, 0) == 0);
    set_reg(w.vcpu, REG_PC, GUEST_RAM_GPA + 0x6800);
    set_reg(w.vcpu, REG_X(2), COUNTER);
    set_reg(w.vcpu, REG_X(8), FLAG);
    set_reg(w.vcpu, REG_X(15), REPORT_ADDR);
    pthread_t t;
    pthread_create(&t, NULL, worker_thread, &w);
    usleep(20 * 1000);   /* the hog holds its exclusive and spins */

    /* Meanwhile the hostile vCPU increments the same location 1000 times. */
    hv_code(h, inc, 8);
    set_reg(h->g.vcpu, REG_X(2), COUNTER);
    set_reg(h->g.vcpu, REG_X(9), 1000);
    uint64_t left = 99;
    CHECK(run_report(h, &left) && left == 0);
    CHECK(ram64(h, COUNTER) == 1000);

    /* Release the hog: its STXR must fail, the location having been written. */
    __atomic_store_n((uint64_t *)(h->g.ram + (FLAG - GUEST_RAM_GPA)), 1, __ATOMIC_RELEASE);
    pthread_join(t, NULL);
    CHECK(w.ret == 0 && w.run->exit_reason == KVM_EXIT_MMIO);
    uint64_t status;
    memcpy(&status, w.run->mmio.data, 8);
    CHECK(status == 1);
    CHECK(ram64(h, COUNTER) == 1000);
    munmap(w.run, (size_t)softkvm_ioctl(h->g.kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
    softkvm_close(w.vcpu);
}

int main(void)
{
    if (!engine_present()) {
        printf("hostile_exclusive: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    struct hv h;
    hv_init(&h, 0);
    hv_bystander_start(&h);
    lone_store_exclusive(&h);
    concurrent_increments(&h);
    monitor_hog(&h);
    hv_bystander_stop(&h);
    hv_destroy(&h);
    CHECK(softkvm_fds_open() == 0);
    return check_done("hostile_exclusive");
}
