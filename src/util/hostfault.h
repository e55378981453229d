/*
 * hostfault.h - surviving host faults on guest memory (SIGSEGV / SIGBUS).
 *
 * Guest RAM is the VMM's own memory, which the engine reads and writes through
 * plain host pointers. When the VMM has unmapped it, made it PROT_NONE or
 * read-only (a guest write to a writable slot), or mapped a file shorter than
 * the slot, that access faults. Linux cannot fault such a page in either and
 * answers KVM_RUN with EFAULT (arm64 mmu.c user_mem_abort); softkvm must do
 * the same instead of dying.
 *
 * Why a signal handler rather than checking before each access: the mapping
 * can change at any time (between two KVM_RUNs, or from another thread while
 * the guest runs), so no check made earlier (at KVM_SET_USER_MEMORY_REGION, or
 * when the software TLB was filled) stays true; and a check per access would
 * cost a system call on the engine's fast path. The fault itself is the only
 * exact and free test.
 *
 * How: a thread about to touch guest memory enters a scope (a sigjmp_buf and
 * a predicate saying which addresses are guest memory). The process-wide
 * handler, installed once by hostfault_setup(), resumes the scope when the
 * fault is a real fault (not a kill()) on the thread that owns the scope and
 * at an address the scope claims; the scope's sigsetjmp then returns 1 (in
 * ordinary context: the handler returns into a small trampoline where the
 * architecture allows, so sanitizers see an ordinary longjmp on the thread's
 * own stack). Every other SIGSEGV/SIGBUS goes to the handler that was
 * installed before ours, exactly as the kernel would have delivered it:
 * SA_SIGINFO or plain handler, its mask and flags, SIG_IGN (a real fault kills
 * anyway) and SIG_DFL (re-raised with the default action, so the process dies
 * of the same signal at the same instruction, with a core dump if enabled).
 *
 * Limits: a program that installs its own SIGSEGV/SIGBUS handler after the
 * first KVM_RUN without chaining to the previous one takes these faults itself.
 * A hardware memory error (BUS_MCEERR_*) is answered EFAULT too, where Linux
 * would send the VMM SIGBUS.
 */
#ifndef SOFTKVM_UTIL_HOSTFAULT_H
#define SOFTKVM_UTIL_HOSTFAULT_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hostfault_scope {
    sigjmp_buf env;      /* sigsetjmp(env, 0): the handler restores the mask itself */
    /* Is a fault at addr guest memory of this scope? addr_known is false for
     * an x86-64 general protection fault (a non-canonical address: the kernel
     * reports no address). Runs in the signal handler: async-signal-safe. */
    bool (*claims)(struct hostfault_scope *s, uintptr_t addr, bool addr_known);
    /* Filled in before the scope is resumed: */
    uintptr_t addr;      /* faulting host address (0 if not known) */
    int sig;             /* SIGSEGV or SIGBUS */
    int code;            /* si_code */
};

/* Install the process-wide SIGSEGV and SIGBUS handlers (once; later calls
 * return at once). 0, or -errno if sigaction failed (faults then stay fatal). */
int hostfault_setup_once(void);
extern int hostfault_installed;   /* 1 once installed (atomic access): all that later calls cost */
static inline int hostfault_setup(void)
{
    if (__builtin_expect(__atomic_load_n(&hostfault_installed, __ATOMIC_ACQUIRE) == 1, 1))
        return 0;
    return hostfault_setup_once();
}

/* The calling thread's faults on guest memory resume s until hostfault_leave().
 * Scopes do not nest. (Inline: KVM_RUN enters and leaves once per engine run.
 * initial-exec TLS: reading it in the handler must not allocate, as a
 * global-dynamic access may the first time a thread touches the variable.) */
extern __thread struct hostfault_scope *hostfault_cur __attribute__((tls_model("initial-exec")));
static inline void hostfault_enter(struct hostfault_scope *s)
{
    hostfault_cur = s;
    /* The handler runs on this thread: only the compiler must keep guest
     * accesses inside the scope's edges. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
static inline void hostfault_leave(void)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    hostfault_cur = NULL;
}

#endif
