/*
 * net.c: net devices: reads that suspend, writes that never do.
 *
 * A reader tries the device once; if nothing is there it waits in the
 * device's reader queue, which sets the device's bit in the scheduler's
 * interest set. When the platform reports the device ready, every reader is
 * woken and tries again. The platform always reads into a buffer that can
 * hold any frame; a frame larger than the caller's buffer is kept in the
 * device's staging buffer and MK_EINVAL returned, so nothing is truncated
 * and nothing is lost.
 */
#include "internal.h"

struct mk_net {
  const char *name;
  uint64_t handle;
  mk_net_info info;
  mk_net_stats stats;
  mk__waitq readers;
  size_t staged;    /* length of the frame held in `staging`, or 0 */
  uint8_t *staging; /* frame_max bytes */
  uint8_t *tx;      /* frame_max bytes, for write_into */
};

static size_t frame_max(const mk_net *n) { return n->info.mtu + MK_NET_HLEN; }

mk_result mk__net_create(const char *name, mk_net **out) {
  uint64_t handle;
  mk_net_info info;
  mk_result r = mk__platform_net_acquire(name, &handle, &info);
  if (r != MK_OK) return r;
  if (handle >= 64) return MK_EUNSPEC;
  size_t max = info.mtu + MK_NET_HLEN;
  mk_net *n = mk__platform_alloc(sizeof *n + 2 * max);
  if (!n) return MK_ENOMEM;
  memset(n, 0, sizeof *n);
  n->name = name;
  n->handle = handle;
  n->info = info;
  n->staging = (uint8_t *)(n + 1);
  n->tx = n->staging + max;
  mk__s.nets[handle] = n;
  *out = n;
  return MK_OK;
}

void mk__net_destroy(mk_net *n) {
  mk__s.nets[n->handle] = NULL;
  mk__platform_free(n);
}

const char *mk_net_name(const mk_net *n) { return n->name; }
const mk_net_info *mk_net_get_info(const mk_net *n) { return &n->info; }
void mk_net_get_stats(const mk_net *n, mk_net_stats *out) { *out = n->stats; }

static mk_result delivered(mk_net *n, size_t len, size_t *out) {
  n->stats.frames_in++;
  n->stats.bytes_in += len;
  *out = len;
  return MK_OK;
}

/* One attempt: MK_OK, MK_AGAIN (nothing there) or MK_EINVAL (too big). */
static mk_result try_read(mk_net *n, uint8_t *buf, size_t size, size_t *len) {
  if (!n->staged) {
    size_t max = frame_max(n), got;
    uint8_t *dst = size >= max ? buf : n->staging;
    mk_result r;
    while ((r = mk__platform_net_read(n->handle, dst, max, &got)) == MK_EINVAL)
      n->stats.drops_in++; /* larger than the MTU allows */
    if (r != MK_OK) return r;
    if (dst == buf) return delivered(n, got, len);
    n->staged = got;
  }
  if (n->staged > size) return MK_EINVAL; /* kept for a bigger buffer */
  memcpy(buf, n->staging, n->staged);
  size_t got = n->staged;
  n->staged = 0;
  return delivered(n, got, len);
}

static void reader_leaves(mk_net *n) {
  mk__s.device_waiters--;
  if (!n->readers.head) mk__s.net_interest &= ~((uint64_t)1 << n->handle);
}

static void reader_cancelled(mk_syscall *sc) {
  mk_net *n = sc->data;
  struct mk__waiter *w =
      (struct mk__waiter *)((char *)sc - offsetof(struct mk__waiter, sc));
  mk__waitq_remove(&n->readers, w);
  reader_leaves(n);
}

mk_result mk_net_read(mk_net *n, void *buf, size_t size, size_t *len) {
  struct mk__task *self;
  mk_result r = mk__blocking_entry(&self);
  if (r != MK_OK) return r;
  if (!n || !buf || !len) return MK_EINVAL;
  while ((r = try_read(n, buf, size, len)) == MK_AGAIN) {
    struct mk__waiter w;
    w.task = self;
    mk__syscall_init(&w.sc, reader_cancelled, n);
    mk__waitq_push(&n->readers, &w);
    mk__s.device_waiters++;
    mk__s.net_interest |= (uint64_t)1 << n->handle;
    if ((r = mk__suspend_as(&w.sc, "net read")) != MK_OK) return r;
    /* Woken by a frame, but cancelled before running: leave the frame to
     * the other readers (all were woken) rather than hand it to a task
     * that is going away. */
    if (mk__cancellation_due(self)) return MK_CANCELLED;
  }
  return r;
}

/* Wakes every reader of every ready device. */
void mk__net_deliver(uint64_t ready) {
  ready &= mk__s.net_interest;
  while (ready) {
    unsigned h = (unsigned)__builtin_ctzll(ready);
    ready &= ready - 1;
    mk_net *n = mk__s.nets[h];
    struct mk__waiter *w;
    while ((w = mk__waitq_pop(&n->readers))) {
      reader_leaves(n);
      mk__wake(&w->sc);
    }
  }
}

static mk_result transmit(mk_net *n, const void *frame, size_t len) {
  if (len < MK_NET_HLEN || len > frame_max(n)) return MK_EINVAL;
  if (mk__platform_net_write(n->handle, frame, len) != MK_OK) {
    n->stats.drops_out++;
    return MK_OK;
  }
  n->stats.frames_out++;
  n->stats.bytes_out += len;
  return MK_OK;
}

mk_result mk_net_write(mk_net *n, const void *frame, size_t len) {
  if (!n || !frame) return MK_EINVAL;
  return transmit(n, frame, len);
}

mk_result mk_net_write_into(mk_net *n,
                            size_t (*fill)(uint8_t *, size_t, void *),
                            void *ctx) {
  if (!n || !fill) return MK_EINVAL;
  size_t len = fill(n->tx, frame_max(n), ctx);
  return len ? transmit(n, n->tx, len) : MK_OK;
}
