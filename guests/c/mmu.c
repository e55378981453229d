/* mmu.c - the stage-1 MMU of the EL1&0 regime, turned on by the guest itself
 * (Arm ARM D8, VMSAv8-64): 4K granule with 2 MiB blocks and 4K pages, then
 * the 64K granule with 512 MiB blocks and 64K pages. Checked: an identity map
 * that keeps the runtime, UART and stack working; a non-identity page seen
 * through two virtual addresses; translation, Access flag and permission
 * faults (data and instruction, with PAN and LDTR) and their ESR_EL1/FAR_EL1;
 * AT S1E1R/W into PAR_EL1; TLBI after a remap; TBI; code patched through a
 * writable alias of an executable page. The MMU is turned off again before
 * main returns. Run under softkvm-run and qemu-system-aarch64 -M virt: the
 * output must be the same (guests/mmu.ref).
 */
#include "guest.h"

#define D_VALID  (1ull << 0)
#define D_TABLE  (1ull << 1)           /* table (levels 0-2) or page (level 3) */
#define D_ATTR(i) ((uint64_t)(i) << 2) /* MAIR index */
#define D_EL0    (1ull << 6)           /* AP[1] */
#define D_RO     (1ull << 7)           /* AP[2] */
#define D_ISH    (3ull << 8)
#define D_AF     (1ull << 10)
#define D_PXN    (1ull << 53)
#define D_UXN    (1ull << 54)
#define NORMAL   (D_AF | D_ISH | D_ATTR(0))
#define DEVICE   (D_AF | D_ATTR(1) | D_PXN | D_UXN)

#define MAIR     0x04ffull             /* 0: Normal write-back, 1: Device-nGnRE */
#define VA_BASE  0x100000000ull        /* non-identity mappings live at 4 GiB */

/* 4K granule, 48-bit VA: four levels. */
static uint64_t l0[512] __attribute__((aligned(4096)));
static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2_low[512] __attribute__((aligned(4096)));   /* 0-1 GiB: devices */
static uint64_t l2_ram[512] __attribute__((aligned(4096)));   /* 1-2 GiB: RAM */
static uint64_t l2_hi[512] __attribute__((aligned(4096)));    /* 4-5 GiB */
static uint64_t l3_hi[512] __attribute__((aligned(4096)));
/* Data pages and a code page (patched through an alias). */
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));
static uint32_t code_page[1024] __attribute__((aligned(4096)));

/* 64K granule, 48-bit VA: levels 1-3, tables of 64 / 8192 / 8192 entries. */
static uint64_t g64_l1[8192] __attribute__((aligned(65536)));
static uint64_t g64_l2[8192] __attribute__((aligned(65536)));
static uint64_t g64_l3_hi[8192] __attribute__((aligned(65536)));
static uint64_t g64_page[8192] __attribute__((aligned(65536)));

static uint64_t pa(const void *p)
{
    return (uint64_t)(uintptr_t)p;     /* the image runs where it was linked, MMU off: VA = PA */
}

static void tlbi_all(void)
{
    __asm__ volatile("dsb ishst\n\ttlbi vmalle1is\n\tdsb ish\n\tisb" ::: "memory");
}

static void tlbi_va(uint64_t va)
{
    __asm__ volatile("dsb ishst\n\ttlbi vae1is, %0\n\tdsb ish\n\tisb" : : "r"(va >> 12) : "memory");
}

static void mmu_on(uint64_t tcr, uint64_t ttbr0)
{
    write_sysreg(mair_el1, MAIR);
    write_sysreg(tcr_el1, tcr);
    write_sysreg(ttbr0_el1, ttbr0);
    tlbi_all();
    /* M, C, I on; everything else as reset left it. */
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
}

static void mmu_off(void)
{
    write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~1ull);
    tlbi_all();
}

static uint64_t load(uint64_t va)
{
    uint64_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
    return v;
}

static void store(uint64_t va, uint64_t v)
{
    __asm__ volatile("str %0, [%1]" : : "r"(v), "r"(va) : "memory");
}

static uint64_t load_unpriv(uint64_t va)
{
    uint64_t v;
    __asm__ volatile("ldtr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
    return v;
}

static uint64_t at_s1e1r(uint64_t va)
{
    __asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

static uint64_t at_s1e1w(uint64_t va)
{
    __asm__ volatile("at s1e1w, %0\n\tisb" : : "r"(va) : "memory");
    return read_sysreg(par_el1);
}

/* Report an access that must fault: ESR_EL1 and FAR_EL1. */
static void expect_load_fault(const char *what, uint64_t va)
{
    uint64_t esr = 0;
    rt_trap_arm();
    (void)load(va);
    bool hit = rt_trap_disarm(&esr);
    rt_printf("%s: fault %s, ESR_EL1 0x%lx, FAR_EL1 %s\n", what, hit ? "yes" : "no", (unsigned long)esr,
              read_sysreg(far_el1) == va ? "= address" : "wrong");
}

static void expect_store_fault(const char *what, uint64_t va)
{
    uint64_t esr = 0;
    rt_trap_arm();
    store(va, 1);
    bool hit = rt_trap_disarm(&esr);
    rt_printf("%s: fault %s, ESR_EL1 0x%lx, FAR_EL1 %s\n", what, hit ? "yes" : "no", (unsigned long)esr,
              read_sysreg(far_el1) == va ? "= address" : "wrong");
}

/* PAR_EL1 with the PA field replaced by a note whether it is the expected one. */
static void report_par(const char *what, uint64_t par, uint64_t want_pa)
{
    if (par & 1) {
        rt_printf("%s: PAR_EL1 0x%lx (F = 1, FST 0x%lx)\n", what, (unsigned long)par,
                  (unsigned long)((par >> 1) & 0x3f));
        return;
    }
    rt_printf("%s: PAR_EL1 attributes 0x%lx, PA %s\n", what, (unsigned long)(par & ~0x000ffffffffff000ull),
              (par & 0x000ffffffffff000ull) == want_pa ? "as mapped" : "wrong");
}

static uint64_t call_code(void *arg)
{
    uint64_t (*fn)(void) = (uint64_t (*)(void))arg;
    return fn();
}

static void sync_code(uint64_t va_exec, uint64_t va_written)
{
    __asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %1\n\tdsb ish\n\tisb"
                     : : "r"(va_written), "r"(va_exec) : "memory");
}

static void granule_4k(void)
{
    /* Identity: 2 MiB device blocks for the UART and softkvm-run's control
     * page, 2 MiB normal blocks for the first 16 MiB of RAM (the image). */
    l0[0] = pa(l1) | D_VALID | D_TABLE;
    l1[0] = pa(l2_low) | D_VALID | D_TABLE;
    l1[1] = pa(l2_ram) | D_VALID | D_TABLE;
    l1[4] = pa(l2_hi) | D_VALID | D_TABLE;
    l2_low[UART0_BASE >> 21] = (UART0_BASE & ~0x1fffffull) | DEVICE | D_VALID;
    l2_low[SYSCTL_BASE >> 21] = (SYSCTL_BASE & ~0x1fffffull) | DEVICE | D_VALID;
    for (unsigned i = 0; i < 8; i++)
        l2_ram[i] = (0x40000000ull + ((uint64_t)i << 21)) | NORMAL | D_VALID;
    l2_hi[0] = pa(l3_hi) | D_VALID | D_TABLE;
    /* VA_BASE + 0x0000: page_a, read/write, never executable.
     * + 0x1000: page_a read-only.  + 0x2000: page_a with AF = 0.
     * + 0x3000: invalid.  + 0x4000: page_b, EL0 read/write (PAN matters).
     * + 0x5000: code_page, read-only executable.  + 0x6000: code_page, PXN. */
    l3_hi[0] = pa(page_a) | NORMAL | D_PXN | D_UXN | D_VALID | D_TABLE;
    l3_hi[1] = pa(page_a) | NORMAL | D_RO | D_PXN | D_UXN | D_VALID | D_TABLE;
    l3_hi[2] = pa(page_a) | D_ISH | D_PXN | D_UXN | D_VALID | D_TABLE;
    l3_hi[4] = pa(page_b) | NORMAL | D_EL0 | D_PXN | D_UXN | D_VALID | D_TABLE;
    l3_hi[5] = pa(code_page) | NORMAL | D_RO | D_UXN | D_VALID | D_TABLE;
    l3_hi[6] = pa(code_page) | NORMAL | D_RO | D_PXN | D_UXN | D_VALID | D_TABLE;

    page_a[0] = 0x1111;
    page_b[0] = 0x2222;
    code_page[0] = 0xd2800020;         /* mov x0, #1 */
    code_page[1] = 0xd65f03c0;         /* ret */

    /* T0SZ 16, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, EPD1, IPS 48 bits. */
    uint64_t tcr = 16 | (1u << 8) | (1u << 10) | (3u << 12) | (0u << 14) | (1u << 23) | (5ull << 32);
    mmu_on(tcr, pa(l0));
    rt_printf("4K granule: MMU on, SCTLR_EL1.M = %lu\n", (unsigned long)(read_sysreg(sctlr_el1) & 1));

    rt_printf("alias read: 0x%lx (identity 0x%lx)\n", (unsigned long)load(VA_BASE), (unsigned long)page_a[0]);
    store(VA_BASE + 8, 0xabcd);
    rt_printf("alias write seen at the physical page: 0x%lx\n", (unsigned long)page_a[1]);
    rt_printf("read-only alias read: 0x%lx\n", (unsigned long)load(VA_BASE + 0x1000 + 8));

    expect_store_fault("write to read-only page", VA_BASE + 0x1010);
    expect_load_fault("Access flag 0", VA_BASE + 0x2000);
    expect_load_fault("invalid level 3 entry", VA_BASE + 0x3008);
    expect_load_fault("no level 1 entry", 0x200000000ull);
    expect_load_fault("no level 2 entry", VA_BASE + 0x200000);
    expect_load_fault("beyond T0SZ", 0x1000000000000ull);

    /* PAN: EL1 data accesses to EL0-accessible memory fault; LDTR does not. */
    rt_printf("EL0 page read, PAN 0: 0x%lx\n", (unsigned long)load(VA_BASE + 0x4000));
    __asm__ volatile(".inst 0xd500419f" ::: "memory");   /* msr pan, #1 (ARMv8.1) */
    expect_load_fault("EL0 page read, PAN 1", VA_BASE + 0x4000);
    rt_printf("EL0 page LDTR, PAN 1: 0x%lx\n", (unsigned long)load_unpriv(VA_BASE + 0x4000));
    __asm__ volatile(".inst 0xd500409f" ::: "memory");   /* msr pan, #0 */
    uint64_t esr = 0;
    rt_trap_arm();
    (void)load_unpriv(VA_BASE);
    bool hit = rt_trap_disarm(&esr);
    rt_printf("LDTR of an EL1-only page: fault %s, ESR_EL1 0x%lx\n", hit ? "yes" : "no", (unsigned long)esr);

    /* Instruction fetch: executable alias runs, the PXN alias faults. */
    uint64_t res = 0;
    int64_t e = rt_guarded_call(call_code, (void *)(uintptr_t)(VA_BASE + 0x5000), &res);
    rt_printf("call through the executable alias: exception 0x%lx, result %lu\n", (unsigned long)e,
              (unsigned long)res);
    e = rt_guarded_call(call_code, (void *)(uintptr_t)(VA_BASE + 0x6000), &res);
    rt_printf("call through the PXN alias: ESR_EL1 0x%lx, FAR_EL1 %s\n", (unsigned long)e,
              read_sysreg(far_el1) == VA_BASE + 0x6000 ? "= address" : "wrong");

    /* Self-modifying code: patch through the identity (writable) mapping. */
    code_page[0] = 0xd2800540;         /* mov x0, #42 */
    sync_code(VA_BASE + 0x5000, pa(code_page));
    e = rt_guarded_call(call_code, (void *)(uintptr_t)(VA_BASE + 0x5000), &res);
    rt_printf("after patching through the alias: exception 0x%lx, result %lu\n", (unsigned long)e,
              (unsigned long)res);

    /* AT. */
    report_par("AT S1E1R mapped", at_s1e1r(VA_BASE + 0x123), pa(page_a));
    report_par("AT S1E1W read-only", at_s1e1w(VA_BASE + 0x1000), 0);
    report_par("AT S1E1R invalid", at_s1e1r(VA_BASE + 0x3000), 0);
    report_par("AT S1E1R no level 1", at_s1e1r(0x200000000ull), 0);

    /* Remap VA_BASE to page_b: the new page is seen after TLBI. */
    l3_hi[0] = pa(page_b) | NORMAL | D_PXN | D_UXN | D_VALID | D_TABLE;
    tlbi_va(VA_BASE);
    rt_printf("after remap + TLBI VAE1IS: 0x%lx\n", (unsigned long)load(VA_BASE));
    l3_hi[0] = 0;
    tlbi_all();
    expect_load_fault("after unmap + TLBI VMALLE1IS", VA_BASE + 0x18);

    /* TBI0: the top byte of data addresses is ignored. */
    uint64_t tagged = 0x5a00000000000000ull | (VA_BASE + 0x1000);
    expect_load_fault("tagged address, TBI0 0", tagged);
    write_sysreg(tcr_el1, read_sysreg(tcr_el1) | (1ull << 37));
    tlbi_all();
    rt_printf("tagged address, TBI0 1: 0x%lx\n", (unsigned long)load(tagged));

    mmu_off();
    rt_printf("4K granule: MMU off\n");
}

static void granule_64k(void)
{
    /* Level 1 covers 4 TiB per entry, level 2 512 MiB, level 3 64 KiB. */
    g64_l1[0] = pa(g64_l2) | D_VALID | D_TABLE;
    g64_l2[0] = 0 | DEVICE | D_VALID;                           /* 0-512 MiB: devices */
    g64_l2[2] = 0x40000000ull | NORMAL | D_VALID;               /* 1 GiB: RAM */
    g64_l2[VA_BASE >> 29] = pa(g64_l3_hi) | D_VALID | D_TABLE;
    g64_l3_hi[0] = pa(g64_page) | NORMAL | D_PXN | D_UXN | D_VALID | D_TABLE;
    g64_l3_hi[1] = pa(g64_page) | NORMAL | D_RO | D_PXN | D_UXN | D_VALID | D_TABLE;
    g64_page[0] = 0x6464;

    uint64_t tcr = 16 | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 14) | (1u << 23) | (5ull << 32);
    mmu_on(tcr, pa(g64_l1));
    rt_printf("64K granule: MMU on\n");
    rt_printf("alias read: 0x%lx\n", (unsigned long)load(VA_BASE));
    store(VA_BASE + 0x8000, 0x77);
    rt_printf("alias write seen at the physical page: 0x%lx\n", (unsigned long)g64_page[0x1000]);
    rt_printf("second 64K page (read-only) read: 0x%lx\n", (unsigned long)load(VA_BASE + 0x10000));
    expect_store_fault("write to read-only 64K page", VA_BASE + 0x10008);
    expect_load_fault("invalid level 3 entry", VA_BASE + 0x20000);
    report_par("AT S1E1R mapped", at_s1e1r(VA_BASE + 0x8010), pa(g64_page) + 0x8000);
    mmu_off();
    rt_printf("64K granule: MMU off\n");
}

int main(void *fdt)
{
    (void)fdt;
    granule_4k();
    granule_64k();
    return 0;
}
