#!/bin/sh
# run_fp.sh - engine vs qemu-aarch64 on the FP workloads (scalar and NEON
# builds) and on the vectorised build of the integer workloads, side by side.
#
#   bench/run_fp.sh [BUILD_DIR] [RUNS] [SIZE]
#
# BUILD_DIR (default: build) must hold, under bench/: bench_engine, the guest
# images engine_guest_{fp_scalar,fp_neon,int_vec}.bin, the static Linux
# programs bench_linux_{...} and the host builds bench_native_{...}
# (bench/fp.cmake). For each workload and build the script runs, interleaved
# RUNS times (default 3): the guest on the engine (bench_engine: CPU time of
# engine_run), the same object as a static Linux program under
# `qemu-aarch64 -cpu max` (CPU time of the child, user+sys, from wait4) and
# the same C source built for the host with the corresponding flags
# ("native": scalar / SSE2). The guest instruction count is the engine's
# retired-instruction counter, used for both engine and qemu (same object
# code); native-eq MIPS = that count / native CPU time, as in
# shared/bench/ANCHORS.md. Checksums must agree (the FP kernels use exactly
# representable data, so vectorised reductions give the same sums).
# SIZE scales the work (default 1: about 3e8 guest instructions per scalar
# FP workload, 1e9 per integer workload).
set -e
BUILD=${1:-build}
RUNS=${2:-3}
SIZE=${3:-1}
QEMU=${QEMU:-qemu-aarch64}
for v in fp_scalar fp_neon int_vec; do
    for f in "$BUILD/bench/bench_engine" "$BUILD/bench/engine_guest_$v.bin" "$BUILD/bench/bench_linux_$v" \
             "$BUILD/bench/bench_native_$v"; do
        if [ ! -e "$f" ]; then
            echo "run_fp.sh: $f missing (build bench_engine, bench_fp_images and bench_native_$v)" >&2
            exit 1
        fi
    done
done
exec python3 - "$BUILD" "$RUNS" "$SIZE" "$QEMU" <<'EOF'
import math, os, statistics, subprocess, sys, time

build, runs, size, qemu = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
B = os.path.join(build, 'bench')
eng = os.path.join(B, 'bench_engine')
# (group, variant, id, name, scale for ~3e8 scalar FP / ~1e9 integer guest instructions)
work = [('scalar', 'fp_scalar', 0, 'daxpy', 10000), ('scalar', 'fp_scalar', 1, 'dot', 12000),
        ('scalar', 'fp_scalar', 2, 'stencil', 2200), ('scalar', 'fp_scalar', 3, 'reduce', 9000),
        ('neon', 'fp_neon', 0, 'daxpy', 10000), ('neon', 'fp_neon', 1, 'dot', 12000),
        ('neon', 'fp_neon', 2, 'stencil', 2200), ('neon', 'fp_neon', 3, 'reduce', 9000),
        ('int-vec', 'int_vec', 0, 'crc32', 2000), ('int-vec', 'int_vec', 1, 'sieve', 250),
        ('int-vec', 'int_vec', 2, 'sort', 370), ('int-vec', 'int_vec', 3, 'interp', 40),
        ('int-vec', 'int_vec', 4, 'memops', 3500), ('int-vec', 'int_vec', 5, 'addchain', 125)]


def run_engine(v, i, scale):
    img = os.path.join(B, 'engine_guest_%s.bin' % v)
    out = subprocess.run([eng, img, str(i), str(scale)], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1]), float(out[2]), float(out[4])   # checksum, insns, cpu s, wall s


def run_child(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    if status:
        raise SystemExit('%s failed: %s' % (cmd[0], status))
    return int(out.split()[0]), ru.ru_utime + ru.ru_stime, wall


g = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs))
print('| group | workload | guest insns (M) | engine s cpu (wall) | engine MIPS | qemu s cpu (wall) | qemu MIPS | '
      'native s cpu | native-eq MIPS | engine/qemu | engine/native | checksum |')
print('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|')
groups = {}
for grp, v, i, name, scale in work:
    scale = max(1, int(scale * size))
    et, ew, qt, qw, nt = [], [], [], [], []
    ok, insns = True, None
    for _ in range(runs):
        c1, n, t, w = run_engine(v, i, scale)
        c2, t2, w2 = run_child([qemu, '-cpu', 'max', os.path.join(B, 'bench_linux_' + v), str(i), str(scale)])
        c3, t3, _ = run_child([os.path.join(B, 'bench_native_' + v), str(i), str(scale)])
        ok &= c1 == c2 == c3
        insns = n
        et.append(t); ew.append(w); qt.append(t2); qw.append(w2); nt.append(t3)
    e, q, nv = statistics.median(et), statistics.median(qt), statistics.median(nt)
    em, qm, nm = insns / e / 1e6, insns / q / 1e6, insns / nv / 1e6
    groups.setdefault(grp, []).append((em, qm, nm))
    print('| %s | %s | %.0f | %.3f (%.3f) | %.0f | %.3f (%.3f) | %.0f | %.4f | %.0f | %.2fx | 1/%.1f | %s |' %
          (grp, name, insns / 1e6, e, statistics.median(ew), em, q, statistics.median(qw), qm, nv, nm, em / qm,
           nm / em, 'same' if ok else 'DIFFERENT'))
    sys.stdout.flush()
print()
print('| group | n | engine MIPS | qemu MIPS | native-eq MIPS | engine/qemu | engine/native |')
print('|---|--:|--:|--:|--:|--:|--:|')
for grp, rows in groups.items():
    em, qm, nm = g([r[0] for r in rows]), g([r[1] for r in rows]), g([r[2] for r in rows])
    print('| %s | %d | %.0f | %.0f | %.0f | %.2fx | 1/%.1f |' % (grp, len(rows), em, qm, nm, em / qm, nm / em))
EOF
