/*
 * sandbox.c: the hosted platform's seccomp sandbox, in the spirit of
 * solo5-spt's.
 *
 * Once mk_run has acquired the devices, the process is confined to what the
 * platform needs from then on: frames in and out on the acquired TAP
 * descriptors, pread/pwrite/fdatasync on the acquired block files, the one
 * wait (ppoll), clocks, console output on stdout and stderr, memory for task
 * stacks and malloc (never executable), and exit. Any other system call
 * stops the unikernel with a message naming it (SIGSYS, exit status 255).
 * `--mk:sandbox=off` turns it off for debugging. It is also off under
 * valgrind and in sanitizer builds, whose runtimes make system calls of
 * their own (LeakSanitizer stops the world with ptrace, for one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../linux/valgrind_stacks.h"
#include "hosted.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZER_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZER_BUILD 1
#endif
#endif
#ifndef SANITIZER_BUILD
#define SANITIZER_BUILD 0
#endif

/* True where a sandbox can work: not under a sanitizer or valgrind. */
static bool sandbox_possible(void) {
#ifdef MK__HAVE_VALGRIND
  if (RUNNING_ON_VALGRIND) return false;
#endif
  return !SANITIZER_BUILD;
}

static void on_sigsys(int sig, siginfo_t *info, void *uctx) {
  (void)sig, (void)uctx;
  /* Only async-signal-safe work: format the number by hand. */
  char buf[160], num[12];
  int n = info->si_syscall, i = (int)sizeof num;
  num[--i] = '\0';
  do num[--i] = (char)('0' + n % 10);
  while ((n /= 10) && i > 0);
  static const char head[] = "mkernel: sandbox: the unikernel made a "
                             "forbidden system call (number ";
  static const char tail[] = "); run with --mk:sandbox=off to debug\n";
  size_t len = 0;
  memcpy(buf + len, head, sizeof head - 1), len += sizeof head - 1;
  memcpy(buf + len, num + i, strlen(num + i)), len += strlen(num + i);
  memcpy(buf + len, tail, sizeof tail - 1), len += sizeof tail - 1;
  ssize_t ignored = write(2, buf, len);
  (void)ignored;
  _exit(255);
}

static int allow(scmp_filter_ctx ctx, int nr) {
  return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
}

/* System call `nr` on descriptor `fd` (its first argument) only. */
static int allow_fd(scmp_filter_ctx ctx, int nr, int fd) {
  return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
                          SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd));
}

/* Memory calls whose protection argument (index `arg`) has no PROT_EXEC. */
static int allow_no_exec(scmp_filter_ctx ctx, int nr, unsigned arg) {
  struct scmp_arg_cmp cmp = {arg, SCMP_CMP_MASKED_EQ, PROT_EXEC, 0};
  return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr, 1, &cmp);
}

static int rules(scmp_filter_ctx ctx) {
  int r = 0;
  /* Clocks (usually the vDSO, without a system call), the wait, exit. */
  static const int always[] = {
      SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
      SCMP_SYS(ppoll),         SCMP_SYS(exit),         SCMP_SYS(exit_group),
      SCMP_SYS(rt_sigreturn),  SCMP_SYS(rt_sigaction), SCMP_SYS(munmap),
      SCMP_SYS(brk),           SCMP_SYS(madvise),      SCMP_SYS(mremap),
  };
  for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
    r |= allow(ctx, always[i]);
  /* Task stacks (with their guard pages) and malloc: never executable. */
  r |= allow_no_exec(ctx, SCMP_SYS(mmap), 2);
  r |= allow_no_exec(ctx, SCMP_SYS(mprotect), 2);
  /* The console: stdio writes, and may stat stdout once to size its
   * buffer. */
  for (int fd = 1; fd <= 2; fd++) {
    r |= allow_fd(ctx, SCMP_SYS(write), fd);
    r |= allow_fd(ctx, SCMP_SYS(fstat), fd);
    r |= allow_fd(ctx, SCMP_SYS(newfstatat), fd);
  }
  for (int i = 0; i < hosted.ndevices; i++) {
    int fd = hosted.devices[i].fd;
    if (fd < 0) continue;
    if (hosted.devices[i].kind == MK_ARG_NET) {
      r |= allow_fd(ctx, SCMP_SYS(readv), fd);
      r |= allow_fd(ctx, SCMP_SYS(write), fd);
    } else {
      r |= allow_fd(ctx, SCMP_SYS(pread64), fd);
      r |= allow_fd(ctx, SCMP_SYS(pwrite64), fd);
      r |= allow_fd(ctx, SCMP_SYS(fdatasync), fd);
    }
  }
  return r;
}

void mk__platform_devices_acquired(void) {
  if (!hosted.sandbox || !sandbox_possible()) return;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSYS, &sa, NULL);
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
  int r = ctx ? rules(ctx) : -ENOMEM;
  if (r == 0) {
    /* Every frame and block request makes these calls: test them first,
     * and search the rest as a tree rather than a list. */
    static const int hot[] = {SCMP_SYS(readv), SCMP_SYS(write), SCMP_SYS(ppoll),
                              SCMP_SYS(pread64), SCMP_SYS(pwrite64)};
    for (size_t i = 0; i < sizeof hot / sizeof hot[0]; i++)
      r |= seccomp_syscall_priority(ctx, hot[i], 255);
    r |= seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
  }
  if (r == 0) r = seccomp_load(ctx);
  if (ctx) seccomp_release(ctx);
  if (r != 0) {
    /* Refuse to run unconfined when confinement was asked for. */
    hosted_error("sandbox: cannot install the seccomp filter: %s (use "
                 "--mk:sandbox=off to run without it)",
                 strerror(-r));
    _exit(1);
  }
}
