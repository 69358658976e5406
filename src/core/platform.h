/*
 * platform.h: the contract between the portable core and a platform.
 *
 * This is everything the core needs from the outside world. A platform
 * (src/platform/<name>/) implements every function here and nothing in the
 * core calls the host directly. Exactly one platform is linked per image.
 * The shape follows Solo5's bindings: clocks, console, exit, memory, and one
 * blocking call, mk__platform_wait(), that waits until a deadline or until a
 * device is ready. Device operations are added by the device layer.
 */
#ifndef MK_CORE_PLATFORM_H
#define MK_CORE_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Clocks, in nanoseconds. Monotonic: since an unspecified start, never goes
 * back. Wall: since the UNIX epoch, UTC. */
uint64_t mk__platform_clock_monotonic(void);
uint64_t mk__platform_clock_wall(void);

/* The application's console (stdout on the hosted platform). */
void mk__platform_console_write(const char *buf, size_t len);

/* The library's own diagnostics (stderr on the hosted platform, the console
 * where there is nothing else). */
void mk__platform_log(const char *buf, size_t len);

/* Ends the program at once with Solo5's abort status (255). */
_Noreturn void mk__platform_abort(void);

/* General-purpose memory for the core's own records. alloc returns memory
 * aligned for any object, or NULL. */
void *mk__platform_alloc(size_t size);
void mk__platform_free(void *ptr);

/* Task stacks. `size` is a power of two >= MK_STACK_MIN. Returns the lowest
 * usable address of a region of `size` bytes, 16-byte aligned, or NULL. Sets
 * `*guarded` when an overflow past the low end faults (a guard page); the
 * core then still checks its canary, which costs nothing noticeable. */
void *mk__platform_stack_alloc(size_t size, bool *guarded);
void mk__platform_stack_free(void *lo, size_t size);

/* The one blocking call. Waits until the monotonic clock reaches `deadline`
 * or until one of the net devices in `interest` (bit i: handle i) has a
 * frame; a deadline at or before now polls and returns at once; MK_FOREVER
 * (UINT64_MAX) never times out. Returns the subset of `interest` that is
 * ready. */
uint64_t mk__platform_wait(uint64_t deadline, uint64_t interest);

/* ---- Devices ----
 *
 * Handles are small integers below 64 (a ready set is a uint64_t bit mask,
 * as solo5_handle_set_t). Every call below is non-blocking. On failure the
 * acquire and check calls print one line naming the device and saying what
 * is wrong ("mkernel: ..."), so the core adds nothing to it. */

#include <mkernel.h>

typedef struct mk__device_request {
  const char *name;
  mk_arg_kind kind; /* MK_ARG_NET or MK_ARG_BLOCK */
} mk__device_request;

/* True when the program was started only to print its manifest. */
bool mk__platform_manifest_mode(void);

/* Checks the devices the unikernel will acquire against those the tender
 * was given: MK_OK, or MK_ENODEV after printing what does not match. */
mk_result mk__platform_devices_check(const mk__device_request *reqs, size_t n);

mk_result mk__platform_net_acquire(const char *name, uint64_t *handle,
                                   mk_net_info *info);
/* Reads one frame into buf[0..size), size >= mtu + MK_NET_HLEN. MK_AGAIN
 * when none is queued; MK_EINVAL when the frame was larger than `size` (it
 * is discarded: it could never be delivered whole). */
mk_result mk__platform_net_read(uint64_t handle, void *buf, size_t size,
                                size_t *len);
/* Sends one frame. MK_OK, or MK_AGAIN when the host dropped it. */
mk_result mk__platform_net_write(uint64_t handle, const void *buf, size_t len);

mk_result mk__platform_block_acquire(const char *name, uint64_t *handle,
                                     uint64_t *length, size_t *page_size);
/* Whole pages at a page-aligned offset inside the device (checked by the
 * core). MK_OK or MK_EUNSPEC. */
mk_result mk__platform_block_read(uint64_t handle, uint64_t off, void *buf,
                                  size_t len);
mk_result mk__platform_block_write(uint64_t handle, uint64_t off,
                                   const void *buf, size_t len);
mk_result mk__platform_block_flush(uint64_t handle);

/* Every device is acquired and the unikernel's main is about to run: from
 * here on the program needs only the operations above. A platform that can
 * confine a process (the hosted platform's seccomp sandbox) does it now. */
void mk__platform_devices_acquired(void);

/* ---- What the core offers platforms in return ---- */

/* Where the running task's stack is; false when no task is running. A
 * platform's fault handler uses it to tell a stack overflow from another
 * fault. Async-signal-safe. */
bool mk__running_stack(const void **lo, size_t *size);

/* Writes "task \"name\" (#id, spawned at file:line)" for the running task
 * into buf (always terminated) and returns its length. Async-signal-safe. */
size_t mk__describe_running(char *buf, size_t len);

#endif
