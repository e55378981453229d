/*
 * rt.c - guest runtime: console, PSCI, exit, SMP start-up, exceptions.
 *
 * PSCI over HVC as Arm DEN0022 describes and KVM implements (spec 4.4);
 * PL011 polled output as its TRM describes (wait while UARTFR.TXFF, write
 * UARTDR). Exit statuses chosen here: main's return value, or 3 when the guest
 * takes an exception nobody expected.
 */
#include "guest.h"

#define UARTDR      0x000
#define UARTFR      0x018
#define FR_TXFF     (1u << 5)

#define SYSCTL_EXIT  0x00
#define SYSCTL_MAGIC 0x04
#define SYSCTL_BOOT  0x08
#define SYSCTL_MAGIC_VALUE 0x4d564b53u

#define STATUS_CRASH 3

struct frame {
    uint64_t x[31];
    uint64_t elr, spsr;
};

void rt_exception(struct frame *f, unsigned index);
void rt_main(void *fdt);
void rt_secondary_main(unsigned cpu);
extern char rt_secondary_entry[];
extern char rt_guard_recover[];

/* SP of the active rt_guarded_call per CPU (start.S), 0 = none. */
volatile uint64_t rt_guard_sp[RT_MAX_CPUS];

static bool sysctl_present;
static unsigned boot_count;

/* Per-CPU expected-exception state. */
static volatile bool trap_armed[RT_MAX_CPUS];
static volatile bool trap_hit[RT_MAX_CPUS];
static volatile uint64_t trap_esr[RT_MAX_CPUS];
static volatile uint64_t trap_elr[RT_MAX_CPUS];
static void (*volatile cpu_fn[RT_MAX_CPUS])(unsigned);

void rt_putc(char c)
{
    while (mmio_read32(UART0_BASE + UARTFR) & FR_TXFF)
        ;
    mmio_write32(UART0_BASE + UARTDR, (uint8_t)c);
}

void rt_puts(const char *s)
{
    while (*s)
        rt_putc(*s++);
}

int64_t rt_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (int64_t)x0;
}

unsigned rt_cpu_index(void)
{
    return (unsigned)(read_sysreg(mpidr_el1) & 0xff);
}

void rt_trap_arm(void)
{
    unsigned c = rt_cpu_index() % RT_MAX_CPUS;
    trap_hit[c] = false;
    trap_armed[c] = true;
    __asm__ volatile("" ::: "memory");
}

bool rt_trap_disarm(uint64_t *esr)
{
    return rt_trap_disarm_at(esr, 0);
}

bool rt_trap_disarm_at(uint64_t *esr, uint64_t *elr)
{
    unsigned c = rt_cpu_index() % RT_MAX_CPUS;
    __asm__ volatile("" ::: "memory");
    trap_armed[c] = false;
    if (esr)
        *esr = trap_esr[c];
    if (elr)
        *elr = trap_elr[c];
    return trap_hit[c];
}

bool rt_sysctl_present(void)
{
    return sysctl_present;
}

unsigned rt_boot_count(void)
{
    return boot_count;
}

void rt_exit(int status)
{
    if (sysctl_present)
        mmio_write32(SYSCTL_BASE + SYSCTL_EXIT, (uint32_t)status & 0xff);
    int64_t r = rt_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    rt_printf("rt: PSCI SYSTEM_OFF returned %ld; halting\n", (long)r);
    for (;;)
        __asm__ volatile("wfi");
}

void rt_reset(void)
{
    int64_t r = rt_hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
    rt_printf("rt: PSCI SYSTEM_RESET returned %ld; halting\n", (long)r);
    for (;;)
        __asm__ volatile("wfi");
}

int64_t rt_cpu_on(unsigned cpu, void (*fn)(unsigned cpu))
{
    if (cpu >= RT_MAX_CPUS)
        return -2;
    cpu_fn[cpu] = fn;
    __asm__ volatile("dmb ish" ::: "memory");
    return rt_hvc(PSCI_CPU_ON, cpu, (uint64_t)(uintptr_t)rt_secondary_entry, cpu);
}

void rt_secondary_main(unsigned cpu)
{
    void (*fn)(unsigned) = cpu < RT_MAX_CPUS ? cpu_fn[cpu] : 0;
    if (fn)
        fn(cpu);
    rt_hvc(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

static const char *exception_kind(unsigned index)
{
    static const char *const kind[4] = { "synchronous", "IRQ", "FIQ", "SError" };
    return kind[index & 3];
}

static const char *exception_origin(unsigned index)
{
    static const char *const from[4] = { "EL1 with SP_EL0", "EL1 with SP_EL1", "EL0 AArch64", "EL0 AArch32" };
    return from[index >> 2];
}

void rt_exception(struct frame *f, unsigned index)
{
    uint64_t esr = read_sysreg(esr_el1);
    unsigned c = rt_cpu_index() % RT_MAX_CPUS;
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    if ((index & 3) == 0 && trap_armed[c]) {
        trap_hit[c] = true;
        trap_esr[c] = esr;
        trap_elr[c] = f->elr;
        /* Arm ARM D1.10.1: SVC/HVC/SMC (EC 0x15-0x17) return past themselves already;
         * every other synchronous exception returns to the faulting instruction. */
        if (ec < 0x15 || ec > 0x17)
            f->elr += 4;
        return;
    }
    if ((index & 3) == 0 && c < RT_MAX_CPUS && rt_guard_sp[c]) {
        f->x[0] = esr;                      /* rt_guarded_call's return value */
        f->elr = (uint64_t)(uintptr_t)rt_guard_recover;
        return;
    }
    rt_printf("guest exception: %s from %s: ESR_EL1 0x%lx (EC 0x%x), ELR_EL1 0x%lx", exception_kind(index),
              exception_origin(index), (unsigned long)esr, ec, (unsigned long)f->elr);
    if (ec == 0x20 || ec == 0x21 || ec == 0x24 || ec == 0x25)   /* aborts: FAR_EL1 is valid */
        rt_printf(", FAR_EL1 0x%lx", (unsigned long)read_sysreg(far_el1));
    rt_puts("\n");
    rt_exit(STATUS_CRASH);
}

void rt_main(void *fdt)
{
    /* Is softkvm-run's control page there? On QEMU's virt board the read is an
     * external abort, which the armed trap turns into "absent". */
    rt_trap_arm();
    uint32_t magic = mmio_read32(SYSCTL_BASE + SYSCTL_MAGIC);
    if (!rt_trap_disarm(0) && magic == SYSCTL_MAGIC_VALUE) {
        sysctl_present = true;
        boot_count = mmio_read32(SYSCTL_BASE + SYSCTL_BOOT);
    }
    rt_exit(main(fdt));
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (unsigned char)*a - (unsigned char)*b;
}
