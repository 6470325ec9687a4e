/* pv-drivers core: the network frontend. Attaches to a vif (netback in
 * dom0, or the test platform's loopback) and moves Ethernet frames through
 * a tx and an rx ring sharing one event channel.
 *
 * Negotiated: request-rx-copy (netback copies into our rx pages),
 * feature-rx-notify, no scatter-gather, no GSO, no checksum offload
 * (feature-no-csum-offload=1: every frame carries a full checksum), so a
 * frame is always one slot of at most a page. Buffers are granted once at
 * connect: a tx page per tx id, an rx page per rx ring slot. */
#ifndef PVD_NETFRONT_H
#define PVD_NETFRONT_H

#include "pv-drivers/core/ring.h"
#include <xen/io/netif.h>

#include "pv-drivers/core/xenbus.h"

#define PVD_NET_TX_SLOTS __CONST_RING_SIZE(netif_tx, PVD_PAGE_SIZE)
#define PVD_NET_RX_SLOTS __CONST_RING_SIZE(netif_rx, PVD_PAGE_SIZE)
#define PVD_NET_TX_BUFS 64u		/* frames in flight towards the backend */
#define PVD_NET_MIN_FRAME 14u		/* an Ethernet header */
#define PVD_NET_MAX_FRAME PVD_PAGE_SIZE

struct pvd_net_stats {
	uint64_t tx_frames, tx_bytes, tx_errors;	/* errors: backend said so */
	uint64_t rx_frames, rx_bytes, rx_errors;
	uint64_t notifies;
};

struct pvd_netfront {
	struct pvd_platform *plat;
	struct pvd_xenbus xb;
	uint32_t handle;
	uint8_t mac[6];			/* from our node's "mac" */
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	void *tx_page, *rx_page;	/* NULL when not granted */
	uint32_t tx_ref, rx_ref;
	uint32_t port;
	bool port_open;
	uint8_t *tx_bufs;		/* PVD_NET_TX_BUFS pages */
	uint32_t tx_refs[PVD_NET_TX_BUFS];
	uint8_t *rx_bufs;		/* PVD_NET_RX_SLOTS pages */
	uint32_t rx_refs[PVD_NET_RX_SLOTS];
	bool tx_busy[PVD_NET_TX_BUFS];
	uint16_t tx_free[PVD_NET_TX_BUFS];	/* stack of free tx ids */
	uint32_t tx_nfree;
	bool broken;			/* backend broke the protocol */
	struct pvd_net_stats stats;
};

/* Called for each frame received; FRAME is valid during the call only. */
typedef void pvd_net_rx_fn(void *opaque, const uint8_t *frame, size_t len);

/* Frontend for device/vif/HANDLE. No I/O yet. */
int pvd_netfront_init(struct pvd_netfront *nf, struct pvd_platform *p,
		      uint32_t handle);
void pvd_netfront_dispose(struct pvd_netfront *nf);

int pvd_netfront_attach(struct pvd_netfront *nf, uint32_t timeout_ms);
int pvd_netfront_detach(struct pvd_netfront *nf, uint32_t timeout_ms);

/* Queues one frame (PVD_NET_MIN_FRAME..PVD_NET_MAX_FRAME bytes) for the
 * backend. 0, -EAGAIN when every tx buffer is in flight (poll, then try
 * again), -EMSGSIZE, -EPROTO/-ENOTCONN when the device is unusable. */
int pvd_netfront_send(struct pvd_netfront *nf, const void *frame, size_t len);
bool pvd_netfront_can_send(struct pvd_netfront *nf);

/* Reaps tx completions, hands each received frame to FN, gives the rx
 * buffers back. Returns the number of frames received, or a negative
 * error (-EPROTO: the backend misbehaved; detach). Call after a wake. */
int pvd_netfront_poll(struct pvd_netfront *nf, pvd_net_rx_fn *fn, void *opaque);

/* After a watch fired: 0 while the backend is still connected. */
int pvd_netfront_check(struct pvd_netfront *nf);

/* "aa:bb:cc:dd:ee:ff" into MAC; -EINVAL otherwise. */
int pvd_parse_mac(const char *s, uint8_t mac[6]);

#endif
