/*
 * test_fds.c - fd exhaustion. With RLIMIT_NOFILE lowered so that no fd is
 * free, softkvm_open, KVM_CREATE_VM and KVM_CREATE_VCPU fail with EMFILE (as
 * anon_inode_getfd does in Linux, kvm_main.c:kvm_dev_ioctl_create_vm,
 * create_vcpu_fd) and leave nothing behind: no fd, no VM, and the vCPU id is
 * still free. With exactly one fd free each of them must succeed, since each
 * KVM object costs its caller exactly one descriptor; KVM_RUN costs none:
 * with no descriptor free, a vCPU still runs, sleeps in WFI, is woken by an
 * interrupt line from another thread, and a signal still ends its sleep with
 * EINTR (softkvm then waits without its eventfd/signalfd, hyp/run.c). With
 * descriptors free, a vCPU gets its two wake-up descriptors at its first sleep,
 * not before.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <time.h>

#include "robust.h"

static struct rlimit saved;

/* Lower the soft limit so that exactly k fd numbers are free below it. */
static void leave_free(int k)
{
    int limit = 0, free_below = 0;
    for (;; limit++) {
        if (fcntl(limit, F_GETFD) >= 0)
            continue;            /* in use */
        if (free_below == k)
            break;               /* [0, limit) has exactly k free numbers */
        free_below++;
    }
    struct rlimit rl = { (rlim_t)limit, saved.rlim_max };
    CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
}

static void restore(void)
{
    setrlimit(RLIMIT_NOFILE, &saved);
}

static atomic_int usr1_count;
static void on_usr1(int s) { (void)s; usr1_count++; }

struct runner {
    int vcpu;
    int ret, err;                 /* read after pthread_join */
    atomic_int done;
};

static void *run_thread(void *arg)
{
    struct runner *r = arg;
    r->ret = softkvm_ioctl(r->vcpu, KVM_RUN, 0);
    r->err = errno;
    r->done = 1;
    return NULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* KVM_RUN on another thread; wake = what ends its WFI sleep after 50 ms.
 * Returns how long the thread took to return after the wake-up. */
static void wake_by_irq(struct guest *g, pthread_t t);

static double run_until_woken(struct guest *g, void (*wake)(struct guest *, pthread_t))
{
    struct runner r = { g->vcpu, 0, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_thread, &r);
    usleep(50 * 1000);
    CHECK(!r.done);               /* asleep in WFI */
    double t0 = now_s();
    wake(g, t);
    while (!r.done && now_s() - t0 < 5)
        usleep(100);
    double dt = now_s() - t0;
    if (!r.done) {
        fprintf(stderr, "the vCPU did not wake up within 5 s\n");
        CHECK(false);
        wake_by_irq(g, t);
        pthread_kill(t, SIGUSR1);
    }
    pthread_join(t, NULL);
    errno = r.err;
    return r.ret == 0 ? dt : -1 - dt;   /* negative: KVM_RUN failed (errno set) */
}

static void wake_by_irq(struct guest *g, pthread_t t)
{
    (void)t;
    struct kvm_irq_level l = { .irq = KVM_ARM_IRQ_TYPE_CPU << KVM_ARM_IRQ_TYPE_SHIFT | KVM_ARM_IRQ_CPU_IRQ, .level = 1 };
    CHECK_RET(softkvm_ioctl(g->vm, KVM_IRQ_LINE, &l), 0);
}

static void wake_by_signal(struct guest *g, pthread_t t)
{
    (void)g;
    pthread_kill(t, SIGUSR1);
}

static void irq_low(struct guest *g)
{
    struct kvm_irq_level l = { .irq = KVM_ARM_IRQ_TYPE_CPU << KVM_ARM_IRQ_TYPE_SHIFT | KVM_ARM_IRQ_CPU_IRQ, .level = 0 };
    CHECK_RET(softkvm_ioctl(g->vm, KVM_IRQ_LINE, &l), 0);
}

/* A guest sleeping in WFI with no descriptor free, then with descriptors. */
static void sleeping_vcpu(void)
{
    if (!engine_present()) {
        printf("test_fds: no guest execution: the sleeping vCPU part is skipped\n");
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    struct guest g;
    CHECK(guest_init(&g, 0x10000, 0) == 0);
    /* wfi; str x1, [x3]; wfi; str x1, [x3]; wfi; str x1, [x3]; b . */
    static const uint32_t code[] = { 0xd503207f, 0xf9000061, 0xd503207f, 0xf9000061,
                                     0xd503207f, 0xf9000061, 0x14000000 };
    memcpy(guest_code(&g), code, sizeof code);
    set_reg(g.vcpu, REG_X(3), GUEST_MMIO);
    int all = fds_open();

    leave_free(0);
    /* An interrupt line raised by another thread wakes it at once. */
    double dt = run_until_woken(&g, wake_by_irq);
    CHECK(dt >= 0 && g.run->exit_reason == KVM_EXIT_MMIO && g.run->mmio.phys_addr == GUEST_MMIO);
    printf("no fd free: WFI woken by KVM_IRQ_LINE after %.1f ms\n", dt * 1e3);
    irq_low(&g);
    /* A signal ends the sleep: EINTR, KVM_EXIT_INTR, the handler after the ioctl. */
    usr1_count = 0;
    dt = run_until_woken(&g, wake_by_signal);
    CHECK(dt < 0 && errno == EINTR && g.run->exit_reason == KVM_EXIT_INTR);
    CHECK(usr1_count == 1);
    printf("no fd free: WFI ended by a signal after %.1f ms\n", (-1 - dt) * 1e3);
    CHECK(get_reg(g.vcpu, REG_PC) == GUEST_CODE + 12);   /* past the WFI */
    restore();
    CHECK(fds_open() == all);

    /* Descriptors free: the first sleep creates the eventfd and the signalfd. */
    set_reg(g.vcpu, REG_PC, GUEST_CODE + 16);
    dt = run_until_woken(&g, wake_by_irq);
    CHECK(dt >= 0 && g.run->exit_reason == KVM_EXIT_MMIO);
    irq_low(&g);
    CHECK(fds_open() == all + 2);
    guest_destroy(&g);
}

int main(void)
{
    getrlimit(RLIMIT_NOFILE, &saved);
    int kvm = softkvm_open(NULL, 0);
    CHECK(kvm >= 0);
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    CHECK(vm >= 0);
    int objs = softkvm_fds_open(), all = fds_open();

    /* No fd free. */
    leave_free(0);
    CHECK_ERR(softkvm_open(NULL, 0), EMFILE);
    CHECK_ERR(softkvm_ioctl(kvm, KVM_CREATE_VM, 0), EMFILE);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 0), EMFILE);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 7), EMFILE);
    restore();
    CHECK(softkvm_fds_open() == objs && fds_open() == all);

    /* The failed creations registered nothing: the ids are free. */
    int v0 = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    CHECK(v0 >= 0);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 0), EEXIST);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    CHECK_RET(softkvm_ioctl(v0, KVM_ARM_VCPU_INIT, &in), 0);
    objs = softkvm_fds_open();
    all = fds_open();

    /* One fd free: one object each, as with Linux. */
    leave_free(1);
    int s = softkvm_open(NULL, 0);
    CHECK(s >= 0);
    restore();
    softkvm_close(s);
    leave_free(1);
    int vm2 = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    CHECK(vm2 >= 0);
    restore();
    softkvm_close(vm2);
    CHECK(softkvm_fds_open() == objs && fds_open() == all);

    leave_free(1);
    errno = 0;
    int v1 = softkvm_ioctl(vm, KVM_CREATE_VCPU, 1);
    int e = errno;
    restore();
    if (v1 < 0)
        fprintf(stderr, "KVM_CREATE_VCPU with one fd free: %s\n", strerror(e));
    CHECK(v1 >= 0);   /* (softkvm once spent a second fd per vCPU here: its wake-up eventfd) */
    if (v1 < 0)
        v1 = softkvm_ioctl(vm, KVM_CREATE_VCPU, 1);

    /* KVM_RUN needs no descriptor on Linux: the first run of a vCPU with no fd
     * free still answers as usual (immediate_exit: EINTR). */
    long mmap_size = softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, v0, 0);
    CHECK(run != MAP_FAILED);
    run->immediate_exit = 1;
    leave_free(0);
    errno = 0;
    int rr = softkvm_ioctl(v0, KVM_RUN, 0);
    e = errno;
    restore();
    if (rr != -1 || e != EINTR)
        fprintf(stderr, "first KVM_RUN with no fd free: %d/%s\n", rr, strerror(e));
    CHECK(rr == -1 && e == EINTR);
    run->immediate_exit = 0;
    munmap(run, (size_t)mmap_size);

    /* The vCPUs that exist still work after all this. */
    CHECK_RET(set_reg(v0, REG_X(3), 0x33), 0);
    CHECK(get_reg(v0, REG_X(3)) == 0x33);
    CHECK_RET(softkvm_ioctl(v1, KVM_ARM_VCPU_INIT, &in), 0);

    softkvm_close(v1);
    softkvm_close(v0);
    softkvm_close(vm);
    softkvm_close(kvm);
    CHECK(softkvm_fds_open() == 0);
    sleeping_vcpu();
    CHECK(softkvm_fds_open() == 0);
    return check_done("test_fds");
}
