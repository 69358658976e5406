/*
 * app.c: a small application written against the runtime's public headers,
 * as an example or a test unikernel would be. It is never run: the
 * freestanding check (mk/runtime.mk) compiles it the way a Solo5 image is
 * compiled and links it with the runtime, to prove that the headers compile
 * without a libc, that -Wformat accepts the <inttypes.h> macros for the
 * target's types, and that every call (including the memcpy and memset the
 * compiler emits itself) resolves inside the runtime.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <mk_runtime.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static_assert(ULONG_MAX == (unsigned long)-1, "limits.h: ULONG_MAX");
static_assert(LLONG_MIN == -LLONG_MAX - 1, "limits.h: LLONG_MIN");
static_assert(UINT_MAX == (unsigned)-1, "limits.h: UINT_MAX");
static_assert(CHAR_MIN == ((char)-1 < 0 ? SCHAR_MIN : 0), "limits.h: char");
static_assert(USHRT_MAX == (unsigned short)-1, "limits.h: USHRT_MAX");

struct record {
  char name[64];
  uint64_t counts[32];
};

/* Large enough that the compiler copies and clears it with memcpy/memset. */
static struct record copy_of(const struct record *r) {
  struct record c = *r;
  return c;
}

int main(void) {
  static char heap[1 << 16];
  mk_rt_heap_init(heap, sizeof heap);

  struct record r = {0};
  snprintf(r.name, sizeof r.name, "%s-%03d", "sample", 7);
  r.counts[0] = UINT64_MAX;
  struct record c = copy_of(&r);
  printf("%s %" PRIu64 " %" PRIx32 " %" PRIdMAX " %" PRIuPTR " %" PRId16
         " %" PRIuFAST32 " %" PRIiLEAST64 "\n",
         c.name, c.counts[0], (uint32_t)0xbeef, (intmax_t)-1, (uintptr_t)&c,
         (int16_t)-2, (uint_fast32_t)3, (int_least64_t)4);

  char *end;
  errno = 0;
  long v = strtol("  -42xyz", &end, 0);
  assert(v == -42 && *end == 'x' && errno == 0);
  char *s = strdup(isdigit('7') ? "digit" : "other");
  if (!s) abort();
  fprintf(stderr, "%s %zu %d\n", s, strlen(s), strcmp(s, "digit"));
  free(s);

  struct mk_rt_heap_stats st;
  mk_rt_heap_stats(&st);
  if (st.in_use != 0) abort();
  fflush(stdout);
  exit(EXIT_SUCCESS);
}
