/*
 * test_explain.c - SOFTKVM_EXPLAIN: a refused ioctl prints exactly one line
 * naming the ioctl, the register, the errno and the rule; nothing is printed
 * while explanations are off or when an ioctl succeeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "softkvm/kvm.h"
#include "softkvm/softkvm.h"

/* Run fn with stderr captured into buf. */
static void capture(void (*fn)(int), int arg, char *buf, size_t len)
{
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    dup2(fileno(tmp), 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(tmp);
    size_t n = fread(buf, 1, len - 1, tmp);
    buf[n] = 0;
    fclose(tmp);
}

static void vls_after_finalize(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0), vcpu = softkvm_ioctl(vm, KVM_CREATE_VCPU, 0);
    struct kvm_vcpu_init in = { .target = KVM_ARM_TARGET_GENERIC_V8 };
    in.features[0] = 1u << KVM_ARM_VCPU_SVE;
    softkvm_ioctl(vcpu, KVM_ARM_VCPU_INIT, &in);
    int what = KVM_ARM_VCPU_SVE;
    softkvm_ioctl(vcpu, KVM_ARM_VCPU_FINALIZE, &what);
    uint64_t vls[8] = { 1 };
    struct kvm_one_reg r = { KVM_REG_ARM64_SVE_VLS, (uintptr_t)vls };
    softkvm_ioctl(vcpu, KVM_SET_ONE_REG, &r);
    softkvm_close(vcpu);
    softkvm_close(vm);
}

/* A memslot reaching past the user address space (Linux: access_ok). */
static void memslot_beyond_user(int kvm)
{
    int vm = softkvm_ioctl(kvm, KVM_CREATE_VM, 0);
    struct kvm_userspace_memory_region mr = { 0, 0, 0x100000, 0x2000, (1ull << 48) - 0x1000 };
    softkvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr);
    softkvm_close(vm);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

int main(void)
{
    int kvm = softkvm_open("/dev/kvm", 0);
    char out[4096];

    softkvm_set_explain(false);
    capture(vls_after_finalize, kvm, out, sizeof out);
    CHECK(out[0] == 0);

    softkvm_set_explain(true);
    capture(vls_after_finalize, kvm, out, sizeof out);
    CHECK(count_lines(out) == 1);
    CHECK(strstr(out, "KVM_SET_ONE_REG(KVM_REG_ARM64_SVE_VLS): EPERM: vCPU 0 is finalized") != NULL);
    CHECK(strstr(out, "before KVM_ARM_VCPU_FINALIZE") != NULL);
    if (check_failures)
        fprintf(stderr, "captured: %s\n", out);

    capture(memslot_beyond_user, kvm, out, sizeof out);
    CHECK(count_lines(out) == 1);
    CHECK(strstr(out, "KVM_SET_USER_MEMORY_REGION: EINVAL: userspace_addr 0xfffffffff000 + memory_size 0x2000 "
                      "is not user address space") != NULL);
    if (check_failures)
        fprintf(stderr, "captured: %s\n", out);
    softkvm_close(kvm);
    return check_done("test_explain");
}
