/*
 * test_strings.c: <string.h>, the strto* family and <ctype.h> against
 * glibc.
 *
 * The mem* functions are run over every pair of source and destination
 * offsets within a word, so both their word loops and their byte edges are
 * covered, and memmove over every overlap. The string functions get random
 * strings over a small alphabet (so that searches find something) that
 * includes bytes above 127, where signed-char bugs show. Comparison results
 * are compared by sign only, as the standard specifies nothing more.
 */
#define _POSIX_C_SOURCE 200809L /* glibc's strnlen, to compare with */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test_runtime.h"

static unsigned long cases;

static int sign(int v) { return (v > 0) - (v < 0); }

static void random_string(char *s, size_t max) {
  static const char alphabet[] = "abcab\x80\xff";
  size_t n = rt_range(0, max);
  for (size_t i = 0; i < n; i++)
    s[i] = alphabet[rt_range(0, sizeof alphabet - 2)];
  s[n] = 0;
}

/* ---- mem* ---- */

static void test_copies(void) {
  unsigned char src[300], ours[300], theirs[300];
  for (size_t i = 0; i < sizeof src; i++) src[i] = (unsigned char)rt_rand();
  for (size_t so = 0; so < 16; so++)
    for (size_t d = 0; d < 16; d++)
      for (size_t n = 0; n < 260; n += 1 + n / 8) {
        memset(ours, 0xee, sizeof ours);
        memset(theirs, 0xee, sizeof theirs);
        void *r = mk_rt_memcpy(ours + d, src + so, n);
        memcpy(theirs + d, src + so, n);
        cases++;
        RT_CHECK("string", r == ours + d && !memcmp(ours, theirs, sizeof ours),
                 "memcpy(dst+%zu, src+%zu, %zu)", d, so, n);
        int c = (int)rt_rand();
        r = mk_rt_memset(ours + d, c, n);
        memset(theirs + d, c, n);
        cases++;
        RT_CHECK("string", r == ours + d && !memcmp(ours, theirs, sizeof ours),
                 "memset(dst+%zu, %d, %zu)", d, c, n);
      }
  /* memmove in both directions over every overlap. */
  for (size_t so = 0; so < 40; so++)
    for (size_t d = 0; d < 40; d++)
      for (size_t n = 0; n < 200; n += 1 + n / 4) {
        memcpy(ours, src, sizeof ours);
        memcpy(theirs, src, sizeof theirs);
        void *r = mk_rt_memmove(ours + d, ours + so, n);
        memmove(theirs + d, theirs + so, n);
        cases++;
        RT_CHECK("string", r == ours + d && !memcmp(ours, theirs, sizeof ours),
                 "memmove(buf+%zu, buf+%zu, %zu)", d, so, n);
      }
}

static void test_searches(void) {
  for (int i = 0; i < 20000; i++) {
    char a[40], b[40];
    random_string(a, 30);
    random_string(b, i % 4 ? 3 : 30);
    size_t la = strlen(a), lb = strlen(b), n = rt_range(0, 35);
    size_t m = n < la + 1 ? n : la + 1; /* bytes inside both strings */
    if (m > lb + 1) m = lb + 1;
    int c = i % 7 ? (unsigned char)"abc\x80\xffz"[i % 6] : 0;
    cases += 14;
    RT_CHECK("string", mk_rt_strlen(a) == la, "strlen(\"%s\")", a);
    RT_CHECK("string", mk_rt_strnlen(a, n) == strnlen(a, n),
             "strnlen(\"%s\", %zu)", a, n);
    RT_CHECK("string", sign(mk_rt_strcmp(a, b)) == sign(strcmp(a, b)),
             "strcmp(\"%s\", \"%s\"): %d, glibc %d", a, b, mk_rt_strcmp(a, b),
             strcmp(a, b));
    RT_CHECK("string", sign(mk_rt_strncmp(a, b, n)) == sign(strncmp(a, b, n)),
             "strncmp(\"%s\", \"%s\", %zu)", a, b, n);
    RT_CHECK("string", sign(mk_rt_memcmp(a, b, m)) == sign(memcmp(a, b, m)),
             "memcmp(\"%s\", \"%s\", %zu)", a, b, m);
    RT_CHECK("string", mk_rt_strchr(a, c) == strchr(a, c), "strchr(\"%s\", %d)",
             a, c);
    RT_CHECK("string", mk_rt_strrchr(a, c) == strrchr(a, c),
             "strrchr(\"%s\", %d)", a, c);
    RT_CHECK("string", mk_rt_memchr(a, c, m) == memchr(a, c, m),
             "memchr(\"%s\", %d, %zu)", a, c, m);
    RT_CHECK("string", mk_rt_strstr(a, b) == strstr(a, b),
             "strstr(\"%s\", \"%s\")", a, b);

    char ours[128], theirs[128];
    memset(ours, 'Z', sizeof ours);
    memset(theirs, 'Z', sizeof theirs);
    mk_rt_strcpy(ours, a);
    strcpy(theirs, a);
    RT_CHECK("string", !memcmp(ours, theirs, sizeof ours), "strcpy(\"%s\")", a);
    RT_CHECK("string",
             mk_rt_strncpy(ours, b, n) == ours &&
                 !memcmp(ours, strncpy(theirs, b, n), sizeof ours),
             "strncpy(\"%s\", %zu)", b, n);
    strcpy(ours, a);
    strcpy(theirs, a);
    RT_CHECK("string",
             mk_rt_strcat(ours, b) == ours &&
                 !memcmp(ours, strcat(theirs, b), sizeof ours),
             "strcat(\"%s\", \"%s\")", a, b);
    RT_CHECK("string",
             mk_rt_strncat(ours, a, n) == ours &&
                 !memcmp(ours, strncat(theirs, a, n), sizeof ours),
             "strncat(..., \"%s\", %zu)", a, n);
    char *d1 = mk_rt_strndup(a, n), *d2 = mk_rt_strdup(b);
    RT_CHECK("string",
             d1 && d2 && strlen(d1) == strnlen(a, n) && !strncmp(d1, a, n) &&
                 !strcmp(d2, b),
             "strndup(\"%s\", %zu) / strdup(\"%s\")", a, n, b);
    mk_rt_free(d1);
    mk_rt_free(d2);
  }
  /* The edges the random strings may miss. */
  static const char hay[] = "abcabcabd";
  cases += 6;
  RT_CHECK("string", mk_rt_strstr(hay, "") == hay, "strstr(h, \"\") != h");
  RT_CHECK("string", mk_rt_strstr(hay, "abd") == hay + 6, "strstr abd");
  RT_CHECK("string", mk_rt_strstr("", "") != NULL, "strstr(\"\", \"\")");
  RT_CHECK("string", mk_rt_strchr(hay, 0) == hay + 9, "strchr(h, 0)");
  RT_CHECK("string", mk_rt_strrchr(hay, 'a') == hay + 6, "strrchr a");
  RT_CHECK("string", mk_rt_memchr(hay, 'd', 8) == NULL, "memchr past n");
}

/* ---- strto* ---- */

// clang-format off
static const char *const numbers[] = {
    "", " ", "0", "-0", "+0", "1", "-1", "+1", "  \t\n\v\f\r+42abc",
    "0x", "0X", "0x1g", "0X1F", "0x-1", "-0x10", "+0x7", "0xg", "0x0x1",
    "010", "08", "09", "0b1", "z", "Z9", "1y", "1z", "12 34",
    "  -", "+", "-", "-+1", "+-1", "--1", "\3771", "1\377",
    "2147483647", "2147483648", "-2147483648", "-2147483649",
    "4294967295", "4294967296",
    "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616",
    "-18446744073709551615", "-18446744073709551616",
    "99999999999999999999999999999", "-99999999999999999999999999999",
    "0xffffffffffffffff", "0x10000000000000000",
    "-0x8000000000000000", "-0x8000000000000001",
    "7fffffffffffffff", "zzzzzzzzzzzzz", "0000000000000000000000000001",
    "777777777777777777777", "1777777777777777777777",
    "2000000000000000000000",
};
// clang-format on

/* With an invalid base (which the standard does not define) the runtime
 * sets *end to s, glibc leaves it alone and ASan's interceptor sets it to s:
 * only the value and errno are compared there. */
static void check_strto(const char *s, int base) {
  bool valid = base == 0 || (base >= 2 && base <= 36);
  char *end_ours = NULL, *end_theirs = NULL;
#define STRTO(fn, T, spec)                                                     \
  do {                                                                         \
    mk_rt_errno = 0;                                                           \
    errno = 0;                                                                 \
    T ours = mk_rt_##fn(s, &end_ours, base);                                   \
    T theirs = fn(s, &end_theirs, base);                                       \
    int err_ours = mk_rt_errno, err_theirs = errno;                            \
    cases++;                                                                   \
    RT_CHECK("strtol",                                                         \
             ours == theirs && err_ours == err_theirs &&                       \
                 end_ours == (valid ? end_theirs : s),                         \
             #fn "(\"%s\", %d)\n  runtime: " spec                              \
                 " end +%td errno %d\n  glibc:   " spec " end +%td errno %d",  \
             s, base, ours, end_ours - s, err_ours, theirs, end_theirs - s,    \
             err_theirs);                                                      \
  } while (0)
  STRTO(strtol, long, "%ld");
  STRTO(strtoul, unsigned long, "%lu");
  STRTO(strtoll, long long, "%lld");
  STRTO(strtoull, unsigned long long, "%llu");
#undef STRTO
  /* A NULL end pointer is allowed. */
  cases++;
  RT_CHECK("strtol", mk_rt_strtol(s, NULL, base) == strtol(s, NULL, base),
           "strtol(\"%s\", NULL, %d)", s, base);
}

void test_convert(void) {
  rt_seed(3);
  cases = 0;
  static const int bases[] = {0, 2, 8, 10, 16, 36, 1, 37, -1};
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
    for (size_t b = 0; b < sizeof bases / sizeof *bases; b++)
      check_strto(numbers[i], bases[b]);
    for (int b = 3; b < 36; b++) check_strto(numbers[i], b);
  }
  static const char chars[] = "0123456789abcdefxXzZ +-\t";
  for (int i = 0; i < 20000; i++) {
    char s[40];
    size_t n = rt_range(0, 30);
    for (size_t k = 0; k < n; k++) s[k] = chars[rt_range(0, sizeof chars - 2)];
    s[n] = 0;
    int base = i % 3 ? bases[i % 6] : (int)rt_range(2, 36);
    check_strto(s, base);
  }
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
    const char *s = numbers[i];
    cases += 3;
    RT_CHECK("strtol", mk_rt_atoi(s) == atoi(s), "atoi(\"%s\"): %d, glibc %d",
             s, mk_rt_atoi(s), atoi(s));
    RT_CHECK("strtol", mk_rt_atol(s) == atol(s), "atol(\"%s\")", s);
    RT_CHECK("strtol", mk_rt_atoll(s) == atoll(s), "atoll(\"%s\")", s);
  }
  static const long long values[] = {
      0, 1, -1, 12345, -12345, INT32_MAX, -INT32_MAX, INT64_MAX, -INT64_MAX};
  for (size_t i = 0; i < sizeof values / sizeof *values; i++) {
    long long v = values[i];
    cases += 3;
    if (v >= -INT32_MAX && v <= INT32_MAX)
      RT_CHECK("strtol", mk_rt_abs((int)v) == abs((int)v), "abs(%lld)", v);
    RT_CHECK("strtol", mk_rt_labs((long)v) == labs((long)v), "labs(%lld)", v);
    RT_CHECK("strtol", mk_rt_llabs(v) == llabs(v), "llabs(%lld)", v);
  }
  rt_done("strtol", cases);
}

/* ---- ctype, over EOF and every unsigned char ---- */

void test_ctype(void) {
  cases = 0;
  for (int c = -1; c < 256; c++) {
#define CLASS(fn)                                                              \
  do {                                                                         \
    cases++;                                                                   \
    RT_CHECK("ctype", !mk_rt_##fn(c) == !fn(c), #fn "(%d): %d, glibc %d", c,   \
             mk_rt_##fn(c), fn(c));                                            \
  } while (0)
    CLASS(isalnum);
    CLASS(isalpha);
    CLASS(isblank);
    CLASS(iscntrl);
    CLASS(isdigit);
    CLASS(isgraph);
    CLASS(islower);
    CLASS(isprint);
    CLASS(ispunct);
    CLASS(isspace);
    CLASS(isupper);
    CLASS(isxdigit);
#undef CLASS
    cases += 2;
    RT_CHECK("ctype", mk_rt_toupper(c) == toupper(c), "toupper(%d)", c);
    RT_CHECK("ctype", mk_rt_tolower(c) == tolower(c), "tolower(%d)", c);
  }
  rt_done("ctype", cases);
}

void test_strings(void) {
  static char heap[1 << 20];
  mk_rt_heap_init(heap, sizeof heap);
  rt_seed(2);
  cases = 0;
  test_copies();
  test_searches();
  rt_done("string", cases);
}
