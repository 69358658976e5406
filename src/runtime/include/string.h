/*
 * string.h (mkernel runtime, Solo5 images only): the memory and string
 * functions of C11 7.24 that unikernels use, plus strnlen, strdup and
 * strndup from POSIX. There are no locale-dependent functions (strcoll,
 * strxfrm) and no strerror or strtok. Implemented in src/runtime/string.c.
 */
#ifndef MK_RT_STRING_H
#define MK_RT_STRING_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strcpy(char *restrict dst, const char *restrict src);
char *strncpy(char *restrict dst, const char *restrict src, size_t n);
char *strcat(char *restrict dst, const char *restrict src);
char *strncat(char *restrict dst, const char *restrict src, size_t n);
char *strstr(const char *haystack, const char *needle);
/* Allocated with malloc; NULL when memory is exhausted. */
char *strdup(const char *s);
char *strndup(const char *s, size_t n);

#ifdef __cplusplus
}
#endif

#endif
