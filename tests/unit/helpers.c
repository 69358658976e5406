/*
 * helpers.c: what the unit tests share (see test.h).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

mk_result run_at(uint64_t start, mk_task_fn root, void *arg,
                 const mk_run_opts *opts, mk_outcome *out) {
  mk_test_clock_set(start);
  mk_result r = mk_run_task(root, arg, opts, out);
  mk_test_counts c = mk_test_counts_get();
  if (c.live_allocs != 0)
    test_fail(__FILE__, __LINE__, "%ld allocations left after the run",
              c.live_allocs);
  return r;
}

mk_result run(mk_task_fn root, void *arg, mk_outcome *out) {
  return run_at(0, root, arg, NULL, out);
}

void say(const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 2) n = (int)sizeof buf - 2;
  buf[n++] = '\n';
  mk_console_write(buf, (size_t)n);
}

void expect_exit(void (*fn)(void), int status, const char *message) {
  int pipefd[2];
  if (pipe(pipefd)) test_fail(__FILE__, __LINE__, "pipe failed");
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 2);
    close(pipefd[0]);
    fn();
    _exit(0);
  }
  close(pipefd[1]);
  char text[8192];
  size_t len = 0;
  ssize_t got;
  while (len < sizeof text - 1 &&
         (got = read(pipefd[0], text + len, sizeof text - 1 - len)) > 0)
    len += (size_t)got;
  text[len] = '\0';
  close(pipefd[0]);
  int st;
  waitpid(pid, &st, 0);
  int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  if (code != status)
    test_fail(__FILE__, __LINE__, "exit status %d, wanted %d; stderr:\n%s",
              code, status, text);
  ASSERT_CONTAINS(text, message);
}
