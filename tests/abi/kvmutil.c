/*
 * kvmutil.c - small helpers over the KVM API (kvm_open / kvm_ioctl / kvm_close only).
 *
 * Every helper returns what the ioctl returned, or -errno, so callers can print the errno
 * name exactly as the data records it. Also: errno names, VLS formatting, and a few
 * compile-time checks that our register-id constants equal the header's own macros.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "abi.h"

/* Our constants must agree with the uapi header in use (linux/kvm.h or softkvm/kvm.h). */
_Static_assert(REG_SVE_VLS == KVM_REG_ARM64_SVE_VLS, "VLS id");
_Static_assert(REG_SVE_Z(1, 0) == KVM_REG_ARM64_SVE_ZREG(1, 0), "Z id");
_Static_assert(REG_SVE_P(15, 0) == KVM_REG_ARM64_SVE_PREG(15, 0), "P id");
_Static_assert(REG_SVE_FFR(0) == KVM_REG_ARM64_SVE_FFR(0), "FFR id");
_Static_assert(REG_ZCR_EL1 == ARM64_SYS_REG(3, 0, 1, 2, 0), "sysreg encoding");
_Static_assert(REG_FW_PSCI == KVM_REG_ARM_PSCI_VERSION, "fw PSCI id");
_Static_assert(ABI_FINALIZE_SVE == KVM_ARM_VCPU_SVE, "KVM_ARM_VCPU_SVE");
_Static_assert(F_PTRAUTH_GEN == 1u << KVM_ARM_VCPU_PTRAUTH_GENERIC, "feature bits");
_Static_assert(REG_PC == (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE |
                          KVM_REG_ARM_CORE_REG(regs.pc)), "core id");

const char *abi_errname(int err)
{
    static char other[16];

    switch (err) {
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENXIO: return "ENXIO";
    case E2BIG: return "E2BIG";
    case ENOEXEC: return "ENOEXEC";
    case EBADF: return "EBADF";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EBUSY: return "EBUSY";
    case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ENOSPC: return "ENOSPC";
    case ENOSYS: return "ENOSYS";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case ERANGE: return "ERANGE";
    default:
        snprintf(other, sizeof(other), "E%d", err);
        return other;
    }
}

void abi_fmt_ret(char *out, size_t n, int ret)
{
    if (ret >= 0)
        snprintf(out, n, "%d", ret);
    else
        snprintf(out, n, "%s", abi_errname(-ret));
}

int abi_kvm_call(int fd, unsigned long req, void *arg)
{
    int r = kvm_ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

int abi_kvm_callv(int fd, unsigned long req, unsigned long arg)
{
    int r = kvm_ioctl(fd, req, arg);

    return r < 0 ? -errno : r;
}

int abi_sys_fd(void)
{
    static int fd = -1;

    if (fd < 0) {
        fd = kvm_open();
        if (fd < 0) {
            fd = -errno;
            abi_report_fail("-", 0, "open /dev/kvm", "%s", strerror(errno));
            exit(2);
        }
    }
    return fd;
}

int abi_vm_create(void)
{
    return abi_kvm_callv(abi_sys_fd(), KVM_CREATE_VM, 0);
}

int abi_vcpu_create(int vm, unsigned id)
{
    return abi_kvm_callv(vm, KVM_CREATE_VCPU, id);
}

uint32_t abi_preferred_target(void)
{
    static bool done;
    static uint32_t target;

    if (!done) {
        struct kvm_vcpu_init init;
        int vm = abi_vm_create();

        memset(&init, 0, sizeof(init));
        if (vm >= 0 && abi_kvm_call(vm, KVM_ARM_PREFERRED_TARGET, &init) == 0)
            target = init.target;
        if (vm >= 0)
            kvm_close(vm);
        done = true;
    }
    return target;
}

int abi_vcpu_init(int vcpu, uint32_t target, uint32_t features0, uint32_t features1)
{
    struct kvm_vcpu_init init;

    memset(&init, 0, sizeof(init));
    init.target = target;
    init.features[0] = features0;
    init.features[1] = features1;
    return abi_kvm_call(vcpu, KVM_ARM_VCPU_INIT, &init);
}

int abi_reg_get(int vcpu, uint64_t id, void *buf)
{
    struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)buf };

    return abi_kvm_call(vcpu, KVM_GET_ONE_REG, &r);
}

int abi_reg_set(int vcpu, uint64_t id, const void *buf)
{
    struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)buf };

    return abi_kvm_call(vcpu, KVM_SET_ONE_REG, &r);
}

int abi_reg_get64(int vcpu, uint64_t id, uint64_t *val)
{
    *val = 0;
    return abi_reg_get(vcpu, id, val);
}

int abi_reg_set64(int vcpu, uint64_t id, uint64_t val)
{
    return abi_reg_set(vcpu, id, &val);
}

int abi_vcpu_finalize(int vcpu, int what)
{
    return abi_kvm_call(vcpu, KVM_ARM_VCPU_FINALIZE, &what);
}

size_t abi_reg_size(uint64_t id)
{
    return (size_t)1 << ((id >> 52) & 0xf);
}

void abi_hex_bytes(char *out, const void *buf, size_t len)
{
    const unsigned char *b = buf;

    for (size_t i = 0; i < len; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
    out[2 * len] = '\0';
}

void abi_close_fd(int *fd)
{
    if (*fd >= 0)
        kvm_close(*fd);
    *fd = -1;
}

static bool vq_in(const uint64_t w[8], unsigned vq)
{
    return (w[(vq - 1) / 64] >> ((vq - 1) % 64)) & 1;
}

void abi_vls_format_set(char *out, size_t n, const uint64_t w[8])
{
    size_t len = 0;

    out[0] = '\0';
    for (unsigned vq = 1; vq <= 512; vq++) {
        unsigned end = vq;

        if (!vq_in(w, vq))
            continue;
        while (end < 512 && vq_in(w, end + 1))
            end++;
        if (end > vq)
            len += (size_t)snprintf(out + len, n - len, "%s%u-%u", len ? "," : "", vq, end);
        else
            len += (size_t)snprintf(out + len, n - len, "%s%u", len ? "," : "", vq);
        if (len >= n)
            return;
        vq = end;
    }
    if (!len)
        snprintf(out, n, "{}");
}

void abi_vls_format_words(char *out, size_t n, const uint64_t w[8])
{
    size_t len = 0;

    for (int i = 0; i < 8 && len < n; i++)
        len += (size_t)snprintf(out + len, n - len, "%s%" PRIx64, i ? ":" : "", w[i]);
}

int abi_vls_parse_words(const char *s, uint64_t w[8])
{
    for (int i = 0; i < 8; i++) {
        char *end;

        w[i] = strtoull(s, &end, 16);
        if (end == s || (i < 7 && *end != ':') || (i == 7 && *end))
            return -1;
        s = end + 1;
    }
    return 0;
}
