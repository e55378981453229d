/*
 * run.c - KVM_RUN: preconditions, the run loop, sleeping and signals.
 *
 * Linux 6.1 arm.c:kvm_arch_vcpu_ioctl_run and kvm_vcpu_exit_request (spec 4.1):
 * checks (EINVAL arg, ENOEXEC, EPERM, PMU init), MMIO completion, then
 * immediate_exit, then the loop: signals -> EINTR/KVM_EXIT_INTR, pending
 * CPU_ON reset, power-off sleep, guest execution, exits handled "in the
 * kernel" (HVC, SMC, WFI) or returned to the VMM (MMIO, system events).
 *
 * Signals: in the kernel a signal makes KVM_RUN return EINTR before the handler
 * runs. Here the engine runs with the program's signals blocked; the loop polls
 * sigpending() between engine slices and sleeps in ppoll() with the run-time
 * mask, so a signal ends KVM_RUN (EINTR) and is delivered when the mask is
 * restored on the way out.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <linux/futex.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "hyp/hyp.h"
#include "regs/catalogue.h"
#include "softkvm/kvm.h"
#include "util/explain.h"
#include "util/uaccess.h"
#include "vcpu/lifecycle.h"
#include "vcpu/vm.h"

/* Instructions per engine slice between signal checks (~0.1 ms of guest time). */
#define SLICE_INSNS 65536

/* The flag first, then the ways a sleeper may wait (all sequentially
 * consistent): a sleeper publishes its way of waiting, then checks the flag,
 * so either it sees the kick or the kick sees it (sleep_once, sleep_nofd). */
void hyp_kick(struct vcpu *v)
{
    atomic_store(&v->kick, 1);
    int fd = atomic_load(&v->wake_fd);
    if (fd >= 0) {
        uint64_t one = 1;
        ssize_t r = write(fd, &one, sizeof one);
        (void)r;
    }
    if (atomic_load(&v->nofd_sleeping))
        syscall(SYS_futex, (int *)&v->kick, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Caller holds vm->lock. */
static void apply_reset_locked(struct vcpu *v)
{
    if (!v->reset_pending)
        return;
    v->reset_pending = false;
    vcpu_reset_regs(v);
    v->cpu.pc = v->reset_pc;
    v->cpu.x[0] = v->reset_x0;
    v->wfi_pending = false;
    v->mmio = MMIO_NONE;
}

void hyp_apply_pending_reset(struct vcpu *v)
{
    pthread_mutex_lock(&v->vm->lock);
    apply_reset_locked(v);
    pthread_mutex_unlock(&v->vm->lock);
}

int hyp_set_mp_state(struct vcpu *v, uint32_t state)
{
    if (state != KVM_MP_STATE_RUNNABLE && state != KVM_MP_STATE_STOPPED && state != KVM_MP_STATE_SUSPENDED)
        return EXPLAIN(-EINVAL, "mp_state %u: arm64 accepts RUNNABLE (0), STOPPED (5), SUSPENDED (10)", state);
    pthread_mutex_lock(&v->vm->lock);
    v->mp_state = state;
    hyp_kick(v);
    pthread_mutex_unlock(&v->vm->lock);
    return 0;
}

int hyp_inject_ext_dabt(struct vcpu *v)
{
    if (v->features & (1u << KVM_ARM_VCPU_EL1_32BIT))
        return EXPLAIN(-EINVAL, "vCPU %u is AArch32 at EL1: softkvm cannot inject AArch32 aborts yet", v->id);
    /* inject_fault.c:inject_abt64: synchronous external abort, current EL (EC 0x25), IL. */
    uint64_t esr = (0x25ull << 26) | (1ull << 25) | 0x10;
    v->mmio = MMIO_NONE;   /* the pending access is abandoned */
    engine_inject_sync(&v->cpu, esr, false, 0);
    return 0;
}

struct run_ctx {
    sigset_t run_mask;      /* the mask the program wants while in KVM_RUN */
    sigset_t saved;         /* the thread's mask on entry */
};

/* A signal that the run-time mask leaves unblocked is pending. The kernel's
 * signal set is the first 64 bits of a sigset_t (glibc and musl alike). */
static bool signal_pending(const struct run_ctx *rc)
{
    sigset_t p;
    if (sigpending(&p) != 0)
        return false;
    uint64_t pending, mask;
    memcpy(&pending, &p, sizeof pending);
    memcpy(&mask, &rc->run_mask, sizeof mask);
    return (pending & ~mask) != 0;
}

/* Timer output levels (bit 0 virtual, bit 1 physical): ENABLE, not IMASK,
 * and the compare value reached (arch_timer.c:kvm_timer_should_fire). */
static unsigned timer_levels(const struct vcpu *v)
{
    const uint64_t *sys = v->cpu.sys;
    unsigned lv = 0;
    if ((sys[SR_CNTV_CTL_EL0] & 3) == 1 && sys[SR_CNTV_CVAL_EL0] <= timer_virtual_count(v))
        lv |= KVM_ARM_DEV_EL1_VTIMER;
    if ((sys[SR_CNTP_CTL_EL0] & 3) == 1 && sys[SR_CNTP_CVAL_EL0] <= timer_host_ticks())
        lv |= KVM_ARM_DEV_EL1_PTIMER;
    return lv;
}

/* Nanoseconds until the next enabled, unmasked timer fires; -1 if none. */
static int64_t timer_next_ns(const struct vcpu *v)
{
    const uint64_t *sys = v->cpu.sys;
    int64_t best = -1;
    if ((sys[SR_CNTV_CTL_EL0] & 3) == 1) {
        uint64_t now = timer_virtual_count(v), cval = sys[SR_CNTV_CVAL_EL0];
        best = cval <= now ? 0 : (int64_t)((cval - now) > (1ull << 40) ? (1ull << 40) : (cval - now)) * 16;
    }
    if ((sys[SR_CNTP_CTL_EL0] & 3) == 1) {
        uint64_t now = timer_host_ticks(), cval = sys[SR_CNTP_CVAL_EL0];
        int64_t ns = cval <= now ? 0 : (int64_t)((cval - now) > (1ull << 40) ? (1ull << 40) : (cval - now)) * 16;
        if (best < 0 || ns < best)
            best = ns;
    }
    return best;
}

/* A userspace irqchip must hear of timer level changes: KVM_RUN returns
 * EINTR/KVM_EXIT_INTR with run->s.regs.device_irq_level updated
 * (arch_timer.c:kvm_timer_should_notify_user, kvm_timer_update_run). */
static bool timer_notify(struct vcpu *v)
{
    __u64 *dil = &v->run->s.regs.device_irq_level;
    unsigned lv = timer_levels(v);
    if (((unsigned)*dil & (KVM_ARM_DEV_EL1_VTIMER | KVM_ARM_DEV_EL1_PTIMER)) == lv)
        return false;
    *dil = (*dil & ~(uint64_t)(KVM_ARM_DEV_EL1_VTIMER | KVM_ARM_DEV_EL1_PTIMER)) | lv;
    return true;
}

/*
 * Sleeping. A vCPU that waits (WFI, powered off) polls two descriptors: an
 * eventfd that hyp_kick writes, and a signalfd through which it notices the
 * signals its run mask leaves open without taking them (they stay pending and
 * are delivered once KVM_RUN has returned and released the vCPU, so a handler
 * may use the vCPU fd, as on Linux). Both are created at the vCPU's first
 * sleep, not at KVM_RUN: a vCPU costs one descriptor until it waits (as in
 * KVM, whose KVM_RUN never fails for lack of descriptors), and immediate_exit
 * or a run that never waits costs none.
 *
 * If they cannot be created (no descriptor free: EMFILE/ENFILE), the vCPU
 * waits without descriptors instead: a futex wait on the kick flag, which
 * hyp_kick wakes at once, cut into naps of NOFD_NAP_NS after each of which the
 * pending signals and the timers are checked. Kicks are as prompt as with the
 * eventfd; a signal ends the wait within one nap (KVM_RUN still returns
 * EINTR and the signal stays pending for delivery after it), at the price of
 * a wake-up per nap while the vCPU sleeps. Creation is tried again at the next
 * sleep.
 */
#define NOFD_NAP_NS 1000000

/* The signalfd for the run mask's open signals: created at the first sleep,
 * re-armed (same descriptor) when the mask changes. */
static int sleep_sigfd(struct vcpu *v, const struct run_ctx *rc)
{
    uint64_t open_set, m;
    memcpy(&m, &rc->run_mask, sizeof m);
    open_set = ~m;
    if (v->sig_fd >= 0 && v->sig_fd_set == open_set)
        return v->sig_fd;
    sigset_t watch;
    sigemptyset(&watch);
    for (int s = 1; s <= 64; s++)
        if ((open_set >> (s - 1) & 1) && s != SIGKILL && s != SIGSTOP)
            sigaddset(&watch, s);
    int fd = signalfd(v->sig_fd, &watch, SFD_CLOEXEC | SFD_NONBLOCK);
    if (fd < 0)
        return -errno;
    v->sig_fd = fd;
    v->sig_fd_set = open_set;
    return fd;
}

/* The eventfd and signalfd of sleep_once; the signalfd or -errno. */
static int sleep_fds(struct vcpu *v, const struct run_ctx *rc)
{
    if (atomic_load(&v->wake_fd) < 0) {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (fd < 0)
            return -errno;
        atomic_store(&v->wake_fd, fd);
    }
    return sleep_sigfd(v, rc);
}

/* One nap without descriptors (see above). 0 on a kick or when the nap ends,
 * -EINTR on a signal. */
static int sleep_nofd(struct vcpu *v, const struct run_ctx *rc)
{
    int r = 0;
    atomic_store(&v->nofd_sleeping, true);
    if (signal_pending(rc)) {
        r = -EINTR;
    } else if (!atomic_load(&v->kick)) {
        int64_t ns = timer_next_ns(v);
        if (ns < 0 || ns > NOFD_NAP_NS)
            ns = NOFD_NAP_NS;
        struct timespec ts = { 0, (long)ns };
        /* Sleeps only while kick is still 0 (the kernel checks it atomically). */
        syscall(SYS_futex, (int *)&v->kick, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
        if (signal_pending(rc))
            r = -EINTR;
    }
    atomic_store(&v->nofd_sleeping, false);
    if (r == 0)
        atomic_store(&v->kick, 0);
    return r;
}

/* Sleep until woken (kick), a timer deadline, or a signal. 0 on wake-up or
 * timeout, -EINTR on a signal (left pending for delivery after KVM_RUN). */
static int sleep_once(struct vcpu *v, const struct run_ctx *rc)
{
    int sfd = sleep_fds(v, rc);
    if (sfd < 0)
        return sleep_nofd(v, rc);
    /* A kick made before the eventfd existed wrote nothing to it. */
    if (atomic_load(&v->kick)) {
        atomic_store(&v->kick, 0);
        return 0;
    }
    struct pollfd pfd[2] = { { v->wake_fd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
    int64_t ns = timer_next_ns(v);
    int ms = ns < 0 ? -1 : (int)((ns + 999999) / 1000000);
    int r = poll(pfd, 2, ms);
    if (r > 0 && (pfd[1].revents & POLLIN))
        return -EINTR;
    if (r < 0 && errno == EINTR)
        return -EINTR;
    uint64_t cnt;
    if (r > 0 && read(v->wake_fd, &cnt, sizeof cnt) < 0) { /* drained */ }
    atomic_store(&v->kick, 0);
    return 0;
}

static int exit_intr(struct vcpu *v)
{
    v->run->exit_reason = KVM_EXIT_INTR;
    v->stat_intr++;
    return -EINTR;
}

/* WFI: wait until the vCPU could run: an IRQ/FIQ line is asserted (masked
 * or not, arm.c:kvm_arch_vcpu_runnable), a kick, or a signal. */
static int wait_wfi(struct vcpu *v, const struct run_ctx *rc)
{
    while (!atomic_load(&v->irq_lines)) {
        if (atomic_load(&v->kick)) {
            atomic_store(&v->kick, 0);
            return 0;
        }
        int r = sleep_once(v, rc);
        if (r)
            return r;
        if (v->mp_state == KVM_MP_STATE_STOPPED || timer_levels(v))
            return 0;   /* a due timer: the loop tells the VMM, which raises the line */
    }
    return 0;
}

/* An asserted, unmasked IRQ/FIQ line (KVM_IRQ_LINE) is taken as an exception
 * to EL1 (Arm ARM AArch64.TakePhysicalIRQException; vector +0x80 IRQ, +0x100
 * FIQ from the base for the current EL and SP). */
static void take_interrupt(struct vcpu *v)
{
    unsigned lines = atomic_load(&v->irq_lines);
    struct cpu *c = &v->cpu;
    unsigned off;
    if ((lines & 2) && !(c->pstate & PSTATE_F))
        off = 0x100;
    else if ((lines & 1) && !(c->pstate & PSTATE_I))
        off = 0x80;
    else
        return;
    uint64_t mode = c->pstate & PSTATE_M;
    uint64_t base = mode == PSTATE_MODE_EL0t ? 0x400 : mode == PSTATE_MODE_EL1t ? 0x000 : 0x200;
    c->spsr[0] = c->pstate;
    c->elr_el1 = c->pc;
    c->pstate = (c->pstate & PSTATE_NZCV) | PSTATE_DAIF | PSTATE_MODE_EL1h;
    c->pc = c->sys[SR_VBAR_EL1] + base + off;
}

/* Guest RAM that cannot be accessed in this process: the memslot's memory was
 * unmapped, made PROT_NONE (or read-only, for a write), or lies beyond the end
 * of a mapped file. Linux cannot fault the page in either (mmu.c
 * user_mem_abort: no VMA, or __gfn_to_pfn_memslot fails) and KVM_RUN returns
 * -EFAULT, exit_reason left KVM_EXIT_UNKNOWN and PC at the instruction, so
 * the VMM may map the memory again and re-run. */
static int host_fault(struct vcpu *v, const struct engine_exit *ex)
{
    if (!ex->host_fault.ipa_known)
        return EXPLAIN(-EFAULT, "the guest's %s at PC 0x%llx reached a memslot whose host address is outside "
                       "this machine's address space", ex->host_fault.fetch ? "instruction fetch" : "data access",
                       (unsigned long long)v->cpu.pc);
    return EXPLAIN(-EFAULT, "the guest's %s at PC 0x%llx touched IPA 0x%llx in memslot %u, whose memory at host "
                   "address 0x%llx cannot be accessed (%s: unmapped, PROT_NONE, read-only for a write, or beyond "
                   "the end of a mapped file); map it and re-run",
                   ex->host_fault.fetch ? "instruction fetch" : "data access", (unsigned long long)v->cpu.pc,
                   (unsigned long long)ex->host_fault.ipa, ex->host_fault.slot,
                   (unsigned long long)ex->host_fault.hva, ex->host_fault.sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
}

static int run_loop(struct vcpu *v, const struct run_ctx *rc)
{
    struct vm *vm = v->vm;
    struct engine_exit ex;
    uint64_t limit_left = v->insn_limit;
    /* On entry only a KVM_SET_SIGNAL_MASK mask can unblock a signal that is
     * already pending; later, any signal raised while the guest ran is. */
    bool check_signals = v->has_sigmask;
    /* The VMM may have written guest code since the vCPU last ran (between
     * KVM_RUNs, or from another thread while it waited): decoded code is
     * compared with memory again before it runs (engine_cache_recheck). */
    bool recheck = true;

    for (;;) {
        if ((check_signals && signal_pending(rc)) || timer_notify(v))
            return exit_intr(v);
        check_signals = true;

        pthread_mutex_lock(&vm->lock);
        apply_reset_locked(v);
        uint32_t mp = v->mp_state;
        pthread_mutex_unlock(&vm->lock);
        if (mp == KVM_MP_STATE_STOPPED) {
            recheck = true;
            if (sleep_once(v, rc))
                return exit_intr(v);
            continue;
        }
        if (v->wfi_pending) {
            recheck = true;
            if (wait_wfi(v, rc))
                return exit_intr(v);
            v->wfi_pending = false;
            continue;
        }
        atomic_store(&v->kick, 0);
        if (atomic_load(&v->irq_lines))
            take_interrupt(v);
        if (v->insn_limit && limit_left == 0)
            return exit_intr(v);   /* spent, e.g. on an HVC handled here: never run unbounded */

        uint64_t slice = SLICE_INSNS;
        if (v->insn_limit && limit_left < slice)
            slice = limit_left;
        uint64_t before = v->env.insns_retired;
        v->env.insn_budget = slice;
        v->env.trace = v->trace;
        /* Tell KVM_SET_USER_MEMORY_REGION which map this slice may use (vm_memslots_sync):
         * in_engine first, then the map, both sequentially consistent, so a writer
         * that published a newer map either sees us in the engine or we load its map. */
        atomic_store(&v->in_engine, true);
        const struct memslots *ms = atomic_load(&vm->memslots);
        atomic_store(&v->memslots_gen, ms ? ms->generation : 0);
        if (recheck) {
            engine_cache_recheck(v->engine);
            recheck = false;
        }
        engine_run(&v->cpu, &v->env, v->engine, &ex);
        atomic_store(&v->in_engine, false);
        if (v->insn_limit) {
            uint64_t done = v->env.insns_retired - before;
            limit_left = done >= limit_left ? 0 : limit_left - done;
        }

        switch (ex.kind) {
        case ENGINE_EXIT_MMIO:
            hyp_mmio_exit(v, &ex);
            return 0;
        case ENGINE_EXIT_NISV:
            if (vm->nisv_to_user) {
                v->run->exit_reason = KVM_EXIT_ARM_NISV;
                /* mmio.c: ISS sanitised to WnR, CM and the fault status (a stage-2
                 * translation fault; softkvm reports level 3, KVM the level its walk stopped at). */
                v->run->arm_nisv.esr_iss = (ex.mmio.is_write ? 1u << 6 : 0) | 0x07;
                v->run->arm_nisv.fault_ipa = ex.mmio.addr;
                v->stat_other++;
                return 0;
            }
            return EXPLAIN(-ENOSYS, "the guest at PC 0x%llx made an MMIO access without a valid syndrome "
                           "(pair, exclusive, atomic, writeback or SIMD) to 0x%llx; enable KVM_CAP_ARM_NISV_TO_USER "
                           "to see it as KVM_EXIT_ARM_NISV", (unsigned long long)v->cpu.pc,
                           (unsigned long long)ex.mmio.addr);
        case ENGINE_EXIT_HVC:
            if (hyp_hvc(v))
                return 0;
            break;
        case ENGINE_EXIT_SMC:
            /* handle_exit.c:handle_smc: no SMC conduit in 6.1; x0 = -1, skip it. */
            v->cpu.x[0] = ~0ull;
            v->cpu.pc += 4;
            break;
        case ENGINE_EXIT_WFI: {
            recheck = true;
            int r = wait_wfi(v, rc);
            v->cpu.pc += 4;     /* committed even when a signal ends the wait */
            if (r)
                return exit_intr(v);
            break;
        }
        case ENGINE_EXIT_KICK:
            break;
        case ENGINE_EXIT_BUDGET:
            if (v->insn_limit && limit_left == 0)
                return exit_intr(v);
            break;
        case ENGINE_EXIT_HOST_FAULT:
            return host_fault(v, &ex);
        case ENGINE_EXIT_INTERNAL:
        default:
            v->run->exit_reason = KVM_EXIT_INTERNAL_ERROR;
            v->run->internal.suberror = KVM_INTERNAL_ERROR_EMULATION;
            v->run->internal.ndata = 0;
            v->stat_other++;
            return 0;
        }
    }
}

/* Signals deferred while the guest runs: all but faults of our own code. */
static sigset_t deferred;
static pthread_once_t deferred_once = PTHREAD_ONCE_INIT;

static void deferred_init(void)
{
    sigfillset(&deferred);
    sigdelset(&deferred, SIGSEGV);
    sigdelset(&deferred, SIGBUS);
    sigdelset(&deferred, SIGILL);
    sigdelset(&deferred, SIGFPE);
    sigdelset(&deferred, SIGABRT);
    sigdelset(&deferred, SIGTRAP);
}

int hyp_run(struct vcpu *v, unsigned long arg, sigset_t *restore, bool *must_restore)
{
    *must_restore = false;
    if (arg)
        return EXPLAIN(-EINVAL, "the argument of KVM_RUN must be 0");
    int r = vcpu_require_finalized(v);
    if (r)
        return r;
    if (v->has_pmu && !v->pmu_initialized)
        return EXPLAIN(-EINVAL, "vCPU %u has a PMU that was never initialised (KVM_SET_DEVICE_ATTR "
                       "KVM_ARM_VCPU_PMU_V3_CTRL/KVM_ARM_VCPU_PMU_V3_INIT)", v->id);
    if (v->features & (1u << KVM_ARM_VCPU_EL1_32BIT))
        return EXPLAIN(-EINVAL, "vCPU %u is AArch32 at EL1: softkvm does not execute AArch32 guests yet", v->id);
    if (!v->has_run) {
        vcpu_mark_ran(v);
        v->env.memslots = &v->vm->memslots;
        v->env.sysreg_read = sysreg_guest_read;
        v->env.sysreg_write = sysreg_guest_write;
        v->env.sysreg_ctx = v;
        v->env.kick = &v->kick;
        v->env.code_gen = &v->vm->code_gen;
        v->env.cntvoff = &v->vm->cntvoff;
        v->env.irq_lines = &v->irq_lines;
    }

    struct kvm_run *run = v->run;
    if (run->exit_reason == KVM_EXIT_MMIO && v->mmio == MMIO_PENDING)
        hyp_mmio_complete(v);
    if (run->immediate_exit)
        return -EINTR;   /* exit_reason stays as it was */
    run->exit_reason = KVM_EXIT_UNKNOWN;
    run->flags = 0;
    v->stat_runs++;

    struct run_ctx rc;
    pthread_once(&deferred_once, deferred_init);
    pthread_sigmask(SIG_BLOCK, &deferred, &rc.saved);
    uint64_t saved_bits;
    memcpy(&saved_bits, &rc.saved, sizeof saved_bits);   /* the kernel's 64 signals, as signal_pending */
    if (saved_bits & ((1ull << (SIGSEGV - 1)) | (1ull << (SIGBUS - 1)))) {
        /* A fault on guest RAM must reach util/hostfault.c: the kernel kills
         * a thread that faults with SIGSEGV/SIGBUS blocked. */
        sigset_t faults;
        sigemptyset(&faults);
        sigaddset(&faults, SIGSEGV);
        sigaddset(&faults, SIGBUS);
        pthread_sigmask(SIG_UNBLOCK, &faults, NULL);
    }
    uaccess_thread_init();   /* before any handler can run on this thread and call us */
    rc.run_mask = v->has_sigmask ? v->sigmask : rc.saved;

    r = run_loop(v, &rc);
    timer_notify(v);   /* device_irq_level is current on every return */

    /* The caller restores the mask after releasing the vCPU, so that a pending
     * signal's handler runs "after the ioctl returned", as with the kernel. */
    *restore = rc.saved;
    *must_restore = true;
    return r;
}
