/*
 * test_platform.c: the platform the core's unit tests link with.
 *
 * See mk_test.h. Runs as an ordinary process (each test forks one), so it
 * may use libc; the clock is virtual and nothing touches the host's devices.
 * Stacks come from mmap without a guard page, with spare memory below them,
 * so that an overflow lands in the spare memory and the core's canary is the
 * check that catches it, as on a platform without memory protection.
 */
#define _GNU_SOURCE
#include "mk_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../linux/valgrind_stacks.h"
#include "platform.h"

#define TEXT_MAX (1 << 16)
#define MAX_DEV 8
#define MAX_FRAMES 256
#define OVERRUN_ZONE (64 * 1024)

typedef struct text {
  char buf[TEXT_MAX];
  size_t len;
} text;

typedef struct frame {
  size_t len;
  uint8_t data[2048];
} frame;

typedef struct net {
  const char *name;
  size_t mtu;
  frame *in; /* MAX_FRAMES ring */
  size_t in_head, in_count;
  frame *out; /* MAX_FRAMES, in order */
  size_t out_count;
  bool fail_writes;
} net;

typedef struct block {
  const char *name;
  size_t page;
  uint64_t length;
  uint8_t *data;
} block;

static struct {
  uint64_t now;
  text console, log;
  mk_test_counts counts;
  void (*on_wait)(uint64_t, uint64_t, void *);
  void *on_wait_ctx;
  net nets[MAX_DEV];
  int nnets;
  block blocks[MAX_DEV];
  int nblocks;
  bool manifest;
} tp;

static void text_add(text *t, const char *buf, size_t len) {
  if (len > TEXT_MAX - 1 - t->len) len = TEXT_MAX - 1 - t->len;
  memcpy(t->buf + t->len, buf, len);
  t->len += len;
  t->buf[t->len] = '\0';
}

void mk_test_reset(void) {
  for (int i = 0; i < tp.nnets; i++) {
    free(tp.nets[i].in);
    free(tp.nets[i].out);
  }
  for (int i = 0; i < tp.nblocks; i++) free(tp.blocks[i].data);
  memset(&tp, 0, sizeof tp);
}

void mk_test_clock_set(uint64_t now) { tp.now = now; }
uint64_t mk_test_clock(void) { return tp.now; }
const char *mk_test_console(void) { return tp.console.buf; }
const char *mk_test_log(void) { return tp.log.buf; }
mk_test_counts mk_test_counts_get(void) { return tp.counts; }
void mk_test_manifest_mode(bool on) { tp.manifest = on; }

void mk_test_on_wait(void (*fn)(uint64_t, uint64_t, void *), void *ctx) {
  tp.on_wait = fn;
  tp.on_wait_ctx = ctx;
}

/* ---- The platform contract ---- */

uint64_t mk__platform_clock_monotonic(void) { return tp.now; }
uint64_t mk__platform_clock_wall(void) {
  return 1700000000ull * 1000000000ull + tp.now;
}

void mk__platform_console_write(const char *buf, size_t len) {
  text_add(&tp.console, buf, len);
}

void mk__platform_log(const char *buf, size_t len) {
  text_add(&tp.log, buf, len);
}

_Noreturn void mk__platform_abort(void) {
  /* The test process dies: show what was captured, for the runner. */
  fprintf(stderr, "%s%s", tp.console.buf, tp.log.buf);
  fflush(stderr);
  _exit(255);
}

void *mk__platform_alloc(size_t size) {
  void *p = malloc(size);
  if (p) tp.counts.live_allocs++;
  return p;
}

void mk__platform_free(void *ptr) {
  if (ptr) tp.counts.live_allocs--;
  free(ptr);
}

void *mk__platform_stack_alloc(size_t size, bool *guarded) {
  char *p = mmap(NULL, size + OVERRUN_ZONE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  *guarded = false;
  tp.counts.live_allocs++;
  vg_stack_register(p + OVERRUN_ZONE, size);
  return p + OVERRUN_ZONE;
}

void mk__platform_stack_free(void *lo, size_t size) {
  vg_stack_deregister(lo);
  munmap((char *)lo - OVERRUN_ZONE, size + OVERRUN_ZONE);
  tp.counts.live_allocs--;
}

static uint64_t ready_set(uint64_t interest) {
  uint64_t ready = 0;
  for (int i = 0; i < tp.nnets; i++)
    if ((interest >> i & 1) && tp.nets[i].in_count) ready |= (uint64_t)1 << i;
  return ready;
}

uint64_t mk__platform_wait(uint64_t deadline, uint64_t interest) {
  tp.counts.waits++;
  if (deadline <= tp.now) tp.counts.polls++;
  if (tp.on_wait) tp.on_wait(tp.now, deadline, tp.on_wait_ctx);
  uint64_t ready = ready_set(interest);
  if (ready || deadline <= tp.now) return ready;
  if (deadline == MK_FOREVER) {
    static const char msg[] = "test platform: the scheduler would wait "
                              "forever for a frame that will never come\n";
    mk__platform_log(msg, sizeof msg - 1);
    mk__platform_abort();
  }
  tp.now = deadline; /* time flies */
  return 0;
}

/* ---- Devices ---- */

int mk_test_net_add(const char *name, size_t mtu) {
  net *n = &tp.nets[tp.nnets];
  n->name = name;
  n->mtu = mtu;
  n->in = calloc(MAX_FRAMES, sizeof(frame));
  n->out = calloc(MAX_FRAMES, sizeof(frame));
  return tp.nnets++;
}

void mk_test_net_inject(int h, const void *data, size_t len) {
  net *n = &tp.nets[h];
  if (n->in_count == MAX_FRAMES || len > sizeof n->in[0].data) abort();
  frame *f = &n->in[(n->in_head + n->in_count++) % MAX_FRAMES];
  f->len = len;
  memcpy(f->data, data, len);
}

size_t mk_test_net_queued(int h) { return tp.nets[h].in_count; }

size_t mk_test_net_sent(int h, size_t index, void *buf, size_t size) {
  net *n = &tp.nets[h];
  if (index >= n->out_count) return 0;
  size_t len = n->out[index].len < size ? n->out[index].len : size;
  memcpy(buf, n->out[index].data, len);
  return n->out[index].len;
}

void mk_test_net_fail_writes(int h, bool fail) {
  tp.nets[h].fail_writes = fail;
}

int mk_test_block_add(const char *name, size_t page, uint64_t length) {
  block *b = &tp.blocks[tp.nblocks];
  b->name = name;
  b->page = page;
  b->length = length;
  b->data = calloc(1, length);
  return tp.nblocks++;
}

uint8_t *mk_test_block_data(int h) { return tp.blocks[h].data; }

bool mk__platform_manifest_mode(void) { return tp.manifest; }

static int find_net(const char *name) {
  for (int i = 0; i < tp.nnets; i++)
    if (!strcmp(tp.nets[i].name, name)) return i;
  return -1;
}

static int find_block(const char *name) {
  for (int i = 0; i < tp.nblocks; i++)
    if (!strcmp(tp.blocks[i].name, name)) return i;
  return -1;
}

static void logf_(const char *what, const char *name) {
  char buf[256];
  int n = snprintf(buf, sizeof buf, "mkernel: device \"%s\" %s\n", name, what);
  mk__platform_log(buf, (size_t)n);
}

mk_result mk__platform_devices_check(const mk__device_request *reqs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int h = reqs[i].kind == MK_ARG_NET ? find_net(reqs[i].name)
                                       : find_block(reqs[i].name);
    if (h < 0) {
      logf_("is required but not given", reqs[i].name);
      return MK_ENODEV;
    }
  }
  return MK_OK;
}

mk_result mk__platform_net_acquire(const char *name, uint64_t *handle,
                                   mk_net_info *info) {
  int h = find_net(name);
  if (h < 0) return MK_ENODEV;
  *handle = (uint64_t)h;
  memset(info, 0, sizeof *info);
  info->mac[0] = 0x02;
  info->mac[5] = (uint8_t)h;
  info->mtu = tp.nets[h].mtu;
  return MK_OK;
}

mk_result mk__platform_net_read(uint64_t h, void *buf, size_t size,
                                size_t *len) {
  net *n = &tp.nets[h];
  tp.counts.net_reads++;
  if (!n->in_count) return MK_AGAIN;
  frame *f = &n->in[n->in_head];
  n->in_head = (n->in_head + 1) % MAX_FRAMES;
  n->in_count--;
  if (f->len > size) return MK_EINVAL;
  memcpy(buf, f->data, f->len);
  *len = f->len;
  return MK_OK;
}

mk_result mk__platform_net_write(uint64_t h, const void *buf, size_t len) {
  net *n = &tp.nets[h];
  if (n->fail_writes || n->out_count == MAX_FRAMES) return MK_AGAIN;
  n->out[n->out_count].len = len;
  memcpy(n->out[n->out_count++].data, buf, len);
  return MK_OK;
}

mk_result mk__platform_block_acquire(const char *name, uint64_t *handle,
                                     uint64_t *length, size_t *page) {
  int h = find_block(name);
  if (h < 0) return MK_ENODEV;
  *handle = (uint64_t)h;
  *length = tp.blocks[h].length;
  *page = tp.blocks[h].page;
  return MK_OK;
}

mk_result mk__platform_block_read(uint64_t h, uint64_t off, void *buf,
                                  size_t len) {
  tp.counts.block_ops++;
  memcpy(buf, tp.blocks[h].data + off, len);
  return MK_OK;
}

mk_result mk__platform_block_write(uint64_t h, uint64_t off, const void *buf,
                                   size_t len) {
  tp.counts.block_ops++;
  memcpy(tp.blocks[h].data + off, buf, len);
  return MK_OK;
}

void mk__platform_devices_acquired(void) {}

mk_result mk__platform_block_flush(uint64_t h) {
  (void)h;
  return MK_OK;
}
