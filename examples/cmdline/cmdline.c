/*
 * cmdline.c: shows that a unikernel gets its own arguments, with the
 * tender's options already removed. Prints the arguments on one line, then
 * the values of the options --foo and --bar (each given as `--foo VALUE` or
 * `--foo=VALUE`), formatted like the OCaml original's
 * `Fmt.(Dump.option (fmt "%S"))`: `foo: Some "VALUE"` or `foo: None`.
 *
 *   ./cmdline --foo Foo --bar Bar
 */
#include <mkernel.h>
#include <stdio.h>
#include <string.h>

typedef struct cmdline {
  int argc;
  char **argv;
} cmdline;

/* If argv[*i] is option `name` (e.g. "--foo"), stores its value, moves *i
 * past it and returns 1; returns 0 if it is another argument, -1 (after a
 * message) if the value is missing or the option repeated. */
static int take_option(const char *name, int argc, char **argv, int *i,
                       const char **value) {
  const char *arg = argv[*i];
  size_t n = strlen(name);
  if (strncmp(arg, name, n) != 0 || (arg[n] != '\0' && arg[n] != '=')) return 0;
  if (*value) {
    printf("cmdline: option %s given twice\n", name);
    return -1;
  }
  if (arg[n] == '=') {
    *value = arg + n + 1;
  } else if (*i + 1 < argc) {
    *value = argv[++*i];
  } else {
    printf("cmdline: option %s needs a value\n", name);
    return -1;
  }
  return 1;
}

/* Prints `s` as OCaml's %S does (String.escaped between quotes), so the
 * output matches the original for any argument. Only printf is used: the
 * unikernel's libc has no putchar or stdout. */
static void print_ocaml_string(const char *s) {
  printf("\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    switch (*p) {
    case '"':
      printf("\\\"");
      break;
    case '\\':
      printf("\\\\");
      break;
    case '\n':
      printf("\\n");
      break;
    case '\t':
      printf("\\t");
      break;
    case '\r':
      printf("\\r");
      break;
    case '\b':
      printf("\\b");
      break;
    default:
      if (*p < ' ' || *p > '~')
        printf("\\%03u", (unsigned)*p);
      else
        printf("%c", *p);
    }
  }
  printf("\"");
}

static void print_option(const char *label, const char *value) {
  if (!value) {
    printf("%s: None\n", label);
    return;
  }
  printf("%s: Some ", label);
  print_ocaml_string(value);
  printf("\n");
}

static int cmdline_main(void *const *values, void *ctx) {
  (void)values;
  const cmdline *cl = ctx;
  const char *foo = NULL, *bar = NULL;
  /* Parse everything first: like Cmdliner, a bad command line prints only
   * the error. */
  for (int i = 1; i < cl->argc; i++) {
    int r = take_option("--foo", cl->argc, cl->argv, &i, &foo);
    if (r == 0) r = take_option("--bar", cl->argc, cl->argv, &i, &bar);
    if (r < 0) return 1;
    if (r == 0) {
      printf("cmdline: unknown argument \"%s\" (usage: cmdline [--foo VALUE] "
             "[--bar VALUE])\n",
             cl->argv[i]);
      return 1;
    }
  }
  for (int i = 0; i < cl->argc; i++) printf("%s%s", i ? " " : "", cl->argv[i]);
  printf("\n");
  print_option("foo", foo);
  print_option("bar", bar);
  return 0;
}

int mk_main(int argc, char **argv) {
  cmdline cl = {argc, argv};
  /* The arguments are checked inside the run, not here, so that manifest
   * mode (which runs nothing) works whatever they are. */
  return mk_run(NULL, 0, cmdline_main, &cl, NULL);
}
