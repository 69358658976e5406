/*
 * hosted.h: what the hosted platform's files share.
 *
 * The hosted platform is a Solo5 tender and its unikernel in one Linux
 * process: main() parses the tender's options into the device table below,
 * then calls the application's mk_main() with the remaining arguments; the
 * core acquires the devices by name through the platform contract.
 */
#ifndef MK_HOSTED_H
#define MK_HOSTED_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define HOSTED_MAX_DEVICES 64 /* a ready set has 64 bits */
#define HOSTED_NAME_MAX 67    /* as Solo5's manifest names */

typedef struct hosted_device {
  char name[HOSTED_NAME_MAX + 1];
  mk_arg_kind kind;
  const char *target;   /* TAP interface or file path */
  const char *option;   /* the option that gave it, for messages */
  uint8_t mac[6];       /* net */
  bool has_mac;         /* net: --net-mac given */
  unsigned sector_size; /* block: 0 until --block-sector-size or default */
  bool requested;       /* named by the unikernel's device list */
  int fd;               /* once acquired, else -1 */
  size_t mtu;           /* net, once acquired */
} hosted_device;

typedef struct hosted_config {
  hosted_device devices[HOSTED_MAX_DEVICES];
  int ndevices;
  bool manifest_mode;
  bool sandbox;    /* confine the process once devices are acquired */
  bool run_called; /* mk_run got as far as checking the devices */
} hosted_config;

extern hosted_config hosted;

/* Parses the tender options at the start of argv (up to "--" or the first
 * argument that is not one) into `cfg`. Returns the index of the first
 * argument of the unikernel, or -1 after printing what is wrong. */
int hosted_parse_options(hosted_config *cfg, int argc, char **argv);

/* Prints "mkernel: " and a formatted message on stderr. */
void hosted_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Installs the fault handler that names a task whose stack overflowed. */
void hosted_install_fault_handler(void);

#endif
