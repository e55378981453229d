/* smp.c - PSCI CPU_ON / CPU_OFF / AFFINITY_INFO across vCPUs. CPU 0 starts the
 * others one at a time (so the output order is fixed), each says hello and
 * powers off; CPU_ON of a CPU that does not exist ends the count. */
#include "guest.h"

static volatile unsigned arrived[RT_MAX_CPUS];

static void secondary(unsigned cpu)
{
    rt_printf("cpu %u: up, MPIDR_EL1 0x%lx\n", cpu, (unsigned long)read_sysreg(mpidr_el1));
    __asm__ volatile("dmb ish" ::: "memory");
    arrived[cpu] = 1;
}

int main(void *fdt)
{
    (void)fdt;
    unsigned n = 1;
    rt_printf("cpu 0: boot CPU, MPIDR_EL1 0x%lx\n", (unsigned long)read_sysreg(mpidr_el1));
    for (unsigned cpu = 1; cpu < RT_MAX_CPUS; cpu++) {
        int64_t r = rt_cpu_on(cpu, secondary);
        if (r == -2)
            break;
        if (r != 0) {
            rt_printf("cpu 0: CPU_ON(%u) = %ld\n", cpu, (long)r);
            return 1;
        }
        while (!arrived[cpu])
            __asm__ volatile("dmb ish" ::: "memory");
        /* It powers itself off right after; wait for AFFINITY_INFO to say so. */
        int64_t aff;
        while ((aff = rt_hvc(PSCI_AFFINITY_INFO, cpu, 0, 0)) == 0)
            ;
        rt_printf("cpu 0: cpu %u is off again (AFFINITY_INFO %ld); CPU_ON again: %ld\n", cpu, (long)aff,
                  (long)rt_cpu_on(cpu, 0));
        while (rt_hvc(PSCI_AFFINITY_INFO, cpu, 0, 0) == 0)
            ;
        n++;
    }
    rt_printf("cpu 0: %u CPUs in total\n", n);
    return 0;
}
