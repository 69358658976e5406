/*
 * test_cmdline.c: the Solo5 platform's command-line splitting
 * (src/platform/solo5/cmdline.c), on the hosted build, where a failure is
 * easy to see and the sanitizers watch the buffers. Fixed cases first, then
 * random command lines compared with a reference split and checked to fit
 * in exactly the room cmdline.h promises. Prints one line per failure, then
 * a summary; exits non-zero on any failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static unsigned failures, cases;

#define NAME "image"

/* Splits `cmdline` with the sizes cmdline.h gives, plus guard bytes after
 * each buffer to catch a write past its end. Checks the result against
 * want[0..n) (NULL-terminated), argv[0] excluded. */
static void expect(const char *cmdline, const char *const *want) {
  cases++;
  size_t len = cmdline ? strlen(cmdline) : 0;
  size_t bytes = MK_SOLO5_CMDLINE_BYTES(len), max = MK_SOLO5_CMDLINE_ARGS(len);
  char *buf = malloc(bytes + 8);
  char **argv = malloc((max + 1) * sizeof *argv);
  memset(buf + bytes, 0x5a, 8);
  argv[max] = (char *)&failures; /* a guard value */
  int argc = mk__solo5_split_cmdline(cmdline, NAME, buf, bytes, argv, max);
  int n = 0;
  while (want[n]) n++;
  const char *shown = cmdline ? cmdline : "(NULL)";
  if (argc != n + 1) {
    printf("FAIL \"%s\": argc %d, wanted %d\n", shown, argc, n + 1);
    failures++;
  } else if (strcmp(argv[0], NAME) != 0 || argv[argc] != NULL) {
    printf("FAIL \"%s\": argv[0] \"%s\" or argv[argc] not NULL\n", shown,
           argv[0]);
    failures++;
  } else {
    for (int i = 0; i < n; i++) {
      if (strcmp(argv[i + 1], want[i]) != 0) {
        printf("FAIL \"%s\": argv[%d] is \"%s\", wanted \"%s\"\n", shown, i + 1,
               argv[i + 1], want[i]);
        failures++;
        break;
      }
    }
  }
  for (int i = 0; i < 8; i++) {
    if ((unsigned char)buf[bytes + i] != 0x5a) {
      printf("FAIL \"%s\": wrote past the word buffer\n", shown);
      failures++;
      break;
    }
  }
  if (argv[max] != (char *)&failures) {
    printf("FAIL \"%s\": wrote past argv\n", shown);
    failures++;
  }
  free(buf);
  free(argv);
}

#define W(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NONE ((const char *const[]){NULL})

static void fixed_cases(void) {
  expect(NULL, NONE);
  expect("", NONE);
  expect("   \t ", NONE);
  expect("--foo Foo --bar Bar", W("--foo", "Foo", "--bar", "Bar"));
  expect("  --foo   Foo\t--bar\nBar  ", W("--foo", "Foo", "--bar", "Bar"));
  expect("x", W("x"));
  expect("\r\v\fx\f\v\r", W("x"));
  /* A first "--" ends the tender's options on the hosted platform and is
   * dropped; any later one is the unikernel's. */
  expect("-- --foo=x", W("--foo=x"));
  expect("--", NONE);
  expect("  --  ", NONE);
  expect("-- --", W("--"));
  expect("a -- b", W("a", "--", "b"));
  expect("--- x", W("---", "x"));
  expect("--x", W("--x"));
  expect("--ipv4=10.0.0.2/24 --count=100",
         W("--ipv4=10.0.0.2/24", "--count=100"));
  expect("a b c d e f g h", W("a", "b", "c", "d", "e", "f", "g", "h"));
}

/* Too little room is refused, not overrun. */
static void small_buffers(void) {
  char buf[8], *argv[4];
  cases += 4;
  if (mk__solo5_split_cmdline("abcdefgh", NAME, buf, sizeof buf, argv, 4) !=
      -1) {
    puts("FAIL: an 8-byte word and its terminator fitted in 8 bytes");
    failures++;
  }
  if (mk__solo5_split_cmdline("a b c", NAME, buf, sizeof buf, argv, 4) != -1) {
    puts("FAIL: three words fitted in an argv of 4 entries");
    failures++;
  }
  if (mk__solo5_split_cmdline("", NAME, buf, sizeof buf, argv, 1) != -1) {
    puts("FAIL: argv of 1 entry accepted");
    failures++;
  }
  if (mk__solo5_split_cmdline("a b", NAME, buf, sizeof buf, argv, 4) != 3) {
    puts("FAIL: \"a b\" does not fit in 8 bytes and 4 entries");
    failures++;
  }
}

static uint64_t state = 0x9e3779b97f4a7c15ull;
static unsigned rnd(unsigned n) {
  state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
  return (unsigned)((state * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* Random strings, half separators, half "-" and letters (so many short
 * words and many "--": the worst cases for the sizes and the "--" rule),
 * split by a reference built on strtok. */
static void random_cases(void) {
  static const char alphabet[] = "  \t-ab";
  for (int round = 0; round < 20000; round++) {
    char line[64];
    size_t len = rnd(sizeof line);
    for (size_t i = 0; i < len; i++)
      line[i] = alphabet[rnd(sizeof alphabet - 1)];
    line[len] = '\0';
    char copy[64], *words[sizeof line];
    int n = 0, first = 1;
    memcpy(copy, line, len + 1);
    for (char *w = strtok(copy, " \t"); w; w = strtok(NULL, " \t"), first = 0)
      if (!(first && !strcmp(w, "--"))) words[n++] = w;
    words[n] = NULL;
    expect(line, (const char *const *)words);
  }
}

int main(void) {
  fixed_cases();
  small_buffers();
  random_cases();
  printf("solo5 cmdline: %u cases, %u failed\n", cases, failures);
  return failures ? 1 : 0;
}
