/* pv-drivers core: the frontend's xenbus handshake, a pure transition
 * function. Every backend state is named (-Wswitch-enum), as FreeBSD's
 * xbd_backend_changed does: once in backend_news(), which folds the states
 * that mean nothing to a frontend; every phase then names every outcome. */
#include "pv-drivers/core/xenbus_fsm.h"

void pvd_xb_fsm_init(struct pvd_xb_fsm *f, XenbusState connect_as)
{
	f->phase = PVD_XB_DETACHED;
	f->front = XenbusStateUnknown;
	f->backend = XenbusStateUnknown;
	f->connect_as = connect_as;
	f->published = false;
	f->detaching = false;
	f->error = 0;
}

static void fail(struct pvd_xb_fsm *f, int err)
{
	if (f->error == 0)
		f->error = err;
}

static unsigned int set_front(struct pvd_xb_fsm *f, XenbusState s)
{
	f->front = s;
	return PVD_XB_ACT_WRITE_STATE;
}

/* Backend is ready for us: hand it the ring and ask it to connect. */
static unsigned int publish(struct pvd_xb_fsm *f)
{
	f->published = true;
	f->phase = PVD_XB_WAIT_CONNECT;
	return PVD_XB_ACT_PUBLISH | set_front(f, f->connect_as);
}

/* We hold grants the backend may map: ask it to close, wait for it. */
static unsigned int begin_close(struct pvd_xb_fsm *f)
{
	f->phase = PVD_XB_CLOSING;
	return set_front(f, XenbusStateClosing);
}

/* The backend no longer uses our pages (or never will): let go. */
static unsigned int finish_close(struct pvd_xb_fsm *f)
{
	unsigned int a = 0;

	if (f->front != XenbusStateClosed)
		a |= set_front(f, XenbusStateClosed);
	if (f->published)
		a |= PVD_XB_ACT_RELEASE;
	f->published = false;
	f->phase = PVD_XB_DETACHED;
	return a;
}

/* The backend is closing while it may hold our ring (ERR says why):
 * Closed lets it unmap the ring; then wait for its Closed. */
static unsigned int closed_by_backend(struct pvd_xb_fsm *f, int err)
{
	fail(f, err);
	f->phase = PVD_XB_CLOSING;
	return set_front(f, XenbusStateClosed);
}

/* Nothing granted yet: just stop. */
static unsigned int give_up(struct pvd_xb_fsm *f, int err)
{
	fail(f, err);
	f->phase = PVD_XB_DETACHED;
	return 0;
}

/* What a backend state tells the frontend. Initialised, Reconfiguring and
 * Reconfigured mean the same in every phase (nothing: Initialised is a
 * frontend's step, reconfiguration is not part of this protocol), so the
 * phases below handle them once, as BE_NOTHING. */
enum be_news {
	BE_UNKNOWN,		/* Unknown: no state (node gone or unwritten) */
	BE_INITIALISING,	/* Initialising: (re)starting */
	BE_READY,		/* InitWait: ready for our ring */
	BE_CONNECTED,		/* Connected */
	BE_CLOSING,		/* Closing */
	BE_CLOSED,		/* Closed */
	BE_NOTHING,		/* Initialised, Reconfiguring, Reconfigured */
};

/* The one switch that names every XenbusState (-Wswitch-enum). */
static enum be_news backend_news(XenbusState b)
{
	switch (b) {
	case XenbusStateUnknown:
		return BE_UNKNOWN;
	case XenbusStateInitialising:
		return BE_INITIALISING;
	case XenbusStateInitWait:
		return BE_READY;
	case XenbusStateConnected:
		return BE_CONNECTED;
	case XenbusStateClosing:
		return BE_CLOSING;
	case XenbusStateClosed:
		return BE_CLOSED;
	case XenbusStateInitialised:
	case XenbusStateReconfiguring:
	case XenbusStateReconfigured:
		return BE_NOTHING;
	}
	return BE_NOTHING;
}

static unsigned int resetting(struct pvd_xb_fsm *f, enum be_news b)
{
	switch (b) {
	case BE_CLOSING:
		/* It heard our Closing; Closed makes it unmap the old ring. */
		return f->front == XenbusStateClosed ? 0 :
			set_front(f, XenbusStateClosed);
	case BE_CLOSED:
	case BE_UNKNOWN:
	case BE_INITIALISING:
		/* The old connection is gone: start again. */
		f->phase = PVD_XB_WAIT_INITWAIT;
		return set_front(f, XenbusStateInitialising);
	case BE_READY:
		return publish(f);
	case BE_CONNECTED:
	case BE_NOTHING:
		return 0;
	}
	return 0;
}

static unsigned int wait_initwait(struct pvd_xb_fsm *f, enum be_news b)
{
	switch (b) {
	case BE_READY:
		return publish(f);
	case BE_CONNECTED:
		/* Connected to a frontend that died without closing. */
		f->phase = PVD_XB_RESETTING;
		return set_front(f, XenbusStateClosing);
	case BE_CLOSING:
		f->phase = PVD_XB_RESETTING;
		return set_front(f, XenbusStateClosed);
	case BE_CLOSED:		/* our Initialising will wake it */
	case BE_UNKNOWN:
	case BE_INITIALISING:
	case BE_NOTHING:
		return 0;
	}
	return 0;
}

static unsigned int wait_connect(struct pvd_xb_fsm *f, enum be_news b)
{
	unsigned int a;

	switch (b) {
	case BE_CONNECTED:
		f->phase = PVD_XB_CONNECTED;
		a = PVD_XB_ACT_READ_BACKEND;
		if (f->front != XenbusStateConnected)
			a |= set_front(f, XenbusStateConnected);
		return a;
	case BE_CLOSING:
		/* It refused our ring (xenbus_dev_fatal). */
		return closed_by_backend(f, -ECONNREFUSED);
	case BE_CLOSED:
	case BE_UNKNOWN:
		fail(f, -ECONNREFUSED);
		return finish_close(f);
	case BE_INITIALISING:
	case BE_READY:
	case BE_NOTHING:
		return 0;
	}
	return 0;
}

static unsigned int connected(struct pvd_xb_fsm *f, enum be_news b)
{
	switch (b) {
	case BE_CONNECTED:
	case BE_NOTHING:
		return 0;
	case BE_CLOSING:
		/* Unplug or backend error. */
		return closed_by_backend(f, -ECONNRESET);
	case BE_CLOSED:
	case BE_UNKNOWN:
	case BE_INITIALISING:
	case BE_READY:
		fail(f, -ECONNRESET);
		return finish_close(f);
	}
	return 0;
}

static unsigned int closing(struct pvd_xb_fsm *f, enum be_news b)
{
	switch (b) {
	case BE_CLOSING:
		return f->front == XenbusStateClosing ?
			set_front(f, XenbusStateClosed) : 0;
	case BE_CLOSED:
		if (f->detaching && f->error == 0) {
			/* It has let go: release, and hand the device back. */
			f->published = false;
			f->phase = PVD_XB_DETACHED;
			return PVD_XB_ACT_RELEASE |
				set_front(f, XenbusStateInitialising);
		}
		return finish_close(f);
	case BE_UNKNOWN:
	case BE_INITIALISING:
	case BE_READY:
		return finish_close(f);
	case BE_CONNECTED:
	case BE_NOTHING:
		return 0;
	}
	return 0;
}

static unsigned int on_backend(struct pvd_xb_fsm *f, XenbusState state)
{
	enum be_news b = backend_news(state);

	f->backend = state;
	switch (f->phase) {
	case PVD_XB_DETACHED:
		return 0;
	case PVD_XB_RESETTING:
		return resetting(f, b);
	case PVD_XB_WAIT_INITWAIT:
		return wait_initwait(f, b);
	case PVD_XB_WAIT_CONNECT:
		return wait_connect(f, b);
	case PVD_XB_CONNECTED:
		return connected(f, b);
	case PVD_XB_CLOSING:
		return closing(f, b);
	}
	return 0;
}

/* Something went wrong (ERR) or the backend cannot be understood: stop
 * attaching, and if the backend may hold our pages, close properly. */
static unsigned int on_trouble(struct pvd_xb_fsm *f, int err)
{
	switch (f->phase) {
	case PVD_XB_DETACHED:
		fail(f, err);
		return 0;
	case PVD_XB_RESETTING:
	case PVD_XB_WAIT_INITWAIT:
		return give_up(f, err);
	case PVD_XB_WAIT_CONNECT:
	case PVD_XB_CONNECTED:
		fail(f, err);
		return begin_close(f);
	case PVD_XB_CLOSING:
		fail(f, err);
		return finish_close(f);
	}
	return 0;
}

unsigned int pvd_xb_step(struct pvd_xb_fsm *f, enum pvd_xb_event ev, int arg)
{
	switch (ev) {
	case PVD_XB_EV_ATTACH:
		if (f->phase != PVD_XB_DETACHED)
			return 0;
		f->error = 0;
		f->published = false;
		f->detaching = false;
		f->phase = PVD_XB_WAIT_INITWAIT;
		return set_front(f, XenbusStateInitialising);
	case PVD_XB_EV_BACKEND:
		if (arg < XenbusStateUnknown || arg > XenbusStateReconfigured)
			return on_trouble(f, -EPROTO);
		return on_backend(f, (XenbusState)arg);
	case PVD_XB_EV_BACKEND_BAD:
		return on_trouble(f, -EPROTO);
	case PVD_XB_EV_FAILED:
		return on_trouble(f, arg < 0 ? arg : -EIO);
	case PVD_XB_EV_BACKEND_GONE:
		switch (f->phase) {
		case PVD_XB_DETACHED:
			return 0;
		case PVD_XB_RESETTING:
		case PVD_XB_WAIT_INITWAIT:
			return give_up(f, -ENODEV);
		case PVD_XB_WAIT_CONNECT:
		case PVD_XB_CONNECTED:
			fail(f, -ENODEV);
			return finish_close(f);
		case PVD_XB_CLOSING:
			return finish_close(f);	/* removed: as good as Closed */
		}
		return 0;
	case PVD_XB_EV_DETACH:
		switch (f->phase) {
		case PVD_XB_DETACHED:
		case PVD_XB_CLOSING:
			return 0;
		case PVD_XB_RESETTING:
			f->phase = PVD_XB_DETACHED;
			return set_front(f, XenbusStateClosed);
		case PVD_XB_WAIT_INITWAIT:
			f->phase = PVD_XB_DETACHED;
			return 0;
		case PVD_XB_WAIT_CONNECT:
		case PVD_XB_CONNECTED:
			f->detaching = true;
			return begin_close(f);
		}
		return 0;
	case PVD_XB_EV_TIMEOUT:
		switch (f->phase) {
		case PVD_XB_DETACHED:
		case PVD_XB_CONNECTED:
			return 0;
		case PVD_XB_RESETTING:
		case PVD_XB_WAIT_INITWAIT:
			return give_up(f, -ETIMEDOUT);
		case PVD_XB_WAIT_CONNECT:
			fail(f, -ETIMEDOUT);
			return begin_close(f);
		case PVD_XB_CLOSING:
			fail(f, -ETIMEDOUT);
			return finish_close(f);
		}
		return 0;
	}
	return 0;
}

const char *pvd_xb_state_name(int state)
{
	static const char *const names[] = {
		"Unknown", "Initialising", "InitWait", "Initialised",
		"Connected", "Closing", "Closed", "Reconfiguring", "Reconfigured",
	};

	if (state < 0 || (unsigned int)state >= PVD_ARRAY_SIZE(names))
		return "invalid";
	return names[state];
}

int pvd_xb_parse_state(const char *s, XenbusState *out)
{
	uint64_t v;

	if (pvd_parse_u64(s, XenbusStateReconfigured, &v) < 0)
		return -EINVAL;
	*out = (XenbusState)v;
	return 0;
}
