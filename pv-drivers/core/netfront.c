/* pv-drivers core: network frontend, connection side. */
#include <string.h>

#include "pv-drivers/core/netfront.h"
#include "pv-drivers/core/xs.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int pvd_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int i;

	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* Every rx slot gets its page: slot i, id i, for the whole connection. */
static void fill_rx(struct pvd_netfront *nf)
{
	RING_IDX i;

	for (i = 0; i < PVD_NET_RX_SLOTS; i++) {
		netif_rx_request_t *req = RING_GET_REQUEST(&nf->rx, nf->rx.req_prod_pvt);

		req->id = (uint16_t)i;
		req->gref = nf->rx_refs[i];
		nf->rx.req_prod_pvt++;
	}
	RING_PUSH_REQUESTS(&nf->rx);
}

static int net_prepare(void *drv, struct pvd_xenbus *xb)
{
	struct pvd_netfront *nf = drv;
	struct pvd_platform *p = nf->plat;
	char mac[PVD_VALUE_MAX];
	uint64_t rx_copy;
	void *pages;
	uint32_t i;
	int r;

	r = pvd_xs_read(p, PVD_TXN_NONE, xb->node, "mac", mac, sizeof(mac));
	if (r == -ENOENT || r == -E2BIG || (r >= 0 && pvd_parse_mac(mac, nf->mac) < 0))
		return pvd_fail(&p->err, -EPROTO, "%s/mac is missing or not a MAC "
				"address", xb->node);
	if (r < 0)
		return r;
	r = pvd_xs_read_u64_or(p, PVD_TXN_NONE, xb->backend, "feature-rx-copy",
			       UINT32_MAX, 0, &rx_copy);
	if (r < 0)
		return r;
	if (rx_copy == 0)
		return pvd_fail(&p->err, -EOPNOTSUPP, "%s: backend %s does not offer "
				"feature-rx-copy", xb->node, xb->backend);

	r = p->ops->grant(p, xb->backend_id, 1, true, &nf->tx_ref, &nf->tx_page);
	if (r < 0)
		return r;
	r = p->ops->grant(p, xb->backend_id, 1, true, &nf->rx_ref, &nf->rx_page);
	if (r < 0)
		return r;
	SHARED_RING_INIT((netif_tx_sring_t *)nf->tx_page);
	FRONT_RING_INIT(&nf->tx, (netif_tx_sring_t *)nf->tx_page, PVD_PAGE_SIZE);
	SHARED_RING_INIT((netif_rx_sring_t *)nf->rx_page);
	FRONT_RING_INIT(&nf->rx, (netif_rx_sring_t *)nf->rx_page, PVD_PAGE_SIZE);
	if (RING_SIZE(&nf->tx) != PVD_NET_TX_SLOTS || RING_SIZE(&nf->rx) != PVD_NET_RX_SLOTS)
		return pvd_fail(&p->err, -EINVAL, "netif ring sizes %u/%u unexpected",
				RING_SIZE(&nf->tx), RING_SIZE(&nf->rx));
	/* The backend only reads what we send. */
	r = p->ops->grant(p, xb->backend_id, PVD_NET_TX_BUFS, false, nf->tx_refs, &pages);
	if (r < 0)
		return r;
	nf->tx_bufs = pages;
	r = p->ops->grant(p, xb->backend_id, PVD_NET_RX_SLOTS, true, nf->rx_refs, &pages);
	if (r < 0)
		return r;
	nf->rx_bufs = pages;
	r = p->ops->evtchn_alloc(p, xb->backend_id, &nf->port);
	if (r < 0)
		return r;
	nf->port_open = true;
	for (i = 0; i < PVD_NET_TX_BUFS; i++) {
		nf->tx_busy[i] = false;
		nf->tx_free[i] = (uint16_t)(PVD_NET_TX_BUFS - 1 - i);
	}
	nf->tx_nfree = PVD_NET_TX_BUFS;
	nf->broken = false;
	fill_rx(nf);
	return 0;
}

static int net_write_nodes(void *drv, struct pvd_xenbus *xb, pvd_txn_t t)
{
	static const char *const features[][2] = {
		{ "request-rx-copy", "1" },
		{ "feature-rx-notify", "1" },
		{ "feature-sg", "0" },
		{ "feature-gso-tcpv4", "0" },
		{ "feature-gso-tcpv6", "0" },
		{ "feature-no-csum-offload", "1" },
		{ "feature-ipv6-csum-offload", "0" },
	};
	struct pvd_netfront *nf = drv;
	unsigned int i;
	int r;

	r = pvd_xs_write_u64(nf->plat, t, xb->node, "tx-ring-ref", nf->tx_ref);
	if (r == 0)
		r = pvd_xs_write_u64(nf->plat, t, xb->node, "rx-ring-ref", nf->rx_ref);
	if (r == 0)
		r = pvd_xs_write_u64(nf->plat, t, xb->node, "event-channel", nf->port);
	for (i = 0; r == 0 && i < PVD_ARRAY_SIZE(features); i++)
		r = pvd_xs_write(nf->plat, t, xb->node, features[i][0], features[i][1]);
	return r;
}

static int net_connected(void *drv, struct pvd_xenbus *xb)
{
	struct pvd_netfront *nf = drv;

	(void)xb;
	/* Our rx buffers were pushed before the backend bound the port:
	 * tell it they are there. */
	return nf->plat->ops->evtchn_notify(nf->plat, nf->port);
}

static void net_release(void *drv, struct pvd_xenbus *xb)
{
	struct pvd_netfront *nf = drv;
	struct pvd_platform *p = nf->plat;

	(void)xb;
	if (nf->port_open)
		p->ops->evtchn_close(p, nf->port);
	nf->port_open = false;
	if (nf->rx_bufs != NULL)
		p->ops->ungrant(p, nf->rx_bufs, PVD_NET_RX_SLOTS);
	nf->rx_bufs = NULL;
	if (nf->tx_bufs != NULL)
		p->ops->ungrant(p, nf->tx_bufs, PVD_NET_TX_BUFS);
	nf->tx_bufs = NULL;
	if (nf->rx_page != NULL)
		p->ops->ungrant(p, nf->rx_page, 1);
	nf->rx_page = NULL;
	if (nf->tx_page != NULL)
		p->ops->ungrant(p, nf->tx_page, 1);
	nf->tx_page = NULL;
	memset(&nf->tx, 0, sizeof(nf->tx));
	memset(&nf->rx, 0, sizeof(nf->rx));
	nf->tx_nfree = 0;
}

static const struct pvd_xenbus_ops net_xenbus_ops = {
	.prepare = net_prepare,
	.write_nodes = net_write_nodes,
	.connected = net_connected,
	.release = net_release,
};

int pvd_netfront_init(struct pvd_netfront *nf, struct pvd_platform *p,
		      uint32_t handle)
{
	char node[PVD_PATH_MAX];

	memset(nf, 0, sizeof(*nf));
	nf->plat = p;
	nf->handle = handle;
	(void)pvd_fmt(node, sizeof(node), "device/vif/%u", handle);
	/* netback connects when the frontend says Connected, not Initialised. */
	return pvd_xenbus_init(&nf->xb, p, node, XenbusStateConnected,
			       &net_xenbus_ops, nf);
}

void pvd_netfront_dispose(struct pvd_netfront *nf)
{
	pvd_xenbus_dispose(&nf->xb);
}

int pvd_netfront_attach(struct pvd_netfront *nf, uint32_t timeout_ms)
{
	return pvd_xenbus_attach(&nf->xb, timeout_ms);
}

int pvd_netfront_detach(struct pvd_netfront *nf, uint32_t timeout_ms)
{
	return pvd_xenbus_detach(&nf->xb, timeout_ms);
}

int pvd_netfront_check(struct pvd_netfront *nf)
{
	pvd_err_clear(&nf->plat->err);
	return pvd_xenbus_poll(&nf->xb);
}
