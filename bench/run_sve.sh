#!/bin/sh
# run_sve.sh - engine vs qemu-aarch64 on SVE builds of the FP and integer
# workloads, at several vector lengths, side by side.
#
#   bench/run_sve.sh [BUILD_DIR] [RUNS] [SIZE] [VQS]
#
# BUILD_DIR (default: build) must hold, under bench/: bench_engine, the guest
# images engine_guest_sve_{fp,int}.bin, the static Linux programs
# bench_linux_sve_{fp,int} and the AVX2 host build bench_native_sve_fp
# (bench/sve.cmake). For each workload and vector length (VQS, default
# "1 4 16": 128, 512 and 2048 bits) the script runs, interleaved RUNS times
# (default 3): the guest on the engine as an SVE vCPU at that length
# (BENCH_SVE_VQ; CPU time of engine_run), the same object as a static Linux
# program under `qemu-aarch64 -cpu max,sve-max-vq=N,sve-default-vector-length=16N`
# (CPU time of the child) and, for the FP kernels, the AVX2 host build. The
# guest instruction count is the engine's retired-instruction counter (it
# falls as the vector length grows); both sides execute the same object, so
# checksums must agree at every length. Medians; MIPS; engine/qemu is the
# ratio of qemu's time to the engine's (> 1: the engine is faster).
set -e
BUILD=${1:-build}
RUNS=${2:-3}
SIZE=${3:-1}
VQS=${4:-1 4 16}
QEMU=${QEMU:-qemu-aarch64}
for f in "$BUILD/bench/bench_engine" "$BUILD/bench/engine_guest_sve_fp.bin" "$BUILD/bench/engine_guest_sve_int.bin" \
         "$BUILD/bench/bench_linux_sve_fp" "$BUILD/bench/bench_linux_sve_int" "$BUILD/bench/bench_native_sve_fp"; do
    if [ ! -e "$f" ]; then
        echo "run_sve.sh: $f missing (build bench_engine, bench_sve_images and bench_native_sve_fp)" >&2
        exit 1
    fi
done
exec python3 - "$BUILD" "$RUNS" "$SIZE" "$QEMU" "$VQS" <<'EOF'
import math, os, statistics, subprocess, sys, time

build, runs, size, qemu, vqs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5].split()
B = os.path.join(build, 'bench')
eng = os.path.join(B, 'bench_engine')
# (group, variant, id, name, scale: about 1e8 guest instructions at VL 128)
work = [('fp', 'sve_fp', 0, 'daxpy', 5000), ('fp', 'sve_fp', 1, 'dot', 8000), ('fp', 'sve_fp', 2, 'stencil', 2500),
        ('fp', 'sve_fp', 3, 'reduce', 12000),
        ('int', 'sve_int', 0, 'crc32', 200), ('int', 'sve_int', 1, 'sieve', 25), ('int', 'sve_int', 2, 'sort', 37),
        ('int', 'sve_int', 3, 'interp', 4), ('int', 'sve_int', 4, 'memops', 350), ('int', 'sve_int', 5, 'addchain', 12)]


def run_engine(v, i, scale, vq):
    img = os.path.join(B, 'engine_guest_%s.bin' % v)
    env = dict(os.environ, BENCH_SVE_VQ=str(vq))
    out = subprocess.run([eng, img, str(i), str(scale)], capture_output=True, text=True, check=True,
                         env=env).stdout.split()
    return int(out[0]), int(out[1]), float(out[2])   # checksum, insns, cpu s


def run_child(cmd):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    if status:
        raise SystemExit('%s failed: %s' % (cmd[0], status))
    return int(out.split()[0]), ru.ru_utime + ru.ru_stime


g = lambda xs: math.exp(sum(math.log(x) for x in xs) / len(xs))
print('| workload | VL bits | guest insns (M) | engine s cpu | engine MIPS | qemu s cpu | qemu MIPS | '
      'native avx2 s cpu | engine/qemu | checksum |')
print('|---|--:|--:|--:|--:|--:|--:|--:|--:|---|')
ratios = {}
for grp, v, i, name, scale in work:
    scale = max(1, int(scale * size))
    for vq in vqs:
        vq = int(vq)
        et, qt, nt = [], [], []
        ok, insns = True, None
        for _ in range(runs):
            c1, n, t = run_engine(v, i, scale, vq)
            c2, t2 = run_child([qemu, '-cpu', 'max,sve-max-vq=%d,sve-default-vector-length=%d' % (vq, 16 * vq),
                                os.path.join(B, 'bench_linux_%s' % v), str(i), str(scale)])
            ok &= c1 == c2
            if grp == 'fp':
                c3, t3 = run_child([os.path.join(B, 'bench_native_sve_fp'), str(i), str(scale)])
                ok &= c3 == c1
                nt.append(t3)
            insns = n
            et.append(t)
            qt.append(t2)
        e, q = statistics.median(et), statistics.median(qt)
        ratios.setdefault((grp, vq), []).append(q / e)
        print('| %s | %d | %.1f | %.3f | %.0f | %.3f | %.0f | %s | %.2fx | %s |' %
              (name, 128 * vq, insns / 1e6, e, insns / e / 1e6, q, insns / q / 1e6,
               '%.4f' % statistics.median(nt) if nt else '-', q / e, 'same' if ok else 'DIFFERENT'))
        sys.stdout.flush()
print()
print('| group | VL bits | engine/qemu (geomean of time ratios) |')
print('|---|--:|--:|')
for (grp, vq), rs in sorted(ratios.items()):
    print('| %s | %d | %.2fx |' % (grp, 128 * vq, g(rs)))
EOF
