/*
 * preload.c - libsoftkvm-preload.so: LD_PRELOAD this library and an unmodified,
 * dynamically linked program that opens "/dev/kvm" talks to softkvm instead.
 *
 * What is intercepted (lazy dlsym(RTLD_NEXT) wrappers, as umockdev's preload
 * library does for its device nodes), and why:
 *   open, open64, openat, openat64, __open_2, __open64_2, __openat_2,
 *   __openat64_2      exactly the path "/dev/kvm" -> softkvm_open(); any other
 *                     path goes to libc untouched (the _2 forms are what
 *                     _FORTIFY_SOURCE builds call)
 *   ioctl             on a softkvm descriptor -> softkvm_ioctl(); else libc
 *   close, close_range  forget softkvm descriptors, then close them
 *   dup, dup2, dup3, fcntl/fcntl64(F_DUPFD, F_DUPFD_CLOEXEC)
 *                     the new descriptor refers to the same softkvm object
 *                     (softkvm_dup_notify); dup2/dup3 over a softkvm
 *                     descriptor forget what was there
 * Not intercepted: mmap. Every softkvm object is a real memfd, so mmap() of a
 * vCPU descriptor is served by the kernel and maps that vCPU's live kvm_run
 * page (and everything else mmap does is untouched). Nor read/write/poll:
 * softkvm descriptors answer them as the memfds they are.
 *
 * After fork(): the child inherits the descriptors. As on Linux, where VM,
 * vCPU and device ioctls from a process other than the VM's creator fail
 * with EIO (kvm_main.c: kvm->mm != current->mm), every ioctl in the child on a
 * VM/vCPU descriptor it inherited fails with EIO; an inherited /dev/kvm
 * descriptor keeps working, and VMs the child creates are its own. The
 * parent is unaffected. (Fork with vCPU threads inside KVM_RUN is not
 * supported: the child's copy of the library may hold their locks.)
 *
 * The library's own objects are linked into this .so (softkvm_obj), so the
 * program needs nothing else; softkvm_* entry points are exported too, which
 * lets a test check that it really talks to softkvm.
 */
#undef _FORTIFY_SOURCE   /* we define open() & co. ourselves */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include "api/handle.h"
#include "softkvm/softkvm.h"

#define EXPORT __attribute__((visibility("default")))
#define KVM_PATH "/dev/kvm"

/* Resolve libc's definition of a symbol on first use. */
#define REAL(name, type)                                                            \
    static type real_##name;                                                        \
    static type get_##name(void)                                                    \
    {                                                                               \
        type f = __atomic_load_n(&real_##name, __ATOMIC_ACQUIRE);                   \
        if (!f) {                                                                   \
            f = (type)dlsym(RTLD_NEXT, #name);                                      \
            __atomic_store_n(&real_##name, f, __ATOMIC_RELEASE);                    \
        }                                                                           \
        return f;                                                                   \
    }

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*open2_fn)(const char *, int);
typedef int (*openat2_fn)(int, const char *, int);
typedef int (*ioctl_fn)(int, unsigned long, ...);
typedef int (*close_fn)(int);
typedef int (*close_range_fn)(unsigned, unsigned, int);
typedef int (*dup_fn)(int);
typedef int (*dup2_fn)(int, int);
typedef int (*dup3_fn)(int, int, int);
typedef int (*fcntl_fn)(int, int, ...);

REAL(open, open_fn)
REAL(open64, open_fn)
REAL(openat, openat_fn)
REAL(openat64, openat_fn)
REAL(__open_2, open2_fn)
REAL(__open64_2, open2_fn)
REAL(__openat_2, openat2_fn)
REAL(__openat64_2, openat2_fn)
REAL(ioctl, ioctl_fn)
REAL(close, close_fn)
REAL(close_range, close_range_fn)
REAL(dup, dup_fn)
REAL(dup2, dup2_fn)
REAL(dup3, dup3_fn)
REAL(fcntl, fcntl_fn)
REAL(fcntl64, fcntl_fn)

/* ---- descriptor bookkeeping of the shim (system fds, fork) ---------------------- */

/* Per-fd flags: SYSTEM = a /dev/kvm descriptor (usable after fork);
 * INHERITED = a VM/vCPU descriptor that came from the parent (EIO). */
#define FD_SYSTEM    1u
#define FD_INHERITED 2u

static pthread_mutex_t flags_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t *fd_flags;
static size_t fd_flags_len;
static atomic_uint fork_gen;      /* bumped in the child after each fork */
static unsigned scanned_gen;      /* the generation the INHERITED flags reflect */

static unsigned flags_get(int fd)
{
    unsigned f = 0;
    pthread_mutex_lock(&flags_lock);
    if (fd >= 0 && (size_t)fd < fd_flags_len)
        f = fd_flags[fd];
    pthread_mutex_unlock(&flags_lock);
    return f;
}

/* Caller holds flags_lock. */
static void flags_set_locked(int fd, unsigned f)
{
    if (fd < 0)
        return;
    if ((size_t)fd >= fd_flags_len) {
        if (!f)
            return;
        size_t n = fd_flags_len ? fd_flags_len : 64;
        while (n <= (size_t)fd)
            n *= 2;
        uint8_t *p = realloc(fd_flags, n);
        if (!p)
            return;   /* worst case: a /dev/kvm fd is treated as inherited after fork */
        memset(p + fd_flags_len, 0, n - fd_flags_len);
        fd_flags = p;
        fd_flags_len = n;
    }
    fd_flags[fd] = (uint8_t)f;
}

static void flags_set(int fd, unsigned f)
{
    pthread_mutex_lock(&flags_lock);
    flags_set_locked(fd, f);
    pthread_mutex_unlock(&flags_lock);
}

static void after_fork_child(void)
{
    atomic_fetch_add(&fork_gen, 1);   /* the scan happens at the first ioctl (no locks here) */
}

__attribute__((constructor)) static void preload_init(void)
{
    pthread_atfork(NULL, NULL, after_fork_child);
}

/* In a forked child: mark every softkvm fd that is not /dev/kvm as inherited. */
static void scan_inherited(void)
{
    unsigned gen = atomic_load(&fork_gen);
    pthread_mutex_lock(&flags_lock);
    if (scanned_gen != gen) {
        struct rlimit rl;
        long max = 65536;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (1u << 20))
            max = (long)rl.rlim_cur;
        for (long fd = 0; fd < max; fd++) {
            unsigned f = (size_t)fd < fd_flags_len ? fd_flags[fd] : 0;
            if (!(f & FD_SYSTEM) && softkvm_is_fd((int)fd))
                flags_set_locked((int)fd, f | FD_INHERITED);
        }
        scanned_gen = gen;
    }
    pthread_mutex_unlock(&flags_lock);
}

/* ---- open ------------------------------------------------------------------------ */

static bool is_kvm_path(const char *path)
{
    return path && strcmp(path, KVM_PATH) == 0;
}

static int open_kvm(const char *path, int flags)
{
    int fd = softkvm_open(path, flags);
    if (fd >= 0)
        flags_set(fd, FD_SYSTEM);
    return fd;
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

EXPORT int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    if (is_kvm_path(path))
        return open_kvm(path, flags);
    return get_open()(path, flags, mode);
}

EXPORT int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    if (is_kvm_path(path))
        return open_kvm(path, flags);
    return get_open64()(path, flags, mode);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    if (is_kvm_path(path))   /* absolute: dirfd does not matter */
        return open_kvm(path, flags);
    return get_openat()(dirfd, path, flags, mode);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    if (is_kvm_path(path))
        return open_kvm(path, flags);
    return get_openat64()(dirfd, path, flags, mode);
}

EXPORT int __open_2(const char *path, int flags)
{
    return is_kvm_path(path) ? open_kvm(path, flags) : get___open_2()(path, flags);
}

EXPORT int __open64_2(const char *path, int flags)
{
    return is_kvm_path(path) ? open_kvm(path, flags) : get___open64_2()(path, flags);
}

EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
    return is_kvm_path(path) ? open_kvm(path, flags) : get___openat_2()(dirfd, path, flags);
}

EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
    return is_kvm_path(path) ? open_kvm(path, flags) : get___openat64_2()(dirfd, path, flags);
}

/* ---- ioctl ----------------------------------------------------------------------- */

EXPORT int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (!softkvm_is_fd(fd))
        return get_ioctl()(fd, request, arg);
    if (atomic_load(&fork_gen) != 0) {
        scan_inherited();
        if (flags_get(fd) & FD_INHERITED) {
            errno = EIO;   /* kvm_main.c: the VM belongs to another process */
            return -1;
        }
    }
    return softkvm_ioctl(fd, request, (unsigned long)(uintptr_t)arg);
}

/* ---- close and duplication ------------------------------------------------------- */

EXPORT int close(int fd)
{
    if (softkvm_is_fd(fd)) {
        flags_set(fd, 0);
        return softkvm_close(fd);   /* forgets, then closes (through this wrapper: no longer ours) */
    }
    return get_close()(fd);
}

EXPORT int close_range(unsigned first, unsigned last, int flags)
{
    close_range_fn real = get_close_range();
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    int r = real(first, last, flags);
    if (r == 0 && !(flags & CLOSE_RANGE_CLOEXEC)) {
        /* Only descriptors we know can be softkvm's: bounded by our table. */
        struct rlimit rl;
        unsigned max = 65536;
        if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (1u << 20))
            max = (unsigned)rl.rlim_cur;
        for (unsigned fd = first; fd <= last && fd < max; fd++) {
            if (softkvm_is_fd((int)fd)) {
                handle_forget((int)fd);
                flags_set((int)fd, 0);
            }
        }
    }
    return r;
}

/* newfd now refers to what oldfd does (or, if oldfd is not softkvm's, to a plain file). */
static void note_dup(int oldfd, int newfd)
{
    if (newfd < 0 || newfd == oldfd)
        return;
    if (softkvm_is_fd(oldfd)) {
        softkvm_dup_notify(oldfd, newfd);   /* replaces any earlier entry at newfd */
        flags_set(newfd, flags_get(oldfd));
    } else if (softkvm_is_fd(newfd)) {
        handle_forget(newfd);               /* dup2 over a softkvm fd closed it */
        flags_set(newfd, 0);
    }
}

EXPORT int dup(int oldfd)
{
    int r = get_dup()(oldfd);
    note_dup(oldfd, r);
    return r;
}

EXPORT int dup2(int oldfd, int newfd)
{
    int r = get_dup2()(oldfd, newfd);
    note_dup(oldfd, r);
    return r;
}

EXPORT int dup3(int oldfd, int newfd, int flags)
{
    int r = get_dup3()(oldfd, newfd, flags);
    note_dup(oldfd, r);
    return r;
}

static int do_fcntl(fcntl_fn real, int fd, int cmd, void *arg)
{
    int r = real(fd, cmd, arg);
    if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))
        note_dup(fd, r);
    return r;
}

EXPORT int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return do_fcntl(get_fcntl(), fd, cmd, arg);
}

EXPORT int fcntl64(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    fcntl_fn real = get_fcntl64();
    return do_fcntl(real ? real : get_fcntl(), fd, cmd, arg);
}
