/*
 * ctype.h (mkernel runtime, Solo5 images only): character classes of C11
 * 7.4 in the "C" locale, which is the only one. Implemented in
 * src/runtime/ctype.c.
 */
#ifndef MK_RT_CTYPE_H
#define MK_RT_CTYPE_H

#ifdef __cplusplus
extern "C" {
#endif

int isalnum(int c);
int isalpha(int c);
int isblank(int c);
int iscntrl(int c);
int isdigit(int c);
int isgraph(int c);
int islower(int c);
int isprint(int c);
int ispunct(int c);
int isspace(int c);
int isupper(int c);
int isxdigit(int c);
int tolower(int c);
int toupper(int c);

#ifdef __cplusplus
}
#endif

#endif
