/*
 * fuzz_options.c: libFuzzer harness for the hosted platform's tender option
 * parser, hosted_parse_options() (src/platform/hosted/options.c).
 *
 * The input is split on NUL bytes into an argument vector (argv[0] is the
 * program's name, as from the kernel); every argument is its own heap block
 * of exactly its length plus the terminator, so AddressSanitizer sees a read
 * past any of them. The parser must return -1 or accept; when it accepts,
 * the configuration must hold what the rest of the platform relies on:
 *
 *   - the index returned is in [1, argc], and what precedes it is tender
 *     options (and at most one final "--"), what follows starts with "--" or
 *     a non-tender argument;
 *   - every device has a valid name (1 to 67 letters and digits), a kind,
 *     a non-empty target that is the value of exactly one --net:/--block:
 *     option, no name twice, no descriptor yet;
 *   - block sector sizes are powers of two from 512 to 32768, net devices
 *     have none; a MAC given is unicast;
 *   - manifest mode is set exactly when --mk:manifest was given.
 *
 * The parser reports errors on stderr. They are silenced by pointing the C
 * library's `stderr` at /dev/null around each call, so libFuzzer's own
 * output and sanitizer reports (which use their own descriptors or the
 * FILE libFuzzer saved at start-up) still show.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hosted.h"

#define MAX_ARGS 256

#define CHECK(c)                                                               \
  do {                                                                         \
    if (!(c)) {                                                                \
      fprintf(real_stderr ? real_stderr : stderr,                              \
              "fuzz_options: check failed at %s:%d: %s\n", __FILE__, __LINE__, \
              #c);                                                             \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static FILE *real_stderr, *null_stream;
static hosted_config cfg; /* big: static, cleared for every input */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  real_stderr = stderr;
  null_stream = fopen("/dev/null", "w");
  if (!null_stream) abort();
  return 0;
}

static bool starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* What the parser takes as a tender option: "--" then a name (before any
 * '=') containing ':'. Written from the documentation, not the code. */
static bool is_tender_option(const char *arg) {
  if (!starts_with(arg, "--")) return false;
  const char *eq = strchr(arg, '=');
  const char *colon = strchr(arg, ':');
  return colon && (!eq || colon < eq);
}

static bool valid_name(const char *name) {
  size_t len = strlen(name);
  if (len < 1 || len > HOSTED_NAME_MAX) return false;
  for (size_t i = 0; i < len; i++) {
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9')))
      return false;
  }
  return true;
}

/* The argument that gave device `d` its target: "--net:NAME=" or
 * "--block:NAME=" followed by the target, which must point into it. */
static bool target_given_by(const hosted_device *d, const char *arg) {
  const char *prefix = d->kind == MK_ARG_NET ? "--net:" : "--block:";
  size_t plen = strlen(prefix), nlen = strlen(d->name);
  return starts_with(arg, prefix) && !strncmp(arg + plen, d->name, nlen) &&
         arg[plen + nlen] == '=' && d->target == arg + plen + nlen + 1;
}

static void check_accepted(int first, int argc, char **argv) {
  CHECK(first >= 1 && first <= argc);
  CHECK(cfg.ndevices >= 0 && cfg.ndevices <= HOSTED_MAX_DEVICES);
  /* What the parser consumed. */
  bool separator = first >= 2 && !strcmp(argv[first - 1], "--");
  int last_option = separator ? first - 2 : first - 1;
  int givers = 0;
  bool manifest = false;
  for (int i = 1; i <= last_option; i++) {
    CHECK(is_tender_option(argv[i]));
    givers +=
        starts_with(argv[i], "--net:") || starts_with(argv[i], "--block:");
    manifest |= !strcmp(argv[i], "--mk:manifest");
  }
  CHECK(cfg.manifest_mode == manifest);
  /* Parsing stopped at "--" or at the first argument of the unikernel. */
  if (!separator && first < argc) CHECK(!is_tender_option(argv[first]));
  /* One device per option that gives one. */
  CHECK(cfg.ndevices == givers);

  for (int d = 0; d < cfg.ndevices; d++) {
    const hosted_device *dev = &cfg.devices[d];
    CHECK(memchr(dev->name, '\0', sizeof dev->name));
    CHECK(valid_name(dev->name));
    CHECK(dev->kind == MK_ARG_NET || dev->kind == MK_ARG_BLOCK);
    CHECK(dev->target && dev->target[0]);
    CHECK(dev->option);
    CHECK(dev->fd == -1 && !dev->requested);
    int by = 0;
    for (int i = 1; i <= last_option; i++) by += target_given_by(dev, argv[i]);
    CHECK(by == 1);
    if (dev->kind == MK_ARG_BLOCK) {
      unsigned s = dev->sector_size;
      CHECK(s >= 512 && s <= 32768 && (s & (s - 1)) == 0);
      CHECK(!dev->has_mac);
    } else {
      CHECK(dev->sector_size == 0);
      if (dev->has_mac) CHECK((dev->mac[0] & 1) == 0);
    }
    for (int e = 0; e < d; e++) CHECK(strcmp(cfg.devices[e].name, dev->name));
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *argv[MAX_ARGS + 1];
  int argc = 0;
  static char program[] = "app";
  argv[argc++] = program;
  /* Split on NUL: "a\0b" is two arguments, a trailing NUL adds none. */
  size_t start = 0;
  while (start < size && argc < MAX_ARGS) {
    const uint8_t *nul = memchr(data + start, 0, size - start);
    size_t len = nul ? (size_t)(nul - (data + start)) : size - start;
    char *arg = malloc(len + 1);
    CHECK(arg);
    memcpy(arg, data + start, len);
    arg[len] = '\0';
    argv[argc++] = arg;
    start += len + 1;
  }
  argv[argc] = NULL;

  memset(&cfg, 0, sizeof cfg);
  stderr = null_stream;
  int first = hosted_parse_options(&cfg, argc, argv);
  fflush(stderr);
  stderr = real_stderr;

  CHECK(first == -1 || first >= 1);
  if (first >= 1) check_accepted(first, argc, argv);
  for (int i = 1; i < argc; i++) free(argv[i]);
  return 0;
}
