/*
 * options.c: the tender's command line, as Solo5's tenders accept it.
 *
 *   ./app [TENDER OPTIONS] [--] [UNIKERNEL ARGUMENTS]
 *
 * Tender options are those whose name (the part before any '=') contains a
 * ':' — `--net:NAME=IFACE`, `--net-mac:NAME=MAC`, `--block:NAME=PATH`,
 * `--block-sector-size:NAME=N`, `--mk:manifest`, `--solo5:quiet` — so that
 * the unikernel's own options (`--foo`, `--ipv4=10.0.0.2/24`) are never
 * mistaken for them. They come first; "--" or the first other argument ends
 * them. Every error names the option and the device.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosted.h"

void hosted_error(const char *fmt, ...) {
  va_list ap;
  fflush(stdout);
  fputs("mkernel: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static bool is_tender_option(const char *arg) {
  if (strncmp(arg, "--", 2) != 0) return false;
  size_t name_len = strcspn(arg, "=");
  const char *colon = memchr(arg, ':', name_len);
  return colon != NULL;
}

static bool valid_name(const char *s, size_t len) {
  if (len == 0 || len > HOSTED_NAME_MAX) return false;
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

static hosted_device *find(hosted_config *cfg, const char *name) {
  for (int i = 0; i < cfg->ndevices; i++)
    if (!strcmp(cfg->devices[i].name, name)) return &cfg->devices[i];
  return NULL;
}

static int parse_hex_byte(const char *s, uint8_t *out) {
  int v = 0;
  for (int i = 0; i < 2; i++) {
    char c = s[i];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  *out = (uint8_t)v;
  return 0;
}

/* "xx:xx:xx:xx:xx:xx", unicast. */
static bool parse_mac(const char *s, uint8_t mac[6]) {
  if (strlen(s) != 17) return false;
  for (int i = 0; i < 6; i++) {
    if (parse_hex_byte(s + 3 * i, &mac[i]) < 0) return false;
    if (i < 5 && s[3 * i + 2] != ':') return false;
  }
  return (mac[0] & 1) == 0;
}

/* Power of two in [512, 32768]. */
static bool parse_sector_size(const char *s, unsigned *out) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (!*s || *end || v < 512 || v > 32768 || (v & (v - 1))) return false;
  *out = (unsigned)v;
  return true;
}

static const char *kind_name(mk_arg_kind kind) {
  return kind == MK_ARG_NET ? "net" : "block";
}

/* The device called `name`, added if new; NULL (after an error) if it
 * exists with another kind or the table is full. */
static hosted_device *device(hosted_config *cfg, const char *name,
                             mk_arg_kind kind, const char *arg) {
  hosted_device *d = find(cfg, name);
  if (d) {
    if (d->kind == kind) return d;
    hosted_error("%s: device \"%s\" is a %s device (see %s)", arg, name,
                 kind_name(d->kind), d->option ? d->option : "above");
    return NULL;
  }
  if (cfg->ndevices == HOSTED_MAX_DEVICES) {
    hosted_error("%s: more than %d devices", arg, HOSTED_MAX_DEVICES);
    return NULL;
  }
  d = &cfg->devices[cfg->ndevices++];
  memset(d, 0, sizeof *d);
  strcpy(d->name, name);
  d->kind = kind;
  d->fd = -1;
  return d;
}

/* The value of a setting (MAC, sector size) for device `d`. */
static int parse_setting(hosted_device *d, const char *arg, const char *value) {
  if (d->kind == MK_ARG_NET) {
    if (d->has_mac) {
      hosted_error("%s: MAC of \"%s\" is given twice", arg, d->name);
      return -1;
    }
    if (!parse_mac(value, d->mac)) {
      hosted_error("%s: bad MAC address \"%s\" for net device \"%s\" "
                   "(expected six hex bytes xx:xx:xx:xx:xx:xx, unicast)",
                   arg, value, d->name);
      return -1;
    }
    d->has_mac = true;
    return 0;
  }
  if (d->sector_size) {
    hosted_error("%s: sector size of \"%s\" is given twice", arg, d->name);
    return -1;
  }
  if (!parse_sector_size(value, &d->sector_size)) {
    hosted_error("%s: bad sector size \"%s\" for block device \"%s\" (a "
                 "power of two from 512 to 32768)",
                 arg, value, d->name);
    return -1;
  }
  return 0;
}

/* One `--KIND:NAME=VALUE` option: 0, -1 after an error, 1 if `arg` is not
 * one of them. */
static int parse_device_option(hosted_config *cfg, const char *arg) {
  static const struct {
    const char *prefix;
    mk_arg_kind kind;
    bool is_device; /* gives a device, rather than a setting of one */
  } kinds[] = {
      {"--net:", MK_ARG_NET, true},
      {"--net-mac:", MK_ARG_NET, false},
      {"--block:", MK_ARG_BLOCK, true},
      {"--block-sector-size:", MK_ARG_BLOCK, false},
  };
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    size_t plen = strlen(kinds[k].prefix);
    if (strncmp(arg, kinds[k].prefix, plen) != 0) continue;
    const char *name = arg + plen, *eq = strchr(name, '=');
    if (!eq || !eq[1]) {
      hosted_error("%s: expected %sNAME=VALUE", arg, kinds[k].prefix);
      return -1;
    }
    size_t name_len = (size_t)(eq - name);
    if (!valid_name(name, name_len)) {
      hosted_error("%s: bad device name (1 to %d letters and digits)", arg,
                   HOSTED_NAME_MAX);
      return -1;
    }
    char dev_name[HOSTED_NAME_MAX + 1];
    memcpy(dev_name, name, name_len);
    dev_name[name_len] = '\0';
    hosted_device *d = device(cfg, dev_name, kinds[k].kind, arg);
    if (!d) return -1;
    if (!kinds[k].is_device) return parse_setting(d, arg, eq + 1);
    if (d->target) {
      hosted_error("%s: device \"%s\" is given twice (first by %s)", arg,
                   dev_name, d->option);
      return -1;
    }
    d->target = eq + 1;
    d->option = arg;
    return 0;
  }
  return 1;
}

int hosted_parse_options(hosted_config *cfg, int argc, char **argv) {
  int i = 1;
  cfg->sandbox = true; /* on unless turned off */
  for (; i < argc; i++) {
    const char *arg = argv[i];
    if (!strcmp(arg, "--")) {
      i++;
      break;
    }
    if (!is_tender_option(arg)) break;
    int r = parse_device_option(cfg, arg);
    if (r < 0) return -1;
    if (r == 0) continue;
    if (!strcmp(arg, "--mk:manifest")) {
      cfg->manifest_mode = true;
    } else if (!strcmp(arg, "--mk:sandbox=on")) {
      cfg->sandbox = true;
    } else if (!strcmp(arg, "--mk:sandbox=off")) {
      cfg->sandbox = false;
    } else if (!strcmp(arg, "--solo5:quiet")) {
      /* accepted so that Solo5 command lines work unchanged */
    } else {
      hosted_error("%s: unknown option (tender options: --net:NAME=IFACE, "
                   "--net-mac:NAME=MAC, --block:NAME=PATH, "
                   "--block-sector-size:NAME=N, --mk:manifest, "
                   "--mk:sandbox=on|off)",
                   arg);
      return -1;
    }
  }
  /* A setting without its device. */
  for (int d = 0; d < cfg->ndevices; d++) {
    hosted_device *dev = &cfg->devices[d];
    if (!dev->target) {
      hosted_error("%s device \"%s\" has settings but is not given (use %s)",
                   kind_name(dev->kind), dev->name,
                   dev->kind == MK_ARG_NET ? "--net:NAME=IFACE"
                                           : "--block:NAME=PATH");
      return -1;
    }
    if (dev->kind == MK_ARG_BLOCK && !dev->sector_size) dev->sector_size = 512;
  }
  return i;
}
