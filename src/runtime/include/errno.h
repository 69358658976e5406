/*
 * errno.h (mkernel runtime, Solo5 images only): C11 7.5. Only the runtime
 * sets errno: strtol and its family (ERANGE, EINVAL), the allocator
 * (ENOMEM) and the printf family (EOVERFLOW). mkernel's own calls return
 * their errors instead. The values are Linux's.
 */
#ifndef MK_RT_ERRNO_H
#define MK_RT_ERRNO_H

#ifdef __cplusplus
extern "C" {
#endif

extern int mk_rt_errno;
#define errno mk_rt_errno

#define ENOMEM 12
#define EINVAL 22
#define EDOM 33
#define ERANGE 34
#define EOVERFLOW 75
#define EILSEQ 84

#ifdef __cplusplus
}
#endif

#endif
