/*
 * softkvm.h - entry points of libsoftkvm.
 *
 * softkvm implements the Linux arm64 KVM ioctl API in user space. A program that
 * would open("/dev/kvm") and ioctl() on the returned descriptors calls
 * softkvm_open() and softkvm_ioctl() instead (or runs under libsoftkvm-preload.so,
 * which does that substitution for unmodified programs). Every softkvm object is a
 * real kernel file descriptor (a memfd), so descriptor numbers never collide with
 * the program's own, and mmap() of a vCPU descriptor returns its live kvm_run page.
 *
 * The ABI itself (ioctl numbers, structs, register ids) is in <softkvm/kvm.h>.
 */
#ifndef SOFTKVM_SOFTKVM_H
#define SOFTKVM_SOFTKVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Open the softkvm "system" object, the equivalent of open("/dev/kvm", flags).
 * path is accepted for symmetry with open(2) and ignored (NULL is fine).
 * Returns a new fd, or -1 with errno set (ENOMEM, EMFILE, ENFILE).
 */
int softkvm_open(const char *path, int flags);

/*
 * ioctl(2) on a softkvm fd: returns what the Linux 6.1 arm64 ioctl would,
 * i.e. >= 0 on success, or -1 with errno. An fd that is not a softkvm object
 * gives -1/EBADF (use softkvm_is_fd() first when both kinds are mixed).
 */
int softkvm_ioctl(int fd, unsigned long request, ...);

/* close(2) for a softkvm fd. Objects live on while other fds (a vCPU's VM) refer to them. */
int softkvm_close(int fd);

/* True if fd currently refers to a softkvm object. */
bool softkvm_is_fd(int fd);

/*
 * softkvm_dup_notify: the caller duplicated softkvm fd oldfd as newfd (dup/dup2/
 * fcntl(F_DUPFD)); make newfd refer to the same object. Used by the preload shim.
 * Returns 0 or -1 with errno (EBADF).
 */
int softkvm_dup_notify(int oldfd, int newfd);

/*
 * Host profile: what the emulated arm64 host offers. KVM_CHECK_EXTENSION, the
 * SVE vector-length set (KVM_REG_ARM64_SVE_VLS), INIT feature checks and ID
 * register values follow it exactly as real KVM would on such a machine.
 *
 * The profile in force is read when a VM is created (KVM_CREATE_VM), so a change
 * affects VMs created afterwards. At start-up it comes from the environment
 * variable SOFTKVM_HOST (a preset name, optionally followed by ",key=value"
 * overrides, e.g. "qemu-max", "graviton3", "qemu-max,sve=1-4", "nosve,pmu=off"),
 * else the "qemu-max" preset.
 */
struct softkvm_host_profile {
    uint32_t sve_vqs;      /* bit (vq-1) set: host supports SVE VQ vq (1..16); 0 = no SVE */
    bool ptrauth;          /* address + generic pointer authentication */
    bool pmu;              /* PMUv3 usable by guests */
    bool el1_32bit;        /* AArch32 at EL1 (KVM_CAP_ARM_EL1_32BIT) */
    unsigned ipa_bits;     /* KVM_CAP_ARM_VM_IPA_SIZE: 32..48 */
    unsigned nr_cpus;      /* online host CPUs (KVM_CAP_NR_VCPUS) */
    char name[32];         /* preset name, informational */
};

/* Fill *out with the named preset. Returns 0 or -1/EINVAL (unknown name). */
int softkvm_host_preset(const char *name, struct softkvm_host_profile *out);

/*
 * Parse a SOFTKVM_HOST-style specification ("preset[,key=value...]") into *out.
 * Returns 0, or -1/EINVAL with a one-line reason in err (if errlen > 0).
 */
int softkvm_host_parse(const char *spec, struct softkvm_host_profile *out, char *err, size_t errlen);

/* Install *p as the profile for VMs created from now on. -1/EINVAL if invalid. */
int softkvm_set_host_profile(const struct softkvm_host_profile *p);

/* Copy the profile in force into *out. */
void softkvm_get_host_profile(struct softkvm_host_profile *out);

/* Names of the presets, NULL-terminated, and a one-line description of each. */
const char *const *softkvm_host_preset_names(void);
const char *softkvm_host_preset_description(const char *name);

/*
 * Explanations: when enabled (SOFTKVM_EXPLAIN=1 in the environment, or this call),
 * every failing ioctl prints one line to stderr naming the rule that refused it.
 */
void softkvm_set_explain(bool on);

/*
 * Statistics of a vCPU fd (for VMMs and benchmarks; no KVM equivalent).
 * Returns 0 or -1/EBADF if fd is not a vCPU.
 */
struct softkvm_vcpu_stats {
    uint64_t insns_retired;   /* guest instructions executed */
    uint64_t exits_mmio, exits_system_event, exits_intr, exits_other;
    uint64_t runs;            /* KVM_RUN calls that entered the guest */
};
int softkvm_vcpu_stats(int vcpu_fd, struct softkvm_vcpu_stats *out);

/*
 * Instruction trace of a vCPU (also enabled by SOFTKVM_TRACE=1 for every vCPU):
 * PC, disassembly and changed registers, one line per instruction, to stderr.
 */
int softkvm_vcpu_set_trace(int vcpu_fd, bool on);

/*
 * Bound the guest instructions one KVM_RUN may execute (0 = unbounded, the
 * default). When the budget runs out KVM_RUN returns -1/EINTR with
 * exit_reason KVM_EXIT_INTR, as if a signal had arrived.
 */
int softkvm_vcpu_set_insn_limit(int vcpu_fd, uint64_t max_insns);

#ifdef __cplusplus
}
#endif
#endif
