/*
 * format.c: printf-style formatting, the engine behind snprintf, printf and
 * fprintf.
 *
 * mk_rt_vformat() walks the format once and hands its output in pieces to a
 * write function, so snprintf (a bounded buffer) and printf (the console) are
 * two small sinks over one formatter. It implements C11 7.21.6.1 for the
 * conversions d i u x X o c s p %, the flags - + space # 0, field width and
 * precision given as digits or `*`, and the length modifiers hh h l ll z j t.
 * Where the standard leaves a choice it does what glibc does, so that output
 * on Solo5 matches the hosted build byte for byte: "(null)" for a NULL %s
 * unless the precision is below 6, "(nil)" for a NULL %p, %p as %#lx with
 * the + and space flags honoured. There is no floating point: Solo5 images
 * are compiled with -mgeneral-regs-only, where a double cannot even be read
 * from a va_list, so %f %e %g %a print "?" and do not consume their argument.
 * %n and the wide forms %lc %ls are not supported either; like any unknown
 * conversion they are printed as written, without consuming an argument. A
 * format that ends inside a conversion fails (returns -1), as in glibc.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "rt.h"

enum { F_MINUS = 1, F_PLUS = 2, F_SPACE = 4, F_ALT = 8, F_ZERO = 16 };
enum { L_NONE, L_HH, L_H, L_L, L_LL, L_Z, L_J, L_T };

_Static_assert(sizeof(ptrdiff_t) == sizeof(size_t),
               "%zd and %tu read ptrdiff_t and size_t for each other");

typedef struct out {
  mk_rt_write_fn *write;
  void *ctx;
  size_t total;
} out;

typedef struct spec {
  unsigned flags;
  size_t width;
  int prec; /* -1: none given */
} spec;

/* True, and the call failed, once the output would pass INT_MAX. From then
 * on nothing is written: a length that cannot be returned is not worth
 * producing, and skipping it keeps "%s%2147483647d" from spending seconds
 * filling a buffer. */
static bool overflows(out *o, size_t n) {
  if (o->total <= INT_MAX && n <= INT_MAX - o->total) return false;
  o->total = (size_t)INT_MAX + 1;
  return true;
}

static void emit(out *o, const char *s, size_t n) {
  if (n == 0 || overflows(o, n)) return;
  o->write(o->ctx, s, n);
  o->total += n;
}

static void pad(out *o, char c, size_t n) {
  char run[32];
  for (size_t i = 0; i < sizeof run; i++) run[i] = c;
  if (overflows(o, n)) return;
  for (; n > 0; n -= n < sizeof run ? n : sizeof run)
    emit(o, run, n < sizeof run ? n : sizeof run);
}

/* prefix, then `zeros` zeros, then body, padded with spaces to the width. */
static void put_field(out *o, const spec *sp, const char *prefix, size_t plen,
                      size_t zeros, const char *body, size_t blen) {
  size_t len = plen + zeros + blen;
  size_t fill = sp->width > len ? sp->width - len : 0;
  if (!(sp->flags & F_MINUS)) pad(o, ' ', fill);
  emit(o, prefix, plen);
  pad(o, '0', zeros);
  emit(o, body, blen);
  if (sp->flags & F_MINUS) pad(o, ' ', fill);
}

static void put_int(out *o, const spec *sp, uintmax_t mag, char sign,
                    unsigned base, char conv) {
  const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  char buf[sizeof(uintmax_t) * 3], *end = buf + sizeof buf, *p = end;
  /* Zero has no digits here; the default precision of 1 supplies its "0",
   * and an explicit precision of 0 rightly prints nothing. */
  for (uintmax_t v = mag; v; v /= base) *--p = digits[v % base];
  size_t n = (size_t)(end - p);
  size_t prec = sp->prec < 0 ? 1 : (size_t)sp->prec;
  size_t zeros = prec > n ? prec - n : 0;
  /* "#o" makes the first digit a zero; only add one if there is none. */
  if (conv == 'o' && (sp->flags & F_ALT) && zeros == 0) zeros = 1;

  char prefix[3];
  size_t plen = 0;
  if (sign) prefix[plen++] = sign;
  if ((conv == 'x' || conv == 'X' || conv == 'p') && mag &&
      (sp->flags & F_ALT)) {
    prefix[plen++] = '0';
    prefix[plen++] = conv == 'X' ? 'X' : 'x';
  }
  /* The 0 flag pads with zeros after the prefix, unless a precision says
   * how many digits there are or the field is left-justified. */
  if ((sp->flags & (F_ZERO | F_MINUS)) == F_ZERO && sp->prec < 0 &&
      sp->width > plen + zeros + n)
    zeros = sp->width - plen - n;
  put_field(o, sp, prefix, plen, zeros, p, n);
}

/* The sign character a signed conversion starts with, if any. */
static char sign_of(const spec *sp, bool neg) {
  if (neg) return '-';
  if (sp->flags & F_PLUS) return '+';
  if (sp->flags & F_SPACE) return ' ';
  return 0;
}

/* Reads a run of digits, saturating rather than overflowing. */
static int read_number(const char **fmt) {
  int n = 0;
  for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
    int d = **fmt - '0';
    n = n > (INT_MAX - d) / 10 ? INT_MAX : n * 10 + d;
  }
  return n;
}

int mk_rt_vformat(mk_rt_write_fn *write, void *ctx, const char *fmt,
                  va_list ap) {
  out o = {write, ctx, 0};
  for (;;) {
    const char *lit = fmt;
    while (*fmt && *fmt != '%') fmt++;
    emit(&o, lit, (size_t)(fmt - lit));
    if (!*fmt) break;
    const char *start = fmt++;

    spec sp = {0, 0, -1};
    for (;; fmt++) {
      if (*fmt == '-')
        sp.flags |= F_MINUS;
      else if (*fmt == '+')
        sp.flags |= F_PLUS;
      else if (*fmt == ' ')
        sp.flags |= F_SPACE;
      else if (*fmt == '#')
        sp.flags |= F_ALT;
      else if (*fmt == '0')
        sp.flags |= F_ZERO;
      else
        break;
    }
    if (*fmt == '*') {
      fmt++;
      int w = va_arg(ap, int);
      /* A negative width is a '-' flag and a positive width. */
      if (w < 0) sp.flags |= F_MINUS;
      sp.width = w < 0 ? 0 - (size_t)w : (size_t)w;
    } else {
      sp.width = (size_t)read_number(&fmt);
    }
    if (*fmt == '.') {
      fmt++;
      if (*fmt == '*') {
        fmt++;
        int p = va_arg(ap, int);
        sp.prec = p < 0 ? -1 : p; /* negative: as if none were given */
      } else {
        sp.prec = read_number(&fmt);
      }
    }
    int len = L_NONE;
    switch (*fmt) {
    case 'h':
      len = *++fmt == 'h' ? (fmt++, L_HH) : L_H;
      break;
    case 'l':
      len = *++fmt == 'l' ? (fmt++, L_LL) : L_L;
      break;
    case 'z':
      fmt++, len = L_Z;
      break;
    case 'j':
      fmt++, len = L_J;
      break;
    case 't':
      fmt++, len = L_T;
      break;
    case 'L':
      fmt++;
      break; /* long double: only for %Lf, unsupported */
    }

    char conv = *fmt;
    if (conv) fmt++;
    /* Only the integer conversions take a length modifier here. */
    if (len != L_NONE && (conv == 'c' || conv == 's' || conv == 'p'))
      conv = '?';
    switch (conv) {
    case 'd':
    case 'i': {
      intmax_t v;
      switch (len) {
      case L_HH:
        v = (signed char)va_arg(ap, int);
        break;
      case L_H:
        v = (short)va_arg(ap, int);
        break;
      case L_L:
        v = va_arg(ap, long);
        break;
      case L_LL:
        v = va_arg(ap, long long);
        break;
      case L_Z:
      case L_T:
        v = va_arg(ap, ptrdiff_t);
        break;
      case L_J:
        v = va_arg(ap, intmax_t);
        break;
      default:
        v = va_arg(ap, int);
      }
      uintmax_t mag = v < 0 ? 0 - (uintmax_t)v : (uintmax_t)v;
      put_int(&o, &sp, mag, sign_of(&sp, v < 0), 10, 'd');
      break;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      uintmax_t v;
      switch (len) {
      case L_HH:
        v = (unsigned char)va_arg(ap, unsigned);
        break;
      case L_H:
        v = (unsigned short)va_arg(ap, unsigned);
        break;
      case L_L:
        v = va_arg(ap, unsigned long);
        break;
      case L_LL:
        v = va_arg(ap, unsigned long long);
        break;
      case L_Z:
      case L_T:
        v = va_arg(ap, size_t);
        break;
      case L_J:
        v = va_arg(ap, uintmax_t);
        break;
      default:
        v = va_arg(ap, unsigned);
      }
      unsigned base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
      put_int(&o, &sp, v, 0, base, conv);
      break;
    }
    case 'p': {
      void *v = va_arg(ap, void *);
      if (v) {
        sp.flags |= F_ALT;
        put_int(&o, &sp, (uintptr_t)v, sign_of(&sp, false), 16, 'p');
      } else {
        put_field(&o, &sp, "", 0, 0, "(nil)", 5);
      }
      break;
    }
    case 'c': {
      char c = (char)(unsigned char)va_arg(ap, int);
      put_field(&o, &sp, "", 0, 0, &c, 1);
      break;
    }
    case 's': {
      const char *s = va_arg(ap, const char *);
      if (!s) s = sp.prec < 0 || sp.prec >= 6 ? "(null)" : "";
      size_t n =
          sp.prec < 0 ? mk_rt_strlen(s) : mk_rt_strnlen(s, (size_t)sp.prec);
      put_field(&o, &sp, "", 0, 0, s, n);
      break;
    }
    case '%':
      emit(&o, "%", 1);
      break;
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
      put_field(&o, &sp, "", 0, 0, "?", 1);
      break;
    case 0:
      /* The format ends inside a conversion: glibc fails, and so do we. */
      mk_rt_errno = MK_RT_EINVAL;
      return -1;
    default:
      emit(&o, start, (size_t)(fmt - start));
    }
  }
  return o.total > INT_MAX ? (mk_rt_errno = MK_RT_EOVERFLOW, -1) : (int)o.total;
}

/* The snprintf sink: keeps what fits, counts everything. */
typedef struct sbuf {
  char *buf;
  size_t room, len;
} sbuf;

static void sbuf_write(void *ctx, const char *s, size_t n) {
  sbuf *b = ctx;
  if (b->len < b->room)
    mk_rt_memcpy(b->buf + b->len, s,
                 n < b->room - b->len ? n : b->room - b->len);
  b->len += n;
}

int mk_rt_vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
                    va_list ap) {
  sbuf b = {buf, size ? size - 1 : 0, 0};
  int r = mk_rt_vformat(sbuf_write, &b, fmt, ap);
  if (size) buf[b.len < b.room ? b.len : b.room] = 0;
  return r;
}

int mk_rt_snprintf(char *restrict buf, size_t size, const char *restrict fmt,
                   ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return r;
}

/* Unbounded, as the standard defines it; the room is the largest an object
 * can be. */
int mk_rt_vsprintf(char *restrict buf, const char *restrict fmt, va_list ap) {
  return mk_rt_vsnprintf(buf, PTRDIFF_MAX, fmt, ap);
}

int mk_rt_sprintf(char *restrict buf, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vsprintf(buf, fmt, ap);
  va_end(ap);
  return r;
}
