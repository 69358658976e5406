/*
 * soak_netread.c: a unikernel for the net soak test (tests/soak/run.sh):
 * many tasks blocked reading one net device, a flood of numbered frames,
 * and readers cancelled while frames flow.
 *
 *   soak_netread --net:service=TAP [--net-mac:service=MAC] --
 *       --frames=N [--readers=R] [--stall=SECONDS]
 *
 * R reader tasks (default 1000) loop on mk_net_read. Frames of EtherType
 * 0x88b5 carry "MKSOAK01", a sequence number and the total (sent by
 * tests/soak/flood.c); every other frame is ignored. Each reader records
 * the sequence numbers it gets, in a table of which reader got each one. To
 * keep the sender from overrunning the TAP queue, every 32nd frame, and the
 * last, is acknowledged with a frame of EtherType 0x88b6 ("MKSOAKAK" and the
 * count received), sent back to the sender.
 *
 * Meanwhile main cancels 3 random readers every 2 ms and replaces them.
 * The contract checked: a frame is delivered to exactly one reader (no
 * duplicate, no gap once all N are in), and never to a reader whose
 * cancellation has been requested: its mk_net_read must return
 * MK_CANCELLED, and the reader then records nothing. (If one returns a
 * frame anyway, the frame is still recorded, so that exactly-once is
 * checked independently, and the violation is counted.)
 *
 * It prints "soak_netread: ready" when the readers wait, then a summary.
 * Exit status 0 if every frame arrived exactly once and no cancelled reader
 * got one; 3 if every frame arrived exactly once but some went to readers
 * whose cancellation had been requested (the one violation seen so far,
 * reported as a bug: see docs/fuzzing.md); 1 otherwise, or if no frame
 * arrives for --stall seconds (default 10). After mk_run starts it uses only
 * mk_* calls and printf, as the hosted sandbox requires; memory is allocated
 * before.
 */
#include <mkernel.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ETH_TYPE_DATA 0x88b5
#define ETH_TYPE_ACK 0x88b6
#define MAGIC_DATA "MKSOAK01"
#define MAGIC_ACK "MKSOAKAK"
#define ACK_EVERY 32
#define FRAME_MAX 1514
#define CANCEL_PERIOD_MS 2
#define CANCELS_PER_PERIOD 3
#define MAX_READERS 4096

typedef struct reader {
  mk_task task;
  uint32_t id;           /* run-unique, from 1 */
  bool cancel_requested; /* set by main before it calls mk_cancel */
  uint64_t frames;       /* numbered frames this reader got */
  uint8_t buf[FRAME_MAX];
} reader;

static struct {
  uint32_t frames, readers, stall_s;
  uint32_t *owner; /* per sequence number: id of the reader that got it */
  reader *slots;
  uint32_t received, next_id;
  uint64_t first_ns, last_ns; /* when the first and the last frame came */
  uint64_t cancelled, others; /* readers cancelled; frames not ours */
  uint64_t duplicates, out_of_range, to_cancelled;
  uint8_t peer[6];
  uint64_t prng;
} soak = {.readers = 1000, .stall_s = 10, .prng = 0x9e3779b97f4a7c15ull};

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint64_t next_random(void) { /* xorshift64 */
  uint64_t x = soak.prng;
  x ^= x << 13, x ^= x >> 7, x ^= x << 17;
  return soak.prng = x;
}

static void send_ack(mk_net *net) {
  uint8_t f[60];
  memset(f, 0, sizeof f);
  memcpy(f, soak.peer, 6);
  memcpy(f + 6, mk_net_get_info(net)->mac, 6);
  f[12] = ETH_TYPE_ACK >> 8, f[13] = ETH_TYPE_ACK & 0xff;
  memcpy(f + 14, MAGIC_ACK, 8);
  put32(f + 22, soak.received);
  mk_net_write(net, f, sizeof f); /* a lost ack is covered by the next */
}

/* One frame for reader `r`: record it if it is one of ours. */
static void take_frame(mk_net *net, reader *r, size_t len) {
  const uint8_t *f = r->buf;
  if (len < 14 + 16 || f[12] != ETH_TYPE_DATA >> 8 ||
      f[13] != (ETH_TYPE_DATA & 0xff) || memcmp(f + 14, MAGIC_DATA, 8)) {
    soak.others++;
    return;
  }
  uint32_t seq = get32(f + 22);
  if (seq >= soak.frames) {
    soak.out_of_range++;
    return;
  }
  if (soak.owner[seq]) {
    if (soak.duplicates++ < 5)
      printf("soak_netread: frame %u delivered twice (readers %u and %u)\n",
             seq, soak.owner[seq], r->id);
    return;
  }
  soak.owner[seq] = r->id;
  r->frames++;
  if (!soak.received) soak.first_ns = mk_clock_monotonic();
  soak.last_ns = mk_clock_monotonic();
  memcpy(soak.peer, f + 6, 6);
  if (++soak.received % ACK_EVERY == 0 || soak.received == soak.frames)
    send_ack(net);
}

static mk_net *the_net;

static void *read_loop(void *arg) {
  reader *r = arg;
  for (;;) {
    size_t len;
    mk_result res = mk_net_read(the_net, r->buf, sizeof r->buf, &len);
    if (res == MK_CANCELLED && r->cancel_requested) return NULL;
    if (res != MK_OK) { /* MK_CANCELLED too: nobody cancelled this one */
      printf("soak_netread: reader %u: mk_net_read: %s\n", r->id,
             mk_result_name(res));
      mk_fail(res);
    }
    if (r->cancel_requested) {
      /* Its cancellation was requested before this read returned. */
      if (soak.to_cancelled++ < 5)
        printf("soak_netread: reader %u got a frame after its cancellation "
               "was requested\n",
               r->id);
    }
    take_frame(the_net, r, len);
    /* Let the others run, as a reader doing real work would: frames then
     * spread over the readers, and main gets to cancel some meanwhile. */
    if (mk_yield() == MK_CANCELLED) return NULL;
  }
}

static void spawn_reader(reader *r) {
  memset(r, 0, sizeof *r);
  r->id = ++soak.next_id;
  mk_spawn_opts opts = {.name = "reader", .stack_size = 16384};
  if (mk_async_with(&r->task, read_loop, r, &opts) != MK_OK) {
    printf("soak_netread: cannot spawn reader %u\n", r->id);
    mk_fail(MK_EUNSPEC);
  }
}

static void cancel_reader(reader *r) {
  r->cancel_requested = true;
  mk_outcome o;
  if (mk_cancel(&r->task) != MK_OK || mk_await(&r->task, &o) != MK_OK ||
      o.result != MK_CANCELLED) {
    printf("soak_netread: reader %u: cancellation failed\n", r->id);
    mk_fail(MK_EUNSPEC);
  }
}

static int soak_main(void *const *values, void *ctx) {
  (void)ctx;
  the_net = values[0];
  for (uint32_t i = 0; i < soak.readers; i++) spawn_reader(&soak.slots[i]);
  /* Let every reader reach mk_net_read before the sender starts. */
  mk_yield();
  printf("soak_netread: ready: %u readers on %s\n", soak.readers,
         mk_net_name(the_net));

  uint64_t start = mk_clock_monotonic(), last_progress = start;
  uint32_t last_received = 0;
  uint64_t frames_by_dead = 0; /* frames of readers cancelled (replaced) */
  uint64_t rounds = 0;
  while (soak.received < soak.frames) {
    /* Alternately sleep and yield: a yield lets main run in the round right
     * after the scheduler woke the readers for new frames, when some of
     * the readers it cancels are woken but have not run yet. */
    mk_result res =
        (++rounds & 1) ? mk_sleep(MK_MSEC(CANCEL_PERIOD_MS)) : mk_yield();
    if (res != MK_OK) return 1;
    uint64_t now = mk_clock_monotonic();
    if (soak.received != last_received) {
      last_received = soak.received;
      last_progress = now;
    } else if (now - last_progress > MK_SEC(soak.stall_s)) {
      printf("soak_netread: no frame for %u s\n", soak.stall_s);
      break;
    }
    if (!soak.received) continue; /* cancel only while frames flow */
    for (int k = 0; k < CANCELS_PER_PERIOD; k++) {
      reader *r = &soak.slots[next_random() % soak.readers];
      cancel_reader(r);
      frames_by_dead += r->frames;
      soak.cancelled++;
      spawn_reader(r);
    }
  }
  uint64_t elapsed = soak.last_ns - soak.first_ns;

  /* The end: cancel every reader (each is blocked in mk_net_read). */
  uint64_t min = UINT64_MAX, max = 0, total = frames_by_dead;
  for (uint32_t i = 0; i < soak.readers; i++) {
    reader *r = &soak.slots[i];
    cancel_reader(r);
    total += r->frames;
    if (r->frames < min) min = r->frames;
    if (r->frames > max) max = r->frames;
  }
  uint32_t missing = 0, first_missing = 0;
  for (uint32_t s = soak.frames; s-- > 0;)
    if (!soak.owner[s]) missing++, first_missing = s;

  printf("soak_netread: %u of %u frames received in %.2f s (first to last) "
         "by %u readers (%llu cancelled and replaced while frames flowed; "
         "frames per live reader at the end: min %llu, max %llu); %llu other "
         "frames ignored\n",
         soak.received, soak.frames, (double)elapsed / 1e9, soak.readers,
         (unsigned long long)soak.cancelled, (unsigned long long)min,
         (unsigned long long)max, (unsigned long long)soak.others);
  printf("soak_netread: duplicates %llu, missing %u%s, out of range %llu, "
         "delivered to cancelled readers %llu, sum of per-reader counts "
         "%llu\n",
         (unsigned long long)soak.duplicates, missing,
         missing ? " (first missing below)" : "",
         (unsigned long long)soak.out_of_range,
         (unsigned long long)soak.to_cancelled, (unsigned long long)total);
  if (missing) printf("soak_netread: first missing: %u\n", first_missing);
  bool once = !soak.duplicates && !missing && !soak.out_of_range &&
              total == soak.frames;
  if (!once) {
    printf("soak_netread: FAIL: frames not delivered exactly once\n");
    return 1;
  }
  printf("soak_netread: every frame delivered exactly once\n");
  if (soak.to_cancelled) {
    printf("soak_netread: FAIL: %llu frames delivered to readers whose "
           "cancellation had been requested\n",
           (unsigned long long)soak.to_cancelled);
    return 1;
  }
  return 0;
}

static bool option(const char *arg, const char *name, uint32_t *out) {
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  char *end;
  unsigned long v = strtoul(arg + n + 1, &end, 10);
  if (!arg[n + 1] || *end || v == 0 || v > UINT32_MAX) {
    printf("soak_netread: bad value: %s\n", arg);
    exit(1);
  }
  *out = (uint32_t)v;
  return true;
}

int mk_main(int argc, char **argv) {
  static const mk_arg devices[] = {MK_NET("service")};
  for (int i = 1; i < argc; i++) {
    if (option(argv[i], "--frames", &soak.frames) ||
        option(argv[i], "--readers", &soak.readers) ||
        option(argv[i], "--stall", &soak.stall_s))
      continue;
    printf("usage: soak_netread --net:service=TAP -- --frames=N "
           "[--readers=R] [--stall=SECONDS]\n");
    return 1;
  }
  if (!soak.frames) {
    printf("soak_netread: --frames=N is required\n");
    return 1;
  }
  if (soak.readers > MAX_READERS) soak.readers = MAX_READERS;
  /* Everything is allocated here, before the devices and the sandbox. */
  soak.owner = calloc(soak.frames, sizeof *soak.owner);
  soak.slots = calloc(soak.readers, sizeof *soak.slots);
  if (!soak.owner || !soak.slots) {
    printf("soak_netread: out of memory\n");
    return 1;
  }
  int status = mk_run(devices, 1, soak_main, NULL, NULL);
  free(soak.owner);
  free(soak.slots);
  return status;
}
