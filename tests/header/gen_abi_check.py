#!/usr/bin/env python3
"""gen_abi_check.py - turn the real arm64 <linux/kvm.h> into a C checker.

The checker, once compiled against some <linux/kvm.h>, prints one line per ABI
fact ("<kind> <name> <value>"). Built against the real arm64 headers it prints
Linux's answers; built against include/softkvm/compat it prints ours; the two
outputs are diffed by compare_abi.py.

What is extracted, from the real headers only (what <linux/kvm.h> pulls in:
linux/kvm.h, asm/kvm.h, asm/ptrace.h, asm/hwcap.h, asm/sve_context.h,
linux/psci.h, linux/ioctl.h, asm/ioctl.h, asm-generic/ioctl.h, linux/const.h):

  defined   every macro name, object- or function-like (#ifdef)
  const     every object-like macro that is an integer constant expression
            (found by compiling `_Static_assert((M) || 1, "")` for each), with
            its value, sizeof and signedness
  call      every function-like macro, through the sample invocations in
            CALLS below (a new function-like macro without samples is an error)
  enum      every enumerator's value, sizeof of every tagged enum
  struct    every struct/union: sizeof, _Alignof, and for every member at any
            depth (anonymous members flattened, named nested aggregates
            descended, arrays of anonymous aggregates through [0]) offsetof,
            sizeof and, for integer scalars/arrays, signedness

Types plumbing (linux/types.h, posix_types, bitsperlong, linux/stddef.h) is
not part of the KVM ABI and is skipped; any other header showing up in the
include tree is an error, so a change in the real header set is noticed.

Usage: gen_abi_check.py --cc aarch64-linux-gnu-gcc --out abi_check.c
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

# Header files whose contents are the ABI (path suffixes).
ABI_FILES = (
    "/linux/kvm.h", "/asm/kvm.h", "/asm/ptrace.h", "/asm/hwcap.h",
    "/asm/sve_context.h", "/linux/psci.h", "/linux/ioctl.h", "/asm/ioctl.h",
    "/asm-generic/ioctl.h", "/linux/const.h",
)
# Header files that are only integer-type plumbing (skipped on purpose).
PLUMBING_FILES = (
    "/linux/types.h", "/asm/types.h", "/asm-generic/types.h",
    "/asm-generic/int-ll64.h", "/asm/bitsperlong.h", "/asm-generic/bitsperlong.h",
    "/linux/posix_types.h", "/asm/posix_types.h", "/asm-generic/posix_types.h",
    "/linux/stddef.h", "/stdc-predef.h",
)

# Sample invocations for every function-like macro of the ABI files. Each
# argument list is pasted verbatim; results must be integer constants.
VQS = ("1", "2", "4", "16", "512")
CALLS = {
    # ioctl encoding
    "_IOC": ["3, 0xAE, 0x12, 0x345", "0U, 1, 2, 0"],
    "_IO": ["KVMIO, 0x80", "0x12, 0xff"],
    "_IOR": ["KVMIO, 0x81, struct kvm_regs", "'x', 3, int"],
    "_IOW": ["KVMIO, 0xab, struct kvm_one_reg", "'x', 3, __u64"],
    "_IOWR": ["KVMIO, 0xb0, struct kvm_reg_list", "'x', 3, char[100]"],
    "_IOR_BAD": ["KVMIO, 1, struct kvm_run"],
    "_IOW_BAD": ["KVMIO, 2, struct kvm_run"],
    "_IOWR_BAD": ["KVMIO, 3, struct kvm_run"],
    "_IOC_TYPECHECK": ["struct kvm_run", "__u16"],
    "_IOC_DIR": ["KVM_GET_REG_LIST", "0xC008AEB0U", "0x4010AEABU", "KVM_RUN"],
    "_IOC_TYPE": ["KVM_GET_REG_LIST", "0x12345678U"],
    "_IOC_NR": ["KVM_GET_REG_LIST", "0x12345678U"],
    "_IOC_SIZE": ["KVM_GET_REGS", "0xffffffffU"],
    # linux/const.h
    "__AC": ["5, UL", "7, ULL", "9, U"],
    "_AC": ["5, UL", "7, ULL"],
    "_AT": ["unsigned char, 0x1ff", "long, -3"],
    "_UL": ["3", "0xffffffff"],
    "_ULL": ["3", "0xffffffff"],
    "_BITUL": ["0", "31", "63"],
    "_BITULL": ["0", "40", "63"],
    "__ALIGN_KERNEL": ["13, 8", "16U, 16", "0x1001UL, 0x1000"],
    "__ALIGN_KERNEL_MASK": ["13, 7", "0x1001UL, 0xfffUL"],
    "__KERNEL_DIV_ROUND_UP": ["13, 4", "16, 4", "1UL, 4096"],
    # SVE geometry
    "__sve_vl_valid": ["16", "17", "8", "8192", "8208", "256"],
    "__sve_vq_from_vl": ["16", "256", "8192"],
    "__sve_vl_from_vq": list(VQS),
    "__SVE_ZREG_SIZE": list(VQS),
    "__SVE_PREG_SIZE": list(VQS),
    "__SVE_FFR_SIZE": list(VQS),
    "__SVE_ZREG_OFFSET": [v + ", 0" for v in VQS] + [v + ", 31" for v in VQS],
    "__SVE_ZREGS_SIZE": list(VQS),
    "__SVE_PREGS_OFFSET": list(VQS),
    "__SVE_PREG_OFFSET": [v + ", 0" for v in VQS] + [v + ", 15" for v in VQS],
    "__SVE_PREGS_SIZE": list(VQS),
    "__SVE_FFR_OFFSET": list(VQS),
    # ptrace regsets
    "SVE_PT_FPSIMD_SIZE": ["1, 0", "16, 1"],
    "SVE_PT_SVE_ZREG_SIZE": list(VQS),
    "SVE_PT_SVE_PREG_SIZE": list(VQS),
    "SVE_PT_SVE_FFR_SIZE": list(VQS),
    "SVE_PT_SVE_ZREG_OFFSET": [v + ", 3" for v in VQS],
    "SVE_PT_SVE_ZREGS_SIZE": list(VQS),
    "SVE_PT_SVE_PREGS_OFFSET": list(VQS),
    "SVE_PT_SVE_PREG_OFFSET": [v + ", 7" for v in VQS],
    "SVE_PT_SVE_PREGS_SIZE": list(VQS),
    "SVE_PT_SVE_FFR_OFFSET": list(VQS),
    "SVE_PT_SVE_FPSR_OFFSET": list(VQS),
    "SVE_PT_SVE_FPCR_OFFSET": list(VQS),
    "SVE_PT_SVE_SIZE": [v + ", SVE_PT_REGS_SVE" for v in VQS],
    "SVE_PT_SIZE": [v + ", SVE_PT_REGS_SVE" for v in VQS]
                   + [v + ", SVE_PT_REGS_FPSIMD" for v in VQS] + ["4, 2", "4, 3"],
    "ZA_PT_ZAV_OFFSET": ["1, 0", "4, 3", "16, 255"],
    "ZA_PT_ZA_SIZE": list(VQS),
    "ZA_PT_SIZE": list(VQS),
    # PSCI
    "PSCI_0_2_FN": ["0", "8", "19"],
    "PSCI_0_2_FN64": ["3", "18"],
    "PSCI_VERSION_MAJOR": ["0x10001", "0x20000", "0xffffffffU"],
    "PSCI_VERSION_MINOR": ["0x10001", "0x20000", "0xffffffffU"],
    "PSCI_VERSION": ["0, 2", "1, 1", "0x7fff, 0x12345"],
    # KVM arm64 register ids
    "KVM_REG_SIZE": ["KVM_REG_SIZE_U8", "KVM_REG_SIZE_U64", "KVM_REG_SIZE_U2048",
                     "KVM_REG_ARM64_SVE_VLS", "0x6030000000100000ULL"],
    "KVM_REG_ARM_CORE_REG": [
        "regs.regs[0]", "regs.regs[30]", "regs.sp", "regs.pc", "regs.pstate",
        "sp_el1", "elr_el1", "spsr[0]", "spsr[KVM_SPSR_FIQ]",
        "fp_regs.vregs[0]", "fp_regs.vregs[31]", "fp_regs.fpsr", "fp_regs.fpcr"],
    "ARM64_SYS_REG_SHIFT_MASK": ["3, OP0", "7, OP1", "15, CRN", "15, CRM", "7, OP2",
                                 "0x1ff, CRN"],
    "__ARM64_SYS_REG": ["3, 0, 1, 0, 0", "3, 3, 14, 3, 2", "2, 0, 0, 0, 4"],
    "ARM64_SYS_REG": ["3, 0, 1, 0, 0", "3, 0, 0, 4, 4", "3, 3, 14, 0, 2",
                      "3, 3, 9, 12, 0"],
    "KVM_REG_ARM_FW_REG": ["0", "3", "0x12345"],
    "KVM_REG_ARM_FW_FEAT_BMAP_REG": ["0", "2", "0x1ffff"],
    "KVM_REG_ARM64_SVE_ZREG": ["0, 0", "31, 0", "5, 1", "32, 33"],
    "KVM_REG_ARM64_SVE_PREG": ["0, 0", "15, 0", "16, 31"],
    "KVM_REG_ARM64_SVE_FFR": ["0", "1", "32"],
    "KVM_PSCI_FN": ["0", "3"],
    "KVM_VM_TYPE_ARM_IPA_SIZE": ["0", "48", "0x12345"],
    "KVM_S390_INT_IO": ["1, 2, 3, 4", "0, 0xff, 3, 0xffff"],
}

TOKEN_RE = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*')
  | (?P<id>[A-Za-z_]\w*)
  | (?P<num>\.?\d(?:[\w.]|[eEpP][+-])*)
  | (?P<punct>\.\.\.|->|<<|>>|<=|>=|==|!=|&&|\|\||[^\s\w])
""", re.X)


def die(msg):
    sys.stderr.write("gen_abi_check: %s\n" % msg)
    sys.exit(1)


def run(cmd, src):
    return subprocess.run(cmd + [src], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, universal_newlines=True)


def classify(path):
    if any(path.endswith(s) for s in ABI_FILES):
        return "abi"
    if any(path.endswith(s) for s in PLUMBING_FILES):
        return "plumbing"
    if path in ("<built-in>", "<command-line>") or not path.endswith(".h"):
        return "self"
    return None


def linemarker(line):
    m = re.match(r'#\s*(\d+)\s+"([^"]*)"', line)
    return m.group(2) if m else None


def collect_macros(cc, probe):
    """Macros defined by ABI files: {name: (params or None)}, in order."""
    r = run([cc, "-E", "-dD"], probe)
    if r.returncode:
        die("preprocessing failed:\n" + r.stderr)
    macros, cur = {}, None
    for line in r.stdout.splitlines():
        f = linemarker(line)
        if f is not None:
            cur = f
            if classify(f) is None:
                die("unclassified header in the include tree: %s" % f)
            continue
        m = re.match(r"#define ([A-Za-z_]\w*)(\(([^)]*)\))?", line)
        if m and cur and classify(cur) == "abi":
            params = None if m.group(2) is None else m.group(3)
            macros[m.group(1)] = params
        m = re.match(r"#undef ([A-Za-z_]\w*)", line)
        if m and cur and classify(cur) == "abi":
            macros.pop(m.group(1), None)
    return macros


def integer_constants(cc, names, workdir):
    """The subset of object-like macro names that are integer constant exprs."""
    left = list(names)
    path = os.path.join(workdir, "ice_probe.c")
    for _ in range(10):
        with open(path, "w") as f:
            f.write("#include <linux/kvm.h>\n")
            for n in left:
                f.write('_Static_assert((%s) || 1, "");\n' % n)
        r = run([cc, "-std=gnu11", "-fsyntax-only", "-w", "-fmax-errors=0",
                 "-ftrack-macro-expansion=0"], path)
        if r.returncode == 0:
            return left
        bad = set()
        for m in re.finditer(r"ice_probe\.c:(\d+):\d+: error", r.stderr):
            bad.add(int(m.group(1)) - 2)
        if not bad:
            die("constant probe failed without a line to blame:\n" + r.stderr)
        left = [n for i, n in enumerate(left) if i not in bad]
    die("constant probe did not converge")


def tokens_with_files(cc, probe):
    r = run([cc, "-E"], probe)
    if r.returncode:
        die("preprocessing failed:\n" + r.stderr)
    out, cur = [], None
    for line in r.stdout.splitlines():
        f = linemarker(line)
        if f is not None:
            cur = f
            continue
        for m in TOKEN_RE.finditer(line):
            if m.lastgroup != "ws":
                out.append((m.group(), cur))
    return out


class Parser:
    """Just enough of C declarations to list aggregates, members, enumerators."""

    def __init__(self, toks):
        self.t = [x for x, _ in toks]
        self.f = [f for _, f in toks]
        self.aggregates = []   # (kind "struct"/"union", tag, members)
        self.enums = []        # (tag or None, [enumerator names])

    def skip_attr(self, i):
        while i < len(self.t) and self.t[i] in ("__attribute__", "__extension__"):
            if self.t[i] == "__extension__":
                i += 1
                continue
            i = self.match(i + 1) + 1
        return i

    def match(self, i):
        """Index of the bracket closing the one at i."""
        pairs = {"(": ")", "[": "]", "{": "}"}
        open_, close = self.t[i], pairs[self.t[i]]
        depth = 0
        while i < len(self.t):
            if self.t[i] == open_:
                depth += 1
            elif self.t[i] == close:
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        die("unbalanced %s" % open_)

    def run(self):
        i = 0
        while i < len(self.t):
            i = self.skip_attr(i)
            if i >= len(self.t):
                break
            abi = classify(self.f[i] or "") == "abi"
            if self.t[i] in ("struct", "union", "enum"):
                j = self.skip_attr(i + 1)
                tag = None
                if re.match(r"[A-Za-z_]", self.t[j]):
                    tag, j = self.t[j], j + 1
                j = self.skip_attr(j)
                if self.t[j] == "{":
                    end = self.match(j)
                    if self.t[i] == "enum":
                        if abi:
                            self.enums.append((tag, self.enumerators(j + 1, end)))
                    else:
                        members = self.body(j + 1, end)
                        if abi:
                            self.aggregates.append((self.t[i], tag, members))
                    i = end + 1
                    continue
            if self.t[i] == "typedef" and abi:
                k = i
                while self.t[k] != ";":
                    if self.t[k] == "{":
                        die("typedef'd aggregate in an ABI header: not handled")
                    k += 1
            # skip to the end of this top-level declaration
            while i < len(self.t) and self.t[i] != ";":
                i = self.match(i) + 1 if self.t[i] in "({[" else i + 1
            i += 1

    def enumerators(self, i, end):
        names, expect = [], True
        depth = 0
        while i < end:
            tok = self.t[i]
            if tok in "([{":
                depth += 1
            elif tok in ")]}":
                depth -= 1
            elif tok == "," and depth == 0:
                expect = True
            elif expect and depth == 0:
                names.append(tok)
                expect = False
            i += 1
        return names

    def body(self, i, end):
        """Member declarations between braces: list of dicts."""
        members = []
        while i < end:
            j, depth = i, 0
            while j < end and not (self.t[j] == ";" and depth == 0):
                if self.t[j] in "({[":
                    depth += 1
                elif self.t[j] in ")}]":
                    depth -= 1
                j += 1
            decl = list(range(i, j))
            if decl:
                members.append(self.member(decl))
            i = j + 1
        return members

    def member(self, idx):
        t = [self.t[k] for k in idx]
        k = 0
        while t[k] in ("__extension__", "const", "volatile"):
            k += 1
        if t[k] in ("struct", "union"):
            b = k + 1
            tag = None
            if re.match(r"[A-Za-z_]", t[b]):
                tag, b = t[b], b + 1
            if b < len(t) and t[b] == "{":
                close = self.match(idx[b]) - idx[0]
                inner = self.body(idx[b] + 1, idx[close])
                if tag:
                    self.aggregates.append((t[k], tag, inner))
                return {"kind": "aggregate", "members": inner,
                        "decls": self.declarators(t[close + 1:], first_has_type=False)}
        return {"kind": "scalar", "type": t, "decls": self.declarators(t, True)}

    @staticmethod
    def declarators(t, first_has_type):
        segs, cur, depth = [], [], 0
        for tok in t:
            if tok in "([":
                depth += 1
            elif tok in ")]":
                depth -= 1
            if tok == "," and depth == 0:
                segs.append(cur)
                cur = []
            else:
                cur.append(tok)
        if cur:
            segs.append(cur)
        out = []
        for s in segs:
            stop = len(s)
            for n, tok in enumerate(s):
                if tok in ("[", ":"):
                    stop = n
                    break
            names = [x for x in s[:stop] if re.match(r"[A-Za-z_]\w*$", x)]
            if not names:
                continue
            dims, n = [], stop
            while n < len(s) and s[n] == "[":
                close = n + s[n:].index("]")
                dims.append(" ".join(s[n + 1:close]))
                n = close + 1
            out.append({"name": names[-1], "ptr": "*" in s[:stop], "dims": dims,
                        "bitfield": ":" in s})
        return out


def member_rows(agg, members, prefix, rows):
    """Rows for every member path of aggregate type agg ("struct x")."""
    count = 0
    for m in members:
        if m["kind"] == "aggregate" and not m["decls"]:
            count += member_rows(agg, m["members"], prefix, rows)
            continue
        for d in m["decls"]:
            path = prefix + d["name"]
            lv = "((%s *)0)->%s" % (agg, path)
            count += 1
            if d["bitfield"]:
                rows.append(("sizeof-bitfield-skipped", "%s.%s" % (agg, path), "0"))
                continue
            rows.append(("offsetof", "%s.%s" % (agg, path),
                         "__builtin_offsetof(%s, %s)" % (agg, path)))
            flex = any(x == "" for x in d["dims"])
            if not flex:
                rows.append(("sizeof", "%s.%s" % (agg, path), "sizeof(%s)" % lv))
            if m["kind"] == "aggregate":
                sub = path + "[0]" * len(d["dims"]) + "."
                count += member_rows(agg, m["members"], sub, rows)
                continue
            typ = m["type"]
            if d["ptr"] or any(x in typ for x in ("struct", "union", "enum", "float",
                                                  "double", "void")):
                continue
            elem = lv + "[0]" * len(d["dims"])
            rows.append(("signed", "%s.%s" % (agg, path),
                         "((__typeof__(%s))-1 < 0)" % elem))
    return count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as wd:
        probe = os.path.join(wd, "probe.c")
        with open(probe, "w") as f:
            f.write("#include <linux/kvm.h>\n")
        macros = collect_macros(args.cc, probe)
        objlike = [n for n, p in macros.items() if p is None]
        funclike = [n for n, p in macros.items() if p is not None]
        consts = integer_constants(args.cc, objlike, wd)
        parser = Parser(tokens_with_files(args.cc, probe))
        parser.run()

    missing = [n for n in funclike if n not in CALLS]
    if missing:
        die("function-like macros without sample invocations in CALLS: "
            + ", ".join(missing))
    stale = [n for n in CALLS if n not in macros]
    if stale:
        die("CALLS lists macros the real headers do not define: " + ", ".join(stale))

    rows = []  # (kind, name, C expression)
    for n in macros:
        rows.append(("defined", n, None))
    for n in consts:
        rows.append(("const", n, n))
    ncalls = 0
    for n in funclike:
        for a in CALLS[n]:
            rows.append(("call", "%s(%s)" % (n, a), "%s(%s)" % (n, a)))
            ncalls += 1
    nenum = 0
    for tag, names in parser.enums:
        if tag:
            rows.append(("sizeof", "enum " + tag, "sizeof(enum %s)" % tag))
        for n in names:
            rows.append(("enum", n, n))
            nenum += 1
    nmembers = 0
    for kind, tag, members in parser.aggregates:
        agg = "%s %s" % (kind, tag)
        rows.append(("sizeof", agg, "sizeof(%s)" % agg))
        rows.append(("alignof", agg, "_Alignof(%s)" % agg))
        nmembers += member_rows(agg, members, "", rows)

    with open(args.out, "w") as f:
        f.write(CHECKER_HEAD)
        for kind, name, expr in rows:
            label = "%s %s" % (kind, name)
            cname = '"%s"' % label.replace("\\", "\\\\").replace('"', '\\"')
            if kind == "defined":
                f.write("#ifdef %s\n\tDEF(%s, 1),\n#else\n\tDEF(%s, 0),\n#endif\n"
                        % (name, cname, cname))
            elif kind in ("const", "call"):
                macro = name.split("(")[0]
                f.write("#ifdef %s\n\tVAL(%s, %s),\n#else\n\tDEF(%s \" MISSING\", 0),\n"
                        "#endif\n" % (macro, cname, expr, cname))
            elif kind in ("enum",):
                f.write("\tVAL(%s, %s),\n" % (cname, expr))
            elif kind == "sizeof-bitfield-skipped":
                continue
            else:
                f.write("\tDEF(%s, %s),\n" % (cname, expr))
        f.write(CHECKER_TAIL)
        f.write("/* counts: macros=%d consts=%d calls=%d enumerators=%d "
                "aggregates=%d members=%d */\n"
                % (len(macros), len(consts), ncalls, nenum, len(parser.aggregates),
                   nmembers))
    sys.stdout.write("gen_abi_check: %d macros (%d integer constants), %d macro "
                     "calls, %d enumerators, %d structs/unions, %d members\n"
                     % (len(macros), len(consts), ncalls, nenum,
                        len(parser.aggregates), nmembers))


CHECKER_HEAD = r"""/* Generated by tests/header/gen_abi_check.py - do not edit. */
/* Linux's KVM_REG_ARM_CORE_REG() needs offsetof from the user's <stddef.h> */
#include <stddef.h>
#include <linux/kvm.h>

/* the build against softkvm must see softkvm's header and nothing of Linux's */
#if defined(ABI_CHECK_OURS) && !defined(SOFTKVM_KVM_H)
#error "ABI_CHECK_OURS build did not pick up softkvm/kvm.h"
#endif
#if defined(ABI_CHECK_OURS) && defined(_LINUX_TYPES_H)
#error "ABI_CHECK_OURS build pulled in the system <linux/types.h>"
#endif
#if !defined(ABI_CHECK_OURS) && defined(SOFTKVM_KVM_H)
#error "real-header build picked up softkvm/kvm.h"
#endif

#include <stdio.h>

struct row {
	const char *name;
	unsigned long long value;
	unsigned size;		/* 0: not an expression value */
	int is_signed;
};

#define DEF(n, v) { n, (unsigned long long)(v), 0, 0 }
#define VAL(n, e) { n, (unsigned long long)(e), sizeof(e), ((__typeof__(e))-1 < 0) }

static const struct row rows[] = {
"""

CHECKER_TAIL = r"""};

int main(void)
{
	for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (rows[i].size)
			printf("%s = 0x%llx size=%u signed=%d\n", rows[i].name,
			       rows[i].value, rows[i].size, rows[i].is_signed);
		else
			printf("%s = 0x%llx\n", rows[i].name, rows[i].value);
	}
	return 0;
}
"""

if __name__ == "__main__":
    main()
