/*
 * fdt.c - find /chosen/bootargs in a flattened device tree (Devicetree
 * Specification v0.4, chapter 5: big-endian header; structure block of
 * BEGIN_NODE name / PROP len nameoff value / END_NODE tokens, 4-byte aligned).
 */
#include "guest.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

const char *rt_bootargs(const void *fdt)
{
    if (!fdt || be32(fdt) != FDT_MAGIC)
        return 0;
    const uint8_t *base = fdt;
    uint32_t total = be32(base + 4);
    const uint8_t *st = base + be32(base + 8), *strs = base + be32(base + 12);
    const uint8_t *end = st + be32(base + 36);
    if (be32(base + 8) >= total || be32(base + 12) >= total)
        return 0;
    int depth = 0;
    bool in_chosen = false;
    for (const uint8_t *p = st; p + 4 <= end; ) {
        uint32_t tok = be32(p);
        p += 4;
        if (tok == FDT_BEGIN_NODE) {
            const char *name = (const char *)p;
            depth++;
            if (depth == 2 && strcmp(name, "chosen") == 0)
                in_chosen = true;
            p += (strlen(name) + 4) & ~3ul;
        } else if (tok == FDT_END_NODE) {
            if (depth == 2)
                in_chosen = false;
            depth--;
        } else if (tok == FDT_PROP) {
            uint32_t len = be32(p), nameoff = be32(p + 4);
            const char *val = (const char *)(p + 8);
            if (in_chosen && depth == 2 && strcmp((const char *)strs + nameoff, "bootargs") == 0)
                return val;
            p += 8 + ((len + 3) & ~3u);
        } else if (tok == FDT_NOP) {
            continue;
        } else {
            break;
        }
    }
    return 0;
}
