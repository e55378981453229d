#!/usr/bin/env python3
"""gen_fpsimd.py - FP and Advanced SIMD classes of the differential test.

Imported by gen_cases.py (which adds GENERATORS below to its own). Classes:

  fp        scalar FP arithmetic in S, D and H: FADD..FNMUL, FMADD family,
            FSQRT/FABS/FNEG, FMAX/FMIN(NM), FCMP/FCMPE/FCCMP/FCSEL, FRINT*,
            FCVT between precisions, FMOV immediate
  fpcvt     FP <-> integer conversions: FCVT[NPMZA][SU] to W/X, SCVTF/UCVTF
            from W/X, fixed-point forms, with values around every integer limit
  simd      Advanced SIMD integer and permute rows of a64.isa with random
            fields (unallocated combinations included), integer edge lanes
  simdfp    Advanced SIMD FP rows with random fields (FP16 rows included), FP
            edge lanes of the row's size
  simdldst  LD1-LD4/ST1-ST4 multiple and single structures, LD1R-LD4R,
            with and without post-index (immediate and register)

Operands come from pools of edge values per format: +-0, +-inf, quiet and
signalling NaNs with payloads and both signs, the smallest and largest
denormals and normals, powers of two at the integer conversion limits and
their neighbours, and random values. FPCR starts random (RMode, FZ, DN, AHP,
FZ16) in most cases, FPSR with random cumulative flags (so the engine's host
fast path, which needs IXC already set, and its exact path both run).

qemu 7.2's user-mode signal frame is not trusted for the vector state: every
case ends with code that stores FPSR (x25), FPCR (x26), NZCV (x27) into
general registers and V0-V31 into the upper half of the data buffer (x28 =
DIFF_DATA + 512), which the harness compares byte for byte. Generated code
never uses x24-x28 and keeps its own memory accesses in the lower half.
"""

import random
import struct

import gen_cases as G

DUMP = 512             # V0-V31 dump offset in the buffer
X_DUMP, X_FPSR, X_FPCR, X_NZCV = 28, 25, 26, 27
NXREG = 24             # x0..x23 free for the sequence

FMT = {1: (5, 10), 2: (8, 23), 3: (11, 52)}   # size -> (exponent bits, fraction bits)


def fbits(sz, sign, exp, frac):
    e, f = FMT[sz]
    return (sign << (e + f)) | (exp << f) | frac


def pool(sz):
    e, f = FMT[sz]
    emax, bias = (1 << e) - 1, (1 << (e - 1)) - 1
    one = bias << f
    vals = [0, fbits(sz, 1, 0, 0), one, one | (1 << (e + f)), fbits(sz, 0, bias - 1, 0),
            fbits(sz, 0, bias, 1 << (f - 1)), fbits(sz, 0, bias + 1, 1 << (f - 2)),
            fbits(sz, 1, bias + 1, 1 << (f - 2)),
            fbits(sz, 0, emax, 0), fbits(sz, 1, emax, 0),                       # infinities
            fbits(sz, 0, emax, 1 << (f - 1)), fbits(sz, 1, emax, 1 << (f - 1)),  # default-like qNaNs
            fbits(sz, 0, emax, (1 << (f - 1)) | 0x15), fbits(sz, 1, emax, (1 << (f - 1)) | 0x2a),
            fbits(sz, 0, emax, 1), fbits(sz, 1, emax, 0x3), fbits(sz, 0, emax, (1 << (f - 2)) | 5),
            fbits(sz, 0, 0, 1), fbits(sz, 1, 0, 1), fbits(sz, 0, 0, (1 << f) - 1),  # denormals
            fbits(sz, 1, 0, (1 << f) - 1), fbits(sz, 0, 0, 1 << (f - 1)),
            fbits(sz, 0, 1, 0), fbits(sz, 1, 1, 0), fbits(sz, 0, 1, 1),           # smallest normals
            fbits(sz, 0, emax - 1, (1 << f) - 1), fbits(sz, 1, emax - 1, (1 << f) - 1),  # largest
            fbits(sz, 0, emax - 1, 0)]
    # Integer conversion limits: 2^k and neighbours for k = 15, 16, 31, 32, 63, 64.
    for k in (15, 16, 31, 32, 63, 64):
        if bias + k < emax:
            for s in (0, 1):
                vals += [fbits(sz, s, bias + k, 0), fbits(sz, s, bias + k - 1, (1 << f) - 1),
                         fbits(sz, s, bias + k, 1)]
    # Small normals whose products and quotients stay normal but whose exact
    # residuals fall below the denormal range (inexactness must still be seen).
    for k in (3, f // 2, f + 7, bias // 2):
        vals += [fbits(sz, 0, k, 1), fbits(sz, 1, k, (1 << f) - 1), fbits(sz, 0, k, (0x5555555555555 >> (52 - f)))]
    # Halves (ties for FCVTN*/FRINTN/FRINTA): 0.5, 1.5, 2.5, -0.5, -3.5.
    for v in (0.5, 1.5, 2.5, -0.5, -3.5, 1e-3, 3.0, 1e4):
        vals.append(to_bits(sz, v))
    return [v & ((1 << (8 << sz)) - 1) for v in vals]


def to_bits(sz, x):
    if sz == 3:
        return struct.unpack('<Q', struct.pack('<d', x))[0]
    if sz == 2:
        return struct.unpack('<I', struct.pack('<f', x))[0]
    return struct.unpack('<H', struct.pack('<e', x))[0]


POOLS = {sz: pool(sz) for sz in (1, 2, 3)}


def rand_fp(rng, sz):
    k = rng.random()
    if k < 0.45:
        return rng.choice(POOLS[sz])
    if k < 0.75:                       # ordinary values of moderate size
        e, f = FMT[sz]
        bias = (1 << (e - 1)) - 1
        exp = bias + rng.randrange(-min(bias - 1, 20), min(bias, 20))
        return fbits(sz, rng.getrandbits(1), exp, rng.getrandbits(f))
    if k < 0.85:                       # small integers and halves
        v = rng.randrange(-300, 300) / rng.choice([1, 2, 4])
        try:
            return to_bits(sz, v)
        except OverflowError:
            return 0
    return rng.getrandbits(8 << sz)


def lanes_bytes(vals, sz):
    return b''.join(v.to_bytes(1 << sz, 'little') for v in vals)


def fill_fp(rng, c, reg, sz):
    n = 16 >> sz
    c.v[reg] = lanes_bytes([rand_fp(rng, sz) for _ in range(n)], sz)


INT_EDGE = {0: [0, 1, 0x7f, 0x80, 0xff, 0xfe],
            1: [0, 1, 0x7fff, 0x8000, 0xffff, 0xff],
            2: [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff],
            3: [0, 1, 0x7fffffffffffffff, 0x8000000000000000, 0xffffffffffffffff, 0xffffffff]}


def fill_int(rng, c, reg):
    if rng.random() < 0.5:
        return                                   # keep the random bytes
    sz = rng.randrange(4)
    n = 16 >> sz
    vals = [rng.choice(INT_EDGE[sz]) if rng.random() < 0.6 else rng.getrandbits(8 << sz) for _ in range(n)]
    c.v[reg] = lanes_bytes(vals, sz)


def rand_fpcr(rng):
    if rng.random() < 0.35:
        return 0
    v = rng.randrange(4) << 22                    # RMode
    for bit in (24, 25, 26, 19):                  # FZ, DN, AHP, FZ16
        if rng.random() < 0.3:
            v |= 1 << bit
    return v


def rand_fpsr(rng):
    k = rng.random()
    if k < 0.3:
        return 0
    if k < 0.6:
        return 0x10                               # IXC: the fast path
    return rng.choice([0x9f, 0x08000000, 0x1f]) & rng.getrandbits(32) | (0x10 if rng.random() < 0.5 else 0)


def setup(rng, c):
    c.fpcr = rand_fpcr(rng)
    c.fpsr = rand_fpsr(rng)
    c.x[X_DUMP] = G.DIFF_DATA + DUMP


def epilogue(c):
    c.add('mrs x%d, fpsr' % X_FPSR)
    c.add('mrs x%d, fpcr' % X_FPCR)
    c.add('mrs x%d, nzcv' % X_NZCV)
    for i in range(0, 32, 2):
        c.add('stp q%d, q%d, [x%d, #%d]' % (i, i + 1, X_DUMP, 16 * i))


def xreg(rng):
    return rng.randrange(NXREG)


# ---- scalar FP ------------------------------------------------------------------------

FP_SZ = {1: 'h', 2: 's', 3: 'd'}
FP2 = ['fadd', 'fsub', 'fmul', 'fdiv', 'fnmul', 'fmax', 'fmin', 'fmaxnm', 'fminnm']
FP1 = ['fabs', 'fneg', 'fsqrt', 'frintn', 'frintp', 'frintm', 'frintz', 'frinta', 'frintx', 'frinti',
       'fmov']
FRINTTS = ['frint32z', 'frint32x', 'frint64z', 'frint64x']
FP3 = ['fmadd', 'fmsub', 'fnmadd', 'fnmsub']
CONDS = G.CONDS[:14]


def fp_operands(rng, c, sz, k):
    regs = rng.sample(range(32), k)
    for r in regs:
        fill_fp(rng, c, r, sz)
    return regs


def gen_fp(rng, c):
    setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        sz = rng.choice([2, 3, 3, 2, 1])
        p = FP_SZ[sz]
        k = rng.random()
        if k < 0.35:
            d, n, m = fp_operands(rng, c, sz, 3)
            c.add('%s %s%d, %s%d, %s%d' % (rng.choice(FP2), p, d, p, n, p, m))
        elif k < 0.5:
            d, n = fp_operands(rng, c, sz, 2)
            op = rng.choice(FP1 + (FRINTTS if sz > 1 else []))
            c.add('%s %s%d, %s%d' % (op, p, d, p, n))
        elif k < 0.65:
            d, n, m, a = fp_operands(rng, c, sz, 4)
            c.add('%s %s%d, %s%d, %s%d, %s%d' % (rng.choice(FP3), p, d, p, n, p, m, p, a))
        elif k < 0.75:
            n, m = fp_operands(rng, c, sz, 2)
            op = rng.choice(['fcmp', 'fcmpe'])
            if rng.random() < 0.3:
                c.add('%s %s%d, #0.0' % (op, p, n))
            else:
                c.add('%s %s%d, %s%d' % (op, p, n, p, m))
        elif k < 0.82:
            n, m = fp_operands(rng, c, sz, 2)
            c.add('%s %s%d, %s%d, #%d, %s' % (rng.choice(['fccmp', 'fccmpe']), p, n, p, m, rng.randrange(16),
                                             rng.choice(CONDS)))
        elif k < 0.88:
            d, n, m = fp_operands(rng, c, sz, 3)
            c.add('fcsel %s%d, %s%d, %s%d, %s' % (p, d, p, n, p, m, rng.choice(CONDS)))
        elif k < 0.96:
            to = rng.choice([s for s in (1, 2, 3) if s != sz])
            d, n = fp_operands(rng, c, sz, 2)
            c.add('fcvt %s%d, %s%d' % (FP_SZ[to], d, p, n))
        else:
            d = rng.randrange(32)
            c.add('fmov %s%d, #%s' % (p, d, rng.choice(['1.0', '-2.5', '0.125', '31.0', '-0.1875', '1.9375'])))
    epilogue(c)


# ---- conversions ------------------------------------------------------------------------

INT_VALS = [0, 1, 0xffffffffffffffff, 0x7fffffffffffffff, 0x8000000000000000, 0x7fffffff, 0x80000000,
            0xffffffff, 0x00ffffff, 0x01000001, 0xffffffff80000000, 0x0020000000000001, 0x7ffffffffffffdff,
            0xfffffffffffffc00, 12345, 0xfffffffffffe7960]


def gen_fpcvt(rng, c):
    setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        sz = rng.choice([2, 3, 3, 2, 1])
        p = FP_SZ[sz]
        r = rng.choice(['w', 'x'])
        k = rng.random()
        if k < 0.5:
            n = rng.randrange(32)
            fill_fp(rng, c, n, sz)
            d = xreg(rng)
            op = rng.choice(['fcvtns', 'fcvtnu', 'fcvtps', 'fcvtpu', 'fcvtms', 'fcvtmu', 'fcvtzs', 'fcvtzu',
                             'fcvtas', 'fcvtau'])
            if op.startswith('fcvtz') and rng.random() < 0.3:
                fb = rng.randrange(1, 33 if r == 'w' else 65)
                c.add('%s %s%d, %s%d, #%d' % (op, r, d, p, n, fb))
            else:
                c.add('%s %s%d, %s%d' % (op, r, d, p, n))
        else:
            d = rng.randrange(32)
            n = xreg(rng)
            c.x[n] = rng.choice(INT_VALS) if rng.random() < 0.6 else G.rval(rng)
            op = rng.choice(['scvtf', 'ucvtf'])
            if rng.random() < 0.3:
                fb = rng.randrange(1, 33 if r == 'w' else 65)
                c.add('%s %s%d, %s%d, #%d' % (op, p, d, r, n, fb))
            else:
                c.add('%s %s%d, %s%d' % (op, p, d, r, n))
    epilogue(c)


# ---- Advanced SIMD from the ISA rows ----------------------------------------------------

_SIMD_ROWS = None


def simd_rows():
    global _SIMD_ROWS
    if _SIMD_ROWS is None:
        rows = G.rows()
        _SIMD_ROWS = {
            'int': [r for r in rows.values() if r.klass in ('simd_int', 'simd_perm')],
            'fp': [r for r in rows.values() if r.klass == 'simd_fp' or r.name.endswith('_fix_v')
                   or r.name.endswith('_fix_sv')],
        }
    return _SIMD_ROWS


def fix_fields(row, f, rng):
    """Keep allocated FP sizes mostly (size 01 of the by-element FP rows and
    immh 0001 of the fixed-point conversions are unallocated)."""
    name = row.name
    if name.startswith('F') and '_elem' in name and f['z'] == 1 and rng.random() < 0.9:
        f['z'] = rng.choice([0, 2, 3])
    if name.endswith('_fix_v') or name.endswith('_fix_sv'):
        if (f['i'] >> 3) < 2:
            f['i'] |= rng.choice([0x10, 0x20, 0x40])
        # QEMU 7.2 writes the half-precision scalar FCVTZS/FCVTZU (fixed point)
        # result as 32 bits, sign-extended (0xffff8000); the Arm ARM writes
        # esize = 16 bits and zeroes the rest, as the engine does. Not compared.
        if name in ('FCVTZS_fix_sv', 'FCVTZU_fix_sv') and (f['i'] >> 4) == 1:
            f['i'] |= 0x20
    return f


def fp_row_size(row, f):
    """Lane size (1 H, 2 S, 3 D) an FP row operates on, for filling operands."""
    if row.name.endswith(('_hv', '_hsv', '_h')):
        return 1
    if 'z' in row.fields and len(row.fields['z']) == 1:
        return 2 + f['z']
    if 'z' in row.fields:
        return {0: 1, 1: 2}.get(f['z'], f['z'])
    i = f.get('i', 0)
    return 3 if i >= 64 else 2 if i >= 32 else 1


def gen_simd_rows(rng, c, kind):
    setup(rng, c)
    rows = simd_rows()[kind]
    for _ in range(rng.randrange(1, 6)):
        row = rng.choice(rows)
        f = {}
        for letter, bits in row.fields.items():
            f[letter] = rng.getrandbits(len(bits))
        # Mostly allocated combinations (the rest keeps UNDEF paths in the mix):
        # 128-bit vectors, lane sizes below 64 bits, shifts on B/H/S lanes.
        if 'q' in f and rng.random() < 0.6:
            f['q'] = 1
        if 'z' in row.fields and len(row.fields['z']) == 2 and rng.random() < 0.5:
            f['z'] = rng.randrange(3)
        if 'i' in row.fields and len(row.fields['i']) == 7 and rng.random() < 0.5:
            f['i'] = rng.randrange(8, 64)
        f = fix_fields(row, f, rng)
        if kind == 'fp':
            sz = fp_row_size(row, f)
        for letter in 'nmd':
            if letter in row.fields:
                if kind == 'fp':
                    fill_fp(rng, c, f[letter] % 32, sz)
                else:
                    fill_int(rng, c, f[letter] % 32)
        c.add(G.inst(G.encode(row, f)))
    epilogue(c)


def gen_simd(rng, c):
    gen_simd_rows(rng, c, 'int')


def gen_simdfp(rng, c):
    gen_simd_rows(rng, c, 'fp')


# ---- structure loads and stores -------------------------------------------------------

ARR = {0: ['8b', '16b'], 1: ['4h', '8h'], 2: ['2s', '4s'], 3: ['1d', '2d']}


def gen_simdldst(rng, c):
    setup(rng, c)
    free = list(range(NXREG))
    rng.shuffle(free)
    for _ in range(rng.randrange(1, 5)):
        if len(free) < 2:
            break
        b = free.pop()
        size = rng.randrange(4)
        q = rng.randrange(2)
        t = rng.randrange(32)
        k = rng.random()
        post = rng.random() < 0.4
        if k < 0.6:
            nreg, mn = rng.choice([(1, 'ld1'), (2, 'ld1'), (3, 'ld1'), (4, 'ld1'), (2, 'ld2'), (3, 'ld3'),
                                   (4, 'ld4')])
            if mn != 'ld1' and size == 3 and not q:
                q = 1
            if rng.random() < 0.5:
                mn = 'st' + mn[2:]
            total = nreg * (16 if q else 8)
            regs = ', '.join('v%d.%s' % ((t + i) % 32, ARR[size][q]) for i in range(nreg))
            op = '%s {%s}' % (mn, regs)
        else:
            sel = rng.randrange(1, 5)
            esz = 1 << size
            total = sel * esz
            if rng.random() < 0.3:
                mn = 'ld%dr' % sel
                regs = ', '.join('v%d.%s' % ((t + i) % 32, ARR[size][q]) for i in range(sel))
                op = '%s {%s}' % (mn, regs)
            else:
                mn = rng.choice(['ld', 'st']) + str(sel)
                idx = rng.randrange(16 >> size)
                regs = ', '.join('v%d.%s' % ((t + i) % 32, 'bhsd'[size]) for i in range(sel))
                op = '%s {%s}[%d]' % (mn, regs, idx)
        a = rng.randrange(0, DUMP - total + 1)
        c.x[b] = G.DIFF_DATA + a
        if post:
            if rng.random() < 0.5:
                c.add('%s, [x%d], #%d' % (op, b, total))
            else:
                m = free.pop()
                c.x[m] = rng.randrange(-64, 64) & (2**64 - 1)
                c.add('%s, [x%d], x%d' % (op, b, m))
        else:
            c.add('%s, [x%d]' % (op, b))
    epilogue(c)


GENERATORS = {'fp': gen_fp, 'fpcvt': gen_fpcvt, 'simd': gen_simd, 'simdfp': gen_simdfp,
              'simdldst': gen_simdldst}
