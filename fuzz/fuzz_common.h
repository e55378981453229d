/*
 * fuzz_common.h - what every softkvm fuzz harness shares: a reader that turns
 * the fuzzer's byte string into choices (never failing: past the end it yields
 * zeros), the hostile pointers (a PROT_NONE guard page and friends), a
 * watchdog that breaks a KVM_RUN that would block (WFI, powered-off vCPU) with
 * a real-time signal, and the hard failure report.
 *
 * Harness code is test code: a broken invariant calls FUZZ_FAIL, which prints
 * the rule and aborts so that libFuzzer (or the replay driver) records the
 * input as a crash. Everything here runs single-threaded.
 */
#ifndef SOFTKVM_FUZZ_COMMON_H
#define SOFTKVM_FUZZ_COMMON_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

#define FUZZ_FAIL(...)                                                        \
    do {                                                                      \
        fprintf(stderr, "FUZZ INVARIANT BROKEN at %s:%d: ", __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__);                                         \
        fputc('\n', stderr);                                                  \
        abort();                                                              \
    } while (0)

#define FUZZ_ASSERT(cond, ...)                                                \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "FUZZ INVARIANT BROKEN at %s:%d: (%s) ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* ---- the byte reader -------------------------------------------------- */

struct bytes {
    const uint8_t *p;
    size_t n;
};

static inline bool bytes_left(const struct bytes *b) { return b->n > 0; }

static inline uint8_t take8(struct bytes *b)
{
    if (!b->n)
        return 0;
    b->n--;
    return *b->p++;
}

static inline uint16_t take16(struct bytes *b) { return (uint16_t)(take8(b) | take8(b) << 8); }
static inline uint32_t take32(struct bytes *b) { return take16(b) | (uint32_t)take16(b) << 16; }
static inline uint64_t take64(struct bytes *b) { return take32(b) | (uint64_t)take32(b) << 32; }

static inline void take_buf(struct bytes *b, void *dst, size_t n)
{
    size_t k = n < b->n ? n : b->n;
    memcpy(dst, b->p, k);
    memset((uint8_t *)dst + k, 0, n - k);
    b->p += k;
    b->n -= k;
}

/* One of n choices (n > 0). */
static inline unsigned pick(struct bytes *b, unsigned n) { return take8(b) % n; }

/* ---- hostile pointers ------------------------------------------------- */

/*
 * One mapping laid out as [ro page][rw page][guard page (PROT_NONE)]: the
 * valid buffer ends exactly where the guard begins, so an implementation that
 * writes past what the ABI allows gets EFAULT (or we see it in the canary).
 */
struct fuzz_mem {
    uint8_t *ro;       /* readable, not writable */
    uint8_t *rw;       /* one page */
    uint8_t *guard;    /* PROT_NONE */
    size_t page;
};

static inline void fuzz_mem_init(struct fuzz_mem *m)
{
    m->page = (size_t)sysconf(_SC_PAGESIZE);
    uint8_t *base = mmap(NULL, 3 * m->page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        FUZZ_FAIL("mmap: %s", strerror(errno));
    m->ro = base;
    m->rw = base + m->page;
    m->guard = base + 2 * m->page;
    memset(m->ro, 0xa5, m->page);
    if (mprotect(m->ro, m->page, PROT_READ) || mprotect(m->guard, m->page, PROT_NONE))
        FUZZ_FAIL("mprotect: %s", strerror(errno));
}

enum ptr_kind {
    PTR_VALID,      /* the rw buffer, size bytes before the guard page */
    PTR_NULL,
    PTR_GUARD,      /* inside the PROT_NONE page */
    PTR_STRADDLE,   /* starts in rw, ends in the guard page */
    PTR_LOW,        /* 0x1: in the never-mapped first page */
    PTR_READONLY,   /* readable, not writable */
    PTR_KERNEL,     /* a kernel address */
    PTR_WRAP,       /* wraps around the address space */
    PTR_NR
};

/* Pointer of kind k for an object of size bytes (size <= one page for PTR_VALID). */
static inline void *fuzz_ptr(const struct fuzz_mem *m, enum ptr_kind k, size_t size)
{
    switch (k) {
    case PTR_VALID: return m->guard - (size < m->page ? size : m->page);
    case PTR_NULL: return NULL;
    case PTR_GUARD: return m->guard;
    case PTR_STRADDLE: return m->guard - (size > 1 ? size / 2 : 1);
    case PTR_LOW: return (void *)(uintptr_t)1;
    case PTR_READONLY: return m->ro;
    case PTR_KERNEL: return (void *)(uintptr_t)0xffff800000000000ull;
    case PTR_WRAP: return (void *)(uintptr_t)(0 - (uintptr_t)(size > 1 ? size / 2 : 1));
    default: return NULL;
    }
}

/* Mostly valid pointers: invalid ones are interesting but end the ioctl early. */
static inline enum ptr_kind take_ptr_kind(struct bytes *b)
{
    uint8_t c = take8(b);
    return c < 0xc0 ? PTR_VALID : (enum ptr_kind)(c % PTR_NR);
}

/* ---- watchdog --------------------------------------------------------- */

/*
 * A KVM_RUN may legitimately block (WFI, a powered-off or suspended vCPU) until
 * a signal arrives, as on Linux. The watchdog is a per-thread POSIX timer that
 * sends a real-time signal (not SIGALRM/SIGUSR1/2: libFuzzer owns those) with
 * an empty handler, so KVM_RUN returns -1/EINTR.
 */
#define FUZZ_WATCHDOG_SIG (SIGRTMIN + 3)

static timer_t fuzz_wd_timer;
static bool fuzz_wd_ready;

static void fuzz_wd_handler(int s) { (void)s; }

static inline void fuzz_watchdog_init(void)
{
    if (fuzz_wd_ready)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fuzz_wd_handler;   /* no SA_RESTART: the ioctl must see EINTR */
    sigaction(FUZZ_WATCHDOG_SIG, &sa, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_THREAD_ID;
    ev.sigev_signo = FUZZ_WATCHDOG_SIG;
    #ifdef sigev_notify_thread_id
    ev.sigev_notify_thread_id = (pid_t)syscall(SYS_gettid);
#else
    ev._sigev_un._tid = (pid_t)syscall(SYS_gettid);   /* glibc < 2.38 has no macro */
#endif
    if (timer_create(CLOCK_MONOTONIC, &ev, &fuzz_wd_timer) != 0)
        FUZZ_FAIL("timer_create: %s", strerror(errno));
    fuzz_wd_ready = true;
}

/* Arm for ms milliseconds, repeating every ms (a signal that arrives just before
 * KVM_RUN blocks its signals is consumed without effect: the repeat covers it). */
static inline void fuzz_watchdog_arm(unsigned ms)
{
    struct itimerspec it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = ms / 1000;
    it.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
    it.it_interval = it.it_value;
    timer_settime(fuzz_wd_timer, 0, &it, NULL);
}

static inline void fuzz_watchdog_disarm(void)
{
    struct itimerspec it;
    memset(&it, 0, sizeof it);
    timer_settime(fuzz_wd_timer, 0, &it, NULL);
    /* A tick still pending (blocked inside KVM_RUN) is delivered to the empty
     * handler when KVM_RUN restores the mask: nothing to clean up. */
}

/* ---- hang guard --------------------------------------------------------- */

/*
 * libFuzzer's -timeout is a SIGALRM, which cannot fire while softkvm's KVM_RUN
 * keeps signals blocked; a KVM_RUN that ignores the watchdog's signals would
 * hang the fuzzer without a trace. This thread aborts the process instead (so
 * libFuzzer saves the input) when one KVM_RUN outlasts its deadline.
 */
#include <pthread.h>
#include <stdatomic.h>

static _Atomic uint64_t fuzz_hang_deadline_ns;   /* 0 = no KVM_RUN in progress */

static inline uint64_t fuzz_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void *fuzz_hang_thread(void *arg)
{
    (void)arg;
    for (;;) {
        struct timespec t = { 0, 100000000 };
        nanosleep(&t, NULL);
        uint64_t d = atomic_load(&fuzz_hang_deadline_ns);
        if (d && fuzz_now_ns() > d) {
            fprintf(stderr, "FUZZ HANG: KVM_RUN did not return within its deadline although the "
                            "watchdog signal kept arriving\n");
            abort();
        }
    }
    return NULL;
}

static inline void fuzz_hang_guard(unsigned seconds)
{
    static bool started;
    if (!started) {
        pthread_t t;
        pthread_create(&t, NULL, fuzz_hang_thread, NULL);
        pthread_detach(t);
        started = true;
    }
    atomic_store(&fuzz_hang_deadline_ns, seconds ? fuzz_now_ns() + seconds * 1000000000ull : 0);
}

/* ---- fd leaks --------------------------------------------------------- */

/*
 * After an input closed everything it created, no softkvm object may remain:
 * those are memfds named "kvm*" (system, VM, vCPU fds) and the vCPUs' wake-up
 * eventfds. Fds of that kind already open at start-up (inherited, or one the
 * harness keeps) are not counted; other files are not ours to judge.
 */
#define FUZZ_MAX_FD 1024
static bool fuzz_fd_preexisting[FUZZ_MAX_FD];

static inline bool fuzz_fd_is_softkvm_kind(int fd)
{
    char path[64], target[256];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = 0;
    return !strncmp(target, "/memfd:kvm", 10) || !strcmp(target, "anon_inode:[eventfd]");
}

/* Call once at start-up, after opening the fds the harness keeps. */
static inline void fuzz_fd_baseline(void)
{
    for (int fd = 0; fd < FUZZ_MAX_FD; fd++)
        fuzz_fd_preexisting[fd] = fuzz_fd_is_softkvm_kind(fd);
}

static inline void fuzz_check_no_leaked_fds(int upto)
{
    for (int fd = 0; fd <= upto && fd < FUZZ_MAX_FD; fd++)
        if (!fuzz_fd_preexisting[fd] && fuzz_fd_is_softkvm_kind(fd))
            FUZZ_FAIL("fd %d (a softkvm memfd or eventfd) is still open after everything was closed", fd);
}

/* ---- misc ------------------------------------------------------------- */

static inline uint64_t fnv64(const void *p, size_t n, uint64_t h)
{
    const uint8_t *c = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ c[i]) * 0x100000001b3ull;
    return h;
}

/* Byte size of a ONE_REG id (KVM_REG_SIZE). */
static inline size_t reg_bytes(uint64_t id) { return (size_t)1 << ((id >> 52) & 0xf); }

#endif
