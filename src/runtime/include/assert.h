/*
 * assert.h (mkernel runtime, Solo5 images only): C11 7.2. A failed
 * assertion prints "file:line: func: Assertion `expr' failed." on the
 * console and aborts. Like every assert.h this one may be included again
 * with NDEBUG changed, so the macro is outside the include guard.
 */
#ifndef MK_RT_ASSERT_H
#define MK_RT_ASSERT_H

#ifdef __cplusplus
extern "C" {
#endif

__attribute__((__noreturn__)) void mk_rt_assert_fail(const char *expr,
                                                     const char *file, int line,
                                                     const char *func);

#ifdef __cplusplus
}
#endif

#if !defined(__cplusplus) && defined(__STDC_VERSION__) &&                      \
    __STDC_VERSION__ >= 201112L && __STDC_VERSION__ < 202311L
#define static_assert _Static_assert
#endif

#endif

#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
#define assert(expr)                                                           \
  ((expr) ? (void)0 : mk_rt_assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif
