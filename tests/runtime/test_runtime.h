/*
 * test_runtime.h: what the runtime's test groups share: failure reporting,
 * a deterministic random generator, and the test's stand-in for the
 * platform (a captured console, and abort/exit that return to the test).
 */
#ifndef MK_TEST_RUNTIME_H
#define MK_TEST_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rt.h"

/* Reports a failure of `group` (both sides belong in the message) and
 * counts it; the program exits non-zero at the end. */
void rt_fail(const char *group, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define RT_CHECK(group, cond, ...)                                             \
  do {                                                                         \
    if (!(cond)) rt_fail(group, __VA_ARGS__);                                  \
  } while (0)

/* Prints the group's one line: how many cases it compared. */
void rt_done(const char *group, unsigned long cases);

/* xorshift64*, seeded per group so that each group is reproducible alone. */
void rt_seed(uint64_t seed);
uint64_t rt_rand(void);
/* Uniform in [lo, hi]. */
uint64_t rt_range(uint64_t lo, uint64_t hi);

/* Everything the runtime wrote to the console since rt_console_reset(). */
extern char rt_console[1 << 16];
extern size_t rt_console_len;
extern unsigned rt_console_writes;
void rt_console_reset(void);

/* Runs fn(arg). Returns -1 if it returned, the exit status if it called
 * mk__platform_exit, and 255 if it called mk__platform_abort. */
int rt_catch(void (*fn)(void *), void *arg);

void test_format(void);
void test_stdio(void);
void test_strings(void);
void test_convert(void);
void test_ctype(void);
void test_malloc(void);

#endif
