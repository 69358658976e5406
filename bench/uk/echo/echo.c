/*
 * echo.c: the mkernel side of the net benchmark: a unikernel that sends
 * every Ethernet frame it reads on net device "service" back where it came
 * from (destination and source MAC swapped), until it is killed. It is the
 * simplest loop an application would write: one task, a blocking
 * mk_net_read, then mk_net_write. bench/net/plain_echo.c is the same loop in
 * plain C on the same TAP, the baseline it is compared with.
 *
 *   ./echo --net:service=TAP
 */
#include <mkernel.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int echo(void *const *devices, void *ctx) {
  (void)ctx;
  mk_net *net = devices[0];
  size_t size = mk_net_get_info(net)->mtu + MK_NET_HLEN;
  uint8_t *frame = malloc(size);
  if (!frame) return 1;
  for (;;) {
    size_t len;
    mk_result r = mk_net_read(net, frame, size, &len);
    if (r != MK_OK) {
      printf("echo: read: %s\n", mk_result_name(r));
      free(frame);
      return 1;
    }
    uint8_t mac[MK_NET_ALEN];
    memcpy(mac, frame, MK_NET_ALEN);
    memcpy(frame, frame + MK_NET_ALEN, MK_NET_ALEN);
    memcpy(frame + MK_NET_ALEN, mac, MK_NET_ALEN);
    mk_net_write(net, frame, len);
  }
}

int mk_main(int argc, char **argv) {
  (void)argc, (void)argv;
  static const mk_arg devices[] = {MK_NET("service")};
  return mk_run(devices, 1, echo, NULL, NULL);
}
