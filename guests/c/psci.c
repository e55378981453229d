/* psci.c - what the firmware interface answers (KVM implements it in the
 * "kernel"): versions, features, AFFINITY_INFO of this CPU and of a CPU that
 * does not exist, CPU_ON of a nonexistent CPU. Values are Linux 6.1's. */
#include "guest.h"

static void version(const char *name, int64_t v)
{
    if (v < 0)
        rt_printf("%s: %ld (not supported)\n", name, (long)v);
    else
        rt_printf("%s: %ld.%ld\n", name, (long)(v >> 16), (long)(v & 0xffff));
}

int main(void *fdt)
{
    (void)fdt;
    version("PSCI_VERSION", rt_hvc(PSCI_VERSION, 0, 0, 0));
    version("SMCCC_VERSION", rt_hvc(SMCCC_VERSION, 0, 0, 0));
    rt_printf("PSCI_FEATURES(SYSTEM_OFF): %ld\n", (long)rt_hvc(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));
    rt_printf("PSCI_FEATURES(CPU_ON): %ld\n", (long)rt_hvc(PSCI_FEATURES, PSCI_CPU_ON, 0, 0));
    rt_printf("PSCI_FEATURES(0x84000005 MIGRATE): %ld\n", (long)rt_hvc(PSCI_FEATURES, 0x84000005, 0, 0));
    rt_printf("AFFINITY_INFO(cpu 0): %ld\n", (long)rt_hvc(PSCI_AFFINITY_INFO, 0, 0, 0));
    rt_printf("AFFINITY_INFO(cpu 9): %ld\n", (long)rt_hvc(PSCI_AFFINITY_INFO, 9, 0, 0));
    rt_printf("CPU_ON(cpu 9): %ld\n", (long)rt_cpu_on(9, 0));
    rt_printf("unknown SMCCC function 0xc2000000: %ld\n", (long)rt_hvc(0xc2000000, 0, 0, 0));
    return 0;
}
