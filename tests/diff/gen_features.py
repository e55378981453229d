#!/usr/bin/env python3
"""gen_features.py - differential classes for the SIMD&FP extensions the ID
registers advertise beyond the base Advanced SIMD (imported by gen_cases.py):

  simdcplx  FEAT_FCMA: FCMLA (vector, by element, every rotation), FCADD, on
            H/S/D lanes of FP edge values
  simdfhm   FEAT_FHM: FMLAL/FMLSL/FMLAL2/FMLSL2, vector and by element: half
            edge lanes (denormals under FZ16, signalling NaNs) into single
            accumulators
  simdbf16  FEAT_BF16: BFCVT, BFCVTN/BFCVTN2 (singles around every BFloat16
            rounding tie, overflow, denormals), BFDOT, BFMMLA (round-to-odd,
            flushing, default-NaN rules), BFMLALB/T (vector, by element)
  simdi8mm  FEAT_I8MM: SMMLA, UMMLA, USMMLA, USDOT, SUDOT/USDOT by element,
            with byte and 32-bit accumulator edge values (wrap-around)
  fpjs      FEAT_JSCVT: FJCVTZS (result and NZCV) on doubles around the
            int32, 2^32 and 2^64 limits, fractions, -0, denormals, NaNs and
            infinities; FEAT_FRINTTS scalar rows with every ftype (11 and 10
            are unallocated)

Instructions come from the rows of src/engine/isa/a64.isa with random field
values, biased towards allocated combinations (the rest keeps UNDEF paths in
the mix). FPCR and FPSR start random (gen_fpsimd.setup); every case ends with
gen_fpsimd's epilogue, which stores FPSR, FPCR, NZCV and V0-V31.
"""

import struct

import gen_cases as G
import gen_fpsimd as F


def row_fields(rng, row):
    f = {letter: rng.getrandbits(len(bits)) for letter, bits in row.fields.items()}
    if 'q' in f and rng.random() < 0.7:
        f['q'] = 1
    return f


def fill_lanes(c, reg, vals, size):
    c.v[reg % 32] = F.lanes_bytes(vals, size)


def emit(rng, c, names, fill, fix=None):
    """Pick a row of names, random fields, fix() them, fill() operands, add it."""
    row = G.rows()[rng.choice(names)]
    f = row_fields(rng, row)
    if fix:
        fix(rng, row, f)
    fill(rng, c, row, f)
    c.add(G.inst(G.encode(row, f)))


def vm_regs(f):
    """Vm as the by-element rows may read it: Rm (V0-V15) or M:Rm."""
    regs = {f['m']}
    if 'M' in f:
        regs.add(f['M'] << 4 | f['m'])
    return regs


# ---- FEAT_FCMA ------------------------------------------------------------------------------

CPLX = ['FCMLA_v', 'FCMLA_v', 'FCADD_v', 'FCMLA_elem', 'FCMLA_elem']


def fix_cplx(rng, row, f):
    if rng.random() < 0.9:
        f['z'] = rng.choice([1, 2, 3] if row.name != 'FCMLA_elem' else [1, 2])
    if rng.random() < 0.9:
        if f['z'] == 3 or (row.name == 'FCMLA_elem' and f['z'] == 2):
            f['q'] = 1
        if row.name == 'FCMLA_elem':
            if f['z'] == 2:
                f['L'] = 0
            elif not f['q']:
                f['H'] = 0


def fill_cplx(rng, c, row, f):
    sz = f['z'] if f['z'] else 2
    for r in {f['d'], f['n']} | vm_regs(f):
        F.fill_fp(rng, c, r, sz)


def gen_simdcplx(rng, c):
    F.setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        emit(rng, c, CPLX, fill_cplx, fix_cplx)
    F.epilogue(c)


# ---- FEAT_FHM -------------------------------------------------------------------------------

FHM = ['FMLAL_v', 'FMLSL_v', 'FMLAL2_v', 'FMLSL2_v', 'FMLAL_elem', 'FMLSL_elem', 'FMLAL2_elem', 'FMLSL2_elem']


def fill_fhm(rng, c, row, f):
    F.fill_fp(rng, c, f['d'], 2)
    for r in {f['n']} | vm_regs(f):
        if r != f['d'] or rng.random() < 0.3:
            F.fill_fp(rng, c, r, 1)


def gen_simdfhm(rng, c):
    F.setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        emit(rng, c, FHM, fill_fhm)
    F.epilogue(c)


# ---- FEAT_BF16 ------------------------------------------------------------------------------

def bf16_pool():
    vals = {v >> 16 for v in F.POOLS[2]}
    vals |= {0x0000, 0x8000, 0x0001, 0x807f, 0x007f, 0x0040,              # zeros, denormals
             0x0080, 0x8080, 0x0081, 0x7f7f, 0xff7f, 0x7f00, 0x7e80,      # smallest / largest normals
             0x7f80, 0xff80, 0x7fc0, 0xffc0, 0x7f81, 0xffa5, 0x7fff,      # infinities, NaNs (signalling too)
             0x3f80, 0xbf80, 0x4000, 0x3f00, 0x3fc0, 0xc040, 0x3f81,      # 1, -1, 2, 0.5, 1.5, -3, 1+ulp
             0x2000, 0x1f80, 0x1fc0, 0x2080, 0x5f80, 0x5f00, 0xdf80}     # products near 2^-126 and 2^128
    return sorted(vals)


BF_POOL = bf16_pool()


def rand_bf16(rng):
    k = rng.random()
    if k < 0.4:
        return rng.choice(BF_POOL)
    if k < 0.85:                       # moderate values: sums that cancel and round
        return rng.getrandbits(1) << 15 | (127 + rng.randrange(-12, 12)) << 7 | rng.getrandbits(7)
    return rng.getrandbits(16)


def rand_single_for_bf(rng):
    """Singles that exercise BFloat16 rounding: every low-half pattern near a tie."""
    k = rng.random()
    if k < 0.5:
        hi = rand_bf16(rng)
        lo = rng.choice([0x0000, 0x8000, 0x7fff, 0x8001, 0x0001, 0xffff, 0x4000, 0xc000, rng.getrandbits(16)])
        return hi << 16 | lo
    return F.rand_fp(rng, 2)


def fill_bf_lanes(rng, c, reg):
    fill_lanes(c, reg, [rand_bf16(rng) for _ in range(8)], 1)


def fill_acc(rng, c, reg):
    """Single accumulators: FP edges, or moderate values that products can cancel."""
    vals = []
    for _ in range(4):
        if rng.random() < 0.5:
            vals.append(F.rand_fp(rng, 2))
        else:
            vals.append(rand_bf16(rng) << 16 | rng.getrandbits(16))
    fill_lanes(c, reg, vals, 2)


BF16 = ['BFCVT', 'BFCVTN', 'BFCVTN', 'BFDOT', 'BFDOT_elem', 'BFMLAL', 'BFMLAL_elem', 'BFMMLA', 'BFMMLA']


def fill_bf16(rng, c, row, f):
    if row.name in ('BFCVT', 'BFCVTN'):
        fill_lanes(c, f['n'], [rand_single_for_bf(rng) for _ in range(4)], 2)
        return
    fill_acc(rng, c, f['d'])
    for r in {f['n']} | vm_regs(f):
        if r != f['d'] or rng.random() < 0.3:
            fill_bf_lanes(rng, c, r)


def gen_simdbf16(rng, c):
    F.setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        emit(rng, c, BF16, fill_bf16)
    F.epilogue(c)


# ---- FEAT_I8MM ------------------------------------------------------------------------------

I8MM = ['SMMLA', 'UMMLA', 'USMMLA', 'USDOT', 'USDOT', 'SUDOT_elem', 'USDOT_elem']
BYTE_EDGE = [0, 1, 0x7f, 0x80, 0x81, 0xff, 0xfe]
ACC_EDGE = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x7ffff000, 0x80000fff]


def fill_i8mm(rng, c, row, f):
    vals = [rng.choice(ACC_EDGE) if rng.random() < 0.5 else rng.getrandbits(32) for _ in range(4)]
    fill_lanes(c, f['d'], vals, 2)
    for r in {f['n']} | vm_regs(f):
        if r != f['d'] or rng.random() < 0.3:
            fill_lanes(c, r, [rng.choice(BYTE_EDGE) if rng.random() < 0.5 else rng.getrandbits(8)
                              for _ in range(16)], 0)


def gen_simdi8mm(rng, c):
    F.setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        emit(rng, c, I8MM, fill_i8mm)
    F.epilogue(c)


# ---- FEAT_JSCVT, FEAT_FRINTTS scalar ---------------------------------------------------------

def dbits(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]


def js_pool():
    vals = [0, 1 << 63, 1, (1 << 63) | 1, 0x000fffffffffffff, 0x0008000000000000,       # zeros, denormals
            0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000, 0x7ff0000000000001,  # inf, NaN
            0xfff4000000000000, 0x7ff8000000000123]
    for x in (0.5, 1.5, 0.999, 2147483647.0, 2147483647.5, 2147483648.0, 2147483648.5, 4294967295.0,
              4294967296.0, 4294967297.0, 4294967296.5, 2.0 ** 52 + 3, 2.0 ** 53, 2.0 ** 63, 2.0 ** 64,
              2.0 ** 64 + 2.0 ** 12, 2.0 ** 83 + 2.0 ** 31, 2.0 ** 84 + 2.0 ** 32, 2.0 ** 85, 1e300, 123456.789,
              2.0 ** -1022, 2.0 ** -1074 * 3, 1e-300, 3e9, 6442450943.0, 1e10 + 0.25):
        vals += [dbits(x), dbits(-x)]
    vals += [dbits(-2147483649.0), dbits(-2147483648.0), dbits(-2147483648.5)]
    return vals


JS_POOL = js_pool()


def rand_js(rng):
    k = rng.random()
    if k < 0.5:
        return rng.choice(JS_POOL)
    if k < 0.85:                       # integers and fractions up to 2^100
        return rng.getrandbits(1) << 63 | (1023 + rng.randrange(-3, 100)) << 52 | rng.getrandbits(52)
    return F.rand_fp(rng, 3)


FRINTTS = ['FRINT32Z_fp', 'FRINT32X_fp', 'FRINT64Z_fp', 'FRINT64X_fp']


def gen_fpjs(rng, c):
    F.setup(rng, c)
    for _ in range(rng.randrange(1, 6)):
        if rng.random() < 0.7:
            n, d = rng.randrange(16), rng.randrange(F.NXREG)
            x = rand_js(rng)
            # QEMU 7.2 sets Z for a positive denormal that FZ flushes; the Arm
            # ARM (FPToFixedJS: sign 0, value 0, op<51:0> nonzero) clears it,
            # as the engine does and QEMU does since its issue 2375 fix. Not
            # compared: such inputs get the negative sign (also Z = 0 in both).
            if (c.fpcr >> 24) & 1 and (x >> 52) == 0 and x:
                x |= 1 << 63
            c.v[n] = x.to_bytes(8, 'little') + bytes(rng.getrandbits(8) for _ in range(8))
            c.add('fjcvtzs w%d, d%d' % (d, n))
            if rng.random() < 0.5:     # NZCV as a value too (the epilogue stores the final one)
                c.add('cset w%d, eq' % ((d + 1) % 24))
        else:
            row = G.rows()[rng.choice(FRINTTS)]
            f = row_fields(rng, row)
            f['d'] |= 16               # V16-V31: FJCVTZS reads its (filtered) inputs from V0-V15
            f['n'] |= 16
            if rng.random() < 0.85:
                f['t'] = rng.randrange(2)  # mostly single / double (1x: UNDEF, ends the case)
            F.fill_fp(rng, c, f['n'], {0: 2, 1: 3, 2: 2, 3: 1}[f['t']])
            c.add(G.inst(G.encode(row, f)))
    F.epilogue(c)


GENERATORS = {'simdcplx': gen_simdcplx, 'simdfhm': gen_simdfhm, 'simdbf16': gen_simdbf16,
              'simdi8mm': gen_simdi8mm, 'fpjs': gen_fpjs}
