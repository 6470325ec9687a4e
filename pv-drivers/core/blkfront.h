/* pv-drivers core: the block frontend. Attaches to a vbd (blkback in
 * dom0, or the test platform's loopback), reads the disk's geometry and
 * features, and reads, writes and flushes it through one shared ring.
 *
 * Sectors are always 512 bytes, as in blkif; I/O must be aligned to the
 * disk's logical sector size. Data goes through a pool of pages granted
 * once at connect (one set of BLKIF_MAX_SEGMENTS_PER_REQUEST pages per
 * ring slot), so a request never waits for a grant, and the backend may
 * keep them mapped (feature-persistent). */
#ifndef PVD_BLKFRONT_H
#define PVD_BLKFRONT_H

#include "pv-drivers/core/ring.h"
#include <xen/io/blkif.h>

#include "pv-drivers/core/xenbus.h"

#define PVD_BLK_SLOTS __CONST_RING_SIZE(blkif, PVD_PAGE_SIZE)
#define PVD_BLK_SEGS BLKIF_MAX_SEGMENTS_PER_REQUEST
#define PVD_BLK_SECTORS_PER_PAGE (PVD_PAGE_SIZE / PVD_SECTOR_SIZE)
#define PVD_BLK_REQ_SECTORS (PVD_BLK_SEGS * PVD_BLK_SECTORS_PER_PAGE)
#define PVD_BLK_MAX_COUNT (1u << 21)	/* sectors per call: 1 GiB */
#define PVD_BLK_IO_TIMEOUT_MS 30000u

/* What the backend said about the disk once connected, all checked. */
struct pvd_blk_info {
	uint64_t sectors;		/* capacity, 512-byte sectors */
	uint32_t sector_size;		/* logical, 512..4096, a power of 2 */
	uint32_t physical_sector_size;
	uint32_t vdisk_info;		/* VDISK_* bits */
	bool readonly;
	bool flush;			/* feature-flush-cache */
	bool barrier;			/* feature-barrier */
	bool discard;			/* feature-discard */
	bool persistent;		/* feature-persistent (offered) */
};

struct pvd_blk_slot {
	bool busy;
	uint8_t op;
	uint32_t nsect;
	uint64_t sector;
	uint8_t *dst;			/* reads: where the data goes */
};

struct pvd_blkfront {
	struct pvd_platform *plat;
	struct pvd_xenbus xb;
	uint32_t vdev;
	blkif_front_ring_t ring;
	void *ring_page;		/* NULL when not granted */
	uint32_t ring_ref;
	uint32_t port;
	bool port_open;
	uint8_t *pool;			/* PVD_BLK_SLOTS * PVD_BLK_SEGS pages */
	uint32_t pool_refs[PVD_BLK_SLOTS * PVD_BLK_SEGS];
	struct pvd_blk_slot slots[PVD_BLK_SLOTS];
	uint32_t busy;			/* slots in flight */
	struct pvd_blk_info info;
	bool broken;			/* backend broke the protocol */
	uint32_t io_timeout_ms;
	uint64_t requests;		/* sent, for tests and benchmarks */
	uint64_t notifies;
	uint64_t waits;			/* times I/O slept for the backend */
};

/* Frontend for device/vbd/VDEV. No I/O yet. */
int pvd_blkfront_init(struct pvd_blkfront *bf, struct pvd_platform *p,
		      uint32_t vdev);
void pvd_blkfront_dispose(struct pvd_blkfront *bf);

int pvd_blkfront_attach(struct pvd_blkfront *bf, uint32_t timeout_ms);
int pvd_blkfront_detach(struct pvd_blkfront *bf, uint32_t timeout_ms);

/* COUNT sectors from SECTOR into/from BUF (COUNT * 512 bytes).
 * 0, or: -EINVAL (range, alignment), -EROFS, -EIO (the backend reported
 * an error), -ETIMEDOUT, -EPROTO (the backend misbehaved; the device is
 * unusable until detached), -ECONNRESET/-ENODEV (backend went away). */
int pvd_blkfront_read(struct pvd_blkfront *bf, uint64_t sector,
		      uint32_t count, void *buf);
int pvd_blkfront_write(struct pvd_blkfront *bf, uint64_t sector,
		       uint32_t count, const void *buf);
/* Flushes the backend's write cache; -EOPNOTSUPP without feature-flush-cache. */
int pvd_blkfront_flush(struct pvd_blkfront *bf);

static inline const struct pvd_blk_info *
pvd_blkfront_info(const struct pvd_blkfront *bf)
{
	return &bf->info;
}

#endif
