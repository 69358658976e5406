/*
 * stdio.h (mkernel runtime, Solo5 images only): formatted output and the
 * character output functions of C11 7.21, for the console only. There are
 * two streams: stdout (line-buffered) and stderr (unbuffered), both writing
 * to the console in the order things were printed. No input, no files, no
 * floating-point conversions (%f and friends print "?"), no %n. See
 * docs/runtime.md; implemented in src/runtime/format.c and stdio.c.
 */
#ifndef MK_RT_STDIO_H
#define MK_RT_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EOF (-1)

typedef struct mk_rt_file FILE;
extern FILE *const mk_rt_stdout;
extern FILE *const mk_rt_stderr;
#define stdout mk_rt_stdout
#define stderr mk_rt_stderr

#define MK_RT_FORMAT(fmt, args) __attribute__((format(printf, fmt, args)))

int printf(const char *restrict fmt, ...) MK_RT_FORMAT(1, 2);
int fprintf(FILE *restrict f, const char *restrict fmt, ...) MK_RT_FORMAT(2, 3);
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    MK_RT_FORMAT(3, 4);
int sprintf(char *restrict buf, const char *restrict fmt, ...)
    MK_RT_FORMAT(2, 3);
int vprintf(const char *restrict fmt, va_list ap) MK_RT_FORMAT(1, 0);
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap)
    MK_RT_FORMAT(2, 0);
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap) MK_RT_FORMAT(3, 0);
int vsprintf(char *restrict buf, const char *restrict fmt, va_list ap)
    MK_RT_FORMAT(2, 0);

int puts(const char *s);
int fputs(const char *restrict s, FILE *restrict f);
int putchar(int c);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *restrict p, size_t size, size_t n, FILE *restrict f);
/* Writes out whatever stdout holds; any stream, or NULL, does the same. */
int fflush(FILE *f);

#undef MK_RT_FORMAT

#ifdef __cplusplus
}
#endif

#endif
