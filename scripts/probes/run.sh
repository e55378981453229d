#!/bin/bash
# run.sh PROBE.c - build a probe of scripts/probes/ static for aarch64 and run it on real
# Linux 6.1 KVM: the oracle's kernel and /init (scripts/oracle), the probe in place of
# the ABI suite. Prints the probe's output between its PROBE-BEGIN/END lines.
# Environment: SOFTKVM_ORACLE_CACHE (the kernel cache `make oracle` fills), CPU (qemu
# -cpu, default max).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${SOFTKVM_ORACLE_CACHE:-$HOME/.cache/softkvm-oracle}
CC=${AARCH64_CC:-aarch64-linux-gnu-gcc}
[ $# -eq 1 ] || { echo "usage: $0 PROBE.c" >&2; exit 2; }
[ -f "$CACHE/vmlinuz" ] || { echo "probes: no kernel in $CACHE: run make oracle once" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/dev" "$work/root/proc" "$work/root/sys"
"$CC" -static -O2 -Wall -Wextra -Werror "$ROOT/scripts/oracle/init.c" -o "$work/root/init"
"$CC" -static -O2 -Wall -Wextra -Werror "$1" -o "$work/root/abi-test"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/init.cpio.gz"
timeout 300 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu "${CPU:-max}" -smp 2 -m 2048 \
    -nographic -no-reboot -nic none -kernel "$CACHE/vmlinuz" -initrd "$work/init.cpio.gz" \
    -append "console=ttyAMA0 quiet panic=-1" < /dev/null 2>&1 | tr -d '\r' |
    sed -n '/^##### PROBE-BEGIN/,/^##### PROBE-END/p' | sed '1d;$d'
