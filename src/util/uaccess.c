/*
 * uaccess.c - fault-free copies from/to caller memory (see uaccess.h).
 *
 * Checked path: process_vm_readv/writev on our own pid (the kernel validates
 * the address and reports EFAULT), or a per-thread pipe where those calls are
 * unavailable (qemu-user). Each costs about a microsecond of system call here.
 *
 * Fast path: most VMMs pass pointers to their own stack (a struct kvm_one_reg
 * and the value it points to are locals). The part of the calling thread's
 * stack above the current stack pointer is mapped, writable, and cannot go
 * away while this thread is inside the call, so copies there need no check.
 */
#include "util/uaccess.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Addresses in the first page are never mapped for user programs (mmap_min_addr). */
#define LOW_GUARD 4096u

static _Thread_local int probe_pipe[2] = { -1, -1 };
static int use_pipe;                       /* process_vm_* unavailable: set once, stays */
static _Thread_local uintptr_t stack_top;  /* 0 = not looked up yet, 1 = unknown */
static pid_t self_pid;

static void pid_reset_in_child(void)
{
    self_pid = getpid();
}

static void pid_init(void)
{
    self_pid = getpid();
    pthread_atfork(NULL, NULL, pid_reset_in_child);   /* a child has a new pid */
}

static pid_t my_pid(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, pid_init);
    return self_pid;
}

/* Look the calling thread's stack up (pthread_getattr_np allocates: not
 * async-signal-safe, so KVM_RUN calls this while the program's signals are
 * deferred, before a handler could run on this thread). */
void uaccess_thread_init(void)
{
    if (stack_top != 0)
        return;
    pthread_attr_t attr;
    void *base;
    size_t size;
    stack_top = 1;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &base, &size) == 0)
            stack_top = (uintptr_t)base + size;
        pthread_attr_destroy(&attr);
    }
}

__attribute__((noinline)) static bool on_my_stack(const void *p, size_t n)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    if (stack_top == 0)
        uaccess_thread_init();
    uintptr_t a = (uintptr_t)p;
    return stack_top > 1 && a >= sp && a + n >= a && a + n <= stack_top;
}

static int pipe_ready(void)
{
    if (probe_pipe[0] >= 0)
        return 0;
    if (pipe2(probe_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return -errno;
    return 0;
}

/* Move n bytes from src to dst through the pipe; the kernel checks both ends. */
static int pipe_copy(void *dst, const void *src, size_t n)
{
    int r = pipe_ready();
    if (r)
        return r;
    while (n) {
        size_t chunk = n > 4096 ? 4096 : n;
        ssize_t w = write(probe_pipe[1], src, chunk);
        if (w < 0)
            return -EFAULT;
        ssize_t got = read(probe_pipe[0], dst, (size_t)w);
        if (got != w) {
            char sink[4096];
            while (read(probe_pipe[0], sink, sizeof sink) > 0)
                ;
            return -EFAULT;
        }
        dst = (char *)dst + w;
        src = (const char *)src + w;
        n -= (size_t)w;
    }
    return 0;
}

static int vm_copy(void *dst, const void *src, size_t n, int to_user)
{
    struct iovec local = { to_user ? (void *)src : dst, n };
    struct iovec remote = { to_user ? dst : (void *)src, n };
    ssize_t r = to_user ? process_vm_writev(my_pid(), &local, 1, &remote, 1, 0)
                        : process_vm_readv(my_pid(), &local, 1, &remote, 1, 0);
    if (r == (ssize_t)n)
        return 0;
    if (r < 0 && (errno == ENOSYS || errno == EPERM)) {
        use_pipe = 1;
        return pipe_copy(dst, src, n);
    }
    return -EFAULT;
}

int copy_from_user(void *dst, const void *usrc, size_t n)
{
    if (n == 0)
        return 0;
    if ((uintptr_t)usrc < LOW_GUARD || (uintptr_t)usrc + n < (uintptr_t)usrc)
        return -EFAULT;
    if (on_my_stack(usrc, n)) {
        memcpy(dst, usrc, n);
        return 0;
    }
    return use_pipe ? pipe_copy(dst, usrc, n) : vm_copy(dst, usrc, n, 0);
}

int copy_to_user(void *udst, const void *src, size_t n)
{
    if (n == 0)
        return 0;
    if ((uintptr_t)udst < LOW_GUARD || (uintptr_t)udst + n < (uintptr_t)udst)
        return -EFAULT;
    if (on_my_stack(udst, n)) {
        memcpy(udst, src, n);
        return 0;
    }
    return use_pipe ? pipe_copy(udst, src, n) : vm_copy(udst, src, n, 1);
}
