#!/bin/sh
# tests/selftests/run.sh - Linux 6.1's own KVM selftests for arm64, run on softkvm.
#
# Unpacks tools/testing/selftests/kvm (plus what it needs) from Debian's
# linux-source-6.1 package, installs the kernel's own arm64 uapi headers
# (make headers_install), builds the arm64 selftests with aarch64-linux-gnu-gcc
# and runs each one under qemu-aarch64 with the aarch64 libsoftkvm-preload.so,
# i.e. as unmodified arm64 KVM programs. Prints one line per test and writes
# $WORK/results.tsv (test, host, result, seconds, last message).
#
# Safety: this machine's /dev/kvm may be a real (x86) KVM. Each test runs in a
# private mount namespace where /dev/kvm is /dev/null, so even a test whose
# LD_PRELOAD failed to load can never reach it. Without that isolation the
# script refuses to run where /dev/kvm exists.
#
# usage: tests/selftests/run.sh [--quick] [--timeout S] [TEST[@HOST]...]
#   --quick       only the tests that need no guest execution (seconds; CTest uses this)
#   TEST@HOST     run TEST with SOFTKVM_HOST=HOST (default qemu-max)
# environment: BUILD (build dir, default ./build), PRELOAD (aarch64 shim,
#   default $BUILD/aarch64/libsoftkvm-preload.so), TIMEOUT (default 20 s per test)
# exit status: 0 if every test expected to pass on softkvm passed, 1 otherwise, 2 on set-up errors.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
WORK=$BUILD/selftests
PRELOAD=${PRELOAD:-$BUILD/aarch64/libsoftkvm-preload.so}
TIMEOUT=${TIMEOUT:-20}
TARBALL=/usr/src/linux-source-6.1.tar.xz
KSRC=$WORK/src/linux-source-6.1
KST=$KSRC/tools/testing/selftests/kvm
BIN=$WORK/bin
LOGS=$WORK/logs
CROSS=aarch64-linux-gnu-

# Tests expected to pass on softkvm today, and the quick set (no guest code runs).
EXPECTED="aarch64/get-reg-list@qemu-max aarch64/get-reg-list@a64fx aarch64/get-reg-list@graviton3
aarch64/get-reg-list@nosve kvm_create_max_vcpus@qemu-max aarch64/vcpu_width_config@qemu-max
set_memory_region_test@qemu-max"
QUICK="aarch64/get-reg-list@qemu-max aarch64/get-reg-list@a64fx aarch64/get-reg-list@graviton3
aarch64/get-reg-list@nosve kvm_create_max_vcpus@qemu-max aarch64/vcpu_width_config@qemu-max
aarch64/aarch32_id_regs@qemu-max aarch64/vgic_irq@qemu-max kvm_binary_stats_test@qemu-max steal_time@qemu-max"
# Every arm64 test of the 6.1 Makefile (TEST_GEN_PROGS_aarch64), get-reg-list on several hosts.
ALL="aarch64/get-reg-list@qemu-max aarch64/get-reg-list@a64fx aarch64/get-reg-list@graviton3
aarch64/get-reg-list@nosve kvm_create_max_vcpus@qemu-max aarch64/vcpu_width_config@qemu-max
aarch64/aarch32_id_regs@qemu-max aarch64/arch_timer@qemu-max aarch64/debug-exceptions@qemu-max
aarch64/hypercalls@qemu-max aarch64/psci_test@qemu-max aarch64/vgic_init@qemu-max aarch64/vgic_irq@qemu-max
demand_paging_test@qemu-max dirty_log_test@qemu-max dirty_log_perf_test@qemu-max kvm_page_table_test@qemu-max
memslot_modification_stress_test@qemu-max memslot_perf_test@qemu-max rseq_test@qemu-max
set_memory_region_test@qemu-max steal_time@qemu-max kvm_binary_stats_test@qemu-max"

die() { echo "selftests: $*" >&2; exit 2; }

TESTS=""
while [ $# -gt 0 ]; do
    case $1 in
    --quick) TESTS="$TESTS $QUICK" ;;
    --timeout) shift; TIMEOUT=$1 ;;
    -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) die "unknown option $1" ;;
    *@*) TESTS="$TESTS $1" ;;
    *) TESTS="$TESTS $1@qemu-max" ;;
    esac
    shift
done
[ -n "$TESTS" ] || TESTS=$ALL

# ---- prerequisites -------------------------------------------------------------
command -v ${CROSS}gcc >/dev/null || die "${CROSS}gcc not found (apt-get install gcc-aarch64-linux-gnu)"
command -v qemu-aarch64 >/dev/null || die "qemu-aarch64 not found (apt-get install qemu-user)"
command -v rsync >/dev/null || die "rsync not found: the kernel's headers_install needs it (apt-get install rsync)"
[ -f "$PRELOAD" ] || die "$PRELOAD not found: build it first (make selftests does)"
# The shim must be an aarch64 ELF (e_machine 183 = 0xb7 at offset 18).
[ "$(od -An -tx1 -j18 -N2 "$PRELOAD" | tr -d ' \n')" = "b700" ] || die "$PRELOAD is not an aarch64 library"

if unshare -m --propagation private sh -c 'mount --bind /dev/null /dev/kvm 2>/dev/null || [ ! -e /dev/kvm ]' 2>/dev/null; then
    ISOLATE=1
elif [ ! -e /dev/kvm ]; then
    ISOLATE=0
else
    die "cannot hide this machine's /dev/kvm (needs unshare -m and mount, i.e. root): refusing to run"
fi

if [ ! -f "$TARBALL" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "selftests: installing linux-source-6.1" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.1 >/dev/null
    fi
    [ -f "$TARBALL" ] || die "$TARBALL not found (apt-get install linux-source-6.1)"
fi

# ---- unpack, headers, build (each step once; stamps in $WORK) ----------------------
mkdir -p "$WORK/src" "$BIN" "$LOGS"
stamp=$(stat -c %Y "$TARBALL")
if [ "$(cat "$WORK/.unpacked" 2>/dev/null)" != "$stamp" ]; then
    echo "selftests: unpacking the 6.1 selftests from $TARBALL" >&2
    rm -rf "$WORK/src/linux-source-6.1" "$WORK/.headers" "$WORK/.built"
    nice tar -xJf "$TARBALL" -C "$WORK/src" --wildcards \
        'linux-source-6.1/Makefile' 'linux-source-6.1/Kbuild' 'linux-source-6.1/Kconfig' \
        'linux-source-6.1/scripts/*' 'linux-source-6.1/tools/*' 'linux-source-6.1/include/uapi/*' \
        'linux-source-6.1/include/asm-generic/*' 'linux-source-6.1/arch/arm64/Makefile' \
        'linux-source-6.1/arch/arm64/include/uapi/*' 'linux-source-6.1/arch/arm64/include/asm/Kbuild' \
        'linux-source-6.1/arch/arm64/tools/*'
    echo "$stamp" > "$WORK/.unpacked"
fi
if [ ! -f "$WORK/.headers" ]; then
    echo "selftests: installing the kernel's arm64 uapi headers (make headers_install)" >&2
    nice make -s -C "$KSRC" ARCH=arm64 CROSS_COMPILE=$CROSS headers_install INSTALL_HDR_PATH=usr \
        > "$LOGS/headers_install.log" 2>&1 || die "headers_install failed, see $LOGS/headers_install.log"
    touch "$WORK/.headers"
fi
if [ ! -f "$WORK/.built" ]; then
    echo "selftests: building the arm64 KVM selftests" >&2
    # -k: two 6.1.192 tests do not build from this tree; the others must.
    nice make -k -j"$(nproc)" -C "$KST" ARCH=arm64 CROSS_COMPILE=$CROSS OUTPUT="$BIN" \
        > "$LOGS/build.log" 2>&1 || true
    touch "$WORK/.built"
fi

# ---- run ------------------------------------------------------------------------
run_one() {   # test host timeout -> runs in $BIN, output to $log
    t=$1 h=$2 s=$3
    timeout -k 5 "$s" unshare -m --propagation private sh -c '
        if [ "$0" = 1 ]; then mount --bind /dev/null /dev/kvm 2>/dev/null || [ ! -e /dev/kvm ] || exit 99; fi
        cd "$1" && shift && exec "$@"' "$ISOLATE" "$BIN" \
        qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_PRELOAD="$PRELOAD" -E SOFTKVM_HOST="$h" "./$t"
}

if [ "$ISOLATE" = 0 ]; then
    run_one() {
        t=$1 h=$2 s=$3
        (cd "$BIN" && timeout -k 5 "$s" qemu-aarch64 -L /usr/aarch64-linux-gnu -E LD_PRELOAD="$PRELOAD" \
            -E SOFTKVM_HOST="$h" "./$t")
    }
fi

# What a log says: per-configuration verdicts if it has them (get-reg-list), else
# its last line that says something (no stack-dump lines, no ld.so noise of the
# addr2line children the selftests' assertion handler starts).
reason() {
    pass=$(grep -ac ': PASS$' "$1" || :)
    skip=$(grep -ac 'not available, skipping' "$1" || :)
    if [ "$pass" -gt 0 ]; then
        echo "configurations: $pass PASS${skip:+, $skip SKIP (host lacks the feature)}" | sed 's/, 0 SKIP.*//'
        return
    fi
    grep -av -e '^ *[0-9][0-9]*	0x' -e '^ERROR: ld.so' -e '^ *$' "$1" | tail -n 1 | cut -c1-150
}

results=$WORK/results.tsv
printf 'test\thost\tresult\tseconds\tlast message\n' > "$results"
failed_expected=0
printf '%-42s %-10s %-8s %7s  %s\n' TEST HOST RESULT SECONDS "LAST MESSAGE"
for spec in $TESTS; do
    t=${spec%@*}
    h=${spec#*@}
    log=$LOGS/$(echo "$t" | tr / _)@$h.log
    limit=$TIMEOUT
    case $t in set_memory_region_test) limit=$((TIMEOUT > 300 ? TIMEOUT : 300)) ;; esac   # 32767 memslots
    start=$(date +%s.%N)
    if [ ! -x "$BIN/$t" ]; then
        res=NOBUILD
        grep -m1 "$(basename "$t")\.c:[0-9].*\(error\|undefined\)" "$LOGS/build.log" 2>/dev/null |
            sed "s|^$KST/||; s|^\(.*\)\.c:\([0-9]*\):[0-9]*: |does not build: \1.c:\2: |; s|^\(.*\.c:[0-9]*\): undefined|does not build: \1: undefined|" > "$log" || :
    else
        set +e
        run_one "$t" "$h" "$limit" > "$log" 2>&1
        rc=$?
        set -e
        case $rc in
        0) res=PASS ;;
        4) res=SKIP ;;               # KSFT_SKIP
        124|137) res=TIMEOUT ;;
        99) res=ISOLATION ;;
        *) res=FAIL ;;
        esac
    fi
    secs=$(awk "BEGIN { print $(date +%s.%N) - $start }")
    msg=$(reason "$log")
    [ "$res" = TIMEOUT ] && msg="no result after ${limit} s${msg:+ (last: $msg)}"
    printf '%-42s %-10s %-8s %7.1f  %s\n' "$t" "$h" "$res" "$secs" "$msg"
    printf '%s\t%s\t%s\t%.1f\t%s\n' "$t" "$h" "$res" "$secs" "$msg" >> "$results"
    case " $(echo $EXPECTED) " in
    *" $spec "*) [ "$res" = PASS ] || failed_expected=$((failed_expected + 1)) ;;
    esac
done
echo "selftests: results in $results, logs in $LOGS" >&2
if [ "$failed_expected" -gt 0 ]; then
    echo "selftests: $failed_expected test(s) expected to pass on softkvm did not" >&2
    exit 1
fi
exit 0
