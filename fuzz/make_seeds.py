#!/usr/bin/env python3
"""make_seeds.py - writes the seed corpora fuzz/corpus/{ioctl,engine,image}/seed-*.

Each seed spells out a VMM flow in the harness's input format (fuzz/README.md)
so the fuzzer starts from sequences that reach deep states (an SVE vCPU with
its VL negotiated and finalized, a memslot map, a vCPU outliving its VM fd)
instead of discovering them. Re-run after changing an input format:
    python3 fuzz/make_seeds.py
Crash reproducers found later are added to the corpus by hand (regress-*),
never generated here.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

# fuzz_ioctl.c ops[] indices
CREATE_VM, CREATE_VCPU, INIT, FINALIZE, GET, SET, SET_VLS, REG_LIST = 0, 1, 3, 5, 6, 8, 10, 11
MEMSLOT, CHECK_EXT, ENABLE_CAP, PREFERRED, MP_STATE, EVENTS, DEV_ATTR = 12, 14, 15, 16, 17, 18, 19
SIGMASK, RUN, BAD_PTR, UNKNOWN, CLOSE, POKE, AGREE = 20, 21, 22, 23, 24, 25, 26

# INIT feature-set table indices (fuzz_ioctl.c op_init sets[])
F_NONE, F_PSCI, F_SVE, F_SVE_PSCI, F_PAUTH, F_PA_ONLY = 0, 1, 2, 3, 4, 5
F_PMU, F_POWER_OFF, F_EL1_32, F_SVE_BIT7, F_ALL = 7, 8, 9, 10, 13

HOSTS = {"qemu-max": 0, "graviton3": 1, "graviton4": 2, "a64fx": 3, "nosve": 4}


def hdr(host="qemu-max"):
    return bytes([HOSTS[host], 1])


def vm():
    return bytes([CREATE_VM, 0])


def vcpu(vm_idx=0, vid=0):
    return bytes([CREATE_VCPU, vm_idx, vid])


def init(cpu=0, fset=F_NONE):
    return bytes([INIT, cpu, 0, fset, 0, 0])


def finalize(cpu=0):
    return bytes([FINALIZE, cpu, 0, 0])


def vls_prefix(cpu, m):
    return bytes([SET_VLS, cpu, 0, m, 0])


def reg_list(cpu=0, nchoice=150):
    return bytes([REG_LIST, cpu, nchoice, 0])


def agree(cpu=0):
    return bytes([AGREE, cpu]) + bytes(range(0, 64 * 3, 3))


def get(cpu, cat_index, mode=0):
    return bytes([GET, cpu]) + struct.pack("<H", cat_index) + bytes([0, mode, 0, 0])


def set_(cpu, cat_index, value):
    return bytes([SET, cpu]) + struct.pack("<H", cat_index) + bytes([0, 0, 0, 0]) + value


def memslot(vm_idx, slot, flags, gpa_c, size_c, page_c):
    return bytes([MEMSLOT, vm_idx, slot, flags, gpa_c, size_c, page_c, 0])


def run(cpu=0, immediate=True):
    return bytes([RUN, cpu, 0 if immediate else 200, 0, 16])


def close_vm(vm_idx=0):
    return bytes([CLOSE, 0, vm_idx])


def close_vcpu(cpu=0):
    return bytes([CLOSE, 1, cpu])


IOCTL_SEEDS = {
    # A plain vCPU: INIT, list, every id read and written back.
    "plain": hdr() + vm() + vcpu() + init() + reg_list() + agree() + run(),
    # SVE negotiation on a {1,2,4} host: VL 256 bits, finalize, list, agreement.
    "sve-a64fx": hdr("a64fx") + vm() + vcpu() + init(0, F_SVE_PSCI) + vls_prefix(0, 2) + reg_list(0, 0) +
    finalize() + finalize() + reg_list() + agree() + run(),
    # Everything at once on the reference host, then re-INIT after FINALIZE.
    "sve-ptrauth-pmu": hdr() + vm() + vcpu() + init(0, F_ALL) + vls_prefix(0, 4) + finalize() + agree() +
    init(0, F_ALL) + reg_list(),
    # The sticky-bit quirk: INIT(SVE|bit7) fails, INIT() then gives an SVE vCPU.
    "sticky-sve": hdr() + vm() + vcpu() + init(0, F_SVE_BIT7) + init(0, F_NONE) + reg_list() + finalize() + agree(),
    # Refusals: lone PtrAuth bit, EL1_32BIT, PMU then run without PMU init.
    "refusals": hdr("nosve") + vm() + vcpu() + init(0, F_PA_ONLY) + init(0, F_SVE) + init(0, F_PMU) + run() +
    vcpu(0, 1) + init(1, F_EL1_32) + run(1),
    # Memslots: create, move, overlap, delete, delete again.
    "memslots": hdr() + vm() + memslot(0, 0, 0, 0, 2, 0) + memslot(0, 1, 0, 1, 1, 4) + memslot(0, 1, 0, 0, 1, 4) +
    memslot(0, 0, 1, 3, 2, 0) + memslot(0, 0, 0, 3, 0, 0) + memslot(0, 0, 0, 3, 0, 0) + memslot(0, 2, 2, 170, 1, 8),
    # A vCPU outlives its VM fd; then its own fd is closed.
    "vm-closed": hdr() + vm() + vcpu() + vcpu(0, 1) + close_vm() + init(0, F_PSCI) + reg_list() + agree() +
    close_vcpu(1) + run(0),
    # Two VMs, power-off vCPU, MP state and events.
    "mpstate": hdr("graviton3") + vm() + vm() + vcpu(1, 3) + init(0, F_POWER_OFF) + bytes([MP_STATE, 0, 0, 0, 0]) +
    bytes([MP_STATE, 0, 1, 0, 0]) + bytes([EVENTS, 0, 1, 64, 0]) + run(0, False),
    # Bad pointers and unknown requests on every fd kind.
    "badptr": hdr() + vm() + vcpu() + init() + bytes([BAD_PTR, 0, 0, 0, 0] * 4) + bytes([BAD_PTR, 1, 0, 1]) +
    bytes([UNKNOWN, 5, 1, 2, 3, 0, 2, 0]) + bytes([UNKNOWN, 200, 1, 2, 3, 4, 0, 0]),
    # Capabilities, preferred target, device attributes, signal mask.
    "misc": hdr() + vm() + bytes([CHECK_EXT, 0, 170, 0]) + bytes([ENABLE_CAP, 0, 0, 0]) + bytes(8) + bytes([0]) + bytes([PREFERRED, 0, 0]) +
    vcpu() + init(0, F_PMU) + bytes([DEV_ATTR, 0, 0]) + bytes(8) + bytes([0, 1, 0, 0, 0]) + bytes([SIGMASK, 0, 0]) +
    bytes(8) + bytes([0]),
}


def engine_seed(features, regs, code_words, pc_word_index=0, limit=200):
    """fuzz_engine.c header: features, vq, nx + (reg, value)*, mode, sp, sp_el1,
    sysreg flags (+vbar page), zcr, elr, spsr, nz, pc, pc-raw flag, limit, code."""
    b = bytes([features, 16, len(regs)])
    for r, v in regs:
        b += bytes([r]) + struct.pack("<Q", v)
    b += bytes([0, 0, 0, 1 | 4, 0, 3])      # EL1h; stacks; FPEN+ZEN, VBAR = RAM+0; ZCR LEN 3
    b += struct.pack("<H", 0) + bytes([0, 0])  # ELR, SPSR, no Z regs
    b += struct.pack("<H", pc_word_index) + bytes([0]) + struct.pack("<H", limit)
    for w in code_words:
        b += struct.pack("<I", w)
    return b


ENGINE_SEEDS = {
    # PSCI SYSTEM_OFF: movz/movk x0, hvc.
    "system-off": engine_seed(1, [], [0xd2800100, 0xf2b08000, 0xd4000002]),
    # MMIO store and load at 0x20000000, then a branch-to-self loop.
    "mmio": engine_seed(0, [(1, 0x20000000)], [0xf9000020, 0xf9400022, 0x14000000]),
    # UDF, SVC, BRK: exceptions into the (fuzzed) vector region.
    "exceptions": engine_seed(0, [], [0x00000000, 0xd4000001, 0xd4200000, 0x14000000]),
    # SVE: RDVL x0, #1; ptrue p0.b; loops.
    "sve": engine_seed(2 | 1, [], [0x04bf5020, 0x2518e3e0, 0x14000000]),
    # Exclusive pair on RAM then a store to the read-only slot (MMIO write).
    "exclusive-ro": engine_seed(0, [(1, 0x10000100), (2, 0x10100000)],
                                [0xc85f7c20, 0xc8037c20, 0xf9000041, 0xd503207f]),
    # A wild branch far outside RAM (instruction abort, vector loop).
    "wild": engine_seed(0, [(3, 0xdead0000)], [0xd61f0060]),
}


def elf(segments, entry, e_type=2, machine=183, cls=2, data=1, extra_ph=()):
    """A minimal ELF64: header, program headers, then each segment's bytes.
    segments: (paddr, bytes, memsz); extra_ph: raw (p_type, offset, filesz) entries."""
    phnum = len(segments) + len(extra_ph)
    off = 64 + 56 * phnum
    ph = b""
    body = b""
    for paddr, content, memsz in segments:
        ph += struct.pack("<IIQQQQQQ", 1, 5, off + len(body), paddr, paddr, len(content), memsz, 4)
        body += content
    for p_type, o, n in extra_ph:
        ph += struct.pack("<IIQQQQQQ", p_type, 4, o, 0, 0, n, n, 4)
    ident = b"\x7fELF" + bytes([cls, data, 1, 0]) + bytes(8)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", e_type, machine, 1, entry, 64, 0, 0, 64, 56, phnum, 0, 0, 0)
    return eh + ph + body


RAM = 0x40000000
CODE = struct.pack("<4I", 0xd2800100, 0xf2b08000, 0xd4000002, 0x14000000)
IMAGE_SEEDS = {
    "elf-one": bytes([0, 16]) + elf([(RAM, CODE, len(CODE))], RAM),
    "elf-bss": bytes([0, 16]) + elf([(RAM, CODE, 0x100), (RAM + 0x2000, b"data" * 4, 0x1000)], RAM + 4),
    "elf-note": bytes([0, 4]) + elf([(RAM + 0x1000, CODE, 16)], RAM + 0x1000, extra_ph=[(4, 0, 16)]),
    "elf-x86": bytes([0, 4]) + elf([(RAM, CODE, 16)], RAM, machine=62),
    "elf-outside": bytes([0, 1]) + elf([(RAM + 0x1000, CODE, 16)], RAM + 0x1000),
    "elf-dyn": bytes([0, 4]) + elf([(RAM, CODE, 16)], RAM, e_type=3),
    "flat": bytes([1, 8]) + struct.pack("<Q", 0x100) + CODE,
    "flat-raw": bytes([3, 8]) + struct.pack("<Q", 0xffffffffffff0000) + CODE,
}


def write(dirname, seeds):
    d = os.path.join(HERE, "corpus", dirname)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, "seed-" + name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    write("ioctl", IOCTL_SEEDS)
    write("engine", ENGINE_SEEDS)
    write("image", IMAGE_SEEDS)
