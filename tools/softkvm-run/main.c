/*
 * main.c - softkvm-run: build the VM through the KVM API, run one thread per
 * vCPU, serve MMIO, and turn the guest's end into an exit status.
 *
 * The sequence is the one every arm64 VMM performs (kvmtool's kvm__init and
 * kvm_cpu__init; QEMU's kvm_arch_init_vcpu):
 *   open /dev/kvm, KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_SET_USER_MEMORY_REGION;
 *   per vCPU: KVM_CREATE_VCPU, mmap the kvm_run page, KVM_ARM_PREFERRED_TARGET,
 *   KVM_ARM_VCPU_INIT (PSCI 0.2, SVE, POWER_OFF for all but vCPU 0), SVE
 *   negotiation and FINALIZE (sve.c), boot registers through ONE_REG;
 *   then KVM_RUN in a loop on each vCPU's own thread.
 *
 * Stopping (SYSTEM_OFF seen by one vCPU, an error, the timeout): the other
 * threads are asleep in KVM_RUN (powered off or stopped) or running; each gets
 * immediate_exit = 1 and then a signal, the pattern Linux's api.rst gives for
 * KVM_CAP_IMMEDIATE_EXIT: a thread about to enter KVM_RUN returns at once, one
 * inside returns EINTR.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define CORE_REG(field) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(field))

enum event { EV_NONE, EV_OFF, EV_RESET, EV_ERROR, EV_LIMIT, EV_TIMEOUT };

static const char *const event_name[] = { "none", "off", "reset", "error", "insn-limit", "timeout" };

struct vcpu {
    unsigned id;
    int fd;
    struct kvm_run *run;
    pthread_t thread;
    bool thread_live;
};

static struct machine {
    struct options o;
    int kvm_fd, vm_fd;
    size_t run_size;
    uint8_t *ram;
    struct image img;
    struct kvm_vcpu_init init;     /* target and features shared by all vCPUs (but POWER_OFF) */
    struct vcpu *vcpus;
    struct sve_result sve;
    unsigned boot;

    pthread_mutex_t lock;
    pthread_cond_t cond;
    enum event event;              /* first event of this boot wins */
    int status;
    atomic_bool stop;
    struct timespec t_start, t_end;
} m = { .kvm_fd = -1, .vm_fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

static void write_report(const char *result, int status);

/* Fatal VMM failure before the guest runs: one line, the report, exit. */
static void __attribute__((noreturn, format(printf, 2, 3))) die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("softkvm-run: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    write_report(status == STATUS_USAGE ? "refused" : "error", status);
    exit(status);
}

static double seconds(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* ---- machine set-up -------------------------------------------------------------- */

static void vm_create(void)
{
    struct options *o = &m.o;
    m.kvm_fd = kvm_open();
    if (m.kvm_fd < 0)
        die(STATUS_VMM_ERROR, "open /dev/kvm (softkvm): %s", strerror(errno));
    int api = kvm_ioctl(m.kvm_fd, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION)
        die(STATUS_VMM_ERROR, "KVM API version %d, expected %d", api, KVM_API_VERSION);
    int mmap_size = kvm_ioctl(m.kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < (int)sizeof(struct kvm_run))
        die(STATUS_VMM_ERROR, "KVM_GET_VCPU_MMAP_SIZE: %s", mmap_size < 0 ? strerror(errno) : "too small");
    m.run_size = (size_t)mmap_size;

    m.vm_fd = kvm_ioctl(m.kvm_fd, KVM_CREATE_VM, 0);
    if (m.vm_fd < 0)
        die(STATUS_VMM_ERROR, "KVM_CREATE_VM: %s", strerror(errno));
    int max = kvm_ioctl(m.vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
    if (max > 0 && o->smp > (unsigned)max)
        die(STATUS_USAGE, "--smp %u: this host allows at most %d vCPUs per VM", o->smp, max);

    m.ram = mmap(NULL, o->mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m.ram == MAP_FAILED)
        die(STATUS_VMM_ERROR, "cannot map %" PRIu64 " bytes of guest RAM: %s", o->mem_size, strerror(errno));
    struct kvm_userspace_memory_region slot = {
        .slot = 0, .flags = 0, .guest_phys_addr = RAM_BASE,
        .memory_size = o->mem_size, .userspace_addr = (uint64_t)(uintptr_t)m.ram,
    };
    if (kvm_ioctl(m.vm_fd, KVM_SET_USER_MEMORY_REGION, &slot) != 0)
        die(STATUS_VMM_ERROR, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
}

static int set_reg(struct vcpu *v, uint64_t id, uint64_t val)
{
    struct kvm_one_reg r = { id, (uint64_t)(uintptr_t)&val };
    return kvm_ioctl(v->fd, KVM_SET_ONE_REG, &r);
}

static uint64_t get_pc(struct vcpu *v)
{
    uint64_t pc = 0;
    struct kvm_one_reg r = { CORE_REG(regs.pc), (uint64_t)(uintptr_t)&pc };
    if (kvm_ioctl(v->fd, KVM_GET_ONE_REG, &r) != 0)
        return ~0ull;
    return pc;
}

static void vcpu_init_one(struct vcpu *v)
{
    struct kvm_vcpu_init init = m.init;
    if (v->id != 0)   /* secondaries wait for PSCI CPU_ON */
        init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
    if (kvm_ioctl(v->fd, KVM_ARM_VCPU_INIT, &init) != 0)
        die(STATUS_VMM_ERROR, "vCPU %u: KVM_ARM_VCPU_INIT(target %u, features 0x%x): %s", v->id, init.target,
            init.features[0], strerror(errno));
}

static void vcpus_create(void)
{
    struct options *o = &m.o;
    bool host_sve = sve_host_has(m.vm_fd);
    bool want_sve = o->sve == SVE_AUTO ? host_sve : o->sve != SVE_OFF;
    if (want_sve && !host_sve) {
        struct softkvm_host_profile p;
        softkvm_get_host_profile(&p);
        die(STATUS_USAGE, "%s %s: the host (%s) has no SVE (KVM_CAP_ARM_SVE is 0); use --no-sve or another --host",
            o->sve == SVE_LIST ? "--sve-vls" : "--sve-max", o->sve_arg, p.name);
    }
    m.sve.enabled = want_sve;

    if (kvm_ioctl(m.vm_fd, KVM_ARM_PREFERRED_TARGET, &m.init) != 0)
        die(STATUS_VMM_ERROR, "KVM_ARM_PREFERRED_TARGET: %s", strerror(errno));
    m.init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (want_sve)
        m.init.features[0] |= 1u << KVM_ARM_VCPU_SVE;

    m.vcpus = calloc(o->smp, sizeof *m.vcpus);
    if (!m.vcpus)
        die(STATUS_VMM_ERROR, "out of memory");
    for (unsigned i = 0; i < o->smp; i++) {
        struct vcpu *v = &m.vcpus[i];
        v->id = i;
        v->fd = kvm_ioctl(m.vm_fd, KVM_CREATE_VCPU, i);
        if (v->fd < 0)
            die(STATUS_VMM_ERROR, "KVM_CREATE_VCPU(%u): %s", i, strerror(errno));
        v->run = mmap(NULL, m.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
        if (v->run == MAP_FAILED)
            die(STATUS_VMM_ERROR, "mmap of vCPU %u: %s", i, strerror(errno));
        vcpu_init_one(v);
        if (want_sve && sve_configure(v->fd, o, i == 0, &m.sve) != 0) {
            write_report("refused", STATUS_USAGE);
            exit(STATUS_USAGE);
        }
        if (o->trace && softkvm_vcpu_set_trace(v->fd, true) != 0)
            die(STATUS_VMM_ERROR, "softkvm_vcpu_set_trace: %s", strerror(errno));
    }
}

/* Load the image and device tree, set vCPU 0's entry registers. Also used on --reboot. */
static void boot_prepare(void)
{
    struct options *o = &m.o;
    uint64_t fdt_addr = RAM_BASE + o->mem_size - FDT_AREA;
    image_load(&m.img, m.ram, RAM_BASE);
    size_t n = fdt_build(o, m.ram + (fdt_addr - RAM_BASE), FDT_AREA);
    if (!n)
        die(STATUS_USAGE, "the device tree (guest arguments) does not fit in %llu KiB",
            (unsigned long long)FDT_AREA / 1024);

    /* Linux arm64 booting.rst: x0 = device tree, x1..x3 = 0, MMU off, EL1h. The
     * stack pointer is a convenience for bare-metal guests: just below the tree. */
    struct vcpu *v0 = &m.vcpus[0];
    if (set_reg(v0, CORE_REG(regs.pc), m.img.entry) || set_reg(v0, CORE_REG(regs.regs[0]), fdt_addr) ||
        set_reg(v0, CORE_REG(sp_el1), fdt_addr))
        die(STATUS_VMM_ERROR, "KVM_SET_ONE_REG (boot registers): %s", strerror(errno));
    sysctl_reset(m.boot);
    if (o->verbose)
        fprintf(stderr, "softkvm-run: boot %u: entry 0x%" PRIx64 ", device tree at 0x%" PRIx64 " (%zu bytes)\n",
                m.boot, m.img.entry, fdt_addr, n);
}

/* ---- running ----------------------------------------------------------------------- */

static void post_event(enum event ev, int status, const char *fmt, ...)
{
    pthread_mutex_lock(&m.lock);
    if (m.event == EV_NONE) {
        m.event = ev;
        m.status = status;
        if (fmt) {
            uart_flush();
            va_list ap;
            va_start(ap, fmt);
            fputs("softkvm-run: ", stderr);
            vfprintf(stderr, fmt, ap);
            fputc('\n', stderr);
            va_end(ap);
        }
        pthread_cond_broadcast(&m.cond);
    }
    pthread_mutex_unlock(&m.lock);
}

static bool handle_mmio(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    uint64_t addr = run->mmio.phys_addr;
    uint32_t len = run->mmio.len;
    bool wr = run->mmio.is_write;
    if (uart_mmio(addr, run->mmio.data, len, wr) || sysctl_mmio(addr, run->mmio.data, len, wr))
        return true;
    uint64_t val = 0;
    for (uint32_t i = 0; i < len && i < 8; i++)
        val |= (uint64_t)run->mmio.data[i] << (8 * i);
    if (wr)
        post_event(EV_ERROR, STATUS_VMM_ERROR,
                   "vCPU %u: unhandled MMIO write of %u bytes (0x%" PRIx64 ") to 0x%" PRIx64 " at PC 0x%" PRIx64,
                   v->id, len, val, addr, get_pc(v));
    else
        post_event(EV_ERROR, STATUS_VMM_ERROR, "vCPU %u: unhandled MMIO read of %u bytes from 0x%" PRIx64
                   " at PC 0x%" PRIx64, v->id, len, addr, get_pc(v));
    return false;
}

static bool handle_system_event(struct vcpu *v)
{
    switch (v->run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN:
        post_event(EV_OFF, sysctl_exit_status(), NULL);
        return false;
    case KVM_SYSTEM_EVENT_RESET:
        if (m.o.reboot)
            post_event(EV_RESET, 0, NULL);
        else
            post_event(EV_RESET, sysctl_exit_status(), "vCPU %u: guest requested a system reset; stopping "
                       "(--reboot restarts it)", v->id);
        return false;
    default:
        post_event(EV_ERROR, STATUS_VMM_ERROR, "vCPU %u: unexpected system event type %u at PC 0x%" PRIx64,
                   v->id, v->run->system_event.type, get_pc(v));
        return false;
    }
}

static uint64_t insns_retired(struct vcpu *v)
{
    struct softkvm_vcpu_stats s;
    return softkvm_vcpu_stats(v->fd, &s) == 0 ? s.insns_retired : 0;
}

static void *vcpu_thread(void *arg)
{
    struct vcpu *v = arg;
    struct options *o = &m.o;
    for (;;) {
        if (atomic_load(&m.stop))
            break;
        if (o->max_insns) {
            uint64_t done = insns_retired(v);
            if (done >= o->max_insns) {
                post_event(EV_LIMIT, STATUS_VMM_ERROR, "vCPU %u: stopped after %" PRIu64
                           " instructions (--max-insns) at PC 0x%" PRIx64, v->id, done, get_pc(v));
                break;
            }
            softkvm_vcpu_set_insn_limit(v->fd, o->max_insns - done);
        }
        int r = kvm_ioctl(v->fd, KVM_RUN, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;   /* our kick, the instruction budget, or a stray signal: re-check */
            int e = errno;
            /* api.rst / mmio.c:io_mem_abort: ENOSYS is an MMIO access without a valid syndrome. */
            post_event(EV_ERROR, STATUS_VMM_ERROR, "vCPU %u: KVM_RUN: %s at PC 0x%" PRIx64 "%s", v->id, strerror(e),
                       get_pc(v), e == ENOSYS ? " (an MMIO access KVM cannot decode: load/store pair, exclusive, "
                       "atomic, writeback or SIMD to a device address)" : "");
            break;
        }
        bool go_on;
        switch (v->run->exit_reason) {
        case KVM_EXIT_MMIO:
            go_on = handle_mmio(v);
            break;
        case KVM_EXIT_SYSTEM_EVENT:
            go_on = handle_system_event(v);
            break;
        case KVM_EXIT_INTERNAL_ERROR:
            post_event(EV_ERROR, STATUS_VMM_ERROR, "vCPU %u: KVM_EXIT_INTERNAL_ERROR (suberror %u) at PC 0x%" PRIx64
                       ": softkvm could not execute the guest code there", v->id, v->run->internal.suberror,
                       get_pc(v));
            go_on = false;
            break;
        default:
            post_event(EV_ERROR, STATUS_VMM_ERROR, "vCPU %u: unexpected exit reason %u at PC 0x%" PRIx64, v->id,
                       v->run->exit_reason, get_pc(v));
            go_on = false;
            break;
        }
        if (!go_on)
            break;
    }
    return NULL;
}

static void kick_handler(int sig)
{
    (void)sig;
}

static void threads_start(void)
{
    atomic_store(&m.stop, false);
    m.event = EV_NONE;
    clock_gettime(CLOCK_MONOTONIC, &m.t_start);
    for (unsigned i = 0; i < m.o.smp; i++) {
        struct vcpu *v = &m.vcpus[i];
        v->run->immediate_exit = 0;
        int e = pthread_create(&v->thread, NULL, vcpu_thread, v);
        if (e)
            die(STATUS_VMM_ERROR, "cannot start the thread of vCPU %u: %s", i, strerror(e));
        v->thread_live = true;
    }
}

static void threads_stop(void)
{
    atomic_store(&m.stop, true);
    for (unsigned i = 0; i < m.o.smp; i++) {
        struct vcpu *v = &m.vcpus[i];
        if (!v->thread_live)
            continue;
        /* api.rst KVM_CAP_IMMEDIATE_EXIT: set immediate_exit, then signal the thread. */
        __atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
        pthread_kill(v->thread, SIGUSR1);
    }
    for (unsigned i = 0; i < m.o.smp; i++) {
        struct vcpu *v = &m.vcpus[i];
        if (v->thread_live) {
            pthread_join(v->thread, NULL);
            v->thread_live = false;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &m.t_end);
    uart_flush();
}

/* Wait for the first event of this boot, or the timeout. */
static enum event wait_event(const struct timespec *deadline)
{
    pthread_mutex_lock(&m.lock);
    while (m.event == EV_NONE) {
        if (deadline) {
            if (pthread_cond_timedwait(&m.cond, &m.lock, deadline) == ETIMEDOUT && m.event == EV_NONE) {
                pthread_mutex_unlock(&m.lock);
                post_event(EV_TIMEOUT, STATUS_TIMEOUT, "guest still running after --timeout %g s; stopped",
                           m.o.timeout_s);
                pthread_mutex_lock(&m.lock);
            }
        } else {
            pthread_cond_wait(&m.cond, &m.lock);
        }
    }
    enum event ev = m.event;
    pthread_mutex_unlock(&m.lock);
    return ev;
}

static void reboot(void)
{
    m.boot++;
    for (unsigned i = 0; i < m.o.smp; i++)
        vcpu_init_one(&m.vcpus[i]);   /* re-INIT: full reset; the finalized SVE set stays */
    boot_prepare();
}

/* ---- reporting --------------------------------------------------------------------- */

static void print_stats(void)
{
    double t = seconds(&m.t_start, &m.t_end);
    for (unsigned i = 0; i < m.o.smp; i++) {
        struct softkvm_vcpu_stats s;
        if (softkvm_vcpu_stats(m.vcpus[i].fd, &s) != 0)
            continue;
        fprintf(stderr, "softkvm-run: stats: vCPU %u: %" PRIu64 " instructions in %.3f s (%.1f MIPS); "
                "%" PRIu64 " KVM_RUN calls; exits: mmio %" PRIu64 ", system_event %" PRIu64 ", intr %" PRIu64
                ", other %" PRIu64 "\n", i, s.insns_retired, t, t > 0 ? (double)s.insns_retired / t / 1e6 : 0.0,
                s.runs, s.exits_mmio, s.exits_system_event, s.exits_intr, s.exits_other);
    }
}

static void write_report(const char *result, int status)
{
    if (!m.o.report_path)
        return;
    FILE *f = fopen(m.o.report_path, "w");
    if (!f) {
        fprintf(stderr, "softkvm-run: --report %s: %s\n", m.o.report_path, strerror(errno));
        return;
    }
    struct softkvm_host_profile p;
    softkvm_get_host_profile(&p);
    struct vqset hs = { { p.sve_vqs } };
    char b[512];
    fprintf(f, "host=%s\n", p.name);
    fprintf(f, "host_vls=%s\n", vqset_str(&hs, b, sizeof b));
    fprintf(f, "sve=%s\n", m.sve.enabled ? "on" : "off");
    if (m.sve.enabled) {
        fprintf(f, "vls_after_init=%s\n", vqset_str(&m.sve.host, b, sizeof b));
        fprintf(f, "requested_vls=%s\n", vqset_str(&m.sve.requested, b, sizeof b));
        fprintf(f, "final_vls=%s\n", vqset_str(&m.sve.final, b, sizeof b));
        fprintf(f, "max_vl_bits=%u\n", vqset_max(&m.sve.final) * 128);
    }
    fprintf(f, "smp=%u\n", m.o.smp);
    fprintf(f, "result=%s\n", result);
    fprintf(f, "status=%d\n", status);
    fclose(f);
}

static int dump_dtb(const struct options *o)
{
    static uint8_t buf[FDT_AREA];
    size_t n = fdt_build(o, buf, sizeof buf);
    FILE *f = fopen(o->dump_dtb, "wb");
    if (!n || !f || fwrite(buf, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "softkvm-run: --dump-dtb %s: %s\n", o->dump_dtb, n ? strerror(errno) : "device tree too large");
        return STATUS_VMM_ERROR;
    }
    return 0;
}

int main(int argc, char **argv)
{
    args_parse(argc, argv, &m.o);
    struct options *o = &m.o;
    if (o->explain)
        softkvm_set_explain(true);
    if (o->host_spec) {
        struct softkvm_host_profile p;
        char err[256];
        if (softkvm_host_parse(o->host_spec, &p, err, sizeof err) != 0 || softkvm_set_host_profile(&p) != 0)
            die(STATUS_USAGE, "--host %s: %s", o->host_spec, err);
    }

    if (o->dump_dtb)
        return dump_dtb(o);

    char err[512];
    if (image_open(o->image, o, RAM_BASE, o->mem_size - FDT_AREA, &m.img, err, sizeof err) != 0) {
        fprintf(stderr, "softkvm-run: %s: %s\n", o->image, err);
        exit(STATUS_USAGE);
    }
    if (o->verbose)
        fprintf(stderr, "softkvm-run: %s: %s, %u segment%s, entry 0x%" PRIx64 "\n", o->image,
                m.img.is_elf ? "ELF" : "flat binary", m.img.nseg, m.img.nseg == 1 ? "" : "s", m.img.entry);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = kick_handler;   /* no SA_RESTART: KVM_RUN must return EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m.cond, &ca);

    vm_create();
    vcpus_create();
    m.boot = 1;
    boot_prepare();

    struct timespec deadline, *dl = NULL;
    if (o->timeout_s > 0) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        double whole = (double)(long)o->timeout_s;
        deadline.tv_sec += (time_t)whole;
        deadline.tv_nsec += (long)((o->timeout_s - whole) * 1e9);
        if (deadline.tv_nsec >= 1000000000L) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000L;
        }
        dl = &deadline;
    }

    enum event ev;
    for (;;) {
        threads_start();
        ev = wait_event(dl);
        threads_stop();
        if (ev == EV_RESET && o->reboot) {
            if (o->verbose)
                fprintf(stderr, "softkvm-run: guest requested a system reset: restarting\n");
            reboot();
            continue;
        }
        break;
    }

    if (o->stats)
        print_stats();
    int status = m.status;
    write_report(event_name[ev], status);
    if (o->verbose)
        fprintf(stderr, "softkvm-run: %s, exit status %d\n", event_name[ev], status);
    return status;
}
