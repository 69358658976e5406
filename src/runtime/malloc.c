/*
 * malloc.c: the allocator, over the one memory region the platform gives to
 * mk_rt_heap_init().
 *
 * The design is TLSF's (Masmano et al., "TLSF: a new dynamic memory
 * allocator for real-time systems", 2004), kept small. The region is a
 * sequence of blocks, each with a 16-byte header holding its size, two flag
 * bits and a check word; a free block also keeps its size in its last word
 * (a boundary tag), so freeing a block can find and merge both neighbours in
 * constant time, and free blocks are never adjacent. Free blocks sit in
 * segregated lists: exact 16-byte classes below 256 bytes, then eight classes
 * per power of two, each list found through two bitmaps. malloc rounds the
 * request up to the next class, so the head of any non-empty list at or
 * above it fits, and finding it takes two count-trailing-zeros instructions:
 * malloc and free are O(1). The block found is split to size, so rounding
 * costs nothing inside allocations; it only passes over blocks in the
 * request's own class, which are searched only when nothing larger is left
 * (see find_fit). Payloads are 16-byte aligned (max_align_t);
 * larger alignments (task stacks ask for 4096) split a free block in front.
 *
 * The check word is the block's address and size mixed with a constant. It
 * costs one store per header write, and lets free() tell a double free or a
 * pointer it never returned from a live block, and notice when a buffer
 * overflow has trampled the next header; either stops the program.
 */
#include <stdbool.h>
#include <stdint.h>

#include "rt.h"

typedef struct block {
  size_t size;  /* of the whole block, header included; low bits: flags */
  size_t check; /* see check_of() */
  /* The payload starts here; free blocks keep their list links in it. */
  _Alignas(16) struct block *next;
  struct block *prev;
} block;

#define HDR offsetof(block, next)
#define ALIGN 16u
/* Room for the header, the links and the footer of a free block. */
#define MIN_BLOCK 48u
#define USED 1u      /* this block is allocated */
#define PREV_USED 2u /* the block before is allocated (or there is none) */
#define FLAGS (USED | PREV_USED)
#define MAGIC ((size_t)0x9e3779b97f4a7c15ull)

_Static_assert(HDR == ALIGN, "payloads must be 16-byte aligned");
_Static_assert(MIN_BLOCK >= sizeof(block) + sizeof(size_t), "footer room");

/* Size classes: (fl, sl). fl 0 and 1 are exact 16-byte classes below 256;
 * from there each fl is a power of two split into SL classes. */
#define SL_BITS 3
#define SL (1u << SL_BITS)
#define SMALL (1u << (SL_BITS + 4)) /* 128: below it, fl is 0 */
#define FL (sizeof(size_t) * 8 - (SL_BITS + 4) + 1)

static struct {
  char *lo, *hi; /* first block; the sentinel header that ends the heap */
  size_t size, in_use, peak, allocations;
  uint64_t fl_map;          /* bit fl: some list in row fl is non-empty */
  unsigned char sl_map[FL]; /* bit sl: lists[fl][sl] is non-empty */
  block *lists[FL][SL];
} heap;

_Static_assert(FL < 64, "fl_map has a bit per row, and one to spare");

static size_t check_of(const block *b, size_t size) {
  return (uintptr_t)b ^ size ^ MAGIC;
}
static bool header_ok(const block *b) {
  return b->check == check_of(b, b->size);
}
static void set_header(block *b, size_t size, size_t flags) {
  b->size = size | flags;
  b->check = check_of(b, b->size);
}
static size_t block_size(const block *b) { return b->size & ~(size_t)FLAGS; }
static block *after(const block *b) {
  return (block *)((char *)b + block_size(b));
}
static void *payload(block *b) { return (char *)b + HDR; }
static size_t *footer(block *b) {
  return (size_t *)((char *)b + block_size(b)) - 1;
}
static void set_prev_used(block *b, bool used) {
  set_header(b, block_size(b),
             (b->size & USED) | (used ? (size_t)PREV_USED : 0));
}

static unsigned log2_floor(size_t x) {
  return 63u - (unsigned)__builtin_clzll((unsigned long long)x);
}

static void mapping(size_t size, unsigned *fl, unsigned *sl) {
  if (size < SMALL) {
    *fl = 0;
    *sl = (unsigned)(size / ALIGN);
  } else {
    unsigned f = log2_floor(size);
    *fl = f - (SL_BITS + 4) + 1;
    *sl = (unsigned)(size >> (f - SL_BITS)) ^ SL;
  }
}

static void insert(block *b) {
  unsigned fl, sl;
  mapping(block_size(b), &fl, &sl);
  b->prev = NULL;
  b->next = heap.lists[fl][sl];
  if (b->next) b->next->prev = b;
  heap.lists[fl][sl] = b;
  heap.fl_map |= 1ull << fl;
  heap.sl_map[fl] |= (unsigned char)(1u << sl);
}

static void unlink_free(block *b) {
  unsigned fl, sl;
  mapping(block_size(b), &fl, &sl);
  if (b->next) b->next->prev = b->prev;
  if (b->prev)
    b->prev->next = b->next;
  else
    heap.lists[fl][sl] = b->next;
  if (!heap.lists[fl][sl]) {
    heap.sl_map[fl] &= (unsigned char)~(1u << sl);
    if (!heap.sl_map[fl]) heap.fl_map &= ~(1ull << fl);
  }
}

/* A free block of at least `need` bytes, or NULL. */
static block *find_fit(size_t need) {
  unsigned fl, sl;
  /* Round up to the next class boundary: every block from there up fits. */
  size_t rounded = need;
  if (need >= SMALL) rounded += ((size_t)1 << (log2_floor(need) - SL_BITS)) - 1;
  mapping(rounded, &fl, &sl);
  if (fl < FL) {
    unsigned sl_bits = heap.sl_map[fl] & (~0u << sl);
    if (!sl_bits) {
      uint64_t fl_bits = heap.fl_map & (~0ull << (fl + 1));
      if (fl_bits) {
        fl = (unsigned)__builtin_ctzll(fl_bits);
        sl_bits = heap.sl_map[fl];
      }
    }
    if (sl_bits) return heap.lists[fl][__builtin_ctz(sl_bits)];
  }
  /* Nothing above: a block in need's own class may still be big enough.
   * Only a nearly full heap gets here, and it must not fail a request the
   * statistics say would fit (largest_free). */
  mapping(need, &fl, &sl);
  for (block *b = heap.lists[fl][sl]; b; b = b->next)
    if (block_size(b) >= need) return b;
  return NULL;
}

/* Marks b free, merges it with free neighbours and files the result. */
static void release(block *b) {
  size_t size = block_size(b);
  block *next = after(b);
  if (!(b->size & PREV_USED)) {
    size_t prev_size = ((size_t *)b)[-1];
    block *prev = (block *)((char *)b - prev_size);
    if (prev_size > (size_t)((char *)b - heap.lo) || !header_ok(prev) ||
        (prev->size & USED))
      mk_rt_panic("heap corrupted before block", payload(b));
    unlink_free(prev);
    /* Mark the swallowed header free: freeing it again is then caught as
     * a double free rather than corrupting the heap. */
    set_header(b, size, PREV_USED);
    size += block_size(prev);
    b = prev;
  }
  if (!(next->size & USED)) {
    unlink_free(next);
    size += block_size(next);
  }
  set_header(b, size, PREV_USED);
  *footer(b) = size;
  set_prev_used(after(b), false);
  insert(b);
}

/* Trims the allocated block b to `need` bytes, freeing the rest. */
static void trim(block *b, size_t need) {
  size_t size = block_size(b);
  if (size - need < MIN_BLOCK) return;
  set_header(b, need, b->size & FLAGS);
  block *rest = after(b);
  set_header(rest, size - need, USED | PREV_USED);
  release(rest);
}

/* The block size for a request of n bytes, or 0 if it can never fit. */
static size_t block_for(size_t n) {
  if (n > heap.size) return 0;
  size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  return need < MIN_BLOCK ? MIN_BLOCK : need;
}

static void account(long long delta_bytes, int delta_count) {
  heap.in_use += (size_t)delta_bytes;
  heap.allocations += (size_t)delta_count;
  if (heap.in_use > heap.peak) heap.peak = heap.in_use;
}

/* The block holding an allocation, after checking that it is one. */
static block *owner(void *p) {
  /* As integers: p may point anywhere, and the heap may be empty. */
  uintptr_t a = (uintptr_t)p;
  if (a % ALIGN || a < (uintptr_t)heap.lo + HDR || a >= (uintptr_t)heap.hi)
    mk_rt_panic("free or realloc of a pointer malloc did not return", p);
  block *b = (block *)((char *)p - HDR);
  if (!header_ok(b))
    mk_rt_panic("free or realloc of a corrupted or foreign block", p);
  if (!(b->size & USED)) mk_rt_panic("double free", p);
  block *next = after(b);
  if ((char *)next > heap.hi || !header_ok(next))
    mk_rt_panic("heap corrupted after block (buffer overflow?)", p);
  return b;
}

void mk_rt_heap_init(void *start, size_t size) {
  mk_rt_memset(&heap, 0, sizeof heap);
  uintptr_t lo = ((uintptr_t)start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
  uintptr_t end = ((uintptr_t)start + size) & ~(uintptr_t)(ALIGN - 1);
  if (size < MIN_BLOCK + 2 * ALIGN || end - lo < MIN_BLOCK + HDR) return;
  heap.lo = (char *)lo;
  heap.hi = (char *)(end - HDR);
  heap.size = (size_t)(heap.hi - heap.lo);
  /* The sentinel is a zero-sized allocated block: nothing merges past it. */
  set_header((block *)heap.hi, 0, USED);
  block *b = (block *)heap.lo;
  set_header(b, heap.size, PREV_USED);
  *footer(b) = heap.size;
  insert(b);
}

void *mk_rt_malloc(size_t n) {
  size_t need = block_for(n);
  block *b = need ? find_fit(need) : NULL;
  if (!b) {
    mk_rt_errno = MK_RT_ENOMEM;
    return NULL;
  }
  unlink_free(b);
  set_header(b, block_size(b), USED | PREV_USED);
  set_prev_used(after(b), true);
  trim(b, need);
  account((long long)block_size(b), 1);
  return payload(b);
}

void mk_rt_free(void *p) {
  if (!p) return;
  block *b = owner(p);
  account(-(long long)block_size(b), -1);
  release(b);
}

void *mk_rt_calloc(size_t n, size_t size) {
  if (size && n > (size_t)-1 / size) {
    mk_rt_errno = MK_RT_ENOMEM;
    return NULL;
  }
  void *p = mk_rt_malloc(n * size);
  if (p) mk_rt_memset(p, 0, n * size);
  return p;
}

/* realloc(p, 0) frees p and returns NULL, as glibc does, so that a program
 * behaves the same on the hosted platform and on Solo5. */
void *mk_rt_realloc(void *p, size_t n) {
  if (!p) return mk_rt_malloc(n);
  if (n == 0) {
    mk_rt_free(p);
    return NULL;
  }
  block *b = owner(p);
  size_t old = block_size(b), need = block_for(n);
  if (need && need <= old) {
    trim(b, need);
    account((long long)block_size(b) - (long long)old, 0);
    return p;
  }
  /* Grow in place into a free successor: no copy. */
  block *next = after(b);
  if (need && !(next->size & USED) && old + block_size(next) >= need) {
    unlink_free(next);
    set_header(b, old + block_size(next), b->size & FLAGS);
    set_prev_used(after(b), true);
    trim(b, need);
    account((long long)block_size(b) - (long long)old, 0);
    return p;
  }
  void *q = mk_rt_malloc(n);
  if (!q) return NULL;
  mk_rt_memcpy(q, p, old - HDR);
  mk_rt_free(p);
  return q;
}

/* Allocates with an alignment above 16 by taking a block large enough to
 * hold an aligned payload plus a free block in front of it, then giving the
 * front and the tail back. */
static void *alloc_aligned(size_t align, size_t n) {
  if (align <= ALIGN) return mk_rt_malloc(n);
  size_t need = block_for(n);
  if (!need || align > heap.size) return NULL;
  block *b = find_fit(need + align + MIN_BLOCK);
  if (!b) return NULL;
  unlink_free(b);
  uintptr_t p = (uintptr_t)payload(b);
  uintptr_t aligned = (p + align - 1) & ~(uintptr_t)(align - 1);
  while (aligned != p && aligned - p < MIN_BLOCK) aligned += align;
  size_t gap = aligned - p, size = block_size(b);
  if (gap) {
    /* b stays free as the front piece; its predecessor is allocated, since
     * free blocks never touch. */
    set_header(b, gap, PREV_USED);
    *footer(b) = gap;
    insert(b);
    b = after(b);
    set_header(b, size - gap, USED);
  } else {
    set_header(b, size, USED | PREV_USED);
  }
  set_prev_used(after(b), true);
  trim(b, need);
  account((long long)block_size(b), 1);
  return payload(b);
}

/* C17 allows any size (C11 wanted a multiple of align) and NULL for an
 * alignment that is not a power of two. */
void *mk_rt_aligned_alloc(size_t align, size_t n) {
  if (!align || (align & (align - 1))) {
    mk_rt_errno = MK_RT_EINVAL;
    return NULL;
  }
  void *p = alloc_aligned(align, n);
  if (!p) mk_rt_errno = MK_RT_ENOMEM;
  return p;
}

int mk_rt_posix_memalign(void **out, size_t align, size_t n) {
  if (!align || (align & (align - 1)) || align % sizeof(void *))
    return MK_RT_EINVAL;
  int saved = mk_rt_errno; /* posix_memalign reports by return value only */
  void *p = alloc_aligned(align, n);
  mk_rt_errno = saved;
  if (!p) return MK_RT_ENOMEM;
  *out = p;
  return 0;
}

void mk_rt_heap_stats(struct mk_rt_heap_stats *out) {
  size_t largest = 0;
  /* Every block in the highest non-empty list is larger than any below. */
  if (heap.fl_map) {
    unsigned fl = 63u - (unsigned)__builtin_clzll(heap.fl_map);
    unsigned sl = log2_floor(heap.sl_map[fl]);
    for (block *b = heap.lists[fl][sl]; b; b = b->next)
      if (block_size(b) > largest) largest = block_size(b);
  }
  out->heap_size = heap.size;
  out->in_use = heap.in_use;
  out->peak = heap.peak;
  out->free_bytes = heap.size - heap.in_use;
  out->allocations = heap.allocations;
  out->largest_free = largest ? largest - HDR : 0;
}

#define CHECK(cond, what, where)                                               \
  do {                                                                         \
    if (!(cond)) mk_rt_panic("heap check: " what, where);                      \
  } while (0)

void mk_rt_heap_check(void) {
  size_t used = 0, used_count = 0, free_count = 0;
  bool prev_used = true;
  block *b = (block *)heap.lo;
  for (; b && (char *)b < heap.hi; b = after(b)) {
    size_t size = block_size(b);
    CHECK(header_ok(b), "bad header", b);
    CHECK(size >= MIN_BLOCK && size % ALIGN == 0, "bad size", b);
    CHECK((char *)b + size <= heap.hi, "block runs past the end", b);
    CHECK(!(b->size & PREV_USED) == !prev_used, "stale PREV_USED", b);
    prev_used = b->size & USED;
    if (prev_used) {
      used += size;
      used_count++;
    } else {
      CHECK(b->size & PREV_USED, "two free blocks touch", b);
      CHECK(*footer(b) == size, "bad footer", b);
      free_count++;
    }
  }
  if (heap.lo)
    CHECK(header_ok(b) && b->size == (USED | (prev_used ? PREV_USED : 0u)),
          "bad sentinel", b);
  CHECK(used == heap.in_use && used_count == heap.allocations,
        "statistics disagree with the blocks", heap.lo);
  for (unsigned fl = 0; fl < FL; fl++) {
    for (unsigned sl = 0; sl < SL; sl++) {
      block *head = heap.lists[fl][sl];
      CHECK(!head == !(heap.sl_map[fl] & (1u << sl)), "bad sl_map", head);
      for (block *f = head; f; f = f->next) {
        unsigned f_fl, f_sl;
        mapping(block_size(f), &f_fl, &f_sl);
        CHECK(header_ok(f) && !(f->size & USED), "allocated block listed", f);
        CHECK(f_fl == fl && f_sl == sl, "block in the wrong list", f);
        CHECK(f->prev ? f->prev->next == f : f == head, "bad links", f);
        CHECK(free_count-- > 0, "more listed blocks than free ones", f);
      }
    }
    CHECK(!heap.sl_map[fl] == !(heap.fl_map & (1ull << fl)), "bad fl_map",
          heap.lo);
  }
  CHECK(free_count == 0, "free block missing from the lists", heap.lo);
}
