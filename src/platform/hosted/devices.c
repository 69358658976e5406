/*
 * devices.c: the hosted platform's net (TAP) and block (file) devices.
 *
 * Net devices attach to an existing TAP interface the way Solo5's tenders do
 * (the interface must exist and be up, IFF_TAP | IFF_NO_PI, non-blocking,
 * MTU from the interface, GRO/GSO off so no frame exceeds the MTU). Block
 * devices are files (or host block devices) whose size is a multiple of the
 * sector size; I/O is pread/pwrite of whole sectors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/fs.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "hosted.h"

static hosted_device *lookup(const char *name, mk_arg_kind kind,
                             uint64_t *handle) {
  for (int i = 0; i < hosted.ndevices; i++) {
    hosted_device *d = &hosted.devices[i];
    if (d->kind == kind && !strcmp(d->name, name)) {
      *handle = (uint64_t)i;
      return d;
    }
  }
  hosted_error("%s device \"%s\" is not given",
               kind == MK_ARG_NET ? "net" : "block", name);
  return NULL;
}

/* ---- Net ---- */

/* 1 if up, 0 if down, -1 if there is no such interface. */
static int interface_state(const char *ifname) {
  struct ifaddrs *ifa;
  int state = -1;
  if (getifaddrs(&ifa) != 0) return -1;
  for (struct ifaddrs *p = ifa; p; p = p->ifa_next) {
    if (p->ifa_name && !strcmp(p->ifa_name, ifname)) {
      state = (p->ifa_flags & IFF_UP) ? 1 : 0;
      break;
    }
  }
  freeifaddrs(ifa);
  return state;
}

static int tap_attach(hosted_device *d) {
  const char *ifname = d->target;
  if (strlen(ifname) >= IFNAMSIZ) {
    hosted_error("net device \"%s\": interface name \"%s\" is too long",
                 d->name, ifname);
    return -1;
  }
  /* Without this check, TUNSETIFF would create the interface. */
  int state = interface_state(ifname);
  if (state < 0) {
    hosted_error("net device \"%s\": TAP interface \"%s\" does not exist "
                 "(create it: ip tuntap add %s mode tap)",
                 d->name, ifname, ifname);
    return -1;
  }
  if (state == 0) {
    hosted_error("net device \"%s\": interface \"%s\" is down (ip link set "
                 "%s up)",
                 d->name, ifname, ifname);
    return -1;
  }
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    hosted_error("net device \"%s\": /dev/net/tun: %s", d->name,
                 strerror(errno));
    return -1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  if (ioctl(fd, TUNSETIFF, &ifr) != 0 || strcmp(ifr.ifr_name, ifname) != 0) {
    hosted_error("net device \"%s\": cannot attach to \"%s\" as a TAP "
                 "interface: %s",
                 d->name, ifname, strerror(errno));
    close(fd);
    return -1;
  }
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  if (sock < 0 || ioctl(sock, SIOCGIFMTU, &ifr) != 0) {
    hosted_error("net device \"%s\": cannot read the MTU of \"%s\": %s",
                 d->name, ifname, strerror(errno));
    if (sock >= 0) close(sock);
    close(fd);
    return -1;
  }
  d->mtu = (size_t)ifr.ifr_mtu;
  /* As Solo5: no GRO/GSO, so the kernel never hands over a frame larger
   * than the MTU. Best effort: TAP interfaces may not support it. */
  static const uint32_t cmds[] = {ETHTOOL_SGRO, ETHTOOL_SGSO};
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
    struct ethtool_value ev = {.cmd = cmds[i], .data = 0};
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
    ifr.ifr_data = (void *)&ev;
    ioctl(sock, SIOCETHTOOL, &ifr);
  }
  close(sock);
  return fd;
}

mk_result mk__platform_net_acquire(const char *name, uint64_t *handle,
                                   mk_net_info *info) {
  hosted_device *d = lookup(name, MK_ARG_NET, handle);
  if (!d) return MK_ENODEV;
  if (d->fd >= 0) return MK_EINVAL; /* acquired once, as Solo5 */
  int fd = tap_attach(d);
  if (fd < 0) return MK_ENODEV;
  if (!d->has_mac) {
    /* Random, locally administered, unicast: as Solo5's tenders. */
    if (getrandom(d->mac, sizeof d->mac, 0) != (ssize_t)sizeof d->mac) {
      hosted_error("net device \"%s\": no randomness for a MAC", name);
      close(fd);
      return MK_ENODEV;
    }
    d->mac[0] = (uint8_t)((d->mac[0] & 0xfe) | 0x02);
  }
  d->fd = fd;
  memcpy(info->mac, d->mac, sizeof info->mac);
  info->mtu = d->mtu;
  return MK_OK;
}

mk_result mk__platform_net_read(uint64_t handle, void *buf, size_t size,
                                size_t *len) {
  /* One spare byte tells a frame that fits exactly from one cut short. */
  uint8_t spare;
  struct iovec iov[2] = {{buf, size}, {&spare, 1}};
  ssize_t n = readv(hosted.devices[handle].fd, iov, 2);
  if (n < 0)
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR
               ? MK_AGAIN
               : MK_EUNSPEC;
  if ((size_t)n > size) return MK_EINVAL;
  *len = (size_t)n;
  return MK_OK;
}

mk_result mk__platform_net_write(uint64_t handle, const void *buf, size_t len) {
  ssize_t n;
  do n = write(hosted.devices[handle].fd, buf, len);
  while (n < 0 && errno == EINTR);
  /* A full queue drops the frame, as a link (and Solo5) would. */
  return n == (ssize_t)len ? MK_OK : MK_AGAIN;
}

/* ---- Block ---- */

mk_result mk__platform_block_acquire(const char *name, uint64_t *handle,
                                     uint64_t *length, size_t *page_size) {
  hosted_device *d = lookup(name, MK_ARG_BLOCK, handle);
  if (!d) return MK_ENODEV;
  if (d->fd >= 0) return MK_EINVAL;
  int fd = open(d->target, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    hosted_error("block device \"%s\": %s: %s", name, d->target,
                 strerror(errno));
    return MK_ENODEV;
  }
  struct stat st;
  uint64_t size = 0;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    size = (uint64_t)st.st_size;
  } else if (!(fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) &&
               ioctl(fd, BLKGETSIZE64, &size) == 0)) {
    hosted_error("block device \"%s\": %s is neither a regular file nor a "
                 "block device",
                 name, d->target);
    close(fd);
    return MK_ENODEV;
  }
  if (size % d->sector_size) {
    hosted_error("block device \"%s\": %s: size %llu is not a multiple of "
                 "the sector size %u",
                 name, d->target, (unsigned long long)size, d->sector_size);
    close(fd);
    return MK_ENODEV;
  }
  d->fd = fd;
  *length = size;
  *page_size = d->sector_size;
  return MK_OK;
}

mk_result mk__platform_block_read(uint64_t handle, uint64_t off, void *buf,
                                  size_t len) {
  int fd = hosted.devices[handle].fd;
  while (len) {
    ssize_t n = pread(fd, buf, len, (off_t)off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MK_EUNSPEC;
    buf = (char *)buf + n;
    off += (uint64_t)n;
    len -= (size_t)n;
  }
  return MK_OK;
}

mk_result mk__platform_block_write(uint64_t handle, uint64_t off,
                                   const void *buf, size_t len) {
  int fd = hosted.devices[handle].fd;
  while (len) {
    ssize_t n = pwrite(fd, buf, len, (off_t)off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return MK_EUNSPEC;
    buf = (const char *)buf + n;
    off += (uint64_t)n;
    len -= (size_t)n;
  }
  return MK_OK;
}

mk_result mk__platform_block_flush(uint64_t handle) {
  return fdatasync(hosted.devices[handle].fd) == 0 ? MK_OK : MK_EUNSPEC;
}
