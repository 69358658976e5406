/*
 * cmdline.c: the Solo5 command line as an argv (see cmdline.h). Written
 * against nothing but <stddef.h>, so the same code is tested on the hosted
 * build and linked into images.
 */
#include "cmdline.h"

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
         c == '\f';
}

int mk__solo5_split_cmdline(const char *cmdline, const char *argv0, char *buf,
                            size_t size, char **argv, size_t max) {
  if (max < 2) return -1;
  size_t argc = 0, used = 0;
  argv[argc++] = (char *)argv0;
  const char *p = cmdline ? cmdline : "";
  for (int first = 1;; first = 0) {
    while (is_space(*p)) p++;
    if (!*p) break;
    const char *word = p;
    while (*p && !is_space(*p)) p++;
    size_t len = (size_t)(p - word);
    if (first && len == 2 && word[0] == '-' && word[1] == '-') continue;
    if (argc + 1 >= max || len + 1 > size - used) return -1;
    char *dst = buf + used;
    for (size_t i = 0; i < len; i++) dst[i] = word[i];
    dst[len] = '\0';
    used += len + 1;
    argv[argc++] = dst;
  }
  argv[argc] = NULL;
  return (int)argc;
}
