/*
 * runner.c: the unit-test runner.
 *
 * Runs every test of list.h (or those named on the command line) in its own
 * child process with a timeout, and prints one line per test. A failing
 * test's output is shown. Exit status: 0 if no test failed.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "list.h"
#include "test.h"

#define TIMEOUT_SECONDS 60 /* generous: qemu-user is slow */

static const struct {
  const char *name;
  void (*fn)(void);
} tests[] = {
#define ENTRY(name) {#name, name},
    TEST_LIST(ENTRY)
#undef ENTRY
};

_Noreturn void test_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fprintf(stderr, "%s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\n--- console:\n%s--- log:\n%s---\n", mk_test_console(),
          mk_test_log());
  exit(1);
}

static int run_one(void (*fn)(void), FILE *out) {
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return -1;
  }
  if (pid == 0) {
    dup2(fileno(out), 1);
    dup2(fileno(out), 2);
    alarm(TIMEOUT_SECONDS);
    mk_test_reset();
    fn();
    fflush(NULL);
    _exit(0);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) continue;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

int main(int argc, char **argv) {
  size_t n = sizeof tests / sizeof tests[0];
  int failed = 0, skipped = 0, ran = 0;
  if (argc > 1 && !strcmp(argv[1], "--list")) {
    for (size_t i = 0; i < n; i++) puts(tests[i].name);
    return 0;
  }
  for (size_t i = 0; i < n; i++) {
    bool selected = argc == 1;
    for (int a = 1; a < argc; a++) selected |= !strcmp(argv[a], tests[i].name);
    if (!selected) continue;
    FILE *out = tmpfile();
    int status = run_one(tests[i].fn, out);
    ran++;
    const char *verdict = status == 0                  ? "ok"
                          : status == TEST_SKIP_STATUS ? "skip"
                                                       : "FAIL";
    printf("%-4s %s", verdict, tests[i].name);
    if (status == SIGALRM + 128)
      printf(" (timed out)");
    else if (status && status != TEST_SKIP_STATUS)
      printf(" (status %d)", status);
    printf("\n");
    if (status) {
      char buf[4096];
      size_t got;
      rewind(out);
      while ((got = fread(buf, 1, sizeof buf, out)) > 0) {
        if (status == TEST_SKIP_STATUS) printf("     ");
        fwrite(buf, 1, got, stdout);
      }
    }
    fclose(out);
    failed += status && status != TEST_SKIP_STATUS;
    skipped += status == TEST_SKIP_STATUS;
  }
  printf("%d tests: %d passed, %d failed, %d skipped\n", ran,
         ran - failed - skipped, failed, skipped);
  return failed ? 1 : 0;
}
