/*
 * run.c: mk_run, the unikernel's device list and its Solo5 manifest.
 *
 * The device list is a tree (MAP arguments have arguments). Walking it depth
 * first, in list order, gives the order in which devices are acquired and
 * listed in the manifest. Everything that can be checked is checked before
 * the scheduler starts: the shape of the list, names used twice, and the
 * match with the tender's command line. Acquisition and MAP functions then
 * run inside the root task, before main.
 */
#include "internal.h"

#define MAX_DEVICES 64 /* a ready set has 64 bits */

typedef struct run_state {
  const mk_arg *args;
  size_t nargs;
  mk_main_fn main;
  void *ctx;
  mk__device_request devices[MAX_DEVICES];
  size_t ndevices;
  void *acquired[MAX_DEVICES]; /* mk_net * or mk_block *, by device order */
  size_t nacquired;
  /* The values handed to main and to every MAP, one slice each. Allocated
   * by mk_run outside the run: main or a MAP may end with mk_fail, which
   * never returns to free anything. */
  void **slots;
  size_t nslots, used;
} run_state;

static void say(const char *a, const char *b, const char *c, const char *d) {
  char buf[512];
  mk__msg m = {buf, 0, sizeof buf};
  mk__msg_str(&m, "mkernel: ");
  mk__msg_str(&m, a);
  mk__msg_str(&m, b);
  mk__msg_str(&m, c);
  mk__msg_str(&m, d);
  mk__msg_str(&m, "\n");
  mk__log_msg(&m);
}

static const char *kind_name(mk_arg_kind k) {
  return k == MK_ARG_NET ? "net" : "block";
}

static bool same(const char *a, const char *b) {
  while (*a && *a == *b) a++, b++;
  return *a == *b;
}

/* Collects the devices of args[0..n) depth first and checks the list. */
static bool collect(run_state *st, const mk_arg *args, size_t n, int depth) {
  if (depth > 32) {
    say("device list nested too deeply (a MAP refers to itself?)", "", "", "");
    return false;
  }
  if (n && !args) {
    say("device list: NULL arguments", "", "", "");
    return false;
  }
  for (size_t i = 0; i < n; i++) {
    const mk_arg *a = &args[i];
    switch (a->kind) {
    case MK_ARG_NET:
    case MK_ARG_BLOCK:
      if (!a->name || !*a->name) {
        say("device list: a ", kind_name(a->kind), " device has no name", "");
        return false;
      }
      for (size_t j = 0; j < st->ndevices; j++) {
        if (same(st->devices[j].name, a->name)) {
          say("device \"", a->name, "\" is named twice in the device list", "");
          return false;
        }
      }
      if (st->ndevices == MAX_DEVICES) {
        say("device list: more than 64 devices", "", "", "");
        return false;
      }
      st->devices[st->ndevices++] = (mk__device_request){a->name, a->kind};
      break;
    case MK_ARG_MAP:
      if (!a->map) {
        say("device list: MAP without a function", "", "", "");
        return false;
      }
      st->nslots += a->nargs;
      if (!collect(st, a->args, a->nargs, depth + 1)) return false;
      break;
    case MK_ARG_CONST:
      break;
    default:
      say("device list: unknown argument kind", "", "", "");
      return false;
    }
  }
  return true;
}

static void print_manifest(const run_state *st) {
  char buf[4096];
  mk__msg m = {buf, 0, sizeof buf};
  mk__msg_str(&m, "{\"type\":\"solo5.manifest\",\"version\":1,\"devices\":[");
  for (size_t i = 0; i < st->ndevices; i++) {
    mk__msg_str(&m, i ? ",{\"name\":\"" : "{\"name\":\"");
    mk__msg_str(&m, st->devices[i].name);
    mk__msg_str(&m, st->devices[i].kind == MK_ARG_NET
                        ? "\",\"type\":\"NET_BASIC\"}"
                        : "\",\"type\":\"BLOCK_BASIC\"}");
  }
  mk__msg_str(&m, "]}\n");
  mk__platform_console_write(m.buf, m.len);
}

/* Builds the value of one argument (root task). */
static mk_result build(run_state *st, const mk_arg *a, void **out) {
  mk_result r = MK_OK;
  switch (a->kind) {
  case MK_ARG_NET:
  case MK_ARG_BLOCK:
    r = a->kind == MK_ARG_NET ? mk__net_create(a->name, (mk_net **)out)
                              : mk__block_create(a->name, (mk_block **)out);
    if (r == MK_OK)
      st->acquired[st->nacquired++] = *out;
    else if (r == MK_ENOMEM)
      say(kind_name(a->kind), " device \"", a->name, "\": no memory");
    return r;
  case MK_ARG_CONST:
    *out = a->value;
    return MK_OK;
  case MK_ARG_MAP:
  default: {
    void **values = st->slots + st->used;
    st->used += a->nargs;
    for (size_t i = 0; r == MK_OK && i < a->nargs; i++)
      r = build(st, &a->args[i], &values[i]);
    if (r == MK_OK && (r = a->map(values, a->ctx, out)) != MK_OK)
      say("map ", a->name, " failed: ", mk_result_name(r));
    return r;
  }
  }
}

static void *root(void *arg) {
  run_state *st = arg;
  void **values = st->slots;
  st->used = st->nargs;
  mk_result r = MK_OK;
  for (size_t i = 0; r == MK_OK && i < st->nargs; i++)
    r = build(st, &st->args[i], &values[i]);
  int status = 1;
  if (r == MK_OK) {
    mk__platform_devices_acquired();
    status = st->main(values, st->ctx);
  }
  return (void *)(intptr_t)status;
}

static void release_devices(run_state *st) {
  for (size_t i = 0; i < st->nacquired; i++) {
    if (st->devices[i].kind == MK_ARG_NET)
      mk__net_destroy(st->acquired[i]);
    else
      mk__block_destroy(st->acquired[i]);
  }
}

int mk_run(const mk_arg *args, size_t nargs, mk_main_fn main, void *ctx,
           const mk_run_opts *opts) {
  static run_state
      st; /* one run at a time; keeps the big arrays off the stack */
  if (mk__s.running || !main) {
    say("mk_run: called from inside a run, or without a main function", "", "",
        "");
    return 1;
  }
  memset(&st, 0, sizeof st);
  st.args = args;
  st.nargs = nargs;
  st.main = main;
  st.ctx = ctx;
  if (!collect(&st, args, nargs, 0)) return 1;
  if (mk__platform_manifest_mode()) {
    print_manifest(&st);
    return 0;
  }
  if (mk__platform_devices_check(st.devices, st.ndevices) != MK_OK) return 1;

  st.nslots += nargs;
  if (st.nslots &&
      !(st.slots = mk__platform_alloc(st.nslots * sizeof(void *)))) {
    say("no memory for the device list", "", "", "");
    return 1;
  }
  mk_outcome out = {MK_EUNSPEC, NULL};
  mk_result r = mk_run_task(root, &st, opts, &out);
  release_devices(&st);
  mk__platform_free(st.slots);
  if (r != MK_OK) return 255; /* a programming error, already reported */
  if (out.result != MK_OK) {
    say("main ended: ", mk_result_name(out.result), "", "");
    return 1;
  }
  return (int)(intptr_t)out.value;
}
