/*
 * hostile_loops.c - guests that never stop by themselves. Linux (spec 4.1,
 * 4.5, 4.6): a signal ends KVM_RUN with EINTR / KVM_EXIT_INTR whatever the
 * guest does; the VMM's usual kick is a handler that sets immediate_exit, after
 * which the next KVM_RUN returns EINTR at once; WFI with nothing to wake it
 * sleeps until the signal (PC then past the WFI); an instruction fetch that
 * faults with VBAR_EL1 = 0 faults again at 0x200 forever and KVM_RUN returns
 * only on a signal, PC = 0x200 [measured]; PSCI SYSTEM_OFF on one vCPU stops
 * every vCPU of the VM (the others sleep in KVM_RUN until a signal).
 *
 * Each loop runs without an instruction limit in a thread (one case with a
 * limit that runs out at an HVC); the main thread kicks it. A loop that ignores the kick would hang the process with signals
 * blocked, so each case runs in a child that the parent kills after a timeout.
 */
#include <sys/wait.h>

#include "hostile.h"

static _Atomic(struct kvm_run *) kick_page;

static void on_kick(int s)
{
    (void)s;
    struct kvm_run *r = atomic_load(&kick_page);
    if (r)
        __atomic_store_n(&r->immediate_exit, 1, __ATOMIC_RELAXED);
}

struct runner {
    int vcpu;
    int ret, err;
    atomic_int done;
};

static void *run_thread(void *arg)
{
    struct runner *r = arg;
    softkvm_vcpu_set_insn_limit(r->vcpu, 0);
    r->ret = softkvm_ioctl(r->vcpu, KVM_RUN, 0);
    r->err = errno;
    atomic_store(&r->done, 1);
    return NULL;
}

/* KVM_RUN with whatever instruction limit the vCPU has. */
static void *budget_thread(void *arg)
{
    struct runner *r = arg;
    r->ret = softkvm_ioctl(r->vcpu, KVM_RUN, 0);
    r->err = errno;
    atomic_store(&r->done, 1);
    return NULL;
}

/* exit_reason nobody writes: KVM_RUN replaces it on entry unless immediate_exit
 * was already set then (it returns EINTR at once, exit_reason untouched). */
#define EXIT_SENTINEL 0xfffeu

/* Start vcpu in a thread, kick it after 20 ms; true if KVM_RUN returned EINTR within 2 s. */
static bool run_and_kick(int vcpu, struct kvm_run *run, bool via_immediate_exit)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_kick;
    sigaction(SIGUSR1, &sa, NULL);
    struct runner r;
    for (int attempt = 0;; attempt++) {
        run->exit_reason = EXIT_SENTINEL;
        atomic_store(&kick_page, via_immediate_exit ? run : NULL);
        r = (struct runner){ vcpu, 0, 0, 0 };
        pthread_t t;
        pthread_create(&t, NULL, run_thread, &r);
        usleep(20 * 1000);
        for (int i = 0; i < 200 && !atomic_load(&r.done); i++) {
            pthread_kill(t, SIGUSR1);
            usleep(10 * 1000);
        }
        if (!atomic_load(&r.done))
            return false;   /* the child is stuck: the parent will kill it */
        pthread_join(t, NULL);
        atomic_store(&kick_page, NULL);
        /* On a loaded machine the first kick can reach the thread before it
         * entered KVM_RUN: the flag was then seen on entry, which is not what
         * this test is about. Try again (a few times at most). */
        if (via_immediate_exit && r.ret == -1 && r.err == EINTR && run->exit_reason == EXIT_SENTINEL && attempt < 20) {
            __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_RELAXED);
            continue;
        }
        break;
    }
    bool ok = r.ret == -1 && r.err == EINTR && run->exit_reason == KVM_EXIT_INTR;
    if (via_immediate_exit) {
        /* The flag stays set: the next KVM_RUN returns at once without running. */
        uint64_t pc = get_reg(vcpu, REG_PC);
        ok &= softkvm_ioctl(vcpu, KVM_RUN, 0) == -1 && errno == EINTR && get_reg(vcpu, REG_PC) == pc;
        __atomic_store_n(&run->immediate_exit, 0, __ATOMIC_RELAXED);
    }
    return ok;
}

/* ---- the cases (each runs in a child) -------------------------------------- */

static int case_spin(void)
{
    static const uint32_t loop[] = {
        0x91000421, /* loop: add x1, x1, #1 */
        0x91000842, /* add x2, x2, #2 */
        0x91000c63, /* add x3, x3, #3 */
        0x17fffffd, /* b loop */
    };
    struct hv h;
    hv_init(&h, 0);
    hv_code(&h, loop, 4);
    CHECK(run_and_kick(h.g.vcpu, h.g.run, true));
    uint64_t x1 = get_reg(h.g.vcpu, REG_X(1));
    CHECK(x1 > 0 && get_reg(h.g.vcpu, REG_X(2)) >= 2 * x1 - 2 && get_reg(h.g.vcpu, REG_X(3)) >= 3 * x1 - 6);
    CHECK(run_and_kick(h.g.vcpu, h.g.run, false));   /* a bare signal works too */
    CHECK(get_reg(h.g.vcpu, REG_X(1)) > x1);           /* and it resumed where it was */
    hv_destroy(&h);
    return 0;
}

static int case_wfe(void)
{
    static const uint32_t loop[] = { 0xd503205f /* wfe */, 0x17ffffff /* b .-4 */ };
    struct hv h;
    hv_init(&h, 0);
    hv_code(&h, loop, 2);
    CHECK(run_and_kick(h.g.vcpu, h.g.run, true));
    hv_destroy(&h);
    return 0;
}

static int case_wfi(void)
{
    static const uint32_t code[] = { 0xd503207f /* wfi */, 0x14000000 /* b . */ };
    struct hv h;
    hv_init(&h, 0);
    hv_code(&h, code, 2);
    CHECK(run_and_kick(h.g.vcpu, h.g.run, false));
    uint64_t pc = get_reg(h.g.vcpu, REG_PC);
    CHECK(pc == h.pc + 4);   /* the WFI completed when the signal ended the wait */
    hv_destroy(&h);
    return 0;
}

/* Every exception entry is an UNDEF again: the guest recurses through its own vectors. */
static int case_exception_loop(void)
{
    struct hv h;
    hv_init(&h, 0);
    uint32_t *vec = (uint32_t *)(h.g.ram + (GUEST_VBAR - GUEST_RAM_GPA));
    memset(vec, 0, 0x800);   /* udf #0 everywhere */
    static const uint32_t code[] = { 0x00000000 /* udf #0 */ };
    hv_code(&h, code, 1);
    CHECK(run_and_kick(h.g.vcpu, h.g.run, true));
    CHECK(get_reg(h.g.vcpu, REG_PC) == GUEST_VBAR + 0x200);
    CHECK(get_reg(h.g.vcpu, REG_ESR) == 0x02000000);
    hv_destroy(&h);
    return 0;
}

/* data/lifecycle.tsv: fetch from an IPA without memslot with VBAR_EL1 = 0. */
static int case_fetch_abort_loop(void)
{
    struct hv h;
    hv_init(&h, 0);
    static const uint32_t code[] = { 0xd61f0060 /* br x3 */ };
    hv_code(&h, code, 1);
    set_reg(h.g.vcpu, REG_VBAR, 0);
    set_reg(h.g.vcpu, REG_X(3), 0x30000000);
    CHECK(run_and_kick(h.g.vcpu, h.g.run, false));
    CHECK(get_reg(h.g.vcpu, REG_PC) == 0x200);
    CHECK(get_reg(h.g.vcpu, REG_ESR) == 0xffffffff86000010ull);
    hv_destroy(&h);
    return 0;
}

/*
 * softkvm_vcpu_set_insn_limit(1) and "hvc #0; b .": the budget is used up by
 * the HVC, which the hypervisor handles without leaving KVM_RUN. The run must
 * still end: with EINTR for the budget, or on the signal at the latest (found
 * by fuzz_engine, input in fuzz/pending/engine-budget-hang).
 */
static int case_budget_used_by_hvc(void)
{
    struct hv h;
    hv_init(&h, 0);
    static const uint32_t code[] = { 0xd4000002 /* hvc #0 */, 0x14000000 /* b . */ };
    hv_code(&h, code, 2);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_kick;
    sigaction(SIGUSR1, &sa, NULL);
    struct runner r = { h.g.vcpu, 0, 0, 0 };
    softkvm_vcpu_set_insn_limit(h.g.vcpu, 1);
    pthread_t t;
    pthread_create(&t, NULL, budget_thread, &r);
    for (int i = 0; i < 200 && !atomic_load(&r.done); i++) {
        usleep(10 * 1000);
        pthread_kill(t, SIGUSR1);
    }
    while (!atomic_load(&r.done))
        pause();   /* stuck: the parent times out and kills us */
    pthread_join(t, NULL);
    CHECK(r.ret == -1 && r.err == EINTR);
    hv_destroy(&h);
    return 0;
}

/* PSCI SYSTEM_OFF from one vCPU while another spins: both stop. */
static int case_system_off(void)
{
    struct hv h;
    hv_init(&h, 1u << KVM_ARM_VCPU_PSCI_0_2);
    static const uint32_t spin[] = { 0x91000421 /* add x1, x1, #1 */, 0x17ffffff /* b .-4 */ };
    memcpy(h.g.ram + 0x5000, spin, sizeof spin);
    int v2 = -1;
    struct kvm_run *run2 = NULL;
    CHECK(guest_add_vcpu(&h.g, &v2, &run2, 1, 1u << KVM_ARM_VCPU_PSCI_0_2) == 0);
    set_reg(v2, REG_PC, GUEST_RAM_GPA + 0x5000);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_kick;
    sigaction(SIGUSR1, &sa, NULL);
    struct runner r = { v2, 0, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_thread, &r);
    usleep(20 * 1000);

    static const uint32_t off[] = {
        0xd2800100, /* mov x0, #0x8 */
        0xf2b08000, /* movk x0, #0x8400, lsl #16: SYSTEM_OFF */
        0xd4000002, /* hvc #0 */
        0x14000000, /* b . */
    };
    hv_code(&h, off, 4);
    struct exit_info x = hv_run(&h, 1000);
    CHECK(x.ret == 0 && x.reason == KVM_EXIT_SYSTEM_EVENT && h.g.run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN);
    usleep(50 * 1000);
    CHECK(!atomic_load(&r.done));   /* the spinner sleeps in KVM_RUN, it does not return */
    for (int i = 0; i < 200 && !atomic_load(&r.done); i++) {
        pthread_kill(t, SIGUSR1);
        usleep(10 * 1000);
    }
    CHECK(atomic_load(&r.done));
    if (!atomic_load(&r.done))
        return 1;
    pthread_join(t, NULL);
    CHECK(r.ret == -1 && r.err == EINTR);
    struct kvm_mp_state mp;
    CHECK_RET(softkvm_ioctl(v2, KVM_GET_MP_STATE, &mp), 0);
    CHECK(mp.mp_state == KVM_MP_STATE_STOPPED);
    munmap(run2, (size_t)softkvm_ioctl(h.g.kvm, KVM_GET_VCPU_MMAP_SIZE, 0));
    softkvm_close(v2);
    hv_destroy(&h);
    return 0;
}

/* ---- driver --------------------------------------------------------------------- */

struct loop_case {
    const char *name;
    int (*fn)(void);
};

static const struct loop_case loop_cases[] = {
    { "spinning loop", case_spin },
    { "WFE loop", case_wfe },
    { "WFI, nothing to wake it", case_wfi },
    { "UNDEF in every vector", case_exception_loop },
    { "instruction abort loop (VBAR_EL1 = 0)", case_fetch_abort_loop },
    /* Formerly a hang (fixed): a limit used up at an HVC handled in the kernel became "unlimited". */
    { "instruction limit used up by an HVC", case_budget_used_by_hvc },
    { "SYSTEM_OFF stops a spinning vCPU", case_system_off },
};

int main(void)
{
    if (!engine_present()) {
        printf("hostile_loops: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    for (unsigned i = 0; i < sizeof loop_cases / sizeof loop_cases[0]; i++) {
        const struct loop_case *c = &loop_cases[i];
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            check_failures = 0;   /* the parent's count is not ours */
            int r = c->fn();
            _exit(r || check_failures ? 1 : 0);
        }
        int st = 0, waited = 0;
        while (waitpid(pid, &st, WNOHANG) == 0 && waited < 100) {   /* 10 s */
            usleep(100 * 1000);
            waited++;
        }
        bool hung = waited >= 100;
        if (hung) {
            kill(pid, SIGKILL);   /* signals are blocked inside KVM_RUN: only SIGKILL ends it */
            waitpid(pid, &st, 0);
        }
        printf("%s: %s\n", c->name, hung ? "HUNG (killed)" : WIFEXITED(st) && !WEXITSTATUS(st) ? "ok" : "FAILED");
        CHECK(!hung && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    return check_done("hostile_loops");
}
