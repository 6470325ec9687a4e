/* pv-drivers test platform: a netback-like loopback backend on a pair of
 * frame queues. Follows Linux netback's state handling (frontend
 * Initialising -> InitWait, Connected -> map rings, Connected, Closing ->
 * disconnect) and checks every tx request as netback does. */
#include <string.h>

#include "pv-drivers/core/ring.h"
#include <xen/io/netif.h>

#include "pv-drivers/platform/test/testplat_int.h"

struct pvd_test_vif {
	struct tdev d;
	uint32_t handle;
	uint32_t tx_ref, rx_ref;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	GQueue *to_guest;		/* GBytes */
	GQueue *from_guest;		/* GBytes */
	unsigned int tx_rejected;
};

static struct pvd_test_vif *W(struct tdev *d)
{
	return (struct pvd_test_vif *)d;
}

static void vif_disconnect(struct tdev *d)
{
	d->connected = false;
	d->port = 0;
}

static void vif_connect(struct pvd_test_vif *v)
{
	struct tdev *d = &v->d;
	uint32_t port, rx_copy = 0;
	void *tx, *rx;

	if (d->misbehave == PVD_TEST_REFUSE) {
		tdev_fatal(d, "refusing, as told");
		return;
	}
	if (!tdev_fe_u32(d, "tx-ring-ref", &v->tx_ref) ||
	    !tdev_fe_u32(d, "rx-ring-ref", &v->rx_ref) ||
	    !tdev_fe_u32(d, "event-channel", &port)) {
		tdev_fatal(d, "reading ring references");
		return;
	}
	if (!tdev_fe_u32(d, "request-rx-copy", &rx_copy) || rx_copy != 1) {
		tdev_fatal(d, "request-rx-copy must be 1");
		return;
	}
	tx = test_map(d->t, v->tx_ref, true);
	rx = test_map(d->t, v->rx_ref, true);
	if (tx == NULL || rx == NULL || !test_port_bind(d->t, port)) {
		tdev_fatal(d, "mapping shared-frames or binding port failed");
		return;
	}
	BACK_RING_INIT(&v->tx, (netif_tx_sring_t *)tx, PVD_PAGE_SIZE);
	BACK_RING_INIT(&v->rx, (netif_rx_sring_t *)rx, PVD_PAGE_SIZE);
	d->port = port;
	d->connected = true;
	d->kick = true;
	if (!tdev_override(d))
		tdev_set_state(d, XenbusStateConnected);
}

static void vif_frontend_changed(struct tdev *d)
{
	switch (tdev_fe_state(d)) {
	case XenbusStateInitialising:
		if (d->misbehave != PVD_TEST_NEVER_READY &&
		    d->state != XenbusStateConnected)
			tdev_set_state(d, XenbusStateInitWait);
		break;
	case XenbusStateConnected:
		if (d->state == XenbusStateInitWait)
			vif_connect(W(d));
		break;
	case XenbusStateClosing:
		vif_disconnect(d);
		tdev_set_state(d, XenbusStateClosing);
		break;
	case XenbusStateClosed:
	case XenbusStateUnknown:
		vif_disconnect(d);
		tdev_set_state(d, XenbusStateClosed);
		break;
	case XenbusStateInitialised:
	case XenbusStateInitWait:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		break;
	}
}

static void tx_respond(struct pvd_test_vif *v, uint16_t id, int16_t status)
{
	netif_tx_response_t *rsp = RING_GET_RESPONSE(&v->tx, v->tx.rsp_prod_pvt);

	rsp->id = v->d.misbehave == PVD_TEST_BAD_ID ? (uint16_t)(id + 1000) : id;
	rsp->status = status;
	v->tx.rsp_prod_pvt++;
}

/* Frames the guest sent, as netback takes them: one slot each here. */
static bool vif_tx(struct pvd_test_vif *v)
{
	struct tdev *d = &v->d;
	bool did = false;
	int more;

	do {
		RING_IDX rp = pvd_ring_read_idx(&v->tx.sring->req_prod);

		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(&v->tx, rp)) {
			tdev_fatal(d, "frontend's tx index overflows the ring");
			return did;
		}
		while (v->tx.req_cons != rp) {
			netif_tx_request_t req;
			const uint8_t *page;
			int16_t st = NETIF_RSP_OKAY;

			RING_COPY_REQUEST(&v->tx, v->tx.req_cons, &req);
			v->tx.req_cons++;
			did = true;
			if (d->misbehave == PVD_TEST_SILENT)
				continue;
			page = test_map(d->t, req.gref, false);
			if (page == NULL || req.size < 14 || req.offset >= PVD_PAGE_SIZE ||
			    req.size > PVD_PAGE_SIZE - req.offset ||
			    (req.flags & (NETTXF_more_data | NETTXF_extra_info))) {
				v->tx_rejected++;
				st = NETIF_RSP_ERROR;
			} else {
				g_queue_push_tail(v->from_guest,
						  g_bytes_new(page + req.offset, req.size));
			}
			tx_respond(v, req.id, st);
			if (d->misbehave == PVD_TEST_DUP_ID)
				tx_respond(v, req.id, st);
		}
		RING_FINAL_CHECK_FOR_REQUESTS(&v->tx, more);
	} while (more);
	return did;
}

/* Frames for the guest, into the rx buffers it posted. */
static bool vif_rx(struct pvd_test_vif *v)
{
	struct tdev *d = &v->d;
	bool did = false;

	while (!g_queue_is_empty(v->to_guest)) {
		RING_IDX rp = pvd_ring_read_idx(&v->rx.sring->req_prod);
		netif_rx_request_t req;
		netif_rx_response_t *rsp;
		GBytes *frame;
		uint8_t *page;
		gsize len;
		const uint8_t *data;

		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(&v->rx, rp)) {
			tdev_fatal(d, "frontend's rx index overflows the ring");
			return did;
		}
		if (v->rx.req_cons == rp) {
			int more;

			/* No buffer: ask to be told when there is one. */
			RING_FINAL_CHECK_FOR_REQUESTS(&v->rx, more);
			if (!more)
				break;
			continue;
		}
		RING_COPY_REQUEST(&v->rx, v->rx.req_cons, &req);
		v->rx.req_cons++;
		frame = g_queue_pop_head(v->to_guest);
		data = g_bytes_get_data(frame, &len);
		rsp = RING_GET_RESPONSE(&v->rx, v->rx.rsp_prod_pvt);
		memset(rsp, 0, sizeof(*rsp));
		rsp->id = req.id;
		page = test_map(d->t, req.gref, true);
		if (page == NULL) {
			rsp->status = NETIF_RSP_ERROR;
		} else {
			memcpy(page, data, len);
			rsp->offset = 0;
			rsp->status = (int16_t)len;
			rsp->flags = NETRXF_data_validated;
		}
		switch (d->misbehave) {
		case PVD_TEST_BAD_ID:
			rsp->id = (uint16_t)(req.id + 1);
			break;
		case PVD_TEST_RX_BAD_SIZE:
			rsp->status = (int16_t)(PVD_PAGE_SIZE + 100);
			break;
		case PVD_TEST_RX_BAD_OFFSET:
			rsp->offset = PVD_PAGE_SIZE - 10;
			break;
		case PVD_TEST_RX_MORE_DATA:
			rsp->flags |= NETRXF_more_data;
			break;
		case PVD_TEST_RX_ERROR:
			rsp->status = NETIF_RSP_ERROR;
			break;
		case PVD_TEST_GOOD:
		case PVD_TEST_DUP_ID:
		case PVD_TEST_BAD_PROD:
		case PVD_TEST_BAD_OP:
		case PVD_TEST_BAD_STATUS:
		case PVD_TEST_IO_ERROR:
		case PVD_TEST_SILENT:
		case PVD_TEST_CLOSE_ON_IO:
		case PVD_TEST_REFUSE:
		case PVD_TEST_NEVER_READY:
			break;
		}
		v->rx.rsp_prod_pvt++;
		g_bytes_unref(frame);
		did = true;
	}
	return did;
}

static void vif_service(struct tdev *d)
{
	struct pvd_test_vif *v = W(d);
	int ntx = 0, nrx = 0;

	v->tx.sring = test_map(d->t, v->tx_ref, true);
	v->rx.sring = test_map(d->t, v->rx_ref, true);
	if (v->tx.sring == NULL || v->rx.sring == NULL) {
		test_stale(d->t);
		vif_disconnect(d);
		return;
	}
	if (vif_tx(v))
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->tx, ntx);
	if (d->misbehave == PVD_TEST_SILENT)
		return;
	if (vif_rx(v))
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&v->rx, nrx);
	if (d->misbehave == PVD_TEST_BAD_PROD) {
		v->tx.sring->rsp_prod += 1000;
		ntx = 1;
	}
	if (ntx || nrx)
		test_notify_front(d->t, d->port);
}

static void free_bytes(gpointer p)
{
	g_bytes_unref(p);
}

static void vif_free(struct tdev *d)
{
	struct pvd_test_vif *v = W(d);

	g_queue_free_full(v->to_guest, free_bytes);
	g_queue_free_full(v->from_guest, free_bytes);
	tdev_dispose(d);
	g_free(v);
}

static const struct tdev_ops vif_ops = {
	.frontend_changed = vif_frontend_changed,
	.service = vif_service,
	.disconnect = vif_disconnect,
	.free = vif_free,
};

struct pvd_test_vif *pvd_test_vif_add(struct pvd_test *t, uint32_t handle,
				      const struct pvd_test_vif_config *cfg)
{
	struct pvd_test_vif *v = g_new0(struct pvd_test_vif, 1);
	struct tdev *d = &v->d;
	const char *mac = cfg->mac != NULL ? cfg->mac : "00:16:3e:00:00:01";
	char buf[32];

	tdev_init(d, t, &vif_ops, "vif", handle);
	v->handle = handle;
	v->to_guest = g_queue_new();
	v->from_guest = g_queue_new();
	d->misbehave = cfg->misbehave;
	d->override_node = cfg->override_node;
	d->override_value = cfg->override_value;
	tdev_register(t, d);
	g_snprintf(buf, sizeof(buf), "%u", handle);
	tdev_fe_set(d, "backend", d->be);
	tdev_fe_set(d, "backend-id", "0");
	tdev_fe_set(d, "handle", buf);
	tdev_fe_set(d, "mac", mac);
	tdev_fe_set(d, "state", "1");
	d->fe_changed = false;
	tdev_be_set(d, "frontend", d->fe);
	tdev_be_set(d, "handle", buf);
	tdev_be_set(d, "mac", mac);
	tdev_be_set(d, "feature-rx-copy", cfg->no_rx_copy ? "0" : "1");
	tdev_be_set(d, "feature-sg", "1");
	tdev_set_state(d, cfg->misbehave == PVD_TEST_NEVER_READY ?
		       XenbusStateInitialising : XenbusStateInitWait);
	return v;
}

XenbusState pvd_test_vif_state(const struct pvd_test_vif *v)
{
	return v->d.state;
}

void pvd_test_vif_misbehave(struct pvd_test_vif *v, enum pvd_test_misbehave m)
{
	v->d.misbehave = m;
}

void pvd_test_vif_inject(struct pvd_test_vif *v, const void *frame, size_t len)
{
	g_queue_push_tail(v->to_guest, g_bytes_new(frame, len));
	v->d.kick = true;
}

size_t pvd_test_vif_queued_to_guest(const struct pvd_test_vif *v)
{
	return g_queue_get_length(v->to_guest);
}

size_t pvd_test_vif_take(struct pvd_test_vif *v, void *buf, size_t size)
{
	GBytes *b = g_queue_pop_head(v->from_guest);
	const void *data;
	gsize len;

	if (b == NULL)
		return 0;
	data = g_bytes_get_data(b, &len);
	g_assert_cmpuint(len, <=, size);
	memcpy(buf, data, len);
	g_bytes_unref(b);
	return len;
}

unsigned int pvd_test_vif_tx_rejected(const struct pvd_test_vif *v)
{
	return v->tx_rejected;
}

void pvd_test_vif_shift_rings(struct pvd_test_vif *v, uint32_t start)
{
	netif_tx_sring_t *tx = test_map(v->d.t, v->tx_ref, true);
	netif_rx_sring_t *rx = test_map(v->d.t, v->rx_ref, true);

	g_assert_nonnull(tx);
	g_assert_nonnull(rx);
	g_assert_cmpuint(start % RING_SIZE(&v->rx), ==, 0);
	g_assert_cmpuint(tx->req_prod, ==, v->tx.req_cons);
	g_assert_cmpuint(v->tx.req_cons, ==, v->tx.rsp_prod_pvt);
	g_assert_cmpuint(rx->req_prod - v->rx.req_cons, ==, RING_SIZE(&v->rx));
	g_assert_cmpuint(v->rx.req_cons, ==, v->rx.rsp_prod_pvt);
	tx->req_prod = tx->rsp_prod = start;
	tx->req_event = tx->rsp_event = start + 1;
	v->tx.req_cons = v->tx.rsp_prod_pvt = start;
	rx->req_prod = start + RING_SIZE(&v->rx);
	rx->rsp_prod = start;
	rx->req_event = rx->rsp_event = start + 1;
	v->rx.req_cons = v->rx.rsp_prod_pvt = start;
}
