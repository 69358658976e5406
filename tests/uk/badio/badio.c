/*
 * badio.c: a hosted unikernel that sends the block device every kind of bad
 * request, atomic and scheduled, and prints each result. The test then
 * checks that the file is byte-for-byte unchanged: a rejected request
 * loses nothing.
 */
#include <inttypes.h>
#include <mkernel.h>
#include <stdio.h>
#include <string.h>

static int unikernel(void *const *devices, void *ctx) {
  (void)ctx;
  mk_block *disk = devices[0];
  uint64_t page = mk_block_page_size(disk), len = mk_block_length(disk);
  static uint8_t buf[3 * 4096];
  memset(buf, 0xa5, sizeof buf);
  const struct {
    const char *what;
    uint64_t off;
    size_t len;
  } bad[] = {
      {"misaligned offset", 1, (size_t)page},
      {"zero length", 0, 0},
      {"partial page", 0, (size_t)page - 1},
      {"past the end", len, (size_t)page},
      {"straddling the end", len - page, 2 * (size_t)page},
      {"offset overflow", UINT64_MAX - page + 1, (size_t)page},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    mk_result a = mk_block_atomic_write(disk, bad[i].off, buf, bad[i].len);
    mk_result s = mk_block_write(disk, bad[i].off, buf, bad[i].len);
    mk_result r = mk_block_read(disk, bad[i].off, buf, bad[i].len);
    printf("%s: %s, %s, %s\n", bad[i].what, mk_result_name(a),
           mk_result_name(s), mk_result_name(r));
  }
  printf("null buffer: %s\n",
         mk_result_name(mk_block_atomic_write(disk, 0, NULL, page)));
  return 0;
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  return mk_run(devices, 1, unikernel, NULL, NULL);
}
