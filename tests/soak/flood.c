/*
 * flood.c: the sender of the net soak test (tests/soak/run.sh), run as root
 * in the network namespace that holds the unikernel's TAP interface.
 *
 *   flood IFACE DST_MAC N [WINDOW]
 *
 * Sends N numbered frames (EtherType 0x88b5, "MKSOAK01", sequence number,
 * total; 64 bytes) to DST_MAC through an AF_PACKET socket on IFACE, as fast
 * as the window allows: at most WINDOW (default 256) frames beyond the last
 * count acknowledged by the unikernel (EtherType 0x88b6 frames, "MKSOAKAK"
 * and the number received, see tests/uk/soak_netread). The window keeps the
 * TAP's queue (500 frames) from overflowing, since a full queue drops
 * frames silently and the test checks that every frame arrives exactly
 * once. Exits 0 when all N are acknowledged; 1 if acknowledgements stop
 * for 10 seconds, or on a socket error. Prints the rate achieved.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ETH_TYPE_DATA 0x88b5
#define ETH_TYPE_ACK 0x88b6
#define STALL_SECONDS 10

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

static int parse_mac(const char *s, uint8_t mac[6]) {
  unsigned v[6];
  if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &v[0], &v[1], &v[2], &v[3], &v[4],
             &v[5]) != 6)
    return -1;
  for (int i = 0; i < 6; i++) mac[i] = (uint8_t)v[i];
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: flood IFACE DST_MAC N [WINDOW]\n");
    return 2;
  }
  const char *ifname = argv[1];
  uint8_t dst[6], src[6];
  uint32_t total = (uint32_t)strtoul(argv[3], NULL, 10);
  uint32_t window = argc == 5 ? (uint32_t)strtoul(argv[4], NULL, 10) : 256;
  if (parse_mac(argv[2], dst) < 0 || total == 0 || window == 0) {
    fprintf(stderr, "flood: bad arguments\n");
    return 2;
  }
  int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_TYPE_ACK));
  if (fd < 0) {
    perror("flood: socket(AF_PACKET)");
    return 1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
    perror("flood: SIOCGIFHWADDR");
    return 1;
  }
  memcpy(src, ifr.ifr_hwaddr.sa_data, 6);
  struct sockaddr_ll addr;
  memset(&addr, 0, sizeof addr);
  addr.sll_family = AF_PACKET;
  addr.sll_protocol = htons(ETH_TYPE_ACK);
  addr.sll_ifindex = (int)if_nametoindex(ifname);
  if (!addr.sll_ifindex || bind(fd, (struct sockaddr *)&addr, sizeof addr)) {
    perror("flood: bind");
    return 1;
  }

  uint8_t frame[64];
  memset(frame, 0, sizeof frame);
  memcpy(frame, dst, 6);
  memcpy(frame + 6, src, 6);
  frame[12] = ETH_TYPE_DATA >> 8, frame[13] = ETH_TYPE_DATA & 0xff;
  memcpy(frame + 14, "MKSOAK01", 8);
  put32(frame + 26, total);
  struct sockaddr_ll to = addr;
  to.sll_protocol = htons(ETH_TYPE_DATA);
  to.sll_halen = 6;
  memcpy(to.sll_addr, dst, 6);

  uint32_t sent = 0, acked = 0;
  uint64_t send_errors = 0;
  double start = now_s(), last_ack = start;
  while (acked < total) {
    while (sent < total && sent - acked < window) {
      put32(frame + 22, sent);
      if (sendto(fd, frame, sizeof frame, 0, (struct sockaddr *)&to,
                 sizeof to) == (ssize_t)sizeof frame) {
        sent++;
      } else if (errno == ENOBUFS || errno == EAGAIN) {
        send_errors++; /* the kernel's own buffers: wait for acks */
        break;
      } else {
        perror("flood: sendto");
        return 1;
      }
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, 100);
    if (n < 0 && errno != EINTR) {
      perror("flood: poll");
      return 1;
    }
    uint8_t ack[128];
    ssize_t len;
    while ((len = recv(fd, ack, sizeof ack, MSG_DONTWAIT)) > 0) {
      if (len < 26 || memcmp(ack + 14, "MKSOAKAK", 8)) continue;
      uint32_t got = get32(ack + 22);
      if (got > acked && got <= sent) acked = got, last_ack = now_s();
    }
    if (now_s() - last_ack > STALL_SECONDS) {
      fprintf(stderr,
              "flood: no acknowledgement for %d s: %u sent, %u "
              "acknowledged of %u\n",
              STALL_SECONDS, sent, acked, total);
      return 1;
    }
  }
  double elapsed = now_s() - start;
  printf("flood: %u frames sent and acknowledged in %.2f s (%.0f frames/s, "
         "window %u, %llu sends deferred)\n",
         total, elapsed, (double)total / elapsed, window,
         (unsigned long long)send_errors);
  return 0;
}
