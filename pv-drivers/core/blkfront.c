/* pv-drivers core: block frontend, connection side (rings, grants,
 * xenstore nodes, the backend's description of the disk). */
#include <string.h>

#include <xen/io/protocols.h>

#include "pv-drivers/core/blkfront.h"
#include "pv-drivers/core/xs.h"

static int blk_prepare(void *drv, struct pvd_xenbus *xb)
{
	struct pvd_blkfront *bf = drv;
	struct pvd_platform *p = bf->plat;
	blkif_sring_t *sring;
	void *pool;
	int r;

	r = p->ops->grant(p, xb->backend_id, 1, true, &bf->ring_ref, &bf->ring_page);
	if (r < 0)
		return r;
	sring = bf->ring_page;
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&bf->ring, sring, PVD_PAGE_SIZE);
	if (RING_SIZE(&bf->ring) != PVD_BLK_SLOTS)
		return pvd_fail(&p->err, -EINVAL, "blkif ring holds %u, expected %u",
				RING_SIZE(&bf->ring), (unsigned int)PVD_BLK_SLOTS);
	r = p->ops->grant(p, xb->backend_id, PVD_BLK_SLOTS * PVD_BLK_SEGS, true,
			  bf->pool_refs, &pool);
	if (r < 0)
		return r;
	bf->pool = pool;
	r = p->ops->evtchn_alloc(p, xb->backend_id, &bf->port);
	if (r < 0)
		return r;
	bf->port_open = true;
	memset(bf->slots, 0, sizeof(bf->slots));
	bf->busy = 0;
	bf->broken = false;
	return 0;
}

static int blk_write_nodes(void *drv, struct pvd_xenbus *xb, pvd_txn_t t)
{
	struct pvd_blkfront *bf = drv;
	int r;

	r = pvd_xs_write_u64(bf->plat, t, xb->node, "ring-ref", bf->ring_ref);
	if (r == 0)
		r = pvd_xs_write_u64(bf->plat, t, xb->node, "event-channel", bf->port);
	if (r == 0)
		r = pvd_xs_write(bf->plat, t, xb->node, "protocol",
				 XEN_IO_PROTO_ABI_NATIVE);
	/* The data pool's grants never change: the backend may keep them
	 * mapped instead of mapping and unmapping 11 pages per request. */
	if (r == 0)
		r = pvd_xs_write(bf->plat, t, xb->node, "feature-persistent", "1");
	return r;
}

static bool pow2_between(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v >= lo && v <= hi && (v & (v - 1)) == 0;
}

static int read_flag(struct pvd_platform *p, const char *be, const char *name,
		     bool *out)
{
	uint64_t v;
	int r = pvd_xs_read_u64_or(p, PVD_TXN_NONE, be, name, UINT32_MAX, 0, &v);

	*out = r == 0 && v != 0;
	return r;
}

static int blk_connected(void *drv, struct pvd_xenbus *xb)
{
	struct pvd_blkfront *bf = drv;
	struct pvd_platform *p = bf->plat;
	struct pvd_blk_info in;
	const char *be = xb->backend;
	uint64_t v;
	int r;

	memset(&in, 0, sizeof(in));
	r = pvd_xs_read_u64(p, PVD_TXN_NONE, be, "sectors",
			    UINT64_MAX / PVD_SECTOR_SIZE, &in.sectors);
	if (r < 0)
		return r;
	r = pvd_xs_read_u64(p, PVD_TXN_NONE, be, "sector-size", UINT32_MAX, &v);
	if (r < 0)
		return r;
	/* A segment is one page: a larger logical sector cannot be addressed. */
	if (!pow2_between(v, PVD_SECTOR_SIZE, PVD_PAGE_SIZE))
		return pvd_fail(&p->err, -EPROTO, "%s/sector-size is %llu: expected "
				"a power of two from 512 to 4096", be,
				(unsigned long long)v);
	in.sector_size = (uint32_t)v;
	r = pvd_xs_read_u64_or(p, PVD_TXN_NONE, be, "physical-sector-size",
			       UINT32_MAX, in.sector_size, &v);
	if (r < 0)
		return r;
	if (!pow2_between(v, in.sector_size, 1u << 30))
		return pvd_fail(&p->err, -EPROTO, "%s/physical-sector-size is %llu: "
				"expected a power of two >= sector-size", be,
				(unsigned long long)v);
	in.physical_sector_size = (uint32_t)v;
	r = pvd_xs_read_u64_or(p, PVD_TXN_NONE, be, "info", UINT32_MAX, 0, &v);
	if (r < 0)
		return r;
	in.vdisk_info = (uint32_t)v;
	in.readonly = (in.vdisk_info & VDISK_READONLY) != 0;
	r = read_flag(p, be, "feature-flush-cache", &in.flush);
	if (r == 0)
		r = read_flag(p, be, "feature-barrier", &in.barrier);
	if (r == 0)
		r = read_flag(p, be, "feature-discard", &in.discard);
	if (r == 0)
		r = read_flag(p, be, "feature-persistent", &in.persistent);
	if (r < 0)
		return r;
	bf->info = in;
	return 0;
}

static void blk_release(void *drv, struct pvd_xenbus *xb)
{
	struct pvd_blkfront *bf = drv;
	struct pvd_platform *p = bf->plat;

	(void)xb;
	if (bf->port_open)
		p->ops->evtchn_close(p, bf->port);
	bf->port_open = false;
	if (bf->pool != NULL)
		p->ops->ungrant(p, bf->pool, PVD_BLK_SLOTS * PVD_BLK_SEGS);
	bf->pool = NULL;
	if (bf->ring_page != NULL)
		p->ops->ungrant(p, bf->ring_page, 1);
	bf->ring_page = NULL;
	memset(&bf->ring, 0, sizeof(bf->ring));
	bf->busy = 0;
}

static const struct pvd_xenbus_ops blk_xenbus_ops = {
	.prepare = blk_prepare,
	.write_nodes = blk_write_nodes,
	.connected = blk_connected,
	.release = blk_release,
};

int pvd_blkfront_init(struct pvd_blkfront *bf, struct pvd_platform *p,
		      uint32_t vdev)
{
	char node[PVD_PATH_MAX];

	memset(bf, 0, sizeof(*bf));
	bf->plat = p;
	bf->vdev = vdev;
	bf->io_timeout_ms = PVD_BLK_IO_TIMEOUT_MS;
	(void)pvd_fmt(node, sizeof(node), "device/vbd/%u", vdev);
	return pvd_xenbus_init(&bf->xb, p, node, XenbusStateInitialised,
			       &blk_xenbus_ops, bf);
}

void pvd_blkfront_dispose(struct pvd_blkfront *bf)
{
	pvd_xenbus_dispose(&bf->xb);
}

int pvd_blkfront_attach(struct pvd_blkfront *bf, uint32_t timeout_ms)
{
	return pvd_xenbus_attach(&bf->xb, timeout_ms);
}

int pvd_blkfront_detach(struct pvd_blkfront *bf, uint32_t timeout_ms)
{
	return pvd_xenbus_detach(&bf->xb, timeout_ms);
}
