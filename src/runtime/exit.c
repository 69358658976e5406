/*
 * exit.c: how a program ends: exit, abort and failed assertions.
 *
 * Both exit and abort empty the stdout buffer before handing over to the
 * platform (Solo5's solo5_exit and its abort status), because on a
 * unikernel the console is usually the only record of what happened; glibc's
 * abort does not flush, but it runs where a debugger and core files exist.
 * There is no atexit: nothing in a unikernel outlives the image to need it.
 */
#include "rt.h"

_Noreturn void mk_rt_abort(void) {
  mk_rt_fflush(NULL);
  mk__platform_abort();
}

_Noreturn void mk_rt_exit(int status) {
  mk_rt_fflush(NULL);
  mk__platform_exit(status);
}

/* glibc's message, less the program name a unikernel does not have. */
_Noreturn void mk_rt_assert_fail(const char *expr, const char *file, int line,
                                 const char *func) {
  mk_rt_fprintf(mk_rt_stderr, "%s:%d: %s: Assertion `%s' failed.\n", file, line,
                func, expr);
  mk_rt_abort();
}

_Noreturn void mk_rt_panic(const char *what, const void *where) {
  mk_rt_fprintf(mk_rt_stderr, "runtime: %s (%p)\n", what, where);
  mk_rt_abort();
}
