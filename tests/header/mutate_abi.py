#!/usr/bin/env python3
"""mutate_abi.py - prove that the header conformance check can fail.

Copies include/softkvm/ to a scratch directory, applies one deliberate ABI
mistake at a time to the copy of kvm.h (a wrong value, a wrong type, a
missing macro, a shifted member, an invented capability, ...), rebuilds the
"ours" checker against it and runs compare_abi.py. Every mutant must be
caught, either by the checker failing to compile or by the comparison.

Usage: mutate_abi.py --cc CC --qemu Q --checker abi_check.c --real BIN --include DIR
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (what is wrong, exact text in kvm.h, replacement)
MUTANTS = [
    ("capability number",
     "#define KVM_CAP_ARM_SVE\t\t\t\t170", "#define KVM_CAP_ARM_SVE\t\t\t\t171"),
    ("constant type width (UL -> U)",
     "#define KVM_MEM_READONLY\t(1UL << 1)", "#define KVM_MEM_READONLY\t(1U << 1)"),
    ("constant signedness",
     "#define PSCI_RET_DENIED\t\t\t\t-3", "#define PSCI_RET_DENIED\t\t\t\t0xfffffffd"),
    ("member signedness",
     "\t__s32 fd;\n\t__u32 flags;\t\t/* KVM_IOEVENTFD_FLAG_* */",
     "\t__u32 fd;\n\t__u32 flags;\t\t/* KVM_IOEVENTFD_FLAG_* */"),
    ("member offsets in kvm_run",
     "\t__u8 padding1[6];\n", "\t__u8 padding1[2];\n"),
    ("missing exit reason",
     "#define KVM_EXIT_NOTIFY\t\t\t37\n", "\n"),
    ("missing function-like macro",
     "#define KVM_REG_ARM64_SVE_FFR(i) \\", "#define KVM_REG_ARM64_SVE_FFR_(i) \\"),
    ("enumerator dropped",
     "\tKVM_SEV_SEND_CANCEL,\n", "\n"),
    ("invented capability",
     "#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL\t\t223",
     "#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL\t\t223\n#define KVM_CAP_SOFTKVM_MAGIC 224"),
    ("struct alignment (vregs as __u64 pairs)",
     "\t__uint128_t vregs[32];", "\t__u64 vregs[64];"),
    ("timer register id quirk 'fixed'",
     "#define KVM_REG_ARM_TIMER_CVAL\t\tARM64_SYS_REG(3, 3, 14, 0, 2)",
     "#define KVM_REG_ARM_TIMER_CVAL\t\tARM64_SYS_REG(3, 3, 14, 3, 2)"),
    ("renamed member",
     "\t\t\t__u32 len;\n\t\t\t__u8 is_write;\n\t\t} mmio;",
     "\t\t\t__u32 length;\n\t\t\t__u8 is_write;\n\t\t} mmio;"),
    ("SVE slice mask",
     "#define KVM_ARM64_SVE_MAX_SLICES\t32", "#define KVM_ARM64_SVE_MAX_SLICES\t16"),
    ("ioctl direction",
     "#define KVM_GET_REG_LIST\t\t_IOWR(KVMIO, 0xb0, struct kvm_reg_list)",
     "#define KVM_GET_REG_LIST\t\t_IOR(KVMIO, 0xb0, struct kvm_reg_list)"),
    ("hwcap bit",
     "#define HWCAP2_SVE_EBF16\t(1UL << 33)", "#define HWCAP2_SVE_EBF16\t(1UL << 34)"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--checker", required=True)
    ap.add_argument("--real", required=True)
    ap.add_argument("--include", required=True, help="the include/softkvm directory")
    args = ap.parse_args()

    original = open(os.path.join(args.include, "kvm.h")).read()
    escaped = 0
    with tempfile.TemporaryDirectory() as wd:
        tree = os.path.join(wd, "softkvm")
        shutil.copytree(args.include, tree)
        for what, old, new in MUTANTS:
            n = original.count(old)
            if n != 1:
                print("BROKEN MUTANT %r: its text occurs %d times in kvm.h" % (what, n))
                escaped += 1
                continue
            with open(os.path.join(tree, "kvm.h"), "w") as f:
                f.write(original.replace(old, new))
            binary = os.path.join(wd, "ours_mutant")
            build = subprocess.run(
                [args.cc, "-std=gnu11", "-static", "-O0", "-w", "-DABI_CHECK_OURS",
                 "-I", os.path.join(tree, "compat"), args.checker, "-o", binary],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if build.returncode:
                print("caught (checker does not compile): %s" % what)
                continue
            cmp = subprocess.run(
                [sys.executable, os.path.join(HERE, "compare_abi.py"), "--qemu", args.qemu,
                 "--real", args.real, "--ours", binary, "--cc", args.cc,
                 "--compat", os.path.join(tree, "compat")],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
            if cmp.returncode:
                first = [l for l in cmp.stdout.splitlines()
                         if l.startswith(("MISSING", "DIFFERS", "EXTRA"))][:1]
                print("caught: %s -> %s" % (what, first[0] if first else "fail"))
            else:
                print("ESCAPED: %s" % what)
                escaped += 1
    if escaped:
        print("FAIL: %d of %d mutants not caught" % (escaped, len(MUTANTS)))
        return 1
    print("PASS: all %d mutants caught" % len(MUTANTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
