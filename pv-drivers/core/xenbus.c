/* pv-drivers core: a frontend device on xenbus (the I/O around the pure
 * handshake of xenbus_fsm.c). */
#include <string.h>

#include "pv-drivers/core/xenbus.h"
#include "pv-drivers/core/xs.h"

int pvd_xenbus_init(struct pvd_xenbus *xb, struct pvd_platform *p,
		    const char *node, XenbusState connect_as,
		    const struct pvd_xenbus_ops *ops, void *drv)
{
	memset(xb, 0, sizeof(*xb));
	xb->plat = p;
	xb->ops = ops;
	xb->drv = drv;
	pvd_xb_fsm_init(&xb->fsm, connect_as);
	if (pvd_fmt(xb->node, sizeof(xb->node), "%s", node) < 0)
		return pvd_fail(&p->err, -ENAMETOOLONG, "device path %s is too long", node);
	return 0;
}

void pvd_xenbus_dispose(struct pvd_xenbus *xb)
{
	if (xb->watching)
		xb->plat->ops->xs_unwatch(xb->plat, xb->state_path);
	xb->watching = false;
	if (xb->fsm.published)
		xb->ops->release(xb->drv, xb);
	xb->fsm.published = false;
	xb->fsm.phase = PVD_XB_DETACHED;
}

/* The backend path comes from our own node, which the guest can write:
 * it must look like a xenstore path and nothing else. */
static bool path_ok(const char *s)
{
	const char *c;

	if (s[0] != '/')
		return false;
	for (c = s; *c != '\0'; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			(*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
			*c == '.' || *c == '@' || *c == '/';

		if (!ok || (*c == '/' && (c[1] == '/' || c[1] == '\0')))
			return false;
	}
	return true;
}

static int read_backend_path(struct pvd_xenbus *xb)
{
	struct pvd_platform *p = xb->plat;
	uint64_t id;
	int r;

	r = pvd_xs_read(p, PVD_TXN_NONE, xb->node, "backend", xb->backend,
			sizeof(xb->backend));
	if (r == -ENOENT)
		return pvd_fail(&p->err, -ENODEV,
				"%s: no such device (no %s/backend in xenstore)",
				xb->node, xb->node);
	if (r == -E2BIG || (r >= 0 && !path_ok(xb->backend)))
		return pvd_fail(&p->err, -EPROTO,
				"%s/backend is not a usable xenstore path", xb->node);
	if (r < 0)
		return r;
	r = pvd_xs_read_u64(p, PVD_TXN_NONE, xb->node, "backend-id",
			    PVD_DOMID_MAX, &id);
	if (r < 0)
		return r;
	xb->backend_id = (uint16_t)id;
	if (pvd_path(xb->state_path, sizeof(xb->state_path), xb->backend, "state") < 0)
		return pvd_fail(&p->err, -ENAMETOOLONG, "%s: backend path too long",
				xb->node);
	return 0;
}

/* The backend's state as an event for the machine. */
static enum pvd_xb_event read_backend_state(struct pvd_xenbus *xb, int *arg)
{
	char val[PVD_VALUE_MAX];
	XenbusState s;
	int r;

	r = xb->plat->ops->xs_read(xb->plat, PVD_TXN_NONE, xb->state_path,
				   val, sizeof(val));
	if (r == -ENOENT)
		return PVD_XB_EV_BACKEND_GONE;
	if (r == -E2BIG || (r >= 0 && pvd_xb_parse_state(val, &s) < 0)) {
		if (r == -E2BIG)
			val[0] = '\0';
		(void)pvd_fmt(xb->bad_state, sizeof(xb->bad_state), "%s", val);
		return PVD_XB_EV_BACKEND_BAD;
	}
	if (r < 0) {
		*arg = r;
		return PVD_XB_EV_FAILED;
	}
	*arg = (int)s;
	return PVD_XB_EV_BACKEND;
}

/* Records why the machine just failed, when the failure was the backend's
 * (local failures are recorded where they happen). */
static void explain(struct pvd_xenbus *xb, uint32_t waited_ms)
{
	struct pvd_err *e = &xb->plat->err;
	const char *be = xb->backend;
	int b = (int)xb->fsm.backend;

	switch (xb->fsm.error) {
	case -ETIMEDOUT:
		pvd_fail(e, -ETIMEDOUT, "%s: backend %s still %s after %u ms",
			 xb->node, be, pvd_xb_state_name(b), waited_ms);
		break;
	case -ECONNREFUSED:
		pvd_fail(e, -ECONNREFUSED,
			 "%s: backend %s refused the connection (went %s); "
			 "dom0's xenstore /local/domain/0/error%s may say why",
			 xb->node, be, pvd_xb_state_name(b),
			 strncmp(be, "/local/domain/0", 15) == 0 ? be + 15 : be);
		break;
	case -ECONNRESET:
		pvd_fail(e, -ECONNRESET, "%s: backend %s left Connected (now %s)",
			 xb->node, be, pvd_xb_state_name(b));
		break;
	case -ENODEV:
		pvd_fail(e, -ENODEV, "%s: backend %s disappeared", xb->node, be);
		break;
	case -EPROTO:
		pvd_fail(e, -EPROTO, "%s: backend %s/state is '%s', not a XenbusState",
			 xb->node, be, xb->bad_state);
		break;
	default:
		pvd_fail(e, xb->fsm.error, "%s: handshake failed (%d)", xb->node,
			 xb->fsm.error);
		break;
	}
}

void pvd_xenbus_tracef(struct pvd_xenbus *xb, const char *fmt, ...)
{
	char line[200];
	va_list ap;

	if (xb->trace == NULL)
		return;
	va_start(ap, fmt);
	(void)pvd_vfmt(line, sizeof(line), fmt, ap);
	va_end(ap);
	xb->trace(xb->trace_opaque, line);
}

static unsigned int step(struct pvd_xenbus *xb, enum pvd_xb_event ev, int arg,
			 uint32_t waited_ms)
{
	static const char *const evname[] = {
		"attach", "backend", "backend-gone", "backend-bad", "detach",
		"failed", "timeout",
	};
	int before = xb->fsm.error;
	XenbusState front = xb->fsm.front;
	unsigned int acts = pvd_xb_step(&xb->fsm, ev, arg);

	if (before == 0 && xb->fsm.error != 0 && ev != PVD_XB_EV_FAILED)
		explain(xb, waited_ms);
	if (acts != 0 || ev != PVD_XB_EV_BACKEND)
		pvd_xenbus_tracef(xb, "%s: %s %s: front %s -> %s, actions 0x%x, error %d",
				  xb->node, evname[ev],
				  ev == PVD_XB_EV_BACKEND ? pvd_xb_state_name(arg) : "",
				  pvd_xb_state_name((int)front),
				  pvd_xb_state_name((int)xb->fsm.front), acts,
				  xb->fsm.error);
	return acts;
}

static int write_state(struct pvd_xenbus *xb, pvd_txn_t t)
{
	return pvd_xs_write_u64(xb->plat, t, xb->node, "state", xb->fsm.front);
}

static int write_nodes_and_state(struct pvd_platform *p, pvd_txn_t t, void *opaque)
{
	struct pvd_xenbus *xb = opaque;
	int r;

	(void)p;
	r = xb->ops->write_nodes(xb->drv, xb, t);
	if (r == 0)
		r = write_state(xb, t);
	return r;
}

/* Grants, then nodes and the new state in one transaction, so the backend
 * never sees the state without the ring references. */
static int publish(struct pvd_xenbus *xb)
{
	int r = xb->ops->prepare(xb->drv, xb);

	if (r < 0)
		return r;
	return pvd_xs_transaction(xb->plat, xb->node, write_nodes_and_state, xb);
}

/* Performs ACTS in their fixed order. A failure feeds the machine, whose
 * answer replaces what was left to do (bounded: it only closes). */
static void run(struct pvd_xenbus *xb, unsigned int acts)
{
	int r;

	if (acts & PVD_XB_ACT_PUBLISH) {
		uint64_t t0 = xb->plat->ops->now_ms(xb->plat);

		r = publish(xb);
		if (r < 0) {
			run(xb, step(xb, PVD_XB_EV_FAILED, r, 0));
			return;
		}
		acts &= ~PVD_XB_ACT_WRITE_STATE;
		pvd_xenbus_tracef(xb, "%s: published in %llu ms", xb->node,
				  (unsigned long long)(xb->plat->ops->now_ms(xb->plat) - t0));
	}
	if (acts & PVD_XB_ACT_READ_BACKEND) {
		r = xb->ops->connected(xb->drv, xb);
		if (r < 0) {
			run(xb, step(xb, PVD_XB_EV_FAILED, r, 0));
			return;
		}
	}
	if (acts & PVD_XB_ACT_WRITE_STATE) {
		r = write_state(xb, PVD_TXN_NONE);
		if (r < 0 && xb->fsm.phase != PVD_XB_DETACHED) {
			run(xb, step(xb, PVD_XB_EV_FAILED, r, 0) |
			    (acts & PVD_XB_ACT_RELEASE));
			return;
		}
	}
	if (acts & PVD_XB_ACT_RELEASE)
		xb->ops->release(xb->drv, xb);
}

static void feed_backend(struct pvd_xenbus *xb, uint32_t waited_ms)
{
	int arg = 0;
	enum pvd_xb_event ev = read_backend_state(xb, &arg);

	run(xb, step(xb, ev, arg, waited_ms));
}

/* Runs the machine until DONE(phase), with one TIMEOUT_MS budget to get
 * there and, if that runs out while we hold grants, one more to close. */
static void drive(struct pvd_xenbus *xb, uint32_t timeout_ms,
		  enum pvd_xb_phase done1, enum pvd_xb_phase done2)
{
	struct pvd_platform *p = xb->plat;
	uint64_t start = p->ops->now_ms(p);
	unsigned int timeouts = 0;

	for (;;) {
		uint64_t now = p->ops->now_ms(p);
		uint32_t waited = (uint32_t)(now - start);
		int w;

		feed_backend(xb, waited);
		if (xb->fsm.phase == done1 || xb->fsm.phase == done2)
			return;
		now = p->ops->now_ms(p);
		if (now - start >= timeout_ms) {
			run(xb, step(xb, PVD_XB_EV_TIMEOUT, 0, (uint32_t)(now - start)));
			if (xb->fsm.phase == done1 || xb->fsm.phase == done2)
				return;
			/* The machine closes on its first timeout and gives up
			 * on its second; a third cannot happen, but never spin. */
			if (++timeouts > 2) {
				pvd_xenbus_dispose(xb);
				return;
			}
			start = now;
			continue;
		}
		w = p->ops->wait(p, (uint32_t)(timeout_ms - (now - start)));
		if (w < 0) {
			run(xb, step(xb, PVD_XB_EV_FAILED, w, 0));
			if (xb->fsm.phase == done1 || xb->fsm.phase == done2)
				return;
		}
	}
}

static void unwatch(struct pvd_xenbus *xb)
{
	if (xb->watching)
		xb->plat->ops->xs_unwatch(xb->plat, xb->state_path);
	xb->watching = false;
}

int pvd_xenbus_attach(struct pvd_xenbus *xb, uint32_t timeout_ms)
{
	struct pvd_platform *p = xb->plat;
	int r;

	pvd_err_clear(&p->err);
	if (xb->fsm.phase != PVD_XB_DETACHED)
		return pvd_fail(&p->err, -EBUSY, "%s: already attached", xb->node);
	/* A connection the backend ended leaves its watch: drop it before
	 * the backend path is read again (it may have changed). */
	unwatch(xb);
	r = read_backend_path(xb);
	if (r < 0)
		return r;
	r = p->ops->xs_watch(p, xb->state_path);
	if (r < 0)
		return r;
	xb->watching = true;
	run(xb, step(xb, PVD_XB_EV_ATTACH, 0, 0));
	drive(xb, timeout_ms, PVD_XB_CONNECTED, PVD_XB_DETACHED);
	if (xb->fsm.phase == PVD_XB_CONNECTED)
		return 0;
	unwatch(xb);
	return xb->fsm.error != 0 ? xb->fsm.error : -EIO;
}

int pvd_xenbus_detach(struct pvd_xenbus *xb, uint32_t timeout_ms)
{
	int before = xb->fsm.error;

	pvd_err_clear(&xb->plat->err);
	if (xb->fsm.phase != PVD_XB_DETACHED) {
		run(xb, step(xb, PVD_XB_EV_DETACH, 0, 0));
		if (xb->fsm.phase != PVD_XB_DETACHED)
			drive(xb, timeout_ms, PVD_XB_DETACHED, PVD_XB_DETACHED);
	}
	unwatch(xb);
	return before == 0 ? xb->fsm.error : 0;
}

int pvd_xenbus_poll(struct pvd_xenbus *xb)
{
	if (xb->fsm.phase == PVD_XB_CONNECTED)
		feed_backend(xb, 0);
	if (xb->fsm.phase == PVD_XB_CONNECTED)
		return 0;
	if (xb->fsm.error == 0)
		return pvd_fail(&xb->plat->err, -ENOTCONN, "%s: not connected",
				xb->node);
	/* Asked again after the failure (the caller cleared the message):
	 * say again why, not an empty message. */
	if (xb->plat->err.code == 0)
		explain(xb, 0);
	return xb->fsm.error;
}
