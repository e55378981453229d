/*
 * test_enomem.c - every allocation an ioctl makes can fail: the ioctl then
 * returns -1/ENOMEM and the objects are exactly as before (no fd, no half-built
 * vCPU, no memslot change; under ASan, no leak).
 *
 * Method: for n = 1, 2, ... make the n-th allocation from now fail
 * (skvm_alloc_fail_at, src/util/alloc.h) and run the operation, until an n is
 * reached that the operation never gets to: then it must succeed. Each failure
 * in between must be ENOMEM with the state intact. The environment variable
 * SOFTKVM_FAIL_ALLOC is checked in a child process.
 */
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "robust.h"
#include "util/alloc.h"

static int kvm;
static long page;

struct ctx {
    int vm;
    int vcpu0;
    uint8_t *mem;           /* 8 pages for memslots */
    int last_fd;            /* fd created by a successful op, to undo it */
};

typedef int (*op_fn)(struct ctx *c);
typedef void (*check_fn)(struct ctx *c, const char *what);

/* Run op under failure injection at every allocation it makes. Returns the
 * number of allocation points found. */
static unsigned sweep(const char *what, struct ctx *c, op_fn op, check_fn intact, op_fn undo)
{
    for (unsigned long n = 1; n < 64; n++) {
        int fds = fds_open();
        unsigned long failed_before = skvm_alloc_failures();
        skvm_alloc_fail_at(n, false);
        errno = 0;
        int r = op(c);
        int e = errno;
        skvm_alloc_fail_at(0, false);
        bool injected = skvm_alloc_failures() != failed_before;
        if (!injected) {
            if (r < 0)
                fprintf(stderr, "%s: failed %s without an injected failure\n", what, strerror(e));
            CHECK(r >= 0);
            if (r >= 0 && undo)
                undo(c);
            printf("%s: %lu allocation point(s), each failing cleanly\n", what, n - 1);
            return (unsigned)(n - 1);
        }
        if (r != -1 || e != ENOMEM)
            fprintf(stderr, "%s: allocation %lu failed but the call returned %d/%s\n", what, n, r, strerror(e));
        CHECK(r == -1 && e == ENOMEM);
        if (r >= 0 && undo)
            undo(c);
        CHECK(fds_open() == fds);   /* no fd left behind by the failed call */
        intact(c, what);
    }
    CHECK(!"operation kept allocating");
    return 0;
}

/* ---- softkvm_open and KVM_CREATE_VM ------------------------------------ */

static int max_fd;

static int track(int fd)
{
    if (fd > max_fd)
        max_fd = fd;
    return fd;
}

static int op_open(struct ctx *c)
{
    c->last_fd = track(softkvm_open(NULL, 0));
    return c->last_fd;
}

static int op_create_vm(struct ctx *c)
{
    c->last_fd = track(softkvm_ioctl(kvm, KVM_CREATE_VM, 0));
    return c->last_fd;
}

static int undo_close(struct ctx *c)
{
    return softkvm_close(c->last_fd);
}

static void intact_nothing(struct ctx *c, const char *what)
{
    (void)c;
    (void)what;
}

/* ---- KVM_CREATE_VCPU ---------------------------------------------------- */

#define MAGIC 0x1122334455667788ull

static int op_create_vcpu(struct ctx *c)
{
    c->last_fd = track(softkvm_ioctl(c->vm, KVM_CREATE_VCPU, 1));
    return c->last_fd;
}

static void intact_vm(struct ctx *c, const char *what)
{
    /* vCPU 0 is untouched and id 1 is still free (checked by the next try:
     * EEXIST would show there instead of ENOMEM/success). */
    if (get_reg(c->vcpu0, REG_X(0)) != MAGIC || get_reg(c->vcpu0, REG_PC) != 0x4000)
        fprintf(stderr, "%s: vCPU 0 registers changed\n", what);
    CHECK(get_reg(c->vcpu0, REG_X(0)) == MAGIC && get_reg(c->vcpu0, REG_PC) == 0x4000);
    struct kvm_mp_state mp;
    CHECK_RET(softkvm_ioctl(c->vcpu0, KVM_GET_MP_STATE, &mp), 0);
}

/* ---- memslots ----------------------------------------------------------- */

static struct kvm_userspace_memory_region slot(uint32_t id, uint64_t gpa, uint64_t pages, uint8_t *hva)
{
    struct kvm_userspace_memory_region mr = { id, 0, gpa, pages * (uint64_t)page, (uintptr_t)hva };
    return mr;
}

/* Does a slot cover gpa? Probe without changing anything: creating a one-page
 * slot there with an unused id is EEXIST iff something is mapped there. The
 * probe is refused before it allocates. */
static bool mapped(struct ctx *c, uint64_t gpa)
{
    struct kvm_userspace_memory_region mr = slot(99, gpa, 1, c->mem);
    if (softkvm_ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &mr) == 0) {
        mr.memory_size = 0;
        softkvm_ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &mr);
        return false;
    }
    return errno == EEXIST;
}

/* Expected map for each phase: slot 0 at 0x100000 (2 pages), slot 1 at 0x200000. */
static uint64_t slot1_gpa;
static bool slot1_present;

static void intact_slots(struct ctx *c, const char *what)
{
    bool s0 = mapped(c, 0x100000), s1 = slot1_present ? mapped(c, slot1_gpa) : false;
    bool stray = mapped(c, 0x200000) && !(slot1_present && slot1_gpa == 0x200000);
    bool stray2 = mapped(c, 0x300000) && !(slot1_present && slot1_gpa == 0x300000);
    if (!s0 || (slot1_present && !s1) || stray || stray2)
        fprintf(stderr, "%s: memslot map changed by a failed call\n", what);
    CHECK(s0 && (!slot1_present || s1) && !stray && !stray2);
}

static int op_slot0_create(struct ctx *c)
{
    struct kvm_userspace_memory_region mr = slot(0, 0x100000, 2, c->mem);
    return softkvm_ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

static void intact_empty(struct ctx *c, const char *what)
{
    if (mapped(c, 0x100000))
        fprintf(stderr, "%s: a failed create left a slot behind\n", what);
    CHECK(!mapped(c, 0x100000));
}

static int op_slot1_create(struct ctx *c)
{
    struct kvm_userspace_memory_region mr = slot(1, 0x200000, 2, c->mem + 2 * page);
    return softkvm_ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

static int op_slot1_move(struct ctx *c)
{
    struct kvm_userspace_memory_region mr = slot(1, 0x300000, 2, c->mem + 2 * page);
    return softkvm_ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

static int op_slot1_delete(struct ctx *c)
{
    struct kvm_userspace_memory_region mr = slot(1, 0x300000, 0, c->mem + 2 * page);
    return softkvm_ioctl(c->vm, KVM_SET_USER_MEMORY_REGION, &mr);
}

/* ---- the environment variable -------------------------------------------- */

static int env_child(const char *mode)
{
    /* In a fresh process the first allocation is the fd table of the first
     * softkvm_open(). */
    int ok = 1;
    if (!strcmp(mode, "1")) {
        errno = 0;
        ok &= softkvm_open(NULL, 0) == -1 && errno == ENOMEM;
        int fd = softkvm_open(NULL, 0);   /* one-shot: the next works */
        ok &= fd >= 0;
        ok &= softkvm_ioctl(fd, KVM_CREATE_VM, 0) >= 0;
    } else {   /* "2+": the second allocation and every later one fail */
        int fd = softkvm_open(NULL, 0);
        ok &= fd >= 0;
        errno = 0;
        ok &= softkvm_ioctl(fd, KVM_CREATE_VM, 0) == -1 && errno == ENOMEM;
        errno = 0;
        ok &= softkvm_ioctl(fd, KVM_CREATE_VM, 0) == -1 && errno == ENOMEM;
    }
    return ok ? 0 : 1;
}

static void env_var(const char *self)
{
    static const char *const modes[] = { "1", "2+" };
    for (unsigned i = 0; i < 2; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            setenv("SOFTKVM_FAIL_ALLOC", modes[i], 1);
            execl(self, self, "--env-child", modes[i], (char *)NULL);
            _exit(127);
        }
        int st = 0;
        waitpid(pid, &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
            fprintf(stderr, "SOFTKVM_FAIL_ALLOC=%s: child status 0x%x\n", modes[i], st);
        CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
}

/* ---- driver ----------------------------------------------------------------- */

static void all_sweeps(struct ctx *c)
{
    sweep("softkvm_open", c, op_open, intact_nothing, undo_close);   /* may not allocate at all */
    CHECK(sweep("KVM_CREATE_VM", c, op_create_vm, intact_nothing, undo_close) >= 1);
    CHECK(sweep("KVM_CREATE_VCPU", c, op_create_vcpu, intact_vm, undo_close) >= 1);
}

/* Open fds of /dev/null that keep the next fd numbers high. */
static int fill[1200], nfill;

static void push_fds(void)
{
    /* handle.c's table starts at 64 entries and doubles: it never exceeds
     * max(64, 2 * (highest fd registered + 1)). */
    int target = 2 * max_fd + 2 < 64 ? 64 : 2 * max_fd + 2;
    while (nfill < 1200) {
        int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            break;
        if (fd >= target) {
            close(fd);
            break;
        }
        fill[nfill++] = fd;
    }
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "--env-child"))
        return env_child(argv[2]);
    page = sysconf(_SC_PAGESIZE);
    kvm = softkvm_open(NULL, 0);
    CHECK(kvm >= 0);

    struct ctx c = { 0 };
    c.vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    c.vcpu0 = softkvm_ioctl(c.vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    CHECK_RET(softkvm_ioctl(c.vcpu0, KVM_ARM_VCPU_INIT, &in), 0);
    CHECK_RET(set_reg(c.vcpu0, REG_X(0), MAGIC), 0);
    CHECK_RET(set_reg(c.vcpu0, REG_PC, 0x4000), 0);
    c.mem = mmap(NULL, 8 * (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(c.mem != MAP_FAILED);

    /* vCPU creation: each successful sweep ends by creating vCPU 1 and closing
     * its fd; the vCPU itself lives on in the VM (as in Linux), so use a fresh
     * VM for the second round. */
    all_sweeps(&c);

    /* Memslots: create (first slot: one allocation), create a second one
     * (snapshot + retired list), move, delete. */
    CHECK(sweep("memslot create (first slot)", &c, op_slot0_create, intact_empty, NULL) >= 1);
    slot1_present = false;
    CHECK(sweep("memslot create", &c, op_slot1_create, intact_slots, NULL) >= 1);
    slot1_present = true;
    slot1_gpa = 0x200000;
    CHECK(sweep("memslot move", &c, op_slot1_move, intact_slots, NULL) >= 1);
    slot1_gpa = 0x300000;
    CHECK(sweep("memslot delete", &c, op_slot1_delete, intact_slots, NULL) >= 1);
    slot1_present = false;
    intact_slots(&c, "after delete");

    /* The same with the fd table forced to grow: before each operation the
     * next free fd is pushed above twice the highest softkvm fd so far, which
     * is beyond any table that covers it. */
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    if (rl.rlim_cur < 1200 && rl.rlim_max >= 1200) {
        rl.rlim_cur = 1200;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur >= 1200) {
        softkvm_close(c.vcpu0);
        softkvm_close(c.vm);
        c.vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
        c.vcpu0 = softkvm_ioctl(c.vm, KVM_CREATE_VCPU, 0);
        CHECK_RET(softkvm_ioctl(c.vcpu0, KVM_ARM_VCPU_INIT, &in), 0);
        set_reg(c.vcpu0, REG_X(0), MAGIC);
        set_reg(c.vcpu0, REG_PC, 0x4000);
        max_fd = c.vcpu0 > max_fd ? c.vcpu0 : max_fd;
        push_fds();
        CHECK(sweep("softkvm_open (fd table grows)", &c, op_open, intact_nothing, undo_close) >= 1);
        push_fds();
        CHECK(sweep("KVM_CREATE_VM (fd table grows)", &c, op_create_vm, intact_nothing, undo_close) >= 2);
        push_fds();
        CHECK(sweep("KVM_CREATE_VCPU (fd table grows)", &c, op_create_vcpu, intact_vm, undo_close) >= 2);
        for (int i = 0; i < nfill; i++)
            close(fill[i]);
    } else {
        printf("RLIMIT_NOFILE cannot reach 1200: fd-table growth not exercised\n");
    }

    env_var(argv[0]);

    softkvm_close(c.vcpu0);
    softkvm_close(c.vm);
    softkvm_close(kvm);
    munmap(c.mem, 8 * (size_t)page);
    CHECK(softkvm_fds_open() == 0);
    return check_done("test_enomem");
}
