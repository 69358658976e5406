/*
 * solo5_platform.h: what the Solo5 platform's files share.
 *
 * The Solo5 platform is the platform contract (src/core/platform.h) on
 * Solo5's application interface (<solo5.h>), with the small C runtime
 * (src/runtime) as the image's libc and allocator. entry.c owns
 * solo5_app_main; platform.c has clocks, console, memory, stacks and the
 * wait; devices.c has net and block devices.
 */
#ifndef MK_SOLO5_PLATFORM_H
#define MK_SOLO5_PLATFORM_H

#include <solo5.h>

#include "platform.h"
#include "rt.h"

/* The image's name, argv[0] of mk_main. name.c gives "unikernel"; the
 * build links a definition with the example's name in front of the library
 * (mk/solo5.mk), which the linker then prefers. */
extern const char mk__solo5_program_name[];

/* Prints "mkernel: " and a formatted line on the console (after whatever
 * stdout holds). */
void mk__solo5_error(const char *fmt, ...) MK_RT_PRINTF(1, 2);

/* The initial stack, at the top of Solo5's memory region: the allocator
 * gets everything below it (entry.c). */
void mk__solo5_memory_init(uintptr_t start, size_t size);
/* Aborts, naming the initial stack, if it has overflowed into the painted
 * zone below it. Called where the scheduler runs on it. */
void mk__solo5_initial_stack_check(void);

/* Set by every net write: a frame may still be queued in the tender (hvt's
 * I/O thread, qemu's virtio queue), which solo5_exit does not drain. */
extern bool mk__solo5_tx_unsettled;
/* Before ending normally: if frames were written, gives the tender time
 * to send the last of them (waits 20 ms, once). */
void mk__solo5_settle_tx(void);

#endif
