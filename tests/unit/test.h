/*
 * test.h: assertions and helpers shared by the unit tests.
 *
 * Each test is a function run by runner.c in its own child process. An
 * assertion that fails prints both sides and the location, then exits the
 * child with status 1. A test may skip itself with TEST_SKIP(reason).
 */
#ifndef MK_UNIT_TEST_H
#define MK_UNIT_TEST_H

#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "mk_test.h"

#define TEST_DECLARE(name) void name(void);
TEST_LIST(TEST_DECLARE)
#undef TEST_DECLARE

#define TEST_SKIP_STATUS 77

_Noreturn void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define ASSERT(c)                                                              \
  do {                                                                         \
    if (!(c)) test_fail(__FILE__, __LINE__, "assertion failed: %s", #c);       \
  } while (0)

#define ASSERT_INT(a, b)                                                       \
  do {                                                                         \
    long long a_ = (long long)(a), b_ = (long long)(b);                        \
    if (a_ != b_)                                                              \
      test_fail(__FILE__, __LINE__, "%s == %s\n  left:  %lld\n  right: %lld",  \
                #a, #b, a_, b_);                                               \
  } while (0)

/* Compares result codes and prints their names. */
#define ASSERT_RESULT(a, b)                                                    \
  do {                                                                         \
    int a_ = (int)(a), b_ = (int)(b);                                          \
    if (a_ != b_)                                                              \
      test_fail(__FILE__, __LINE__,                                            \
                "%s == %s\n  left:  %d (%s)\n  right: %d (%s)", #a, #b, a_,    \
                mk_result_name(a_), b_, mk_result_name(b_));                   \
  } while (0)

#define ASSERT_STR(a, b)                                                       \
  do {                                                                         \
    const char *a_ = (a), *b_ = (b);                                           \
    if (strcmp(a_, b_))                                                        \
      test_fail(__FILE__, __LINE__,                                            \
                "%s == %s\n  left:  \"%s\"\n  right: \"%s\"", #a, #b, a_, b_); \
  } while (0)

/* `haystack` contains `needle`. */
#define ASSERT_CONTAINS(haystack, needle)                                      \
  do {                                                                         \
    const char *h_ = (haystack), *n_ = (needle);                               \
    if (!strstr(h_, n_))                                                       \
      test_fail(__FILE__, __LINE__,                                            \
                "%s contains %s\n  text:   \"%s\"\n  wanted: \"%s\"",          \
                #haystack, #needle, h_, n_);                                   \
  } while (0)

#define TEST_SKIP(reason)                                                      \
  do {                                                                         \
    printf("skipped: %s\n", reason);                                           \
    exit(TEST_SKIP_STATUS);                                                    \
  } while (0)

/* Runs `root(arg)` on a fresh test platform (virtual clock at `start`) and
 * checks afterwards that nothing is left allocated: every run, even one
 * ended by a programming error, must release every task, stack and timer. */
mk_result run_at(uint64_t start, mk_task_fn root, void *arg,
                 const mk_run_opts *opts, mk_outcome *out);
mk_result run(mk_task_fn root, void *arg, mk_outcome *out);

/* Appends a line to the console (what the tests compare). */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs fn() in a child process and checks it exits with `status` and that
 * its stderr contains `message`. */
void expect_exit(void (*fn)(void), int status, const char *message);

#endif
