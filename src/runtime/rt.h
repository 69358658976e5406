/*
 * rt.h: the runtime's internal interface. Every function of the small C
 * runtime is defined under an `mk_rt_` name, so that the runtime can be linked
 * into an ordinary Linux test program next to glibc and compared with it.
 * Only std_names.c, which is linked into Solo5 images alone, gives these
 * functions their standard names. This header therefore includes nothing but
 * the compiler's freestanding headers, and the runtime's .c files include it
 * instead of the public headers under include/.
 */
#ifndef MK_RT_H
#define MK_RT_H

#include <stdarg.h>
#include <stddef.h>

#include "include/mk_runtime.h"

/* Provided by the platform (see src/core/platform.h). */
void mk__platform_console_write(const char *buf, size_t len);
_Noreturn void mk__platform_abort(void);
_Noreturn void mk__platform_exit(int status);

#define MK_RT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/* errno: the runtime keeps its own, under its own name; <errno.h> maps
 * `errno` to it. The values are Linux's, so messages read the same. */
extern int mk_rt_errno;
#define MK_RT_EINVAL 22
#define MK_RT_ENOMEM 12
#define MK_RT_ERANGE 34
#define MK_RT_EOVERFLOW 75

/* string.c */
void *mk_rt_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *mk_rt_memmove(void *dst, const void *src, size_t n);
void *mk_rt_memset(void *dst, int c, size_t n);
int mk_rt_memcmp(const void *a, const void *b, size_t n);
void *mk_rt_memchr(const void *s, int c, size_t n);
size_t mk_rt_strlen(const char *s);
size_t mk_rt_strnlen(const char *s, size_t max);
int mk_rt_strcmp(const char *a, const char *b);
int mk_rt_strncmp(const char *a, const char *b, size_t n);
char *mk_rt_strchr(const char *s, int c);
char *mk_rt_strrchr(const char *s, int c);
char *mk_rt_strcpy(char *restrict dst, const char *restrict src);
char *mk_rt_strncpy(char *restrict dst, const char *restrict src, size_t n);
char *mk_rt_strcat(char *restrict dst, const char *restrict src);
char *mk_rt_strncat(char *restrict dst, const char *restrict src, size_t n);
char *mk_rt_strstr(const char *haystack, const char *needle);
char *mk_rt_strdup(const char *s);
char *mk_rt_strndup(const char *s, size_t n);

/* convert.c */
long mk_rt_strtol(const char *restrict s, char **restrict end, int base);
unsigned long mk_rt_strtoul(const char *restrict s, char **restrict end,
                            int base);
long long mk_rt_strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long mk_rt_strtoull(const char *restrict s, char **restrict end,
                                  int base);
int mk_rt_atoi(const char *s);
long mk_rt_atol(const char *s);
long long mk_rt_atoll(const char *s);
int mk_rt_abs(int v);
long mk_rt_labs(long v);
long long mk_rt_llabs(long long v);

/* ctype.c: the "C" locale, the only one there is. */
int mk_rt_isdigit(int c);
int mk_rt_isxdigit(int c);
int mk_rt_isspace(int c);
int mk_rt_isblank(int c);
int mk_rt_isalpha(int c);
int mk_rt_isalnum(int c);
int mk_rt_isupper(int c);
int mk_rt_islower(int c);
int mk_rt_isprint(int c);
int mk_rt_isgraph(int c);
int mk_rt_iscntrl(int c);
int mk_rt_ispunct(int c);
int mk_rt_toupper(int c);
int mk_rt_tolower(int c);

/* format.c: the one formatter. It hands its output, in pieces, to `write`
 * and returns the total length, or -1 if that exceeds INT_MAX. */
typedef void mk_rt_write_fn(void *ctx, const char *s, size_t n);
int mk_rt_vformat(mk_rt_write_fn *write, void *ctx, const char *fmt,
                  va_list ap);
int mk_rt_vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
                    va_list ap);
int mk_rt_snprintf(char *restrict buf, size_t size, const char *restrict fmt,
                   ...) MK_RT_PRINTF(3, 4);
int mk_rt_vsprintf(char *restrict buf, const char *restrict fmt, va_list ap);
int mk_rt_sprintf(char *restrict buf, const char *restrict fmt, ...)
    MK_RT_PRINTF(2, 3);

/* stdio.c: two streams, both on the console. stdout is line-buffered,
 * stderr is not. */
typedef struct mk_rt_file mk_rt_file;
extern mk_rt_file *const mk_rt_stdout;
extern mk_rt_file *const mk_rt_stderr;
int mk_rt_vfprintf(mk_rt_file *restrict f, const char *restrict fmt,
                   va_list ap);
int mk_rt_fprintf(mk_rt_file *restrict f, const char *restrict fmt, ...)
    MK_RT_PRINTF(2, 3);
int mk_rt_vprintf(const char *restrict fmt, va_list ap);
int mk_rt_printf(const char *restrict fmt, ...) MK_RT_PRINTF(1, 2);
int mk_rt_fputs(const char *restrict s, mk_rt_file *restrict f);
int mk_rt_puts(const char *s);
int mk_rt_fputc(int c, mk_rt_file *f);
int mk_rt_putchar(int c);
size_t mk_rt_fwrite(const void *restrict p, size_t size, size_t n,
                    mk_rt_file *restrict f);
int mk_rt_fflush(mk_rt_file *f);

/* malloc.c */
void *mk_rt_malloc(size_t size);
void mk_rt_free(void *p);
void *mk_rt_calloc(size_t n, size_t size);
void *mk_rt_realloc(void *p, size_t size);
void *mk_rt_aligned_alloc(size_t align, size_t size);
int mk_rt_posix_memalign(void **out, size_t align, size_t size);
/* Walks every block and checks headers, boundary tags, free lists and the
 * statistics; aborts with a message on the first inconsistency. For tests. */
void mk_rt_heap_check(void);

/* exit.c */
_Noreturn void mk_rt_abort(void);
_Noreturn void mk_rt_exit(int status);
_Noreturn void mk_rt_assert_fail(const char *expr, const char *file, int line,
                                 const char *func);
/* Prints "runtime: <what> (<where>)" and aborts; for the runtime's own
 * checks, such as the allocator finding a corrupted block at `where`. */
_Noreturn void mk_rt_panic(const char *what, const void *where);

#endif
