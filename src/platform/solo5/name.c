/*
 * name.c: the image's default name, argv[0] of mk_main on Solo5, where the
 * tender passes no program name. An image built by mk/solo5.mk links, ahead
 * of libmkernel-solo5.a, this same file compiled with
 * -DMK_SOLO5_PROGRAM_NAME='"<example>"'; the linker then never pulls this
 * default out of the archive. Any application may do the same.
 */
#include "solo5_platform.h"

#ifndef MK_SOLO5_PROGRAM_NAME
#define MK_SOLO5_PROGRAM_NAME "unikernel"
#endif

const char mk__solo5_program_name[] = MK_SOLO5_PROGRAM_NAME;
