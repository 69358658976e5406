/*
 * result.c: names of result codes, generated from the one list in mkernel.h.
 */
#include "internal.h"

static const char *const names[] = {
#define MK__RESULT_NAME(code, text) [code] = text,
    MK_RESULTS(MK__RESULT_NAME)
#undef MK__RESULT_NAME
};

const char *mk_result_name(int code) {
  if (code >= MK_USER) return "application error";
  if (code < 0 || (size_t)code >= sizeof names / sizeof names[0])
    return "unknown result";
  return names[code];
}
