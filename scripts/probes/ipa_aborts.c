/*
 * ipa_aborts.c - probe of real arm64 KVM: what a guest data access to an IPA
 * without memslot gets, below and beyond the VM's IPA size.
 *
 * Static aarch64 program using only <linux/kvm.h> and libc, run on real KVM as
 * the oracle's /abi-test (scripts/probes/run.sh). Prints tests/abi/data/ipa-aborts.tsv
 * between "##### PROBE-BEGIN" and "##### PROBE-END" lines. For each row: a VM of
 * the given IPA size, RAM at 0x40000000 holding a vector table (every entry:
 * x10 = ESR_EL1, x11 = FAR_EL1, then a store to 0x20000100) and at +0x1000 the access
 * `ldr x0, [x1]` or `str x0, [x1]` with x1 = the address. The first KVM_RUN's
 * outcome is the row's result.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define RAM 0x40000000ull
#define RAM_SIZE 0x10000ull
#define REPORT 0x20000100ull
#define SYSREG(op0, op1, crn, crm, op2)                                                        \
    (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG | ((uint64_t)(op0) << 14) |    \
     ((uint64_t)(op1) << 11) | ((uint64_t)(crn) << 7) | ((uint64_t)(crm) << 3) | (op2))
#define CORE(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
                     (offsetof(struct kvm_regs, field) / 4))

static int reg(int vcpu, unsigned long req, uint64_t id, uint64_t *v)
{
    struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)v };
    return ioctl(vcpu, req, &r);
}

static void row(int kvm, unsigned ipa_bits, int store, uint64_t addr)
{
    char result[160] = "setup failed";
    int vm = ioctl(kvm, KVM_CREATE_VM, ipa_bits == 40 ? 0 : ipa_bits);
    uint32_t *mem = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct kvm_userspace_memory_region mr = { .guest_phys_addr = RAM, .memory_size = RAM_SIZE,
                                              .userspace_addr = (uint64_t)(uintptr_t)mem };
    struct kvm_vcpu_init init;
    int vcpu = -1;
    if (vm < 0 || mem == MAP_FAILED || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) ||
        (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) ||
        ioctl(vcpu, KVM_ARM_VCPU_INIT, &init))
        goto out;
    struct kvm_run *run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
                               MAP_SHARED, vcpu, 0);
    for (int v = 0; v < 16; v++) {
        mem[v * 32 + 0] = 0xd538520a;   /* mrs x10, esr_el1 */
        mem[v * 32 + 1] = 0xd538600b;   /* mrs x11, far_el1 */
        mem[v * 32 + 2] = 0xf900012a;   /* str x10, [x9] */
        mem[v * 32 + 3] = 0x14000000;   /* b . */
    }
    mem[0x1000 / 4] = store ? 0xf9000020 : 0xf9400020;   /* str/ldr x0, [x1] */
    mem[0x1000 / 4 + 1] = 0x14000000;
    uint64_t vbar = RAM, pc = RAM + 0x1000, x9 = REPORT;
    if (reg(vcpu, KVM_SET_ONE_REG, SYSREG(3, 0, 12, 0, 0), &vbar) || reg(vcpu, KVM_SET_ONE_REG, CORE(regs.pc), &pc) ||
        reg(vcpu, KVM_SET_ONE_REG, CORE(regs.regs[1]), &addr) || reg(vcpu, KVM_SET_ONE_REG, CORE(regs.regs[9]), &x9))
        goto out;
    if (ioctl(vcpu, KVM_RUN, 0) < 0) {
        snprintf(result, sizeof result, "KVM_RUN %s", strerror(errno));
    } else if (run->exit_reason != KVM_EXIT_MMIO) {
        snprintf(result, sizeof result, "exit %u", run->exit_reason);
    } else if (run->mmio.phys_addr == REPORT) {
        uint64_t esr = 0, far = 0;
        reg(vcpu, KVM_GET_ONE_REG, CORE(regs.pc), &pc);
        reg(vcpu, KVM_GET_ONE_REG, CORE(regs.regs[10]), &esr);
        reg(vcpu, KVM_GET_ONE_REG, CORE(regs.regs[11]), &far);
        snprintf(result, sizeof result, "exception vector=0x%llx esr=0x%llx far=0x%llx",
                 (unsigned long long)(pc - RAM) & ~0x7full, (unsigned long long)esr, (unsigned long long)far);
    } else {
        snprintf(result, sizeof result, "mmio phys_addr=0x%llx len=%u is_write=%u",
                 (unsigned long long)run->mmio.phys_addr, run->mmio.len, run->mmio.is_write);
    }
out:
    printf("%u\t%s\t0x%llx\t%s\n", ipa_bits, store ? "str" : "ldr", (unsigned long long)addr, result);
    if (vcpu >= 0)
        close(vcpu);
    if (vm >= 0)
        close(vm);
    if (mem != MAP_FAILED)
        munmap(mem, RAM_SIZE);
}

int main(void)
{
    int kvm = open("/dev/kvm", O_RDWR);
    if (kvm < 0) {
        perror("/dev/kvm");
        return 1;
    }
    /* A throw-away first run: on the nested (TCG) host the very first injected
     * abort of a boot was once seen with stale ESR/FAR. */
    row(kvm, 40, 0, 1ull << 40);
    printf("##### PROBE-BEGIN\n");
    printf("ipa_bits\taccess\taddress\tresult\n");
    static const uint64_t addrs40[] = { 1ull << 39, (1ull << 40) - 8, 1ull << 40, 1ull << 44, (1ull << 48) - 8 };
    for (int store = 0; store < 2; store++)
        for (unsigned i = 0; i < sizeof addrs40 / sizeof addrs40[0]; i++)
            row(kvm, 40, store, addrs40[i]);
    row(kvm, 36, 0, (1ull << 36) - 8);
    row(kvm, 36, 0, 1ull << 36);
    row(kvm, 36, 1, 1ull << 40);
    row(kvm, 32, 0, 1ull << 32);
    row(kvm, 32, 1, (1ull << 32) - 8);
    printf("##### PROBE-END\n");
    return 0;
}
