/* Internals of device*.c, shared with their unit tests. */
#ifndef XLITE_DEVICE_PRIV_H
#define XLITE_DEVICE_PRIV_H

#include <glib.h>

#include "libtool/device/device.h"

/* XenbusState values xlite waits for. */
enum {
	XLITE_XB_INITIALISING = 1,
	XLITE_XB_INITWAIT = 2,
	XLITE_XB_CONNECTED = 4,
	XLITE_XB_CLOSING = 5,
	XLITE_XB_CLOSED = 6,
};

/* A list of xenstore ops for hv->ops->xs_apply: libxsclient's batch. */
struct xlite_device_ops {
	struct xsc_batch batch;
};

void xlite_device_ops_init(struct xlite_device_ops *o);
void xlite_device_ops_dispose(struct xlite_device_ops *o);
void xlite_device_ops_mkdir(struct xlite_device_ops *o, const char *path,
			    const char *perms);
/* (o, path, fmt, ...): the value printf-formatted. */
#define xlite_device_ops_write(o, path, ...) xsc_batch_writef(&(o)->batch, (path), __VA_ARGS__)
int xlite_device_ops_apply(struct xlite_hv *hv, struct xlite_device_ops *o);

/* "/local/domain/D/device/TYPE/ID" and "/local/domain/0/backend/TYPE/D/ID". */
char *xlite_device_frontend(uint32_t domid, enum xlite_device_kind kind, unsigned int devid);
char *xlite_device_backend(uint32_t domid, enum xlite_device_kind kind, unsigned int devid);

/* The nodes of one device with every value known (hotplug): the planner's
 * list (xlite_plan_disk_nodes / xlite_plan_nic_nodes, so hotplugged and
 * created devices look alike), expanded for DOMID, appended to O. NIC->mac
 * must be set. */
int xlite_device_disk_nodes(struct xlite_hv *hv, struct xlite_device_ops *o, uint32_t domid,
			    const struct xlite_disk *disk, const struct xlite_disk_host *h);
int xlite_device_nic_nodes(struct xlite_hv *hv, struct xlite_device_ops *o, uint32_t domid,
			   unsigned int devid, const struct xlite_nic *nic);

/* /local/domain/D/xlite/loops, the loop (and nbd) devices xlite made for D (apply
 * writes it, domain.c releases it, and nothing else is ever released):
 * ops that add or remove DEV, appended to O. */
int xlite_device_loops_record(struct xlite_hv *hv, uint32_t domid, const char *dev,
			      bool add, struct xlite_device_ops *o);

/* A XenbusState read from PATH: 0..7, or -1 when absent or not a state. */
int xlite_device_read_state(struct xlite_hv *hv, const char *path);
/* Strict decimal in [0, max]; false otherwise. */
bool xlite_device_parse_uint(const char *s, unsigned long max, unsigned long *out);

/* Whether DEV is listed in /local/domain/D/xlite/loops. */
bool xlite_device_loop_is_ours(struct xlite_hv *hv, uint32_t domid, const char *dev);

#endif
