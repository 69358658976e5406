/*
 * std_names.c: the standard names of the runtime's functions, for Solo5
 * images only.
 *
 * The runtime defines everything under `mk_rt_` names so that its tests can
 * link it into a Linux program next to glibc and compare the two. This file
 * is the only place where `memcpy`, `printf`, `malloc` and the rest exist;
 * it is compiled into unikernel images and never into a hosted binary, where
 * it would replace glibc's. Each definition is a tail call (a single jump at
 * -O2). Including the public headers here makes the compiler check that
 * their prototypes match the definitions.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <mk_runtime.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* <string.h> */
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
  return mk_rt_memcpy(dst, src, n);
}
void *memmove(void *dst, const void *src, size_t n) {
  return mk_rt_memmove(dst, src, n);
}
void *memset(void *dst, int c, size_t n) { return mk_rt_memset(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) {
  return mk_rt_memcmp(a, b, n);
}
void *memchr(const void *s, int c, size_t n) { return mk_rt_memchr(s, c, n); }
size_t strlen(const char *s) { return mk_rt_strlen(s); }
size_t strnlen(const char *s, size_t max) { return mk_rt_strnlen(s, max); }
int strcmp(const char *a, const char *b) { return mk_rt_strcmp(a, b); }
int strncmp(const char *a, const char *b, size_t n) {
  return mk_rt_strncmp(a, b, n);
}
char *strchr(const char *s, int c) { return mk_rt_strchr(s, c); }
char *strrchr(const char *s, int c) { return mk_rt_strrchr(s, c); }
char *strcpy(char *restrict dst, const char *restrict src) {
  return mk_rt_strcpy(dst, src);
}
char *strncpy(char *restrict dst, const char *restrict src, size_t n) {
  return mk_rt_strncpy(dst, src, n);
}
char *strcat(char *restrict dst, const char *restrict src) {
  return mk_rt_strcat(dst, src);
}
char *strncat(char *restrict dst, const char *restrict src, size_t n) {
  return mk_rt_strncat(dst, src, n);
}
char *strstr(const char *haystack, const char *needle) {
  return mk_rt_strstr(haystack, needle);
}
char *strdup(const char *s) { return mk_rt_strdup(s); }
char *strndup(const char *s, size_t n) { return mk_rt_strndup(s, n); }

/* <stdlib.h> */
void *malloc(size_t size) { return mk_rt_malloc(size); }
void free(void *p) { mk_rt_free(p); }
void *calloc(size_t n, size_t size) { return mk_rt_calloc(n, size); }
void *realloc(void *p, size_t size) { return mk_rt_realloc(p, size); }
void *aligned_alloc(size_t align, size_t size) {
  return mk_rt_aligned_alloc(align, size);
}
int posix_memalign(void **out, size_t align, size_t size) {
  return mk_rt_posix_memalign(out, align, size);
}
long strtol(const char *restrict s, char **restrict end, int base) {
  return mk_rt_strtol(s, end, base);
}
unsigned long strtoul(const char *restrict s, char **restrict end, int base) {
  return mk_rt_strtoul(s, end, base);
}
long long strtoll(const char *restrict s, char **restrict end, int base) {
  return mk_rt_strtoll(s, end, base);
}
unsigned long long strtoull(const char *restrict s, char **restrict end,
                            int base) {
  return mk_rt_strtoull(s, end, base);
}
int atoi(const char *s) { return mk_rt_atoi(s); }
long atol(const char *s) { return mk_rt_atol(s); }
long long atoll(const char *s) { return mk_rt_atoll(s); }
int abs(int v) { return mk_rt_abs(v); }
long labs(long v) { return mk_rt_labs(v); }
long long llabs(long long v) { return mk_rt_llabs(v); }
void abort(void) { mk_rt_abort(); }
void exit(int status) { mk_rt_exit(status); }

/* <ctype.h> */
int isalnum(int c) { return mk_rt_isalnum(c); }
int isalpha(int c) { return mk_rt_isalpha(c); }
int isblank(int c) { return mk_rt_isblank(c); }
int iscntrl(int c) { return mk_rt_iscntrl(c); }
int isdigit(int c) { return mk_rt_isdigit(c); }
int isgraph(int c) { return mk_rt_isgraph(c); }
int islower(int c) { return mk_rt_islower(c); }
int isprint(int c) { return mk_rt_isprint(c); }
int ispunct(int c) { return mk_rt_ispunct(c); }
int isspace(int c) { return mk_rt_isspace(c); }
int isupper(int c) { return mk_rt_isupper(c); }
int isxdigit(int c) { return mk_rt_isxdigit(c); }
int tolower(int c) { return mk_rt_tolower(c); }
int toupper(int c) { return mk_rt_toupper(c); }

/* <stdio.h> */
int printf(const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vprintf(fmt, ap);
  va_end(ap);
  return r;
}
int fprintf(FILE *restrict f, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vsnprintf(buf, size, fmt, ap);
  va_end(ap);
  return r;
}
int sprintf(char *restrict buf, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vsprintf(buf, fmt, ap);
  va_end(ap);
  return r;
}
int vprintf(const char *restrict fmt, va_list ap) {
  return mk_rt_vprintf(fmt, ap);
}
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap) {
  return mk_rt_vfprintf(f, fmt, ap);
}
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap) {
  return mk_rt_vsnprintf(buf, size, fmt, ap);
}
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap) {
  return mk_rt_vsprintf(buf, fmt, ap);
}
int puts(const char *s) { return mk_rt_puts(s); }
int fputs(const char *restrict s, FILE *restrict f) {
  return mk_rt_fputs(s, f);
}
int putchar(int c) { return mk_rt_putchar(c); }
int fputc(int c, FILE *f) { return mk_rt_fputc(c, f); }
int putc(int c, FILE *f) { return mk_rt_fputc(c, f); }
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f) {
  return mk_rt_fwrite(p, size, n, f);
}
int fflush(FILE *f) { return mk_rt_fflush(f); }
