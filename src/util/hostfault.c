/*
 * hostfault.c - the process-wide SIGSEGV/SIGBUS handler behind hostfault.h.
 *
 * The handler decides in three steps, all async-signal-safe:
 *   1. Is this thread inside a scope, and is the signal a real fault
 *      (si_code > 0: raised by the kernel for the faulting instruction, not
 *      sent with kill/tgkill/sigqueue)?
 *   2. Does the scope claim the address (guest RAM of the running vCPU)?
 *   3. If so, resume the scope; otherwise forward to the previous handler.
 *
 * Resuming: where the context layout is known (x86-64, aarch64), the handler
 * rewrites the interrupted context so that returning from the signal lands
 * in resume() on the faulting thread's own stack, which then siglongjmps to
 * the scope. sigreturn restores the signal mask and leaves any alternate
 * signal stack the way the kernel expects, and ASan/TSan see an ordinary
 * longjmp between frames of one stack. Elsewhere the handler restores the
 * interrupted mask itself and siglongjmps from the signal frame.
 *
 * Forwarding: our handler is installed with the previous handler's mask and
 * SA_ONSTACK/SA_NODEFER/SA_RESTART flags, so the kernel has already set up
 * what the previous handler expects; calling it is then delivery as the
 * kernel would have done it.
 */
#include "util/hostfault.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <ucontext.h>

__thread struct hostfault_scope *hostfault_cur __attribute__((tls_model("initial-exec")));
int hostfault_installed;

static struct sigaction prev[2];           /* [0] SIGSEGV, [1] SIGBUS: what was installed before us */
static int setup_err;
static pthread_once_t setup_once = PTHREAD_ONCE_INIT;

static struct sigaction *prev_of(int sig)
{
    return &prev[sig == SIGBUS];
}

/* Returning from the handler continues here (see above). */
static __attribute__((noreturn, used, noinline)) void resume(struct hostfault_scope *s)
{
    siglongjmp(s->env, 1);
}

/* Make the interrupted context call resume(s) on its own stack. */
static bool redirect(void *ucv, struct hostfault_scope *s)
{
#if defined(__x86_64__)
    ucontext_t *uc = ucv;
    /* Below the 128-byte red zone of the faulting function (abandoned anyway),
     * 16-byte aligned minus 8, as right after a call. */
    greg_t sp = uc->uc_mcontext.gregs[REG_RSP];
    uc->uc_mcontext.gregs[REG_RSP] = ((sp - 256) & ~(greg_t)15) - 8;
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)(uintptr_t)resume;
    uc->uc_mcontext.gregs[REG_RDI] = (greg_t)(uintptr_t)s;
    return true;
#elif defined(__aarch64__)
    ucontext_t *uc = ucv;
    uc->uc_mcontext.sp = (uc->uc_mcontext.sp - 256) & ~(unsigned long long)15;
    uc->uc_mcontext.pc = (uintptr_t)resume;
    uc->uc_mcontext.regs[0] = (uintptr_t)s;
    uc->uc_mcontext.regs[30] = 0;       /* resume() never returns */
    return true;
#else
    (void)ucv;
    (void)s;
    return false;
#endif
}

/* Deliver to the previous disposition as the kernel would have. */
static void forward(int sig, siginfo_t *si, void *uc)
{
    struct sigaction *p = prev_of(sig);
    struct sigaction h = *p;
    bool sent = si->si_code <= 0;         /* kill(), tgkill(), sigqueue(): nothing to re-execute */
    if (h.sa_flags & SA_RESETHAND) {
        /* One-shot: the kernel resets the disposition before running it. Ours
         * stays (guest faults still need it); what we forward to next is the default. */
        memset(p, 0, sizeof *p);
        p->sa_handler = SIG_DFL;
    }
    if (h.sa_flags & SA_SIGINFO) {
        if (h.sa_sigaction) {
            h.sa_sigaction(sig, si, uc);
            return;
        }
    } else if (h.sa_handler != SIG_DFL && h.sa_handler != SIG_IGN) {
        h.sa_handler(sig);
        return;
    }
    if (h.sa_handler == SIG_IGN && sent)
        return;                           /* an ignored signal that was only sent */
    /* SIG_DFL, or SIG_IGN for a real fault (the kernel kills then too): take
     * the default action. A fault happens again when the instruction is
     * re-executed after we return; a sent signal is raised again (it is
     * blocked in this handler and arrives once we return). */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    if (sent)
        raise(sig);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    int saved_errno = errno;
    struct hostfault_scope *s = hostfault_cur;
    if (s && si->si_code > 0) {
        /* x86-64 reports a general protection fault (non-canonical address)
         * as SI_KERNEL without an address. */
        bool known = !(sig == SIGSEGV && si->si_code == SI_KERNEL);
        uintptr_t addr = known ? (uintptr_t)si->si_addr : 0;
        if (s->claims(s, addr, known)) {
            s->addr = addr;
            s->sig = sig;
            s->code = si->si_code;
            hostfault_cur = NULL;         /* a fault from here on is not the guest's */
            if (!redirect(uc, s)) {
                pthread_sigmask(SIG_SETMASK, &((ucontext_t *)uc)->uc_sigmask, NULL);
                siglongjmp(s->env, 1);
            }
            errno = saved_errno;
            return;
        }
    }
    forward(sig, si, uc);
    errno = saved_errno;
}

static void setup(void)
{
    static const int sigs[2] = { SIGSEGV, SIGBUS };
    for (unsigned i = 0; i < 2; i++) {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_fault;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], &sa, &old) != 0) {
            setup_err = -errno;
            return;
        }
        prev[i] = old;
        /* The previous handler's mask and stack/restart flags, so that
         * forwarding needs no mask juggling in the handler. */
        unsigned keep = (unsigned)old.sa_flags & (SA_ONSTACK | SA_NODEFER | SA_RESTART);
        if (keep || !sigisemptyset(&old.sa_mask)) {
            sa.sa_flags |= (int)keep;
            sa.sa_mask = old.sa_mask;
            sigaction(sigs[i], &sa, NULL);
        }
    }
    __atomic_store_n(&hostfault_installed, 1, __ATOMIC_RELEASE);
}

int hostfault_setup_once(void)
{
    pthread_once(&setup_once, setup);
    return setup_err;
}
