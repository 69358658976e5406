/*
 * ping.c: a unikernel that answers ping. It owns the IPv4 address given on
 * its command line on the net device "service", replies to ARP requests for
 * that address and to ICMP echo requests sent to it, and ignores every other
 * frame. The frame logic is in responder.c; this file only reads frames,
 * hands them over and writes the replies.
 *
 *   ./ping --net:service=tap0 -- --ipv4=10.0.0.2/24 [--count=N]
 *
 * With --count=N it exits (status 0) after answering N echo requests;
 * otherwise it runs until it is killed.
 */
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "responder.h"

typedef struct ping_args {
  int argc;
  char **argv;
} ping_args;

/* If argv[*i] is option `name` (e.g. "--ipv4"), given as `--ipv4=VALUE` or
 * `--ipv4 VALUE`, stores its value, moves *i past it and returns 1; returns
 * 0 for another argument; -1 (after a message) if the value is missing or
 * the option repeated. */
static int take_option(const char *name, int argc, char **argv, int *i,
                       const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '=')) return 0;
  if (*value) {
    printf("ping: option %s given twice\n", name);
    return -1;
  }
  if (arg[n] == '=') {
    *value = arg + n + 1;
  } else if (*i + 1 < argc) {
    *value = argv[++*i];
  } else {
    printf("ping: option %s needs a value\n", name);
    return -1;
  }
  return 1;
}

/* A positive decimal count without overflow. */
static bool parse_count(const char *s, uint64_t *count) {
  uint64_t v = 0;
  if (!*s) return false;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    unsigned digit = (unsigned)(*s - '0');
    if (v > (UINT64_MAX - digit) / 10) return false;
    v = v * 10 + digit;
  }
  *count = v;
  return v > 0;
}

/* Fills `cfg` (but its MAC) and `count` from the arguments; 0 for "no
 * limit". Prints what is wrong and returns false on error. */
static bool parse_args(const ping_args *a, ping_config *cfg, uint64_t *count) {
  const char *ipv4 = NULL, *count_text = NULL;
  for (int i = 1; i < a->argc; i++) {
    int r = take_option("--ipv4", a->argc, a->argv, &i, &ipv4);
    if (r == 0) r = take_option("--count", a->argc, a->argv, &i, &count_text);
    if (r < 0) return false;
    if (r == 0) {
      printf("ping: unknown argument \"%s\" (usage: ping "
             "--ipv4=A.B.C.D/PREFIX [--count=N])\n",
             a->argv[i]);
      return false;
    }
  }
  if (!ipv4) {
    puts("ping: missing --ipv4=A.B.C.D/PREFIX (e.g. --ipv4=10.0.0.2/24)");
    return false;
  }
  if (!ping_parse_ipv4(ipv4, cfg->ipv4, &cfg->prefix)) {
    printf("ping: bad --ipv4 \"%s\": expected a host address and a prefix "
           "length A.B.C.D/PREFIX, e.g. 10.0.0.2/24\n",
           ipv4);
    return false;
  }
  *count = 0;
  if (count_text && !parse_count(count_text, count)) {
    printf("ping: bad --count \"%s\": expected a positive number\n",
           count_text);
    return false;
  }
  return true;
}

/* Answers frames until `count` echo requests have been answered (forever if
 * 0). Returns the exit status. */
static int serve(mk_net *net, const ping_config *cfg, uint64_t count,
                 uint8_t *in, uint8_t *out, size_t size) {
  uint64_t answered = 0;
  while (count == 0 || answered < count) {
    size_t len;
    mk_result r = mk_net_read(net, in, size, &len);
    if (r != MK_OK) {
      printf("ping: reading from %s: %s\n", mk_net_name(net),
             mk_result_name(r));
      return 1;
    }
    size_t reply = ping_respond(cfg, in, len, out, size);
    if (reply == 0) continue;
    r = mk_net_write(net, out, reply);
    if (r != MK_OK) {
      printf("ping: writing to %s: %s\n", mk_net_name(net), mk_result_name(r));
      return 1;
    }
    /* Replies are ARP (0x0806) or echo replies (0x0800): count the latter. */
    if (out[12] == 0x08 && out[13] == 0x00) answered++;
  }
  return 0;
}

static int ping_main(void *const *values, void *ctx) {
  mk_net *net = values[0];
  ping_config cfg;
  uint64_t count;
  if (!parse_args(ctx, &cfg, &count)) return 1;

  const mk_net_info *info = mk_net_get_info(net);
  memcpy(cfg.mac, info->mac, sizeof cfg.mac);
  /* The largest frame the device can deliver, so mk_net_read never refuses
   * one; replies are never longer than the request (ARP: 42 bytes). */
  size_t size = info->mtu + MK_NET_HLEN;
  uint8_t *in = malloc(size), *out = malloc(size);
  if (!in || !out) {
    puts("ping: out of memory");
    free(in);
    free(out);
    return 1;
  }
  const uint8_t *ip = cfg.ipv4, *mac = cfg.mac;
  printf("ping: %u.%u.%u.%u/%u on %s (MAC %02x:%02x:%02x:%02x:%02x:%02x)\n",
         ip[0], ip[1], ip[2], ip[3], cfg.prefix, mk_net_name(net), mac[0],
         mac[1], mac[2], mac[3], mac[4], mac[5]);
  int status = serve(net, &cfg, count, in, out, size);
  free(in);
  free(out);
  return status;
}

int mk_main(int argc, char **argv) {
  ping_args args = {argc, argv};
  /* The arguments are checked inside the run, not here, so that manifest
   * mode (which runs nothing and gets no --ipv4) works. */
  static const mk_arg devices[] = {MK_NET("service")};
  return mk_run(devices, 1, ping_main, &args, NULL);
}
