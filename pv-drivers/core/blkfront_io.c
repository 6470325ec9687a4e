/* pv-drivers core: block frontend, data side. One producer (blk_produce)
 * and one consumer (blk_consume) for the blkif ring; every response is
 * copied out of shared memory and checked before it is believed. */
#include <string.h>

#include "pv-drivers/core/blkfront.h"

/* One call's progress. */
struct blk_io {
	int status;		/* first error the backend reported */
};

static uint8_t *slot_pages(struct pvd_blkfront *bf, uint32_t id)
{
	return bf->pool + (size_t)id * PVD_BLK_SEGS * PVD_PAGE_SIZE;
}

/* The backend broke the protocol: no more I/O on this connection (its
 * slots may still be in use by the backend). */
static int broken(struct pvd_blkfront *bf, int code)
{
	bf->broken = true;
	return code;
}

/* Producer: N prepared requests into the ring, one notification if the
 * backend asked for it (req_event). */
static int blk_produce(struct pvd_blkfront *bf, const blkif_request_t *reqs,
		       unsigned int n)
{
	struct pvd_platform *p = bf->plat;
	unsigned int i;
	int notify;

	for (i = 0; i < n; i++) {
		*RING_GET_REQUEST(&bf->ring, bf->ring.req_prod_pvt) = reqs[i];
		bf->ring.req_prod_pvt++;
	}
	bf->requests += n;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&bf->ring, notify);
	if (!notify)
		return 0;
	bf->notifies++;
	return p->ops->evtchn_notify(p, bf->port);
}

static const char *op_name(uint8_t op)
{
	switch (op) {
	case BLKIF_OP_READ:
		return "read";
	case BLKIF_OP_WRITE:
		return "write";
	case BLKIF_OP_FLUSH_DISKCACHE:
		return "flush";
	default:
		return "unknown";
	}
}

static int blk_complete(struct pvd_blkfront *bf, struct blk_io *io,
			const blkif_response_t *rsp)
{
	struct pvd_platform *p = bf->plat;
	struct pvd_blk_slot *s;

	if (rsp->id >= PVD_BLK_SLOTS || !bf->slots[rsp->id].busy)
		return broken(bf, pvd_fail(&p->err, -EPROTO, "%s: backend answered "
					   "request id %llu, which is not in flight",
					   bf->xb.node, (unsigned long long)rsp->id));
	s = &bf->slots[rsp->id];
	if (rsp->operation != s->op)
		return broken(bf, pvd_fail(&p->err, -EPROTO, "%s: backend answered "
					   "%s request %llu as operation %u",
					   bf->xb.node, op_name(s->op),
					   (unsigned long long)rsp->id,
					   (unsigned int)rsp->operation));
	switch (rsp->status) {
	case BLKIF_RSP_OKAY:
		if (s->op == BLKIF_OP_READ)
			memcpy(s->dst, slot_pages(bf, (uint32_t)rsp->id),
			       (size_t)s->nsect * PVD_SECTOR_SIZE);
		break;
	case BLKIF_RSP_ERROR:
		if (io->status == 0)
			io->status = pvd_fail(&p->err, -EIO, "%s: backend reported "
					      "an I/O error (%s of %u sectors at %llu)",
					      bf->xb.node, op_name(s->op), s->nsect,
					      (unsigned long long)s->sector);
		break;
	case BLKIF_RSP_EOPNOTSUPP:
		if (s->op == BLKIF_OP_FLUSH_DISKCACHE)
			bf->info.flush = false;
		if (io->status == 0)
			io->status = pvd_fail(&p->err, -EOPNOTSUPP, "%s: backend does "
					      "not support %s requests",
					      bf->xb.node, op_name(s->op));
		break;
	default:
		return broken(bf, pvd_fail(&p->err, -EPROTO, "%s: backend answered "
					   "request %llu with unknown status %d",
					   bf->xb.node, (unsigned long long)rsp->id,
					   (int)rsp->status));
	}
	s->busy = false;
	bf->busy--;
	return 0;
}

/* Consumer: every response the backend has produced, then the final
 * re-check that asks for a notification on the next one. Returns how many
 * were consumed, or a negative error. */
static int blk_consume(struct pvd_blkfront *bf, struct blk_io *io)
{
	struct pvd_platform *p = bf->plat;
	int n = 0, more, r;

	do {
		RING_IDX prod = pvd_ring_read_idx(&bf->ring.sring->rsp_prod);

		xen_rmb();	/* responses before the index that covers them */
		if (!pvd_ring_rsp_prod_ok(prod, bf->ring.rsp_cons, bf->ring.req_prod_pvt))
			return broken(bf, pvd_fail(&p->err, -EPROTO, "%s: backend's "
						   "response index %u is past our "
						   "requests (%u consumed, %u sent)",
						   bf->xb.node, prod, bf->ring.rsp_cons,
						   bf->ring.req_prod_pvt));
		while (bf->ring.rsp_cons != prod) {
			blkif_response_t rsp;

			RING_COPY_RESPONSE(&bf->ring, bf->ring.rsp_cons, &rsp);
			bf->ring.rsp_cons++;
			r = blk_complete(bf, io, &rsp);
			if (r < 0)
				return r;
			n++;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&bf->ring, more);
	} while (more);
	return n;
}

static int free_slot(const struct pvd_blkfront *bf)
{
	uint32_t i;

	for (i = 0; i < PVD_BLK_SLOTS; i++)
		if (!bf->slots[i].busy)
			return (int)i;
	return -1;
}

/* Next request of the call into REQ (slot taken); returns its sectors. */
static uint32_t blk_prepare_req(struct pvd_blkfront *bf, blkif_request_t *req,
				uint8_t op, uint64_t sector, uint32_t left,
				uint8_t *rbuf, const uint8_t *wbuf)
{
	uint32_t id = (uint32_t)free_slot(bf);
	uint32_t n = left < PVD_BLK_REQ_SECTORS ? left : PVD_BLK_REQ_SECTORS;
	struct pvd_blk_slot *s = &bf->slots[id];
	uint32_t seg, done = 0;

	memset(req, 0, sizeof(*req));
	req->operation = op;
	req->handle = (blkif_vdev_t)bf->vdev;
	req->id = id;
	req->sector_number = sector;
	for (seg = 0; done < n; seg++) {
		uint32_t k = n - done < PVD_BLK_SECTORS_PER_PAGE ?
			n - done : PVD_BLK_SECTORS_PER_PAGE;

		req->seg[seg].gref = bf->pool_refs[id * PVD_BLK_SEGS + seg];
		req->seg[seg].first_sect = 0;
		req->seg[seg].last_sect = (uint8_t)(k - 1);
		done += k;
	}
	req->nr_segments = (uint8_t)seg;
	if (wbuf != NULL)
		memcpy(slot_pages(bf, id), wbuf, (size_t)n * PVD_SECTOR_SIZE);
	s->busy = true;
	s->op = op;
	s->nsect = n;
	s->sector = sector;
	s->dst = rbuf;
	bf->busy++;
	return n;
}

static int usable(struct pvd_blkfront *bf)
{
	struct pvd_platform *p = bf->plat;

	if (!pvd_xenbus_connected(&bf->xb))
		return pvd_fail(&p->err, -ENOTCONN, "%s: not connected", bf->xb.node);
	if (bf->broken)
		return pvd_fail(&p->err, -EPROTO, "%s: the backend broke the "
				"protocol earlier; detach and attach again",
				bf->xb.node);
	return 0;
}

/* Waits for the backend; a watch means its state changed. */
static int blk_wait(struct pvd_blkfront *bf, uint64_t *deadline)
{
	struct pvd_platform *p = bf->plat;
	uint64_t now = p->ops->now_ms(p);
	int w, r;

	if (now >= *deadline)
		return broken(bf, pvd_fail(&p->err, -ETIMEDOUT, "%s: no answer from "
					   "the backend for %u ms (%u requests in "
					   "flight)", bf->xb.node, bf->io_timeout_ms,
					   bf->busy));
	bf->waits++;
	w = p->ops->wait(p, (uint32_t)(*deadline - now));
	if (w < 0)
		return w;
	if (w & PVD_WAKE_WATCH) {
		r = pvd_xenbus_poll(&bf->xb);
		if (r < 0)
			return broken(bf, r);
	}
	return 0;
}

/* OP on COUNT sectors at SECTOR, keeping the ring as full as it goes. */
static int blk_io(struct pvd_blkfront *bf, uint8_t op, uint64_t sector,
		  uint32_t count, uint8_t *rbuf, const uint8_t *wbuf)
{
	struct pvd_platform *p = bf->plat;
	struct blk_io io = { 0 };
	blkif_request_t reqs[PVD_BLK_SLOTS];
	uint64_t deadline = p->ops->now_ms(p) + bf->io_timeout_ms;
	uint32_t issued = 0;
	int r;

	/* A flush carries no data but is one request all the same. */
	bool pending = true;

	while (pending || bf->busy > 0) {
		unsigned int n = 0;

		while (io.status == 0 && pending && bf->busy < PVD_BLK_SLOTS &&
		       RING_FREE_REQUESTS(&bf->ring) > n) {
			uint32_t k = blk_prepare_req(bf, &reqs[n], op, sector + issued,
						     count - issued,
						     rbuf ? rbuf + (size_t)issued * PVD_SECTOR_SIZE : NULL,
						     wbuf ? wbuf + (size_t)issued * PVD_SECTOR_SIZE : NULL);

			if (op == BLKIF_OP_FLUSH_DISKCACHE) {
				reqs[n].nr_segments = 0;
				reqs[n].sector_number = 0;
			}
			n++;
			issued += k;
			pending = issued < count;
		}
		if (io.status != 0)
			pending = false;
		if (n > 0) {
			r = blk_produce(bf, reqs, n);
			if (r < 0)
				return broken(bf, r);
		}
		r = blk_consume(bf, &io);
		if (r < 0)
			return r;
		if (r > 0) {
			deadline = p->ops->now_ms(p) + bf->io_timeout_ms;
			continue;
		}
		if (bf->busy == 0)
			continue;
		r = blk_wait(bf, &deadline);
		if (r < 0)
			return r;
	}
	return io.status;
}

static int check_range(struct pvd_blkfront *bf, uint64_t sector, uint32_t count)
{
	struct pvd_platform *p = bf->plat;
	uint32_t align = bf->info.sector_size / PVD_SECTOR_SIZE;

	if (count == 0 || count > PVD_BLK_MAX_COUNT)
		return pvd_fail(&p->err, -EINVAL, "%s: %u sectors: expected 1 to %u",
				bf->xb.node, count, PVD_BLK_MAX_COUNT);
	if (sector >= bf->info.sectors || count > bf->info.sectors - sector)
		return pvd_fail(&p->err, -EINVAL, "%s: sectors %llu+%u are past the "
				"end of the disk (%llu sectors)", bf->xb.node,
				(unsigned long long)sector, count,
				(unsigned long long)bf->info.sectors);
	if ((sector % align) != 0 || (count % align) != 0)
		return pvd_fail(&p->err, -EINVAL, "%s: I/O must be aligned to the "
				"disk's %u-byte sectors (%u 512-byte sectors)",
				bf->xb.node, bf->info.sector_size, align);
	return 0;
}

/* What a read or a write of COUNT sectors at SECTOR checks first. */
static int io_allowed(struct pvd_blkfront *bf, uint64_t sector, uint32_t count)
{
	int r;

	pvd_err_clear(&bf->plat->err);
	r = usable(bf);
	if (r == 0)
		r = check_range(bf, sector, count);
	return r;
}

int pvd_blkfront_read(struct pvd_blkfront *bf, uint64_t sector,
		      uint32_t count, void *buf)
{
	int r = io_allowed(bf, sector, count);

	if (r < 0)
		return r;
	return blk_io(bf, BLKIF_OP_READ, sector, count, buf, NULL);
}

int pvd_blkfront_write(struct pvd_blkfront *bf, uint64_t sector,
		       uint32_t count, const void *buf)
{
	int r = io_allowed(bf, sector, count);

	if (r < 0)
		return r;
	if (bf->info.readonly)
		return pvd_fail(&bf->plat->err, -EROFS, "%s: the disk is read-only",
				bf->xb.node);
	return blk_io(bf, BLKIF_OP_WRITE, sector, count, NULL, buf);
}

int pvd_blkfront_flush(struct pvd_blkfront *bf)
{
	int r;

	pvd_err_clear(&bf->plat->err);
	r = usable(bf);
	if (r < 0)
		return r;
	if (!bf->info.flush)
		return pvd_fail(&bf->plat->err, -EOPNOTSUPP, "%s: the backend "
				"offers no feature-flush-cache", bf->xb.node);
	return blk_io(bf, BLKIF_OP_FLUSH_DISKCACHE, 0, 1, NULL, NULL);
}
