/*
 * shim_test.c - a KVM program written against open("/dev/kvm")/ioctl/mmap only,
 * run under LD_PRELOAD=libsoftkvm-preload.so.
 *
 * Built twice: natively against <softkvm/kvm.h> (the arm64 ABI on an x86_64
 * host) and for aarch64 against the cross toolchain's own <linux/kvm.h>, run
 * under qemu-aarch64 -E LD_PRELOAD=build/aarch64/libsoftkvm-preload.so: there it
 * is exactly an unmodified arm64 KVM program.
 *
 * Safety: this machine's /dev/kvm is x86 KVM and must never be used. Before
 * touching the path the test requires the shim to be loaded (softkvm_open is
 * resolvable); after open it requires a non-character-device descriptor (the
 * real /dev/kvm is a character device, softkvm's a memfd) and answers only
 * softkvm's emulated arm64 host gives. Any doubt: close and fail.
 *
 * Guest memory the program unmapped: KVM_RUN fails EFAULT (as Linux) while
 * the program's own SIGSEGV handler still sees the program's own faults.
 *
 * usage: shim_test SVE_EXPECTED   (1 if SOFTKVM_HOST has SVE, else 0)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef SHIM_TEST_LINUX_HEADERS
#include <linux/kvm.h>
#else
#include <softkvm/kvm.h>
#endif

static int failures;

#define CHECK(cond, ...) do {                                                   \
        if (!(cond)) {                                                          \
            failures++;                                                         \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);      \
            fprintf(stderr, __VA_ARGS__);                                       \
            fputc('\n', stderr);                                                \
        }                                                                       \
    } while (0)

static void fatal(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("shim_test: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

/* A request on a descriptor that is not softkvm's reaches the real ioctl(2), which
 * says `expected`. qemu-user (the aarch64 run) answers ENOSYS for a request it
 * cannot translate before it looks at the descriptor, so accept that there. */
#ifdef __aarch64__
#define REAL_IOCTL_ERRNO(e, expected) ((e) == (expected) || (e) == ENOSYS)
#else
#define REAL_IOCTL_ERRNO(e, expected) ((e) == (expected))
#endif

#define REG_CORE(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
                         (offsetof(struct kvm_regs, field) / sizeof(uint32_t)))

/* movz x2,#0x1000,lsl#16; movz w1,#0x2a; str w1,[x2]; movz x0,#8; movk x0,#0x8400,lsl#16 (SYSTEM_OFF); hvc #0; b . */
static const uint32_t guest_code[] = {
    0xd2a20002, 0x52800541, 0xb9000041, 0xd2800100, 0xf2b08000, 0xd4000002, 0x14000000,
};
#define GUEST_RAM 0x40000000ull
#define GUEST_MMIO 0x10000000ull

static int open_kvm_safely(int sve_expected)
{
    if (!dlsym(RTLD_DEFAULT, "softkvm_open"))
        fatal("libsoftkvm-preload.so is not loaded: refusing to open this machine's /dev/kvm");
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        fatal("open /dev/kvm: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISCHR(st.st_mode)) {
        close(fd);
        fatal("/dev/kvm is a character device: this is the real KVM, not softkvm; stopping");
    }
    int sve = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_SVE);
    if (sve != sve_expected) {
        close(fd);
        fatal("KVM_CHECK_EXTENSION(KVM_CAP_ARM_SVE) = %d, the emulated host says %d: not softkvm?", sve,
              sve_expected);
    }
    return fd;
}

static uint64_t get_reg(int vcpu, uint64_t id)
{
    uint64_t v = 0;
    struct kvm_one_reg r = { id, (uint64_t)(uintptr_t)&v };
    CHECK(ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0, "GET_ONE_REG 0x%llx: %s", (unsigned long long)id, strerror(errno));
    return v;
}

static volatile sig_atomic_t segv_seen;
static void *volatile segv_fix;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    segv_seen++;
    if (si->si_addr == segv_fix)
        mprotect(segv_fix, 4096, PROT_READ | PROT_WRITE);
}

/* A memslot whose memory the program unmapped: KVM_RUN -1/EFAULT, exit_reason
 * KVM_EXIT_UNKNOWN, PC at the load; mapped again, the load completes. The
 * program's SIGSEGV handler, installed before, gets its own faults only. */
static void test_vanished_memory(int kvm)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    /* ldr x1, [x2]; str x1, [x3]; b . */
    static const uint32_t code[] = { 0xf9400041, 0xf9000061, 0x14000000 };
    void *ram = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *gone = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(ram, code, sizeof code);
    struct kvm_userspace_memory_region s0 = { 0, 0, GUEST_RAM, 0x10000, (uint64_t)(uintptr_t)ram };
    struct kvm_userspace_memory_region s1 = { 1, 0, GUEST_RAM + 0x100000, 0x1000, (uint64_t)(uintptr_t)gone };
    CHECK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &s0) == 0 && ioctl(vm, KVM_SET_USER_MEMORY_REGION, &s1) == 0,
          "memslots: %s", strerror(errno));
    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init init;
    CHECK(ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) == 0 && ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0, "INIT");
    int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    uint64_t v[4] = { GUEST_RAM, 0x1111, GUEST_RAM + 0x100000, GUEST_MMIO };
    uint64_t ids[4] = { REG_CORE(regs.pc), REG_CORE(regs.regs[1]), REG_CORE(regs.regs[2]), REG_CORE(regs.regs[3]) };
    for (int i = 0; i < 4; i++) {
        struct kvm_one_reg r = { ids[i], (uint64_t)(uintptr_t)&v[i] };
        CHECK(ioctl(vcpu, KVM_SET_ONE_REG, &r) == 0, "SET_ONE_REG");
    }
    munmap(gone, 0x1000);
    errno = 0;
    int r = ioctl(vcpu, KVM_RUN, 0);
    CHECK(r == -1 && errno == EFAULT, "KVM_RUN on unmapped guest memory: %d, errno %d", r, errno);
    CHECK(run->exit_reason == KVM_EXIT_UNKNOWN, "exit_reason %u", run->exit_reason);
    CHECK(get_reg(vcpu, REG_CORE(regs.pc)) == GUEST_RAM && get_reg(vcpu, REG_CORE(regs.regs[1])) == 0x1111,
          "PC/x1 after EFAULT");
    CHECK(segv_seen == 0, "the program's handler saw the guest's fault");

    uint8_t *own = mmap(NULL, 0x1000, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    segv_fix = own;
    own[0] = 7;                                   /* the handler makes it writable */
    CHECK(segv_seen == 1 && own[0] == 7, "the program's own fault: handler ran %d times", (int)segv_seen);

    CHECK(mmap(gone, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == gone,
          "map again");
    gone[0] = 0x5a;
    CHECK(ioctl(vcpu, KVM_RUN, 0) == 0 && run->exit_reason == KVM_EXIT_MMIO && run->mmio.data[0] == 0x5a,
          "KVM_RUN after mapping again: exit %u", run->exit_reason);
    munmap(run, (size_t)mmap_size);
    close(vcpu);
    close(vm);
    munmap(own, 0x1000);
    munmap(gone, 0x1000);
    munmap(ram, 0x10000);
}

static void test_lifecycle_and_run(int kvm, int sve)
{
    CHECK(ioctl(kvm, KVM_GET_API_VERSION, 0) == 12, "API version");
    int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    CHECK(mmap_size == 8192, "mmap size %d", mmap_size);

    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    CHECK(vm >= 0, "KVM_CREATE_VM: %s", strerror(errno));
    struct kvm_vcpu_init init;
    memset(&init, 0xff, sizeof init);
    CHECK(ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) == 0, "PREFERRED_TARGET: %s", strerror(errno));
    CHECK(init.target == KVM_ARM_TARGET_GENERIC_V8, "target %u", init.target);

    void *ram = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ram != MAP_FAILED, "mmap RAM");
    memcpy(ram, guest_code, sizeof guest_code);
    struct kvm_userspace_memory_region slot = { 0, 0, GUEST_RAM, 0x10000, (uint64_t)(uintptr_t)ram };
    CHECK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) == 0, "SET_USER_MEMORY_REGION: %s", strerror(errno));

    int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
    CHECK(vcpu >= 0, "CREATE_VCPU: %s", strerror(errno));
    errno = 0;
    CHECK(ioctl(vcpu, KVM_RUN, 0) == -1 && errno == ENOEXEC, "KVM_RUN before INIT: errno %d", errno);
    struct kvm_run *run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    CHECK(run != MAP_FAILED, "mmap of the vCPU fd: %s", strerror(errno));

    init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (sve)
        init.features[0] |= 1u << KVM_ARM_VCPU_SVE;
    CHECK(ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) == 0, "INIT: %s", strerror(errno));
    if (sve) {
        uint64_t vls[8] = { 0 };
        struct kvm_one_reg r = { KVM_REG_ARM64_SVE_VLS, (uint64_t)(uintptr_t)vls };
        CHECK(ioctl(vcpu, KVM_GET_ONE_REG, &r) == 0 && vls[0] != 0, "GET VLS");
        errno = 0;
        struct kvm_reg_list probe = { 0 };
        CHECK(ioctl(vcpu, KVM_GET_REG_LIST, &probe) == -1 && errno == EPERM, "REG_LIST before FINALIZE: %d", errno);
        int what = KVM_ARM_VCPU_SVE;
        CHECK(ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what) == 0, "FINALIZE: %s", strerror(errno));
    }
    struct kvm_reg_list probe = { 0 };
    errno = 0;
    CHECK(ioctl(vcpu, KVM_GET_REG_LIST, &probe) == -1 && errno == E2BIG, "REG_LIST n=0: %d", errno);
    CHECK(probe.n == (sve ? 261u : 242u), "reg-list size %llu", (unsigned long long)probe.n);

    uint64_t pc = GUEST_RAM;
    struct kvm_one_reg rpc = { REG_CORE(regs.pc), (uint64_t)(uintptr_t)&pc };
    CHECK(ioctl(vcpu, KVM_SET_ONE_REG, &rpc) == 0, "SET PC");

    /* First exit: the MMIO store, seen through the mmap()ed kvm_run page. */
    CHECK(ioctl(vcpu, KVM_RUN, 0) == 0, "KVM_RUN: %s", strerror(errno));
    CHECK(run->exit_reason == KVM_EXIT_MMIO, "exit reason %u", run->exit_reason);
    CHECK(run->mmio.phys_addr == GUEST_MMIO && run->mmio.len == 4 && run->mmio.is_write && run->mmio.data[0] == 0x2a,
          "mmio exit 0x%llx len %u", (unsigned long long)run->mmio.phys_addr, run->mmio.len);
    /* Second: PSCI SYSTEM_OFF. */
    CHECK(ioctl(vcpu, KVM_RUN, 0) == 0, "KVM_RUN 2: %s", strerror(errno));
    CHECK(run->exit_reason == KVM_EXIT_SYSTEM_EVENT && run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN,
          "exit %u type %u", run->exit_reason, run->system_event.type);
    CHECK(get_reg(vcpu, REG_CORE(regs.pc)) == GUEST_RAM + 0x18, "PC after HVC");

    /* Duplicates refer to the same object; close of the original keeps them alive. */
    int d1 = dup(vcpu);
    int d2 = fcntl(vcpu, F_DUPFD_CLOEXEC, 200);
    int d3 = dup2(vm, 150);
    int d4 = dup3(vcpu, 151, O_CLOEXEC);
    CHECK(d1 >= 0 && d2 >= 200 && d3 == 150 && d4 == 151, "dups %d %d %d %d", d1, d2, d3, d4);
    CHECK(close(vcpu) == 0, "close");
    CHECK(get_reg(d1, REG_CORE(regs.pc)) == GUEST_RAM + 0x18, "PC through dup");
    CHECK(get_reg(d2, REG_CORE(regs.pc)) == GUEST_RAM + 0x18, "PC through F_DUPFD_CLOEXEC");
    CHECK(get_reg(d4, REG_CORE(regs.pc)) == GUEST_RAM + 0x18, "PC through dup3");
    CHECK(ioctl(d3, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG) == 1, "VM through dup2");
    errno = 0;
    CHECK(ioctl(vcpu, KVM_GET_ONE_REG, &rpc) == -1 && REAL_IOCTL_ERRNO(errno, EBADF), "closed fd: errno %d", errno);

    /* dup2 of a plain file over a softkvm fd: that number is a plain file now. */
    int pipefd[2];
    CHECK(pipe(pipefd) == 0, "pipe");
    CHECK(dup2(pipefd[0], d1) == d1, "dup2 over");
    errno = 0;
    CHECK(ioctl(d1, KVM_GET_ONE_REG, &rpc) == -1 && REAL_IOCTL_ERRNO(errno, ENOTTY), "pipe got a KVM ioctl: errno %d",
          errno);
    int avail = -1;
    CHECK(ioctl(pipefd[0], FIONREAD, &avail) == 0 && avail == 0, "FIONREAD on a pipe (passed through)");

    /* Other paths are untouched. */
    int null = open("/dev/null", O_RDONLY);
    struct stat st;
    CHECK(null >= 0 && fstat(null, &st) == 0 && S_ISCHR(st.st_mode), "/dev/null");
    int kvm2 = openat(AT_FDCWD, "/dev/kvm", O_RDWR);
    CHECK(kvm2 >= 0 && fstat(kvm2, &st) == 0 && !S_ISCHR(st.st_mode), "openat /dev/kvm");
    CHECK(ioctl(kvm2, KVM_GET_API_VERSION, 0) == 12, "second /dev/kvm");

    /* fork: inherited VM/vCPU fds give EIO in the child; /dev/kvm works; the parent is unaffected. */
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int bad = 0;
        errno = 0;
        if (!(ioctl(d3, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG) == -1 && errno == EIO))
            bad |= 1;
        errno = 0;
        if (!(ioctl(d2, KVM_GET_ONE_REG, &rpc) == -1 && errno == EIO))
            bad |= 2;
        if (ioctl(kvm, KVM_GET_API_VERSION, 0) != 12)
            bad |= 4;
        int cvm = ioctl(kvm, KVM_CREATE_VM, 0);
        if (cvm < 0 || ioctl(cvm, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG) != 1)
            bad |= 8;
        int cvcpu = cvm >= 0 ? ioctl(cvm, KVM_CREATE_VCPU, 0) : -1;
        if (cvcpu < 0)
            bad |= 16;
        _exit(bad);
    }
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid, "fork/wait");
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child checks failed: mask 0x%x", WEXITSTATUS(status));
    CHECK(ioctl(d3, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG) == 1, "parent VM after fork");
    CHECK(get_reg(d2, REG_CORE(regs.pc)) == GUEST_RAM + 0x18, "parent vCPU after fork");

    close(null);
    close(kvm2);
    close(pipefd[0]);
    close(pipefd[1]);
    close(d1);
    close(d2);
    close(d3);
    close(d4);
    close(vm);
}

int main(int argc, char **argv)
{
    if (argc != 2 || (strcmp(argv[1], "0") != 0 && strcmp(argv[1], "1") != 0)) {
        fprintf(stderr, "usage: %s SVE_EXPECTED(0|1)\n", argv[0]);
        return 2;
    }
    int sve = atoi(argv[1]);
    int kvm = open_kvm_safely(sve);
    test_vanished_memory(kvm);
    test_lifecycle_and_run(kvm, sve);
    close(kvm);
    if (failures) {
        fprintf(stderr, "shim_test: %d check(s) failed\n", failures);
        return 1;
    }
#ifdef __aarch64__
    const char *arch = "aarch64";
#else
    const char *arch = "native";
#endif
    printf("shim_test: all checks passed (%s build, SVE %s)\n", arch, sve ? "on" : "off");
    return 0;
}
