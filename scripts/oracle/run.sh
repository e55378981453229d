#!/bin/bash
# run.sh - the ABI conformance suite (tests/abi) on real Linux 6.1 arm64 KVM.
#
# Boots Debian's arm64 6.1 kernel in qemu-system-aarch64 (-M virt,virtualization=on: the
# guest kernel is the KVM host) once per host cfg, with a static /init (init.c) that runs
# the suite's real-KVM build and powers off. Collects the PASS/FAIL lines, prints a
# summary table, exits nonzero on any FAIL or missing result.
#
# A cfg whose boot shows a FAIL or lost results is booted once more: the nested, emulated
# host (TCG) is not perfectly deterministic (seen once: an injected UNDEF's ELR_EL1 one
# instruction group early). Rows that fail only on the first boot are listed as FLAKY;
# a FAIL on the second boot fails the run.
#
# Environment: BUILD (CMake build dir, default <repo>/build), ORACLE_CFGS (default
# "default vq4 vq124 nosve"), ORACLE_GROUP (all|norun|run, default all), ORACLE_JOBS
# (parallel boots, default 2), ORACLE_TIMEOUT (seconds per boot, default 150),
# SOFTKVM_ORACLE_CACHE (kernel cache, default ~/.cache/softkvm-oracle).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
CACHE=${SOFTKVM_ORACLE_CACHE:-$HOME/.cache/softkvm-oracle}
CFGS=${ORACLE_CFGS:-default vq4 vq124 nosve}
GROUP=${ORACLE_GROUP:-all}
JOBS=${ORACLE_JOBS:-2}
TIMEOUT=${ORACLE_TIMEOUT:-150}
CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
WORK=$BUILD/oracle

die() { echo "oracle: $*" >&2; exit 2; }

# QEMU -cpu max properties of each measured host (tests/abi/data/README.md).
cpu_props() {
    case $1 in
    default) echo "" ;;
    vq4) echo ",sve-max-vq=4" ;;
    vq124) echo ",sve128=on,sve256=on,sve512=on" ;;
    nosve) echo ",sve=off" ;;
    *) die "unknown cfg $1" ;;
    esac
}

# Debian's arm64 6.1 kernel image, downloaded once and cached.
fetch_kernel() {
    local pkg deb tmp
    if [ -f "$CACHE/vmlinuz" ]; then
        return
    fi
    mkdir -p "$CACHE"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64
    fi
    apt-get update -qq
    pkg=$(apt-cache depends linux-image-arm64:arm64 |
          sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9]*-[0-9]*-arm64\)\(-unsigned\)\{0,1\}\(:arm64\)\{0,1\}$/\1/p' |
          head -n1)
    [ -n "$pkg" ] || die "apt-cache names no linux-image-6.1.*-arm64 package"
    tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
    (cd "$tmp" && { apt-get download -qq "$pkg-unsigned:arm64" 2>/dev/null ||
                    apt-get download -qq "$pkg:arm64"; }) || die "cannot download $pkg"
    deb=$(ls "$tmp"/*.deb | head -n1)
    dpkg-deb -x "$deb" "$tmp/x"
    cp "$tmp"/x/boot/vmlinuz-* "$CACHE/vmlinuz"
    basename "$deb" > "$CACHE/kernel-package.txt"
    rm -rf "$tmp"
}

build_initramfs() {
    local root=$WORK/root
    [ -f "$BUILD/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$BUILD" > /dev/null
    cmake --build "$BUILD" --target abi_oracle_bin > "$WORK/build.log" 2>&1 ||
        { cat "$WORK/build.log" >&2; die "building abi_oracle_bin failed"; }
    rm -rf "$root"
    mkdir -p "$root/data" "$root/dev" "$root/proc" "$root/sys"
    "$CC" -static -O2 -Wall -Wextra -Werror "$ROOT/scripts/oracle/init.c" -o "$root/init"
    cp "$BUILD/tests/abi/abi-oracle" "$root/abi-test"
    cp "$ROOT"/tests/abi/data/*.tsv "$root/data/"
    (cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$WORK/init.cpio.gz"
}

boot() {
    local cfg=$1 t0 t1
    if [ -f "$WORK/$cfg.log" ]; then
        mv "$WORK/$cfg.log" "$WORK/$cfg.first.log"
    fi
    t0=$(date +%s.%N)
    timeout "$TIMEOUT" qemu-system-aarch64 \
        -M virt,virtualization=on,gic-version=3 -cpu "max$(cpu_props "$cfg")" -smp 2 -m 2048 \
        -nographic -no-reboot -nic none -kernel "$CACHE/vmlinuz" -initrd "$WORK/init.cpio.gz" \
        -append "console=ttyAMA0 quiet panic=-1 abi.cfg=$cfg abi.group=$GROUP" \
        < /dev/null 2>&1 | tr -d '\r' > "$WORK/$cfg.log" || true
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{printf "%.1f\n", $2 - $1}' > "$WORK/$cfg.seconds"
}

# "ok" if the cfg's log is complete and has no FAIL, else the reason.
verdict() {
    local log=$WORK/$1.log pass fail summary
    pass=$(grep -c '^PASS ' "$log" || true)
    fail=$(grep -c '^FAIL ' "$log" || true)
    summary=$(grep '^# abi-test summary' "$log" || true)
    if [ -z "$summary" ]; then
        echo "no summary line (crash or timeout): results missing"
    elif [ "$summary" != "# abi-test summary cfg=$1 group=$GROUP pass=$pass fail=$fail" ]; then
        echo "console lines lost: $summary"
    elif [ "$fail" -ne 0 ] || [ "$pass" -eq 0 ]; then
        echo "FAIL"
    else
        echo ok
    fi
}

boot_all() {
    for cfg in "$@"; do
        while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
        boot "$cfg" &
    done
    wait
}

mkdir -p "$WORK"
start=$(date +%s)
fetch_kernel
build_initramfs
for cfg in $CFGS; do
    cpu_props "$cfg" > /dev/null
    rm -f "$WORK/$cfg.log" "$WORK/$cfg.first.log"
done
boot_all $CFGS
retry=""
for cfg in $CFGS; do
    [ "$(verdict "$cfg")" = ok ] || retry="$retry $cfg"
done
if [ -n "$retry" ]; then
    echo "oracle: booting again:$retry"
    boot_all $retry
fi

status=0
printf '\n%-8s %7s %7s %8s  %s\n' cfg passed failed seconds note
for cfg in $CFGS; do
    log=$WORK/$cfg.log
    pass=$(grep -c '^PASS ' "$log" || true)
    fail=$(grep -c '^FAIL ' "$log" || true)
    note=$(verdict "$cfg")
    [ "$note" = ok ] || status=1
    if [ -f "$WORK/$cfg.first.log" ]; then
        note="$note (second boot; first boot: $(grep -c '^FAIL ' "$WORK/$cfg.first.log" || true) FAIL)"
    fi
    printf '%-8s %7s %7s %8s  %s\n' "$cfg" "$pass" "$fail" "$(cat "$WORK/$cfg.seconds")" "$note"
done
for cfg in $CFGS; do
    if [ -f "$WORK/$cfg.first.log" ]; then
        grep '^FAIL ' "$WORK/$cfg.first.log" | grep -vxF -f <(grep '^FAIL ' "$WORK/$cfg.log" || true) |
            sed "s/^FAIL /[$cfg] FLAKY (first boot only) /" || true
    fi
    grep '^FAIL ' "$WORK/$cfg.log" | sed "s/^/[$cfg] /" || true
done
echo "oracle: kernel $(cat "$CACHE/kernel-package.txt" 2>/dev/null || echo '?'), logs in $WORK," \
     "total $(( $(date +%s) - start ))s"
exit $status
