/*
 * responder.c: ARP and ICMP echo answers for the ping unikernel. The input
 * is whatever arrived on the wire, so every field is checked before it is
 * trusted, and every read and write is bounded by an explicit length (the
 * responder is fuzzed). Multi-byte fields are read and written byte by byte
 * in network order, so the code does not depend on alignment or endianness.
 */
#include "responder.h"

#include <string.h>

#define ETH_HLEN 14
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_ARP 0x0806
#define ARP_LEN 28 /* Ethernet/IPv4 ARP payload */
#define IP_HLEN 20 /* without options */
#define IP_PROTO_ICMP 1
#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

static const uint8_t broadcast_mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

static uint16_t get16(const uint8_t *p) {
  return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

/* The Internet checksum (RFC 1071) of p[0..len). Over a block that contains
 * its own checksum field it is 0 when that field is right. `len` is at most
 * 65535, so the 32-bit sum cannot overflow before folding. */
static uint16_t checksum(const uint8_t *p, size_t len) {
  uint32_t sum = 0;
  for (; len >= 2; p += 2, len -= 2) sum += get16(p);
  if (len) sum += (uint32_t)p[0] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

static uint32_t netmask(unsigned prefix) {
  return prefix == 0 ? 0 : UINT32_MAX << (32 - prefix);
}

/* Addresses that are never a host's own on the wire, whatever the subnet. */
static bool special_ipv4(uint32_t ip) {
  uint8_t first = (uint8_t)(ip >> 24);
  return first == 0 || first == 127 || first >= 224;
}

/* The network or broadcast address of our subnet, when it has them (/31 and
 * /32 do not, RFC 3021). */
static bool subnet_edge(uint32_t ip, uint32_t net_ip, unsigned prefix) {
  uint32_t mask = netmask(prefix);
  if (prefix > 30 || (ip & mask) != (net_ip & mask)) return false;
  return (ip & ~mask) == 0 || (ip & ~mask) == ~mask;
}

/* Parses a decimal number of 1 to `max_digits` digits, no leading zero,
 * at most `max`; advances *s past it. */
static bool parse_decimal(const char **s, unsigned max_digits, unsigned max,
                          unsigned *out) {
  const char *p = *s;
  unsigned v = 0, n = 0;
  while (*p >= '0' && *p <= '9' && n < max_digits) {
    v = v * 10 + (unsigned)(*p - '0');
    p++;
    n++;
  }
  if (n == 0 || (n > 1 && **s == '0') || v > max) return false;
  if (*p >= '0' && *p <= '9') return false; /* too many digits */
  *s = p;
  *out = v;
  return true;
}

bool ping_parse_ipv4(const char *text, uint8_t ipv4[4], unsigned *prefix) {
  if (!text) return false;
  const char *p = text;
  for (int i = 0; i < 4; i++) {
    unsigned octet;
    if (!parse_decimal(&p, 3, 255, &octet)) return false;
    ipv4[i] = (uint8_t)octet;
    if (*p++ != (i < 3 ? '.' : '/')) return false;
  }
  if (!parse_decimal(&p, 2, 32, prefix) || *p != '\0') return false;
  uint32_t ip = get32(ipv4);
  return !special_ipv4(ip) && !subnet_edge(ip, ip, *prefix);
}

static size_t arp_reply(const ping_config *cfg, const uint8_t *in, size_t len,
                        uint8_t *out, size_t out_size) {
  if (len < ETH_HLEN + ARP_LEN || out_size < ETH_HLEN + ARP_LEN) return 0;
  if (memcmp(in, broadcast_mac, 6) != 0 && memcmp(in, cfg->mac, 6) != 0)
    return 0;
  const uint8_t *arp = in + ETH_HLEN;
  /* Ethernet hardware, IPv4 protocol, their address sizes, a request. */
  if (get16(arp) != 1 || get16(arp + 2) != ETH_TYPE_IPV4 || arp[4] != 6 ||
      arp[5] != 4 || get16(arp + 6) != 1)
    return 0;
  const uint8_t *sha = arp + 8, *spa = arp + 14, *tpa = arp + 24;
  if (memcmp(tpa, cfg->ipv4, 4) != 0) return 0;
  if (sha[0] & 1) return 0; /* a group address cannot have asked */

  memcpy(out, sha, 6);
  memcpy(out + 6, cfg->mac, 6);
  put16(out + 12, ETH_TYPE_ARP);
  uint8_t *rep = out + ETH_HLEN;
  put16(rep, 1);
  put16(rep + 2, ETH_TYPE_IPV4);
  rep[4] = 6;
  rep[5] = 4;
  put16(rep + 6, 2); /* reply */
  memcpy(rep + 8, cfg->mac, 6);
  memcpy(rep + 14, cfg->ipv4, 4);
  memcpy(rep + 18, sha, 6);
  memcpy(rep + 24, spa, 4);
  return ETH_HLEN + ARP_LEN;
}

static size_t echo_reply(const ping_config *cfg, const uint8_t *in, size_t len,
                         uint8_t *out, size_t out_size) {
  if (len < ETH_HLEN + IP_HLEN) return 0;
  /* Only frames for our MAC: a broadcast or multicast echo is ignored. */
  if (memcmp(in, cfg->mac, 6) != 0 || (in[6] & 1)) return 0;

  const uint8_t *ip = in + ETH_HLEN;
  size_t avail = len - ETH_HLEN;
  if (ip[0] >> 4 != 4) return 0;
  size_t hlen = (size_t)(ip[0] & 15) * 4;
  if (hlen < IP_HLEN || hlen > avail) return 0;
  if (checksum(ip, hlen) != 0) return 0;
  /* The frame may be padded past the datagram, never the other way. */
  size_t total = get16(ip + 2);
  if (total < hlen + ICMP_HLEN || total > avail) return 0;
  if (get16(ip + 6) & 0x3fff) return 0; /* more fragments, or an offset */
  if (ip[9] != IP_PROTO_ICMP) return 0;
  if (memcmp(ip + 16, cfg->ipv4, 4) != 0) return 0;
  uint32_t src = get32(ip + 12);
  if (special_ipv4(src) || subnet_edge(src, get32(cfg->ipv4), cfg->prefix))
    return 0;

  const uint8_t *icmp = ip + hlen;
  size_t icmp_len = total - hlen;
  if (icmp[0] != ICMP_ECHO_REQUEST || icmp[1] != 0) return 0;
  if (checksum(icmp, icmp_len) != 0) return 0;
  if (out_size < ETH_HLEN + IP_HLEN || out_size - ETH_HLEN - IP_HLEN < icmp_len)
    return 0;

  memcpy(out, in + 6, 6);
  memcpy(out + 6, cfg->mac, 6);
  put16(out + 12, ETH_TYPE_IPV4);
  uint8_t *rip = out + ETH_HLEN;
  rip[0] = 0x45; /* version 4, no options */
  rip[1] = ip[1];
  put16(rip + 2, (uint16_t)(IP_HLEN + icmp_len));
  memcpy(rip + 4, ip + 4, 2); /* identification */
  put16(rip + 6, 0);
  rip[8] = 64; /* TTL */
  rip[9] = IP_PROTO_ICMP;
  put16(rip + 10, 0);
  memcpy(rip + 12, cfg->ipv4, 4);
  memcpy(rip + 16, ip + 12, 4);
  put16(rip + 10, checksum(rip, IP_HLEN));

  uint8_t *ricmp = rip + IP_HLEN;
  memcpy(ricmp, icmp, icmp_len); /* identifier, sequence number, payload */
  ricmp[0] = ICMP_ECHO_REPLY;
  put16(ricmp + 2, 0);
  put16(ricmp + 2, checksum(ricmp, icmp_len));
  return ETH_HLEN + IP_HLEN + icmp_len;
}

size_t ping_respond(const ping_config *cfg, const uint8_t *in, size_t len,
                    uint8_t *out, size_t out_size) {
  if (!cfg || !in || !out || len < ETH_HLEN) return 0;
  switch (get16(in + 12)) {
  case ETH_TYPE_ARP:
    return arp_reply(cfg, in, len, out, out_size);
  case ETH_TYPE_IPV4:
    return echo_reply(cfg, in, len, out, out_size);
  default:
    return 0; /* including 802.1Q VLAN tags (0x8100) */
  }
}
