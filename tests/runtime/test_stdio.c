/*
 * test_stdio.c: the console streams, exit, abort and assert.
 *
 * What matters here is not the formatting (test_format.c compares that) but
 * when output reaches the platform: stdout a line at a time, stderr at once
 * and after whatever stdout held, lines longer than the buffer in pieces
 * with nothing lost, and everything flushed before exit or abort.
 */
#include <stdio.h>
#include <string.h>

#include "test_runtime.h"

static unsigned long cases;

/* The console holds exactly `text`, delivered in `writes` calls. */
static void expect(const char *what, const char *text, unsigned writes) {
  cases++;
  RT_CHECK("stdio", !strcmp(rt_console, text) && rt_console_writes == writes,
           "%s\n  console: \"%s\" in %u writes\n  expected: \"%s\" in %u", what,
           rt_console, rt_console_writes, text, writes);
}

static void exit_after_output(void *arg) {
  mk_rt_printf("unterminated");
  mk_rt_exit(*(int *)arg);
}

static void abort_after_output(void *arg) {
  (void)arg;
  mk_rt_printf("before abort");
  mk_rt_abort();
}

static void failed_assert(void *arg) {
  (void)arg;
  mk_rt_assert_fail("x == 1", "app.c", 12, "main");
}

void test_stdio(void) {
  rt_console_reset();
  int r = mk_rt_printf("%s", "abc");
  expect("a partial line stays buffered", "", 0);
  RT_CHECK("stdio", r == 3, "printf returned %d, not 3", r);
  mk_rt_printf("def\nghi");
  expect("a newline flushes the line", "abcdef\n", 1);
  mk_rt_fputs("!", mk_rt_stderr);
  expect("stderr flushes stdout, then itself", "abcdef\nghi!", 2);

  rt_console_reset();
  mk_rt_puts("line");
  mk_rt_putchar('x');
  mk_rt_fputc('\n', mk_rt_stdout);
  mk_rt_fwrite("ab\ncd", 1, 5, mk_rt_stdout);
  expect("puts, putchar, fputc, fwrite", "line\nx\nab\n", 3);
  RT_CHECK("stdio", mk_rt_fflush(NULL) == 0, "fflush did not return 0");
  expect("fflush", "line\nx\nab\ncd", 4);

  /* Longer than the buffer: delivered in pieces, nothing lost. */
  char big[1001];
  for (size_t i = 0; i < 1000; i++) big[i] = (char)('a' + i % 26);
  big[1000] = 0;
  rt_console_reset();
  r = mk_rt_printf("%s\n", big);
  cases++;
  RT_CHECK("stdio",
           r == 1001 && rt_console_len == 1001 &&
               !memcmp(rt_console, big, 1000) && rt_console[1000] == '\n',
           "a 1000-character line came out as %zu bytes (returned %d)",
           rt_console_len, r);
  rt_console_reset();
  r = mk_rt_fprintf(mk_rt_stderr, "%d-%s", 5, "e");
  expect("fprintf to stderr", "5-e", 1);

  rt_console_reset();
  int status = 3;
  r = rt_catch(exit_after_output, &status);
  cases++;
  RT_CHECK("stdio", r == 3, "exit(3) ended with status %d", r);
  expect("exit flushes stdout", "unterminated", 1);

  rt_console_reset();
  r = rt_catch(abort_after_output, NULL);
  cases++;
  RT_CHECK("stdio", r == 255, "abort ended with status %d", r);
  expect("abort flushes stdout", "before abort", 1);

  rt_console_reset();
  r = rt_catch(failed_assert, NULL);
  cases++;
  RT_CHECK("stdio", r == 255, "a failed assertion ended with status %d", r);
  expect("assert's message", "app.c:12: main: Assertion `x == 1' failed.\n", 1);
  rt_done("stdio", cases);
}
