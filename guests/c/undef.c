/* undef.c - synchronous exceptions stay in the guest: UDF, SVC and BRK are taken
 * at VBAR_EL1 + 0x200 with the syndrome the architecture defines (Arm ARM
 * D17.2.37 ESR_EL1: EC 0x00 Unknown, 0x15 SVC, 0x3c BRK; IL set) and ELR_EL1 at
 * the instruction (past it for SVC). No exit reaches the VMM. */
#include "guest.h"

static void report(const char *what, bool hit, uint64_t esr, bool elr_ok)
{
    rt_printf("%s: trapped %s, ESR_EL1 0x%lx (EC 0x%lx, ISS 0x%lx), ELR_EL1 as expected: %s\n", what,
              hit ? "yes" : "no", (unsigned long)esr, (unsigned long)(esr >> 26),
              (unsigned long)(esr & 0x1ffffff), elr_ok ? "yes" : "no");
}

int main(void *fdt)
{
    (void)fdt;
    uint64_t esr = 0, elr = 0, at = 0;
    bool hit;

    rt_trap_arm();
    __asm__ volatile("1: udf #0x42\n\tadr %0, 1b" : "=r"(at) : : "memory");
    hit = rt_trap_disarm_at(&esr, &elr);
    report("UDF #0x42", hit, esr, elr == at);

    rt_trap_arm();
    __asm__ volatile("svc #0x1234\n\t1: adr %0, 1b" : "=r"(at) : : "memory");
    hit = rt_trap_disarm_at(&esr, &elr);
    report("SVC #0x1234", hit, esr, elr == at);

    rt_trap_arm();
    __asm__ volatile("1: brk #0x5\n\tadr %0, 1b" : "=r"(at) : : "memory");
    hit = rt_trap_disarm_at(&esr, &elr);
    report("BRK #0x5", hit, esr, elr == at);
    return 0;
}
