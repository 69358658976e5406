/*
 * blockio.c: the block benchmark, a hosted unikernel with one block device
 * "disk". It reads every page of the device sequentially three ways and
 * reports MB/s (10^6 bytes per second): mk_block_atomic_read, scheduled
 * mk_block_read from one task, and scheduled reads from 16 tasks at once
 * (a queue of 16 requests). The baseline is a plain pread loop over the same
 * pages of the same file, run by this process in mk_main before mk_run
 * starts the unikernel (once it runs, the hosted sandbox allows I/O only on
 * the device's own descriptor). The file is read (twice) first, so every pass
 * reads from the page cache. Then the event policy: one task issues
 * scheduled reads back to back while another is CPU-busy for a fixed time,
 * yielding every 10 us, 100 us, 1 ms or never; the reads completed during
 * the busy time are compared with the busy task's yields, that is with the
 * scheduling rounds, in which the policy performs one request each.
 *
 *   ./blockio --block:disk=FILE --block-sector-size:disk=4096 -- FILE PAGE
 *             [LABEL]
 *
 * With a LABEL (bench/run.sh passes "sandbox off" when it runs the same
 * measurement with --mk:sandbox=off) the rows are named with it and the busy
 * cases, which do not depend on the sandbox, are left out.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

#define READERS 16
#define BUSY_CASES 4

static const uint64_t busy_every_us[BUSY_CASES] = {10, 100, 1000, 0};

typedef struct job {
  const char *label; /* "": the main run; else a variant, see above */
  size_t page;
  uint64_t length;
  char *bufs; /* READERS pages */
  double pread_mbs[BENCH_MAX_REPS];
  double atomic_mbs[BENCH_MAX_REPS], sched1_mbs[BENCH_MAX_REPS],
      sched16_mbs[BENCH_MAX_REPS];
  double done[BUSY_CASES][BENCH_MAX_REPS], rounds[BUSY_CASES][BENCH_MAX_REPS];
} job;

static job j;
static mk_block *disk;

static double mbs(uint64_t bytes, uint64_t ns) {
  return (double)bytes * 1e3 / (double)ns; /* bytes/ns * 1e9 / 1e6 */
}

static void fail(const char *what, mk_result r) {
  printf("blockio: %s: %s\n", what, mk_result_name(r));
  exit(1);
}

/* ---- The three ways to read every page ---------------------------------- */

static double pass_atomic(void) {
  uint64_t t = bench_now();
  for (uint64_t off = 0; off < j.length; off += j.page) {
    mk_result r = mk_block_atomic_read(disk, off, j.bufs, j.page);
    if (r != MK_OK) fail("atomic read", r);
  }
  return mbs(j.length, bench_now() - t);
}

typedef struct stripe {
  uint64_t from, to;
  char *buf;
} stripe;

static void *read_stripe(void *arg) {
  stripe *s = arg;
  for (uint64_t off = s->from; off < s->to; off += j.page) {
    mk_result r = mk_block_read(disk, off, s->buf, j.page);
    if (r != MK_OK) fail("scheduled read", r);
  }
  return NULL;
}

static double pass_scheduled(int readers) {
  stripe s[READERS];
  mk_task t[READERS];
  uint64_t pages = j.length / j.page, t0 = bench_now();
  for (int i = 0; i < readers; i++) {
    s[i] = (stripe){pages * (uint64_t)i / (uint64_t)readers * j.page,
                    pages * (uint64_t)(i + 1) / (uint64_t)readers * j.page,
                    j.bufs + (size_t)i * j.page};
    if (readers == 1) { /* the root task itself, no spawn */
      read_stripe(&s[0]);
      return mbs(j.length, bench_now() - t0);
    }
    mk_result r = mk_async(&t[i], read_stripe, &s[i]);
    if (r != MK_OK) fail("spawn", r);
  }
  mk_await_all(t, (size_t)readers, NULL);
  return mbs(j.length, bench_now() - t0);
}

/* ---- Scheduled reads while another task is busy ------------------------- */

static volatile uint64_t completed;

static void *reader(void *arg) {
  (void)arg;
  for (uint64_t off = 0;; off = (off + j.page) % j.length) {
    if (mk_block_read(disk, off, j.bufs, j.page) != MK_OK) return NULL;
    completed++;
  }
}

typedef struct busy {
  uint64_t duration, every; /* ns; every == 0: never yields */
  uint64_t done, rounds;
} busy;

static void *busy_task(void *arg) {
  busy *b = arg;
  uint64_t c0 = completed, now = bench_now(), end = now + b->duration;
  uint64_t next = now + b->every;
  while ((now = bench_now()) < end) {
    if (b->every && now >= next) {
      mk_yield();
      b->rounds++;
      next = bench_now() + b->every;
    }
  }
  b->done = completed - c0;
  return NULL;
}

static void busy_case(int c, int r) {
  busy b = {bench_quick() ? 20000000u : 100000000u, busy_every_us[c] * 1000u, 0,
            0};
  mk_task rd, bz;
  if (mk_async(&rd, reader, NULL) != MK_OK ||
      mk_async(&bz, busy_task, &b) != MK_OK)
    fail("spawn", MK_ENOMEM);
  mk_await(&bz, NULL);
  mk_cancel(&rd);
  j.done[c][r] = (double)b.done;
  j.rounds[c][r] = (double)b.rounds;
}

/* ---- Driver ------------------------------------------------------------- */

static int unikernel(void *const *devices, void *ctx) {
  (void)ctx;
  disk = devices[0];
  if (mk_block_page_size(disk) > j.page || mk_block_length(disk) != j.length) {
    printf("blockio: the device (page %zu, %llu bytes) is not the file "
           "given (page %zu, %llu bytes)\n",
           mk_block_page_size(disk), (unsigned long long)mk_block_length(disk),
           j.page, (unsigned long long)j.length);
    return 1;
  }
  int reps = bench_reps();
  for (int r = 0; r < reps; r++) {
    j.atomic_mbs[r] = pass_atomic();
    j.sched1_mbs[r] = pass_scheduled(1);
    j.sched16_mbs[r] = pass_scheduled(READERS);
  }
  int busy_cases = *j.label ? 0 : BUSY_CASES;
  for (int c = 0; c < busy_cases; c++)
    for (int r = 0; r < reps; r++) busy_case(c, r);

  double base = bench_stats_of(j.pread_mbs, reps).median;
  char name[160], title[128];
  const char *sep = *j.label ? ", " : "";
  snprintf(title, sizeof title,
           "Block: sequential page reads from the page cache%s%s", sep,
           j.label);
  bench_header(title);
  snprintf(name, sizeof name, "block: plain pread loop, %zu-byte pages%s%s",
           j.page, sep, j.label);
  bench_row(name, j.pread_mbs, reps, "MB/s", base, "plain pread",
            BENCH_NO_TARGET);
  snprintf(name, sizeof name, "block: atomic reads, %zu-byte pages%s%s", j.page,
           sep, j.label);
  bench_row(name, j.atomic_mbs, reps, "MB/s", base, "plain pread",
            (bench_target){BENCH_RATIO_AT_LEAST, 0.9});
  snprintf(name, sizeof name,
           "block: scheduled reads, 1 task, %zu-byte pages%s%s", j.page, sep,
           j.label);
  bench_row(name, j.sched1_mbs, reps, "MB/s", base, "plain pread",
            (bench_target){BENCH_RATIO_AT_LEAST, 0.9});
  snprintf(name, sizeof name,
           "block: scheduled reads, %d tasks, %zu-byte pages%s%s", READERS,
           j.page, sep, j.label);
  bench_row(name, j.sched16_mbs, reps, "MB/s", base, "plain pread",
            (bench_target){BENCH_RATIO_AT_LEAST, 0.9});
  for (int c = 0; c < busy_cases; c++) {
    char every[48];
    if (busy_every_us[c])
      snprintf(every, sizeof every, "yielding every %llu us",
               (unsigned long long)busy_every_us[c]);
    else
      snprintf(every, sizeof every, "never yielding");
    snprintf(name, sizeof name,
             "block: scheduled reads done while a task is busy %d ms, %s",
             bench_quick() ? 20 : 100, every);
    double rounds = bench_stats_of(j.rounds[c], reps).median;
    bench_row(name, j.done[c], reps, "reads", rounds,
              "busy task's yields (rounds)", BENCH_NO_TARGET);
  }
  if (!*j.label)
    bench_note("block: %llu MiB file, read twice before measuring, so every "
               "pass reads from the page cache",
               (unsigned long long)(j.length >> 20));
  free(j.bufs);
  return 0;
}

int mk_main(int argc, char **argv) {
  bench_init();
  if (argc < 3 || argc > 4 || atol(argv[2]) < 512) {
    printf("usage: blockio --block:disk=FILE --block-sector-size:disk=N -- "
           "FILE PAGE [LABEL]\n");
    return 1;
  }
  j.label = argc == 4 ? argv[3] : "";
  j.page = (size_t)atol(argv[2]);
  int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
  off_t end = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
  if (end <= 0 || (uint64_t)end % j.page) {
    printf("blockio: %s: cannot read, or size not a multiple of %zu\n", argv[1],
           j.page);
    return 1;
  }
  j.length = (uint64_t)end;
  if (!(j.bufs = aligned_alloc(4096, READERS * j.page))) return 1;
  /* Into the page cache, so that no pass below waits for the disk; twice,
   * because the kernel moves a page to its active list on the second
   * access, work that would otherwise fall on the first measured pass. */
  for (int pass = 0; pass < 2; pass++)
    for (uint64_t off = 0; off < j.length; off += j.page)
      if (pread(fd, j.bufs, j.page, (off_t)off) != (ssize_t)j.page) return 1;
  /* The baseline, before mk_run (see the header comment). */
  for (int r = 0; r < bench_reps(); r++) {
    uint64_t t = bench_now();
    for (uint64_t off = 0; off < j.length; off += j.page)
      if (pread(fd, j.bufs, j.page, (off_t)off) != (ssize_t)j.page) return 1;
    j.pread_mbs[r] = mbs(j.length, bench_now() - t);
  }
  close(fd);
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  return mk_run(devices, 1, unikernel, NULL, NULL);
}
