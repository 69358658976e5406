/*
 * stdio.c: stdout and stderr on the console.
 *
 * A unikernel has one console and no files, so a stream is only a choice of
 * buffering. stdout is line-buffered, as on a terminal: output collects in a
 * small buffer and reaches the platform at each newline (or when the buffer
 * fills), so a line printed in pieces still arrives as one console write.
 * stderr is written out at the end of every call. Both share the one buffer, so
 * what was printed first appears first whichever stream it went to. The console
 * cannot fail, so these functions report success always; fflush, exit and abort
 * empty the buffer.
 */
#include "rt.h"

struct mk_rt_file {
  int unbuffered;
};

static mk_rt_file out = {0}, err = {1};
mk_rt_file *const mk_rt_stdout = &out;
mk_rt_file *const mk_rt_stderr = &err;

static char line[256];
static size_t used;

int mk_rt_fflush(mk_rt_file *f) {
  (void)f; /* one buffer for every stream: fflush(NULL) is the same call */
  /* Emptied before it is written: the platform's console may flush stdout
   * first, to keep its own writes in order with printf's. */
  size_t n = used;
  used = 0;
  if (n) mk__platform_console_write(line, n);
  return 0;
}

static void put(mk_rt_file *f, const char *s, size_t n) {
  while (n > 0) {
    size_t room = sizeof line - used, chunk = n < room ? n : room;
    const char *nl = mk_rt_memchr(s, '\n', chunk);
    if (nl) chunk = (size_t)(nl - s) + 1;
    mk_rt_memcpy(line + used, s, chunk);
    used += chunk;
    s += chunk;
    n -= chunk;
    if (nl || used == sizeof line) mk_rt_fflush(f);
  }
}

/* Ends each call on an unbuffered stream, so a message printed in pieces
 * still reaches the console in one write. */
static void done(mk_rt_file *f) {
  if (f->unbuffered) mk_rt_fflush(f);
}

static void put_cb(void *f, const char *s, size_t n) { put(f, s, n); }

int mk_rt_vfprintf(mk_rt_file *restrict f, const char *restrict fmt,
                   va_list ap) {
  int r = mk_rt_vformat(put_cb, f, fmt, ap);
  done(f);
  return r;
}

int mk_rt_fprintf(mk_rt_file *restrict f, const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vfprintf(f, fmt, ap);
  va_end(ap);
  return r;
}

int mk_rt_vprintf(const char *restrict fmt, va_list ap) {
  return mk_rt_vfprintf(mk_rt_stdout, fmt, ap);
}

int mk_rt_printf(const char *restrict fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = mk_rt_vprintf(fmt, ap);
  va_end(ap);
  return r;
}

int mk_rt_fputs(const char *restrict s, mk_rt_file *restrict f) {
  put(f, s, mk_rt_strlen(s));
  done(f);
  return 0;
}

/* Writes the line and its newline as one piece of output. */
int mk_rt_puts(const char *s) {
  mk_rt_fputs(s, mk_rt_stdout);
  put(mk_rt_stdout, "\n", 1);
  return 0;
}

int mk_rt_fputc(int c, mk_rt_file *f) {
  char ch = (char)c;
  put(f, &ch, 1);
  done(f);
  return (unsigned char)c;
}

int mk_rt_putchar(int c) { return mk_rt_fputc(c, mk_rt_stdout); }

size_t mk_rt_fwrite(const void *restrict p, size_t size, size_t n,
                    mk_rt_file *restrict f) {
  if (size == 0 || n == 0) return 0;
  /* The standard writes n items of size bytes; guard the product. */
  if (n > (size_t)-1 / size) n = (size_t)-1 / size;
  put(f, p, size * n);
  done(f);
  return n;
}
