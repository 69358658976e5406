/*
 * platform.c: the Solo5 platform's clocks, console, memory, stacks and wait.
 *
 * Solo5 gives an image one memory region with the initial stack at its top
 * and no memory protection. The top of the region is left to that stack
 * (which runs solo5_app_main, mk_main and the scheduler), a painted zone
 * below it shows when it has overflowed, and the runtime's allocator gets
 * the rest: the core's records, task stacks and the application's malloc.
 * Task stacks have no guard page, so the core's canary, checked at every
 * switch, is their overflow check.
 */
#include "solo5_platform.h"

#include <stdarg.h>

/* ---- Memory ---- *
 *
 * [start ......... heap ........ | zone | initial stack ] start + size
 *
 * The initial stack gets INITIAL_STACK bytes at the top (a quarter of the
 * region if that is less); the zone, STACK_ZONE bytes painted with a
 * pattern, separates it from the heap. An overflow of the initial stack
 * first tramples the zone, which is checked (a word per cache line, from
 * the top) at every wait, since the scheduler runs on this stack, and when
 * mk_main returns. A frame that jumps the whole zone lands in the top of
 * the heap, where only the allocator's check words may notice it. */
#define INITIAL_STACK ((size_t)256 * 1024)
#define STACK_ZONE ((size_t)4096)
#define ZONE_PATTERN 0x6b63617473216b6dull /* "mk!stack" */
#define ZONE_STRIDE 8                      /* words: one per cache line */

static uint64_t *zone;
static size_t initial_stack;

void mk__solo5_memory_init(uintptr_t start, size_t size) {
  uintptr_t end = start + size;
  initial_stack = INITIAL_STACK < size / 4 ? INITIAL_STACK : size / 4;
  uintptr_t zone_hi = (end - initial_stack) & ~(uintptr_t)(STACK_ZONE - 1);
  zone = (uint64_t *)(zone_hi - STACK_ZONE);
  for (size_t i = 0; i < STACK_ZONE / sizeof *zone; i++) zone[i] = ZONE_PATTERN;
  mk_rt_heap_init((void *)start, (uintptr_t)zone - start);
}

void mk__solo5_initial_stack_check(void) {
  const size_t words = STACK_ZONE / sizeof *zone;
  for (size_t i = 0; i < words; i += ZONE_STRIDE) {
    if (zone[words - 1 - i] != ZONE_PATTERN) {
      mk__solo5_error("the initial stack overflowed: it runs mk_main and the "
                      "scheduler in the top %lu KiB of Solo5's memory "
                      "(keep large buffers off it: use malloc, or a task)",
                      (unsigned long)(initial_stack / 1024));
      mk__platform_abort();
    }
  }
}

void *mk__platform_alloc(size_t size) { return mk_rt_malloc(size); }
void mk__platform_free(void *ptr) { mk_rt_free(ptr); }

/* Page-aligned, so that a stack never shares a page with a record and
 * stays aligned for anything that may one day protect pages. */
void *mk__platform_stack_alloc(size_t size, bool *guarded) {
  *guarded = false;
  return mk_rt_aligned_alloc(4096, size);
}

void mk__platform_stack_free(void *lo, size_t size) {
  (void)size;
  mk_rt_free(lo);
}

/* ---- Clocks, console, ending ---- */

uint64_t mk__platform_clock_monotonic(void) { return solo5_clock_monotonic(); }
uint64_t mk__platform_clock_wall(void) { return solo5_clock_wall(); }

/* After whatever printf has buffered, so that mk_console_write and printf
 * keep their order, as on the hosted platform. The runtime's stdout flushes
 * through here too: it empties its buffer before calling, so this does not
 * recurse. */
void mk__platform_console_write(const char *buf, size_t len) {
  mk_rt_fflush(mk_rt_stdout);
  solo5_console_write(buf, len);
}

/* There is no stderr: diagnostics go to the console too, after whatever
 * stdout holds, so they appear in the order things happened. */
void mk__platform_log(const char *buf, size_t len) {
  mk_rt_fflush(mk_rt_stdout);
  solo5_console_write(buf, len);
}

void mk__solo5_error(const char *fmt, ...) {
  char buf[512];
  static const char head[] = "mkernel: ";
  mk_rt_memcpy(buf, head, sizeof head - 1);
  va_list ap;
  va_start(ap, fmt);
  int n = mk_rt_vsnprintf(buf + sizeof head - 1,
                          sizeof buf - sizeof head, /* room for '\n' */
                          fmt, ap);
  va_end(ap);
  size_t len = sizeof head - 1;
  if (n > 0) {
    len += (size_t)n < sizeof buf - sizeof head ? (size_t)n
                                                : sizeof buf - sizeof head - 1;
  }
  buf[len++] = '\n';
  mk__platform_log(buf, len);
}

_Noreturn void mk__platform_abort(void) {
  mk_rt_fflush(mk_rt_stdout);
  solo5_abort();
}

/* The runtime's exit() has already flushed stdout. */
_Noreturn void mk__platform_exit(int status) {
  mk__solo5_settle_tx();
  solo5_exit(status);
}

/* ---- Frames still on their way out at the end ---- *
 *
 * solo5_net_write hands a frame over without waiting for it to leave: on
 * hvt a tender thread takes it from a ring, on virtio qemu from a virtqueue.
 * solo5_exit stops both at once, so a frame written just before the end
 * (ping's last echo reply) was often lost there. An image that has written
 * frames therefore waits SETTLE_NS before it ends normally; solo5_yield
 * returns at once while a frame is unread, so the loop watches the clock.
 * spt writes synchronously (write(2) on the TAP) and loses nothing, but the
 * same objects link for every tender: it pays the same 20 ms. */
#define SETTLE_NS ((uint64_t)20 * 1000 * 1000)

bool mk__solo5_tx_unsettled;

void mk__solo5_settle_tx(void) {
  if (!mk__solo5_tx_unsettled) return;
  uint64_t deadline = solo5_clock_monotonic() + SETTLE_NS;
  while (solo5_clock_monotonic() < deadline) solo5_yield(deadline, NULL);
  mk__solo5_tx_unsettled = false;
}

/* ---- Waiting ---- *
 *
 * Core handles are Solo5 handles (manifest indices, below 64: see
 * devices.c), so the interest set is a solo5_handle_set_t as it is.
 * solo5_yield wakes for a frame on any net device, including devices nobody
 * reads now; it then returns at once for as long as that frame stays
 * unread. Returning early would only make the scheduler call again, so the
 * loop keeps waiting here until an interesting device is ready or the
 * deadline passes: correct, but busy while a device without readers holds
 * a frame. */
uint64_t mk__platform_wait(uint64_t deadline, uint64_t interest) {
  mk__solo5_initial_stack_check();
  for (;;) {
    solo5_handle_set_t ready = 0;
    solo5_yield(deadline, &ready);
    if (ready & interest) return ready & interest;
    if (!ready || solo5_clock_monotonic() >= deadline) return 0;
  }
}
