/*
 * stdlib.h (mkernel runtime, Solo5 images only): memory allocation, number
 * conversion and program termination from C11 7.22, plus posix_memalign.
 * The heap is the region the platform passed to mk_rt_heap_init()
 * (<mk_runtime.h>). Not provided: floating-point conversion (strtod, atof),
 * qsort and bsearch, rand, getenv, system, atexit and the multibyte
 * functions. Implemented in src/runtime/malloc.c, convert.c and exit.c.
 */
#ifndef MK_RT_STDLIB_H
#define MK_RT_STDLIB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

/* Every pointer returned is 16-byte aligned (max_align_t). malloc(0)
 * returns a unique pointer; realloc(p, 0) frees p and returns NULL, as glibc
 * does. free() stops the program with a message on a double free or a
 * pointer it never returned. */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **out, size_t align, size_t size);

long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end,
                            int base);
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);
int abs(int v);
long labs(long v);
long long llabs(long long v);

/* Both flush stdout first. abort() ends with the platform's abort status. */
__attribute__((__noreturn__)) void abort(void);
__attribute__((__noreturn__)) void exit(int status);

#ifdef __cplusplus
}
#endif

#endif
