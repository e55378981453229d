/*
 * robust.h - helpers shared by the robustness tests (tests/robust): counting
 * the softkvm objects alive in the process (by their fds), a tiny guest in
 * guarded memory, and the XFAIL convention.
 *
 * XFAIL: a check that real KVM passes and softkvm does not yet (a library bug
 * reported with this test as its reproducer). It prints "XFAIL <what>" and does
 * not fail the test; once the library is fixed the same check prints "XPASS"
 * and fails, so that the marker is turned into a plain CHECK.
 */
#ifndef SOFTKVM_TESTS_ROBUST_H
#define SOFTKVM_TESTS_ROBUST_H

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

#define CHECK_XFAIL(cond, bug)                                                         \
    do {                                                                               \
        check_count++;                                                                 \
        if (cond) {                                                                    \
            check_failures++;                                                          \
            fprintf(stderr, "%s:%d: XPASS (%s): %s now holds; make it a CHECK\n",      \
                    __FILE__, __LINE__, bug, #cond);                                   \
        } else {                                                                       \
            fprintf(stderr, "%s:%d: XFAIL (%s): %s\n", __FILE__, __LINE__, bug, #cond); \
        }                                                                              \
    } while (0)

/* The test needs the execution engine (KVM_RUN running guest code). */
#define SKIP_RC 77

/* fds of softkvm objects: memfds "kvm*" (system, VMs, vCPUs) and eventfds (vCPU wake-ups). */
static inline int softkvm_fds_open(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        char path[300], target[256];
        snprintf(path, sizeof path, "/proc/self/fd/%s", e->d_name);
        ssize_t len = readlink(path, target, sizeof target - 1);
        if (len <= 0)
            continue;
        target[len] = 0;
        if (!strncmp(target, "/memfd:kvm", 10) || !strcmp(target, "anon_inode:[eventfd]"))
            n++;
    }
    closedir(d);
    return n;
}

/* All fds, whatever they are. */
static inline int fds_open(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n - 3;   /* ".", "..", and the DIR's own fd */
}

#define REG_CORE64(off) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (off))
#define REG_X(n) REG_CORE64(2 * (n))
#define REG_SP REG_CORE64(0x3e)         /* SP_EL0 */
#define REG_SP_EL1 REG_CORE64(0x44)     /* the stack pointer at EL1h */
#define REG_PC REG_CORE64(0x40)
#define REG_PSTATE REG_CORE64(0x42)
#define REG_SCTLR ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_CPACR ARM64_SYS_REG(3, 0, 1, 0, 2)
#define REG_VBAR ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_ESR ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR ARM64_SYS_REG(3, 0, 6, 0, 0)
#define REG_ELR REG_CORE64(0x46)
#define REG_TPIDR ARM64_SYS_REG(3, 0, 13, 0, 4)

static inline uint64_t get_reg(int vcpu, uint64_t id)
{
    uint64_t v[32] = { 0 };
    struct kvm_one_reg r = { id, (uintptr_t)v };
    if (softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r) != 0)
        return 0xbad0bad0bad0bad0ull;
    return v[0];
}

static inline int set_reg(int vcpu, uint64_t id, uint64_t val)
{
    struct kvm_one_reg r = { id, (uintptr_t)&val };
    return softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r);
}

/*
 * A guest: RAM at GUEST_RAM_GPA (guest_ram_size bytes), between PROT_NONE
 * guard pages in this process, a vector table at RAM+0x800 whose every entry
 * is "b ." unless the test writes its own, PC at RAM+0x1000, one vCPU.
 */
#define GUEST_RAM_GPA 0x10000000ull
#define GUEST_VBAR (GUEST_RAM_GPA + 0x800)
#define GUEST_CODE (GUEST_RAM_GPA + 0x1000)
#define GUEST_MMIO 0x20000000ull

struct guest {
    int kvm, vm, vcpu;
    struct kvm_run *run;
    uint8_t *ram;
    size_t ram_size;
};

static inline uint8_t *guarded_alloc(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *p = mmap(NULL, size + 2 * (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (mprotect(p + page, size, PROT_READ | PROT_WRITE) != 0)
        return NULL;
    return p + page;
}

static inline uint32_t *guest_code(struct guest *g) { return (uint32_t *)(g->ram + (GUEST_CODE - GUEST_RAM_GPA)); }

/* 0 on success. features: KVM_ARM_VCPU_* bits for INIT. */
static inline int guest_add_vcpu(struct guest *g, int *vcpu_out, struct kvm_run **run_out, uint32_t id,
                                 uint32_t features)
{
    int vcpu = softkvm_ioctl(g->vm, KVM_CREATE_VCPU, id);
    if (vcpu < 0)
        return -1;
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8, .features = { features } };
    if (softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in) != 0)
        return -1;
    if (features & (1u << KVM_ARM_VCPU_SVE)) {
        int what = KVM_ARM_VCPU_SVE;
        if (softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what) != 0)
            return -1;
    }
    long size = softkvm_ioctl(g->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    if (run == MAP_FAILED)
        return -1;
    set_reg(vcpu, REG_PC, GUEST_CODE);
    set_reg(vcpu, REG_VBAR, GUEST_VBAR);
    set_reg(vcpu, REG_SP, GUEST_RAM_GPA + g->ram_size - 0x100);
    set_reg(vcpu, REG_SP_EL1, GUEST_RAM_GPA + g->ram_size - 0x200);
    set_reg(vcpu, REG_CPACR, 0x330000);   /* FP/SIMD and SVE usable */
    *vcpu_out = vcpu;
    *run_out = run;
    return 0;
}

static inline int guest_init(struct guest *g, size_t ram_size, uint32_t features)
{
    memset(g, 0, sizeof *g);
    g->kvm = softkvm_open(NULL, 0);
    g->vm = softkvm_ioctl(g->kvm, KVM_CREATE_VM, 0);
    g->ram_size = ram_size;
    g->ram = guarded_alloc(ram_size);
    if (g->kvm < 0 || g->vm < 0 || !g->ram)
        return -1;
    uint32_t *vec = (uint32_t *)(g->ram + (GUEST_VBAR - GUEST_RAM_GPA));
    for (unsigned i = 0; i < 0x800 / 4; i++)
        vec[i] = 0x14000000;   /* b . */
    struct kvm_userspace_memory_region mr = { 0, 0, GUEST_RAM_GPA, ram_size, (uintptr_t)g->ram };
    if (softkvm_ioctl(g->vm, KVM_SET_USER_MEMORY_REGION, &mr) != 0)
        return -1;
    return guest_add_vcpu(g, &g->vcpu, &g->run, 0, features);
}

static inline void guest_destroy(struct guest *g)
{
    long page = sysconf(_SC_PAGESIZE);
    long size = softkvm_ioctl(g->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (g->run)
        munmap(g->run, (size_t)size);
    softkvm_close(g->vcpu);
    softkvm_close(g->vm);
    softkvm_close(g->kvm);
    if (g->ram)
        munmap(g->ram - page, g->ram_size + 2 * (size_t)page);
}

/*
 * Does KVM_RUN execute guest code yet? A guest "mov x0, #0x84000008; hvc #0"
 * (PSCI SYSTEM_OFF) must give KVM_EXIT_SYSTEM_EVENT; without an engine softkvm
 * answers KVM_EXIT_INTERNAL_ERROR.
 */
static inline bool engine_present(void)
{
    struct guest g;
    if (guest_init(&g, 0x10000, 1u << KVM_ARM_VCPU_PSCI_0_2) != 0)
        return false;
    uint32_t *code = guest_code(&g);
    code[0] = 0xd2800100;   /* movz x0, #0x8 */
    code[1] = 0xf2b08000;   /* movk x0, #0x8400, lsl #16 */
    code[2] = 0xd4000002;   /* hvc #0 */
    int r = softkvm_ioctl(g.vcpu, KVM_RUN, 0);
    bool ok = r == 0 && g.run->exit_reason == KVM_EXIT_SYSTEM_EVENT;
    guest_destroy(&g);
    return ok;
}

#endif
