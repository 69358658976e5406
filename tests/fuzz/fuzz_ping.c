/*
 * fuzz_ping.c: libFuzzer harness for the ping example's frame handling,
 * ping_respond() (examples/ping/responder.c).
 *
 * Input: one control byte, then the Ethernet frame as it came off the wire.
 * The control byte picks the prefix length of our address and the size of
 * the output buffer (the full 1514 bytes, or something small, to exercise
 * the output bound). Frame and output buffer are heap blocks of their exact
 * size, so AddressSanitizer catches a read or write one byte outside them.
 *
 * A reply, when there is one, is checked field by field against the request
 * it answers: length bounds, addresses, and valid IPv4 and ICMP checksums,
 * recomputed here independently of the responder. In the other direction, a
 * conservative subset of the frames that must be answered (a well-formed
 * ARP request for our address, a plain echo request from a neighbour) is
 * recognised here and must get a reply. Any violation aborts, which
 * libFuzzer reports as a crash with the input saved.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "responder.h"

#define FRAME_MAX 1514 /* MTU 1500 + Ethernet header */

static const uint8_t our_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t our_ip[4] = {10, 0, 0, 2};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

#define CHECK(c)                                                               \
  do {                                                                         \
    if (!(c)) {                                                                \
      fprintf(stderr, "fuzz_ping: check failed at %s:%d: %s\n", __FILE__,      \
              __LINE__, #c);                                                   \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static unsigned get16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

/* RFC 1071, written independently of the responder's. 0 when the block
 * contains a right checksum. */
static unsigned inet_sum(const uint8_t *p, size_t len) {
  unsigned long sum = 0;
  for (size_t i = 0; i + 1 < len; i += 2) sum += get16(p + i);
  if (len & 1) sum += (unsigned long)p[len - 1] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (unsigned)(~sum & 0xffff);
}

/* The prefix length for this input: /24 mostly, sometimes /31, /32, /8. */
static unsigned prefix_of(uint8_t control) {
  static const unsigned prefixes[] = {24, 24, 24, 24, 31, 32, 8, 30};
  return prefixes[control & 7];
}

/* The output buffer size: the full frame mostly, else small. */
static size_t out_size_of(uint8_t control) {
  unsigned sel = control >> 3;
  if (sel < 24) return FRAME_MAX;
  return (size_t)(sel - 24) * 10; /* 0, 10, ..., 70: around ARP's 42 */
}

/* A well-formed ARP request for our address that must be answered. */
static bool must_answer_arp(const uint8_t *f, size_t len, size_t out_size) {
  if (len < 42 || out_size < 42 || get16(f + 12) != 0x0806) return false;
  const uint8_t *a = f + 14;
  return (!memcmp(f, bcast, 6) || !memcmp(f, our_mac, 6)) && get16(a) == 1 &&
         get16(a + 2) == 0x0800 && a[4] == 6 && a[5] == 4 &&
         get16(a + 6) == 1 && !(a[8] & 1) && !memcmp(a + 24, our_ip, 4);
}

/* A plain echo request (no IP options, not fragmented, no padding) to us
 * from 10.0.0.1, with right checksums, that must be answered on a /24. */
static bool must_answer_echo(const uint8_t *f, size_t len, size_t out_size,
                             unsigned prefix) {
  if (prefix != 24 || len < 14 + 28 || out_size < len) return false;
  const uint8_t *ip = f + 14;
  static const uint8_t peer[4] = {10, 0, 0, 1};
  return get16(f + 12) == 0x0800 && !memcmp(f, our_mac, 6) && !(f[6] & 1) &&
         ip[0] == 0x45 && get16(ip + 2) == len - 14 &&
         (get16(ip + 6) & 0x3fff) == 0 && ip[9] == 1 &&
         !memcmp(ip + 12, peer, 4) && !memcmp(ip + 16, our_ip, 4) &&
         inet_sum(ip, 20) == 0 && ip[20] == 8 && ip[21] == 0 &&
         inet_sum(ip + 20, len - 34) == 0;
}

static void check_arp_reply(const uint8_t *in, size_t len, const uint8_t *out,
                            size_t n) {
  CHECK(n == 42);
  CHECK(len >= 42 && get16(in + 12) == 0x0806);
  const uint8_t *q = in + 14, *r = out + 14;
  CHECK(get16(q + 6) == 1);                           /* it was a request */
  CHECK(!memcmp(q + 24, our_ip, 4));                  /* for our address */
  CHECK(!memcmp(out, q + 8, 6));                      /* to whoever asked */
  CHECK(!(out[0] & 1));                               /* a unicast address */
  CHECK(!memcmp(out + 6, our_mac, 6));                /* from us */
  CHECK(get16(r) == 1 && get16(r + 2) == 0x0800);     /* Ethernet, IPv4 */
  CHECK(r[4] == 6 && r[5] == 4 && get16(r + 6) == 2); /* a reply */
  CHECK(!memcmp(r + 8, our_mac, 6) && !memcmp(r + 14, our_ip, 4));
  CHECK(!memcmp(r + 18, q + 8, 6) && !memcmp(r + 24, q + 14, 4));
}

static void check_echo_reply(const uint8_t *in, size_t len, const uint8_t *out,
                             size_t n) {
  CHECK(n >= 14 + 20 + 8);
  CHECK(len >= 14 + 20 && get16(in + 12) == 0x0800);
  const uint8_t *q = in + 14, *r = out + 14;
  size_t qhlen = (size_t)(q[0] & 15) * 4, qtotal = get16(q + 2);
  CHECK(q[0] >> 4 == 4 && qhlen >= 20 && qtotal <= len - 14);
  CHECK(inet_sum(q, qhlen) == 0);    /* request's header was right */
  CHECK(!memcmp(in, our_mac, 6));    /* sent to our MAC */
  CHECK(!memcmp(q + 16, our_ip, 4)); /* and our address */
  CHECK(q[9] == 1 && q[qhlen] == 8); /* an ICMP echo request */
  CHECK(inet_sum(q + qhlen, qtotal - qhlen) == 0);
  CHECK(!memcmp(out, in + 6, 6) && !memcmp(out + 6, our_mac, 6));
  CHECK(r[0] == 0x45);           /* plain 20-byte header */
  CHECK(get16(r + 2) == n - 14); /* total length is exact */
  CHECK((get16(r + 6) & 0x3fff) == 0 && r[8] != 0 && r[9] == 1);
  CHECK(!memcmp(r + 12, our_ip, 4) && !memcmp(r + 16, q + 12, 4));
  CHECK(inet_sum(r, 20) == 0); /* header checksum */
  const uint8_t *icmp = r + 20;
  size_t icmp_len = n - 34;
  CHECK(icmp_len == qtotal - qhlen);    /* the whole echo comes back */
  CHECK(icmp[0] == 0 && icmp[1] == 0);  /* echo reply */
  CHECK(inet_sum(icmp, icmp_len) == 0); /* ICMP checksum */
  CHECK(!memcmp(icmp + 4, q + qhlen + 4, icmp_len - 4)); /* id, seq, data */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint8_t control = data[0];
  size_t len = size - 1;
  ping_config cfg;
  memcpy(cfg.mac, our_mac, 6);
  memcpy(cfg.ipv4, our_ip, 4);
  cfg.prefix = prefix_of(control);

  /* Exact-size copies: ASan sees any access past either end. malloc(0)
   * may return NULL, which the responder must also survive. */
  uint8_t *in = malloc(len ? len : 1);
  size_t out_size = out_size_of(control);
  uint8_t *out = malloc(out_size ? out_size : 1);
  CHECK(in && out);
  memcpy(in, data + 1, len);

  size_t n = ping_respond(&cfg, in, len, out, out_size);
  CHECK(n <= out_size);
  CHECK(n <= len); /* never longer than the request */
  if (n) {
    unsigned type = get16(out + 12);
    CHECK(type == 0x0806 || type == 0x0800);
    if (type == 0x0806)
      check_arp_reply(in, len, out, n);
    else
      check_echo_reply(in, len, out, n);
    /* Deterministic: the same frame gets the same answer. */
    uint8_t *again = malloc(out_size);
    CHECK(again);
    CHECK(ping_respond(&cfg, in, len, again, out_size) == n);
    CHECK(!memcmp(out, again, n));
    free(again);
  } else {
    CHECK(!must_answer_arp(in, len, out_size));
    CHECK(!must_answer_echo(in, len, out_size, cfg.prefix));
  }
  free(in);
  free(out);
  return 0;
}
