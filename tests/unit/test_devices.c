/*
 * test_devices.c: net and block devices over the test platform's simulated
 * devices, and mk_run's device list.
 */
#include "test.h"

/* ---- Net ---- */

static void *read_one(void *arg) {
  mk_net *n = arg;
  uint8_t buf[1514];
  size_t len = 0;
  mk_result r = mk_net_read(n, buf, sizeof buf, &len);
  say("%s: %s %zu (first byte %d)", mk_self_name(), mk_result_name(r), len,
      r == MK_OK ? buf[0] : -1);
  return NULL;
}

static void inject_at_100(uint64_t now, uint64_t deadline, void *ctx) {
  (void)deadline, (void)ctx;
  static bool done;
  if (now >= 100 && !done) {
    uint8_t f[64];
    memset(f, 7, sizeof f);
    mk_test_net_inject(0, f, sizeof f);
    done = true;
  }
}

static void *tick(void *arg) {
  (void)arg;
  mk_sleep(100);
  return NULL;
}

static int net_reads(void *const *v, void *ctx) {
  (void)ctx;
  mk_net *n = v[0];
  const mk_net_info *info = mk_net_get_info(n);
  ASSERT_STR(mk_net_name(n), "service");
  ASSERT_INT(info->mtu, 1500);
  ASSERT_INT(info->mac[0], 0x02);
  /* Two readers wait; one frame arrives at t=100: both wake, the first to
   * run gets it, the other waits again and gets the second frame. */
  mk_task a, b, t;
  mk_spawn_opts oa = {.name = "a"}, ob = {.name = "b"};
  mk_async_with(&a, read_one, n, &oa);
  mk_async_with(&b, read_one, n, &ob);
  mk_async(&t, tick, NULL);
  mk_test_on_wait(inject_at_100, NULL);
  mk_await_exn(&t);
  mk_await_exn(&a);
  uint8_t f[80] = {9};
  mk_test_net_inject(0, f, sizeof f);
  mk_await_exn(&b);
  mk_net_stats st;
  mk_net_get_stats(n, &st);
  ASSERT_INT(st.frames_in, 2);
  ASSERT_INT(st.bytes_in, 144);
  return 0;
}

void test_net_read_suspends_until_frame(void) {
  static const mk_arg devices[] = {MK_NET("service")};
  mk_test_net_add("service", 1500);
  ASSERT_INT(mk_run(devices, 1, net_reads, NULL, NULL), 0);
  ASSERT_STR(mk_test_console(), "a: ok 64 (first byte 7)\n"
                                "b: ok 80 (first byte 9)\n");
  ASSERT_INT(mk_test_clock(), 100);
}

static size_t fill_frame(uint8_t *frame, size_t size, void *ctx) {
  ASSERT_INT(size, 1514);
  memset(frame, *(int *)ctx, 60);
  return 60;
}

static size_t fill_too_much(uint8_t *frame, size_t size, void *ctx) {
  (void)frame, (void)ctx;
  return size + 1;
}

static int net_edges(void *const *v, void *ctx) {
  (void)ctx;
  mk_net *n = v[0];
  uint8_t big[1600], small[100];
  size_t len = 0;
  memset(big, 1, sizeof big);
  /* A frame larger than the buffer: an error, and the frame is kept. */
  mk_test_net_inject(0, big, 300);
  ASSERT_RESULT(mk_net_read(n, small, sizeof small, &len), MK_EINVAL);
  ASSERT_RESULT(mk_net_read(n, small, sizeof small, &len), MK_EINVAL);
  ASSERT_RESULT(mk_net_read(n, big, 300, &len), MK_OK);
  ASSERT_INT(len, 300);
  /* Small buffers work for small frames. */
  mk_test_net_inject(0, big, 60);
  ASSERT_RESULT(mk_net_read(n, small, sizeof small, &len), MK_OK);
  ASSERT_INT(len, 60);
  /* A frame beyond the MTU is dropped by the device and counted. */
  mk_test_net_inject(0, big, 1515);
  mk_test_net_inject(0, big, 61);
  ASSERT_RESULT(mk_net_read(n, big, sizeof big, &len), MK_OK);
  ASSERT_INT(len, 61);
  /* Writes: bounded by the MTU, never suspending. */
  ASSERT_RESULT(mk_net_write(n, big, 1515), MK_EINVAL);
  ASSERT_RESULT(mk_net_write(n, big, 13), MK_EINVAL);
  ASSERT_RESULT(mk_net_write(n, big, 1514), MK_OK);
  int byte = 5;
  ASSERT_RESULT(mk_net_write_into(n, fill_frame, &byte), MK_OK);
  ASSERT_RESULT(mk_net_write_into(n, fill_too_much, NULL), MK_EINVAL);
  mk_test_net_fail_writes(0, true);
  ASSERT_RESULT(mk_net_write(n, big, 60), MK_OK); /* dropped by the host */
  uint8_t sent[1600];
  ASSERT_INT(mk_test_net_sent(0, 0, sent, sizeof sent), 1514);
  ASSERT_INT(mk_test_net_sent(0, 1, sent, sizeof sent), 60);
  ASSERT_INT(sent[59], 5);
  ASSERT_INT(mk_test_net_sent(0, 2, sent, sizeof sent), 0);
  mk_net_stats st;
  mk_net_get_stats(n, &st);
  ASSERT_INT(st.frames_in, 3);
  ASSERT_INT(st.drops_in, 1);
  ASSERT_INT(st.frames_out, 2);
  ASSERT_INT(st.bytes_out, 1574);
  ASSERT_INT(st.drops_out, 1);
  return 0;
}

void test_net_oversize_frames_and_writes(void) {
  static const mk_arg devices[] = {MK_NET("service")};
  mk_test_net_add("service", 1500);
  ASSERT_INT(mk_run(devices, 1, net_edges, NULL, NULL), 0);
}

/* A cancelled reader is no longer registered: the next frame goes to the
 * reader still waiting, and nothing is delivered to the dead one. */
static int cancel_reader(void *const *v, void *ctx) {
  (void)ctx;
  mk_net *n = v[0];
  mk_task a, b;
  mk_spawn_opts oa = {.name = "a"}, ob = {.name = "b"};
  mk_async_with(&a, read_one, n, &oa);
  mk_async_with(&b, read_one, n, &ob);
  mk_yield();
  ASSERT_RESULT(mk_cancel(&a), MK_OK);
  uint8_t f[60] = {3};
  mk_test_net_inject(0, f, sizeof f);
  mk_await_exn(&b);
  ASSERT_INT(mk_test_net_queued(0), 0);
  return 0;
}

/* A reader woken by a frame, then cancelled before it runs, does not take
 * the frame: it stays for the next reader. */
static int woken_then_cancelled(void *const *v, void *ctx) {
  (void)ctx;
  mk_net *n = v[0];
  mk_task a, b;
  mk_spawn_opts oa = {.name = "a"}, ob = {.name = "b"};
  mk_async_with(&a, read_one, n, &oa);
  mk_yield(); /* a blocks */
  uint8_t f[60] = {4};
  mk_test_net_inject(0, f, sizeof f);
  mk_yield(); /* the poll between rounds wakes a, behind this task */
  ASSERT_RESULT(mk_cancel(&a), MK_OK);
  ASSERT_INT(mk_test_net_queued(0), 1);
  mk_async_with(&b, read_one, n, &ob);
  mk_await_exn(&b);
  return 0;
}

void test_net_reader_woken_then_cancelled_takes_nothing(void) {
  static const mk_arg devices[] = {MK_NET("service")};
  mk_test_net_add("service", 1500);
  ASSERT_INT(mk_run(devices, 1, woken_then_cancelled, NULL, NULL), 0);
  ASSERT_STR(mk_test_console(), "a: cancelled 0 (first byte -1)\n"
                                "b: ok 60 (first byte 4)\n");
}

void test_net_cancelled_reader_unregistered(void) {
  static const mk_arg devices[] = {MK_NET("service")};
  mk_test_net_add("service", 1500);
  ASSERT_INT(mk_run(devices, 1, cancel_reader, NULL, NULL), 0);
  ASSERT_STR(mk_test_console(), "a: cancelled 0 (first byte -1)\n"
                                "b: ok 60 (first byte 3)\n");
}

/* ---- Block ---- */

static int block_edges(void *const *v, void *ctx) {
  (void)ctx;
  mk_block *b = v[0];
  uint8_t buf[2048], page[512];
  ASSERT_STR(mk_block_name(b), "disk");
  ASSERT_INT(mk_block_page_size(b), 512);
  ASSERT_INT(mk_block_length(b), 4096);
  uint8_t *data = mk_test_block_data(0);
  for (int i = 0; i < 4096; i++) data[i] = (uint8_t)(i / 512);
  unsigned long ops = mk_test_counts_get().block_ops;
  /* Every bad request is refused before any I/O. */
  ASSERT_RESULT(mk_block_read(b, 100, page, 512), MK_EINVAL);  /* misaligned */
  ASSERT_RESULT(mk_block_read(b, 0, page, 0), MK_EINVAL);      /* zero */
  ASSERT_RESULT(mk_block_read(b, 0, page, 100), MK_EINVAL);    /* partial */
  ASSERT_RESULT(mk_block_read(b, 4096, page, 512), MK_EINVAL); /* past end */
  ASSERT_RESULT(mk_block_read(b, 3584, buf, 1024), MK_EINVAL); /* oversize */
  ASSERT_RESULT(mk_block_read(b, UINT64_MAX - 511, page, 512), MK_EINVAL);
  ASSERT_RESULT(mk_block_atomic_write(b, 1, page, 512), MK_EINVAL);
  ASSERT_RESULT(mk_block_write(b, 4096, page, 512), MK_EINVAL);
  ASSERT_INT(mk_test_counts_get().block_ops, ops);
  /* Multi-page, atomic and scheduled. */
  ASSERT_RESULT(mk_block_atomic_read(b, 1024, buf, 2048), MK_OK);
  ASSERT_INT(buf[0], 2);
  ASSERT_INT(buf[2047], 5);
  memset(page, 0xee, sizeof page);
  ASSERT_RESULT(mk_block_write(b, 3584, page, 512), MK_OK);
  ASSERT_INT(data[3584], 0xee);
  ASSERT_RESULT(mk_block_read(b, 0, buf, 1024), MK_OK);
  ASSERT_INT(buf[1023], 1);
  ASSERT_RESULT(mk_block_flush(b), MK_OK);
  return 0;
}

void test_block_requests_checked_before_io(void) {
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  mk_test_block_add("disk", 512, 4096);
  ASSERT_INT(mk_run(devices, 1, block_edges, NULL, NULL), 0);
}

/* Scheduled I/O: one request per event check while tasks are busy, all of
 * them back to back while idle. */
static mk_block *blk;
static int busy_yields;

static void *scheduled_reader(void *arg) {
  uint8_t page[512];
  mk_result r = mk_block_read(blk, (uint64_t)(uintptr_t)arg * 512, page, 512);
  if (r == MK_OK)
    say("read page %u at yield %d", (unsigned)(uintptr_t)arg, busy_yields);
  return NULL;
}

static void *busy_loop(void *arg) {
  (void)arg;
  for (int i = 0; i < 10; i++) {
    mk_yield();
    busy_yields++;
  }
  return NULL;
}

static int block_policy(void *const *v, void *ctx) {
  (void)ctx;
  blk = v[0];
  mk_task r[3], b;
  for (uintptr_t i = 0; i < 3; i++)
    mk_async(&r[i], scheduled_reader, (void *)i);
  mk_async(&b, busy_loop, NULL);
  mk_await_exn(&b);
  mk_await_all(r, 3, NULL);
  /* Idle now: three requests are performed in one go. */
  unsigned long ops = mk_test_counts_get().block_ops;
  for (uintptr_t i = 0; i < 3; i++)
    mk_async(&r[i], scheduled_reader, (void *)i);
  mk_yield(); /* they queue */
  mk_await_all(r, 3, NULL);
  ASSERT_INT(mk_test_counts_get().block_ops - ops, 3);
  return 0;
}

void test_block_scheduled_io_policy(void) {
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  mk_test_block_add("disk", 512, 4096);
  ASSERT_INT(mk_run(devices, 1, block_policy, NULL, NULL), 0);
  /* While busy, one request per round: the readers finish on successive
   * rounds, not all at once. */
  ASSERT_STR(mk_test_console(), "read page 0 at yield 1\n"
                                "read page 1 at yield 2\n"
                                "read page 2 at yield 3\n"
                                "read page 0 at yield 10\n"
                                "read page 1 at yield 10\n"
                                "read page 2 at yield 10\n");
}

static int block_cancel(void *const *v, void *ctx) {
  (void)ctx;
  blk = v[0];
  mk_task r;
  unsigned long ops = mk_test_counts_get().block_ops;
  mk_async(&r, scheduled_reader, (void *)1);
  mk_yield();
  ASSERT_RESULT(mk_cancel(&r), MK_OK);
  mk_sleep(10); /* idle: a queued request would be performed now */
  ASSERT_INT(mk_test_counts_get().block_ops, ops);
  return 0;
}

void test_block_cancelled_request_never_performed(void) {
  static const mk_arg devices[] = {MK_BLOCK("disk")};
  mk_test_block_add("disk", 512, 4096);
  ASSERT_INT(mk_run(devices, 1, block_cancel, NULL, NULL), 0);
  ASSERT_STR(mk_test_console(), "");
}

/* ---- mk_run's device list ---- */

static mk_result describe(void *const *values, void *ctx, void **out) {
  static char text[128];
  snprintf(text, sizeof text, "%s(%s,%s)", (const char *)ctx,
           mk_block_name(values[0]), (const char *)values[1]);
  say("map %s", text);
  *out = text;
  return MK_OK;
}

static int show_values(void *const *v, void *ctx) {
  say("main: %s %s %s %s", mk_net_name(v[0]), (const char *)v[1],
      mk_block_name(v[2]), (const char *)ctx);
  return 42;
}

static const mk_arg fs_args[] = {MK_BLOCK("disk"), MK_CONST("ro")};
static const mk_arg device_list[] = {
    MK_NET("service"),
    MK_MAP(describe, "fs", fs_args, 2),
    MK_BLOCK("log"),
};

void test_run_device_list_depth_first(void) {
  mk_test_net_add("service", 1500);
  mk_test_block_add("disk", 512, 1024);
  mk_test_block_add("log", 4096, 8192);
  ASSERT_INT(mk_run(device_list, 3, show_values, "ctx", NULL), 42);
  ASSERT_STR(mk_test_console(),
             "map fs(disk,ro)\nmain: service fs(disk,ro) log ctx\n");
  ASSERT_INT(mk_test_counts_get().live_allocs, 0);
}

void test_run_manifest_mode(void) {
  mk_test_manifest_mode(true);
  ASSERT_INT(mk_run(device_list, 3, show_values, "ctx", NULL), 0);
  ASSERT_STR(mk_test_console(),
             "{\"type\":\"solo5.manifest\",\"version\":1,\"devices\":["
             "{\"name\":\"service\",\"type\":\"NET_BASIC\"},"
             "{\"name\":\"disk\",\"type\":\"BLOCK_BASIC\"},"
             "{\"name\":\"log\",\"type\":\"BLOCK_BASIC\"}]}\n");
}

static mk_result failing_map(void *const *values, void *ctx, void **out) {
  (void)values, (void)ctx, (void)out;
  return MK_ENOMEM;
}

void test_run_device_errors(void) {
  static const mk_arg twice[] = {MK_NET("a"), MK_BLOCK("a")};
  static const mk_arg missing[] = {MK_BLOCK("disk")};
  static const mk_arg bad_map[] = {MK_MAP(failing_map, NULL, NULL, 0)};
  static const mk_arg nameless[] = {{.kind = MK_ARG_NET}};
  ASSERT_INT(mk_run(twice, 2, show_values, NULL, NULL), 1);
  ASSERT_CONTAINS(mk_test_log(), "device \"a\" is named twice");
  ASSERT_INT(mk_run(missing, 1, show_values, NULL, NULL), 1);
  ASSERT_CONTAINS(mk_test_log(), "device \"disk\" is required but not given");
  ASSERT_INT(mk_run(bad_map, 1, show_values, NULL, NULL), 1);
  ASSERT_CONTAINS(mk_test_log(), "map failing_map failed: no memory");
  ASSERT_INT(mk_run(nameless, 1, show_values, NULL, NULL), 1);
  ASSERT_CONTAINS(mk_test_log(), "a net device has no name");
  ASSERT_STR(mk_test_console(), ""); /* main never ran */
  ASSERT_INT(mk_test_counts_get().live_allocs, 0);
}

/* ---- Stacks ---- */

static int depth;

static void recurse(int n) {
  volatile char frame[1024];
  memset((char *)frame, n, sizeof frame);
  depth++;
  if (n > 0)
    recurse(n - 1);
  else
    mk_yield(); /* the canary is checked when the task switches away */
  ASSERT(frame[0] == (char)n);
}

static void *deep(void *arg) {
  recurse((int)(intptr_t)arg);
  return NULL;
}

static void *overflows(void *arg) {
  (void)arg;
  mk_task t;
  mk_spawn_opts opts = {.stack_size = MK_STACK_MIN, .name = "deep"};
  mk_async_with(&t, deep, (void *)16, &opts); /* 16 KiB of frames, 4 KiB */
  mk_await_exn(&t);
  return NULL;
}

static void overflow_child(void) { run(overflows, NULL, NULL); }

void test_stack_overflow_detected_by_canary(void) {
  expect_exit(overflow_child, 255, "mkernel: stack overflow in task \"deep\"");
}

static void *fits(void *arg) {
  (void)arg;
  mk_task t;
  mk_spawn_opts opts = {.stack_size = 64 * 1024};
  mk_async_with(&t, deep, (void *)16, &opts);
  mk_await_exn(&t);
  opts.stack_size = (size_t)1 << 31; /* beyond the largest size */
  ASSERT_RESULT(mk_async_with(&t, deep, (void *)1, &opts), MK_EINVAL);
  return NULL;
}

void test_stack_size_per_spawn(void) {
  ASSERT_RESULT(run(fits, NULL, NULL), MK_OK);
}
