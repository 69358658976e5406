/*
 * block.c: reads the first two pages of the block device "disk" and prints
 * the MD5 of each, as the OCaml mkernel's block test does: a child task uses
 * an atomic read (done at once, no other task runs) for page 0, then the
 * main task uses a scheduled read (the task waits while the scheduler does
 * the I/O) for page 1. Each line is "<byte offset as %08x>: <md5 hex>".
 *
 *   ./block --block:disk=disk.img
 */
#include <inttypes.h>
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>

#include "md5.h"

static void print_page_digest(uint64_t off, const void *page, size_t len) {
  char hex[33];
  md5_hex(page, len, hex);
  printf("%08" PRIx64 ": %s\n", off, hex);
}

static void *read_first_page(void *arg) {
  mk_block *disk = arg;
  size_t page = mk_block_page_size(disk);
  void *buf = malloc(page);
  if (!buf) {
    puts("block: out of memory");
    mk_fail(MK_ENOMEM);
  }
  mk_result r = mk_block_atomic_read(disk, 0, buf, page);
  if (r != MK_OK) {
    free(buf); /* mk_fail does not return: release first */
    printf("block: reading page 0: %s\n", mk_result_name(r));
    mk_fail(r);
  }
  print_page_digest(0, buf, page);
  free(buf);
  return NULL;
}

static int block_main(void *const *values, void *ctx) {
  (void)ctx;
  mk_block *disk = values[0];
  size_t page = mk_block_page_size(disk);
  uint64_t length = mk_block_length(disk);
  if (length < 2 * (uint64_t)page) {
    printf("block: device \"%s\" has %" PRIu64 " bytes, fewer than two "
           "pages of %lu\n",
           mk_block_name(disk), length, (unsigned long)page);
    return 1;
  }

  mk_task first;
  mk_result r = mk_async(&first, read_first_page, disk);
  if (r != MK_OK) {
    printf("block: spawning the reader: %s\n", mk_result_name(r));
    return 1;
  }
  /* A failure of the child fails this task too, and mk_run returns 1. */
  mk_await_exn(&first);

  void *buf = malloc(page);
  if (!buf) {
    puts("block: out of memory");
    return 1;
  }
  r = mk_block_read(disk, page, buf, page);
  if (r != MK_OK) {
    printf("block: reading page 1: %s\n", mk_result_name(r));
    free(buf);
    return 1;
  }
  print_page_digest(page, buf, page);
  free(buf);
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc;
  (void)argv;
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  return mk_run(devices, 1, block_main, NULL, NULL);
}
