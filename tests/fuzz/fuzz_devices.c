/*
 * fuzz_devices.c: libFuzzer harness for mk_run's device list (src/core/run.c)
 * on the test platform (src/platform/test), with the core linked in.
 *
 * Each input is decoded into
 *   - the devices the "command line" gives (mk_test_net_add/block_add, up
 *     to 8, names from a small pool, some frames injected into nets);
 *   - flags: manifest mode, a NULL main, a NULL argument array;
 *   - what main does (return a status, spawn and await, cancel, fail, leave
 *     a child behind, read the injected frames and do block I/O);
 *   - a device-list tree: NET, BLOCK, MAP, CONST and invalid kinds, names
 *     from a pool with NULL, "" and duplicates (equal text at another
 *     address too), MAPs with 0 to 4 arguments or a NULL argument array,
 *     maps that succeed, fail (with a result or with mk_fail), sleep, spawn
 *     and await, cancel, or leave a child behind, and chains of up to 47
 *     nested MAPs.
 *
 * The harness computes what mk_run must return from the contract in
 * include/mkernel.h (1 for a bad list, a missing device or a failed map or
 * main; 255 for a task left with children; otherwise main's status; 0 and
 * the exact manifest in manifest mode), checks that every MAP and main get
 * the values of their arguments in order (devices by name, page size,
 * length and MTU), that errors are logged as "mkernel: ..." and success logs
 * nothing, and that nothing is left allocated afterwards (tasks, stacks,
 * timers, devices: mk_test_counts_get().live_allocs == 0). Nesting deeper
 * than the core accepts (an undocumented limit, 32 today) may either be
 * refused with 1 or run normally.
 */
#include <mkernel.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mk_test.h"

#define MAX_NODES 512
#define MAX_GIVEN 8 /* the test platform holds 8 nets and 8 blocks */
#define MAX_PARSE_DEPTH 64
#define MAX_LIST_DEVICES 64

#define CHECK(c)                                                               \
  do {                                                                         \
    if (!(c)) fail_check(__FILE__, __LINE__, #c);                              \
  } while (0)

static _Noreturn void fail_check(const char *file, int line, const char *what) {
  fprintf(stderr,
          "fuzz_devices: check failed at %s:%d: %s\n--- console:\n%s\n--- "
          "log:\n%s\n---\n",
          file, line, what, mk_test_console(), mk_test_log());
  abort();
}

/* ---- Input decoding ------------------------------------------------------ */

typedef struct reader {
  const uint8_t *p;
  size_t n;
} reader;

static uint8_t take(reader *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}

/* "net0" again at another address: names are compared by content. */
static char net0_again[] = "net0";
static const char *const list_names[8] = {NULL,    "",      "net0", "net1",
                                          "disk0", "disk1", "x",    net0_again};
static const char *const given_names[8] = {"net0", "net1", "disk0", "disk1",
                                           "x",    "a",    "",      "service"};

enum map_kind {
  MAP_NONE,        /* map function NULL: a bad list */
  MAP_VALUE,       /* checks its values, returns its tag */
  MAP_FAIL,        /* checks its values, fails */
  MAP_SPAWN_AWAIT, /* a child that yields, awaited */
  MAP_SPAWN_LEAVE, /* a child never awaited: the root ends with children */
  MAP_SLEEP,       /* sleeps 1 ms of virtual time */
  MAP_CANCEL,      /* a child that sleeps, cancelled */
  MAP_FAIL_EXN,    /* ends its task with mk_fail: the root task fails */
  MAP_KINDS
};

typedef struct node_info {
  const mk_arg *node;
  enum map_kind kind;
} node_info;

enum main_kind {
  MAIN_RETURN,
  MAIN_SPAWN_AWAIT,
  MAIN_CANCEL,
  MAIN_FAIL,
  MAIN_LEAVE_CHILD,
  MAIN_IO,
  MAIN_AWAIT_FIRST,
  MAIN_RETURN_TOO,
};

typedef struct given {
  bool net;
  const char *name;
  size_t mtu;          /* net */
  size_t page;         /* block */
  uint64_t length;     /* block */
  unsigned frames;     /* net: frames injected */
  uint8_t frame_seed;  /* net: their contents */
  size_t frame_len[2]; /* net */
  int handle;
} given;

static struct {
  mk_arg nodes[MAX_NODES];
  node_info info[MAX_NODES];
  char const_tags[MAX_NODES];
  size_t nnodes;
  given given[MAX_GIVEN];
  size_t ngiven;
  const mk_arg *args;
  size_t nargs;
  enum main_kind main_kind;
  int status;
  bool io_done;
} in;

static mk_arg *new_nodes(size_t n) {
  if (in.nnodes + n > MAX_NODES) return NULL;
  mk_arg *a = &in.nodes[in.nnodes];
  in.nnodes += n;
  memset(a, 0, n * sizeof *a);
  return a;
}

static mk_result map_fn(void *const *values, void *ctx, void **out);
static mk_result (*const map_fns[MAP_KINDS])(void *const *, void *, void **) = {
    NULL, map_fn, map_fn, map_fn, map_fn, map_fn, map_fn, map_fn};

static void make_map(mk_arg *a, enum map_kind kind) {
  node_info *info = &in.info[a - in.nodes];
  info->node = a;
  info->kind = kind;
  a->kind = MK_ARG_MAP;
  a->name = "fuzz_map";
  a->map = map_fns[kind];
  a->ctx = info;
}

static void decode_node(reader *r, mk_arg *a, int depth);

/* Fills args[0..n) from the input. */
static void decode_list(reader *r, mk_arg *args, size_t n, int depth) {
  for (size_t i = 0; i < n; i++) decode_node(r, &args[i], depth);
}

static void decode_node(reader *r, mk_arg *a, int depth) {
  static const int bad_kinds[4] = {0, 5, 0x7fffffff, -1};
  uint8_t op = take(r);
  const char *name = list_names[(op >> 3) & 7];
  if (depth >= MAX_PARSE_DEPTH) op = 5; /* stop: a CONST */
  switch (op % 8) {
  case 0:
  case 1:
    a->kind = MK_ARG_NET;
    a->name = name;
    return;
  case 2:
  case 3:
    a->kind = MK_ARG_BLOCK;
    a->name = name;
    return;
  case 4: {
    uint8_t b = take(r); /* bits 0-2: map kind, 3-5: nargs, 6-7: NULL args */
    make_map(a, (enum map_kind)(b & 7));
    a->name = name; /* only for messages: NULL and "" are fine */
    size_t n = (size_t)(((b >> 3) & 7) % 5);
    a->nargs = n;
    if (n && (b >> 6) == 3) return; /* a NULL argument array */
    mk_arg *args = new_nodes(n);
    if (!args) {
      a->nargs = 0;
      return;
    }
    a->args = args;
    decode_list(r, args, n, depth + 1);
    return;
  }
  case 5:
    a->kind = MK_ARG_CONST;
    a->value = op & 0x40 ? NULL : &in.const_tags[a - in.nodes];
    return;
  case 6:
    a->kind = (mk_arg_kind)bad_kinds[(op >> 6) & 3];
    a->name = name;
    return;
  default: { /* a chain of nested MAPs around one argument */
    size_t len = take(r) % 48;
    mk_arg *cur = a;
    for (size_t i = 0; i < len; i++) {
      mk_arg *next = new_nodes(1);
      if (!next) break;
      make_map(cur, MAP_VALUE);
      cur->args = next;
      cur->nargs = 1;
      cur = next;
    }
    decode_node(r, cur, depth + 1);
    return;
  }
  }
}

static void decode(const uint8_t *data, size_t size, bool *manifest,
                   bool *null_main) {
  reader r = {data, size};
  memset(&in, 0, sizeof in);
  in.ngiven = take(&r) % (MAX_GIVEN + 1);
  for (size_t i = 0; i < in.ngiven; i++) {
    given *g = &in.given[i];
    uint8_t b = take(&r);
    g->net = b & 1;
    g->name = given_names[(b >> 1) & 7];
    if (g->net) {
      g->mtu = (b >> 4) & 1 ? 64 : 1500;
      g->frames = (unsigned)((b >> 5) % 3);
      if (g->frames) g->frame_seed = take(&r);
      for (unsigned f = 0; f < g->frames; f++)
        g->frame_len[f] = MK_NET_HLEN + take(&r) % (g->mtu + 1);
    } else {
      g->page = (size_t)512 << ((b >> 4) & 3);
      g->length = g->page * (1 + ((b >> 6) & 3));
    }
  }
  uint8_t flags = take(&r);
  *manifest = flags & 1;
  *null_main = (flags & 0x3e) == 0x3e; /* rare */
  uint8_t m = take(&r);
  in.main_kind = (enum main_kind)(m & 7);
  static const int statuses[8] = {0, 1, 2, 3, 42, 100, 0, 7};
  in.status = statuses[(m >> 3) & 7];
  in.nargs = take(&r) % 6;
  if (in.nargs && (flags & 0xc0) == 0xc0) return; /* NULL arguments */
  mk_arg *args = new_nodes(in.nargs);
  if (!args) return;
  in.args = args;
  decode_list(&r, args, in.nargs, 0);
}

/* ---- The model: what the contract says mk_run must do ------------------- */

typedef struct model {
  const char *devices[MAX_LIST_DEVICES];
  bool device_net[MAX_LIST_DEVICES];
  size_t ndevices;
  bool bad;  /* refused whatever the depth limit */
  bool deep; /* nested past the core's limit */
} model;

static void model_collect(model *m, const mk_arg *args, size_t n, int depth) {
  if (depth > 32) m->deep = true;
  if (n && !args) {
    m->bad = true;
    return;
  }
  for (size_t i = 0; i < n && !m->bad; i++) {
    const mk_arg *a = &args[i];
    switch (a->kind) {
    case MK_ARG_NET:
    case MK_ARG_BLOCK:
      if (!a->name || !*a->name) {
        m->bad = true;
        break;
      }
      for (size_t j = 0; j < m->ndevices; j++)
        if (!strcmp(m->devices[j], a->name)) m->bad = true;
      if (m->ndevices == MAX_LIST_DEVICES) m->bad = true;
      if (m->bad) break;
      m->device_net[m->ndevices] = a->kind == MK_ARG_NET;
      m->devices[m->ndevices++] = a->name;
      break;
    case MK_ARG_MAP:
      if (!a->map)
        m->bad = true;
      else
        model_collect(m, a->args, a->nargs, depth + 1);
      break;
    case MK_ARG_CONST:
      break;
    default:
      m->bad = true;
    }
  }
}

/* The given device the platform finds for a name: the first of its kind. */
static given *find_given(bool net, const char *name) {
  for (size_t i = 0; i < in.ngiven; i++)
    if (in.given[i].net == net && !strcmp(in.given[i].name, name))
      return &in.given[i];
  return NULL;
}

/* What building the values does, depth first. */
typedef struct build_model {
  bool failed; /* a map failed: the run ends with 1 or 255 */
  bool exn;    /* ... with mk_fail: the root task failed, 1 */
  bool left;   /* a map left a child behind before that */
} build_model;

static bool model_build(build_model *b, const mk_arg *args, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const mk_arg *a = &args[i];
    if (a->kind != MK_ARG_MAP) continue;
    if (!model_build(b, a->args, a->nargs)) return false;
    enum map_kind k = ((const node_info *)a->ctx)->kind;
    b->failed = k == MAP_FAIL || k == MAP_FAIL_EXN;
    b->exn = k == MAP_FAIL_EXN;
    if (b->failed) return false;
    if (k == MAP_SPAWN_LEAVE) b->left = true;
  }
  return true;
}

static void manifest_of(const model *m, char *buf, size_t size) {
  size_t len = (size_t)snprintf(
      buf, size, "{\"type\":\"solo5.manifest\",\"version\":1,\"devices\":[");
  for (size_t i = 0; i < m->ndevices && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len,
                            "%s{\"name\":\"%s\",\"type\":\"%s\"}", i ? "," : "",
                            m->devices[i],
                            m->device_net[i] ? "NET_BASIC" : "BLOCK_BASIC");
  if (len < size) snprintf(buf + len, size - len, "]}\n");
}

/* ---- What runs: maps and main ------------------------------------------- */

/* The value of argument `a` must be what the contract says. */
static void check_value(const mk_arg *a, void *v) {
  switch (a->kind) {
  case MK_ARG_NET: {
    given *g = find_given(true, a->name);
    CHECK(v && g);
    CHECK(!strcmp(mk_net_name(v), a->name));
    CHECK(mk_net_get_info(v)->mtu == g->mtu);
    break;
  }
  case MK_ARG_BLOCK: {
    given *g = find_given(false, a->name);
    CHECK(v && g);
    CHECK(!strcmp(mk_block_name(v), a->name));
    CHECK(mk_block_page_size(v) == g->page);
    CHECK(mk_block_length(v) == g->length);
    break;
  }
  case MK_ARG_CONST:
    CHECK(v == a->value);
    break;
  default: /* MAP: whatever it produced, its tag */
    CHECK(v == a->ctx);
  }
}

static void check_values(const mk_arg *args, size_t n, void *const *values) {
  CHECK(!n || values);
  for (size_t i = 0; i < n; i++) check_value(&args[i], values[i]);
}

static void *yielder(void *arg) {
  mk_yield();
  mk_yield();
  return arg;
}

static void *sleeper(void *arg) {
  CHECK(mk_sleep(MK_SEC(1)) == MK_CANCELLED);
  return arg;
}

static void *quick(void *arg) { return arg; }

static void spawn_and_await(void) {
  mk_task t;
  mk_outcome o;
  CHECK(mk_async(&t, yielder, (void *)7) == MK_OK);
  CHECK(mk_await(&t, &o) == MK_OK);
  CHECK(o.result == MK_OK && o.value == (void *)7);
}

static void spawn_and_cancel(void) {
  mk_task t;
  mk_outcome o;
  CHECK(mk_async(&t, sleeper, NULL) == MK_OK);
  CHECK(mk_yield() == MK_OK); /* let it fall asleep */
  CHECK(mk_cancel(&t) == MK_OK);
  CHECK(mk_await(&t, &o) == MK_OK && o.result == MK_CANCELLED);
}

static mk_result map_fn(void *const *values, void *ctx, void **out) {
  node_info *info = ctx;
  check_values(info->node->args, info->node->nargs, values);
  mk_task t;
  switch (info->kind) {
  case MAP_FAIL:
    return (mk_result)(MK_USER + 1);
  case MAP_FAIL_EXN:
    mk_fail(MK_USER + 3);
  case MAP_SPAWN_AWAIT:
    spawn_and_await();
    break;
  case MAP_SPAWN_LEAVE:
    CHECK(mk_async(&t, quick, NULL) == MK_OK);
    break;
  case MAP_SLEEP:
    CHECK(mk_sleep(MK_MSEC(1)) == MK_OK);
    break;
  case MAP_CANCEL:
    spawn_and_cancel();
    break;
  default:
    break;
  }
  *out = ctx;
  return MK_OK;
}

/* Reads back the frames injected into each NET argument of main, and writes
 * then reads a page of each BLOCK argument. */
static void main_io(void *const *values) {
  static uint8_t buf[1500 + MK_NET_HLEN], page[4096], back[4096];
  for (size_t i = 0; i < in.nargs; i++) {
    const mk_arg *a = &in.args[i];
    if (a->kind == MK_ARG_NET) {
      given *g = find_given(true, a->name);
      for (unsigned f = 0; f < g->frames; f++) {
        size_t len = 0;
        CHECK(mk_net_read(values[i], buf, sizeof buf, &len) == MK_OK);
        CHECK(len == g->frame_len[f]);
        for (size_t k = 0; k < len; k++)
          CHECK(buf[k] == (uint8_t)(g->frame_seed + f * 31 + k));
      }
    } else if (a->kind == MK_ARG_BLOCK) {
      size_t ps = mk_block_page_size(values[i]);
      memset(page, (int)i + 1, ps);
      CHECK(mk_block_write(values[i], 0, page, ps) == MK_OK);
      CHECK(mk_block_read(values[i], 0, back, ps) == MK_OK);
      CHECK(!memcmp(page, back, ps));
    }
  }
  in.io_done = true;
}

static int fuzz_main(void *const *values, void *ctx) {
  CHECK(ctx == &in);
  check_values(in.args, in.nargs, values);
  mk_task t[2];
  switch (in.main_kind) {
  case MAIN_SPAWN_AWAIT:
    spawn_and_await();
    break;
  case MAIN_CANCEL:
    spawn_and_cancel();
    break;
  case MAIN_FAIL:
    mk_fail(MK_USER + 2);
  case MAIN_LEAVE_CHILD:
    CHECK(mk_async(&t[0], quick, NULL) == MK_OK);
    break;
  case MAIN_IO:
    main_io(values);
    break;
  case MAIN_AWAIT_FIRST: {
    mk_outcome o;
    size_t index = 2;
    CHECK(mk_async(&t[0], sleeper, NULL) == MK_OK);
    CHECK(mk_async(&t[1], yielder, (void *)9) == MK_OK);
    CHECK(mk_await_first(t, 2, &o, &index) == MK_OK);
    CHECK(index == 1 && o.result == MK_OK && o.value == (void *)9);
    break;
  }
  default:
    break;
  }
  return in.status;
}

/* ---- One input ---------------------------------------------------------- */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_VERBOSE=1 in the environment: show each run's result and log. */
static bool verbose;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc, (void)argv;
  verbose = getenv("FUZZ_VERBOSE") != NULL;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bool manifest, null_main;
  decode(data, size, &manifest, &null_main);

  mk_test_reset();
  mk_test_manifest_mode(manifest);
  for (size_t i = 0; i < in.ngiven; i++) {
    given *g = &in.given[i];
    if (!g->net) {
      g->handle = mk_test_block_add(g->name, g->page, g->length);
      continue;
    }
    g->handle = mk_test_net_add(g->name, g->mtu);
    uint8_t frame[1500 + MK_NET_HLEN];
    for (unsigned f = 0; f < g->frames; f++) {
      for (size_t k = 0; k < g->frame_len[f]; k++)
        frame[k] = (uint8_t)(g->frame_seed + f * 31 + k);
      mk_test_net_inject(g->handle, frame, g->frame_len[f]);
    }
  }

  /* What must happen. */
  model m;
  memset(&m, 0, sizeof m);
  model_collect(&m, in.args, in.nargs, 0);
  int want;           /* mk_run's result */
  bool runs = false;  /* main is expected to run */
  bool logged = true; /* an error message is expected */
  char manifest_text[8192] = "";
  if (null_main || m.bad) {
    want = 1;
  } else if (manifest) {
    want = 0;
    logged = false;
    manifest_of(&m, manifest_text, sizeof manifest_text);
  } else {
    want = 0;
    for (size_t i = 0; i < m.ndevices && !want; i++)
      if (!find_given(m.device_net[i], m.devices[i])) want = 1;
    build_model b = {0};
    if (!want && !model_build(&b, in.args, in.nargs)) {
      /* A failed task cancels its children itself: no 255 then. */
      want = b.left && !b.exn ? 255 : 1;
    } else if (!want) {
      runs = true;
      if (in.main_kind == MAIN_FAIL)
        want = 1;
      else if (in.main_kind == MAIN_LEAVE_CHILD || b.left)
        want = 255;
      else
        want = in.status, logged = false;
    }
  }

  int got = mk_run(in.args, in.nargs, null_main ? NULL : fuzz_main, &in, NULL);
  if (verbose)
    fprintf(stderr, "fuzz_devices: mk_run returned %d (expected %d%s)\n%s%s",
            got, want, m.deep ? " or 1 for the depth" : "", mk_test_console(),
            mk_test_log());

  if (m.deep && !null_main && got == 1 && strstr(mk_test_log(), "deep")) {
    /* Refused for its depth: allowed, see the header comment. */
  } else {
    if (got != want)
      fprintf(stderr, "fuzz_devices: mk_run returned %d, expected %d\n", got,
              want);
    CHECK(got == want);
    if (logged)
      CHECK(!strncmp(mk_test_log(), "mkernel: ", 9));
    else
      CHECK(mk_test_log()[0] == '\0');
    CHECK(!strcmp(mk_test_console(), manifest_text));
    if (runs && in.main_kind == MAIN_IO) CHECK(in.io_done);
  }
  long live = mk_test_counts_get().live_allocs;
  if (live) fprintf(stderr, "fuzz_devices: %ld allocations left\n", live);
  CHECK(live == 0);
  return 0;
}
