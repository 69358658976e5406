/*
 * hook.c: functions run after every wait for external events.
 *
 * Hooks run in the scheduler's context, outside any task, so a hook that
 * tries to block gets MK_EINVAL instead of suspending the scheduler. A hook
 * may add or remove hooks (itself included) while the list is being run:
 * the cursor always points at a hook still in the list.
 */
#include "internal.h"

mk_result mk_hook_add(mk_hook *h, void (*fn)(void *), void *ctx) {
  if (!mk__s.running || !h || !fn || h->mk__added) return MK_EINVAL;
  h->fn = fn;
  h->ctx = ctx;
  h->mk__prev = NULL;
  h->mk__next = mk__s.hooks;
  if (mk__s.hooks) mk__s.hooks->mk__prev = h;
  mk__s.hooks = h;
  h->mk__added = true;
  return MK_OK;
}

mk_result mk_hook_remove(mk_hook *h) {
  if (!h || !h->mk__added) return MK_EINVAL;
  if (mk__s.hook_cursor == h) mk__s.hook_cursor = h->mk__next;
  if (h->mk__prev)
    h->mk__prev->mk__next = h->mk__next;
  else
    mk__s.hooks = h->mk__next;
  if (h->mk__next) h->mk__next->mk__prev = h->mk__prev;
  h->mk__prev = h->mk__next = NULL;
  h->mk__added = false;
  return MK_OK;
}

void mk__hooks_run(void) {
  mk__s.hook_cursor = mk__s.hooks;
  while (mk__s.hook_cursor) {
    mk_hook *h = mk__s.hook_cursor;
    mk__s.hook_cursor = h->mk__next;
    h->fn(h->ctx);
  }
}

/* The run is over: forget the hooks still added. */
void mk__hooks_reset(void) {
  while (mk__s.hooks) mk_hook_remove(mk__s.hooks);
}
