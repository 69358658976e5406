/*
 * test_runtime.c: the runner of the small C runtime's tests (src/runtime),
 * on the hosted build. The runtime's functions carry `mk_rt_` names, so this
 * ordinary Linux program links them next to glibc and compares the two on
 * many inputs; it also plays the platform, capturing the console and
 * turning abort and exit into returns. Each group prints one line; the exit
 * status is non-zero if any comparison failed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_runtime.h"

static unsigned long failures;

void rt_fail(const char *group, const char *fmt, ...) {
  /* The first few failures say what is wrong; thousands would bury it. */
  if (++failures <= 25) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s: ", group);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
  }
}

void rt_done(const char *group, unsigned long cases) {
  printf("runtime: %-8s %8lu cases\n", group, cases);
  fflush(stdout);
}

static uint64_t rand_state;
void rt_seed(uint64_t seed) { rand_state = seed * 2654435761u + 1; }
uint64_t rt_rand(void) {
  rand_state ^= rand_state >> 12;
  rand_state ^= rand_state << 25;
  rand_state ^= rand_state >> 27;
  return rand_state * 0x2545f4914f6cdd1dull;
}
uint64_t rt_range(uint64_t lo, uint64_t hi) {
  return lo + rt_rand() % (hi - lo + 1);
}

/* ---- The platform, as the runtime sees it ---- */

char rt_console[1 << 16];
size_t rt_console_len;
unsigned rt_console_writes;

void rt_console_reset(void) {
  rt_console_len = 0;
  rt_console_writes = 0;
  rt_console[0] = 0;
}

void mk__platform_console_write(const char *buf, size_t len) {
  size_t room = sizeof rt_console - 1 - rt_console_len;
  if (len > room) len = room;
  memcpy(rt_console + rt_console_len, buf, len);
  rt_console_len += len;
  rt_console[rt_console_len] = 0;
  rt_console_writes++;
}

static jmp_buf *escape;

_Noreturn void mk__platform_exit(int status) {
  if (!escape) {
    fprintf(stderr, "runtime test: unexpected exit(%d)\n%s", status,
            rt_console);
    exit(2);
  }
  longjmp(*escape, 1 + (status & 255));
}

_Noreturn void mk__platform_abort(void) { mk__platform_exit(255); }

int rt_catch(void (*fn)(void *), void *arg) {
  jmp_buf here, *outer = escape;
  int r = setjmp(here);
  if (r == 0) {
    escape = &here;
    fn(arg);
  }
  escape = outer;
  return r - 1;
}

int main(void) {
  test_format();
  test_stdio();
  test_strings();
  test_convert();
  test_ctype();
  test_malloc();
  if (failures) {
    printf("runtime: %lu failures\n", failures);
    return 1;
  }
  printf("runtime: all passed\n");
  return 0;
}
