/*
 * hosted.c: the hosted platform's clocks, console, memory, stacks and wait.
 *
 * Stacks are mmap'd with a PROT_NONE guard page below them. A task that
 * overflows faults on the guard page; the SIGSEGV handler, running on its
 * own signal stack, recognises the address, names the task and exits with
 * Solo5's abort status. Other faults go to whoever handled SIGSEGV before
 * (the default action, or a sanitizer's report).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../linux/valgrind_stacks.h"
#include "hosted.h"

static uint64_t clock_ns(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t mk__platform_clock_monotonic(void) {
  return clock_ns(CLOCK_MONOTONIC);
}

uint64_t mk__platform_clock_wall(void) { return clock_ns(CLOCK_REALTIME); }

/* Through stdio, so that it stays in order with the application's printf. */
void mk__platform_console_write(const char *buf, size_t len) {
  fwrite(buf, 1, len, stdout);
  fflush(stdout);
}

static void write_all(int fd, const char *buf, size_t len) {
  while (len) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    buf += n;
    len -= (size_t)n;
  }
}

void mk__platform_log(const char *buf, size_t len) {
  fflush(stdout);
  write_all(2, buf, len);
}

_Noreturn void mk__platform_abort(void) {
  fflush(stdout);
  _exit(255);
}

void *mk__platform_alloc(size_t size) { return malloc(size); }
void mk__platform_free(void *ptr) { free(ptr); }

static size_t page_size(void) {
  static size_t page;
  if (!page) page = (size_t)sysconf(_SC_PAGESIZE);
  return page;
}

void *mk__platform_stack_alloc(size_t size, bool *guarded) {
  size_t guard = page_size();
  char *p =
      mmap(NULL, size + guard, PROT_READ | PROT_WRITE,
           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (p == MAP_FAILED) return NULL;
  if (mprotect(p, guard, PROT_NONE) != 0) {
    munmap(p, size + guard);
    return NULL;
  }
  *guarded = true;
  vg_stack_register(p + guard, size);
  return p + guard;
}

void mk__platform_stack_free(void *lo, size_t size) {
  vg_stack_deregister(lo);
  munmap((char *)lo - page_size(), size + page_size());
}

/* ---- Stack overflow ---- */

static struct sigaction previous_segv;

static void on_segv(int sig, siginfo_t *info, void *uctx) {
  const void *lo;
  size_t size;
  char *addr = info->si_addr;
  if (mk__running_stack(&lo, &size) && addr < (const char *)lo &&
      addr >= (const char *)lo - page_size()) {
    char buf[512];
    static const char head[] = "mkernel: stack overflow in ";
    size_t len = sizeof head - 1;
    memcpy(buf, head, len);
    len += mk__describe_running(buf + len, sizeof buf - len - 64);
    static const char tail[] = " (guard page hit; give it a bigger stack: "
                               "mk_spawn_opts.stack_size)\n";
    size_t tail_len =
        sizeof tail - 1 < sizeof buf - len ? sizeof tail - 1 : sizeof buf - len;
    memcpy(buf + len, tail, tail_len);
    write_all(2, buf, len + tail_len);
    _exit(255);
  }
  /* Not ours: let the previous handler (or the default action) have it. */
  sigaction(SIGSEGV, &previous_segv, NULL);
  (void)sig, (void)uctx;
}

void hosted_install_fault_handler(void) {
  static char *altstack;
  size_t alt_size = 256 * 1024; /* sanitizers' handlers need room too */
  if (!altstack && (altstack = malloc(alt_size))) {
    stack_t ss = {.ss_sp = altstack, .ss_size = alt_size, .ss_flags = 0};
    sigaltstack(&ss, NULL);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGSEGV, &sa, &previous_segv);
}

/* ---- Waiting ---- */

uint64_t mk__platform_wait(uint64_t deadline, uint64_t interest) {
  struct pollfd fds[HOSTED_MAX_DEVICES];
  int handle_of[HOSTED_MAX_DEVICES];
  nfds_t n = 0;
  for (uint64_t set = interest; set; set &= set - 1) {
    int h = __builtin_ctzll(set);
    fds[n].fd = hosted.devices[h].fd;
    fds[n].events = POLLIN;
    fds[n].revents = 0;
    handle_of[n++] = h;
  }
  struct timespec timeout, *tp = NULL;
  if (deadline != MK_FOREVER) {
    uint64_t now = mk__platform_clock_monotonic();
    /* Nothing to watch and nothing to wait for: no system call. The
     * scheduler polls like this once per scheduled block request. */
    if (n == 0 && deadline <= now) return 0;
    uint64_t left = deadline > now ? deadline - now : 0;
    timeout.tv_sec = (time_t)(left / 1000000000u);
    timeout.tv_nsec = (long)(left % 1000000000u);
    tp = &timeout;
  }
  /* EINTR or an error: report nothing ready; the scheduler looks again. */
  if (ppoll(fds, n, tp, NULL) <= 0) return 0;
  uint64_t ready = 0;
  for (nfds_t i = 0; i < n; i++)
    if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
      ready |= (uint64_t)1 << handle_of[i];
  return ready;
}
