/*
 * loader.c - guest images: AArch64 ELF64 executables and flat binaries.
 *
 * The whole file is read and validated before anything is loaded, so a bad
 * image costs one clear line and exit status 2, never a half-built VM. ELF
 * checks follow the ELF-64 object file format and the AArch64 ELF ABI
 * (EM_AARCH64 = 183, little-endian): header fields, program header table
 * inside the file, every PT_LOAD's file bytes inside the file, memsz >= filesz,
 * no address overflow, and every segment inside guest RAM (by physical
 * address p_paddr: the guest starts with its MMU off). The entry point must
 * lie in a loaded segment.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "run.h"

#define MAX_IMAGE (1ull << 32)    /* larger than any RAM we map */

static int fail(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return -1;
}

static int read_file(const char *path, struct image *img, char *err, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(err, len, "%s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return fail(err, len, "not a regular file");
    }
    if ((uint64_t)st.st_size > MAX_IMAGE) {
        fclose(f);
        return fail(err, len, "file of %lld bytes is larger than any guest RAM", (long long)st.st_size);
    }
    img->size = (size_t)st.st_size;
    img->file = malloc(img->size ? img->size : 1);
    if (!img->file) {
        fclose(f);
        return fail(err, len, "out of memory reading %zu bytes", img->size);
    }
    size_t got = img->size ? fread(img->file, 1, img->size, f) : 0;
    fclose(f);
    if (got != img->size)
        return fail(err, len, "read error");
    return 0;
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_386: return "i386";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "32-bit Arm";
    case EM_RISCV: return "RISC-V";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_MIPS: return "MIPS";
    default: return NULL;
    }
}

/* [a, a + n) inside [base, base + size)? n may be 0. */
static bool inside(uint64_t a, uint64_t n, uint64_t base, uint64_t size)
{
    return a >= base && a - base <= size && n <= size - (a - base);
}

static int check_ram(uint64_t addr, uint64_t n, uint64_t ram_base, uint64_t ram_size,
                     const char *what, char *err, size_t len)
{
    if (addr + n < addr)
        return fail(err, len, "%s [0x%llx, +0x%llx) wraps around the address space", what,
                    (unsigned long long)addr, (unsigned long long)n);
    if (!inside(addr, n, ram_base, ram_size))
        return fail(err, len, "%s [0x%llx, 0x%llx) is outside guest RAM [0x%llx, 0x%llx) (see --mem)", what,
                    (unsigned long long)addr, (unsigned long long)(addr + n),
                    (unsigned long long)ram_base, (unsigned long long)(ram_base + ram_size));
    return 0;
}

static int elf_parse(struct image *img, uint64_t ram_base, uint64_t ram_size, char *err, size_t len)
{
    const unsigned char *id = img->file;
    if (img->size < EI_NIDENT)
        return fail(err, len, "truncated ELF file (%zu bytes, not even an identification block)", img->size);
    if (id[EI_CLASS] != ELFCLASS64)
        return fail(err, len, "%s ELF file; an AArch64 guest is ELFCLASS64",
                    id[EI_CLASS] == ELFCLASS32 ? "32-bit" : "invalid-class");
    if (id[EI_DATA] != ELFDATA2LSB)
        return fail(err, len, "%s ELF file; softkvm-run loads little-endian AArch64 images",
                    id[EI_DATA] == ELFDATA2MSB ? "big-endian" : "invalid-endianness");
    if (id[EI_VERSION] != EV_CURRENT)
        return fail(err, len, "ELF identification version %u, expected %u", id[EI_VERSION], EV_CURRENT);
    if (img->size < sizeof(Elf64_Ehdr))
        return fail(err, len, "truncated ELF file: %zu bytes, the ELF header alone is %zu", img->size,
                    sizeof(Elf64_Ehdr));

    Elf64_Ehdr eh;
    memcpy(&eh, img->file, sizeof eh);
    if (eh.e_machine != EM_AARCH64) {
        const char *m = machine_name(eh.e_machine);
        if (m)
            return fail(err, len, "ELF file for %s (e_machine %u), not AArch64 (%u)", m, eh.e_machine, EM_AARCH64);
        return fail(err, len, "ELF file for machine %u, not AArch64 (%u)", eh.e_machine, EM_AARCH64);
    }
    if (eh.e_type != ET_EXEC)
        return fail(err, len, "ELF type %u is not an executable (ET_EXEC): link the guest at a fixed address",
                    eh.e_type);
    if (eh.e_phnum == 0)
        return fail(err, len, "ELF file has no program headers (nothing to load)");
    if (eh.e_phentsize != sizeof(Elf64_Phdr))
        return fail(err, len, "ELF program header size %u, expected %zu", eh.e_phentsize, sizeof(Elf64_Phdr));
    uint64_t ph_bytes = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr);
    if (!inside(eh.e_phoff, ph_bytes, 0, img->size))
        return fail(err, len, "truncated ELF file: program headers at 0x%llx..0x%llx, file is %zu bytes",
                    (unsigned long long)eh.e_phoff, (unsigned long long)(eh.e_phoff + ph_bytes), img->size);

    img->seg = calloc(eh.e_phnum, sizeof *img->seg);
    if (!img->seg)
        return fail(err, len, "out of memory");
    bool entry_ok = false;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img->file + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        char what[64];
        snprintf(what, sizeof what, "segment %u", i);
        if (ph.p_filesz > ph.p_memsz)
            return fail(err, len, "%s: file size 0x%llx exceeds its memory size 0x%llx", what,
                        (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz);
        if (!inside(ph.p_offset, ph.p_filesz, 0, img->size))
            return fail(err, len, "truncated ELF file: %s needs file bytes 0x%llx..0x%llx, file is %zu bytes",
                        what, (unsigned long long)ph.p_offset,
                        (unsigned long long)(ph.p_offset + ph.p_filesz), img->size);
        if (check_ram(ph.p_paddr, ph.p_memsz, ram_base, ram_size, what, err, len))
            return -1;
        for (unsigned j = 0; j < img->nseg; j++) {
            const struct segment *s = &img->seg[j];
            if (ph.p_paddr < s->addr + s->memsz && s->addr < ph.p_paddr + ph.p_memsz)
                return fail(err, len, "%s [0x%llx, 0x%llx) overlaps an earlier segment", what,
                            (unsigned long long)ph.p_paddr, (unsigned long long)(ph.p_paddr + ph.p_memsz));
        }
        struct segment *s = &img->seg[img->nseg++];
        s->addr = ph.p_paddr;
        s->filesz = ph.p_filesz;
        s->memsz = ph.p_memsz;
        s->data = img->file + ph.p_offset;
        if (eh.e_entry >= s->addr && eh.e_entry - s->addr < s->memsz)
            entry_ok = true;
    }
    if (img->nseg == 0)
        return fail(err, len, "ELF file has no loadable (PT_LOAD) segment");
    if (!entry_ok)
        return fail(err, len, "entry point 0x%llx is not inside any loaded segment",
                    (unsigned long long)eh.e_entry);
    if (eh.e_entry % 4)
        return fail(err, len, "entry point 0x%llx is not 4-byte aligned", (unsigned long long)eh.e_entry);
    img->entry = eh.e_entry;
    img->is_elf = true;
    return 0;
}

static int flat_parse(struct image *img, const struct options *o, uint64_t ram_base, uint64_t ram_size,
                      char *err, size_t len)
{
    if (check_ram(o->load_addr, img->size, ram_base, ram_size, "flat image", err, len))
        return -1;
    img->seg = calloc(1, sizeof *img->seg);
    if (!img->seg)
        return fail(err, len, "out of memory");
    img->seg[0] = (struct segment){ o->load_addr, img->size, img->size, img->file };
    img->nseg = 1;
    img->entry = o->load_addr;
    return 0;
}

int image_open(const char *path, const struct options *o, uint64_t ram_base, uint64_t ram_size,
               struct image *img, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (read_file(path, img, err, errlen))
        return -1;
    if (img->size == 0)
        return fail(err, errlen, "empty file");
    bool elf_magic = img->size >= 4 && memcmp(img->file, ELFMAG, SELFMAG) == 0;
    if (o->flat)
        return flat_parse(img, o, ram_base, ram_size, err, errlen);
    if (!elf_magic)
        return fail(err, errlen, "not an ELF file (for a raw binary give --load-addr ADDR, e.g. --load-addr 0x%llx)",
                    (unsigned long long)ram_base);
    return elf_parse(img, ram_base, ram_size, err, errlen);
}

void image_load(const struct image *img, uint8_t *ram, uint64_t ram_base)
{
    for (unsigned i = 0; i < img->nseg; i++) {
        const struct segment *s = &img->seg[i];
        uint8_t *dst = ram + (s->addr - ram_base);
        memcpy(dst, s->data, s->filesz);
        memset(dst + s->filesz, 0, s->memsz - s->filesz);
    }
}

void image_close(struct image *img)
{
    free(img->seg);
    free(img->file);
    memset(img, 0, sizeof *img);
}
