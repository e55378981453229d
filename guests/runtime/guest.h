/*
 * guest.h - the freestanding runtime of the bundled guests.
 *
 * A guest defines `int main(void *fdt)`; returning from it ends the machine
 * with that status (rt_exit). Output goes to the PL011 UART at 0x09000000,
 * power management to PSCI over HVC (the conduit KVM offers), the exit status
 * to softkvm-run's control page (tools/softkvm-run/sysctl.c) when it exists.
 * Everything here uses general-purpose registers only (-mgeneral-regs-only):
 * FP/SIMD and SVE stay trapped until a guest enables them.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_MAX_CPUS 16
#define UART0_BASE  0x09000000ul
#define SYSCTL_BASE 0x09ff0000ul

/* PSCI function ids (Arm DEN0022) and return codes. */
#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_OFF        0x84000002u
#define PSCI_CPU_ON         0xc4000003u
#define PSCI_AFFINITY_INFO  0xc4000004u
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u
#define PSCI_FEATURES       0x8400000au
#define SMCCC_VERSION       0x80000000u

int main(void *fdt);

/* MMIO with single, syndrome-valid accesses (an MMIO exit on every KVM). */
static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
    __asm__ volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
    uint32_t v;
    __asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}

#define read_sysreg(name) ({ uint64_t v_; __asm__ volatile("mrs %0, " #name : "=r"(v_)); v_; })
#define write_sysreg(name, v) __asm__ volatile("msr " #name ", %0\n\tisb" : : "r"((uint64_t)(v)) : "memory")

/* Console. */
void rt_putc(char c);
void rt_puts(const char *s);                 /* no newline added */
void rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vprintf(const char *fmt, va_list ap);

/* PSCI / SMCCC call over HVC: x0 = fn, x1..x3 = args; returns x0. */
int64_t rt_hvc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* End the machine: status to the control page (if present), then SYSTEM_OFF. */
void rt_exit(int status) __attribute__((noreturn));
void rt_reset(void) __attribute__((noreturn));
/* softkvm-run's control page: present? boot number (1 on the first boot; 0 if absent). */
bool rt_sysctl_present(void);
unsigned rt_boot_count(void);

/* SMP: start CPU `cpu` (MPIDR affinity = cpu) running fn(cpu) on its own stack;
 * returns the PSCI status (0, or -2 no such CPU, -4 already on). fn returning
 * powers the CPU off (PSCI CPU_OFF). */
int64_t rt_cpu_on(unsigned cpu, void (*fn)(unsigned cpu));
unsigned rt_cpu_index(void);                 /* MPIDR_EL1 Aff0 */

/* Expected exceptions: between rt_trap_arm() and rt_trap_disarm() a synchronous
 * exception skips the faulting instruction instead of ending the guest.
 * rt_trap_disarm() returns true if one happened; its ESR is *esr (may be NULL). */
void rt_trap_arm(void);
bool rt_trap_disarm(uint64_t *esr);
/* The same, also giving the exception's ELR_EL1 (before the runtime stepped it). */
bool rt_trap_disarm_at(uint64_t *esr, uint64_t *elr);

/* Call fn(arg) so that a synchronous exception inside it returns here instead of
 * ending the guest: 0 with *result = fn's value, or that exception's ESR_EL1. */
int64_t rt_guarded_call(uint64_t (*fn)(void *), void *arg, uint64_t *result);

/* /chosen/bootargs of the device tree (x0 at boot), or NULL. */
const char *rt_bootargs(const void *fdt);

/* Small helpers (the compiler may call memset/memcpy on its own). */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

#endif
