/*
 * inttypes.h (mkernel runtime, Solo5 images only): the format macros of
 * C11 7.8.1 for printf (PRId64, PRIxPTR, ...). Not provided: the SCN macros
 * (there is no scanf) and the functions imaxabs, imaxdiv, strtoimax and
 * wcstoimax. The choice of length modifier assumes the types of GCC and
 * Clang on LP64 and ILP32 ELF targets, where int64_t is long exactly when
 * long has 64 bits; -Wformat checks it wherever these macros are used.
 */
#ifndef MK_RT_INTTYPES_H
#define MK_RT_INTTYPES_H

#include <stdint.h>

#if __SIZEOF_LONG__ == 8
#define MK_RT_PRI64 "l"
#else
#define MK_RT_PRI64 "ll"
#endif
#if __SIZEOF_POINTER__ == __SIZEOF_LONG__
#define MK_RT_PRIPTR "l"
#else
#define MK_RT_PRIPTR ""
#endif
/* int_fast16_t and int_fast32_t are long on 64-bit Linux targets. */
#if __INT_FAST16_WIDTH__ == 64
#define MK_RT_PRIFAST16 MK_RT_PRI64
#else
#define MK_RT_PRIFAST16 ""
#endif
#if __INT_FAST32_WIDTH__ == 64
#define MK_RT_PRIFAST32 MK_RT_PRI64
#else
#define MK_RT_PRIFAST32 ""
#endif

#define PRId8 "d"
#define PRId16 "d"
#define PRId32 "d"
#define PRId64 MK_RT_PRI64 "d"
#define PRIdLEAST8 "d"
#define PRIdLEAST16 "d"
#define PRIdLEAST32 "d"
#define PRIdLEAST64 MK_RT_PRI64 "d"
#define PRIdFAST8 "d"
#define PRIdFAST16 MK_RT_PRIFAST16 "d"
#define PRIdFAST32 MK_RT_PRIFAST32 "d"
#define PRIdFAST64 MK_RT_PRI64 "d"
#define PRIdMAX "jd"
#define PRIdPTR MK_RT_PRIPTR "d"

#define PRIi8 "i"
#define PRIi16 "i"
#define PRIi32 "i"
#define PRIi64 MK_RT_PRI64 "i"
#define PRIiLEAST8 "i"
#define PRIiLEAST16 "i"
#define PRIiLEAST32 "i"
#define PRIiLEAST64 MK_RT_PRI64 "i"
#define PRIiFAST8 "i"
#define PRIiFAST16 MK_RT_PRIFAST16 "i"
#define PRIiFAST32 MK_RT_PRIFAST32 "i"
#define PRIiFAST64 MK_RT_PRI64 "i"
#define PRIiMAX "ji"
#define PRIiPTR MK_RT_PRIPTR "i"

#define PRIo8 "o"
#define PRIo16 "o"
#define PRIo32 "o"
#define PRIo64 MK_RT_PRI64 "o"
#define PRIoLEAST8 "o"
#define PRIoLEAST16 "o"
#define PRIoLEAST32 "o"
#define PRIoLEAST64 MK_RT_PRI64 "o"
#define PRIoFAST8 "o"
#define PRIoFAST16 MK_RT_PRIFAST16 "o"
#define PRIoFAST32 MK_RT_PRIFAST32 "o"
#define PRIoFAST64 MK_RT_PRI64 "o"
#define PRIoMAX "jo"
#define PRIoPTR MK_RT_PRIPTR "o"

#define PRIu8 "u"
#define PRIu16 "u"
#define PRIu32 "u"
#define PRIu64 MK_RT_PRI64 "u"
#define PRIuLEAST8 "u"
#define PRIuLEAST16 "u"
#define PRIuLEAST32 "u"
#define PRIuLEAST64 MK_RT_PRI64 "u"
#define PRIuFAST8 "u"
#define PRIuFAST16 MK_RT_PRIFAST16 "u"
#define PRIuFAST32 MK_RT_PRIFAST32 "u"
#define PRIuFAST64 MK_RT_PRI64 "u"
#define PRIuMAX "ju"
#define PRIuPTR MK_RT_PRIPTR "u"

#define PRIx8 "x"
#define PRIx16 "x"
#define PRIx32 "x"
#define PRIx64 MK_RT_PRI64 "x"
#define PRIxLEAST8 "x"
#define PRIxLEAST16 "x"
#define PRIxLEAST32 "x"
#define PRIxLEAST64 MK_RT_PRI64 "x"
#define PRIxFAST8 "x"
#define PRIxFAST16 MK_RT_PRIFAST16 "x"
#define PRIxFAST32 MK_RT_PRIFAST32 "x"
#define PRIxFAST64 MK_RT_PRI64 "x"
#define PRIxMAX "jx"
#define PRIxPTR MK_RT_PRIPTR "x"

#define PRIX8 "X"
#define PRIX16 "X"
#define PRIX32 "X"
#define PRIX64 MK_RT_PRI64 "X"
#define PRIXLEAST8 "X"
#define PRIXLEAST16 "X"
#define PRIXLEAST32 "X"
#define PRIXLEAST64 MK_RT_PRI64 "X"
#define PRIXFAST8 "X"
#define PRIXFAST16 MK_RT_PRIFAST16 "X"
#define PRIXFAST32 MK_RT_PRIFAST32 "X"
#define PRIXFAST64 MK_RT_PRI64 "X"
#define PRIXMAX "jX"
#define PRIXPTR MK_RT_PRIPTR "X"

#endif
