/*
 * test_threads.c - concurrency: VMs and vCPUs created from many threads at
 * once, and a vCPU sleeping in KVM_RUN (powered off) that a signal from another
 * thread releases with EINTR / KVM_EXIT_INTR, as Linux does.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

static int kvm;

static void *creator(void *arg)
{
    (void)arg;
    for (int i = 0; i < 50; i++) {
        int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
        int ok = vm >= 0;
        for (int c = 0; c < 4 && ok; c++) {
            int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, c);
            struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
            ok = vcpu >= 0 && softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in) == 0;
            softkvm_close(vcpu);
        }
        softkvm_close(vm);
        if (!ok)
            return (void *)1;
    }
    return NULL;
}

static volatile sig_atomic_t got_signal;
static void on_usr1(int s) { (void)s; got_signal = 1; }

struct runner { int vcpu; long ret; int err; struct kvm_run *run; };

static void *run_vcpu(void *arg)
{
    struct runner *r = arg;
    r->ret = softkvm_ioctl(r->vcpu, KVM_RUN, 0);
    r->err = errno;
    return NULL;
}

int main(void)
{
    kvm = softkvm_open("/dev/kvm", 0);
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], NULL, creator, NULL);
    for (int i = 0; i < 4; i++) {
        void *res;
        pthread_join(t[i], &res);
        CHECK(res == NULL);
    }

    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    in.features[0] = 1u << KVM_ARM_VCPU_POWER_OFF;
    CHECK_RET(softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in), 0);
    int size = softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
    CHECK(run != MAP_FAILED);
    struct runner r = { vcpu, 0, 0, run };
    pthread_t th;
    pthread_create(&th, NULL, run_vcpu, &r);
    usleep(100 * 1000);
    pthread_kill(th, SIGUSR1);
    pthread_join(th, NULL);
    CHECK(r.ret == -1 && r.err == EINTR);
    CHECK(run->exit_reason == KVM_EXIT_INTR);
    CHECK(got_signal == 1);   /* delivered to the program's handler on the way out */

    run->immediate_exit = 1;
    CHECK_ERR(softkvm_ioctl(vcpu, KVM_RUN, 0), EINTR);
    munmap(run, (size_t)size);
    softkvm_close(vcpu);
    softkvm_close(vm);
    softkvm_close(kvm);
    return check_done("test_threads");
}
