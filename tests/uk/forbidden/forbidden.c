/*
 * forbidden.c: a hosted unikernel that, once running, opens a file: a
 * system call the sandbox forbids. With the sandbox (the default) it is
 * stopped with a message and status 255; with --mk:sandbox=off it prints
 * "opened". Also checks that the allowed operations still work first.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *child(void *arg) {
  (void)arg;
  mk_sleep(MK_MSEC(1));
  return NULL;
}

static int unikernel(void *const *devices, void *ctx) {
  (void)ctx;
  mk_block *disk = devices[0];
  static char page[512];
  /* Everything a unikernel normally does is allowed. */
  mk_task t;
  mk_async(&t, child, NULL);
  mk_await_exn(&t);
  if (mk_block_atomic_read(disk, 0, page, sizeof page) != MK_OK ||
      mk_block_write(disk, 512, page, sizeof page) != MK_OK ||
      mk_block_flush(disk) != MK_OK)
    return 2;
  void *big = malloc(1 << 20); /* mmap */
  printf("allowed operations work\n");
  free(big);
  int fd = open("/etc/hostname", O_RDONLY);
  printf("opened: %s\n", fd >= 0 ? "yes" : "no");
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  return mk_run(devices, 1, unikernel, NULL, NULL);
}
