/*
 * test_examples.c: the support code of the example unikernels, tested
 * directly as pure functions: the MD5 of examples/block (RFC 1321 vectors,
 * input in odd-sized pieces) and the ARP/ICMP responder and address parser
 * of examples/ping, including the malformed frames a network can deliver.
 * Checksums are verified with this file's own implementation rather than the
 * responder's, so a bug there cannot hide itself.
 */
#include <stdint.h>

#include "../../examples/block/md5.h"
#include "../../examples/ping/responder.h"
#include "test.h"

/* ---- MD5 ---- */

void test_md5_rfc1321(void) {
  /* RFC 1321, appendix A.5. */
  static const char *const cases[][2] = {
      {"", "d41d8cd98f00b204e9800998ecf8427e"},
      {"a", "0cc175b9c0f1b6a831c399e269772661"},
      {"abc", "900150983cd24fb0d6963f7d28e17f72"},
      {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
      {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
       "d174ab98d277d9f5a5611c2c9f419d9f"},
      {"1234567890123456789012345678901234567890123456789012345678901234567890"
       "1234567890",
       "57edf4a22be3c955ac49da2e2107b67a"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char hex[33];
    md5_hex(cases[i][0], strlen(cases[i][0]), hex);
    ASSERT_STR(hex, cases[i][1]);
  }
}

static void hex_of(const uint8_t digest[16], char out[33]) {
  for (int i = 0; i < 16; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

void test_md5_chunked(void) {
  /* A million 'a' (a well-known vector), fed in pieces of odd sizes that
   * cross the 64-byte block boundary at every offset; then the same input
   * in one piece. */
  enum { LEN = 1000000 };
  static const size_t pieces[] = {1,  3,  7,  13, 55,  56,
                                  57, 63, 64, 65, 127, 999};
  uint8_t *data = malloc(LEN);
  ASSERT(data);
  memset(data, 'a', LEN);
  md5_ctx ctx;
  md5_init(&ctx);
  size_t done = 0;
  for (size_t k = 0; done < LEN; k++) {
    size_t n = pieces[k % (sizeof pieces / sizeof pieces[0])];
    if (n > LEN - done) n = LEN - done;
    md5_update(&ctx, data + done, n);
    md5_update(&ctx, data, 0); /* empty updates change nothing */
    done += n;
  }
  uint8_t digest[16];
  char hex[33], whole[33];
  md5_final(&ctx, digest);
  hex_of(digest, hex);
  ASSERT_STR(hex, "7707d6ae4e027c70eea2a935c2296f21");
  md5_hex(data, LEN, whole);
  ASSERT_STR(whole, hex);
  /* Lengths around the padding boundary (55, 56, 64 bytes) byte by byte. */
  for (size_t len = 0; len <= 130; len++) {
    md5_init(&ctx);
    for (size_t i = 0; i < len; i++) md5_update(&ctx, data + i, 1);
    md5_final(&ctx, digest);
    hex_of(digest, hex);
    md5_hex(data, len, whole);
    ASSERT_STR(hex, whole);
  }
  free(data);
}

/* ---- the ping responder ---- */

static const ping_config config = {
    {0x02, 0x00, 0x00, 0x00, 0x00, 0x02}, {10, 0, 0, 2}, 24};
static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
static const uint8_t peer_ip[4] = {10, 0, 0, 1};

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void wr16(uint8_t *p, unsigned v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

/* RFC 1071, straightforwardly: the one's complement of the one's complement
 * sum of 16-bit words. 0 over a block with a correct checksum field. */
static uint16_t inet_checksum(const uint8_t *p, size_t len) {
  uint64_t sum = 0;
  for (size_t i = 0; i < len; i++) sum += i % 2 ? p[i] : (uint64_t)p[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)(~sum & 0xffff);
}

/* An ARP request from the peer asking who has `target`. 42 bytes. */
static size_t arp_request(uint8_t *f, const uint8_t target[4]) {
  memset(f, 0xff, 6);
  memcpy(f + 6, peer_mac, 6);
  wr16(f + 12, 0x0806);
  wr16(f + 14, 1);
  wr16(f + 16, 0x0800);
  f[18] = 6;
  f[19] = 4;
  wr16(f + 20, 1);
  memcpy(f + 22, peer_mac, 6);
  memcpy(f + 28, peer_ip, 4);
  memset(f + 32, 0, 6);
  memcpy(f + 38, target, 4);
  return 42;
}

/* An echo request from the peer to us, with `optlen` bytes of IP options (a
 * multiple of 4, NOP-filled) and `payload` bytes of payload. */
static size_t echo_request(uint8_t *f, size_t optlen, size_t payload) {
  size_t hlen = 20 + optlen, total = hlen + 8 + payload;
  memcpy(f, config.mac, 6);
  memcpy(f + 6, peer_mac, 6);
  wr16(f + 12, 0x0800);
  uint8_t *ip = f + 14;
  ip[0] = (uint8_t)(0x40 | hlen / 4);
  ip[1] = 0;
  wr16(ip + 2, (unsigned)total);
  wr16(ip + 4, 0x1234);
  wr16(ip + 6, 0x4000); /* don't fragment */
  ip[8] = 64;
  ip[9] = 1;
  wr16(ip + 10, 0);
  memcpy(ip + 12, peer_ip, 4);
  memcpy(ip + 16, config.ipv4, 4);
  memset(ip + 20, 1, optlen); /* NOP options */
  wr16(ip + 10, inet_checksum(ip, hlen));
  uint8_t *icmp = ip + hlen;
  icmp[0] = 8;
  icmp[1] = 0;
  wr16(icmp + 2, 0);
  wr16(icmp + 4, 0xbeef); /* identifier */
  wr16(icmp + 6, 7);      /* sequence number */
  for (size_t i = 0; i < payload; i++) icmp[8 + i] = (uint8_t)(i * 7 + 3);
  wr16(icmp + 2, inet_checksum(icmp, 8 + payload));
  return 14 + total;
}

/* Recomputes the IPv4 header checksum of a frame after an edit. */
static void fix_ip_checksum(uint8_t *f) {
  size_t hlen = (size_t)(f[14] & 15) * 4;
  wr16(f + 24, 0);
  wr16(f + 24, inet_checksum(f + 14, hlen));
}

static size_t respond(const uint8_t *in, size_t len, uint8_t *out,
                      size_t out_size) {
  return ping_respond(&config, in, len, out, out_size);
}

void test_ping_arp_reply(void) {
  static const uint8_t expected[42] = {
      0x02, 0x00, 0x00, 0x00, 0x00, 0x01,              /* to the asker */
      0x02, 0x00, 0x00, 0x00, 0x00, 0x02,              /* from us */
      0x08, 0x06,                                      /* ARP */
      0x00, 0x01, 0x08, 0x00, 6,    4,                 /* Ethernet, IPv4 */
      0x00, 0x02,                                      /* reply */
      0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 10, 0, 0, 2, /* we have 10.0.0.2 */
      0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 0, 1, /* said to the asker */
  };
  uint8_t in[64], out[64];
  size_t len = arp_request(in, config.ipv4);
  ASSERT_INT(respond(in, len, out, sizeof out), 42);
  ASSERT(!memcmp(out, expected, 42));
  /* Also when sent to our MAC rather than broadcast, and with padding. */
  memcpy(in, config.mac, 6);
  memset(in + len, 0, 60 - len);
  ASSERT_INT(respond(in, 60, out, sizeof out), 42);
  ASSERT(!memcmp(out, expected, 42));
  /* A reply that does not fit is not written. */
  ASSERT_INT(respond(in, len, out, 41), 0);
}

void test_ping_arp_ignored(void) {
  static const uint8_t other[4] = {10, 0, 0, 3};
  uint8_t in[64], out[64];
  size_t len = arp_request(in, other);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  /* An ARP reply, not a request. */
  len = arp_request(in, config.ipv4);
  wr16(in + 20, 2);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  /* Another hardware type, protocol type, or address size (byte offsets in
   * the frame of the low byte of each field). */
  static const size_t fields[] = {15, 17, 18, 19};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    arp_request(in, config.ipv4);
    in[fields[i]] ^= 0x10;
    ASSERT_INT(respond(in, len, out, sizeof out), 0);
  }
  /* Sent to another host's MAC. */
  arp_request(in, config.ipv4);
  memcpy(in, peer_mac, 6);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  /* Asked by a group address. */
  arp_request(in, config.ipv4);
  in[22] |= 1;
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
}

/* Checks that `out` is the reply to echo request `in`: addresses swapped,
 * both checksums right, identifier, sequence and payload copied. */
static void check_echo_reply(const uint8_t *in, const uint8_t *out,
                             size_t out_len) {
  const uint8_t *ip = in + 14, *rip = out + 14;
  size_t hlen = (size_t)(ip[0] & 15) * 4;
  size_t icmp_len = rd16(ip + 2) - hlen;
  ASSERT_INT(out_len, 14 + 20 + icmp_len);
  ASSERT(!memcmp(out, peer_mac, 6));
  ASSERT(!memcmp(out + 6, config.mac, 6));
  ASSERT_INT(rd16(out + 12), 0x0800);
  ASSERT_INT(rip[0], 0x45);
  ASSERT_INT(rd16(rip + 2), 20 + icmp_len);
  ASSERT_INT(rd16(rip + 6) & 0x3fff, 0); /* not a fragment */
  ASSERT(rip[8] > 0);
  ASSERT_INT(rip[9], 1);
  ASSERT(!memcmp(rip + 12, config.ipv4, 4));
  ASSERT(!memcmp(rip + 16, peer_ip, 4));
  ASSERT_INT(inet_checksum(rip, 20), 0);
  const uint8_t *icmp = ip + hlen, *ricmp = rip + 20;
  ASSERT_INT(ricmp[0], 0);
  ASSERT_INT(ricmp[1], 0);
  ASSERT_INT(inet_checksum(ricmp, icmp_len), 0);
  ASSERT(!memcmp(ricmp + 4, icmp + 4, icmp_len - 4));
}

void test_ping_echo_reply(void) {
  static const size_t payloads[] = {0, 1, 56, 57, 1472};
  uint8_t in[1514], out[1514];
  for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++) {
    size_t len = echo_request(in, 0, payloads[i]);
    size_t n = respond(in, len, out, sizeof out);
    ASSERT(n > 0);
    check_echo_reply(in, out, n);
    /* The reply needs exactly its own length of buffer. */
    ASSERT_INT(respond(in, len, out, n), n);
    ASSERT_INT(respond(in, len, out, n - 1), 0);
  }
  /* Ethernet padding after the datagram is not echoed. */
  size_t len = echo_request(in, 0, 4);
  memset(in + len, 0xee, 60 - len);
  size_t n = respond(in, 60, out, sizeof out);
  ASSERT_INT(n, len);
  check_echo_reply(in, out, n);
}

void test_ping_bad_checksums_ignored(void) {
  uint8_t in[128], out[128];
  size_t len = echo_request(in, 0, 32);
  in[24] ^= 1; /* IPv4 header checksum */
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  len = echo_request(in, 0, 32);
  in[14 + 20 + 2] ^= 1; /* ICMP checksum */
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  len = echo_request(in, 0, 32);
  in[len - 1] ^= 0x40; /* payload, so the ICMP checksum no longer matches */
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
}

void test_ping_truncated_ignored(void) {
  /* Every prefix of a valid request, in a buffer of exactly that size so
   * that AddressSanitizer sees any read past its end. */
  uint8_t out[128];
  size_t lens[2];
  uint8_t frames[2][128];
  lens[0] = arp_request(frames[0], config.ipv4);
  lens[1] = echo_request(frames[1], 8, 24);
  for (int k = 0; k < 2; k++) {
    ASSERT(respond(frames[k], lens[k], out, sizeof out) > 0);
    for (size_t n = 0; n < lens[k]; n++) {
      uint8_t *in = malloc(n ? n : 1);
      ASSERT(in);
      memcpy(in, frames[k], n);
      ASSERT_INT(respond(in, n, out, sizeof out), 0);
      free(in);
    }
  }
}

void test_ping_ip_options(void) {
  /* Options are accepted and not copied: the reply has a 20-byte header and
   * the same ICMP message, whatever the options' length (up to 40 bytes). */
  uint8_t in[256], out[256];
  for (size_t optlen = 0; optlen <= 40; optlen += 4) {
    size_t len = echo_request(in, optlen, 16);
    size_t n = respond(in, len, out, sizeof out);
    ASSERT_INT(n, len - optlen);
    check_echo_reply(in, out, n);
  }
  /* A header length below 20 bytes, or past the datagram's end. */
  size_t len = echo_request(in, 0, 16);
  in[14] = 0x44;
  fix_ip_checksum(in);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  len = echo_request(in, 0, 0);
  in[14] = 0x4f; /* 60 bytes of header in a 28-byte datagram */
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
}

void test_ping_non_echo_ignored(void) {
  uint8_t in[128], out[128];
  size_t len = echo_request(in, 0, 8);
  ASSERT(respond(in, len, out, sizeof out) > 0);
  /* An echo reply, a destination unreachable, an echo with another code. */
  static const uint8_t type_code[][2] = {{0, 0}, {3, 1}, {8, 1}};
  for (size_t i = 0; i < sizeof type_code / sizeof type_code[0]; i++) {
    len = echo_request(in, 0, 8);
    in[34] = type_code[i][0];
    in[35] = type_code[i][1];
    wr16(in + 36, 0);
    wr16(in + 36, inet_checksum(in + 34, 16));
    ASSERT_INT(respond(in, len, out, sizeof out), 0);
  }
  /* Another IP protocol (UDP). */
  len = echo_request(in, 0, 8);
  in[23] = 17;
  fix_ip_checksum(in);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
}

void test_ping_odd_frames_ignored(void) {
  uint8_t in[128], out[128];
  size_t len;
  /* Fragments: more-fragments set, or a non-zero offset. */
  static const unsigned frag[] = {0x2000, 0x0001, 0x00b9};
  for (size_t i = 0; i < sizeof frag / sizeof frag[0]; i++) {
    len = echo_request(in, 0, 8);
    wr16(in + 20, frag[i]);
    fix_ip_checksum(in);
    ASSERT_INT(respond(in, len, out, sizeof out), 0);
  }
  /* Total length past the frame's end; too short for an ICMP header. */
  len = echo_request(in, 0, 8);
  wr16(in + 16, rd16(in + 16) + 1);
  fix_ip_checksum(in);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  len = echo_request(in, 0, 8);
  wr16(in + 16, 27);
  fix_ip_checksum(in);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  /* IPv6 in the version field. */
  len = echo_request(in, 0, 8);
  in[14] = 0x65;
  fix_ip_checksum(in);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  /* A VLAN tag in front of a valid request. */
  len = echo_request(in, 0, 8);
  memmove(in + 16, in + 12, len - 12);
  wr16(in + 12, 0x8100);
  wr16(in + 14, 5);
  ASSERT_INT(respond(in, len + 4, out, sizeof out), 0);
  /* Broadcast and multicast destinations, at the Ethernet or IP level. */
  len = echo_request(in, 0, 8);
  memset(in, 0xff, 6);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  static const uint8_t group_ips[][4] = {
      {10, 0, 0, 255}, {255, 255, 255, 255}, {224, 0, 0, 1}, {10, 0, 0, 3}};
  for (size_t i = 0; i < sizeof group_ips / sizeof group_ips[0]; i++) {
    len = echo_request(in, 0, 8);
    memcpy(in + 30, group_ips[i], 4);
    fix_ip_checksum(in);
    ASSERT_INT(respond(in, len, out, sizeof out), 0);
  }
  /* Sources that cannot be answered: group MAC, broadcast or zero IP. */
  len = echo_request(in, 0, 8);
  in[6] |= 1;
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  static const uint8_t bad_src[][4] = {
      {10, 0, 0, 255}, {0, 0, 0, 0}, {255, 255, 255, 255}, {127, 0, 0, 1}};
  for (size_t i = 0; i < sizeof bad_src / sizeof bad_src[0]; i++) {
    len = echo_request(in, 0, 8);
    memcpy(in + 26, bad_src[i], 4);
    fix_ip_checksum(in);
    ASSERT_INT(respond(in, len, out, sizeof out), 0);
  }
  /* Unknown EtherType; NULL buffers. */
  len = echo_request(in, 0, 8);
  wr16(in + 12, 0x86dd);
  ASSERT_INT(respond(in, len, out, sizeof out), 0);
  len = echo_request(in, 0, 8);
  ASSERT_INT(respond(NULL, len, out, sizeof out), 0);
  ASSERT_INT(respond(in, len, NULL, sizeof out), 0);
}

void test_ping_mutations(void) {
  /* A small deterministic fuzzer: random edits and lengths of valid
   * requests, in exactly-sized heap buffers (for AddressSanitizer). Any
   * reply must fit the buffer and be a well-formed ARP or echo reply. */
  uint8_t base[2][128];
  size_t base_len[2] = {arp_request(base[0], config.ipv4),
                        echo_request(base[1], 4, 40)};
  uint64_t seed = 0x9e3779b97f4a7c15u;
  for (int iter = 0; iter < 50000; iter++) {
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    uint64_t r = seed >> 11;
    int k = (int)(r & 1);
    /* Half the lengths are whole frames (maybe padded), half anything. */
    size_t len = (size_t)((r >> 1) % (base_len[k] + 9));
    if (r & 2) len = base_len[k] + len % 9;
    size_t out_size = (size_t)((r >> 9) % (base_len[k] + 9));
    if (r & 4) out_size = 256;
    uint8_t *in = malloc(len ? len : 1), *out = malloc(out_size ? out_size : 1);
    ASSERT(in && out);
    for (size_t i = 0; i < len; i++)
      in[i] = i < base_len[k] ? base[k][i] : (uint8_t)(r >> (i % 32));
    int edits = (int)((r >> 17) % 4);
    for (int e = 0; e < edits && len; e++)
      in[(r >> (24 + 8 * e)) % len] ^= (uint8_t)(1u << ((r >> (20 + e)) & 7));
    size_t n = respond(in, len, out, out_size);
    ASSERT(n <= out_size);
    if (n) {
      ASSERT(n >= 42);
      if (rd16(out + 12) == 0x0800) {
        ASSERT_INT(inet_checksum(out + 14, 20), 0);
        ASSERT_INT(inet_checksum(out + 34, n - 34), 0);
      } else {
        ASSERT_INT(rd16(out + 12), 0x0806);
      }
    }
    free(in);
    free(out);
  }
}

void test_ping_parse_ipv4(void) {
  uint8_t ip[4];
  unsigned prefix;
  ASSERT(ping_parse_ipv4("10.0.0.2/24", ip, &prefix));
  ASSERT(ip[0] == 10 && ip[1] == 0 && ip[2] == 0 && ip[3] == 2);
  ASSERT_INT(prefix, 24);
  ASSERT(ping_parse_ipv4("192.168.255.254/16", ip, &prefix));
  ASSERT(ip[0] == 192 && ip[1] == 168 && ip[2] == 255 && ip[3] == 254);
  ASSERT_INT(prefix, 16);
  ASSERT(ping_parse_ipv4("10.0.0.255/32", ip, &prefix)); /* /32: no broadcast */
  ASSERT(ping_parse_ipv4("10.0.0.0/31", ip, &prefix));   /* RFC 3021 */
  ASSERT(ping_parse_ipv4("1.2.3.4/0", ip, &prefix));
  static const char *const bad[] = {
      "10.0.0.256/24",
      "10.0.0.2",
      "10.0.0.2/33",
      "a.b.c.d/8",
      "",
      "10.0.0.2/",
      "10.0.0/24",
      "10.0.0.2.1/24",
      "010.0.0.2/24",
      "10.0.0.2/08",
      "10.0.0.2/24 ",
      " 10.0.0.2/24",
      "10.0.0.2/24x",
      "10..0.2/24",
      "-1.0.0.2/24",
      "10.0.0.1000/24",
      "10.0.0.0/24",
      "10.0.0.255/24",
      "0.0.0.0/0",
      "224.0.0.1/4",
      "127.0.0.1/8",
      "255.255.255.255/32",
      "10.0.0.2/100",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    if (ping_parse_ipv4(bad[i], ip, &prefix))
      test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
  }
  ASSERT(!ping_parse_ipv4(NULL, ip, &prefix));
}
