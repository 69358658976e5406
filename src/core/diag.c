/*
 * diag.c: the core's diagnostics, built without printf.
 *
 * Messages are assembled in a caller-provided buffer (silently truncated),
 * which keeps this usable from a fault handler.
 */
#include "internal.h"

void mk__msg_str(mk__msg *m, const char *s) {
  while (s && *s && m->len + 1 < m->cap) m->buf[m->len++] = *s++;
  if (m->cap) m->buf[m->len] = '\0';
}

void mk__msg_u64(mk__msg *m, uint64_t v) {
  char digits[21];
  size_t i = sizeof digits;
  digits[--i] = '\0';
  do {
    digits[--i] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  mk__msg_str(m, &digits[i]);
}

void mk__msg_task(mk__msg *m, const struct mk__task *t) {
  mk__msg_str(m, "task \"");
  mk__msg_str(m, t->name);
  mk__msg_str(m, "\" (#");
  mk__msg_u64(m, t->id);
  if (t->file) {
    mk__msg_str(m, ", spawned at ");
    mk__msg_str(m, t->file);
    mk__msg_str(m, ":");
    mk__msg_u64(m, (uint64_t)t->line);
  } else {
    mk__msg_str(m, ", the root task");
  }
  mk__msg_str(m, ")");
}

void mk__log_msg(const mk__msg *m) { mk__platform_log(m->buf, m->len); }

/* Lists every task that has not ended, and what it is blocked in. */
void mk__dump_blocked(struct mk__task *root) {
  char buf[512];
  mk__msg m = {buf, 0, sizeof buf};
  mk__msg_str(&m, "mkernel: deadlock: the root task is blocked and nothing "
                  "can wake any task (deadlock); blocked tasks:\n");
  mk__log_msg(&m);
  for (struct mk__task *t = root; t; t = mk__tree_next(t, root)) {
    if (t->state == MK__ENDED) continue;
    m.len = 0;
    mk__msg_str(&m, "  ");
    mk__msg_task(&m, t);
    mk__msg_str(&m, " blocked in ");
    mk__msg_str(&m, t->suspended_on ? t->suspended_on->mk__what : "?");
    mk__msg_str(&m, "\n");
    mk__log_msg(&m);
  }
}

bool mk__running_stack(const void **lo, size_t *size) {
  const struct mk__task *t = mk__s.current;
  if (!t) return false;
  *lo = t->stack_lo;
  *size = mk__stack_size_of(t);
  return true;
}

size_t mk__describe_running(char *buf, size_t len) {
  mk__msg m = {buf, 0, len};
  if (mk__s.current)
    mk__msg_task(&m, mk__s.current);
  else
    mk__msg_str(&m, "the scheduler");
  return m.len;
}
