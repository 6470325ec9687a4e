/* pv-drivers test platform: a blkback-like loopback backend on a memory
 * buffer. Follows Linux blkback's state handling (frontend Initialised or
 * Connected -> map ring, write the disk's details, Connected; Closed ->
 * unmap, Closed; Initialising after Closed -> InitWait) and checks every
 * request as blkback does. */
#include <stdlib.h>
#include <string.h>

#include "pv-drivers/core/ring.h"
#include <xen/io/blkif.h>
#include <xen/io/protocols.h>

#include "pv-drivers/platform/test/testplat_int.h"

struct pvd_test_vbd {
	struct tdev d;
	uint32_t vdev;
	struct pvd_test_vbd_config cfg;
	uint8_t *disk;
	uint32_t ring_ref;
	blkif_back_ring_t ring;
	unsigned int requests, flushes, max_inflight;
	bool closed_on_io;
};

static struct pvd_test_vbd *V(struct tdev *d)
{
	return (struct pvd_test_vbd *)d;
}

static void vbd_disconnect(struct tdev *d)
{
	d->connected = false;
	d->port = 0;
}

static void vbd_connect(struct pvd_test_vbd *v)
{
	struct tdev *d = &v->d;
	g_autofree char *proto_path = g_strdup_printf("%s/protocol", d->fe);
	g_autofree char *proto = pvd_test_xs_get(d->t, proto_path);
	blkif_sring_t *sring;
	uint32_t port;
	char buf[32];

	if (d->misbehave == PVD_TEST_REFUSE) {
		tdev_fatal(d, "refusing, as told");
		return;
	}
	if (!tdev_fe_u32(d, "ring-ref", &v->ring_ref) ||
	    !tdev_fe_u32(d, "event-channel", &port)) {
		tdev_fatal(d, "no ring-ref or event-channel");
		return;
	}
	if (proto != NULL && strcmp(proto, XEN_IO_PROTO_ABI_NATIVE) != 0) {
		tdev_fatal(d, "unknown protocol");
		return;
	}
	sring = test_map(d->t, v->ring_ref, true);
	if (sring == NULL || !test_port_bind(d->t, port)) {
		tdev_fatal(d, "mapping ring or binding port failed");
		return;
	}
	BACK_RING_INIT(&v->ring, sring, PVD_PAGE_SIZE);
	d->port = port;
	d->connected = true;
	g_snprintf(buf, sizeof(buf), "%" G_GUINT64_FORMAT, v->cfg.sectors);
	tdev_be_set(d, "sectors", buf);
	g_snprintf(buf, sizeof(buf), "%u", v->cfg.readonly ? VDISK_READONLY : 0);
	tdev_be_set(d, "info", buf);
	g_snprintf(buf, sizeof(buf), "%u", v->cfg.sector_size);
	tdev_be_set(d, "sector-size", buf);
	tdev_be_set(d, "physical-sector-size", buf);
	tdev_be_set(d, "feature-flush-cache", v->cfg.flush ? "1" : "0");
	if (!tdev_override(d))
		tdev_set_state(d, XenbusStateConnected);
}

static void vbd_frontend_changed(struct tdev *d)
{
	struct pvd_test_vbd *v = V(d);

	switch (tdev_fe_state(d)) {
	case XenbusStateInitialising:
		if (d->state == XenbusStateClosed && d->misbehave != PVD_TEST_NEVER_READY)
			tdev_set_state(d, XenbusStateInitWait);
		break;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		if (d->state == XenbusStateInitWait)
			vbd_connect(v);
		break;
	case XenbusStateClosing:
		tdev_set_state(d, XenbusStateClosing);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		vbd_disconnect(d);
		tdev_set_state(d, XenbusStateClosed);
		break;
	case XenbusStateInitWait:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		break;
	}
}

/* Does REQ as blkback would; returns a BLKIF_RSP_* status. */
static int16_t vbd_do(struct pvd_test_vbd *v, const blkif_request_t *req)
{
	bool is_read = req->operation == BLKIF_OP_READ;
	uint64_t sector = req->sector_number;
	unsigned int i;

	switch (req->operation) {
	case BLKIF_OP_FLUSH_DISKCACHE:
		if (!v->cfg.flush)
			return BLKIF_RSP_EOPNOTSUPP;
		v->flushes++;
		return BLKIF_RSP_OKAY;
	case BLKIF_OP_READ:
	case BLKIF_OP_WRITE:
		break;
	default:
		return BLKIF_RSP_EOPNOTSUPP;
	}
	if (req->nr_segments == 0 || req->nr_segments > BLKIF_MAX_SEGMENTS_PER_REQUEST)
		return BLKIF_RSP_ERROR;
	if (!is_read && v->cfg.readonly)
		return BLKIF_RSP_ERROR;
	for (i = 0; i < req->nr_segments; i++) {
		const struct blkif_request_segment *s = &req->seg[i];
		unsigned int n = s->last_sect - s->first_sect + 1u;
		uint8_t *page;
		size_t off, len;

		if (s->last_sect >= PVD_PAGE_SIZE / 512 || s->last_sect < s->first_sect)
			return BLKIF_RSP_ERROR;
		/* blkback's alignment rule for the logical sector size. */
		if (((sector | n) & (v->cfg.sector_size / 512 - 1)) != 0)
			return BLKIF_RSP_ERROR;
		if (sector + n > v->cfg.sectors)
			return BLKIF_RSP_ERROR;
		page = test_map(v->d.t, s->gref, is_read);
		if (page == NULL)
			return BLKIF_RSP_ERROR;
		off = (size_t)sector * 512;
		len = (size_t)n * 512;
		if (is_read)
			memcpy(page + s->first_sect * 512u, v->disk + off, len);
		else
			memcpy(v->disk + off, page + s->first_sect * 512u, len);
		sector += n;
	}
	return BLKIF_RSP_OKAY;
}

static void respond(struct pvd_test_vbd *v, const blkif_request_t *req, int16_t status)
{
	blkif_response_t *rsp = RING_GET_RESPONSE(&v->ring, v->ring.rsp_prod_pvt);

	rsp->id = req->id;
	rsp->operation = req->operation;
	rsp->status = status;
	switch (v->d.misbehave) {
	case PVD_TEST_BAD_ID:
		rsp->id = req->id + 1000;
		break;
	case PVD_TEST_BAD_OP:
		rsp->operation = (uint8_t)(req->operation ^ 1);
		break;
	case PVD_TEST_BAD_STATUS:
		rsp->status = 7;
		break;
	case PVD_TEST_IO_ERROR:
		rsp->status = BLKIF_RSP_ERROR;
		break;
	case PVD_TEST_GOOD:
	case PVD_TEST_DUP_ID:
	case PVD_TEST_BAD_PROD:
	case PVD_TEST_SILENT:
	case PVD_TEST_CLOSE_ON_IO:
	case PVD_TEST_REFUSE:
	case PVD_TEST_NEVER_READY:
	case PVD_TEST_RX_BAD_SIZE:
	case PVD_TEST_RX_BAD_OFFSET:
	case PVD_TEST_RX_MORE_DATA:
	case PVD_TEST_RX_ERROR:
		break;
	}
	v->ring.rsp_prod_pvt++;
}

static void vbd_service(struct tdev *d)
{
	struct pvd_test_vbd *v = V(d);
	int more, notify;

	v->ring.sring = test_map(d->t, v->ring_ref, true);
	if (v->ring.sring == NULL) {
		test_stale(d->t);
		vbd_disconnect(d);
		return;
	}
	do {
		RING_IDX rp = pvd_ring_read_idx(&v->ring.sring->req_prod);

		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(&v->ring, rp)) {
			tdev_fatal(d, "frontend's request index overflows the ring");
			return;
		}
		if (rp - v->ring.req_cons > v->max_inflight)
			v->max_inflight = rp - v->ring.req_cons;
		while (v->ring.req_cons != rp) {
			blkif_request_t req;
			int16_t st;

			RING_COPY_REQUEST(&v->ring, v->ring.req_cons, &req);
			v->ring.req_cons++;
			v->requests++;
			if (d->misbehave == PVD_TEST_SILENT)
				continue;
			if (d->misbehave == PVD_TEST_CLOSE_ON_IO) {
				if (!v->closed_on_io)
					tdev_set_state(d, XenbusStateClosing);
				v->closed_on_io = true;
				continue;
			}
			st = vbd_do(v, &req);
			respond(v, &req, st);
			if (d->misbehave == PVD_TEST_DUP_ID)
				respond(v, &req, st);
		}
		RING_FINAL_CHECK_FOR_REQUESTS(&v->ring, more);
	} while (more);
	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->ring, notify);
	if (d->misbehave == PVD_TEST_BAD_PROD) {
		v->ring.sring->rsp_prod += 1000;
		notify = 1;
	}
	if (notify)
		test_notify_front(d->t, d->port);
}

static void vbd_free(struct tdev *d)
{
	struct pvd_test_vbd *v = V(d);

	free(v->disk);
	tdev_dispose(d);
	g_free(v);
}

static const struct tdev_ops vbd_ops = {
	.frontend_changed = vbd_frontend_changed,
	.service = vbd_service,
	.disconnect = vbd_disconnect,
	.free = vbd_free,
};

struct pvd_test_vbd *pvd_test_vbd_add(struct pvd_test *t, uint32_t vdev,
				      const struct pvd_test_vbd_config *cfg)
{
	struct pvd_test_vbd *v = g_new0(struct pvd_test_vbd, 1);
	struct tdev *d = &v->d;
	char buf[64];

	tdev_init(d, t, &vbd_ops, "vbd", vdev);
	v->vdev = vdev;
	v->cfg = *cfg;
	if (v->cfg.sector_size == 0)
		v->cfg.sector_size = 512;
	d->misbehave = cfg->misbehave;
	d->override_node = cfg->override_node;
	d->override_value = cfg->override_value;
	v->disk = calloc(1, (size_t)cfg->sectors * 512 + 1);
	g_assert_nonnull(v->disk);
	/* As a toolstack writes them: frontend first, then backend. */
	tdev_register(t, d);
	tdev_fe_set(d, "backend", d->be);
	tdev_fe_set(d, "backend-id", "0");
	g_snprintf(buf, sizeof(buf), "%u", vdev);
	tdev_fe_set(d, "virtual-device", buf);
	tdev_fe_set(d, "device-type", "disk");
	tdev_fe_set(d, "state", "1");
	d->fe_changed = false;
	tdev_be_set(d, "frontend", d->fe);
	g_snprintf(buf, sizeof(buf), "%u", test_domid(t));
	tdev_be_set(d, "frontend-id", buf);
	tdev_be_set(d, "mode", cfg->readonly ? "r" : "w");
	tdev_set_state(d, cfg->misbehave == PVD_TEST_NEVER_READY ?
		       XenbusStateInitialising : XenbusStateInitWait);
	return v;
}

uint8_t *pvd_test_vbd_disk(struct pvd_test_vbd *v)
{
	return v->disk;
}

XenbusState pvd_test_vbd_state(const struct pvd_test_vbd *v)
{
	return v->d.state;
}

unsigned int pvd_test_vbd_requests(const struct pvd_test_vbd *v)
{
	return v->requests;
}

unsigned int pvd_test_vbd_flushes(const struct pvd_test_vbd *v)
{
	return v->flushes;
}

void pvd_test_vbd_misbehave(struct pvd_test_vbd *v, enum pvd_test_misbehave m)
{
	v->d.misbehave = m;
}

const char *pvd_test_vbd_backend(const struct pvd_test_vbd *v)
{
	return v->d.be;
}

void pvd_test_vbd_unplug(struct pvd_test_vbd *v)
{
	tdev_be_set(&v->d, "online", "0");
	tdev_set_state(&v->d, XenbusStateClosing);
}

unsigned int pvd_test_vbd_max_inflight(const struct pvd_test_vbd *v)
{
	return v->max_inflight;
}

void pvd_test_vbd_shift_ring(struct pvd_test_vbd *v, uint32_t start)
{
	blkif_sring_t *sring = test_map(v->d.t, v->ring_ref, true);

	g_assert_nonnull(sring);
	g_assert_cmpuint(sring->req_prod, ==, v->ring.req_cons);
	g_assert_cmpuint(sring->rsp_prod, ==, v->ring.rsp_prod_pvt);
	g_assert_cmpuint(v->ring.req_cons, ==, v->ring.rsp_prod_pvt);
	sring->req_prod = sring->rsp_prod = start;
	sring->req_event = sring->rsp_event = start + 1;
	v->ring.req_cons = v->ring.rsp_prod_pvt = start;
}
