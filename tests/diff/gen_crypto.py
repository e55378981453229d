#!/usr/bin/env python3
"""gen_crypto.py - the `crypto` class of the differential test: the
Cryptographic Extension (AES, PMULL/PMULL2 of 8- and 64-bit lanes, SHA-1,
SHA-256, SHA-512, the SHA-3 helpers EOR3/BCAX/RAX1/XAR, SM3, SM4).

Imported by gen_cases.py (GENERATORS below). A case is one of:

  rows      1-6 crypto rows of a64.isa (class crypto, plus PMULL) with random
            fields: the engine's own encodings, run by qemu as whatever they
            really are;
  mnemonic  1-6 instructions written as assembler mnemonics, so that an
            encoding typed wrong in the table is caught by the cross assembler's
            independent encoding rather than checked against itself;
  chain     algorithm-shaped sequences where results feed later instructions:
            AES rounds (AESE+AESMC, AESD+AESIMC), SHA-1 and SHA-256 quad rounds
            with message-schedule updates, SHA-512 rounds, SM3 compression and
            expansion steps, SM4 key expansion and rounds, Keccak-like
            EOR3/RAX1/XAR/BCAX mixes;
  words     random words of the crypto encoding groups (sizes and opcodes the
            architecture leaves unallocated included: UNDEF on both sides).

Operands are random bytes or edge patterns (zero, all ones, 0x80/0x7f/0x01
bytes, single bits, words and doublewords of all ones next to small values so
the modular additions of the hash rounds carry and wrap); sometimes Vd, Vn and
Vm are the same register. Every case ends with gen_fpsimd's epilogue (V0-V31,
FPSR, FPCR, NZCV stored by the code itself).
"""

import gen_cases as G
import gen_fpsimd as F

# Mnemonic forms: d, n, m, a registers; i6 / i2 immediates.
MNEMONICS = [
    'aese v{d}.16b, v{n}.16b', 'aesd v{d}.16b, v{n}.16b', 'aesmc v{d}.16b, v{n}.16b',
    'aesimc v{d}.16b, v{n}.16b',
    'pmull v{d}.1q, v{n}.1d, v{m}.1d', 'pmull2 v{d}.1q, v{n}.2d, v{m}.2d',
    'pmull v{d}.8h, v{n}.8b, v{m}.8b', 'pmull2 v{d}.8h, v{n}.16b, v{m}.16b',
    'sha1c q{d}, s{n}, v{m}.4s', 'sha1p q{d}, s{n}, v{m}.4s', 'sha1m q{d}, s{n}, v{m}.4s',
    'sha1h s{d}, s{n}', 'sha1su0 v{d}.4s, v{n}.4s, v{m}.4s', 'sha1su1 v{d}.4s, v{n}.4s',
    'sha256h q{d}, q{n}, v{m}.4s', 'sha256h2 q{d}, q{n}, v{m}.4s', 'sha256su0 v{d}.4s, v{n}.4s',
    'sha256su1 v{d}.4s, v{n}.4s, v{m}.4s',
    'sha512h q{d}, q{n}, v{m}.2d', 'sha512h2 q{d}, q{n}, v{m}.2d', 'sha512su0 v{d}.2d, v{n}.2d',
    'sha512su1 v{d}.2d, v{n}.2d, v{m}.2d',
    'eor3 v{d}.16b, v{n}.16b, v{m}.16b, v{a}.16b', 'bcax v{d}.16b, v{n}.16b, v{m}.16b, v{a}.16b',
    'rax1 v{d}.2d, v{n}.2d, v{m}.2d', 'xar v{d}.2d, v{n}.2d, v{m}.2d, #{i6}',
    'sm3ss1 v{d}.4s, v{n}.4s, v{m}.4s, v{a}.4s', 'sm3tt1a v{d}.4s, v{n}.4s, v{m}.s[{i2}]',
    'sm3tt1b v{d}.4s, v{n}.4s, v{m}.s[{i2}]', 'sm3tt2a v{d}.4s, v{n}.4s, v{m}.s[{i2}]',
    'sm3tt2b v{d}.4s, v{n}.4s, v{m}.s[{i2}]', 'sm3partw1 v{d}.4s, v{n}.4s, v{m}.4s',
    'sm3partw2 v{d}.4s, v{n}.4s, v{m}.4s', 'sm4e v{d}.4s, v{n}.4s', 'sm4ekey v{d}.4s, v{n}.4s, v{m}.4s',
]

# Encoding groups (Arm ARM C4.1.95) for random words; x = random bit.
GROUPS = [
    '01001110xx10100xxxxx10xxxxxxxxxx',    # cryptographic AES
    '01011110xx0xxxxx0xxx00xxxxxxxxxx',    # three-register SHA
    '01011110xx10100xxxxx10xxxxxxxxxx',    # two-register SHA
    '11001110xxxxxxxxxxxxxxxxxxxxxxxx',    # four-register, XAR, imm2, SHA512 three/two-register
    '1100111011000000100000xxxxxxxxxx',    # two-register SHA512 (all opcodes)
    '11001110011xxxxx1x00xxxxxxxxxxxx',    # three-register SHA512 (O, opcode)
]

_ROWS = None


def crypto_rows():
    global _ROWS
    if _ROWS is None:
        rows = G.rows()
        _ROWS = [r for r in rows.values() if r.klass == 'crypto'] + [rows['PMULL']]
    return _ROWS


def lanes(vals, size):
    return b''.join(v.to_bytes(size, 'little') for v in vals)


def fill(rng, c, reg):
    """Random bytes (kept from the case) or an edge pattern in V[reg]."""
    k = rng.random()
    if k < 0.4:
        return
    pats = [
        bytes(16), b'\xff' * 16, b'\x80' * 16, b'\x7f' * 16, b'\x01' * 16, b'\x63' * 16,
        (1 << rng.randrange(128)).to_bytes(16, 'little'),
        ((1 << 128) - 1 - (1 << rng.randrange(128))).to_bytes(16, 'little'),
        lanes([rng.choice([0xffffffff, 0, 1, 0x80000000, 0x7fffffff, rng.getrandbits(32)]) for _ in range(4)], 4),
        lanes([rng.choice([0xffffffffffffffff, 0, 1, 0x8000000000000000, rng.getrandbits(64)])
               for _ in range(2)], 8),
        bytes(rng.choice([0, 0xff, 0x80, 0x01, rng.getrandbits(8)]) for _ in range(16)),
        b'\x55\xaa' * 8,
    ]
    c.v[reg] = rng.choice(pats)


def regs(rng, k):
    """k register numbers; sometimes all the same, sometimes partly equal."""
    r = rng.random()
    if r < 0.1:
        x = rng.randrange(32)
        return [x] * k
    if r < 0.25:
        pool = rng.sample(range(32), 2)
        return [rng.choice(pool) for _ in range(k)]
    return rng.sample(range(32), k)


def gen_rows(rng, c):
    rows = crypto_rows()
    for _ in range(rng.randrange(1, 7)):
        row = rng.choice(rows)
        f = {letter: rng.getrandbits(len(bits)) for letter, bits in row.fields.items()}
        rl = regs(rng, 4)
        for i, letter in enumerate('dnma'):
            if letter in row.fields:
                f[letter] = rl[i]
        if row.name == 'PMULL' and rng.random() < 0.7:
            f['z'] = rng.choice([0, 3, 3])
        for letter in 'dnma':
            if letter in row.fields:
                fill(rng, c, f[letter])
        c.add(G.inst(G.encode(row, f)))


def gen_mnemonic(rng, c):
    for _ in range(rng.randrange(1, 7)):
        t = rng.choice(MNEMONICS)
        d, n, m, a = regs(rng, 4)
        for r in (d, n, m, a):
            fill(rng, c, r)
        c.add(t.format(d=d, n=n, m=m, a=a, i6=rng.choice([0, 1, 63, 32, rng.randrange(64)]),
                       i2=rng.randrange(4)))


def gen_words(rng, c):
    for _ in range(rng.randrange(1, 4)):
        p = rng.choice(GROUPS)
        w = 0
        for ch in p:
            w = (w << 1) | (rng.getrandbits(1) if ch == 'x' else int(ch))
        for sh in (0, 5, 10, 16):
            fill(rng, c, (w >> sh) & 31)
        c.add(G.inst(w))


# ---- algorithm-shaped chains ---------------------------------------------------------

def chain_aes(rng, c):
    s, *keys = rng.sample(range(32), 6)
    for r in [s] + keys:
        fill(rng, c, r)
    dec = rng.random() < 0.5
    for i in range(rng.randrange(1, 6)):
        k = keys[i % len(keys)]
        c.add('%s v%d.16b, v%d.16b' % ('aesd' if dec else 'aese', s, k))
        c.add('%s v%d.16b, v%d.16b' % ('aesimc' if dec else 'aesmc', s, s))
    if rng.random() < 0.5:
        c.add('eor v%d.16b, v%d.16b, v%d.16b' % (s, s, keys[-1]))


def chain_sha256(rng, c):
    a, e, t, save, kk, *w = rng.sample(range(32), 9)
    for r in (a, e, t, save, kk, *w):
        fill(rng, c, r)
    for i in range(rng.randrange(1, 4)):
        w0, w1, w2, w3 = w[i % 4], w[(i + 1) % 4], w[(i + 2) % 4], w[(i + 3) % 4]
        c.add('add v%d.4s, v%d.4s, v%d.4s' % (t, w0, kk))
        c.add('mov v%d.16b, v%d.16b' % (save, a))
        c.add('sha256h q%d, q%d, v%d.4s' % (a, e, t))
        c.add('sha256h2 q%d, q%d, v%d.4s' % (e, save, t))
        c.add('sha256su0 v%d.4s, v%d.4s' % (w0, w1))
        c.add('sha256su1 v%d.4s, v%d.4s, v%d.4s' % (w0, w2, w3))


def chain_sha1(rng, c):
    a, e0, e1, t, *w = rng.sample(range(32), 8)
    for r in (a, e0, e1, t, *w):
        fill(rng, c, r)
    for i in range(rng.randrange(1, 4)):
        w0, w1, w2, w3 = w[i % 4], w[(i + 1) % 4], w[(i + 2) % 4], w[(i + 3) % 4]
        c.add('add v%d.4s, v%d.4s, v%d.4s' % (t, w0, w1))
        c.add('sha1h s%d, s%d' % (e1, a))
        c.add('%s q%d, s%d, v%d.4s' % (rng.choice(['sha1c', 'sha1p', 'sha1m']), a, e0, t))
        c.add('sha1su0 v%d.4s, v%d.4s, v%d.4s' % (w0, w1, w2))
        c.add('sha1su1 v%d.4s, v%d.4s' % (w0, w3))
        e0, e1 = e1, e0


def chain_sha512(rng, c):
    r = rng.sample(range(32), 10)
    for x in r:
        fill(rng, c, x)
    s0, s1, s2, s3, w0, w1, w4, w5, t, u = r
    for _ in range(rng.randrange(1, 3)):
        c.add('add v%d.2d, v%d.2d, v%d.2d' % (t, w0, s3))
        c.add('ext v%d.16b, v%d.16b, v%d.16b, #8' % (t, t, t))
        c.add('ext v%d.16b, v%d.16b, v%d.16b, #8' % (u, s2, s3))
        c.add('add v%d.2d, v%d.2d, v%d.2d' % (s3, s3, t))
        c.add('sha512h q%d, q%d, v%d.2d' % (s3, u, s1))
        c.add('sha512su0 v%d.2d, v%d.2d' % (w0, w1))
        c.add('ext v%d.16b, v%d.16b, v%d.16b, #8' % (u, w4, w5))
        c.add('add v%d.2d, v%d.2d, v%d.2d' % (s1, s2, s3))
        c.add('sha512h2 q%d, q%d, v%d.2d' % (s3, s1, s0))
        c.add('sha512su1 v%d.2d, v%d.2d, v%d.2d' % (w0, w5, u))
        s0, s1, s2, s3 = s3, s0, s1, s2


def chain_sm3(rng, c):
    r = rng.sample(range(32), 8)
    for x in r:
        fill(rng, c, x)
    abcd, efgh, ss1, w0, w1, w2, wp, t = r
    for _ in range(rng.randrange(1, 3)):
        c.add('sm3partw1 v%d.4s, v%d.4s, v%d.4s' % (t, w0, w2))
        c.add('sm3partw2 v%d.4s, v%d.4s, v%d.4s' % (t, w1, wp))
        c.add('eor v%d.16b, v%d.16b, v%d.16b' % (wp, w0, w1))
        for j in range(4):
            c.add('sm3ss1 v%d.4s, v%d.4s, v%d.4s, v%d.4s' % (ss1, abcd, efgh, t))
            c.add('%s v%d.4s, v%d.4s, v%d.s[%d]' % (rng.choice(['sm3tt1a', 'sm3tt1b']), abcd, ss1, wp, j))
            c.add('%s v%d.4s, v%d.4s, v%d.s[%d]' % (rng.choice(['sm3tt2a', 'sm3tt2b']), efgh, ss1, w0, j))
        w0, w1, w2 = w1, w2, t


def chain_sm4(rng, c):
    st, key, ck, rk0, rk1 = rng.sample(range(32), 5)
    for x in (st, key, ck, rk0, rk1):
        fill(rng, c, x)
    for _ in range(rng.randrange(1, 4)):
        c.add('sm4ekey v%d.4s, v%d.4s, v%d.4s' % (rk0, key, ck))
        c.add('sm4ekey v%d.4s, v%d.4s, v%d.4s' % (rk1, rk0, ck))
        c.add('sm4e v%d.4s, v%d.4s' % (st, rk0))
        c.add('sm4e v%d.4s, v%d.4s' % (st, rk1))
        key = rk1


def chain_sha3(rng, c):
    r = rng.sample(range(32), 6)
    for x in r:
        fill(rng, c, x)
    for _ in range(rng.randrange(2, 7)):
        d, n, m, a = (rng.choice(r) for _ in range(4))
        op = rng.randrange(4)
        if op == 0:
            c.add('eor3 v%d.16b, v%d.16b, v%d.16b, v%d.16b' % (d, n, m, a))
        elif op == 1:
            c.add('rax1 v%d.2d, v%d.2d, v%d.2d' % (d, n, m))
        elif op == 2:
            c.add('xar v%d.2d, v%d.2d, v%d.2d, #%d' % (d, n, m, rng.randrange(64)))
        else:
            c.add('bcax v%d.16b, v%d.16b, v%d.16b, v%d.16b' % (d, n, m, a))


CHAINS = [chain_aes, chain_sha256, chain_sha1, chain_sha512, chain_sm3, chain_sm4, chain_sha3]


def gen_crypto(rng, c):
    F.setup(rng, c)
    k = rng.random()
    if k < 0.35:
        gen_rows(rng, c)
    elif k < 0.6:
        gen_mnemonic(rng, c)
    elif k < 0.88:
        rng.choice(CHAINS)(rng, c)
    else:
        gen_words(rng, c)
    F.epilogue(c)


GENERATORS = {'crypto': gen_crypto}
