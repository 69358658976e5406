/*
 * responder.h: the frame logic of the ping unikernel, as pure functions of
 * bytes so that it can be unit-tested and fuzzed without a network: answer
 * ARP requests for our IPv4 address and ICMP echo requests sent to it,
 * ignore everything else. Depends on nothing but the C standard library.
 */
#ifndef MK_EXAMPLE_RESPONDER_H
#define MK_EXAMPLE_RESPONDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ping_config {
  uint8_t mac[6];  /* our MAC address */
  uint8_t ipv4[4]; /* our IPv4 address, network order */
  unsigned prefix; /* length of the network prefix, 0 to 32 */
} ping_config;

/* Parses "A.B.C.D/PREFIX" (decimal, no leading zeros, no spaces, prefix 0
 * to 32) into `ipv4` and `prefix`. Also rejects what cannot be a host's own
 * address: 0.0.0.0/8, 127.0.0.0/8, multicast and reserved addresses
 * (224.0.0.0 and up), and, for prefixes up to /30, the network and
 * broadcast addresses of the subnet. Returns false, leaving the outputs
 * unspecified, on any error. */
bool ping_parse_ipv4(const char *text, uint8_t ipv4[4], unsigned *prefix);

/* Looks at the Ethernet frame in[0..len) and, if it calls for an answer,
 * writes the reply frame into out[0..out_size) and returns its length;
 * otherwise returns 0 and `out` holds nothing useful. A reply is either an
 * ARP reply (EtherType 0x0806) or an ICMP echo reply (EtherType 0x0800).
 * Answered:
 *   - ARP requests (Ethernet/IPv4) asking for cfg->ipv4, sent to the
 *     broadcast address or to our MAC;
 *   - ICMP echo requests to cfg->ipv4 and our MAC, from a unicast peer, with
 *     valid IPv4 and ICMP checksums, not fragmented. IP options are accepted
 *     and not copied: the reply has a plain 20-byte header.
 * Everything else is ignored, including VLAN-tagged frames. Every length and
 * field is checked: no input makes it read outside in[0..len) or write
 * outside out[0..out_size). `in` and `out` must not overlap. */
size_t ping_respond(const ping_config *cfg, const uint8_t *in, size_t len,
                    uint8_t *out, size_t out_size);

#endif
