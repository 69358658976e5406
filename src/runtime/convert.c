/*
 * convert.c: numbers from text (strtol and its family, atoi) and abs.
 *
 * All four strto* functions share one parser that reads the magnitude as an
 * unsigned long long and notes whether it overflowed; each function then
 * clamps to its own type. The behaviour at the edges follows C11 7.22.1.4
 * and matches glibc, which the tests compare against: leading white space,
 * an optional sign, a "0x" prefix only when a hex digit follows it, the
 * unsigned functions negating in their own type ("-1" is ULONG_MAX). An
 * invalid base is EINVAL with *end = s, as for any string that holds no
 * number; glibc leaves *end alone then, which leaves the caller to read an
 * uninitialised pointer.
 */
#include <limits.h>
#include <stdbool.h>

#include "rt.h"

/* The runtime's errno (<errno.h> names it errno). It lives here, with its
 * main user; the allocator and the formatter set it too. */
int mk_rt_errno;

typedef struct parsed {
  unsigned long long mag;
  bool neg, overflow, ok;
} parsed;

static int digit_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 36;
}

static parsed parse(const char *s, char **end, int base) {
  parsed r = {0, false, false, false};
  if (base < 0 || base == 1 || base > 36) {
    mk_rt_errno = MK_RT_EINVAL;
    if (end) *end = (char *)s;
    return r;
  }
  const char *p = s;
  while (mk_rt_isspace((unsigned char)*p)) p++;
  if (*p == '+' || *p == '-') r.neg = *p++ == '-';
  bool hex_prefix = p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
                    digit_value((unsigned char)p[2]) < 16;
  if ((base == 0 || base == 16) && hex_prefix) {
    p += 2;
    base = 16;
  } else if (base == 0) {
    base = *p == '0' ? 8 : 10;
  }
  const char *digits = p;
  for (int d; (d = digit_value((unsigned char)*p)) < base; p++) {
    if (r.mag > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
      r.overflow = true;
    else
      r.mag = r.mag * (unsigned)base + (unsigned)d;
  }
  r.ok = p != digits;
  if (end) *end = (char *)(r.ok ? p : s);
  return r;
}

/* The signed result for a magnitude within [0, max + 1] when negative. */
static long long to_signed(parsed r, long long min, long long max) {
  if (r.neg) {
    if (r.overflow || r.mag > (unsigned long long)max + 1) {
      mk_rt_errno = MK_RT_ERANGE;
      return min;
    }
    return r.mag == (unsigned long long)max + 1 ? min : -(long long)r.mag;
  }
  if (r.overflow || r.mag > (unsigned long long)max) {
    mk_rt_errno = MK_RT_ERANGE;
    return max;
  }
  return (long long)r.mag;
}

static unsigned long long to_unsigned(parsed r, unsigned long long max) {
  if (r.overflow || r.mag > max) {
    mk_rt_errno = MK_RT_ERANGE;
    return max;
  }
  /* Negation in the result type, as the standard says. */
  return r.neg ? (0 - r.mag) & max : r.mag;
}

long mk_rt_strtol(const char *restrict s, char **restrict end, int base) {
  return (long)to_signed(parse(s, end, base), LONG_MIN, LONG_MAX);
}

long long mk_rt_strtoll(const char *restrict s, char **restrict end, int base) {
  return to_signed(parse(s, end, base), LLONG_MIN, LLONG_MAX);
}

unsigned long mk_rt_strtoul(const char *restrict s, char **restrict end,
                            int base) {
  return (unsigned long)to_unsigned(parse(s, end, base), ULONG_MAX);
}

unsigned long long mk_rt_strtoull(const char *restrict s, char **restrict end,
                                  int base) {
  return to_unsigned(parse(s, end, base), ULLONG_MAX);
}

/* As in glibc: no error reporting, out-of-range values are truncated. */
int mk_rt_atoi(const char *s) { return (int)mk_rt_strtol(s, NULL, 10); }
long mk_rt_atol(const char *s) { return mk_rt_strtol(s, NULL, 10); }
long long mk_rt_atoll(const char *s) { return mk_rt_strtoll(s, NULL, 10); }

int mk_rt_abs(int v) { return v < 0 ? -v : v; }
long mk_rt_labs(long v) { return v < 0 ? -v : v; }
long long mk_rt_llabs(long long v) { return v < 0 ? -v : v; }
