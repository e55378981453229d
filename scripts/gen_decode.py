#!/usr/bin/env python3
"""gen_decode.py - turn an instruction-encoding table (src/engine/isa/*.isa) into C.

Input format (see the header of src/engine/isa/a64.isa):
    %features NAME...           feature names rows may be gated on (repeatable)
    %classes NAME...            implementation classes (files of src/engine/exec; repeatable)
    NAME PATTERN FEATURE CLASS ["template"]
    {  ... rows ...  }          priority group: rows inside may overlap

PATTERN is 32 characters, bit 31 first: '0'/'1' fixed, '-' ignored, a letter
is a field (bits with the same letter concatenate, most significant first).

Checks (any failure: message on stderr, exit status 1, nothing written):
  - pattern length and characters, unique names, declared feature/class,
  - template braces balanced and every {kind:F} field letter present in the row,
  - no two rows overlap (some word matches both) unless both are in the same
    priority group.

Outputs (with --out DIR, prefix from --prefix, default "a64"):
  DIR/<prefix>_args.h     argument structs, op_ prototypes, feature bits
  DIR/<prefix>_tables.inc field extractors, per-op0 row tables, disassembly rows
With --check the input is only validated.
"""

import argparse
import os
import re
import sys


class SpecError(Exception):
    pass


class Row:
    def __init__(self, name, pattern, feature, klass, template, group, lineno):
        self.name = name
        self.pattern = pattern
        self.feature = feature
        self.klass = klass
        self.template = template
        self.group = group          # 0 = none
        self.lineno = lineno
        self.mask = 0
        self.match = 0
        self.fields = {}            # letter -> list of bit positions, msb first
        for i, ch in enumerate(pattern):
            bit = 31 - i
            if ch in '01':
                self.mask |= 1 << bit
                if ch == '1':
                    self.match |= 1 << bit
            elif ch == '-':
                pass
            else:
                self.fields.setdefault(ch, []).append(bit)


NAME_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
PAT_RE = re.compile(r'^[01A-Za-z-]{32}$')
FIELD_REF_RE = re.compile(r'\{[?!]?([a-z0-9]+):([A-Za-z])')


def split_line(line):
    """Split a row into (tokens, template) honouring the quoted template."""
    template = None
    q = line.find('"')
    if q >= 0:
        end = line.rfind('"')
        if end == q:
            raise SpecError('unterminated template string')
        template = line[q + 1:end]
        rest = line[end + 1:].strip()
        if rest and not rest.startswith('#'):
            raise SpecError('text after the template: %r' % rest)
        line = line[:q]
    else:
        h = line.find('#')
        if h >= 0:
            line = line[:h]
    return line.split(), template


def check_template(row):
    t = row.template
    if t is None:
        return
    depth = 0
    for ch in t:
        if ch == '{':
            depth += 1
        elif ch == '}':
            depth -= 1
            if depth < 0:
                raise SpecError('%s: unbalanced "}" in template' % row.name)
    if depth:
        raise SpecError('%s: unbalanced "{" in template' % row.name)
    for m in re.finditer(r'\{([?!])([A-Za-z]):', t):
        if m.group(2) not in row.fields:
            raise SpecError('%s: template tests field %r the pattern does not have'
                            % (row.name, m.group(2)))
    for m in re.finditer(r'\{([a-z0-9]+):([A-Za-z])(\*\d+)?\}', t):
        if m.group(2) not in row.fields:
            raise SpecError('%s: template uses field %r the pattern does not have'
                            % (row.name, m.group(2)))


def parse(path):
    features, classes = None, None
    rows, names = [], set()
    group, ngroups, group_open_line = 0, 0, None
    with open(path) as f:
        lines = f.readlines()
    for lineno, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        where = '%s:%d: ' % (path, lineno)
        try:
            if line.startswith('%features'):
                features = (features or []) + line.split('#')[0].split()[1:]
                continue
            if line.startswith('%classes'):
                classes = (classes or []) + line.split('#')[0].split()[1:]
                continue
            if line.startswith('%'):
                raise SpecError('unknown directive %s' % line.split()[0])
            if line.split('#')[0].strip() == '{':
                if group:
                    raise SpecError('nested priority group')
                ngroups += 1
                group, group_open_line = ngroups, lineno
                continue
            if line.split('#')[0].strip() == '}':
                if not group:
                    raise SpecError('"}" without "{"')
                group = 0
                continue
            toks, template = split_line(line)
            if len(toks) != 4:
                raise SpecError('expected NAME PATTERN FEATURE CLASS ["template"], got %r' % line)
            name, pattern, feature, klass = toks
            if not NAME_RE.match(name):
                raise SpecError('bad name %r' % name)
            if name in names:
                raise SpecError('duplicate name %s' % name)
            if len(pattern) != 32:
                raise SpecError('%s: pattern has %d characters, not 32' % (name, len(pattern)))
            if not PAT_RE.match(pattern):
                raise SpecError('%s: pattern has characters other than 0 1 - and letters' % name)
            if features is None or classes is None:
                raise SpecError('rows before %features / %classes')
            if feature != '-' and feature not in features:
                raise SpecError('%s: undeclared feature %s' % (name, feature))
            if klass not in classes:
                raise SpecError('%s: undeclared class %s' % (name, klass))
            row = Row(name, pattern, feature, klass, template, group, lineno)
            check_template(row)
            names.add(name)
            rows.append(row)
        except SpecError as e:
            raise SpecError(where + str(e))
    if group:
        raise SpecError('%s:%d: priority group never closed' % (path, group_open_line))
    if features is None or classes is None:
        raise SpecError('%s: missing %%features or %%classes' % path)
    if len(features) > 64:
        raise SpecError('%s: more than 64 features (A64_FEAT_* are bits of a uint64_t)' % path)
    if not rows:
        raise SpecError('%s: no rows' % path)
    return features, classes, rows


def overlaps(a, b):
    common = a.mask & b.mask
    return (a.match & common) == (b.match & common)


def check_overlaps(rows):
    errors = []
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            if overlaps(a, b) and not (a.group and a.group == b.group):
                word = (a.match | b.match)
                errors.append('rows %s (line %d) and %s (line %d) overlap, e.g. 0x%08x; '
                              'put them in one { } priority group or make them disjoint'
                              % (a.name, a.lineno, b.name, b.lineno, word))
    if errors:
        raise SpecError('\n'.join(errors))


def runs(bits):
    """Group msb-first bit positions into (lsb, length) runs, msb first."""
    out = []
    for b in bits:
        if out and out[-1][0] == b + 1:
            out[-1] = (b, out[-1][1] + 1)
        else:
            out.append((b, 1))
    return out


def extract_expr(bits):
    parts, shift = [], 0
    for lsb, length in reversed(runs(bits)):
        e = '((insn >> %d) & 0x%x)' % (lsb, (1 << length) - 1)
        if shift:
            e = '(%s << %d)' % (e, shift)
        parts.append(e)
        shift += length
    return ' | '.join(reversed(parts))


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def emit(features, rows, outdir, prefix, src):
    P = prefix.upper()
    hdr = []
    hdr.append('/* %s_args.h - generated by scripts/gen_decode.py from %s; do not edit. */' % (prefix, src))
    hdr.append('#ifndef SOFTKVM_GEN_%s_ARGS_H' % P)
    hdr.append('#define SOFTKVM_GEN_%s_ARGS_H' % P)
    hdr.append('#include <stdbool.h>')
    hdr.append('#include <stdint.h>')
    hdr.append('struct decode;')
    hdr.append('')
    for i, f in enumerate(features):
        hdr.append('#define %s_FEAT_%s (1ull << %d)' % (P, f.upper(), i))
    hdr.append('#define %s_NROWS %d' % (P, len(rows)))
    hdr.append('')
    for r in rows:
        letters = sorted(r.fields)
        if letters:
            hdr.append('struct args_%s { uint32_t %s; };' % (r.name, ', '.join(letters)))
        else:
            hdr.append('struct args_%s { char unused; };' % r.name)
        hdr.append('bool op_%s(struct decode *dc, const struct args_%s *a);' % (r.name, r.name))
    hdr.append('')
    hdr.append('#endif')

    tab = []
    tab.append('/* %s_tables.inc - generated by scripts/gen_decode.py from %s; do not edit.' % (prefix, src))
    tab.append(' * Included once, by src/engine/decode.c, after struct %s_row is declared. */' % prefix)
    tab.append('')
    for r in rows:
        tab.append('static bool dec_%s(struct decode *dc, uint32_t insn)' % r.name)
        tab.append('{')
        tab.append('    struct args_%s a;' % r.name)
        if r.fields:
            for letter in sorted(r.fields):
                tab.append('    a.%s = %s;' % (letter, extract_expr(r.fields[letter])))
        else:
            tab.append('    a.unused = 0;')
            tab.append('    (void)insn;')
        tab.append('    return op_%s(dc, &a);' % r.name)
        tab.append('}')
        tab.append('static void fld_%s(uint32_t insn, uint32_t *f)' % r.name)
        tab.append('{')
        if r.fields:
            for letter in sorted(r.fields):
                tab.append('    f[%d] = %s; /* %s */' % (field_index(letter), extract_expr(r.fields[letter]), letter))
                tab.append('    f[%d] = %d;' % (field_index(letter) + 52, len(r.fields[letter])))
        else:
            tab.append('    (void)insn; (void)f;')
        tab.append('}')
    tab.append('')
    tab.append('static const struct %s_row %s_rows[%d] = {' % (prefix, prefix, len(rows)))
    for r in rows:
        feat = '%s_FEAT_%s' % (P, r.feature.upper()) if r.feature != '-' else '0'
        tab.append('    { 0x%08xu, 0x%08xu, %s, %d, dec_%s, fld_%s, %s, %s },'
                   % (r.mask, r.match, feat, r.group, r.name, r.name, c_string(r.name),
                      c_string(r.template if r.template is not None else r.name.lower())))
    tab.append('};')
    tab.append('')
    # Rows per top-level group: bits 28:25 (Arm ARM C4.1 "op0").
    for op0 in range(16):
        ids = []
        for i, r in enumerate(rows):
            m = (r.mask >> 25) & 0xf
            v = (r.match >> 25) & 0xf
            if (op0 & m) == v:
                ids.append(i)
        tab.append('static const uint16_t %s_op0_%d[] = { %s0xffff };'
                   % (prefix, op0, ''.join('%d, ' % i for i in ids)))
    tab.append('static const uint16_t *const %s_op0[16] = {' % prefix)
    tab.append('    ' + ', '.join('%s_op0_%d' % (prefix, i) for i in range(16)))
    tab.append('};')

    os.makedirs(outdir, exist_ok=True)
    write_if_changed(os.path.join(outdir, '%s_args.h' % prefix), '\n'.join(hdr) + '\n')
    write_if_changed(os.path.join(outdir, '%s_tables.inc' % prefix), '\n'.join(tab) + '\n')


def field_index(letter):
    """Field letters index an array of 52: a-z then A-Z (sizes follow at +52)."""
    if 'a' <= letter <= 'z':
        return ord(letter) - ord('a')
    return 26 + ord(letter) - ord('A')


def write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.replace(path + '.tmp', path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('spec')
    ap.add_argument('--out', help='output directory')
    ap.add_argument('--prefix', default='a64')
    ap.add_argument('--check', action='store_true', help='validate only')
    args = ap.parse_args()
    try:
        features, classes, rows = parse(args.spec)
        check_overlaps(rows)
    except SpecError as e:
        print('gen_decode: error: %s' % e, file=sys.stderr)
        return 1
    except OSError as e:
        print('gen_decode: error: %s' % e, file=sys.stderr)
        return 1
    if args.check:
        print('gen_decode: %s: %d rows, %d groups, ok'
              % (args.spec, len(rows), len({r.group for r in rows if r.group})))
        return 0
    if not args.out:
        print('gen_decode: error: --out DIR needed (or --check)', file=sys.stderr)
        return 1
    emit(features, rows, args.out, args.prefix, os.path.basename(args.spec))
    return 0


if __name__ == '__main__':
    sys.exit(main())
