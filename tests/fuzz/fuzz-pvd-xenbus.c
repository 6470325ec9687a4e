/* libFuzzer target: xenbus state input of the pv-drivers. The first input
 * byte picks:
 *   even  the pure transition function (xenbus_fsm.c) fed any sequence of
 *         events and arguments (backend states in and out of the enum,
 *         errors), with the protocol's invariants checked after each step;
 *   odd   a frontend device (xenbus.c) attaching, polling, detaching and
 *         attaching again while the input writes its backend path,
 *         backend id, and the backend's state node (any string, removed),
 *         and makes commits, grants or event channels fail.
 * Checked beyond "no crash, no leak, no undefined behaviour": grants are
 * published once and released once, never held while detached; a failed
 * call says why; after dispose nothing is held. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pv-drivers/core/xenbus.h"
#include "pv-drivers/core/xs.h"
#include "tests/fuzz/fuzz-pvd-plat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NODE "device/vbd/51712"

static void bad(const char *why, const struct pvd_xb_fsm *f, int ev, int arg,
		unsigned int acts)
{
	fprintf(stderr, "xenbus fsm: %s (event %d arg %d -> phase %d front %d "
		"published %d error %d actions 0x%x)\n", why, ev, arg, (int)f->phase,
		(int)f->front, f->published, f->error, acts);
	abort();
}

static void run_fsm(struct fz *in)
{
	struct pvd_xb_fsm f;
	XenbusState connect_as = fz_u8(in) & 1 ? XenbusStateConnected :
		XenbusStateInitialised;

	pvd_xb_fsm_init(&f, connect_as);
	while (fz_more(in)) {
		uint8_t e = fz_u8(in);
		int ev = e % 7, arg;
		bool was_published = f.published;
		int err_before = f.error;
		unsigned int acts;
		XenbusState front_before = f.front;

		switch (e >> 5) {
		case 0:
			arg = (int)(int32_t)fz_u32(in);	/* anything */
			break;
		case 1:
			arg = -(int)(fz_u8(in) % 140);	/* an errno */
			break;
		default:
			arg = fz_u8(in) % 10;	/* a state, or just past */
			break;
		}
		acts = pvd_xb_step(&f, (enum pvd_xb_event)ev, arg);
		if (acts & ~0xfu)
			bad("unknown action bits", &f, ev, arg, acts);
		if ((acts & PVD_XB_ACT_PUBLISH) && was_published)
			bad("published twice", &f, ev, arg, acts);
		if ((acts & PVD_XB_ACT_PUBLISH) && !f.published)
			bad("publish not recorded", &f, ev, arg, acts);
		if ((acts & PVD_XB_ACT_RELEASE) && (!was_published || f.published))
			bad("release of what was not published", &f, ev, arg, acts);
		if (was_published && !f.published && !(acts & PVD_XB_ACT_RELEASE))
			bad("grants forgotten without release", &f, ev, arg, acts);
		if (f.phase == PVD_XB_DETACHED && f.published)
			bad("detached while holding grants", &f, ev, arg, acts);
		if (f.phase == PVD_XB_CONNECTED && !f.published)
			bad("connected without a ring", &f, ev, arg, acts);
		if ((acts & PVD_XB_ACT_READ_BACKEND) && f.phase != PVD_XB_CONNECTED)
			bad("reads backend details while not connecting", &f, ev, arg, acts);
		if ((int)f.front < XenbusStateUnknown || (int)f.front > XenbusStateReconfigured)
			bad("front state outside the enum", &f, ev, arg, acts);
		if (!(acts & PVD_XB_ACT_WRITE_STATE) && f.front != front_before)
			bad("front state changed but not written", &f, ev, arg, acts);
		if (f.error > 0 || (err_before != 0 && ev != PVD_XB_EV_ATTACH &&
				    f.error != err_before))
			bad("first error not kept", &f, ev, arg, acts);
		if (ev == PVD_XB_EV_FAILED && f.error == 0)
			bad("failure forgotten", &f, ev, arg, acts);
		(void)pvd_xb_state_name((int)(int8_t)e);
	}
}

/* ---- a device on xenbus, driven through the fuzz platform ------------- */

struct dev {
	struct fz *f;
	void *ring;
	uint32_t ref, port;
	bool port_open;
	unsigned int prepares, releases;
};

static int d_prepare(void *drv, struct pvd_xenbus *xb)
{
	struct dev *d = drv;
	struct pvd_platform *p = &d->f->plat;
	int r;

	d->prepares++;
	if (d->ring)
		abort();	/* prepared twice without a release */
	r = p->ops->grant(p, xb->backend_id, 1, true, &d->ref, &d->ring);
	if (r < 0)
		return r;
	r = p->ops->evtchn_alloc(p, xb->backend_id, &d->port);
	if (r < 0)
		return r;
	d->port_open = true;
	return 0;
}

static int d_write_nodes(void *drv, struct pvd_xenbus *xb, pvd_txn_t t)
{
	struct dev *d = drv;
	int r = pvd_xs_write_u64(&d->f->plat, t, xb->node, "ring-ref", d->ref);

	if (r == 0)
		r = pvd_xs_write_u64(&d->f->plat, t, xb->node, "event-channel", d->port);
	return r;
}

static int d_connected(void *drv, struct pvd_xenbus *xb)
{
	struct dev *d = drv;
	uint64_t v;

	if (!d->ring)
		abort();	/* connected without a ring */
	return pvd_xs_read_u64_or(&d->f->plat, PVD_TXN_NONE, xb->backend, "feature-x",
				  UINT32_MAX, 0, &v);
}

static void d_release(void *drv, struct pvd_xenbus *xb)
{
	struct dev *d = drv;
	struct pvd_platform *p = &d->f->plat;

	(void)xb;
	d->releases++;
	if (d->port_open)
		p->ops->evtchn_close(p, d->port);
	d->port_open = false;
	if (d->ring)
		p->ops->ungrant(p, d->ring, 1);
	d->ring = NULL;
}

static const struct pvd_xenbus_ops d_ops = {
	.prepare = d_prepare,
	.write_nodes = d_write_nodes,
	.connected = d_connected,
	.release = d_release,
};

static const char *const be_nodes[] = { "feature-x", NULL };

struct bectx {
	struct pvd_xenbus *xb;
};

static int xb_backend(struct fz *f, void *opaque)
{
	struct bectx *b = opaque;
	const char *be = b->xb->backend[0] ? b->xb->backend : "/be";

	return fz_common_action(f, fz_u8(f), be, be_nodes);
}

static void check_said_why(struct fz *f, int rc, const char *what)
{
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%s: %d %s\n", what, rc, f->plat.err.msg);
	if (rc < 0 && f->plat.err.msg[0] == '\0') {
		fprintf(stderr, "%s failed (%d) without a message\n", what, rc);
		abort();
	}
}

static void run_device(struct fz *f)
{
	struct pvd_xenbus *xb = g_new0(struct pvd_xenbus, 1);
	struct dev d = { .f = f };
	struct bectx b = { .xb = xb };
	int rc;

	/* Where the backend is, as the toolstack (or the guest) wrote it. */
	fz_xs_set_or(f, NODE "/backend", "/local/domain/0/backend/vbd/3/51712");
	fz_xs_set_or(f, NODE "/backend-id", "0");
	fz_xs_set(f, "/local/domain/0/backend/vbd/3/51712/state", "2");
	f->backend = xb_backend;
	f->opaque = &b;
	if (pvd_xenbus_init(xb, &f->plat, NODE, fz_u8(f) & 1 ? XenbusStateConnected :
			    XenbusStateInitialised, &d_ops, &d) < 0)
		abort();
	while (fz_more(f)) {
		switch (fz_u8(f) % 4) {
		case 0:
			rc = pvd_xenbus_attach(xb, 1 + fz_u16(f));
			check_said_why(f, rc, "attach");
			if (rc == 0 && !pvd_xenbus_connected(xb))
				abort();
			break;
		case 1:
			pvd_err_clear(&f->plat.err);
			rc = pvd_xenbus_poll(xb);
			check_said_why(f, rc, "poll");
			break;
		case 2:
			rc = pvd_xenbus_detach(xb, 1 + fz_u16(f));
			if (xb->fsm.phase != PVD_XB_DETACHED || xb->fsm.published)
				abort();	/* detach always ends detached */
			check_said_why(f, rc, "detach");
			break;
		default:	/* the backend acts while nobody waits */
			(void)f->plat.ops->wait(&f->plat, 1 + fz_u8(f));
			break;
		}
		if (xb->fsm.phase == PVD_XB_DETACHED && (xb->fsm.published || d.ring))
			abort();	/* detached, yet holding grants */
	}
	(void)pvd_xenbus_detach(xb, 100);
	pvd_xenbus_dispose(xb);
	if (d.ring || d.port_open || f->grants_active || f->ports_open || f->watches) {
		fprintf(stderr, "after dispose: ring %p port %d, %u grants, %u ports, %u watches\n",
			d.ring, d.port_open, f->grants_active, f->ports_open, f->watches);
		abort();
	}
	g_free(xb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fz_run(data, size, run_fsm, run_device);
}
