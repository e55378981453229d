/*
 * uart.c - a PL011 UART at 0x09000000 (QEMU virt's UART0) whose output is stdout.
 *
 * Enough of the PrimeCell UART (PL011) TRM for polled console drivers (ours,
 * Linux's earlycon, U-Boot): a data register write sends its low byte; the flag
 * register always says "transmit FIFO empty, receive FIFO empty" (TXFE | RXFE,
 * never busy, never full), so a driver that polls before writing proceeds at
 * once; reading the data register gives 0 (no input is ever received). Control
 * registers keep what is written so drivers that read them back are content,
 * and the PrimeCell identification registers read as a PL011 r1p5 so AMBA
 * probing recognises it. Interrupts are not modelled (no interrupt controller).
 *
 * Output from several vCPUs is serialised; it is flushed at every newline and
 * when the VMM stops, so lines reach stdout whole and in order.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "run.h"

/* Register offsets (PL011 TRM, 3.2 Summary of registers). */
#define UARTDR     0x000
#define UARTRSR    0x004
#define UARTFR     0x018
#define UARTILPR   0x020
#define UARTIBRD   0x024
#define UARTFBRD   0x028
#define UARTLCR_H  0x02c
#define UARTCR     0x030
#define UARTIFLS   0x034
#define UARTIMSC   0x038
#define UARTRIS    0x03c
#define UARTMIS    0x040
#define UARTICR    0x044
#define UARTDMACR  0x048
#define UARTPERIPHID0 0xfe0

#define FR_RXFE    (1u << 4)
#define FR_TXFE    (1u << 7)

/* UARTPeriphID0..3, UARTPCellID0..3 (PL011 TRM 3.3.14-15). */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t regs[0x50 / 4];   /* stored control registers, by offset / 4 */

static uint64_t get_le(const uint8_t *d, uint32_t len)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < len; i++)
        v |= (uint64_t)d[i] << (8 * i);
    return v;
}

static void put_le(uint8_t *d, uint32_t len, uint64_t v)
{
    for (uint32_t i = 0; i < len; i++)
        d[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t uart_read(uint32_t off)
{
    switch (off) {
    case UARTDR: return 0;
    case UARTFR: return FR_TXFE | FR_RXFE;
    case UARTRIS: case UARTMIS: case UARTRSR: return 0;
    case UARTILPR: case UARTIBRD: case UARTFBRD: case UARTLCR_H: case UARTCR:
    case UARTIFLS: case UARTIMSC: case UARTDMACR:
        return regs[off / 4];
    default:
        if (off >= UARTPERIPHID0 && off < UARTPERIPHID0 + 0x20 && off % 4 == 0)
            return id_regs[(off - UARTPERIPHID0) / 4];
        return 0;
    }
}

static void uart_write(uint32_t off, uint32_t v)
{
    switch (off) {
    case UARTDR:
        putchar((int)(v & 0xff));
        if ((v & 0xff) == '\n')
            fflush(stdout);
        break;
    case UARTILPR: case UARTIBRD: case UARTFBRD: case UARTLCR_H: case UARTCR:
    case UARTIFLS: case UARTIMSC: case UARTDMACR:
        regs[off / 4] = v;
        break;
    default:   /* ICR, RSR/ECR clear, reserved: no state to change */
        break;
    }
}

int uart_mmio(uint64_t addr, uint8_t *data, uint32_t len, bool is_write)
{
    if (addr < UART_BASE || addr - UART_BASE >= UART_SIZE)
        return 0;
    uint32_t off = (uint32_t)(addr - UART_BASE);
    pthread_mutex_lock(&lock);
    if (is_write)
        uart_write(off, (uint32_t)get_le(data, len));
    else
        put_le(data, len, uart_read(off));
    pthread_mutex_unlock(&lock);
    return 1;
}

void uart_flush(void)
{
    pthread_mutex_lock(&lock);
    fflush(stdout);
    pthread_mutex_unlock(&lock);
}
