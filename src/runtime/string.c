/*
 * string.c: the memory and string functions of <string.h>.
 *
 * The compiler itself emits calls to memcpy, memmove, memset and memcmp (for
 * struct copies and large initialisers), so these four are always linked and
 * must never call themselves: GCC recognises a byte-copy loop as a memcpy
 * idiom even with -ffreestanding (Clang without it), and would compile
 * mk_rt_memcpy into a call to memcpy, which on Solo5 is mk_rt_memcpy.
 * MK_RT_NO_LIBCALL forbids that for the functions that need it, whatever
 * flags an image is built with. The mem* functions move a word at a time
 * when source and destination share their alignment, which is the common
 * case for buffers and packets; everything else is a plain byte loop, which
 * is what the strings a unikernel handles (names, lines, arguments) need.
 */
#include <stdint.h>

#include "rt.h"

#if defined(__clang__)
#define MK_RT_NO_LIBCALL __attribute__((no_builtin))
#elif defined(__GNUC__)
#define MK_RT_NO_LIBCALL                                                       \
  __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define MK_RT_NO_LIBCALL
#endif

/* A word that may alias any object, so word-sized copies are correct even
 * when the compiler assumes strict aliasing. */
typedef size_t __attribute__((may_alias)) word;
#define WORD sizeof(word)
#define MISALIGNED(p) ((uintptr_t)(p) & (WORD - 1))

/* Forward copy; also safe for overlapping buffers when dst is below src,
 * which is why it has no `restrict`. */
MK_RT_NO_LIBCALL static void copy_up(unsigned char *d, const unsigned char *s,
                                     size_t n) {
  if (MISALIGNED((uintptr_t)d ^ (uintptr_t)s) == 0) {
    for (; n && MISALIGNED(d); n--) *d++ = *s++;
    for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
      *(word *)d = *(const word *)s;
  }
  for (; n; n--) *d++ = *s++;
}

/* Backward copy, for overlapping buffers with dst above src. */
MK_RT_NO_LIBCALL static void copy_down(unsigned char *d, const unsigned char *s,
                                       size_t n) {
  d += n;
  s += n;
  if (MISALIGNED((uintptr_t)d ^ (uintptr_t)s) == 0) {
    for (; n && MISALIGNED(d); n--) *--d = *--s;
    for (; n >= WORD; n -= WORD) {
      d -= WORD;
      s -= WORD;
      *(word *)d = *(const word *)s;
    }
  }
  for (; n; n--) *--d = *--s;
}

void *mk_rt_memcpy(void *restrict dst, const void *restrict src, size_t n) {
  copy_up(dst, src, n);
  return dst;
}

void *mk_rt_memmove(void *dst, const void *src, size_t n) {
  /* Compare as integers: the buffers may be unrelated objects. */
  if ((uintptr_t)dst - (uintptr_t)src >= n)
    copy_up(dst, src, n);
  else
    copy_down(dst, src, n);
  return dst;
}

MK_RT_NO_LIBCALL void *mk_rt_memset(void *dst, int c, size_t n) {
  unsigned char *d = dst, b = (unsigned char)c;
  for (; n && MISALIGNED(d); n--) *d++ = b;
  word w = (word)-1 / 255 * b; /* b in every byte */
  for (; n >= WORD; n -= WORD, d += WORD) *(word *)d = w;
  for (; n; n--) *d++ = b;
  return dst;
}

MK_RT_NO_LIBCALL int mk_rt_memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (; n; n--, x++, y++)
    if (*x != *y) return *x - *y;
  return 0;
}

void *mk_rt_memchr(const void *s, int c, size_t n) {
  const unsigned char *p = s;
  for (; n; n--, p++)
    if (*p == (unsigned char)c) return (void *)p;
  return NULL;
}

size_t mk_rt_strlen(const char *s) {
  const char *p = s;
  while (*p) p++;
  return (size_t)(p - s);
}

size_t mk_rt_strnlen(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n]) n++;
  return n;
}

/* The standard compares strings as unsigned char. */
int mk_rt_strcmp(const char *a, const char *b) {
  const unsigned char *x = (const void *)a, *y = (const void *)b;
  while (*x && *x == *y) x++, y++;
  return *x - *y;
}

int mk_rt_strncmp(const char *a, const char *b, size_t n) {
  const unsigned char *x = (const void *)a, *y = (const void *)b;
  for (; n; n--, x++, y++)
    if (*x != *y || !*x) return *x - *y;
  return 0;
}

/* strchr(s, 0) finds the terminator, so the test comes before the stop. */
char *mk_rt_strchr(const char *s, int c) {
  for (;; s++) {
    if (*s == (char)c) return (char *)s;
    if (!*s) return NULL;
  }
}

char *mk_rt_strrchr(const char *s, int c) {
  const char *last = NULL;
  for (;; s++) {
    if (*s == (char)c) last = s;
    if (!*s) return (char *)last;
  }
}

char *mk_rt_strcpy(char *restrict dst, const char *restrict src) {
  char *d = dst;
  while ((*d++ = *src++)) {
  }
  return dst;
}

/* Pads with NULs up to n and leaves dst unterminated when src is too long:
 * the standard's semantics, surprising as they are. */
char *mk_rt_strncpy(char *restrict dst, const char *restrict src, size_t n) {
  size_t i = 0;
  for (; i < n && src[i]; i++) dst[i] = src[i];
  for (; i < n; i++) dst[i] = 0;
  return dst;
}

char *mk_rt_strcat(char *restrict dst, const char *restrict src) {
  mk_rt_strcpy(dst + mk_rt_strlen(dst), src);
  return dst;
}

/* Appends at most n characters and always terminates. */
char *mk_rt_strncat(char *restrict dst, const char *restrict src, size_t n) {
  char *d = dst + mk_rt_strlen(dst);
  for (; n && *src; n--) *d++ = *src++;
  *d = 0;
  return dst;
}

/* Quadratic in the worst case; the needles a unikernel searches for are
 * short, and Two-Way would be many times the size of this. */
char *mk_rt_strstr(const char *haystack, const char *needle) {
  size_t n = mk_rt_strlen(needle);
  if (!n) return (char *)haystack;
  for (; *haystack; haystack++)
    if (*haystack == *needle && !mk_rt_strncmp(haystack, needle, n))
      return (char *)haystack;
  return NULL;
}

char *mk_rt_strdup(const char *s) { return mk_rt_strndup(s, (size_t)-1); }

char *mk_rt_strndup(const char *s, size_t n) {
  size_t len = mk_rt_strnlen(s, n);
  char *d = mk_rt_malloc(len + 1);
  if (!d) return NULL;
  mk_rt_memcpy(d, s, len);
  d[len] = 0;
  return d;
}
