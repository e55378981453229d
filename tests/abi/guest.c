/*
 * guest.c - tiny guests for the run group: a VM with RAM and guest code, KVM_RUN under a
 * SIGALRM guard, and the textual form of an exit as lifecycle.tsv records it.
 *
 * The snippets in the guests/ snippets are assembled at build time into byte arrays
 * (cmake/embed.cmake). Layout, as in the data: RAM memslot 0 at 0x10000000 (2 MiB), code
 * at RAM+0, vector table at RAM+0x10000 (VBAR_EL1 0x10010000), MMIO window 0x20000000.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

#include "abi.h"

#ifdef ABI_HAVE_GUESTS
#include "guest_hvcoff.h"
#include "guest_mmio.h"
#include "guest_rdvl.h"
#include "guest_svetrap.h"
#include "guest_undef.h"
#include "guest_vectors.h"
#include "guest_zcr.h"
#define BLOB(x) { x, sizeof(x) }
static const struct {
    const unsigned char *code;
    size_t len;
} snippets[] = {
    [SN_MMIO] = BLOB(guest_mmio),       [SN_HVCOFF] = BLOB(guest_hvcoff),
    [SN_UNDEF] = BLOB(guest_undef),     [SN_SVETRAP] = BLOB(guest_svetrap),
    [SN_ZCR] = BLOB(guest_zcr),         [SN_RDVL] = BLOB(guest_rdvl),
    [SN_VECTORS] = BLOB(guest_vectors),
};
#endif

/* A run that should end by itself gets this long before the guard signal (real KVM in
 * the oracle's nested TCG needs milliseconds). */
#define RUN_TIMEOUT_MS 2000
/* Guard ticks repeat every WATCHDOG_PERIOD_MS; after WATCHDOG_TICKS of them KVM_RUN has
 * ignored signals for ~10 s and the process gives up rather than hang. */
#define WATCHDOG_PERIOD_MS 250
#define WATCHDOG_TICKS 40

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
    static const char msg[] = "FAIL -:0 watchdog: KVM_RUN did not return within ~10 s "
                              "of repeated SIGALRM signals\n";
    (void)sig;
    if (++ticks > WATCHDOG_TICKS) {
        ssize_t r = write(1, msg, sizeof(msg) - 1);
        (void)r;
        _exit(3);
    }
}

static void arm_timer(unsigned first_ms, unsigned period_ms)
{
    struct itimerval it = {
        .it_value = { first_ms / 1000, (long)(first_ms % 1000) * 1000 },
        .it_interval = { period_ms / 1000, (long)(period_ms % 1000) * 1000 },
    };
    setitimer(ITIMER_REAL, &it, NULL);
}

bool abi_guest_code_available(void)
{
#ifdef ABI_HAVE_GUESTS
    return true;
#else
    return false;
#endif
}

void abi_guest_zero(struct guest *g)
{
    g->vm = g->vcpu = -1;
    g->run = NULL;
    g->ram = NULL;
}

static long mmap_size(void)
{
    static long size;

    if (!size)
        size = abi_kvm_callv(abi_sys_fd(), KVM_GET_VCPU_MMAP_SIZE, 0);
    return size;
}

void abi_guest_close(struct guest *g)
{
    if (g->run)
        munmap(g->run, (size_t)mmap_size());
    abi_close_fd(&g->vcpu);
    abi_close_fd(&g->vm);
    if (g->ram)
        munmap(g->ram, GUEST_RAM_SIZE);
    abi_guest_zero(g);
}

int abi_guest_new(struct guest *g)
{
    return abi_guest_new_type(g, 0);
}

int abi_guest_new_type(struct guest *g, unsigned long vm_type)
{
    void *p;

    abi_guest_zero(g);
    g->vm = abi_kvm_callv(abi_sys_fd(), KVM_CREATE_VM, vm_type);
    if (g->vm < 0)
        return g->vm;
    g->vcpu = abi_vcpu_create(g->vm, 0);
    if (g->vcpu < 0)
        return g->vcpu;
    if (mmap_size() <= 0)
        return mmap_size() < 0 ? (int)mmap_size() : -EINVAL;
    p = mmap(NULL, (size_t)mmap_size(), PROT_READ | PROT_WRITE, MAP_SHARED, g->vcpu, 0);
    if (p == MAP_FAILED)
        return -errno;
    g->run = p;
    return 0;
}

int abi_guest_add_ram(struct guest *g, enum snippet sn, bool vectors)
{
#ifdef ABI_HAVE_GUESTS
    struct kvm_userspace_memory_region mr;
    void *p = mmap(NULL, GUEST_RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);

    if (p == MAP_FAILED)
        return -errno;
    g->ram = p;
    memcpy(g->ram, snippets[sn].code, snippets[sn].len);
    if (vectors)
        memcpy((char *)g->ram + (GUEST_VBAR - GUEST_RAM), snippets[SN_VECTORS].code,
               snippets[SN_VECTORS].len);
    memset(&mr, 0, sizeof(mr));
    mr.slot = 0;
    mr.guest_phys_addr = GUEST_RAM;
    mr.memory_size = GUEST_RAM_SIZE;
    mr.userspace_addr = (uint64_t)(uintptr_t)g->ram;
    return abi_kvm_call(g->vm, KVM_SET_USER_MEMORY_REGION, &mr);
#else
    (void)g;
    (void)sn;
    (void)vectors;
    return -ENOSYS; /* built without an aarch64 assembler: no guest code */
#endif
}

int abi_guest_run(struct guest *g, unsigned guard_ms)
{
    return abi_guest_run_fd(g->vcpu, guard_ms);
}

int abi_guest_run_fd(int vcpu, unsigned guard_ms)
{
    static bool installed;
    int r;

    if (!installed) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = on_alarm; /* no SA_RESTART: the signal must end KVM_RUN */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGALRM, &sa, NULL);
        installed = true;
    }
    ticks = 0;
    arm_timer(guard_ms ? guard_ms : RUN_TIMEOUT_MS, WATCHDOG_PERIOD_MS);
    r = abi_kvm_callv(vcpu, KVM_RUN, 0);
    arm_timer(0, 0);
    return r;
}

void abi_guest_mmio_reply(struct guest *g)
{
    static const unsigned char reply[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };

    memcpy(g->run->mmio.data, reply, sizeof(reply));
}

static const char *exit_name(uint32_t r)
{
    switch (r) {
    case 0: return "UNKNOWN";
    case 4: return "DEBUG";
    case 6: return "MMIO";
    case 9: return "FAIL_ENTRY";
    case 10: return "INTR";
    case 17: return "INTERNAL_ERROR";
    case 24: return "SYSTEM_EVENT";
    case 28: return "ARM_NISV";
    default: return "?";
    }
}

void abi_guest_fmt_exit(const struct guest *g, char *out, size_t n)
{
    const struct kvm_run *run = g->run;
    char bytes[17];
    uint64_t value = 0;

    if (!run) {
        snprintf(out, n, "exit_reason=(no run page)");
        return;
    }
    switch (run->exit_reason) {
    case KVM_EXIT_MMIO:
        for (uint32_t i = 0; i < run->mmio.len && i < 8; i++)
            value |= (uint64_t)run->mmio.data[i] << (8 * i);
        abi_hex_bytes(bytes, run->mmio.data, 8);
        snprintf(out, n, "exit_reason=6(MMIO) phys_addr=0x%llx len=%u is_write=%u "
                 "data_bytes=%s value=0x%llx", (unsigned long long)run->mmio.phys_addr,
                 run->mmio.len, run->mmio.is_write, bytes, (unsigned long long)value);
        break;
    case KVM_EXIT_SYSTEM_EVENT:
        snprintf(out, n, "exit_reason=24(SYSTEM_EVENT) type=%u ndata=%u data0=0x%llx",
                 run->system_event.type, run->system_event.ndata,
                 (unsigned long long)run->system_event.data[0]);
        break;
    default:
        snprintf(out, n, "exit_reason=%u(%s)", run->exit_reason, exit_name(run->exit_reason));
        break;
    }
}
