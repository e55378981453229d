#!/usr/bin/env python3
"""gen_cases.py - random, reproducible instruction sequences for the differential test.

Each case is a short A64 sequence ending in "brk #0x777", an initial register
state (X0-X30, SP, NZCV, V0-V31, FPCR/FPSR) and a 1 KiB data buffer at
DIFF_DATA; see diff_format.h for the binary layout. Classes:

  dp       data processing: random field values of every dp_imm/dp_reg row of
           src/engine/isa/a64.isa (so unallocated field combinations are in
           the mix), plus random words of the data-processing groups
  branch   B/BL/B.cond/CBZ/TBZ/BR/BLR/RET in forward, backward and call shapes
  ldst     every load/store addressing mode, sizes, sign extension, pairs,
           literals, with aligned and unaligned addresses inside the buffer
  atomic   exclusives (success and failure), acquire/release, RCpc, LSE
           atomics, CAS/CASP, with aligned and unaligned addresses
  fpsimd   SIMD&FP moves (random fields) and SIMD&FP loads/stores
  system   NZCV/flag manipulation, hints, barriers, DC ZVA and cache ops,
           RNDR/RNDRRS (NZCV and "two reads differ" only)

(plus the FP/SIMD classes of gen_fpsimd.py and the crypto class of gen_crypto.py)

Register values come from a pool of edge values (0, 1, -1, INT_MIN, INT_MAX
in 32 and 64 bits, shift-width values, ...) and random numbers; the seed makes
everything reproducible. The sequences are assembled with the cross assembler.
"""

import argparse
import os
import random
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'scripts'))
import gen_decode  # noqa: E402

DIFF_CODE = 0x41000000
DIFF_DATA = 0x40000000
DIFF_BUF = 1024
CODE_WORDS = 64
MAGIC = 0x46464944
CASE_FMT = '<31QQQQQ512sII%dI%ds' % (CODE_WORDS, DIFF_BUF)

EDGE = [0, 1, 2, 0xffffffffffffffff, 0x8000000000000000, 0x7fffffffffffffff, 0x80000000, 0x7fffffff,
        0xffffffff, 0x100000000, 0xffffffff80000000, 0xff, 0x80, 0x7f, 0xffff, 0x8000, 31, 32, 63, 64,
        65, 0xfffffffffffffffe, 0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x00000000ffffffff]


def rval(rng):
    k = rng.random()
    if k < 0.35:
        return rng.choice(EDGE)
    if k < 0.5:
        return rng.randrange(0, 256)
    if k < 0.6:
        return (1 << 64) - rng.randrange(1, 256)
    return rng.getrandbits(64)


class Case:
    def __init__(self, rng):
        self.x = [rval(rng) for _ in range(31)]
        self.sp = DIFF_DATA + 0x200
        self.nzcv = rng.randrange(16) << 28
        self.v = [bytes(rng.getrandbits(8) for _ in range(16)) for _ in range(32)]
        self.fpcr = 0
        self.fpsr = 0
        self.buf = bytes(rng.getrandbits(8) for _ in range(DIFF_BUF))
        self.lines = []          # assembly lines
        self.tail = []           # lines after the final brk (literal pool)

    def add(self, line):
        self.lines.append(line)


# ---- encodings from the ISA table -------------------------------------------------

_ROWS = None


def rows():
    global _ROWS
    if _ROWS is None:
        _, _, r = gen_decode.parse(os.path.join(ROOT, 'src', 'engine', 'isa', 'a64.isa'))
        _ROWS = {x.name: x for x in r}
    return _ROWS


def encode(row, fields):
    w = row.match
    for letter, bits in row.fields.items():
        v = fields[letter]
        for i, b in enumerate(bits):
            if (v >> (len(bits) - 1 - i)) & 1:
                w |= 1 << b
    return w


def random_fields(rng, row):
    f = {}
    for letter, bits in row.fields.items():
        n = len(bits)
        if n == 5 and letter in 'dnmtas':
            f[letter] = 31 if rng.random() < 0.1 else rng.randrange(31)
        elif n >= 6 and rng.random() < 0.3:
            f[letter] = rng.choice([0, 1, (1 << n) - 1, rng.randrange(min(1 << n, 70))]) & ((1 << n) - 1)
        else:
            f[letter] = rng.getrandbits(n)
    # Mostly valid 32-bit forms: 6-bit amounts below 32 and N = sf, so that most
    # sequences run to their end (the rest keeps unallocated encodings in the mix).
    if 'z' in row.fields and len(row.fields['z']) == 1 and rng.random() < 0.9:
        if 'N' in row.fields:
            f['N'] = f['z']
        if not f['z']:
            for letter in 'irs':
                if letter in row.fields and len(row.fields[letter]) == 6:
                    f[letter] &= 31
    return f


# Encodings the reference (QEMU 7.2 -cpu max) implements but this engine does
# not model (MTE, pointer authentication, CSSC beyond 7.2): never generated.
EXCLUDE = [
    ('xxx100011xxxxxxxxxxxxxxxxxxxxxxx', 'ADDG/SUBG (MTE)'),
    ('1x011010110xxxxx000000xxxxxxxxxx', 'SUBP/SUBPS (MTE)'),
    ('1x011010110xxxxx00010xxxxxxxxxxx', 'IRG/GMI (MTE)'),
    ('1x011010110xxxxx001100xxxxxxxxxx', 'PACGA'),
    ('1x01101011000001xxxxxxxxxxxxxxxx', 'PAC/AUT/XPAC'),
]


def _pat(p):
    mask = match = 0
    for i, ch in enumerate(p):
        b = 31 - i
        if ch in '01':
            mask |= 1 << b
            if ch == '1':
                match |= 1 << b
    return mask, match


EXCLUDE_MM = [_pat(p) for p, _ in EXCLUDE]


def excluded(w):
    return any((w & m) == v for m, v in EXCLUDE_MM)


_LABELS = [0]


def new_label():
    _LABELS[0] += 1
    return 'lit%d' % _LABELS[0]


def inst(w):
    return '.inst 0x%08x' % w


# ---- classes --------------------------------------------------------------------

DP_ROWS = None


def gen_dp(rng, c):
    global DP_ROWS
    if DP_ROWS is None:
        DP_ROWS = [r for r in rows().values() if r.klass in ('dp_imm', 'dp_reg') and r.feature != 'ptrauth']
    for _ in range(rng.randrange(1, 7)):
        if rng.random() < 0.95:
            row = rng.choice(DP_ROWS)
            w = encode(row, random_fields(rng, row))
        else:
            while True:
                w = rng.getrandbits(32)
                op0 = (w >> 25) & 0xf
                if rng.random() < 0.5:
                    w = (w & ~(0x7 << 26)) | (0x4 << 26)         # 100x: data processing immediate
                else:
                    w = (w & ~(0x7 << 25)) | (0x5 << 25)         # x101: data processing register
                if not excluded(w):
                    break
        if excluded(w):
            continue
        c.add(inst(w))


def filler(rng):
    ops = ['add', 'sub', 'eor', 'orr', 'and', 'adds', 'subs']
    return '%s x%d, x%d, x%d' % (rng.choice(ops), rng.randrange(9), rng.randrange(9), rng.randrange(9))


CONDS = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv']


def gen_branch(rng, c):
    shape = rng.randrange(7)
    if shape == 0:                       # conditional forward skip
        c.add('cmp x%d, x%d' % (rng.randrange(9), rng.randrange(9)))
        c.add('b.%s 1f' % rng.choice(CONDS))
        for _ in range(rng.randrange(1, 4)):
            c.add(filler(rng))
        c.add('1:')
        c.add(filler(rng))
    elif shape == 1:                     # compare-and-branch / test-and-branch forward
        r = rng.randrange(9)
        kind = rng.choice(['cbz x%d', 'cbnz x%d', 'cbz w%d', 'cbnz w%d'])
        if rng.random() < 0.5:
            c.add(kind % r + ', 1f')
        else:
            bit = rng.randrange(64)
            reg = ('x%d' if bit >= 32 or rng.random() < 0.5 else 'w%d') % r
            c.add('%s %s, #%d, 1f' % (rng.choice(['tbz', 'tbnz']), reg, bit))
        c.add(filler(rng))
        c.add(filler(rng))
        c.add('1:')
        c.add(filler(rng))
    elif shape == 2:                     # counted backward loop
        c.add('mov x9, #%d' % rng.randrange(1, 20))
        c.add('1:')
        for _ in range(rng.randrange(1, 3)):
            c.add(filler(rng))
        if rng.random() < 0.5:
            c.add('subs x9, x9, #1')
            c.add('b.ne 1b')
        else:
            c.add('sub x9, x9, #1')
            c.add('cbnz x9, 1b')
    elif shape == 3:                     # call and return
        c.add('bl 2f')
        c.add(filler(rng))
        c.add('b 3f')
        c.add('2:')
        c.add(filler(rng))
        c.add('ret')
        c.add('3:')
    elif shape == 4:                     # indirect call / jump through a register
        c.add('adr x10, 2f')
        c.add(rng.choice(['blr x10', 'br x10']))
        c.add(filler(rng))
        c.add('2:')
        c.add(filler(rng))
    elif shape == 5:                     # branch to a misaligned address: PC alignment fault
        c.add('adr x10, 2f')
        c.add('add x10, x10, #%d' % rng.choice([1, 2, 3]))
        c.add('br x10')
        c.add('2:')
        c.add('nop')
    else:                                # chains of unconditional branches, csel on flags
        c.add('b 2f')
        c.add('1:')
        c.add(filler(rng))
        c.add('b 3f')
        c.add('2:')
        c.add('cmp x%d, #%d' % (rng.randrange(9), rng.randrange(4096)))
        c.add('cset x%d, %s' % (rng.randrange(9), rng.choice(CONDS[:14])))
        c.add('b 1b')
        c.add('3:')


# Load/store helpers: keep every access inside the buffer.
SINGLE = [  # mnemonic, size, register kind
    ('strb', 1, 'w'), ('ldrb', 1, 'w'), ('ldrsb', 1, 'w'), ('ldrsb', 1, 'x'),
    ('strh', 2, 'w'), ('ldrh', 2, 'w'), ('ldrsh', 2, 'w'), ('ldrsh', 2, 'x'),
    ('str', 4, 'w'), ('ldr', 4, 'w'), ('ldrsw', 4, 'x'), ('str', 8, 'x'), ('ldr', 8, 'x'),
]
UNSCALED = {'strb': 'sturb', 'ldrb': 'ldurb', 'ldrsb': 'ldursb', 'strh': 'sturh', 'ldrh': 'ldurh',
            'ldrsh': 'ldursh', 'str': 'stur', 'ldr': 'ldur', 'ldrsw': 'ldursw'}
UNPRIV = {'strb': 'sttrb', 'ldrb': 'ldtrb', 'ldrsb': 'ldtrsb', 'strh': 'sttrh', 'ldrh': 'ldtrh',
          'ldrsh': 'ldtrsh', 'str': 'sttr', 'ldr': 'ldtr', 'ldrsw': 'ldtrsw'}


class Regs:
    """Hands out distinct registers for data, base and index roles."""

    def __init__(self, rng):
        pool = list(range(29))
        rng.shuffle(pool)
        self.pool = pool

    def take(self):
        return self.pool.pop()


def addr_in_buf(rng, size, align=1, always=False):
    a = rng.randrange(0, DIFF_BUF - size + 1)
    if align > 1 and (always or rng.random() < 0.85):
        a -= a % align
    return a


def mem_operand(rng, c, regs, size, allow_wb=True, allow_reg=True, scaled_uimm=True):
    """Returns (operand text, base register number, writeback) and sets registers."""
    a = addr_in_buf(rng, size, size)
    b = regs.take()
    modes = ['uimm', 'unscaled']
    if allow_wb:
        modes += ['pre', 'post']
    if allow_reg:
        modes += ['lsl', 'uxtw', 'sxtw', 'sxtx']
    mode = rng.choice(modes)
    if mode == 'uimm':
        k = rng.randrange(0, min(a // size, 64) + 1) if scaled_uimm else 0
        off = k * size
        c.x[b] = DIFF_DATA + a - off
        return ('[x%d, #%d]' % (b, off) if off else '[x%d]' % b), b, False, 'uimm'
    if mode in ('unscaled', 'pre'):
        off = rng.randrange(max(-256, -(DIFF_BUF - a)), min(255, a) + 1)
        c.x[b] = DIFF_DATA + a - off
        if mode == 'pre':
            return '[x%d, #%d]!' % (b, off), b, True, 'pre'
        return '[x%d, #%d]' % (b, off), b, False, 'unscaled'
    if mode == 'post':
        off = rng.randrange(-256, 256)
        c.x[b] = DIFF_DATA + a
        return '[x%d], #%d' % (b, off), b, True, 'post'
    m = regs.take()
    s = {1: 0, 2: 1, 4: 2, 8: 3, 16: 4}[size]
    shift = s if rng.random() < 0.5 else 0
    if mode == 'lsl':
        idx = rng.randrange(0, 32)
        c.x[m] = idx
        c.x[b] = (DIFF_DATA + a - (idx << shift)) & (2**64 - 1)
        text = '[x%d, x%d%s]' % (b, m, ', lsl #%d' % shift if shift else '')
    elif mode == 'uxtw':
        idx = rng.randrange(0, 32)
        c.x[m] = (rng.getrandbits(32) << 32) | idx          # upper half ignored
        c.x[b] = (DIFF_DATA + a - (idx << shift)) & (2**64 - 1)
        text = '[x%d, w%d, uxtw%s]' % (b, m, ' #%d' % shift if shift else '')
    elif mode == 'sxtw':
        idx = rng.randrange(-32, 32)
        c.x[m] = (rng.getrandbits(32) << 32) | (idx & 0xffffffff)
        c.x[b] = (DIFF_DATA + a - (idx << shift)) & (2**64 - 1)
        text = '[x%d, w%d, sxtw%s]' % (b, m, ' #%d' % shift if shift else '')
    else:
        idx = rng.randrange(-32, 32)
        c.x[m] = idx & (2**64 - 1)
        c.x[b] = (DIFF_DATA + a - (idx << shift)) & (2**64 - 1)
        text = '[x%d, x%d, sxtx%s]' % (b, m, ' #%d' % shift if shift else '')
    return text, b, False, mode


def gen_ldst(rng, c):
    regs = Regs(rng)
    for _ in range(rng.randrange(1, 6)):
        k = rng.random()
        if k < 0.55:
            mn, size, rk = rng.choice(SINGLE)
            t = regs.take()
            op, b, wb, mode = mem_operand(rng, c, regs, size)
            if mode == 'unscaled':
                mn = UNSCALED[mn]
                if rng.random() < 0.3:
                    mn = UNPRIV[[k for k, v in UNSCALED.items() if v == mn][0]]
            c.add('%s %s%d, %s' % (mn, rk, t, op))
        elif k < 0.8:                     # pairs
            kind = rng.choice(['w', 'x', 'sw', 'nw', 'nx'])
            size = 8 if kind in ('x', 'nx') else 4
            t1, t2 = regs.take(), regs.take()
            b = regs.take()
            a = addr_in_buf(rng, 2 * size, size)
            mn = {'w': 'p', 'x': 'p', 'sw': 'psw', 'nw': 'np', 'nx': 'np'}[kind]
            load = kind == 'sw' or rng.random() < 0.5
            mn = ('ld' if load else 'st') + mn
            r = 'x' if kind in ('x', 'nx', 'sw') else 'w'
            if kind == 'sw':
                r1 = 'x'
            else:
                r1 = r
            modes = ['off'] if kind.startswith('n') else ['off', 'pre', 'post']
            mode = rng.choice(modes)
            lo, hi = -64 * size, 63 * size
            if mode == 'post':
                off = rng.randrange(-64, 64) * size
                c.x[b] = DIFF_DATA + a
                op = '[x%d], #%d' % (b, off)
            else:
                off = rng.randrange(max(lo, -(DIFF_BUF - a)) // size, min(hi, a) // size + 1) * size
                c.x[b] = DIFF_DATA + a - off
                op = '[x%d, #%d]%s' % (b, off, '!' if mode == 'pre' else '')
            c.add('%s %s%d, %s%d, %s' % (mn, r1, t1, r1, t2, op))
        elif k < 0.9:                     # literal
            t = regs.take()
            mn = rng.choice(['ldr w', 'ldr x', 'ldrsw x'])
            lbl = new_label()
            c.tail.append('%s: .quad 0x%016x' % (lbl, rng.getrandbits(64)))
            c.add('%s%d, %s' % (mn, t, lbl))
        elif k < 0.95:                    # prefetch: no architectural effect
            b = regs.take()
            c.x[b] = DIFF_DATA + rng.randrange(DIFF_BUF)
            c.add('prfm pldl1keep, [x%d, #%d]' % (b, rng.randrange(0, 64) * 8))
        else:                             # SP as base
            # 16-byte aligned only: QEMU does not implement the SCTLR_EL1.SA/SA0
            # SP alignment check (the unit tests cover it).
            t = regs.take()
            c.sp = DIFF_DATA + 0x200
            off = rng.randrange(0, 32) * 8
            mn = rng.choice(['ldr x', 'str x', 'ldr w', 'strb w'])
            if rng.random() < 0.3:
                c.add('%s%d, [sp, #%d]!' % (mn, t, off & ~15))    # SP stays 16-byte aligned
            else:
                c.add('%s%d, [sp, #%d]' % (mn, t, off))


def gen_atomic(rng, c):
    regs = Regs(rng)
    sizes = [('b', 1, 'w'), ('h', 2, 'w'), ('', 4, 'w'), ('', 8, 'x')]
    for _ in range(rng.randrange(1, 4)):
        kind = rng.randrange(7)
        suf, size, rk = rng.choice(sizes)
        b = regs.take()
        a = addr_in_buf(rng, 16, size if rng.random() < 0.9 else 1)
        c.x[b] = DIFF_DATA + a
        if kind == 0:                     # exclusive pair on one address (usually succeeds)
            t, s = regs.take(), regs.take()
            acq = rng.choice(['ld', 'lda'])
            rel = rng.choice(['st', 'stl'])
            c.add('%sxr%s %s%d, [x%d]' % (acq, suf, rk, t, b))
            c.add('add %s%d, %s%d, #%d' % (rk, t, rk, t, rng.randrange(100)))
            r = rng.random()
            if r < 0.15:
                c.add('clrex')
            elif r < 0.25:
                # Another (aligned) address: the monitor check fails. QEMU skips
                # the alignment check of a failing STXR, the architecture does
                # not (AArch64.ExclusiveMonitorsPass), so keep it aligned.
                b2 = regs.take()
                c.x[b2] = DIFF_DATA + addr_in_buf(rng, 16, 16, True)
                b = b2
            c.add('%sxr%s w%d, %s%d, [x%d]' % (rel, suf, s, rk, t, b))
        elif kind == 1:                   # exclusive register pairs
            t1, t2, s = regs.take(), regs.take(), regs.take()
            r = rng.choice(['w', 'x'])
            sz = 4 if r == 'w' else 8
            a = addr_in_buf(rng, 2 * sz, 2 * sz if rng.random() < 0.9 else 1)
            c.x[b] = DIFF_DATA + a
            c.add('%sxp %s%d, %s%d, [x%d]' % (rng.choice(['ld', 'lda']), r, t1, r, t2, b))
            c.add('eor %s%d, %s%d, %s%d' % (r, t1, r, t1, r, t2))
            c.add('%sxp w%d, %s%d, %s%d, [x%d]' % (rng.choice(['st', 'stl']), s, r, t1, r, t2, b))
        elif kind == 2:                   # store-exclusive without a monitor: fails
            t, s = regs.take(), regs.take()
            c.x[b] = DIFF_DATA + addr_in_buf(rng, 16, 16, True)     # aligned, as above
            c.add('stxr%s w%d, %s%d, [x%d]' % (suf, s, rk, t, b))
        elif kind == 3:                   # acquire / release
            t = regs.take()
            mn = rng.choice(['ldar', 'stlr', 'ldapr', 'ldlar', 'stllr'])
            if mn == 'ldapr':
                # QEMU 7.2 does not check LDAPR alignment; the architecture
                # (no FEAT_LSE2) does: keep it aligned.
                c.x[b] = DIFF_DATA + addr_in_buf(rng, 16, size, True)
            c.add('%s%s %s%d, [x%d]' % (mn, suf, rk, t, b))
        elif kind == 4:                   # RCpc unscaled (aligned: see LDAPR above)
            t = regs.take()
            a = addr_in_buf(rng, 16, size, True)
            off = rng.randrange(-16, 16) * size
            c.x[b] = DIFF_DATA + a - off
            mn, r = rng.choice([('stlur' + suf, rk), ('ldapur' + suf, rk)] +
                               ([('ldapursb', 'w'), ('ldapursb', 'x')] if size == 1 else []) +
                               ([('ldapursh', 'w'), ('ldapursh', 'x')] if size == 2 else []) +
                               ([('ldapursw', 'x')] if size == 4 and rk == 'w' else []))
            c.add('%s %s%d, [x%d, #%d]' % (mn, r, t, b, off))
        elif kind == 5:                   # LSE atomic memory operations
            s, t = regs.take(), regs.take()
            op = rng.choice(['ldadd', 'ldclr', 'ldeor', 'ldset', 'ldsmax', 'ldsmin', 'ldumax', 'ldumin', 'swp'])
            order = rng.choice(['', 'a', 'l', 'al'])
            if rng.random() < 0.15:
                t = 31
            tr = 'xzr' if t == 31 and rk == 'x' else 'wzr' if t == 31 else '%s%d' % (rk, t)
            c.add('%s%s%s %s%d, %s, [x%d]' % (op, order, suf, rk, s, tr, b))
        else:                             # compare and swap
            if rng.random() < 0.6:
                s, t = regs.take(), regs.take()
                if rng.random() < 0.5:    # make the compare succeed sometimes
                    c.x[s] = int.from_bytes(c.buf[a:a + size], 'little') | (c.x[s] & ~((1 << (8 * size)) - 1)
                                                                         & (2**64 - 1))
                order = rng.choice(['', 'a', 'l', 'al'])
                c.add('cas%s%s %s%d, %s%d, [x%d]' % (order, suf, rk, s, rk, t, b))
            else:
                r = rng.choice(['w', 'x'])
                sz = 4 if r == 'w' else 8
                a = addr_in_buf(rng, 2 * sz, 2 * sz if rng.random() < 0.9 else 1)
                c.x[b] = DIFF_DATA + a
                evens = [x for x in range(0, 28, 2) if x in regs.pool and x + 1 in regs.pool]
                s, t = rng.sample(evens, 2)
                for x in (s, s + 1, t, t + 1):
                    regs.pool.remove(x)
                if rng.random() < 0.5:
                    mask = (1 << (8 * sz)) - 1
                    c.x[s] = int.from_bytes(c.buf[a:a + sz], 'little')
                    c.x[s + 1] = int.from_bytes(c.buf[a + sz:a + 2 * sz], 'little')
                    if r == 'w':
                        c.x[s] |= rng.getrandbits(32) << 32
                    c.x[s] &= (2**64 - 1)
                    del mask
                order = rng.choice(['', 'a', 'l', 'al'])
                c.add('casp%s %s%d, %s%d, %s%d, %s%d, [x%d]' % (order, r, s, r, s + 1, r, t, r, t + 1, b))


FP_ROWS = ['SIMD_modimm', 'DUP_elem', 'DUP_gen', 'SMOV', 'UMOV', 'INS_gen', 'INS_elem', 'SIMD_logic',
           'FMOV_gen', 'FMOV_reg', 'FMOV_imm']


def gen_fpsimd(rng, c):
    regs = Regs(rng)
    for _ in range(rng.randrange(1, 6)):
        if rng.random() < 0.6:
            row = rows()[rng.choice(FP_ROWS)]
            f = random_fields(rng, row)
            if row.name == 'FMOV_gen':
                f['r'] = rng.choice([0, 0, 1])          # rmode 1x: FJCVTZS and conversions
            if row.name in ('FMOV_reg', 'FMOV_imm') and f['t'] == 2:
                f['t'] = rng.choice([0, 1, 3])
            if row.name in ('UMOV', 'SMOV') or (row.name == 'FMOV_gen' and not f['o']):
                # Writes a general register: never one that addresses memory later.
                f['d'] = regs.take()
            if row.name == 'SIMD_modimm' and f['p'] and (f['o'] or f['m'] != 15):
                # QEMU 7.2 decodes o2 = 1 with op = 1 as FMOV (fixed upstream in
                # 2024); the architecture makes it unallocated, as the engine does.
                f['o'] = 0
            c.add(inst(encode(row, f)))
        else:
            size = rng.choice([1, 2, 4, 8, 16])
            r = {1: 'b', 2: 'h', 4: 's', 8: 'd', 16: 'q'}[size]
            t = rng.randrange(32)
            if rng.random() < 0.3 and size >= 4:        # pair
                t2 = (t + rng.randrange(1, 32)) % 32
                b = regs.take()
                a = addr_in_buf(rng, 2 * size, size)
                mode = rng.choice(['off', 'pre', 'post'])
                if mode == 'post':
                    off = rng.randrange(-64, 64) * size
                    c.x[b] = DIFF_DATA + a
                    op = '[x%d], #%d' % (b, off)
                else:
                    off = rng.randrange(max(-64 * size, -(DIFF_BUF - a)) // size, min(63 * size, a) // size + 1) * size
                    c.x[b] = DIFF_DATA + a - off
                    op = '[x%d, #%d]%s' % (b, off, '!' if mode == 'pre' else '')
                c.add('%s %s%d, %s%d, %s' % (rng.choice(['ldp', 'stp']), r, t, r, t2, op))
            elif rng.random() < 0.1 and size >= 4:
                lbl = new_label()
                c.tail.append('.balign 16')
                c.tail.append('%s: .quad 0x%016x, 0x%016x' % (lbl, rng.getrandbits(64), rng.getrandbits(64)))
                c.add('ldr %s%d, %s' % (r, t, lbl))
            else:
                op, b, wb, mode = mem_operand(rng, c, regs, size)
                mn = rng.choice(['ldr', 'str'])
                if mode == 'unscaled':
                    mn = {'ldr': 'ldur', 'str': 'stur'}[mn]
                c.add('%s %s%d, %s' % (mn, r, t, op))


def gen_system(rng, c):
    regs = Regs(rng)
    for _ in range(rng.randrange(1, 6)):
        k = rng.randrange(13)
        if k == 0:
            c.add('mrs x%d, nzcv' % regs.take())
        elif k == 1:
            t = regs.take()
            c.add('msr nzcv, x%d' % t)
        elif k == 2:
            c.add(rng.choice(['cfinv', 'axflag', 'xaflag']))
        elif k == 3:
            c.add('rmif x%d, #%d, #%d' % (rng.randrange(31), rng.randrange(64), rng.randrange(16)))
        elif k == 4:
            c.add('%s w%d' % (rng.choice(['setf8', 'setf16']), rng.randrange(31)))
        elif k == 5:
            # Not the PAuth hints (7, 8-14 even, 24-31): QEMU -cpu max signs pointers,
            # the diff vCPU has no PTRAUTH and executes them as NOP.
            hint = rng.choice([h for h in range(128) if h != 7 and h not in (8, 10, 12, 14) and not 24 <= h <= 31])
            c.add(rng.choice(['nop', 'yield', 'sev', 'sevl', 'csdb', 'esb', 'psb csync', 'bti', 'bti c',
                              'hint #%d' % hint]))
        elif k == 6:
            c.add(rng.choice(['dmb ish', 'dmb ishld', 'dmb ishst', 'dsb sy', 'dsb ish', 'isb', 'ssbb',
                              'pssbb', 'sb', 'clrex', 'dmb oshld', 'dsb nsh']))
        elif k == 7:                      # DC ZVA zeroes its block (512 bytes: DCZID_EL0.BS = 7)
            b = regs.take()
            c.x[b] = DIFF_DATA + rng.randrange(DIFF_BUF)
            c.add('dc zva, x%d' % b)
        elif k == 8:
            b = regs.take()
            c.x[b] = DIFF_DATA + rng.randrange(DIFF_BUF)
            # (DC CVAP/CVADP: QEMU user mode does not define them; system mode does.)
            c.add('%s, x%d' % (rng.choice(['dc civac', 'dc cvac', 'dc cvau', 'ic ivau']), b))
        elif k == 9:
            c.add('mrs x%d, %s' % (regs.take(), rng.choice(['dczid_el0', 'fpcr', 'fpsr', 'dit', 'ssbs'])))
        elif k == 10:
            t = regs.take()
            if rng.random() < 0.5:
                c.add('msr %s, #%d' % (rng.choice(['dit', 'ssbs']), rng.randrange(2)))
            else:
                c.x[t] = rng.getrandbits(64) & 0x07c09f00 if rng.random() < 0.7 else rng.getrandbits(64)
                c.add('msr fpcr, x%d' % t)
                c.add('mrs x%d, fpcr' % regs.take())
        elif k == 11:
            c.add('udf #%d' % rng.randrange(65536) if rng.random() < 0.3 else 'nop')
        else:
            # RNDR / RNDRRS (FEAT_RNG): the values are random on both sides, so
            # what is compared is NZCV after each read (0000: success) and
            # whether two reads differ (x[a] = 1); the values are then dropped
            # and the compare's flags replaced by the first read's NZCV.
            a, b, f1, f2 = regs.take(), regs.take(), regs.take(), regs.take()
            c.add('mrs x%d, %s' % (a, rng.choice(['rndr', 'rndrrs'])))
            c.add('mrs x%d, nzcv' % f1)
            c.add('mrs x%d, %s' % (b, rng.choice(['rndr', 'rndrrs'])))
            c.add('mrs x%d, nzcv' % f2)
            c.add('cmp x%d, x%d' % (a, b))
            c.add('cset x%d, ne' % a)
            c.add('mov x%d, xzr' % b)
            c.add('msr nzcv, x%d' % f1)


GENERATORS = {'dp': gen_dp, 'branch': gen_branch, 'ldst': gen_ldst, 'atomic': gen_atomic,
              'fpsimd': gen_fpsimd, 'system': gen_system}

# FP arithmetic and Advanced SIMD classes (gen_fpsimd.py), the Cryptographic
# Extension (gen_crypto.py).
import gen_fpsimd  # noqa: E402
import gen_crypto  # noqa: E402
GENERATORS.update(gen_fpsimd.GENERATORS)
GENERATORS.update(gen_crypto.GENERATORS)
# SIMD&FP extensions: FCMA, FHM, BF16, I8MM, JSCVT, FRINTTS (gen_features.py).
import gen_features  # noqa: E402
GENERATORS.update(gen_features.GENERATORS)


def build(klass, count, seed, asm, objcopy, workdir):
    rng = random.Random('%s/%d' % (klass, seed))
    cases = []
    for i in range(count):
        c = Case(rng)
        GENERATORS[klass](rng, c)
        cases.append(c)
    src = ['.text', '.arch armv8.6-a+lse+crc+rcpc+fp+simd+fp16+fp16fml+bf16+i8mm+rng+crypto+sha3+sm4']
    for i, c in enumerate(cases):
        src.append('.p2align 8, 0')
        src.append('case%d:' % i)
        src.extend('    ' + l for l in c.lines)
        src.append('    brk #0x777')
        src.extend('    ' + l for l in c.tail)
        src.append('.p2align 8, 0')
    s_path = os.path.join(workdir, '%s.S' % klass)
    o_path = os.path.join(workdir, '%s.o' % klass)
    b_path = os.path.join(workdir, '%s.bin' % klass)
    with open(s_path, 'w') as f:
        f.write('\n'.join(src) + '\n')
    subprocess.run([asm, '-o', o_path, s_path], check=True)
    subprocess.run([objcopy, '-O', 'binary', '-j', '.text', o_path, b_path], check=True)
    with open(b_path, 'rb') as f:
        blob = f.read()
    return cases, blob


def write_cases(cases, blob, path):
    with open(path, 'wb') as f:
        f.write(struct.pack('<II', MAGIC, len(cases)))
        for i, c in enumerate(cases):
            words = struct.unpack_from('<%dI' % CODE_WORDS, blob, 256 * i)
            n = CODE_WORDS
            while n and words[n - 1] == 0:
                n -= 1
            vbytes = b''.join(c.v)
            f.write(struct.pack(CASE_FMT, *[v & (2**64 - 1) for v in c.x], c.sp, c.nzcv, c.fpcr, c.fpsr,
                                vbytes, n, i, *words, c.buf))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--class', dest='klass', required=True, choices=sorted(GENERATORS))
    ap.add_argument('--count', type=int, default=1000)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', required=True)
    ap.add_argument('--as', dest='asm', default='aarch64-linux-gnu-as')
    ap.add_argument('--objcopy', default='aarch64-linux-gnu-objcopy')
    ap.add_argument('--keep', help='directory to keep the generated .S/.o in')
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        cases, blob = build(args.klass, args.count, args.seed, args.asm, args.objcopy, work)
        write_cases(cases, blob, args.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
