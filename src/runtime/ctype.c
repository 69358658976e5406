/*
 * ctype.c: character classes of the "C" locale, the only locale there is.
 * The argument is an int that must be EOF or an unsigned char value; any
 * other value (such as a negative plain char) is classified as nothing and
 * returned unchanged by the conversions, rather than indexing out of a
 * table. ASCII is assumed; a few comparisons take less room than a table.
 */
#include "rt.h"

/* Unsigned arithmetic folds "c >= lo && c <= hi" into one comparison. */
static int in(int c, int lo, int hi) {
  return (unsigned)c - (unsigned)lo <= (unsigned)(hi - lo);
}

int mk_rt_isdigit(int c) { return in(c, '0', '9'); }
int mk_rt_isupper(int c) { return in(c, 'A', 'Z'); }
int mk_rt_islower(int c) { return in(c, 'a', 'z'); }
int mk_rt_isalpha(int c) { return mk_rt_isupper(c) || mk_rt_islower(c); }
int mk_rt_isalnum(int c) { return mk_rt_isalpha(c) || mk_rt_isdigit(c); }
int mk_rt_isxdigit(int c) {
  return mk_rt_isdigit(c) || in(c, 'a', 'f') || in(c, 'A', 'F');
}
int mk_rt_isspace(int c) { return c == ' ' || in(c, '\t', '\r'); }
int mk_rt_isblank(int c) { return c == ' ' || c == '\t'; }
int mk_rt_isprint(int c) { return in(c, ' ', '~'); }
int mk_rt_isgraph(int c) { return in(c, '!', '~'); }
int mk_rt_iscntrl(int c) { return in(c, 0, 31) || c == 127; }
int mk_rt_ispunct(int c) { return mk_rt_isgraph(c) && !mk_rt_isalnum(c); }
int mk_rt_toupper(int c) { return mk_rt_islower(c) ? c - 'a' + 'A' : c; }
int mk_rt_tolower(int c) { return mk_rt_isupper(c) ? c - 'A' + 'a' : c; }
