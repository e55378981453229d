/*
 * test_signals.c - vCPU threads interrupted by signals in the middle of KVM_RUN.
 *
 * Linux (arm.c:kvm_arch_vcpu_ioctl_run, spec 4.1): a pending signal ends
 * KVM_RUN with -1/EINTR and exit_reason KVM_EXIT_INTR; the handler runs after
 * the ioctl has returned (on the way back to user mode), never inside it;
 * SA_RESTART does not restart KVM_RUN; KVM_SET_SIGNAL_MASK replaces the
 * thread's mask while in KVM_RUN only; the usual "kick" is a handler that sets
 * run->immediate_exit. Checked with a powered-off vCPU (sleeps in KVM_RUN, no
 * engine needed) and, when the engine runs guests, a guest spinning in "b .".
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>

#include "robust.h"

static long mmap_size;
static atomic_int usr1_count, usr2_count;   /* lock-free atomics: fine in handlers */
static _Atomic(struct kvm_run *) kick_run;   /* the page the kick handler writes */

static void on_usr1(int s) { (void)s; usr1_count++; }
static void on_usr2(int s) { (void)s; usr2_count++; }
static void on_kick(int s)
{
    (void)s;
    struct kvm_run *r = atomic_load(&kick_run);
    if (r)
        __atomic_store_n(&r->immediate_exit, 1, __ATOMIC_RELAXED);
}

static void handle(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

static int powered_off_vcpu(int kvm, int *vm_out, struct kvm_run **run)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8, .features = { 1u << KVM_ARM_VCPU_POWER_OFF } };
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in), 0);
    *run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    CHECK(*run != MAP_FAILED);
    *vm_out = vm;
    return vcpu;
}

struct loop {
    int vcpu;
    struct kvm_run *run;
    atomic_int stop;
    atomic_int inside;            /* 1 while the thread is (about to be) in KVM_RUN */
    int runs, eintr, bad;         /* read after pthread_join */
};

static void *run_loop(void *arg)
{
    struct loop *l = arg;
    while (!l->stop) {
        l->inside = 1;
        int r = softkvm_ioctl(l->vcpu, KVM_RUN, 0);
        int e = errno;
        l->inside = 0;
        l->runs++;
        if (r == -1 && e == EINTR && l->run->exit_reason == KVM_EXIT_INTR)
            l->eintr++;
        else if (!(r == -1 && e == EINTR && __atomic_load_n(&l->run->immediate_exit, __ATOMIC_RELAXED)))
            l->bad++;
        __atomic_store_n(&l->run->immediate_exit, 0, __ATOMIC_RELAXED);
    }
    return NULL;
}

/* A storm of signals at random moments; every KVM_RUN ends EINTR/INTR, none hangs. */
static void storm(int kvm, int flags)
{
    handle(SIGUSR1, on_usr1, flags);
    int vm;
    struct loop l = { 0 };
    l.vcpu = powered_off_vcpu(kvm, &vm, &l.run);
    pthread_t t;
    pthread_create(&t, NULL, run_loop, &l);
    unsigned seed = 1;
    for (int i = 0; i < 200; i++) {
        usleep(rand_r(&seed) % 2000);
        pthread_kill(t, SIGUSR1);
    }
    l.stop = 1;
    for (int i = 0; i < 100 && l.inside; i++) {   /* the last run may need one more kick */
        pthread_kill(t, SIGUSR1);
        usleep(10 * 1000);
    }
    pthread_join(t, NULL);
    printf("storm%s: %d runs, %d EINTR/KVM_EXIT_INTR, %d other\n", flags & SA_RESTART ? " (SA_RESTART)" : "", l.runs,
           l.eintr, l.bad);
    CHECK(l.runs > 10 && l.bad == 0 && l.eintr == l.runs);
    munmap(l.run, (size_t)mmap_size);
    softkvm_close(l.vcpu);
    softkvm_close(vm);
}

/* KVM_SET_SIGNAL_MASK: SIGUSR1 blocked during KVM_RUN only. */
struct one {
    int vcpu;
    atomic_int done;
    int ret, err;                 /* read after pthread_join */
};

static void *run_once(void *arg)
{
    struct one *o = arg;
    o->ret = softkvm_ioctl(o->vcpu, KVM_RUN, 0);
    o->err = errno;
    o->done = 1;
    return NULL;
}

static void signal_mask(int kvm)
{
    handle(SIGUSR1, on_usr1, 0);
    handle(SIGUSR2, on_usr2, 0);
    int vm;
    struct kvm_run *run;
    int vcpu = powered_off_vcpu(kvm, &vm, &run);
    uint8_t raw[sizeof(struct kvm_signal_mask) + 8];
    struct kvm_signal_mask *m = (void *)raw;
    m->len = 8;
    uint64_t bits = 1ull << (SIGUSR1 - 1);
    memcpy(m->sigset, &bits, 8);
    CHECK_RET(softkvm_ioctl(vcpu, KVM_SET_SIGNAL_MASK, m), 0);

    usr1_count = usr2_count = 0;
    struct one o = { vcpu, 0, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_once, &o);
    usleep(30 * 1000);
    pthread_kill(t, SIGUSR1);          /* blocked inside KVM_RUN: nothing happens */
    usleep(50 * 1000);
    CHECK(!o.done);
    CHECK(usr1_count == 0);
    pthread_kill(t, SIGUSR2);          /* not in the mask: KVM_RUN ends */
    pthread_join(t, NULL);
    CHECK(o.ret == -1 && o.err == EINTR);
    CHECK(run->exit_reason == KVM_EXIT_INTR);
    CHECK(usr2_count == 1 && usr1_count == 1);   /* both delivered once the thread's mask was back */

    CHECK_RET(softkvm_ioctl(vcpu, KVM_SET_SIGNAL_MASK, NULL), 0);   /* and no mask again */
    munmap(run, (size_t)mmap_size);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

/*
 * A handler that uses the vCPU it interrupted (here GET_MP_STATE; ioctl(2) is
 * async-signal-safe). On Linux the handler runs after KVM_RUN has returned, so
 * this works. Done in a child process under alarm(): a deadlock must not hang
 * the suite.
 */
static int handler_vcpu = -1;
static atomic_int handler_ok;
static void on_usr1_ioctl(int s)
{
    (void)s;
    struct kvm_mp_state mp;
    handler_ok = softkvm_ioctl(handler_vcpu, KVM_GET_MP_STATE, &mp) == 0;
}

static void handler_uses_vcpu(int kvm)
{
    pid_t pid = fork();
    if (pid == 0) {
        alarm(5);   /* default action: the child dies with SIGALRM if it deadlocks */
        handle(SIGUSR1, on_usr1_ioctl, 0);
        int vm;
        struct kvm_run *run;
        handler_vcpu = powered_off_vcpu(kvm, &vm, &run);
        struct one o = { handler_vcpu, 0, 0, 0 };
        pthread_t t;
        pthread_create(&t, NULL, run_once, &o);
        usleep(30 * 1000);
        pthread_kill(t, SIGUSR1);
        pthread_join(t, NULL);
        _exit(o.ret == -1 && o.err == EINTR && handler_ok ? 0 : 1);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        fprintf(stderr, "handler_uses_vcpu: child killed by signal %d (%s)\n", WTERMSIG(st),
                WTERMSIG(st) == SIGALRM ? "deadlock: the handler ran inside KVM_RUN, vCPU lock held" : "crash");
    /* As on Linux, the handler runs after KVM_RUN returned and released the vCPU
     * (fixed: the mask is restored after the vCPU lock is dropped, and sleeping
     * vCPUs watch a signalfd instead of taking the signal). */
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* With the engine: a guest spinning in "b ." is kicked out by a handler that
 * sets immediate_exit, the pattern QEMU and kvmtool use. */
static void kick_spinning_guest(void)
{
    struct guest g;
    CHECK(guest_init(&g, 0x10000, 0) == 0);
    guest_code(&g)[0] = 0x14000000;   /* b . */
    handle(SIGUSR1, on_kick, 0);
    atomic_store(&kick_run, g.run);
    struct loop l = { g.vcpu, g.run, 0, 0, 0, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_loop, &l);
    for (int i = 0; i < 50; i++) {
        usleep(1000);
        pthread_kill(t, SIGUSR1);
    }
    l.stop = 1;
    for (int i = 0; i < 100 && l.inside; i++) {
        pthread_kill(t, SIGUSR1);
        usleep(10 * 1000);
    }
    pthread_join(t, NULL);
    atomic_store(&kick_run, NULL);
    printf("kick: %d runs, %d EINTR/INTR, %d other\n", l.runs, l.eintr, l.bad);
    CHECK(l.runs > 5 && l.bad == 0);
    CHECK(get_reg(g.vcpu, REG_PC) == GUEST_CODE);   /* still spinning where it was */
    guest_destroy(&g);
}

int main(void)
{
    int kvm = softkvm_open(NULL, 0);
    mmap_size = softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    storm(kvm, 0);
    storm(kvm, SA_RESTART);
    signal_mask(kvm);
    handler_uses_vcpu(kvm);
    if (engine_present())
        kick_spinning_guest();
    else
        printf("no engine: the spinning-guest kick is not run\n");
    softkvm_close(kvm);
    CHECK(softkvm_fds_open() == 0);
    return check_done("test_signals");
}
