/* pv-drivers linux-user platform: a frontend running as a process in a
 * Linux PV guest, the way libxenvchan works: grants through
 * /dev/xen/gntalloc (libxengnttab's xengntshr_*), event channels through
 * /dev/xen/evtchn (libxenevtchn), xenstore through /dev/xen/xenbus
 * (libxenstore). Needs root and the guest kernel modules xen-gntalloc and
 * xen-evtchn (the error messages say so when they are missing). */
#ifndef PVD_LINUX_H
#define PVD_LINUX_H

#include "pv-drivers/core/platform.h"

#define PVD_LINUX_XENSTORE 0x1u
#define PVD_LINUX_GRANTS 0x2u
#define PVD_LINUX_EVTCHN 0x4u
#define PVD_LINUX_ALL 0x7u

struct xs_handle;
struct xenevtchn_handle;
struct xengntdev_handle;

struct pvd_linux {
	struct pvd_platform plat;
	struct xs_handle *xs;
	struct xenevtchn_handle *xce;
	struct xengntdev_handle *xgs;
	int xs_fd;			/* watch fd, -1 until a watch exists */
};

/* Opens what NEED asks for. 0, or negative with the reason (and the
 * module to load) in l->plat.err. */
int pvd_linux_open(struct pvd_linux *l, unsigned int need);
void pvd_linux_close(struct pvd_linux *l);

/* For a caller's own poll(): -1 where there is nothing to watch. After
 * poll() says one is readable, call plat.ops->wait(&l->plat, 0). */
int pvd_linux_evtchn_fd(const struct pvd_linux *l);
int pvd_linux_xs_fd(const struct pvd_linux *l);

/* Is the guest kernel's own driver bound to device TYPE-ID (e.g. vbd,
 * 51712)? Then it is the frontend, and ours must keep off. */
bool pvd_linux_kernel_bound(const char *type, uint32_t id);

#endif
