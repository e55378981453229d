/*
 * sysctl.c - the softkvm-run control page at 0x09ff0000: how a guest chooses
 * softkvm-run's exit status.
 *
 * Why not "x1 of PSCI SYSTEM_OFF": Linux 6.1 answers SYSTEM_OFF with x0 = -6
 * (INTERNAL_FAILURE) and x1..x3 = 0 before the VMM sees the exit (spec 4.4,
 * psci.c:kvm_psci_0_2_call -> smccc_set_retval), so no register of the call
 * survives to KVM_EXIT_SYSTEM_EVENT. A store to an address without a memslot
 * does survive: it is an MMIO exit on every KVM. So the guest writes its status
 * here, then calls SYSTEM_OFF (in the style of QEMU's isa-debug-exit and the
 * RISC-V virt "test" device).
 *
 *   offset  access  register
 *   0x00    W/R     EXIT    status for softkvm-run's exit (low 8 bits), 0 until written
 *   0x04    R       MAGIC   0x4d564b53 ("SKVM"): the page exists
 *   0x08    R       BOOT    1 on the first boot, +1 after each --reboot restart
 *   other   R/W     reads 0, writes ignored
 *
 * On qemu-system-aarch64 -M virt this page does not exist (an external abort);
 * the guests' runtime (guests/runtime) reads MAGIC under an abort handler and
 * skips the EXIT write when the page is absent.
 */
#include <pthread.h>
#include <stdatomic.h>

#include "run.h"

#define SYSCTL_EXIT   0x00
#define SYSCTL_MAGIC  0x04
#define SYSCTL_BOOT   0x08
#define MAGIC_VALUE   0x4d564b53u

static atomic_uint exit_status;
static atomic_uint boot_count = 1;

void sysctl_reset(unsigned boot)
{
    atomic_store(&exit_status, 0);
    atomic_store(&boot_count, boot);
}

int sysctl_exit_status(void)
{
    return (int)(atomic_load(&exit_status) & 0xff);
}

int sysctl_mmio(uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
    if (addr < SYSCTL_BASE || addr - SYSCTL_BASE >= SYSCTL_SIZE)
        return 0;
    uint32_t off = (uint32_t)(addr - SYSCTL_BASE);
    if (is_write) {
        if (off == SYSCTL_EXIT)
            atomic_store(&exit_status, data[0]);
        return 1;
    }
    uint32_t v = 0;
    switch (off) {
    case SYSCTL_EXIT: v = atomic_load(&exit_status); break;
    case SYSCTL_MAGIC: v = MAGIC_VALUE; break;
    case SYSCTL_BOOT: v = atomic_load(&boot_count); break;
    default: break;
    }
    for (uint32_t i = 0; i < len; i++)
        data[i] = i < 4 ? (uint8_t)(v >> (8 * i)) : 0;
    return 1;
}
