/*
 * netbench.c: the sender of the net benchmark, run inside the network
 * namespace that bench/net.sh creates. It starts each echo server in turn
 * on the namespace's TAP (the mkernel unikernel and the plain C loop, given
 * as shell commands, alternating which goes first in each repetition),
 * sends it Ethernet frames from an AF_PACKET socket bound to the TAP's host
 * side and counts the echoes: throughput with a window of frames in flight
 * (and the server's CPU time per frame, from /proc/PID/schedstat, which
 * tells the servers apart even when the sender is the bottleneck), then the
 * latency of single round trips. The last server given, the plain C loop,
 * is the baseline of the ratios. The sender runs on CPU 0 and the servers on
 * the last CPU, the same for both, so neither steals the other's time.
 *
 *   netbench TAP LABEL COMMAND [LABEL COMMAND...] BASELINE_LABEL COMMAND
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define ETHERTYPE 0x88b5 /* IEEE local experimental: no host stack reacts */
#define FRAME_LEN 60     /* minimum Ethernet frame without FCS */
#define WINDOW 64        /* frames in flight for throughput */
#define MAGIC 0x6d6b6e62u

static int sock;
static unsigned char tap_mac[6];
static const unsigned char peer_mac[6] = {0x02, 0x6d, 0x6b, 0, 0, 2};
static uint64_t lost;

static void die(const char *what) {
  fprintf(stderr, "netbench: %s: %s\n", what, strerror(errno));
  exit(1);
}

static void open_socket(const char *ifname) {
  sock = socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE));
  if (sock < 0) die("AF_PACKET socket");
  struct sockaddr_ll sll = {.sll_family = AF_PACKET,
                            .sll_protocol = htons(ETHERTYPE),
                            .sll_ifindex = (int)if_nametoindex(ifname)};
  if (!sll.sll_ifindex) die(ifname);
  if (bind(sock, (struct sockaddr *)&sll, sizeof sll) != 0) die("bind");
  int one = 1, big = 4 << 20;
  /* Best effort: fewer copies of our own frames, no qdisc on the way out.
   * Echoes are recognised by their destination anyway. */
  setsockopt(sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one);
  setsockopt(sock, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
  setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
  if (ioctl(sock, SIOCGIFHWADDR, &ifr) != 0) die("SIOCGIFHWADDR");
  memcpy(tap_mac, ifr.ifr_hwaddr.sa_data, 6);
}

static void make_frame(unsigned char *f, uint64_t seq) {
  memset(f, 0, FRAME_LEN);
  memcpy(f, peer_mac, 6);
  memcpy(f + 6, tap_mac, 6);
  f[12] = ETHERTYPE >> 8;
  f[13] = ETHERTYPE & 0xff;
  uint32_t magic = MAGIC;
  memcpy(f + 14, &magic, 4);
  memcpy(f + 18, &seq, 8);
}

/* An echo: our magic, coming back to the TAP's own address. */
static bool is_echo(const unsigned char *f, ssize_t len) {
  uint32_t magic;
  if (len < 26) return false;
  memcpy(&magic, f + 14, 4);
  return magic == MAGIC && !memcmp(f, tap_mac, 6) &&
         !memcmp(f + 6, peer_mac, 6);
}

/* Receives what is queued (waiting up to timeout_ms for the first frame);
 * returns the number of echoes, -1 on timeout. */
static int receive(int timeout_ms) {
  struct pollfd p = {sock, POLLIN, 0};
  if (poll(&p, 1, timeout_ms) <= 0) return -1;
  static unsigned char bufs[WINDOW][2048];
  struct mmsghdr msgs[WINDOW];
  struct iovec iov[WINDOW];
  for (int i = 0; i < WINDOW; i++) {
    iov[i] = (struct iovec){bufs[i], sizeof bufs[i]};
    msgs[i] =
        (struct mmsghdr){.msg_hdr = {.msg_iov = &iov[i], .msg_iovlen = 1}};
  }
  int n = recvmmsg(sock, msgs, WINDOW, MSG_DONTWAIT, NULL);
  int echoes = 0;
  for (int i = 0; i < n; i++) echoes += is_echo(bufs[i], msgs[i].msg_len);
  return echoes;
}

static void drain(void) {
  while (receive(20) >= 0) {
  }
}

static int send_frames(int count) {
  static unsigned char frame[FRAME_LEN];
  static bool made;
  if (!made) make_frame(frame, 0), made = true;
  struct mmsghdr msgs[WINDOW];
  struct iovec iov = {frame, FRAME_LEN};
  for (int i = 0; i < count; i++)
    msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
  int n = sendmmsg(sock, msgs, (unsigned)count, 0);
  return n < 0 ? 0 : n;
}

/* CPU time the process has run, in ns (the first field of schedstat):
 * finer than the clock ticks of /proc/PID/stat. */
static uint64_t cpu_of(pid_t pid) {
  char path[64];
  unsigned long long ns = 0;
  snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
  FILE *f = fopen(path, "r");
  if (f) {
    if (fscanf(f, "%llu", &ns) != 1) ns = 0;
    fclose(f);
  }
  return ns;
}

static uint64_t echoed; /* by the last throughput() */

/* Frames per second echoed with WINDOW frames in flight. A frame not back
 * within 100 ms is counted lost and its slot reused. */
static double throughput(uint64_t duration) {
  uint64_t received = 0, t0 = bench_now(), end = t0 + duration;
  int outstanding = 0;
  while (bench_now() < end) {
    if (outstanding < WINDOW) outstanding += send_frames(WINDOW - outstanding);
    int n = receive(100);
    if (n < 0) {
      lost += (uint64_t)outstanding;
      outstanding = 0;
      continue;
    }
    outstanding -= n;
    received += (uint64_t)n;
  }
  double rate = (double)received * 1e9 / (double)(bench_now() - t0);
  echoed = received;
  drain();
  return rate;
}

/* Median of single round trips (one frame in flight), in microseconds. */
static double latency(uint64_t duration) {
  static double rtt[200000];
  size_t n = 0;
  uint64_t end = bench_now() + duration;
  while (bench_now() < end && n < sizeof rtt / sizeof rtt[0]) {
    uint64_t t = bench_now();
    if (send_frames(1) != 1) continue;
    int got = 0;
    while (!got) {
      int k = receive(100);
      if (k < 0) break;
      got = k;
    }
    if (!got) {
      lost++;
      continue;
    }
    rtt[n++] = (double)(bench_now() - t) / 1000.0;
  }
  if (!n) return 0;
  /* bench_stats_of keeps BENCH_MAX_REPS values: sort here instead. */
  for (size_t gap = n / 2; gap; gap /= 2) /* shell sort: no allocation */
    for (size_t i = gap; i < n; i++)
      for (size_t j = i; j >= gap && rtt[j - gap] > rtt[j]; j -= gap) {
        double x = rtt[j];
        rtt[j] = rtt[j - gap];
        rtt[j - gap] = x;
      }
  return rtt[n / 2];
}

static pid_t start_server(const char *cmd) {
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    bench_pin(ncpu > 1 ? (int)ncpu - 1 : 0);
    setpgid(0, 0);
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  setpgid(pid, pid);
  /* Ready once it echoes: probe every 10 ms for up to 5 s. */
  for (int i = 0; i < 500; i++) {
    send_frames(1);
    if (receive(10) > 0) {
      drain();
      return pid;
    }
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) break;
  }
  fprintf(stderr, "netbench: server did not echo: %s\n", cmd);
  kill(-pid, SIGKILL);
  exit(1);
}

static void stop_server(pid_t pid) {
  kill(-pid, SIGTERM);
  waitpid(pid, NULL, 0);
  drain();
}

#define MAX_SERVERS 4

int main(int argc, char **argv) {
  int servers = (argc - 2) / 2;
  if (argc < 6 || argc % 2 || servers > MAX_SERVERS) {
    fprintf(stderr, "usage: netbench TAP LABEL COMMAND... BASELINE_LABEL "
                    "BASELINE_COMMAND\n");
    return 1;
  }
  bench_init();
  bench_pin(0);
  open_socket(argv[1]);
  uint64_t tput_ns = bench_quick() ? 200000000u : 1000000000u;
  uint64_t lat_ns = bench_quick() ? 100000000u : 500000000u;
  int reps = bench_reps();
  static double rate[MAX_SERVERS][BENCH_MAX_REPS],
      rtt[MAX_SERVERS][BENCH_MAX_REPS], cpu[MAX_SERVERS][BENCH_MAX_REPS];
  for (int r = 0; r < reps; r++)
    for (int k = 0; k < servers; k++) {
      int which = (r + k) % servers; /* rotate which server goes first */
      pid_t pid = start_server(argv[3 + 2 * which]);
      uint64_t c0 = cpu_of(pid);
      rate[which][r] = throughput(tput_ns);
      cpu[which][r] =
          (double)(cpu_of(pid) - c0) / (double)(echoed ? echoed : 1);
      rtt[which][r] = latency(lat_ns);
      stop_server(pid);
    }
  int b = servers - 1; /* the baseline: the plain C loop */
  double base[3] = {bench_stats_of(rate[b], reps).median,
                    bench_stats_of(cpu[b], reps).median,
                    bench_stats_of(rtt[b], reps).median};
  const char *base_name = argv[2 + 2 * b];
  bench_header("Net: echo on a TAP (hosted platform)");
  char name[160];
  for (int k = 0; k < servers; k++) {
    snprintf(name, sizeof name, "net: echo throughput (%d in flight), %s",
             WINDOW, argv[2 + 2 * k]);
    bench_row(name, rate[k], reps, "frames/s", base[0], base_name,
              k == 0 ? (bench_target){BENCH_RATIO_AT_LEAST, 0.9}
                     : BENCH_NO_TARGET);
  }
  for (int k = 0; k < servers; k++) {
    snprintf(name, sizeof name, "net: echo server CPU per frame, %s",
             argv[2 + 2 * k]);
    bench_row(name, cpu[k], reps, "ns", base[1], base_name, BENCH_NO_TARGET);
  }
  for (int k = 0; k < servers; k++) {
    snprintf(name, sizeof name, "net: single round trip latency, %s",
             argv[2 + 2 * k]);
    bench_row(name, rtt[k], reps, "us", base[2], base_name, BENCH_NO_TARGET);
  }
  bench_note("net: %d-byte frames; per repetition, throughput over %.1f s "
             "then latency over %.1f s; %llu frames lost in all",
             FRAME_LEN, (double)tput_ns / 1e9, (double)lat_ns / 1e9,
             (unsigned long long)lost);
  return 0;
}
