/*
 * cmdline.h: the Solo5 command line as an argv, a pure function.
 *
 * A Solo5 tender joins the arguments that follow the image with single
 * spaces and the bindings drop leading --solo5:* options; what is left
 * reaches solo5_app_main as one string. This turns it back into words for
 * mk_main. It touches nothing but its arguments, so it is also compiled
 * into an ordinary test program on the hosted build (tests/solo5/).
 */
#ifndef MK_SOLO5_CMDLINE_H
#define MK_SOLO5_CMDLINE_H

#include <stddef.h>

/* Room for splitting a command line of `len` characters: bytes for the
 * words and entries for argv (argv[0], the words and the final NULL). */
#define MK_SOLO5_CMDLINE_BYTES(len) ((len) + 1)
#define MK_SOLO5_CMDLINE_ARGS(len) ((len) / 2 + 3)

/* Splits `cmdline` at runs of white space (space, tab, newline, carriage
 * return, vertical tab, form feed), with no quoting: the tender has already
 * lost any quoting, so an argument cannot contain a space. argv[0] is
 * `argv0`; the words follow, copied into buf[0..size) and each terminated;
 * argv[argc] is NULL. A first word "--" is dropped, as the hosted platform
 * drops the "--" that may end the tender's options, so the same command
 * line gives the same arguments on both. NULL `cmdline` is empty.
 *
 * Returns argc (at least 1), or -1 if buf or argv (of `max` entries) is too
 * small; the sizes above are always enough. */
int mk__solo5_split_cmdline(const char *cmdline, const char *argv0, char *buf,
                            size_t size, char **argv, size_t max);

#endif
