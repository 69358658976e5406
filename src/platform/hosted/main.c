/*
 * main.c: the process entry point of a hosted unikernel.
 *
 * Like a Solo5 tender followed by solo5_app_main: parse the tender's
 * options, then call the application's mk_main with its own arguments
 * (argv[0] kept). When the application calls mk_run, the device list it
 * names is checked against the devices given here.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hosted.h"

hosted_config hosted;

bool mk__platform_manifest_mode(void) { return hosted.manifest_mode; }

mk_result mk__platform_devices_check(const mk__device_request *reqs, size_t n) {
  hosted.run_called = true;
  mk_result r = MK_OK;
  for (size_t i = 0; i < n; i++) {
    const char *kind = reqs[i].kind == MK_ARG_NET ? "net" : "block";
    hosted_device *d = NULL;
    for (int j = 0; j < hosted.ndevices && !d; j++)
      if (!strcmp(hosted.devices[j].name, reqs[i].name)) d = &hosted.devices[j];
    if (!d) {
      hosted_error("%s device \"%s\" is required by the unikernel but not "
                   "given (use --%s:%s=%s)",
                   kind, reqs[i].name, kind, reqs[i].name,
                   reqs[i].kind == MK_ARG_NET ? "IFACE" : "PATH");
      r = MK_ENODEV;
    } else if (d->kind != reqs[i].kind) {
      hosted_error("device \"%s\" is given as a %s device (%s) but the "
                   "unikernel uses it as a %s device",
                   d->name, d->kind == MK_ARG_NET ? "net" : "block", d->option,
                   kind);
      r = MK_ENODEV;
    } else {
      d->requested = true;
    }
  }
  for (int j = 0; j < hosted.ndevices; j++) {
    if (!hosted.devices[j].requested) {
      hosted_error("device \"%s\" is given (%s) but the unikernel does not "
                   "use it",
                   hosted.devices[j].name, hosted.devices[j].option);
      r = MK_ENODEV;
    }
  }
  return r;
}

int main(int argc, char **argv) {
  int first = hosted_parse_options(&hosted, argc, argv);
  if (first < 0) return 1;
  /* The unikernel sees its own arguments only, after argv[0]. */
  argv[first - 1] = argv[0];
  int app_argc = argc - first + 1;
  char **app_argv = argv + first - 1;
  hosted_install_fault_handler();
  /* Like a console: each line goes out when it is complete, even into a
   * pipe, so a long-running unikernel's output is not held back. */
  setvbuf(stdout, NULL, _IOLBF, 0);
  int status = mk_main(app_argc, app_argv);
  fflush(stdout);
  if (!hosted.run_called && hosted.ndevices && !hosted.manifest_mode) {
    hosted_error("devices are given (%s...) but the unikernel never called "
                 "mk_run",
                 hosted.devices[0].option);
    return 1;
  }
  return status;
}
