/*
 * printf.c - printf-lite for guests: %d %i %u %x %X %p %s %c %%, the l/ll/z
 * length modifiers, a field width and the '0' and '-' flags. No floating point
 * (the runtime never touches FP/SIMD registers).
 */
#include "guest.h"

static void pad(int n, char c)
{
    while (n-- > 0)
        rt_putc(c);
}

static void put_field(const char *s, int len, int width, bool left, char padc)
{
    if (!left)
        pad(width - len, padc);
    for (int i = 0; i < len; i++)
        rt_putc(s[i]);
    if (left)
        pad(width - len, ' ');
}

static void put_num(uint64_t v, bool neg, unsigned base, bool upper, int width, bool left, char padc)
{
    char buf[24];
    int n = 0;
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        buf[n++] = digits[v % base];
        v /= base;
    } while (v);
    if (neg) {
        if (padc == '0' && !left) {
            rt_putc('-');
            width--;
        } else {
            buf[n++] = '-';
        }
    }
    char out[24];
    for (int i = 0; i < n; i++)
        out[i] = buf[n - 1 - i];
    put_field(out, n, width, left, padc);
}

void rt_vprintf(const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            rt_putc(*p);
            continue;
        }
        p++;
        bool left = false;
        char padc = ' ';
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                padc = '0';
            else
                break;
        }
        int width = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        int lng = 0;
        while (*p == 'l' || *p == 'z') {
            lng++;
            p++;
        }
        switch (*p) {
        case 'd': case 'i': {
            int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);
            put_num(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0, 10, false, width, left, padc);
            break;
        }
        case 'u': case 'x': case 'X': {
            uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            put_num(v, false, *p == 'u' ? 10 : 16, *p == 'X', width, left, padc);
            break;
        }
        case 'p':
            rt_puts("0x");
            put_num((uint64_t)(uintptr_t)va_arg(ap, void *), false, 16, false, width, left, padc);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s)
                s = "(null)";
            put_field(s, (int)strlen(s), width, left, ' ');
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_field(&c, 1, width, left, ' ');
            break;
        }
        case '%':
            rt_putc('%');
            break;
        case 0:
            return;
        default:
            rt_putc('%');
            rt_putc(*p);
            break;
        }
    }
}

void rt_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    rt_vprintf(fmt, ap);
    va_end(ap);
}
