/*
 * test_memslot_run.c - memslots changed while a vCPU runs (needs the engine;
 * exit 77 without it).
 *
 * Linux (kvm_main.c:__kvm_set_memory_region -> kvm_swap_active_memslots waits
 * for every vCPU to leave the old memslot set; arm64 mmu.c
 * kvm_arch_flush_shadow_memslot unmaps stage 2): once KVM_SET_USER_MEMORY_REGION
 * has returned, no guest access reaches the old backing any more, so the VMM may
 * unmap it at once; an access to the deleted range is an MMIO exit (spec 1.5).
 * The guest here loops "ldr x1, [x2]; add x3, x3, #1; str x3, [x4]; b loop" with
 * x2 in slot 1 and x4 in slot 0. Slot 1 is deleted (or moved) under it and its
 * backing made PROT_NONE immediately: the next load must exit MMIO at the old
 * address, and the host must not fault.
 *
 * Also: memory behind a live memslot unmapped by the VMM. Linux answers
 * KVM_RUN with -1/EFAULT (arm64 mmu.c user_mem_abort finds no VMA), exit_reason
 * KVM_EXIT_UNKNOWN, PC still at the load; once the VMM maps memory there
 * again the same KVM_RUN goes on (checked in a child, so that a host fault
 * would be reported rather than kill the test; more in test_host_fault.c).
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>

#include "robust.h"

#define SLOT1_GPA 0x10100000ull
#define SLOT1_MOVED 0x10200000ull

static void on_usr1(int s) { (void)s; }

struct runner {
    struct guest *g;
    int ret, err;                 /* read after pthread_join */
    atomic_int done;
};

static void *run_thread(void *arg)
{
    struct runner *r = arg;
    r->ret = softkvm_ioctl(r->g->vcpu, KVM_RUN, 0);
    r->err = errno;
    r->done = 1;
    return NULL;
}

/* One try; false if the vCPU thread had not run a single iteration when the
 * map changed (a loaded machine), so the try proves nothing and is repeated. */
static bool change_once(bool move, bool last_try)
{
    long page = sysconf(_SC_PAGESIZE);
    struct guest g;
    CHECK(guest_init(&g, 0x10000, 0) == 0);
    uint8_t *s1 = guarded_alloc((size_t)page);
    *(volatile uint64_t *)s1 = 0xfeedface;
    struct kvm_userspace_memory_region mr = { 1, 0, SLOT1_GPA, (uint64_t)page, (uintptr_t)s1 };
    CHECK_RET(softkvm_ioctl(g.vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
    static const uint32_t loop[] = { 0xf9400041, 0x91000463, 0xf9000083, 0x17fffffd };
    memcpy(guest_code(&g), loop, sizeof loop);
    set_reg(g.vcpu, REG_X(2), SLOT1_GPA);
    set_reg(g.vcpu, REG_X(4), GUEST_RAM_GPA + 0x8000);
    uint64_t *counter = (uint64_t *)(g.ram + 0x8000);   /* read only once the vCPU thread is joined */

    struct runner r = { &g, 0, 0, 0 };
    pthread_t t;
    pthread_create(&t, NULL, run_thread, &r);
    /* Guest RAM is not read while the vCPU runs (a race by nature, which TSan
     * would rightly report): give the loop time, then change the map. */
    usleep(100 * 1000);
    CHECK(!r.done);   /* the guest is looping */

    if (move)
        mr.guest_phys_addr = SLOT1_MOVED;
    else
        mr.memory_size = 0;
    CHECK_RET(softkvm_ioctl(g.vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
    /* The old backing is the VMM's again: make any late access fault. */
    CHECK(mprotect(s1, (size_t)page, PROT_NONE) == 0);

    for (int i = 0; i < 2000 && !r.done; i++)
        usleep(1000);
    if (!r.done) {
        fprintf(stderr, "%s: the vCPU still runs 2 s after the slot was %s\n", move ? "move" : "delete",
                move ? "moved" : "deleted");
        pthread_kill(t, SIGUSR1);
    }
    pthread_join(t, NULL);
    CHECK(r.ret == 0 && g.run->exit_reason == KVM_EXIT_MMIO);
    CHECK(g.run->mmio.phys_addr == SLOT1_GPA && g.run->mmio.len == 8 && !g.run->mmio.is_write);
    if (*counter == 0 && !last_try) {
        guest_destroy(&g);
        munmap(s1 - page, 3 * (size_t)page);
        return false;
    }
    CHECK(get_reg(g.vcpu, REG_PC) == GUEST_CODE);                /* at the load */
    CHECK(*counter > 0 && get_reg(g.vcpu, REG_X(3)) == *counter);   /* it looped; every store landed */
    printf("slot %s under a running vCPU: MMIO exit at 0x%llx after %llu iterations\n", move ? "moved" : "deleted",
           (unsigned long long)g.run->mmio.phys_addr, (unsigned long long)*counter);
    guest_destroy(&g);
    munmap(s1 - page, 3 * (size_t)page);
    return true;
}

static void change_under_running_vcpu(bool move)
{
    for (int try = 0; try < 5 && !change_once(move, try == 4); try++)
        printf("slot %s: the vCPU had not started within 100 ms; again\n", move ? "move" : "delete");
}

/* The VMM unmaps memory that a memslot still points to, then runs the guest:
 * Linux answers KVM_RUN -1/EFAULT (it cannot fault the page in). */
static void backing_gone(bool unused)
{
    (void)unused;
    long page = sysconf(_SC_PAGESIZE);
    struct guest g;
    CHECK(guest_init(&g, 0x10000, 0) == 0);
    uint8_t *s1 = guarded_alloc((size_t)page);
    struct kvm_userspace_memory_region mr = { 1, 0, SLOT1_GPA, (uint64_t)page, (uintptr_t)s1 };
    CHECK_RET(softkvm_ioctl(g.vm, KVM_SET_USER_MEMORY_REGION, &mr), 0);
    munmap(s1, (size_t)page);
    /* ldr x1, [x2]; str x1, [x3]: an MMIO store of what was loaded */
    static const uint32_t code[] = { 0xf9400041, 0xf9000061, 0x14000000 };
    memcpy(guest_code(&g), code, sizeof code);
    set_reg(g.vcpu, REG_X(1), 0x1111);
    set_reg(g.vcpu, REG_X(2), SLOT1_GPA);
    set_reg(g.vcpu, REG_X(3), GUEST_MMIO);
    g.run->exit_reason = 0xdead;
    CHECK_ERR(softkvm_ioctl(g.vcpu, KVM_RUN, 0), EFAULT);
    CHECK(g.run->exit_reason == KVM_EXIT_UNKNOWN);
    CHECK(get_reg(g.vcpu, REG_PC) == GUEST_CODE && get_reg(g.vcpu, REG_X(1)) == 0x1111);
    CHECK_ERR(softkvm_ioctl(g.vcpu, KVM_RUN, 0), EFAULT);       /* still gone */

    /* The VMM maps memory there again: the load completes. */
    uint8_t *again = mmap(s1, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(again == s1);
    *(volatile uint64_t *)again = 0x600d;
    CHECK_RET(softkvm_ioctl(g.vcpu, KVM_RUN, 0), 0);
    CHECK(g.run->exit_reason == KVM_EXIT_MMIO && g.run->mmio.is_write && g.run->mmio.phys_addr == GUEST_MMIO);
    uint64_t stored;
    memcpy(&stored, g.run->mmio.data, 8);
    CHECK(stored == 0x600d);
    guest_destroy(&g);
    munmap(s1 - page, 3 * (size_t)page);
}

/* Run fn in a child (a host fault must be reported, not kill the test);
 * times = how often to repeat it there (the hazards are races). Returns the
 * wait status. */
static int in_child(void (*fn)(bool), bool arg, int times)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(30);
        check_failures = 0;   /* the parent's count is not ours */
        for (int i = 0; i < times; i++)
            fn(arg);
        _exit(check_failures ? 3 : 0);   /* 1 is what a sanitizer's report exits with */
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st))
        fprintf(stderr, "child died of signal %d (%s)\n", WTERMSIG(st), strsignal(WTERMSIG(st)));
    return st;
}

/* The child faulted in the host: a plain SIGSEGV/SIGBUS, or a sanitizer's
 * SEGV report (ASan exits 1, TSan 66: anything but our 0 and 3). */
static bool host_fault(int st)
{
    return (WIFSIGNALED(st) && (WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGBUS)) ||
           (WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 3);
}

int main(void)
{
    if (!engine_present()) {
        printf("test_memslot_run: KVM_RUN does not execute guest code yet: skipped\n");
        return SKIP_RC;
    }
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);
    for (int move = 0; move < 2; move++) {
        int st = in_child(change_under_running_vcpu, move, 10);
        /* KVM_SET_USER_MEMORY_REGION returns only once no running vCPU can still
         * use the old map, so the VMM may unmap the old backing at once. */
        CHECK(!host_fault(st) && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    int st = in_child(backing_gone, false, 1);
    CHECK(!host_fault(st) && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(softkvm_fds_open() == 0);
    return check_done("test_memslot_run");
}
