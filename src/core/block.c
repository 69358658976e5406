/*
 * block.c: block devices: atomic I/O done at once, scheduled I/O queued.
 *
 * Scheduled requests live on the requesting task's stack and wait in one
 * FIFO shared by all block devices; the event policy (sched.c) performs them
 * one per event check while tasks are busy, and back to back while idle. A
 * cancelled request leaves the queue and is never performed.
 */
#include "internal.h"

struct mk_block {
  const char *name;
  uint64_t handle;
  uint64_t length;
  size_t page;
};

struct mk__block_request {
  struct mk__block_request *prev, *next;
  mk_block *block;
  bool write;
  uint64_t off;
  void *buf;
  size_t len;
  mk_result result;
  mk_syscall sc;
};

mk_result mk__block_create(const char *name, mk_block **out) {
  mk_block b = {name, 0, 0, 0};
  mk_result r = mk__platform_block_acquire(name, &b.handle, &b.length, &b.page);
  if (r != MK_OK) return r;
  if (!(*out = mk__platform_alloc(sizeof b))) return MK_ENOMEM;
  **out = b;
  return MK_OK;
}

void mk__block_destroy(mk_block *b) { mk__platform_free(b); }

const char *mk_block_name(const mk_block *b) { return b->name; }
size_t mk_block_page_size(const mk_block *b) { return b->page; }
uint64_t mk_block_length(const mk_block *b) { return b->length; }

/* Whole pages, page-aligned, inside the device. */
static mk_result check(const mk_block *b, uint64_t off, const void *buf,
                       size_t len) {
  if (!b || !buf || !len || off % b->page || len % b->page) return MK_EINVAL;
  if (off > b->length || len > b->length - off) return MK_EINVAL;
  return MK_OK;
}

static mk_result perform(mk_block *b, bool write, uint64_t off, void *buf,
                         size_t len) {
  return write ? mk__platform_block_write(b->handle, off, buf, len)
               : mk__platform_block_read(b->handle, off, buf, len);
}

mk_result mk_block_atomic_read(mk_block *b, uint64_t off, void *buf,
                               size_t len) {
  mk_result r = check(b, off, buf, len);
  return r != MK_OK ? r : perform(b, false, off, buf, len);
}

mk_result mk_block_atomic_write(mk_block *b, uint64_t off, const void *buf,
                                size_t len) {
  mk_result r = check(b, off, buf, len);
  return r != MK_OK ? r : perform(b, true, off, (void *)buf, len);
}

mk_result mk_block_flush(mk_block *b) {
  return b ? mk__platform_block_flush(b->handle) : MK_EINVAL;
}

static void dequeue(struct mk__block_request *q) {
  if (q->prev)
    q->prev->next = q->next;
  else
    mk__s.block_head = q->next;
  if (q->next)
    q->next->prev = q->prev;
  else
    mk__s.block_tail = q->prev;
  mk__s.device_waiters--;
}

static void request_cancelled(mk_syscall *sc) { dequeue(sc->data); }

static mk_result schedule(mk_block *b, bool write, uint64_t off, void *buf,
                          size_t len) {
  mk_result r = check(b, off, buf, len);
  struct mk__task *self;
  if (r != MK_OK || (r = mk__blocking_entry(&self)) != MK_OK) return r;
  struct mk__block_request q = {mk__s.block_tail, NULL, b, write, off, buf, len,
                                MK_EUNSPEC,       {0}};
  mk__syscall_init(&q.sc, request_cancelled, &q);
  if (mk__s.block_tail)
    mk__s.block_tail->next = &q;
  else
    mk__s.block_head = &q;
  mk__s.block_tail = &q;
  mk__s.device_waiters++;
  r = mk__suspend_as(&q.sc, write ? "block write" : "block read");
  return r != MK_OK ? r : q.result;
}

mk_result mk_block_read(mk_block *b, uint64_t off, void *buf, size_t len) {
  return schedule(b, false, off, buf, len);
}

mk_result mk_block_write(mk_block *b, uint64_t off, const void *buf,
                         size_t len) {
  return schedule(b, true, off, (void *)buf, len);
}

bool mk__block_pending(void) { return mk__s.block_head != NULL; }

void mk__block_perform_one(void) {
  struct mk__block_request *q = mk__s.block_head;
  dequeue(q);
  q->result = perform(q->block, q->write, q->off, q->buf, q->len);
  mk__wake(&q->sc);
}
