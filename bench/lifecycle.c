/*
 * lifecycle.c - how fast a VMM can bring up an SVE vCPU on softkvm.
 *
 * One iteration = KVM_CREATE_VM + KVM_CREATE_VCPU + KVM_ARM_VCPU_INIT(SVE) +
 * read VLS + write VLS + KVM_ARM_VCPU_FINALIZE(SVE) + 2x KVM_GET_REG_LIST (size
 * probe, then the list) + close — the same sequence as the "lifecycle
 * iteration" measured on nested real KVM in shared/bench/ANCHORS.md (c).
 * Also: one KVM_GET_ONE_REG + KVM_SET_ONE_REG round trip of a system register,
 * and the MMIO exit round trip through KVM_RUN (a guest storing to an address
 * outside its memslot in a loop: every store is a KVM_EXIT_MMIO back to this
 * program, then the next KVM_RUN), as ANCHORS.md (c) measured on real KVM.
 * Prints medians of several runs; the ratio to real KVM is computed by
 * bench/run.sh against the anchor figures.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static void lifecycle_once(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    if (vm < 0 || vcpu < 0)
        die("create");
    struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    init.features[0] = 1u << KVM_ARM_VCPU_SVE;
    if (softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init))
        die("INIT");
    uint64_t vls[8];
    struct kvm_one_reg r = { KVM_REG_ARM64_SVE_VLS, (uintptr_t)vls };
    if (softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r) || softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r))
        die("VLS");
    int what = KVM_ARM_VCPU_SVE;
    if (softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what))
        die("FINALIZE");
    static uint64_t buf[1 + 512];   /* struct kvm_reg_list: n, then the ids */
    struct kvm_reg_list *list = (struct kvm_reg_list *)buf;
    list->n = 0;
    softkvm_ioctl(vcpu, KVM_GET_REG_LIST, list);
    if (softkvm_ioctl(vcpu, KVM_GET_REG_LIST, list))
        die("GET_REG_LIST");
    softkvm_close(vcpu);
    softkvm_close(vm);
}

/* Guest at 0x10000000: x1 = 0x20000000 (no memslot there); loop { str x2, [x1]; add x2, x2, #1 }. */
static const uint32_t mmio_guest[] = {
    0xd2a40001, /* movz x1, #0x2000, lsl #16 */
    0xf9000022, /* str  x2, [x1]             */
    0x91000442, /* add  x2, x2, #1           */
    0x17fffffe, /* b    .-8                  */
};

static double mmio_roundtrip(int kvm, int n)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0), vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    if (softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init))
        die("INIT");
    void *ram = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memcpy(ram, mmio_guest, sizeof mmio_guest);
    struct kvm_userspace_memory_region mr = { 0, 0, 0x10000000, 0x10000, (uintptr_t)ram };
    uint64_t pc = 0x10000000;
    struct kvm_one_reg r = { KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(regs.pc),
                             (uintptr_t)&pc };
    if (softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) || softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r))
        die("setup");
    struct kvm_run *run = mmap(NULL, (size_t)softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
                               PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    double t0 = now();
    for (int i = 0; i < n; i++)
        if (softkvm_ioctl(vcpu, KVM_RUN, 0) || run->exit_reason != KVM_EXIT_MMIO)
            die("KVM_RUN");
    double t = (now() - t0) / n;
    softkvm_close(vcpu);
    softkvm_close(vm);
    munmap(ram, 0x10000);
    return t;
}

int main(int argc, char **argv)
{
    int iters = argc > 1 ? atoi(argv[1]) : 2000;
    int kvm = softkvm_open("/dev/kvm", 0);
    enum { RUNS = 5 };
    double lc[RUNS], onereg[RUNS];
    for (int run = 0; run < RUNS; run++) {
        double t0 = now();
        for (int i = 0; i < iters; i++)
            lifecycle_once(kvm);
        lc[run] = (now() - t0) / iters;
    }
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0), vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init init = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &init);
    uint64_t val;
    struct kvm_one_reg r = { ARM64_SYS_REG(3, 0, 12, 0, 0), (uintptr_t)&val }; /* VBAR_EL1 */
    for (int run = 0; run < RUNS; run++) {
        int n = iters * 50;
        double t0 = now();
        for (int i = 0; i < n; i++)
            if (softkvm_ioctl(vcpu, KVM_GET_ONE_REG, &r) || softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r))
                die("ONE_REG");
        onereg[run] = (now() - t0) / n;
    }
    double mmio[RUNS];
    for (int run = 0; run < RUNS; run++)
        mmio[run] = mmio_roundtrip(kvm, iters * 250);
    qsort(lc, RUNS, sizeof lc[0], cmp);
    qsort(onereg, RUNS, sizeof onereg[0], cmp);
    qsort(mmio, RUNS, sizeof mmio[0], cmp);
    printf("lifecycle_us\t%.2f\nlifecycle_per_s\t%.0f\nonereg_roundtrip_ns\t%.0f\n"
           "mmio_roundtrip_ns\t%.0f\nmmio_exits_per_s\t%.0f\n",
           lc[RUNS / 2] * 1e6, 1 / lc[RUNS / 2], onereg[RUNS / 2] * 1e9, mmio[RUNS / 2] * 1e9, 1 / mmio[RUNS / 2]);
    return 0;
}
