/*
 * own.c: resources with finalisers, owned by one task (Miou's Ownership).
 *
 * Each task keeps the resources it owns in a list, newest first, so that a
 * failing or cancelled task finalises them newest first.
 */
#include "internal.h"

static void unlink_resource(mk_resource *r) {
  struct mk__task *t = r->mk__owner;
  if (r->mk__prev)
    r->mk__prev->mk__next = r->mk__next;
  else
    t->resources = r->mk__next;
  if (r->mk__next) r->mk__next->mk__prev = r->mk__prev;
  r->mk__owner = NULL;
  r->mk__prev = r->mk__next = NULL;
}

static void link_resource(struct mk__task *t, mk_resource *r) {
  r->mk__owner = t;
  r->mk__prev = NULL;
  r->mk__next = t->resources;
  if (t->resources) t->resources->mk__prev = r;
  t->resources = r;
}

/* Checks that `r` is owned by the calling task. */
static mk_result owned(const mk_resource *r) {
  struct mk__task *self = mk__s.current;
  if (!self || !r) return MK_EINVAL;
  return r->mk__owner == self ? MK_OK : MK_ENOTOWNER;
}

mk_result mk_own(mk_resource *r) {
  struct mk__task *self = mk__s.current;
  if (!self || !r) return MK_EINVAL;
  if (r->mk__owner == self) return MK_EINVAL;
  if (r->mk__owner) return MK_EOWNED;
  link_resource(self, r);
  return MK_OK;
}

mk_result mk_disown(mk_resource *r) {
  mk_result res = owned(r);
  if (res == MK_OK) unlink_resource(r);
  return res;
}

static void finalise(struct mk__task *t, mk_resource *r) {
  unlink_resource(r);
  if (r->finally) {
    bool was = t->in_finaliser;
    t->in_finaliser = true; /* a finaliser must not block */
    r->finally(r->value);
    t->in_finaliser = was;
  }
}

mk_result mk_release(mk_resource *r) {
  mk_result res = owned(r);
  if (res == MK_OK) finalise(mk__s.current, r);
  return res;
}

mk_result mk_transfer(mk_resource *r) {
  mk_result res = owned(r);
  if (res != MK_OK) return res;
  struct mk__task *parent = mk__s.current->parent;
  if (!parent) return MK_EINVAL; /* the root has nobody to give it to */
  unlink_resource(r);
  link_resource(parent, r);
  return MK_OK;
}

mk_result mk_check(const mk_resource *r) { return owned(r); }

void mk__resources_finalise(struct mk__task *t) {
  while (t->resources) finalise(t, t->resources);
}

bool mk__resources_all_owned(struct mk__task *self, mk_resource *const *rs,
                             size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!rs[i] || rs[i]->mk__owner != self) return false;
  return true;
}

/* Gives rs[0..n) to a new child; rs[n-1] ends up its newest resource. */
void mk__resources_give(struct mk__task *to, mk_resource *const *rs, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (rs[i]->mk__owner == to) continue; /* listed twice */
    unlink_resource(rs[i]);
    link_resource(to, rs[i]);
  }
}
