/*
 * entry.c: the entry point of a Solo5 image.
 *
 * Solo5 calls solo5_app_main with its start info: the command line (the
 * arguments after the image on the tender's command line, tender options
 * already removed) and the one memory region. This hands the region to the
 * allocator, turns the command line into argv with the image's name as
 * argv[0] (see name.c), and calls the application's mk_main; its return
 * value is the exit status (solo5_exit).
 */
#include "cmdline.h"
#include "solo5_platform.h"

int solo5_app_main(const struct solo5_start_info *si) {
  mk__solo5_memory_init(si->heap_start, si->heap_size);
  size_t len = si->cmdline ? mk_rt_strlen(si->cmdline) : 0;
  size_t bytes = MK_SOLO5_CMDLINE_BYTES(len), max = MK_SOLO5_CMDLINE_ARGS(len);
  char *buf = mk_rt_malloc(bytes);
  char **argv = mk_rt_malloc(max * sizeof *argv);
  int argc = -1;
  if (buf && argv)
    argc = mk__solo5_split_cmdline(si->cmdline, mk__solo5_program_name, buf,
                                   bytes, argv, max);
  if (argc < 0) {
    mk__solo5_error("no memory for the command line (%lu bytes)",
                    (unsigned long)len);
    return 1;
  }
  int status = mk_main(argc, argv);
  mk_rt_fflush(mk_rt_stdout);
  mk__solo5_settle_tx();
  mk__solo5_initial_stack_check();
  mk_rt_free(argv);
  mk_rt_free(buf);
  return status;
}
