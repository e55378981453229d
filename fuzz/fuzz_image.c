/*
 * fuzz_image.c - libFuzzer harness for softkvm-run's image loader
 * (tools/softkvm-run/loader.c: image_open, image_load, image_close).
 *
 * Input: byte 0 = flags (bit 0: flat image, bit 1: load address taken raw),
 * byte 1 = guest RAM size in pages (1..256), then for flat images 8 bytes of
 * load address, then the file itself (passed by path, through a memfd).
 *
 * Asserted: image_open either fails with a one-line reason, or returns an image
 * whose every segment lies inside guest RAM without wrapping, inside the file
 * for its file bytes, with filesz <= memsz, no two segments overlapping, and
 * (ELF) a 4-byte aligned entry point inside a segment. image_load into RAM
 * placed between guard pages then writes exactly the segments (file bytes,
 * then zeros) and nothing else. ASan watches the parser's reads of the file.
 */
#include <fcntl.h>

#include "fuzz_common.h"
#include "run.h"

#define MAX_RAM_PAGES 256

static int memfd = -1;
static char path[64];
static uint8_t *ram;     /* MAX_RAM_PAGES pages between guard pages */
static size_t page;

static void setup(void)
{
    page = (size_t)sysconf(_SC_PAGESIZE);
    memfd = memfd_create("fuzz-image", MFD_CLOEXEC);
    FUZZ_ASSERT(memfd >= 0, "memfd_create");
    snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    uint8_t *p = mmap(NULL, (MAX_RAM_PAGES + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FUZZ_ASSERT(p != MAP_FAILED, "mmap");
    ram = p + page;
    FUZZ_ASSERT(mprotect(ram, MAX_RAM_PAGES * page, PROT_READ | PROT_WRITE) == 0, "mprotect");
}

static bool overlaps(uint64_t a, uint64_t an, uint64_t b, uint64_t bn)
{
    return a < b + bn && b < a + an;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0)
        setup();
    FUZZ_ASSERT(page <= 4096, "the expected-RAM buffer assumes 4 KiB pages");
    struct bytes b = { data, size };
    uint8_t flags = take8(&b);
    size_t ram_pages = 1 + take8(&b) % MAX_RAM_PAGES;
    uint64_t ram_size = ram_pages * page;
    struct options o;
    memset(&o, 0, sizeof o);
    o.flat = flags & 1;
    if (o.flat) {
        uint64_t a = take64(&b);
        o.load_addr = flags & 2 ? a : RAM_BASE + (a % (ram_size + page));
    }
    FUZZ_ASSERT(ftruncate(memfd, 0) == 0, "ftruncate");
    FUZZ_ASSERT(pwrite(memfd, b.p, b.n, 0) == (ssize_t)b.n, "pwrite");

    struct image img;
    char err[256];
    memset(err, 0, sizeof err);
    if (image_open(path, &o, RAM_BASE, ram_size, &img, err, sizeof err) != 0) {
        size_t n = strnlen(err, sizeof err);
        FUZZ_ASSERT(n > 0 && n < sizeof err, "a refused image must say why");
        FUZZ_ASSERT(!strchr(err, '\n'), "the reason is one line: %s", err);
        image_close(&img);   /* whatever image_open allocated before refusing */
        return 0;
    }

    FUZZ_ASSERT(img.nseg > 0, "an accepted image has a segment");
    FUZZ_ASSERT(img.size == b.n, "image size %zu, file %zu", img.size, b.n);
    bool entry_in = false;
    for (unsigned i = 0; i < img.nseg; i++) {
        const struct segment *s = &img.seg[i];
        FUZZ_ASSERT(s->filesz <= s->memsz, "segment %u: filesz > memsz", i);
        FUZZ_ASSERT(s->addr + s->memsz >= s->addr, "segment %u wraps", i);
        FUZZ_ASSERT(s->addr >= RAM_BASE && s->addr + s->memsz <= RAM_BASE + ram_size,
                    "segment %u [0x%llx, +0x%llx) outside RAM [0x%llx, +0x%llx)", i, (unsigned long long)s->addr,
                    (unsigned long long)s->memsz, (unsigned long long)RAM_BASE, (unsigned long long)ram_size);
        FUZZ_ASSERT(s->data >= img.file && s->filesz <= img.size && s->data - img.file <= (ptrdiff_t)(img.size - s->filesz),
                    "segment %u: file bytes outside the file", i);
        for (unsigned j = 0; j < i; j++)
            FUZZ_ASSERT(!overlaps(s->addr, s->memsz, img.seg[j].addr, img.seg[j].memsz), "segments %u and %u overlap",
                        j, i);
        if (img.entry >= s->addr && img.entry - s->addr < s->memsz)
            entry_in = true;
    }
    if (img.is_elf)
        FUZZ_ASSERT(entry_in && img.entry % 4 == 0, "entry 0x%llx", (unsigned long long)img.entry);
    else
        FUZZ_ASSERT(img.entry == o.load_addr, "flat entry");

    /* Load into RAM (a pattern first): segments get file bytes + zeros, the
     * rest keeps the pattern. RAM ends exactly at the guard page. */
    static uint8_t want[MAX_RAM_PAGES * 4096];
    uint8_t *top = ram + MAX_RAM_PAGES * page - ram_size;
    memset(top, 0x5a, ram_size);
    memset(want, 0x5a, ram_size);
    for (unsigned i = 0; i < img.nseg; i++) {
        const struct segment *s = &img.seg[i];
        memcpy(want + (s->addr - RAM_BASE), s->data, s->filesz);
        memset(want + (s->addr - RAM_BASE) + s->filesz, 0, s->memsz - s->filesz);
    }
    image_load(&img, top, RAM_BASE);
    if (memcmp(top, want, ram_size) != 0) {
        size_t off = 0;
        while (top[off] == want[off])
            off++;
        FUZZ_FAIL("RAM byte 0x%llx is 0x%02x after loading, expected 0x%02x", (unsigned long long)(RAM_BASE + off),
                  top[off], want[off]);
    }
    image_close(&img);
    return 0;
}
