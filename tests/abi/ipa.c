/*
 * ipa.c - data-ipa-aborts.tsv: a guest data access to an IPA without memslot exits
 * KVM_EXIT_MMIO below the VM's IPA size and gets an injected synchronous external
 * abort at or above it (measured by scripts/probes/ipa_aborts.c; this file rebuilds
 * the probe's guest with the suite's KVM calls, so the oracle re-checks the rows).
 *
 * Guest: RAM at 0x40000000, a vector table at its start (each entry: x10 = ESR_EL1,
 * x11 = FAR_EL1, store to 0x20000100), the access at +0x1000 with x1 = the address.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "abi.h"
#include "kvm_api.h"

#define IPA_RAM 0x40000000ULL
#define IPA_RAM_SIZE 0x10000ULL
#define IPA_REPORT 0x20000100ULL
#define REG_X(n) ABI_REG_CORE(2 * (n), ABI_U64)

/* One row: the guest's first KVM_RUN, described as the probe describes it. */
static void ipa_row(unsigned ipa_bits, bool store, uint64_t addr, char *got, size_t n)
{
    struct guest g;
    struct kvm_userspace_memory_region mr;
    uint32_t *mem;
    int ret;

    abi_guest_zero(&g);
    snprintf(got, n, "setup failed");
    mem = mmap(NULL, IPA_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return;
    if (abi_guest_new_type(&g, ipa_bits == 40 ? 0 : ipa_bits) < 0)
        goto out;
    for (int v = 0; v < 16; v++) {
        mem[v * 32 + 0] = 0xd538520a; /* mrs x10, esr_el1 */
        mem[v * 32 + 1] = 0xd538600b; /* mrs x11, far_el1 */
        mem[v * 32 + 2] = 0xf900012a; /* str x10, [x9] */
        mem[v * 32 + 3] = 0x14000000; /* b . */
    }
    mem[0x1000 / 4] = store ? 0xf9000020 : 0xf9400020; /* str/ldr x0, [x1] */
    mem[0x1000 / 4 + 1] = 0x14000000;
    memset(&mr, 0, sizeof(mr));
    mr.guest_phys_addr = IPA_RAM;
    mr.memory_size = IPA_RAM_SIZE;
    mr.userspace_addr = (uint64_t)(uintptr_t)mem;
    if (abi_kvm_call(g.vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0 ||
        abi_vcpu_init(g.vcpu, abi_preferred_target(), 0, 0) < 0 ||
        abi_reg_set64(g.vcpu, REG_VBAR_EL1, IPA_RAM) < 0 || abi_reg_set64(g.vcpu, REG_PC, IPA_RAM + 0x1000) < 0 ||
        abi_reg_set64(g.vcpu, REG_X(1), addr) < 0 || abi_reg_set64(g.vcpu, REG_X(9), IPA_REPORT) < 0)
        goto out;
    ret = abi_guest_run_fd(g.vcpu, 2000);
    if (ret < 0) {
        snprintf(got, n, "KVM_RUN %s", abi_errname(-ret));
    } else if (g.run->exit_reason != KVM_EXIT_MMIO) {
        snprintf(got, n, "exit %u", g.run->exit_reason);
    } else if (g.run->mmio.phys_addr == IPA_REPORT) {
        uint64_t pc = 0, esr = 0, far = 0;
        abi_reg_get64(g.vcpu, REG_PC, &pc);
        abi_reg_get64(g.vcpu, REG_X(10), &esr);
        abi_reg_get64(g.vcpu, REG_X(11), &far);
        snprintf(got, n, "exception vector=0x%llx esr=0x%llx far=0x%llx",
                 (unsigned long long)((pc - IPA_RAM) & ~0x7fULL), (unsigned long long)esr, (unsigned long long)far);
    } else {
        snprintf(got, n, "mmio phys_addr=0x%llx len=%u is_write=%u",
                 (unsigned long long)g.run->mmio.phys_addr, g.run->mmio.len, g.run->mmio.is_write);
    }
out:
    abi_guest_close(&g);
    munmap(mem, IPA_RAM_SIZE);
}

void abi_test_ipa(void)
{
    struct tsv t;
    char what[96], got[160];

    if (abi_tsv_load(&t, "ipa-aborts.tsv") < 0)
        return;
    for (int i = 1; i < t.nrows; i++) {
        const struct tsv_row *r = &t.rows[i];
        unsigned bits = (unsigned)strtoul(abi_tsv_get(r, 0), NULL, 0);
        bool store = strcmp(abi_tsv_get(r, 1), "str") == 0;
        uint64_t addr = strtoull(abi_tsv_get(r, 2), NULL, 0);

        snprintf(what, sizeof(what), "IPA %u bits: %s 0x%llx", bits, abi_tsv_get(r, 1), (unsigned long long)addr);
        ipa_row(bits, store, addr, got, sizeof(got));
        abi_check_str(t.name, r->line, what, abi_tsv_get(r, 3), got);
    }
    abi_tsv_free(&t);
}
