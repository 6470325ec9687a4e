/* pv-drivers core: network frontend, data side. A producer and a
 * consumer per ring (tx_produce/tx_consume, rx_produce/rx_consume); every
 * response is copied out of shared memory and checked before use. */
#include <string.h>

#include "pv-drivers/core/netfront.h"

static int broken(struct pvd_netfront *nf, int code)
{
	nf->broken = true;
	return code;
}

static int usable(struct pvd_netfront *nf)
{
	struct pvd_platform *p = nf->plat;

	if (!pvd_xenbus_connected(&nf->xb))
		return pvd_fail(&p->err, -ENOTCONN, "%s: not connected", nf->xb.node);
	if (nf->broken)
		return pvd_fail(&p->err, -EPROTO, "%s: the backend broke the "
				"protocol earlier; detach and attach again",
				nf->xb.node);
	return 0;
}

/* Producer (tx): one request, a notification if the backend wants one. */
static int tx_produce(struct pvd_netfront *nf, const netif_tx_request_t *req)
{
	int notify;

	*RING_GET_REQUEST(&nf->tx, nf->tx.req_prod_pvt) = *req;
	nf->tx.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->tx, notify);
	if (!notify)
		return 0;
	nf->stats.notifies++;
	return nf->plat->ops->evtchn_notify(nf->plat, nf->port);
}

/* Consumer (tx): frees the tx buffers the backend is done with. */
static int tx_consume(struct pvd_netfront *nf)
{
	struct pvd_platform *p = nf->plat;
	int more;

	do {
		RING_IDX prod = pvd_ring_read_idx(&nf->tx.sring->rsp_prod);

		xen_rmb();
		if (!pvd_ring_rsp_prod_ok(prod, nf->tx.rsp_cons, nf->tx.req_prod_pvt))
			return broken(nf, pvd_fail(&p->err, -EPROTO, "%s: backend's tx "
						   "response index %u is past our "
						   "requests (%u consumed, %u sent)",
						   nf->xb.node, prod, nf->tx.rsp_cons,
						   nf->tx.req_prod_pvt));
		while (nf->tx.rsp_cons != prod) {
			netif_tx_response_t rsp;

			RING_COPY_RESPONSE(&nf->tx, nf->tx.rsp_cons, &rsp);
			nf->tx.rsp_cons++;
			if (rsp.status == NETIF_RSP_NULL)
				continue;	/* an extra-info slot's answer */
			if (rsp.id >= PVD_NET_TX_BUFS || !nf->tx_busy[rsp.id])
				return broken(nf, pvd_fail(&p->err, -EPROTO, "%s: backend "
							   "completed tx id %u, which "
							   "is not in flight",
							   nf->xb.node, rsp.id));
			if (rsp.status != NETIF_RSP_OKAY)
				nf->stats.tx_errors++;
			nf->tx_busy[rsp.id] = false;
			nf->tx_free[nf->tx_nfree++] = rsp.id;
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&nf->tx, more);
	} while (more);
	return 0;
}

/* Producer (rx): slot ID's page back to the backend. Slot i always holds
 * id i, so what we post is always at the index it came back from. */
static void rx_produce(struct pvd_netfront *nf, uint16_t id)
{
	netif_rx_request_t *req = RING_GET_REQUEST(&nf->rx, nf->rx.req_prod_pvt);

	req->id = id;
	req->gref = nf->rx_refs[id];
	nf->rx.req_prod_pvt++;
}

/* Checks one rx response (at ring index IDX); returns the frame length,
 * 0 to drop it, or a negative error. */
static int rx_check(struct pvd_netfront *nf, RING_IDX idx,
		    const netif_rx_response_t *rsp)
{
	struct pvd_platform *p = nf->plat;
	uint16_t want = (uint16_t)(idx & (PVD_NET_RX_SLOTS - 1));

	if (rsp->id != want)
		return pvd_fail(&p->err, -EPROTO, "%s: backend returned rx id %u "
				"in the slot of id %u", nf->xb.node, rsp->id, want);
	if (rsp->flags & (NETRXF_more_data | NETRXF_extra_info))
		return pvd_fail(&p->err, -EPROTO, "%s: backend sent a multi-slot "
				"packet (flags 0x%x); feature-sg and GSO were not "
				"negotiated", nf->xb.node, (unsigned int)rsp->flags);
	if (rsp->status <= 0) {
		nf->stats.rx_errors++;
		return 0;
	}
	if (rsp->offset >= PVD_PAGE_SIZE ||
	    (uint32_t)rsp->status > PVD_PAGE_SIZE - rsp->offset)
		return pvd_fail(&p->err, -EPROTO, "%s: backend's rx frame of %d "
				"bytes at offset %u does not fit its page",
				nf->xb.node, rsp->status, rsp->offset);
	return rsp->status;
}

/* Consumer (rx): each frame to FN, each page back into the ring. */
static int rx_consume(struct pvd_netfront *nf, pvd_net_rx_fn *fn, void *opaque)
{
	struct pvd_platform *p = nf->plat;
	int n = 0, more, notify;

	do {
		RING_IDX prod = pvd_ring_read_idx(&nf->rx.sring->rsp_prod);

		xen_rmb();
		if (!pvd_ring_rsp_prod_ok(prod, nf->rx.rsp_cons, nf->rx.req_prod_pvt))
			return broken(nf, pvd_fail(&p->err, -EPROTO, "%s: backend's rx "
						   "response index %u is past our "
						   "requests (%u consumed, %u posted)",
						   nf->xb.node, prod, nf->rx.rsp_cons,
						   nf->rx.req_prod_pvt));
		while (nf->rx.rsp_cons != prod) {
			netif_rx_response_t rsp;
			RING_IDX idx = nf->rx.rsp_cons;
			int len;

			RING_COPY_RESPONSE(&nf->rx, idx, &rsp);
			len = rx_check(nf, idx, &rsp);
			if (len < 0)
				return broken(nf, len);
			nf->rx.rsp_cons++;
			if (len > 0) {
				fn(opaque, nf->rx_bufs + (size_t)rsp.id * PVD_PAGE_SIZE +
				   rsp.offset, (size_t)len);
				nf->stats.rx_frames++;
				nf->stats.rx_bytes += (uint64_t)len;
				n++;
			}
			rx_produce(nf, rsp.id);
		}
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&nf->rx, notify);
		if (notify) {
			nf->stats.notifies++;
			(void)p->ops->evtchn_notify(p, nf->port);
		}
		RING_FINAL_CHECK_FOR_RESPONSES(&nf->rx, more);
	} while (more);
	return n;
}

bool pvd_netfront_can_send(struct pvd_netfront *nf)
{
	if (!pvd_xenbus_connected(&nf->xb) || nf->broken)
		return false;
	if (nf->tx_nfree == 0 || RING_FULL(&nf->tx))
		(void)tx_consume(nf);
	return nf->tx_nfree > 0 && !RING_FULL(&nf->tx) && !nf->broken;
}

int pvd_netfront_send(struct pvd_netfront *nf, const void *frame, size_t len)
{
	struct pvd_platform *p = nf->plat;
	netif_tx_request_t req;
	uint16_t id;
	int r;

	pvd_err_clear(&p->err);
	r = usable(nf);
	if (r < 0)
		return r;
	if (len < PVD_NET_MIN_FRAME || len > PVD_NET_MAX_FRAME)
		return pvd_fail(&p->err, -EMSGSIZE, "%s: a frame of %zu bytes; "
				"%u to %u can be sent", nf->xb.node, len,
				PVD_NET_MIN_FRAME, PVD_NET_MAX_FRAME);
	if (!pvd_netfront_can_send(nf)) {
		if (nf->broken)
			return -EPROTO;
		return pvd_fail(&p->err, -EAGAIN, "%s: every tx buffer is in flight",
				nf->xb.node);
	}
	id = nf->tx_free[--nf->tx_nfree];
	nf->tx_busy[id] = true;
	memcpy(nf->tx_bufs + (size_t)id * PVD_PAGE_SIZE, frame, len);
	memset(&req, 0, sizeof(req));
	req.gref = nf->tx_refs[id];
	req.offset = 0;
	req.flags = 0;
	req.id = id;
	req.size = (uint16_t)len;
	nf->stats.tx_frames++;
	nf->stats.tx_bytes += len;
	r = tx_produce(nf, &req);
	return r < 0 ? broken(nf, r) : 0;
}

int pvd_netfront_poll(struct pvd_netfront *nf, pvd_net_rx_fn *fn, void *opaque)
{
	int r;

	pvd_err_clear(&nf->plat->err);
	r = usable(nf);
	if (r < 0)
		return r;
	r = tx_consume(nf);
	if (r < 0)
		return r;
	return rx_consume(nf, fn, opaque);
}
