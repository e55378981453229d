/*
 * hostile.h - the frame the hostile-guest tests (hostile_*.c) share.
 *
 * A VM with 1 MiB of RAM at GUEST_RAM_GPA (guard pages around it in this
 * process) and a vector table at VBAR_EL1 = RAM + 0x800 whose every entry
 * reports itself: it copies ESR/ELR/FAR/SPSR_EL1 into x10..x13 and stores its
 * entry index (0..15) to REPORT_ADDR, an address with no memslot, so that the
 * host sees an MMIO write exit whose data is the entry: 4 = synchronous from
 * the current EL (SP_ELx), 8 = synchronous from EL0 (AArch64).
 *
 * A second vCPU, the bystander, runs a counting loop in its own thread during
 * the hostile runs: whatever the hostile guest does must not disturb it (it
 * must keep counting, see only EINTR exits from its own kicks, and end with its
 * register equal to the count in memory).
 *
 * Instruction words below were produced by aarch64-linux-gnu-as and are
 * written next to their assembly.
 */
#ifndef SOFTKVM_TESTS_HOSTILE_H
#define SOFTKVM_TESTS_HOSTILE_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>

#include "robust.h"

#define HV_RAM_SIZE (1u << 20)
#define REPORT_ADDR 0x2f000000ull
#define RO_GPA 0x11000000ull            /* a one-page KVM_MEM_READONLY slot */
#define ENTRY_CUR_SPX 4                 /* VBAR + 0x200 */
#define ENTRY_LOWER_A64 8               /* VBAR + 0x400 */
#define BYSTANDER_CODE (GUEST_RAM_GPA + 0x3000)
#define BYSTANDER_COUNT (GUEST_RAM_GPA + 0x9000)

#define ESR_EC(esr) ((unsigned)((esr) >> 26) & 0x3f)
#define EC_UNKNOWN 0x00
#define EC_FP 0x07
#define EC_SVC 0x15
#define EC_HVC 0x16
#define EC_SMC 0x17
#define EC_SYSREG 0x18
#define EC_SVE 0x19
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_BRK 0x3c

#define HV_CODE_AREA (GUEST_RAM_GPA + 0x10000)

struct hv {
    struct guest g;
    uint64_t pc;                        /* where the current case's code starts */
    unsigned ncases;
    uint8_t *ro;                        /* host side of the read-only slot */
    /* the bystander vCPU */
    int bvcpu;
    struct kvm_run *brun;
    pthread_t bthread;
    atomic_int bstop;
    int bruns, bbad;
};

struct exit_info {
    int ret, err;
    uint32_t reason;
    uint64_t addr, data;
    uint32_t len;
    bool write;
};

static void hv_nop_handler(int s) { (void)s; }

#define HV_WATCHDOG_SIG (SIGRTMIN + 4)

/* The reporting vector stub; the last word before "b ." gets the entry index. */
static const uint32_t hv_stub[] = {
    0xd538520a, /* mrs x10, esr_el1 */
    0xd538402b, /* mrs x11, elr_el1 */
    0xd538600c, /* mrs x12, far_el1 */
    0xd538400d, /* mrs x13, spsr_el1 */
    0xd280000e, /* movz x14, #entry (patched) */
    0xf90001ee, /* str x14, [x15] */
    0x14000000, /* b . */
};

static inline void hv_reset_regs(struct hv *h)
{
    int v = h->g.vcpu;
    set_reg(v, REG_PC, GUEST_CODE);
    set_reg(v, REG_PSTATE, 0x3c5);                     /* EL1h, DAIF masked */
    set_reg(v, REG_X(15), REPORT_ADDR);
    set_reg(v, REG_SP, GUEST_RAM_GPA + HV_RAM_SIZE - 0x1000);       /* EL0 */
    set_reg(v, REG_SP_EL1, GUEST_RAM_GPA + HV_RAM_SIZE - 0x2000);   /* EL1h */
}

/*
 * Put code at a fresh address (h->pc: each case gets memory no vCPU has
 * executed before, so no question of instruction-cache coherency with the
 * VMM's writes arises) and reset the hostile vCPU to run it. An MMIO exit of
 * the previous case is abandoned the way KVM allows: exit_reason is
 * overwritten, so the next KVM_RUN does not complete it (spec 4.3).
 */
static inline void hv_code(struct hv *h, const uint32_t *code, size_t n)
{
    h->pc = HV_CODE_AREA + (uint64_t)h->ncases++ * 0x400;
    CHECK(h->pc + n * 4 <= GUEST_RAM_GPA + HV_RAM_SIZE / 2);
    memcpy(h->g.ram + (h->pc - GUEST_RAM_GPA), code, n * sizeof *code);
    h->g.run->exit_reason = KVM_EXIT_UNKNOWN;
    hv_reset_regs(h);
    set_reg(h->g.vcpu, REG_PC, h->pc);
}

static inline void hv_init(struct hv *h, uint32_t features)
{
    memset(h, 0, sizeof *h);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = hv_nop_handler;
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(HV_WATCHDOG_SIG, &sa, NULL);
    CHECK(guest_init(&h->g, HV_RAM_SIZE, features) == 0);
    uint32_t *vec = (uint32_t *)(h->g.ram + (GUEST_VBAR - GUEST_RAM_GPA));
    for (unsigned e = 0; e < 16; e++) {
        memcpy(vec + e * 32, hv_stub, sizeof hv_stub);
        vec[e * 32 + 4] = 0xd280000e | (e << 5);   /* movz x14, #e */
    }
    long page = sysconf(_SC_PAGESIZE);
    h->ro = guarded_alloc((size_t)page);
    for (long i = 0; i < page; i++)
        h->ro[i] = (uint8_t)(i * 13 + 7);
    struct kvm_userspace_memory_region mr = { 1, KVM_MEM_READONLY, RO_GPA, (uint64_t)page, (uintptr_t)h->ro };
    CHECK_RET(softkvm_ioctl(h->g.vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
    hv_reset_regs(h);
}

/* One KVM_RUN of the hostile vCPU, at most limit instructions, 3 s at most. */
static inline struct exit_info hv_run(struct hv *h, uint64_t limit)
{
    struct exit_info x;
    memset(&x, 0, sizeof x);
    softkvm_vcpu_set_insn_limit(h->g.vcpu, limit);
    timer_t t;
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = HV_WATCHDOG_SIG;
#ifdef sigev_notify_thread_id
    ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
#else
    ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
#endif
    timer_create(CLOCK_MONOTONIC, &ev, &t);
    struct itimerspec its = { { 0, 100000000 }, { 3, 0 } };   /* 3 s, then every 100 ms */
    timer_settime(t, 0, &its, NULL);
    errno = 0;
    x.ret = softkvm_ioctl(h->g.vcpu, KVM_RUN, 0);
    x.err = errno;
    timer_delete(t);
    struct kvm_run *r = h->g.run;
    x.reason = r->exit_reason;
    if (x.ret == 0 && r->exit_reason == KVM_EXIT_MMIO) {
        x.addr = r->mmio.phys_addr;
        x.len = r->mmio.len;
        x.write = r->mmio.is_write;
        memcpy(&x.data, r->mmio.data, 8);
    } else if (x.ret == 0 && r->exit_reason == KVM_EXIT_ARM_NISV) {
        x.addr = r->arm_nisv.fault_ipa;
    }
    return x;
}

/*
 * Run until the vector stub reports, and check that exception: entry, EC;
 * returns ESR. what names the case in messages.
 */
static inline uint64_t hv_expect_exception(struct hv *h, unsigned entry, unsigned ec, const char *what)
{
    struct exit_info x = hv_run(h, 100000);
    bool reported = x.ret == 0 && x.reason == KVM_EXIT_MMIO && x.write && x.addr == REPORT_ADDR;
    uint64_t esr = get_reg(h->g.vcpu, REG_X(10));
    if (!reported || x.data != entry || ESR_EC(esr) != ec)
        fprintf(stderr, "%s: want exception entry %u EC 0x%02x; got KVM_RUN %d/%s exit %u addr 0x%llx data %llu, "
                "ESR 0x%llx, PC 0x%llx\n", what, entry, ec, x.ret, x.ret ? strerror(x.err) : "ok", x.reason,
                (unsigned long long)x.addr, (unsigned long long)x.data, (unsigned long long)esr,
                (unsigned long long)get_reg(h->g.vcpu, REG_PC));
    CHECK(reported && x.data == entry);
    CHECK(ESR_EC(esr) == ec);
    return esr;
}

/* ---- the bystander -------------------------------------------------------- */

static void *hv_bystander_thread(void *arg)
{
    struct hv *h = arg;
    while (!atomic_load(&h->bstop)) {
        int r = softkvm_ioctl(h->bvcpu, KVM_RUN, 0);
        int e = errno;
        h->bruns++;
        if (!(r == -1 && e == EINTR))
            h->bbad++;
    }
    return NULL;
}

static inline void hv_bystander_start(struct hv *h)
{
    static const uint32_t loop[] = {
        0x91000421, /* add x1, x1, #1 */
        0xf9000041, /* str x1, [x2] */
        0x17fffffe, /* b .-8 */
    };
    memcpy(h->g.ram + (BYSTANDER_CODE - GUEST_RAM_GPA), loop, sizeof loop);
    CHECK(guest_add_vcpu(&h->g, &h->bvcpu, &h->brun, 1, 0) == 0);
    set_reg(h->bvcpu, REG_PC, BYSTANDER_CODE);
    set_reg(h->bvcpu, REG_X(1), 0);
    set_reg(h->bvcpu, REG_X(2), BYSTANDER_COUNT);
    atomic_store(&h->bstop, 0);
    pthread_create(&h->bthread, NULL, hv_bystander_thread, h);
}

/* Stop the bystander and check it went on undisturbed. */
static inline void hv_bystander_stop(struct hv *h)
{
    /* On a slow (sanitized) build the hostile part may end before the bystander
     * got going: let it count a little first. */
    uint64_t *counter = (uint64_t *)(h->g.ram + (BYSTANDER_COUNT - GUEST_RAM_GPA));
    for (int i = 0; i < 2000 && __atomic_load_n(counter, __ATOMIC_RELAXED) < 1000; i++) {
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    atomic_store(&h->bstop, 1);
    for (int i = 0; i < 1000; i++) {
        pthread_kill(h->bthread, SIGUSR2);
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
        if (pthread_tryjoin_np(h->bthread, NULL) == 0) {
            uint64_t count;
            memcpy(&count, h->g.ram + (BYSTANDER_COUNT - GUEST_RAM_GPA), 8);
            uint64_t x1 = get_reg(h->bvcpu, REG_X(1)), pc = get_reg(h->bvcpu, REG_PC);
            printf("bystander: %d runs, %llu iterations, undisturbed\n", h->bruns, (unsigned long long)count);
            CHECK(h->bbad == 0);
            CHECK(count > 0 && (x1 == count || x1 == count + 1));   /* it may stop between add and str */
            CHECK(pc >= BYSTANDER_CODE && pc < BYSTANDER_CODE + 12);
            return;
        }
    }
    CHECK(!"the bystander vCPU did not stop");
}

static inline void hv_destroy(struct hv *h)
{
    long page = sysconf(_SC_PAGESIZE);
    if (h->brun) {
        munmap(h->brun, (size_t)softkvm_ioctl(h->g.kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
        softkvm_close(h->bvcpu);
    }
    guest_destroy(&h->g);
    munmap(h->ro - page, 3 * (size_t)page);
}

#endif
