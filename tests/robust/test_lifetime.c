/*
 * test_lifetime.c - object lifetimes follow Linux's references: a vCPU fd
 * holds its VM (kvm_main.c:kvm_vm_ioctl_create_vcpu takes kvm_get_kvm for the
 * vCPU file), an ioctl in progress holds its file. So closing the VM fd while
 * vCPU fds are open leaves the vCPUs fully usable; the VM (and its vCPUs) go
 * away with the last fd; closing fds while another thread sits in KVM_RUN is
 * safe and the run returns normally on the next signal. Nothing leaks: the
 * softkvm memfds/eventfds are counted, ASan builds check the heap.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>

#include "robust.h"

static long mmap_size;

static int new_vcpu(int vm, uint32_t id, uint32_t features)
{
    int fd = softkvm_ioctl(vm, KVM_CREATE_VCPU, id);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8, .features = { features } };
    CHECK(fd >= 0);
    CHECK_RET(softkvm_ioctl(fd, KVM_ARM_VCPU_INIT, &in), 0);
    return fd;
}

static void vm_closed_first(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int a = new_vcpu(vm, 0, 0), b = new_vcpu(vm, 1, 1u << KVM_ARM_VCPU_PSCI_0_2);
    struct kvm_run *run_a = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, a, 0);
    CHECK(run_a != MAP_FAILED);
    CHECK_RET(set_reg(a, REG_X(5), 0x5555), 0);
    CHECK_RET(softkvm_close(vm), 0);
    CHECK_ERR(softkvm_ioctl(vm, KVM_CREATE_VCPU, 2), EBADF);

    /* Both vCPUs answer every ioctl as before. */
    CHECK(get_reg(a, REG_X(5)) == 0x5555);
    CHECK_RET(softkvm_ioctl(b, KVM_ARM_VCPU_INIT,
                            &(struct kvm_vcpu_init){ KVM_ARM_TARGET_GENERIC_V8, { 1u << KVM_ARM_VCPU_PSCI_0_2 } }), 0);
    CHECK_RET(set_reg(b, REG_X(6), 0x6666), 0);
    CHECK(get_reg(b, REG_X(6)) == 0x6666);
    uint64_t buf[1 + 600];
    struct kvm_reg_list *l = (void *)buf;
    l->n = 600;
    CHECK_RET(softkvm_ioctl(a, KVM_GET_REG_LIST, l), 0);
    CHECK(l->n == 242);   /* data/reglist-default-none.tsv */
    run_a->immediate_exit = 1;
    CHECK_ERR(softkvm_ioctl(a, KVM_RUN, 0), EINTR);
    run_a->immediate_exit = 0;
    /* A new mapping of the vCPU fd still works after the VM fd is gone. */
    struct kvm_run *again = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, b, 0);
    CHECK(again != MAP_FAILED);

    /* Closing one vCPU leaves the other one working. */
    CHECK_RET(softkvm_close(a), 0);
    CHECK(get_reg(b, REG_X(6)) == 0x6666);
    CHECK(run_a->immediate_exit == 0);   /* our mapping of a's page stays valid */
    CHECK_RET(softkvm_close(b), 0);
    munmap(run_a, (size_t)mmap_size);
    munmap(again, (size_t)mmap_size);
}

static void dup_keeps_alive(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int a = new_vcpu(vm, 0, 0);
    int d = dup(a);
    CHECK_RET(softkvm_dup_notify(a, d), 0);
    CHECK_RET(softkvm_close(a), 0);
    CHECK_RET(softkvm_close(vm), 0);
    CHECK_RET(set_reg(d, REG_X(1), 42), 0);   /* the duplicate still reaches the vCPU */
    CHECK(get_reg(d, REG_X(1)) == 42);
    CHECK_RET(softkvm_close(d), 0);
}

/* ---- closing under a running vCPU ---------------------------------------- */

static void on_usr1(int s) { (void)s; }

struct runner {
    int vcpu;
    int ret, err;                 /* read after pthread_join */
    atomic_int entered;
};

static void *run_thread(void *arg)
{
    struct runner *r = arg;
    r->entered = 1;
    r->ret = softkvm_ioctl(r->vcpu, KVM_RUN, 0);   /* POWER_OFF: sleeps until a signal */
    r->err = errno;
    return NULL;
}

static void close_while_running(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    int a = new_vcpu(vm, 0, 1u << KVM_ARM_VCPU_POWER_OFF);
    int b = new_vcpu(vm, 1, 0);
    struct runner r = { a, 0, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_thread, &r);
    while (!r.entered)
        usleep(1000);
    usleep(20 * 1000);
    /* Every fd goes while the thread is inside KVM_RUN on vCPU a. */
    CHECK_RET(softkvm_close(vm), 0);
    CHECK_RET(softkvm_close(b), 0);
    CHECK_RET(softkvm_close(a), 0);
    usleep(20 * 1000);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    CHECK(r.ret == -1 && r.err == EINTR);
    /* Everything went with the last reference (the ioctl's). */
}

int main(void)
{
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    int kvm = softkvm_open(NULL, 0);
    mmap_size = softkvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    int base = softkvm_fds_open();

    vm_closed_first(kvm);
    CHECK(softkvm_fds_open() == base);   /* VM, vCPU memfds and their eventfds all gone */
    dup_keeps_alive(kvm);
    CHECK(softkvm_fds_open() == base);
    close_while_running(kvm);
    CHECK(softkvm_fds_open() == base);

    softkvm_close(kvm);
    CHECK(softkvm_fds_open() == 0);
    return check_done("test_lifetime");
}
