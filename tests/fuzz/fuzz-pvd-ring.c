/* libFuzzer target: the pv-drivers' response handling. A block or a net
 * frontend (first input byte) attaches to a backend that the input
 * drives: at each wait it follows the xenbus protocol, answers requests
 * well, writes any response (ids, operations, statuses, offsets, sizes),
 * moves the shared response index anywhere, changes its state or its
 * xenstore details, or makes xenstore, grants or event channels fail.
 * Between waits the input picks the frontend's calls: attach, read,
 * write, flush, send, poll, check, detach.
 *
 * Checked beyond "no crash, no leak, no undefined behaviour": a failed
 * call records a message; a received frame lies inside its rx page (it is
 * read whole); after detach and dispose the frontend holds no grant, no
 * event channel, no watch. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pv-drivers/core/blkfront.h"
#include "pv-drivers/core/netfront.h"
#include "tests/fuzz/fuzz-pvd-plat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define VDEV 51712u
#define BLK_FE "device/vbd/51712"
#define BLK_BE "/local/domain/0/backend/vbd/3/51712"
#define NET_FE "device/vif/0"
#define NET_BE "/local/domain/0/backend/vif/3/0"

/* A failed call says why. */
static void check_rc(struct fz *f, int rc, const char *what)
{
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%s: %d %s\n", what, rc, f->plat.err.msg);
	if (rc < 0 && f->plat.err.msg[0] == '\0' && rc != -EAGAIN) {
		fprintf(stderr, "%s failed (%d) without a message\n", what, rc);
		abort();
	}
}

static void check_released(struct fz *f)
{
	if (f->grants_active || f->ports_open || f->watches) {
		fprintf(stderr, "after dispose: %u grant pages, %u ports, %u watches left\n",
			f->grants_active, f->ports_open, f->watches);
		abort();
	}
}

static int xs_state(struct fz *f, const char *path)
{
	const char *v = fz_xs_get(f, path);
	char *end;
	long s;

	if (!v || !*v)
		return -1;
	s = strtol(v, &end, 10);
	return *end ? -1 : (int)s;
}

/* What a real backend does when the frontend's state changed; 0 when
 * there is nothing to do. CONNECT_ON is the frontend state it connects on. */
static int protocol_step(struct fz *f, const char *fe, const char *be, int connect_on,
			 void (*details)(struct fz *f))
{
	char fes[64], bes[64];
	int fs, bs, to = -1;

	snprintf(fes, sizeof(fes), "%s/state", fe);
	snprintf(bes, sizeof(bes), "%s/state", be);
	fs = xs_state(f, fes);
	bs = xs_state(f, bes);
	if (fs == XenbusStateInitialising && bs != XenbusStateInitWait)
		to = XenbusStateInitWait;
	else if (fs == connect_on && bs == XenbusStateInitWait) {
		details(f);
		to = XenbusStateConnected;
	} else if (fs == XenbusStateClosing && bs != XenbusStateClosing &&
		   bs != XenbusStateClosed)
		to = XenbusStateClosing;
	else if (fs == XenbusStateClosed && bs != XenbusStateClosed)
		to = XenbusStateClosed;
	if (to < 0)
		return 0;
	snprintf(fes, sizeof(fes), "%d", to);
	fz_xs_set(f, bes, fes);
	return PVD_WAKE_WATCH;
}

/* ---- block ---------------------------------------------------------- */

struct blkbe {
	struct pvd_blkfront *bf;
	blkif_sring_t *seen;
	uint32_t seen_ref;	/* the page may come back at the same address */
	RING_IDX req_cons, rsp_prod;
};

static const char *const blk_nodes[] = {
	"sectors", "sector-size", "physical-sector-size", "info",
	"feature-flush-cache", "feature-barrier", "feature-discard",
	"feature-persistent", NULL,
};

static void blk_details(struct fz *f)
{
	fz_xs_set(f, BLK_BE "/sectors", "4096");
	fz_xs_set(f, BLK_BE "/sector-size", "512");
	fz_xs_set(f, BLK_BE "/feature-flush-cache", "1");
}

static void blk_push(struct blkbe *b, const blkif_response_t *rsp)
{
	blkif_sring_t *s = b->bf->ring.sring;

	s->ring[b->rsp_prod % PVD_BLK_SLOTS].rsp = *rsp;
	b->rsp_prod++;
	xen_wmb();
	s->rsp_prod = b->rsp_prod;
}

/* The next request answered as blkback would, STATUS aside. */
static bool blk_answer(struct blkbe *b, int16_t status)
{
	blkif_sring_t *s = b->bf->ring.sring;
	blkif_request_t req;
	blkif_response_t rsp;

	if (b->req_cons == s->req_prod)
		return false;
	req = s->ring[b->req_cons % PVD_BLK_SLOTS].req;
	b->req_cons++;
	memset(&rsp, 0, sizeof(rsp));
	rsp.id = req.id;
	rsp.operation = req.operation;
	rsp.status = status;
	blk_push(b, &rsp);
	return true;
}

static int16_t pick_status(struct fz *f)
{
	uint8_t c = fz_u8(f);

	switch (c % 8) {
	case 5:
		return BLKIF_RSP_ERROR;
	case 6:
		return BLKIF_RSP_EOPNOTSUPP;
	case 7:
		return (int16_t)fz_u16(f);
	default:
		return BLKIF_RSP_OKAY;
	}
}

static int blk_backend(struct fz *f, void *opaque)
{
	struct blkbe *b = opaque;
	blkif_sring_t *s = b->bf->ring.sring;
	uint8_t op = fz_u8(f);
	blkif_response_t rsp;
	int w;

	if (s != b->seen || b->bf->ring_ref != b->seen_ref) {	/* a new connection */
		b->seen = s;
		b->seen_ref = b->bf->ring_ref;
		b->req_cons = b->rsp_prod = 0;
	}
	switch (op % 8) {
	case 0:
	case 1:
		w = protocol_step(f, BLK_FE, BLK_BE, XenbusStateInitialised, blk_details);
		if (w || !s)
			return w;
		/* fall through: nothing to do for the protocol, so do I/O */
	case 2:
	case 3:
		if (!s || !blk_answer(b, pick_status(f)))
			return 0;
		return PVD_WAKE_EVTCHN;
	case 4:		/* everything in flight, answered */
		for (w = 0; s && w < (int)PVD_BLK_SLOTS && blk_answer(b, pick_status(f)); w++)
			;
		return PVD_WAKE_EVTCHN;
	case 5:		/* any response at all */
		if (!s)
			return 0;
		memset(&rsp, 0, sizeof(rsp));
		rsp.id = fz_u8(f) & 0x80 ? fz_u64(f) : fz_u8(f) % (PVD_BLK_SLOTS + 2);
		rsp.operation = fz_u8(f) % 8;
		rsp.status = (int16_t)fz_u16(f);
		blk_push(b, &rsp);
		return PVD_WAKE_EVTCHN;
	case 6:		/* the shared index anywhere */
		if (!s)
			return 0;
		s->rsp_prod = b->rsp_prod + (RING_IDX)(int8_t)fz_u8(f);
		if (fz_u8(f) & 1)
			s->rsp_prod = fz_u32(f);
		return PVD_WAKE_EVTCHN;
	default:
		return fz_common_action(f, fz_u8(f), BLK_BE, blk_nodes);
	}
}

static void run_blk(struct fz *f)
{
	struct pvd_blkfront *bf = g_new0(struct pvd_blkfront, 1);
	struct blkbe b = { .bf = bf };
	uint8_t *buf;
	uint32_t count;
	uint64_t sector;
	int rc;

	fz_xs_set(f, BLK_FE "/backend", BLK_BE);
	fz_xs_set(f, BLK_FE "/backend-id", "0");
	fz_xs_set(f, BLK_FE "/state", "1");
	fz_xs_set(f, BLK_BE "/state", "2");
	f->backend = blk_backend;
	f->opaque = &b;
	if (pvd_blkfront_init(bf, &f->plat, VDEV) < 0)
		abort();
	rc = pvd_blkfront_attach(bf, 10000);
	check_rc(f, rc, "attach");
	while (fz_more(f)) {
		switch (fz_u8(f) % 8) {
		case 0:
			rc = pvd_blkfront_attach(bf, 1 + fz_u16(f));
			check_rc(f, rc, "attach");
			break;
		case 1:
		case 2:
		case 3:
			sector = fz_u8(f) & 0x80 ? fz_u64(f) : fz_u16(f) % 4200;
			count = fz_u8(f) & 0x80 ? fz_u32(f) : 1u + fz_u16(f) % 3000;
			if (count > PVD_BLK_MAX_COUNT) {	/* refused before any I/O */
				rc = pvd_blkfront_read(bf, sector, count, NULL);
				check_rc(f, rc, "read");
				break;
			}
			if (count > 3000)
				count = 1 + count % 3000;
			buf = g_malloc0((size_t)count * PVD_SECTOR_SIZE);
			rc = fz_u8(f) & 1 ? pvd_blkfront_write(bf, sector, count, buf) :
				pvd_blkfront_read(bf, sector, count, buf);
			check_rc(f, rc, "read/write");
			g_free(buf);
			break;
		case 4:
			rc = pvd_blkfront_flush(bf);
			check_rc(f, rc, "flush");
			break;
		case 5:
			pvd_err_clear(&f->plat.err);
			rc = pvd_xenbus_poll(&bf->xb);
			check_rc(f, rc, "poll");
			break;
		default:
			rc = pvd_blkfront_detach(bf, 1 + fz_u16(f));
			check_rc(f, rc, "detach");
			break;
		}
	}
	(void)pvd_blkfront_detach(bf, 1000);
	pvd_blkfront_dispose(bf);
	check_released(f);
	g_free(bf);
}

/* ---- net ------------------------------------------------------------ */

struct netbe {
	struct pvd_netfront *nf;
	netif_tx_sring_t *seen_tx;
	netif_rx_sring_t *seen_rx;
	uint32_t seen_ref;
	RING_IDX tx_req_cons, tx_rsp_prod, rx_rsp_prod;
};

static const char *const net_nodes[] = {
	"feature-rx-copy", "feature-rx-flip", "feature-sg", "feature-gso-tcpv4",
	"mac", NULL,
};

static void net_details(struct fz *f)
{
	(void)f;
}

static void tx_push(struct netbe *b, const netif_tx_response_t *rsp)
{
	netif_tx_sring_t *s = b->nf->tx.sring;

	s->ring[b->tx_rsp_prod % PVD_NET_TX_SLOTS].rsp = *rsp;
	b->tx_rsp_prod++;
	xen_wmb();
	s->rsp_prod = b->tx_rsp_prod;
}

static void rx_push(struct netbe *b, const netif_rx_response_t *rsp)
{
	netif_rx_sring_t *s = b->nf->rx.sring;

	s->ring[b->rx_rsp_prod % PVD_NET_RX_SLOTS].rsp = *rsp;
	b->rx_rsp_prod++;
	xen_wmb();
	s->rsp_prod = b->rx_rsp_prod;
}

static int net_backend(struct fz *f, void *opaque)
{
	struct netbe *b = opaque;
	netif_tx_sring_t *tx = b->nf->tx.sring;
	netif_rx_sring_t *rx = b->nf->rx.sring;
	netif_tx_response_t trsp;
	netif_rx_response_t rrsp;
	uint8_t op = fz_u8(f);
	int w;

	if (tx != b->seen_tx || rx != b->seen_rx || b->nf->tx_ref != b->seen_ref) {
		b->seen_tx = tx;
		b->seen_rx = rx;
		b->seen_ref = b->nf->tx_ref;
		b->tx_req_cons = b->tx_rsp_prod = b->rx_rsp_prod = 0;
	}
	memset(&trsp, 0, sizeof(trsp));
	memset(&rrsp, 0, sizeof(rrsp));
	switch (op % 8) {
	case 0:
		w = protocol_step(f, NET_FE, NET_BE, XenbusStateConnected, net_details);
		if (w || !tx)
			return w;
		/* fall through */
	case 1:		/* the next frame sent, done (or any status) */
		if (!tx || b->tx_req_cons == tx->req_prod)
			return 0;
		trsp.id = tx->ring[b->tx_req_cons % PVD_NET_TX_SLOTS].req.id;
		b->tx_req_cons++;
		trsp.status = fz_u8(f) & 0x80 ? (int16_t)fz_u16(f) : NETIF_RSP_OKAY;
		tx_push(b, &trsp);
		return PVD_WAKE_EVTCHN;
	case 2:		/* any tx response */
		if (!tx)
			return 0;
		trsp.id = fz_u8(f) & 0x80 ? fz_u16(f) : fz_u8(f) % (PVD_NET_TX_BUFS + 2);
		trsp.status = (int16_t)fz_u16(f);
		tx_push(b, &trsp);
		return PVD_WAKE_EVTCHN;
	case 3:		/* a frame received, as netback would copy it */
		if (!rx || b->rx_rsp_prod == rx->req_prod)
			return 0;
		rrsp.id = rx->ring[b->rx_rsp_prod % PVD_NET_RX_SLOTS].req.id;
		rrsp.offset = fz_u8(f) % 64;
		rrsp.status = (int16_t)(PVD_NET_MIN_FRAME + fz_u16(f) % 1500);
		rx_push(b, &rrsp);
		return PVD_WAKE_EVTCHN;
	case 4:		/* any rx response */
		if (!rx)
			return 0;
		rrsp.id = fz_u8(f) & 0x80 ? fz_u16(f) : (uint16_t)(b->rx_rsp_prod % PVD_NET_RX_SLOTS);
		rrsp.offset = fz_u16(f);
		rrsp.flags = fz_u8(f) & 0x80 ? fz_u16(f) : 0;
		rrsp.status = (int16_t)fz_u16(f);
		rx_push(b, &rrsp);
		return PVD_WAKE_EVTCHN;
	case 5:		/* a shared index anywhere */
		if (!tx || !rx)
			return 0;
		if (fz_u8(f) & 1)
			tx->rsp_prod = b->tx_rsp_prod + (RING_IDX)(int8_t)fz_u8(f);
		else
			rx->rsp_prod = fz_u8(f) & 1 ? fz_u32(f) :
				b->rx_rsp_prod + (RING_IDX)(int8_t)fz_u8(f);
		return PVD_WAKE_EVTCHN;
	default:
		return fz_common_action(f, fz_u8(f), NET_BE, net_nodes);
	}
}

static void on_frame(void *opaque, const uint8_t *frame, size_t len)
{
	unsigned int *sum = opaque;
	size_t i;

	if (len == 0 || len > PVD_NET_MAX_FRAME)
		abort();
	for (i = 0; i < len; i++)	/* ASan: the whole frame is ours to read */
		*sum += frame[i];
}

static void run_net(struct fz *f)
{
	struct pvd_netfront *nf = g_new0(struct pvd_netfront, 1);
	struct netbe b = { .nf = nf };
	uint8_t frame[PVD_NET_MAX_FRAME + 2] = { 0 };
	unsigned int sum = 0;
	size_t len;
	int rc;

	fz_xs_set(f, NET_FE "/backend", NET_BE);
	fz_xs_set(f, NET_FE "/backend-id", "0");
	fz_xs_set(f, NET_FE "/mac", "00:16:3e:00:00:01");
	fz_xs_set(f, NET_FE "/state", "1");
	fz_xs_set(f, NET_BE "/state", "2");
	fz_xs_set(f, NET_BE "/feature-rx-copy", "1");
	f->backend = net_backend;
	f->opaque = &b;
	if (pvd_netfront_init(nf, &f->plat, 0) < 0)
		abort();
	rc = pvd_netfront_attach(nf, 10000);
	check_rc(f, rc, "attach");
	while (fz_more(f)) {
		switch (fz_u8(f) % 8) {
		case 0:
			rc = pvd_netfront_attach(nf, 1 + fz_u16(f));
			check_rc(f, rc, "attach");
			break;
		case 1:
		case 2:
			len = fz_u8(f) & 0x80 ? fz_u16(f) % sizeof(frame) : 60;
			rc = pvd_netfront_send(nf, frame, len);
			check_rc(f, rc, "send");
			break;
		case 3:
		case 4:
			rc = pvd_netfront_poll(nf, on_frame, &sum);
			check_rc(f, rc, "poll");
			break;
		case 5:
			(void)pvd_netfront_can_send(nf);
			break;
		case 6:
			/* the backend acts, as if the guest slept */
			(void)f->plat.ops->wait(&f->plat, 10);
			rc = pvd_netfront_check(nf);
			check_rc(f, rc, "check");
			break;
		default:
			rc = pvd_netfront_detach(nf, 1 + fz_u16(f));
			check_rc(f, rc, "detach");
			break;
		}
	}
	(void)pvd_netfront_detach(nf, 1000);
	pvd_netfront_dispose(nf);
	check_released(f);
	g_free(nf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run_blk, run_net);
}
