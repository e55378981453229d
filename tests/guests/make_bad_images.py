#!/usr/bin/env python3
"""make_bad_images.py GOOD_ELF OUTDIR - derive malformed guest images from a good one.

Each file exercises one check of tools/softkvm-run/loader.c (ELF-64 header and
program-header rules); the test list in CMakeLists.txt names the message each
must produce.
"""
import os
import struct
import sys

good_path, out = sys.argv[1], sys.argv[2]
good = open(good_path, "rb").read()
os.makedirs(out, exist_ok=True)

def write(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)

def patched(offset, fmt, value):
    b = bytearray(good)
    struct.pack_into(fmt, b, offset, value)
    return bytes(b)

# ELF-64 header fields: e_ident[4] class, [5] data; e_type @16, e_machine @18,
# e_entry @24, e_phoff @32, e_phentsize @54, e_phnum @56; Phdr: p_offset @8.
phoff = struct.unpack_from("<Q", good, 32)[0]
seg_off = struct.unpack_from("<Q", good, phoff + 8)[0]
entry = struct.unpack_from("<Q", good, 24)[0]

write("empty.elf", b"")
write("text.img", b"this is not a guest image\n")
write("truncated-header.elf", good[:40])
write("truncated-phdrs.elf", good[:phoff + 20])
write("truncated-segment.elf", good[:seg_off + 16])
write("elf32.elf", patched(4, "<B", 1))
write("bigendian.elf", patched(5, "<B", 2))
write("x86-64.elf", patched(18, "<H", 62))
write("riscv.elf", patched(18, "<H", 243))
write("reloc.elf", patched(16, "<H", 1))
write("no-phdrs.elf", patched(56, "<H", 0))
write("bad-entry.elf", patched(24, "<Q", entry - 0x1000))
