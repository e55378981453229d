/*
 * fdt.c - the flattened device tree handed to the guest in X0.
 *
 * Written from the Devicetree Specification v0.4, chapter 5 (FDT format: a
 * header, a memory-reservation block, a structure block of BEGIN_NODE/PROP/
 * END_NODE tokens, a strings block; all big-endian) and the bindings for
 * memory, cpus (enable-method "psci"), psci (method "hvc", as KVM implements
 * it), arm,pl011 and /chosen (bootargs = the guest arguments after "--",
 * stdout-path = the UART). It describes the board of run.h; there is no
 * interrupt controller or timer node because softkvm-run has neither.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1u
#define FDT_END_NODE    2u
#define FDT_PROP        3u
#define FDT_END         9u
#define PHANDLE_CLK     1u

struct buf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
};

struct fdt {
    struct buf st, str;
};

static void buf_put(struct buf *b, const void *d, size_t n)
{
    if (b->oom)
        return;
    if (b->len + n + 4 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + n + 4)
            cap *= 2;
        uint8_t *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void buf_align4(struct buf *b)
{
    static const uint8_t zero[4];
    buf_put(b, zero, (4 - b->len % 4) % 4);
}

static void put32(struct buf *b, uint32_t v)
{
    uint8_t be[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    buf_put(b, be, 4);
}

static uint32_t string_off(struct fdt *f, const char *name)
{
    size_t n = strlen(name) + 1;
    for (size_t i = 0; i + n <= f->str.len; ) {
        if (memcmp(f->str.p + i, name, n) == 0)
            return (uint32_t)i;
        i += strlen((const char *)f->str.p + i) + 1;
    }
    uint32_t off = (uint32_t)f->str.len;
    buf_put(&f->str, name, n);
    return off;
}

static void begin_node(struct fdt *f, const char *name)
{
    put32(&f->st, FDT_BEGIN_NODE);
    buf_put(&f->st, name, strlen(name) + 1);
    buf_align4(&f->st);
}

static void end_node(struct fdt *f)
{
    put32(&f->st, FDT_END_NODE);
}

static void prop(struct fdt *f, const char *name, const void *val, size_t len)
{
    put32(&f->st, FDT_PROP);
    put32(&f->st, (uint32_t)len);
    put32(&f->st, string_off(f, name));
    buf_put(&f->st, val, len);
    buf_align4(&f->st);
}

static void prop_str(struct fdt *f, const char *name, const char *s)
{
    prop(f, name, s, strlen(s) + 1);
}

/* A string list: pieces separated by '\0' in s, total length n (incl. last NUL). */
static void prop_strs(struct fdt *f, const char *name, const char *s, size_t n)
{
    prop(f, name, s, n);
}

static void prop_u32(struct fdt *f, const char *name, uint32_t v)
{
    uint8_t be[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    prop(f, name, be, 4);
}

/* reg = <addr-hi addr-lo size-hi size-lo> with #address-cells = #size-cells = 2. */
static void prop_reg64(struct fdt *f, uint64_t addr, uint64_t size)
{
    uint8_t be[16];
    for (int i = 0; i < 8; i++) {
        be[i] = (uint8_t)(addr >> (56 - 8 * i));
        be[8 + i] = (uint8_t)(size >> (56 - 8 * i));
    }
    prop(f, "reg", be, sizeof be);
}

static void bootargs(const struct options *o, char *out, size_t len)
{
    size_t n = 0;
    out[0] = 0;
    for (int i = 0; i < o->guest_argc && n < len; i++)
        n += (size_t)snprintf(out + n, len - n, "%s%s", i ? " " : "", o->guest_argv[i]);
}

size_t fdt_build(const struct options *o, uint8_t *dst, size_t room)
{
    struct fdt f;
    memset(&f, 0, sizeof f);
    char args[4096], name[64];
    bootargs(o, args, sizeof args);

    begin_node(&f, "");
    prop_u32(&f, "#address-cells", 2);
    prop_u32(&f, "#size-cells", 2);
    prop_strs(&f, "compatible", "softkvm,run\0linux,dummy-virt", sizeof "softkvm,run\0linux,dummy-virt");
    prop_str(&f, "model", "softkvm-run");

    begin_node(&f, "chosen");
    prop_str(&f, "bootargs", args);
    snprintf(name, sizeof name, "/pl011@%llx", (unsigned long long)UART_BASE);
    prop_str(&f, "stdout-path", name);
    end_node(&f);

    snprintf(name, sizeof name, "memory@%llx", (unsigned long long)RAM_BASE);
    begin_node(&f, name);
    prop_str(&f, "device_type", "memory");
    prop_reg64(&f, RAM_BASE, o->mem_size);
    end_node(&f);

    begin_node(&f, "cpus");
    prop_u32(&f, "#address-cells", 1);
    prop_u32(&f, "#size-cells", 0);
    for (unsigned i = 0; i < o->smp; i++) {
        /* reg = MPIDR affinity as KVM computes it for vcpu_id i (spec 2.3). */
        uint32_t mpidr = (i & 0xf) | ((i >> 4) & 0xff) << 8;
        snprintf(name, sizeof name, "cpu@%x", mpidr);
        begin_node(&f, name);
        prop_str(&f, "device_type", "cpu");
        prop_str(&f, "compatible", "arm,armv8");
        prop_u32(&f, "reg", mpidr);
        prop_str(&f, "enable-method", "psci");
        end_node(&f);
    }
    end_node(&f);

    begin_node(&f, "psci");
    prop_strs(&f, "compatible", "arm,psci-1.0\0arm,psci-0.2", sizeof "arm,psci-1.0\0arm,psci-0.2");
    prop_str(&f, "method", "hvc");
    end_node(&f);

    begin_node(&f, "apb-pclk");
    prop_str(&f, "compatible", "fixed-clock");
    prop_u32(&f, "#clock-cells", 0);
    prop_u32(&f, "clock-frequency", 24000000);
    prop_str(&f, "clock-output-names", "clk24mhz");
    prop_u32(&f, "phandle", PHANDLE_CLK);
    end_node(&f);

    snprintf(name, sizeof name, "pl011@%llx", (unsigned long long)UART_BASE);
    begin_node(&f, name);
    prop_strs(&f, "compatible", "arm,pl011\0arm,primecell", sizeof "arm,pl011\0arm,primecell");
    prop_reg64(&f, UART_BASE, UART_SIZE);
    uint8_t clocks[8] = { 0, 0, 0, PHANDLE_CLK, 0, 0, 0, PHANDLE_CLK };
    prop(&f, "clocks", clocks, sizeof clocks);
    prop_strs(&f, "clock-names", "uartclk\0apb_pclk", sizeof "uartclk\0apb_pclk");
    end_node(&f);

    end_node(&f);
    put32(&f.st, FDT_END);

    size_t hdr = 40, rsv = 16;   /* header; one all-zero reservation entry ends the map */
    size_t total = hdr + rsv + f.st.len + f.str.len;
    size_t r = 0;
    if (!f.st.oom && !f.str.oom && total <= room) {
        struct buf out = { 0 };
        put32(&out, FDT_MAGIC);
        put32(&out, (uint32_t)total);
        put32(&out, (uint32_t)(hdr + rsv));                /* off_dt_struct */
        put32(&out, (uint32_t)(hdr + rsv + f.st.len));     /* off_dt_strings */
        put32(&out, (uint32_t)hdr);                        /* off_mem_rsvmap */
        put32(&out, 17);                                   /* version */
        put32(&out, 16);                                   /* last_comp_version */
        put32(&out, 0);                                    /* boot_cpuid_phys */
        put32(&out, (uint32_t)f.str.len);                  /* size_dt_strings */
        put32(&out, (uint32_t)f.st.len);                   /* size_dt_struct */
        if (!out.oom) {
            memcpy(dst, out.p, hdr);
            memset(dst + hdr, 0, rsv);
            memcpy(dst + hdr + rsv, f.st.p, f.st.len);
            memcpy(dst + hdr + rsv + f.st.len, f.str.p, f.str.len);
            r = total;
        }
        free(out.p);
    }
    free(f.st.p);
    free(f.str.p);
    return r;
}
