#!/usr/bin/env python3
"""compare_abi.py - diff what the real arm64 headers and softkvm/kvm.h say.

Runs the two builds of the generated checker (gen_abi_check.py) under
qemu-aarch64 and requires every line of the real header's output to appear
identically in ours: same constants (value, size, signedness), same enum
values, same struct/union sizes, alignments, member offsets, sizes and
signedness, and every macro name defined.

It also preprocesses both headers with -dM and fails if ours defines a macro
that the real <linux/kvm.h> (with everything it includes) does not, apart from
the SOFTKVM_ prefix: a drop-in must not invent KVM_CAP_* or similar names.

Usage: compare_abi.py --qemu Q --real BIN --ours BIN --cc CC --compat DIR
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def run_checker(qemu, binary):
    r = subprocess.run([qemu, binary], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True)
    if r.returncode:
        sys.exit("%s failed (%d): %s" % (binary, r.returncode, r.stderr))
    facts = {}
    for line in r.stdout.splitlines():
        key, _, val = line.partition(" = ")
        if key in facts:
            sys.exit("duplicate fact %r in %s" % (key, binary))
        facts[key] = val
    return facts


def macro_names(cc, extra):
    with tempfile.TemporaryDirectory() as wd:
        src = os.path.join(wd, "names.c")
        with open(src, "w") as f:
            f.write("#include <linux/kvm.h>\n")
        r = subprocess.run([cc, "-E", "-dM"] + extra + [src], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode:
        sys.exit("preprocessing failed: " + r.stderr)
    return set(re.findall(r"^#define ([A-Za-z_]\w*)", r.stdout, re.M))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--real", required=True)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--compat", required=True)
    args = ap.parse_args()

    real = run_checker(args.qemu, args.real)
    ours = run_checker(args.qemu, args.ours)

    missing, differ = [], []
    for key, val in real.items():
        if key not in ours:
            missing.append(key)
        elif ours[key] != val:
            differ.append((key, val, ours[key]))
    # (a macro absent from ours shows up as "<key> MISSING" there, so as missing here)
    undefined = [k for k, v in ours.items() if k.startswith("defined ") and v == "0x0"
                 and real.get(k) == "0x1"]

    extra = sorted(n for n in macro_names(args.cc, ["-I", args.compat])
                   - macro_names(args.cc, []) if not n.startswith("SOFTKVM_"))

    kinds = {}
    for key in real:
        kind = key.split(" ", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    structs = sum(1 for k in real if k.startswith("sizeof struct ") and "." not in k
                  or k.startswith("sizeof union ") and "." not in k)
    members = sum(1 for k in real if k.startswith("offsetof "))
    print("compared %d facts: %d macro names defined, %d integer constants, "
          "%d macro invocations, %d enumerators, %d structs/unions, %d members "
          "(%d offsets, %d sizes, %d signedness)"
          % (len(real), kinds.get("defined", 0), kinds.get("const", 0),
             kinds.get("call", 0), kinds.get("enum", 0), structs, members,
             kinds.get("offsetof", 0), kinds.get("sizeof", 0) - structs
             - sum(1 for k in real if k.startswith("sizeof enum ")),
             kinds.get("signed", 0)))

    bad = False
    for key in missing + undefined:
        print("MISSING in softkvm/kvm.h: %s" % key)
        bad = True
    for key, want, got in differ:
        print("DIFFERS: %s: linux %s, softkvm %s" % (key, want, got))
        bad = True
    for name in extra:
        print("EXTRA macro only in softkvm/kvm.h: %s" % name)
        bad = True
    if bad:
        print("FAIL: %d missing, %d different, %d extra"
              % (len(missing) + len(absent) + len(undefined), len(differ), len(extra)))
        return 1
    print("PASS: every fact of the real arm64 headers is equal in softkvm/kvm.h")
    return 0


if __name__ == "__main__":
    sys.exit(main())
