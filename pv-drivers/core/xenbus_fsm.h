/* pv-drivers core: the xenbus handshake of a frontend as a pure transition
 * function (no I/O). The caller feeds it events (the backend's state as
 * read from xenstore, a local detach, a failure, a timeout) and performs
 * the actions it returns, in this order: PUBLISH, READ_BACKEND,
 * WRITE_STATE, RELEASE.
 *
 * Attach:  write Initialising; backend InitWait -> publish ring refs and
 *          event channel and switch to CONNECT_AS (Initialised for blkback,
 *          which connects on it; Connected for netback, which connects only
 *          on Connected); backend Connected -> read its details, Connected.
 * Detach:  write Closing; backend Closing -> write Closed (only then does
 *          blkback unmap the ring); backend Closed -> release grants and
 *          hand the device back: write Initialising, as the toolstack left
 *          it, so that the backend waits in InitWait for the next frontend
 *          (ours again, or the guest kernel's, which only connects to a
 *          device whose frontend state is Initialising).
 * A backend found Connected or Closing before we attach belongs to a
 * previous frontend that died: close it down first (RESETTING). */
#ifndef PVD_XENBUS_FSM_H
#define PVD_XENBUS_FSM_H

#include <xen/io/xenbus.h>

#include "pv-drivers/core/pvd.h"

enum pvd_xb_event {
	PVD_XB_EV_ATTACH,	/* start attaching */
	PVD_XB_EV_BACKEND,	/* backend state read: arg is the XenbusState */
	PVD_XB_EV_BACKEND_GONE,	/* backend state node does not exist */
	PVD_XB_EV_BACKEND_BAD,	/* backend state is not a XenbusState */
	PVD_XB_EV_DETACH,	/* local request to detach */
	PVD_XB_EV_FAILED,	/* a local action failed: arg is the error */
	PVD_XB_EV_TIMEOUT,	/* the backend took too long */
};

enum pvd_xb_phase {
	PVD_XB_DETACHED,	/* nothing granted; start and end */
	PVD_XB_RESETTING,	/* closing a stale connection first */
	PVD_XB_WAIT_INITWAIT,	/* Initialising, backend not ready yet */
	PVD_XB_WAIT_CONNECT,	/* published, backend not Connected yet */
	PVD_XB_CONNECTED,
	PVD_XB_CLOSING,		/* published, waiting for the backend to let go */
};

#define PVD_XB_ACT_PUBLISH 0x1u		/* grant ring, bind port, write nodes */
#define PVD_XB_ACT_READ_BACKEND 0x2u	/* read the backend's device details */
#define PVD_XB_ACT_WRITE_STATE 0x4u	/* write fsm.front to our state node */
#define PVD_XB_ACT_RELEASE 0x8u		/* end grants, close the port */

struct pvd_xb_fsm {
	enum pvd_xb_phase phase;
	XenbusState front;	/* our state, as last written */
	XenbusState backend;	/* backend state, as last read */
	XenbusState connect_as;	/* state that tells the backend to connect */
	bool published;		/* ring and port are granted */
	bool detaching;		/* closing because we were asked to */
	int error;		/* first failure: 0 or a negative errno */
};

void pvd_xb_fsm_init(struct pvd_xb_fsm *f, XenbusState connect_as);

/* Applies EV (with ARG, see the events) and returns PVD_XB_ACT_* bits. */
unsigned int pvd_xb_step(struct pvd_xb_fsm *f, enum pvd_xb_event ev, int arg);

/* "Initialising", ...; "invalid" outside the enum. */
const char *pvd_xb_state_name(int state);

/* A xenstore state value ("0".."8") into *OUT; -EINVAL otherwise. */
int pvd_xb_parse_state(const char *s, XenbusState *out);

#endif
