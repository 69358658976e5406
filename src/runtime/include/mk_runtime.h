/*
 * mk_runtime.h: the parts of mkernel's small C runtime that are not standard
 * C. On Solo5 there is no libc; the runtime (src/runtime) supplies the subset
 * of <string.h>, <stdio.h>, <stdlib.h> and <ctype.h> that unikernels use, and
 * its allocator manages one memory region that the platform hands over at
 * start-up. This header is that hand-over plus the allocator's statistics.
 */
#ifndef MK_RUNTIME_H
#define MK_RUNTIME_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Gives the allocator the region [start, start + size). The platform calls it
 * once, before anything allocates; until then malloc returns NULL. Calling it
 * again forgets every earlier allocation (tests use this to start afresh).
 * The start is rounded up to 16 bytes; a region too small for one block
 * leaves the heap empty. The allocator never touches memory outside it. */
void mk_rt_heap_init(void *start, size_t size);

/* A snapshot of the heap. Byte counts include the allocator's per-block
 * overhead (a 16-byte header and rounding to 16), so that
 * in_use + free_bytes == heap_size at all times. There is no typedef: the
 * name belongs to the function below. */
struct mk_rt_heap_stats {
  size_t heap_size;    /* bytes under management after alignment */
  size_t in_use;       /* bytes in live allocations */
  size_t peak;         /* highest in_use since mk_rt_heap_init */
  size_t free_bytes;   /* bytes in free blocks */
  size_t allocations;  /* number of live allocations */
  size_t largest_free; /* largest size malloc() can satisfy right now */
};

/* Fills *out. Cost: proportional to the length of one free list. */
void mk_rt_heap_stats(struct mk_rt_heap_stats *out);

#ifdef __cplusplus
}
#endif

#endif
