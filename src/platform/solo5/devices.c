/*
 * devices.c: the Solo5 platform's net and block devices.
 *
 * A device is acquired by its manifest name; the handle Solo5 returns (the
 * device's index in the manifest: entry 0 is reserved, so the first device
 * is 1, and there are at most 64 entries) is the core's handle unchanged,
 * so ready sets need no translation. The tender has already refused to
 * start unless every manifest device was attached, which is why the devices
 * check has nothing to do; an acquisition can still fail (virtio offers one
 * device of each kind, an image built by hand may lack a manifest entry)
 * and then says which device and why.
 *
 * Solo5 moves one block per call, so multi-page requests are split. It has
 * no flush: a write is complete on the host (handed to the host's kernel)
 * when solo5_block_write returns, and no stronger promise is available, so
 * mk_block_flush succeeds without a hypercall.
 */
#include "solo5_platform.h"

#define MAX_HANDLES 64 /* a solo5_handle_set_t has 64 bits */

static size_t block_page[MAX_HANDLES]; /* page size by handle */

bool mk__platform_manifest_mode(void) { return false; }

mk_result mk__platform_devices_check(const mk__device_request *reqs, size_t n) {
  (void)reqs, (void)n;
  return MK_OK;
}

/* Nothing to confine: the tender's own sandbox (seccomp on spt, the
 * hypervisor on hvt and virtio) has held the image since it started. */
void mk__platform_devices_acquired(void) {}

static const char *solo5_result_name(solo5_result_t r) {
  switch (r) {
  case SOLO5_R_OK:
    return "ok";
  case SOLO5_R_AGAIN:
    return "try again";
  case SOLO5_R_EINVAL:
    return "invalid argument";
  default:
    return "unspecified error";
  }
}

static void acquire_failed(const char *kind, const char *name,
                           solo5_result_t r) {
  mk__solo5_error("%s device \"%s\": solo5_%s_acquire: %s (is it declared "
                  "in the image's manifest, and acquired once? on virtio "
                  "only one %s device can be used)",
                  kind, name, kind, solo5_result_name(r), kind);
}

static bool handle_ok(const char *kind, const char *name, solo5_handle_t h) {
  if (h < MAX_HANDLES) return true;
  mk__solo5_error("%s device \"%s\": handle %lu out of range (at most 64 "
                  "manifest entries)",
                  kind, name, (unsigned long)h);
  return false;
}

/* ---- Net ---- */

mk_result mk__platform_net_acquire(const char *name, uint64_t *handle,
                                   mk_net_info *info) {
  solo5_handle_t h;
  struct solo5_net_info ni;
  solo5_result_t r = solo5_net_acquire(name, &h, &ni);
  if (r != SOLO5_R_OK) {
    acquire_failed("net", name, r);
    return MK_ENODEV;
  }
  if (!handle_ok("net", name, h)) return MK_ENODEV;
  _Static_assert(SOLO5_NET_ALEN == MK_NET_ALEN, "MAC length");
  _Static_assert(SOLO5_NET_HLEN == MK_NET_HLEN, "Ethernet header length");
  mk_rt_memcpy(info->mac, ni.mac_address, MK_NET_ALEN);
  info->mtu = ni.mtu;
  *handle = h;
  return MK_OK;
}

/* The core always reads into mtu + MK_NET_HLEN bytes, the largest frame
 * the device delivers: Solo5 would truncate a larger one without saying
 * so, and nothing can tell, so MK_EINVAL never comes from here. */
mk_result mk__platform_net_read(uint64_t handle, void *buf, size_t size,
                                size_t *len) {
  size_t got = 0;
  solo5_result_t r = solo5_net_read(handle, buf, size, &got);
  if (r == SOLO5_R_AGAIN) return MK_AGAIN;
  if (r != SOLO5_R_OK) return MK_EUNSPEC;
  *len = got;
  return MK_OK;
}

/* Solo5 drops a frame the host cannot take and still says SOLO5_R_OK; any
 * error is reported the same way, as a dropped frame. */
mk_result mk__platform_net_write(uint64_t handle, const void *buf, size_t len) {
  mk__solo5_tx_unsettled = true;
  return solo5_net_write(handle, buf, len) == SOLO5_R_OK ? MK_OK : MK_AGAIN;
}

/* ---- Block ---- */

mk_result mk__platform_block_acquire(const char *name, uint64_t *handle,
                                     uint64_t *length, size_t *page_size) {
  solo5_handle_t h;
  struct solo5_block_info bi;
  solo5_result_t r = solo5_block_acquire(name, &h, &bi);
  if (r != SOLO5_R_OK) {
    acquire_failed("block", name, r);
    return MK_ENODEV;
  }
  if (!handle_ok("block", name, h)) return MK_ENODEV;
  /* The tenders enforce this; mkernel's contract depends on it. */
  uint64_t page = bi.block_size;
  if (page < 512 || page > 32768 || (page & (page - 1)) || bi.capacity % page) {
    mk__solo5_error("block device \"%s\": block size %lu and capacity %lu "
                    "(the block size must be a power of two from 512 to "
                    "32768 and divide the capacity)",
                    name, (unsigned long)page, (unsigned long)bi.capacity);
    return MK_ENODEV;
  }
  block_page[h] = (size_t)page;
  *handle = h;
  *length = bi.capacity;
  *page_size = (size_t)page;
  return MK_OK;
}

mk_result mk__platform_block_read(uint64_t handle, uint64_t off, void *buf,
                                  size_t len) {
  size_t page = block_page[handle];
  uint8_t *p = buf;
  for (size_t done = 0; done < len; done += page)
    if (solo5_block_read(handle, off + done, p + done, page) != SOLO5_R_OK)
      return MK_EUNSPEC;
  return MK_OK;
}

mk_result mk__platform_block_write(uint64_t handle, uint64_t off,
                                   const void *buf, size_t len) {
  size_t page = block_page[handle];
  const uint8_t *p = buf;
  for (size_t done = 0; done < len; done += page)
    if (solo5_block_write(handle, off + done, p + done, page) != SOLO5_R_OK)
      return MK_EUNSPEC;
  return MK_OK;
}

mk_result mk__platform_block_flush(uint64_t handle) {
  (void)handle;
  return MK_OK;
}
