/*
 * md5.h: MD5 (RFC 1321), to print the digest of block device pages as the
 * OCaml original does with Digest. Portable C with no dependency beyond the
 * standard headers, so the same file links into a unikernel, the hosted
 * examples and the unit tests. MD5 is broken as a cryptographic hash; here it
 * is only a fingerprint.
 */
#ifndef MK_EXAMPLE_MD5_H
#define MK_EXAMPLE_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct md5_ctx {
  uint32_t state[4];
  uint64_t length;   /* bytes hashed so far */
  uint8_t block[64]; /* a partial block waiting for more input */
} md5_ctx;

void md5_init(md5_ctx *ctx);
/* Hashes data[0..len); may be called any number of times, with any sizes. */
void md5_update(md5_ctx *ctx, const void *data, size_t len);
/* Stores the 16-byte digest; the context must be initialised again before
 * being reused. */
void md5_final(md5_ctx *ctx, uint8_t digest[16]);
/* The digest of data[0..len) as 32 lowercase hex digits and a NUL. */
void md5_hex(const void *data, size_t len, char out[33]);

#endif
