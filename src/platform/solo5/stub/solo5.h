/*
 * solo5.h (stand-in): the Solo5 0.12 application interface, written for
 * mkernel from Solo5's documented contract, so that the Solo5 platform and
 * every example can be compiled and checked where Solo5 is not installed
 * (CI). It is on the include path of `make solo5-freestanding-check` only;
 * real images are built against the installed Solo5's own <solo5.h>, which
 * the toolchain wrapper puts on the path, so any drift between the two is a
 * compile error there. It declares only; nothing here is implemented.
 *
 * The contract, in short (see Solo5's include/solo5.h for the full text):
 * calls returning solo5_result_t return SOLO5_R_OK on success and may abort
 * instead of returning an error; calls on a device that is not in the
 * image's manifest abort; time is unsigned 64-bit nanoseconds.
 */
#ifndef SOLO5_H_INCLUDED
#define SOLO5_H_INCLUDED

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
  SOLO5_R_OK = 0,  /* done */
  SOLO5_R_AGAIN,   /* nothing now (net read: no frame queued); retry later */
  SOLO5_R_EINVAL,  /* bad argument (unknown device name, misaligned I/O) */
  SOLO5_R_EUNSPEC, /* any other failure */
} solo5_result_t;

/* ---- Start and end ---- */

/* Given to solo5_app_main, read-only. `cmdline` is what follows the image
 * on the tender's command line, joined with single spaces, with leading
 * --solo5:* options removed. [heap_start, heap_start + heap_size) is the one
 * read/write memory region the application may use; the initial stack
 * starts at its top and grows down into it. */
struct solo5_start_info {
  const char *cmdline;
  uintptr_t heap_start;
  size_t heap_size;
};

/* Provided by the application. Returning is solo5_exit(return value). */
int solo5_app_main(const struct solo5_start_info *info);

#define SOLO5_EXIT_SUCCESS 0
#define SOLO5_EXIT_FAILURE 1
#define SOLO5_EXIT_ABORT 255 /* 255 and above are Solo5's */

/* Ends the application with `status` for the host, where it can tell. */
void solo5_exit(int status) __attribute__((noreturn));
/* Ends the application abnormally (status SOLO5_EXIT_ABORT). */
void solo5_abort(void) __attribute__((noreturn));

/* ---- Thread-local storage (unused by mkernel: images are built without
 * TLS) ---- */

size_t solo5_tls_size(void);
uintptr_t solo5_tls_tp_offset(uintptr_t tls);
solo5_result_t solo5_tls_init(uintptr_t tls);
solo5_result_t solo5_set_tls_base(uintptr_t base);

/* ---- Time ---- */

typedef uint64_t solo5_time_t;

/* Nanoseconds since an unspecified point; never goes back. */
solo5_time_t solo5_clock_monotonic(void);
/* Nanoseconds since the UNIX epoch, UTC, from the host. */
solo5_time_t solo5_clock_wall(void);

/* ---- Waiting ---- */

/* A device handle: the device's index in the image's manifest (entry 0 is
 * reserved, so the first device is 1); always below 64. */
typedef uint64_t solo5_handle_t;
/* A set of handles: bit (1 << handle). */
typedef uint64_t solo5_handle_set_t;

/* Blocks until the monotonic clock reaches `deadline` (absolute) or a net
 * device has a frame to read; returns at once while any frame is unread. If
 * `ready_set` is not NULL it receives the net devices that have input. */
void solo5_yield(solo5_time_t deadline, solo5_handle_set_t *ready_set);

/* ---- Console ---- */

/* Best effort: never fails, may lose output. */
void solo5_console_write(const char *buf, size_t size);

/* ---- Net ---- */

#define SOLO5_NET_ALEN 6  /* MAC address length */
#define SOLO5_NET_HLEN 14 /* Ethernet header length */

struct solo5_net_info {
  uint8_t mac_address[SOLO5_NET_ALEN];
  size_t mtu; /* not counting the Ethernet header */
};

/* Gives the handle and properties of the net device called `name` in the
 * manifest. Once per name; SOLO5_R_EINVAL after that, or for a name the
 * manifest does not declare as a net device. */
solo5_result_t solo5_net_acquire(const char *name, solo5_handle_t *handle,
                                 struct solo5_net_info *info);

/* Sends one frame (header included, at most mtu + SOLO5_NET_HLEN bytes)
 * without blocking; a frame the host cannot take now is dropped silently. */
solo5_result_t solo5_net_write(solo5_handle_t handle, const uint8_t *buf,
                               size_t size);

/* Receives one frame without blocking into buf[0..size), size at least
 * mtu + SOLO5_NET_HLEN, and stores its length in *read_size; SOLO5_R_AGAIN
 * when none is queued. */
solo5_result_t solo5_net_read(solo5_handle_t handle, uint8_t *buf, size_t size,
                              size_t *read_size);

/* ---- Block ---- */

typedef uint64_t solo5_off_t; /* bytes */

struct solo5_block_info {
  solo5_off_t capacity;   /* bytes */
  solo5_off_t block_size; /* the unit of I/O, bytes */
};

/* As solo5_net_acquire, for a block device. */
solo5_result_t solo5_block_acquire(const char *name, solo5_handle_t *handle,
                                   struct solo5_block_info *info);

/* Write or read `size` bytes at byte `offset`, whole or not at all. Both
 * must be multiples of the block size (else SOLO5_R_EINVAL), and current
 * implementations accept exactly one block per call. */
solo5_result_t solo5_block_write(solo5_handle_t handle, solo5_off_t offset,
                                 const uint8_t *buf, size_t size);
solo5_result_t solo5_block_read(solo5_handle_t handle, solo5_off_t offset,
                                uint8_t *buf, size_t size);

#endif
