/*
 * plain_echo.c: the baseline of the net benchmark: the echo of
 * bench/uk/echo/echo.c written as a plain C read/write loop on the TAP, with
 * no scheduler in between: attach to the existing TAP interface the way the
 * hosted platform does (/dev/net/tun, IFF_TAP | IFF_NO_PI), then a blocking
 * read, swap the MAC addresses, write, until killed.
 *
 *   plain_echo TAP
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc != 2 || strlen(argv[1]) >= IFNAMSIZ) {
    fprintf(stderr, "usage: plain_echo TAP\n");
    return 1;
  }
  int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
  if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) != 0) {
    perror("plain_echo: attach");
    return 1;
  }
  unsigned char frame[65536], mac[6];
  for (;;) {
    ssize_t n = read(fd, frame, sizeof frame);
    if (n < 12) {
      if (n < 0) {
        perror("plain_echo: read");
        return 1;
      }
      continue;
    }
    memcpy(mac, frame, 6);
    memcpy(frame, frame + 6, 6);
    memcpy(frame + 6, mac, 6);
    if (write(fd, frame, (size_t)n) < 0) continue; /* dropped, like a link */
  }
}
