/*
 * test_malloc.c: the allocator, checked against its own invariants.
 *
 * There is nothing to compare it with, so every block is filled with a
 * pattern naming its allocation and checked before it is freed or moved,
 * every pointer is checked for alignment and for lying inside the region,
 * and mk_rt_heap_check() walks the whole heap (headers, boundary tags, free
 * lists, statistics) at intervals. The groups: a random mix of every entry
 * point, the start-up and shutdown of many task stacks, 100,000 small
 * blocks, exhaustion (nothing is lost when a request fails), and the
 * misuse free() must stop the program for.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test_runtime.h"

#define HDR 16 /* the allocator's per-block header: see malloc.c */

static unsigned long cases;
static unsigned char *region;
static size_t region_size;

static struct mk_rt_heap_stats stats(void) {
  struct mk_rt_heap_stats s;
  mk_rt_heap_stats(&s);
  return s;
}

static bool same_stats(struct mk_rt_heap_stats a, struct mk_rt_heap_stats b) {
  return !memcmp(&a, &b, sizeof a);
}

/* The same blocks, whatever the peak did meanwhile. */
static bool same_heap(struct mk_rt_heap_stats a, struct mk_rt_heap_stats b) {
  a.peak = b.peak;
  return same_stats(a, b);
}

/* The heap's invariants, and that every free byte is one block again. */
static void check_empty(const char *when) {
  mk_rt_heap_check();
  struct mk_rt_heap_stats s = stats();
  cases++;
  RT_CHECK("malloc",
           s.in_use == 0 && s.allocations == 0 && s.free_bytes == s.heap_size &&
               s.largest_free == s.heap_size - HDR,
           "%s: in_use %zu, allocations %zu, free %zu, largest %zu of %zu",
           when, s.in_use, s.allocations, s.free_bytes, s.largest_free,
           s.heap_size);
}

/* A pointer the allocator returned: aligned, inside the region. */
static void check_block(const void *p, size_t size, size_t align) {
  const unsigned char *c = p;
  cases++;
  RT_CHECK("malloc",
           p && (uintptr_t)c % align == 0 && c >= region &&
               c + size <= region + region_size,
           "block %p (%zu bytes, align %zu) is misaligned or outside [%p, %p)",
           p, size, align, (void *)region, (void *)(region + region_size));
}

/* Each allocation of `size` bytes is filled with its tag's low byte, and
 * starts with the whole tag if it has room, so that blocks that overlap or
 * move wrongly show. */
static unsigned char expected(size_t i, size_t size, uint32_t tag) {
  return (unsigned char)(size >= 4 && i < 4 ? tag >> (8 * i) : tag);
}

static void fill(unsigned char *p, size_t size, uint32_t tag) {
  memset(p, (unsigned char)tag, size);
  for (size_t i = 0; i < 4 && i < size; i++) p[i] = expected(i, size, tag);
}

static uint32_t read_tag(const unsigned char *p) {
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

/* The first n bytes of a block of `size` filled with `tag` are intact. */
static bool intact(const unsigned char *p, size_t n, size_t size,
                   uint32_t tag) {
  static unsigned char same[4096];
  for (size_t i = 0; i < n && i < 4; i++)
    if (p[i] != expected(i, size, tag)) return false;
  memset(same, (unsigned char)tag, sizeof same);
  for (size_t i = 4; i < n; i += sizeof same)
    if (memcmp(p + i, same, n - i < sizeof same ? n - i : sizeof same))
      return false;
  return true;
}

static size_t random_size(void) {
  uint64_t r = rt_range(0, 99);
  if (r < 70) return rt_range(1, 512);
  if (r < 97) return rt_range(513, 64 << 10);
  return rt_range(64 << 10, 1 << 20);
}

/* largest_free is exact: it fits, one byte more does not. */
static void check_largest(void) {
  struct mk_rt_heap_stats s = stats();
  if (!s.largest_free) return;
  void *p = mk_rt_malloc(s.largest_free);
  mk_rt_free(p);
  void *q = mk_rt_malloc(s.largest_free + 1);
  cases++;
  RT_CHECK("malloc", p && !q && same_heap(s, stats()),
           "largest_free %zu: malloc of it gave %p, of one more %p",
           s.largest_free, p, q);
  mk_rt_free(q);
}

/* ---- A random mix of every entry point ---- */

#define SLOTS 1024

typedef struct slot {
  unsigned char *p;
  size_t size;
  uint32_t tag;
} slot;

static void stress(void) {
  static slot slots[SLOTS];
  uint32_t next_tag = 1;
  size_t live = 0;
  unsigned long failed = 0;
  for (int op = 1; op <= 30000; op++) {
    slot *s = &slots[rt_range(0, SLOTS - 1)];
    if (!s->p) {
      size_t size = random_size(), align = 16;
      unsigned kind = (unsigned)rt_range(0, 99);
      struct mk_rt_heap_stats before = stats();
      if (kind < 60) {
        s->p = mk_rt_malloc(size);
      } else if (kind < 75) {
        s->p = mk_rt_calloc(size, 1);
        cases++;
        RT_CHECK("malloc", !s->p || intact(s->p, size, size, 0),
                 "calloc(%zu, 1) is not zeroed", size);
      } else if (kind < 90) {
        align = (size_t)1 << rt_range(4, 12);
        s->p = mk_rt_aligned_alloc(align, size);
      } else {
        align = (size_t)1 << rt_range(3, 13);
        void *p = NULL;
        int r = mk_rt_posix_memalign(&p, align, size);
        RT_CHECK("malloc", (r == 0) == (p != NULL),
                 "posix_memalign returned %d with %p", r, p);
        s->p = p;
      }
      if (!s->p) {
        failed++;
        cases++;
        RT_CHECK("malloc", same_stats(before, stats()),
                 "a failed allocation of %zu changed the statistics", size);
        continue;
      }
      check_block(s->p, size, align < 16 ? 16 : align);
      s->size = size;
      s->tag = next_tag++;
      fill(s->p, size, s->tag);
      live++;
    } else {
      cases++;
      RT_CHECK("malloc", intact(s->p, s->size, s->size, s->tag),
               "block %p (%zu bytes, tag %u) was overwritten", (void *)s->p,
               s->size, s->tag);
      if (rt_range(0, 9) < 7) {
        mk_rt_free(s->p);
        s->p = NULL;
        live--;
      } else {
        size_t size = random_size();
        unsigned char *p = mk_rt_realloc(s->p, size);
        if (!p) {
          failed++;
          continue; /* s->p is untouched and still checked later */
        }
        size_t kept = size < s->size ? size : s->size;
        check_block(p, size, 16);
        cases++;
        RT_CHECK("malloc", intact(p, kept, s->size, s->tag),
                 "realloc(%zu -> %zu) lost the contents", s->size, size);
        s->p = p;
        s->size = size;
        s->tag = next_tag++;
        fill(p, size, s->tag);
      }
    }
    if (op % 1000 == 0) {
      mk_rt_heap_check();
      struct mk_rt_heap_stats st = stats();
      cases++;
      RT_CHECK("malloc",
               st.allocations == live &&
                   st.in_use + st.free_bytes == st.heap_size &&
                   st.peak >= st.in_use,
               "after %d operations: %zu allocations for %zu live blocks", op,
               st.allocations, live);
      check_largest();
    }
  }
  for (size_t i = 0; i < SLOTS; i++) {
    if (!slots[i].p) continue;
    cases++;
    RT_CHECK("malloc",
             intact(slots[i].p, slots[i].size, slots[i].size, slots[i].tag),
             "block %zu was overwritten", i);
    mk_rt_free(slots[i].p);
    slots[i].p = NULL;
  }
  check_empty("after the random mix");
  RT_CHECK("malloc", failed < 300, "%lu of 30000 operations failed", failed);
}

/* ---- Tasks: a record and a stack each, released in LIFO order ---- */

static void stacks(void) {
  enum { TASKS = 40 };
  void *records[TASKS], *stack[TASKS];
  size_t size[TASKS];
  for (int round = 0; round < 5; round++) {
    for (int i = 0; i < TASKS; i++) {
      size[i] = (size_t)4096 << rt_range(0, 8); /* 4 KiB .. 1 MiB */
      records[i] = mk_rt_malloc(200);
      stack[i] = mk_rt_aligned_alloc(i % 4 ? 4096 : 16, size[i]);
      check_block(records[i], 200, 16);
      check_block(stack[i], size[i], i % 4 ? 4096 : 16);
      /* A stack is used from the top down; touch both ends. */
      ((unsigned char *)stack[i])[0] = 1;
      ((unsigned char *)stack[i])[size[i] - 1] = 2;
    }
    mk_rt_heap_check();
    for (int i = TASKS - 1; i >= 0; i--) {
      mk_rt_free(stack[i]);
      mk_rt_free(records[i]);
    }
    check_empty("after the task stacks");
  }
}

/* ---- 100,000 small blocks, freed in random order ---- */

static void many_small(void) {
  enum { N = 100000 };
  static unsigned char *blocks[N];
  for (uint32_t i = 0; i < N; i++) {
    size_t size = rt_range(150, 250);
    blocks[i] = mk_rt_malloc(size);
    check_block(blocks[i], size, 16);
    if (!blocks[i]) return;
    fill(blocks[i], 150, i);
  }
  mk_rt_heap_check();
  cases++;
  RT_CHECK("malloc", stats().allocations == N, "%zu allocations, not %d",
           stats().allocations, N);
  for (uint32_t i = N - 1; i > 0; i--) {
    uint32_t j = (uint32_t)rt_range(0, i);
    unsigned char *t = blocks[i];
    blocks[i] = blocks[j];
    blocks[j] = t;
  }
  for (uint32_t i = 0; i < N; i++) {
    uint32_t tag = read_tag(blocks[i]);
    cases++;
    RT_CHECK("malloc", tag < N && intact(blocks[i], 150, 150, tag),
             "small block %p was overwritten", (void *)blocks[i]);
    mk_rt_free(blocks[i]);
  }
  check_empty("after 100,000 small blocks");
}

/* ---- Requests that cannot be met ---- */

static void exhaustion(void) {
  mk_rt_heap_init(region, 1 << 20);
  struct mk_rt_heap_stats s = stats();
  enum { MAX = 2048 };
  static void *blocks[MAX];
  size_t n = 0;
  while (n < MAX && (blocks[n] = mk_rt_malloc(1000))) n++;
  cases++;
  RT_CHECK("malloc", n >= s.heap_size / 1024 - 1 && n < MAX,
           "%zu blocks of 1000 bytes in a heap of %zu", n, s.heap_size);
  /* A failure changes nothing and says why. */
  struct mk_rt_heap_stats full = stats();
  mk_rt_errno = 0;
  void *p = mk_rt_malloc(1000);
  void *q = mk_rt_aligned_alloc(4096, 1000);
  cases++;
  RT_CHECK(
      "malloc", !p && !q && mk_rt_errno == ENOMEM && same_stats(full, stats()),
      "a full heap: malloc %p, aligned_alloc %p, errno %d", p, q, mk_rt_errno);
  check_largest();
  /* Every other block free: the holes do not merge. */
  for (size_t i = 0; i < n; i += 2) mk_rt_free(blocks[i]);
  mk_rt_heap_check();
  s = stats();
  cases++;
  RT_CHECK("malloc", s.largest_free == 1024 - HDR || s.largest_free > 1024,
           "largest_free %zu with 1024-byte holes", s.largest_free);
  check_largest();
  for (size_t i = 1; i < n; i += 2) mk_rt_free(blocks[i]);
  check_empty("after exhaustion");

  /* Sizes no heap can hold, and overflowing products. */
  s = stats();
  mk_rt_errno = 0;
  void *r[6] = {
      mk_rt_malloc(SIZE_MAX),
      mk_rt_malloc(s.heap_size),
      mk_rt_calloc(SIZE_MAX / 2 + 1, 2),
      mk_rt_calloc((size_t)1 << (sizeof(size_t) * 4),
                   (size_t)1 << (sizeof(size_t) * 4)),
      mk_rt_aligned_alloc(4096, s.heap_size - 4096),
      mk_rt_aligned_alloc((size_t)1 << (sizeof(size_t) * 8 - 1), 16),
  };
  for (int i = 0; i < 6; i++) {
    cases++;
    RT_CHECK("malloc", !r[i], "impossible request %d returned %p", i, r[i]);
  }
  cases++;
  RT_CHECK("malloc", mk_rt_errno == ENOMEM && same_stats(s, stats()),
           "impossible requests: errno %d, or statistics changed", mk_rt_errno);

  /* Alignments that are not powers of two. */
  static const size_t bad[] = {0, 3, 24, 48};
  for (size_t i = 0; i < 4; i++) {
    mk_rt_errno = 0;
    void *a = mk_rt_aligned_alloc(bad[i], 8), *b = (void *)1;
    int e = mk_rt_posix_memalign(&b, bad[i], 8);
    cases++;
    RT_CHECK("malloc",
             !a && mk_rt_errno == EINVAL && e == EINVAL && b == (void *)1,
             "alignment %zu: aligned_alloc %p errno %d, posix_memalign %d",
             bad[i], a, mk_rt_errno, e);
  }
  void *b = NULL;
  cases++;
  RT_CHECK("malloc",
           mk_rt_posix_memalign(&b, 4, 8) == EINVAL &&
               mk_rt_posix_memalign(&b, 8, 8) == 0 && b,
           "posix_memalign accepts 8 and refuses 4");
  mk_rt_free(b);
  check_empty("after impossible requests");
}

/* ---- realloc's cases ---- */

static void reallocs(void) {
  unsigned char *p = mk_rt_realloc(NULL, 100);
  unsigned char *q = mk_rt_malloc(100), *guard = mk_rt_malloc(100);
  fill(p, 100, 7);
  mk_rt_free(q);
  unsigned char *grown = mk_rt_realloc(p, 180);
  cases++;
  RT_CHECK("malloc", grown == p && intact(p, 100, 100, 7),
           "realloc into a free neighbour moved %p to %p", (void *)p,
           (void *)grown);
  unsigned char *shrunk = mk_rt_realloc(p, 20);
  cases++;
  RT_CHECK("malloc", shrunk == p && intact(p, 20, 100, 7),
           "shrinking moved %p to %p", (void *)p, (void *)shrunk);
  cases++;
  RT_CHECK("malloc", !mk_rt_realloc(p, SIZE_MAX) && intact(p, 20, 100, 7),
           "a failed realloc lost the block");
  size_t before = stats().allocations;
  cases++;
  RT_CHECK("malloc", !mk_rt_realloc(p, 0) && stats().allocations == before - 1,
           "realloc(p, 0) did not free p");
  unsigned char *z = mk_rt_malloc(0), *z2 = mk_rt_malloc(0);
  cases++;
  RT_CHECK("malloc", z && z2 && z != z2, "malloc(0) gave %p and %p", (void *)z,
           (void *)z2);
  mk_rt_free(z);
  mk_rt_free(z2);
  mk_rt_free(guard);
  mk_rt_free(NULL);
  check_empty("after realloc");
}

/* ---- Misuse that must stop the program ---- */

static void free_it(void *p) { mk_rt_free(p); }

static void expect_abort(const char *what, void *p, const char *message) {
  rt_console_reset();
  int r = rt_catch(free_it, p);
  cases++;
  RT_CHECK("malloc", r == 255 && strstr(rt_console, message),
           "%s: status %d, console \"%s\"", what, r, rt_console);
}

static void misuse(void) {
  unsigned char *p = mk_rt_malloc(100), *q = mk_rt_malloc(100);
  mk_rt_malloc(100);
  mk_rt_free(p);
  expect_abort("double free", p, "double free");
  mk_rt_free(q); /* merges into p's free block */
  expect_abort("double free after merging", q, "double free");

  p = mk_rt_malloc(32);
  q = mk_rt_malloc(32);
  memset(p, 0x41, 48); /* 16 bytes past the block: q's header */
  expect_abort("overflow into the next header", p, "corrupted after block");
  expect_abort("free of the trampled block", q, "corrupted or foreign");

  p = mk_rt_malloc(64);
  ((size_t *)p)[-2] ^= 0x100; /* its size */
  expect_abort("corrupted header", p, "corrupted or foreign");
  int local;
  expect_abort("pointer from the stack", &local, "malloc did not return");
  expect_abort("misaligned pointer", (char *)mk_rt_malloc(8) + 1,
               "malloc did not return");

  mk_rt_heap_init(NULL, 0);
  struct mk_rt_heap_stats s = stats();
  cases++;
  RT_CHECK("malloc", !mk_rt_malloc(1) && s.heap_size == 0 && !s.largest_free,
           "an empty heap allocated");
  mk_rt_free(NULL);
}

void test_malloc(void) {
  rt_seed(4);
  cases = 0;
  region_size = (size_t)64 << 20;
  region = malloc(region_size);
  if (!region) {
    rt_fail("malloc", "no memory for the test region");
    return;
  }
  /* A misaligned start: the allocator must align, and stay inside. */
  mk_rt_heap_init(region + 3, region_size - 3);
  check_empty("at start");
  cases++;
  RT_CHECK("malloc", stats().heap_size > region_size - 64 && !stats().peak,
           "heap_size %zu for a region of %zu", stats().heap_size, region_size);
  stress();
  stacks();
  many_small();
  reallocs();
  cases++;
  RT_CHECK("malloc", stats().peak > 20 << 20, "peak %zu", stats().peak);
  exhaustion();
  misuse();
  free(region);
  rt_done("malloc", cases);
}
