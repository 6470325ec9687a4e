/* pv-drivers core: a frontend device on xenbus. Runs the pure handshake
 * (xenbus_fsm.h) against xenstore through the platform: reads the backend
 * path, watches the backend's state, performs the actions. Each frontend
 * plugs in how it grants its rings and what it reads once connected. */
#ifndef PVD_XENBUS_H
#define PVD_XENBUS_H

#include "pv-drivers/core/platform.h"
#include "pv-drivers/core/xenbus_fsm.h"

struct pvd_xenbus;

struct pvd_xenbus_ops {
	/* Grant the rings, allocate the event channel. */
	int (*prepare)(void *drv, struct pvd_xenbus *xb);
	/* Write ring-ref, event-channel, features into our node, inside
	 * transaction T (called again when the transaction is retried). */
	int (*write_nodes)(void *drv, struct pvd_xenbus *xb, pvd_txn_t t);
	/* The backend is Connected: read and check what it offers. */
	int (*connected)(void *drv, struct pvd_xenbus *xb);
	/* End the grants, close the port; safe after a partial prepare. */
	void (*release)(void *drv, struct pvd_xenbus *xb);
};

struct pvd_xenbus {
	struct pvd_platform *plat;
	char node[PVD_PATH_MAX];	/* ours: "device/vbd/51712" */
	char backend[PVD_PATH_MAX];	/* read from node/backend */
	char state_path[PVD_PATH_MAX];	/* backend/state, watched */
	uint16_t backend_id;
	struct pvd_xb_fsm fsm;
	const struct pvd_xenbus_ops *ops;
	void *drv;
	bool watching;
	char bad_state[16];		/* last unparseable backend state */
	/* Optional: told each step of the handshake, for tools' -v. */
	void (*trace)(void *opaque, const char *line);
	void *trace_opaque;
};

/* Domain ids at and above this are reserved (xen.h DOMID_FIRST_RESERVED). */
#define PVD_DOMID_MAX 0x7fefu

int pvd_xenbus_init(struct pvd_xenbus *xb, struct pvd_platform *p,
		    const char *node, XenbusState connect_as,
		    const struct pvd_xenbus_ops *ops, void *drv);
void pvd_xenbus_dispose(struct pvd_xenbus *xb);

/* Handshake until Connected (0) or failure (negative, message in
 * plat->err; whatever was granted has been released again). */
int pvd_xenbus_attach(struct pvd_xenbus *xb, uint32_t timeout_ms);

/* Closing -> Closed, releases the grants. 0, or -ETIMEDOUT when the
 * backend did not let go in time (grants released anyway). */
int pvd_xenbus_detach(struct pvd_xenbus *xb, uint32_t timeout_ms);

/* After a watch fired: re-reads the backend's state. 0 while connected,
 * else the reason (message in plat->err); call detach to finish. */
int pvd_xenbus_poll(struct pvd_xenbus *xb);

/* Formats a line for xb->trace, if set. */
void pvd_xenbus_tracef(struct pvd_xenbus *xb, const char *fmt, ...) PVD_PRINTF(2, 3);

static inline bool pvd_xenbus_connected(const struct pvd_xenbus *xb)
{
	return xb->fsm.phase == PVD_XB_CONNECTED;
}

#endif
