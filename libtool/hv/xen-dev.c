/* The real host-device ops: loop devices (loopdev.c), nbd devices
 * (nbd.c), block device
 * numbers, bridges over rtnetlink (bridge.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/device/bridge.h"
#include "libtool/hv/xen.h"
#include "libtool/device/loopdev.h"
#include "libtool/device/nbd.h"

/* Moves a callee's message into hv->err. */
static int take_err(struct xlite_hv *hv, int rc, char *err)
{
	xlite_hv_fail(hv, rc, "%s", err ? err : g_strerror(-rc));
	g_free(err);
	return rc;
}

int xlite_hvx_loop_attach(struct xlite_hv *hv, const char *file, bool readonly,
			  char **dev, unsigned int *major, unsigned int *minor)
{
	char *err = NULL;
	int rc = xlite_loop_attach(file, readonly, dev, major, minor, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_loop_detach(struct xlite_hv *hv, const char *dev)
{
	char *err = NULL;
	int rc = xlite_loop_detach(dev, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_blockdev_stat(struct xlite_hv *hv, const char *path,
			    unsigned int *major, unsigned int *minor)
{
	char *err = NULL;
	int rc = xlite_blockdev_numbers(path, major, minor, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_loop_identity(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			   uint64_t *dev, uint64_t *ino)
{
	int rc = xlite_loop_identity(major, minor, dev, ino);

	if (rc < 0)
		return xlite_hv_fail(hv, rc, "block device %x:%x: %s", major, minor,
				     rc == -ENXIO ? "not a bound loop device" : g_strerror(-rc));
	return 0;
}

int xlite_hvx_bridge_check(struct xlite_hv *hv, const char *bridge)
{
	char *err = NULL;
	int rc = xlite_bridge_check(bridge, &err);

	if (rc == -ENODEV)
		rc = -ENOENT;
	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_bridge_attach(struct xlite_hv *hv, const char *bridge, const char *ifname,
			    int timeout_ms)
{
	char *err = NULL;
	int rc;

	rc = xlite_link_wait(ifname, timeout_ms, &err);
	if (rc == 0)
		rc = xlite_bridge_attach(bridge, ifname, &err);
	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_loop_backing(struct xlite_hv *hv, const char *dev, char **backing)
{
	char *err = NULL;
	int rc = xlite_loop_backing(dev, backing, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_netdev_exists(struct xlite_hv *hv, const char *ifname, char **master)
{
	char *err = NULL, *br = NULL;
	int rc = xlite_link_master(ifname, &br, &err);

	*master = NULL;
	if (rc == -ENODEV) {
		g_free(err);
		return 0;
	}
	if (rc == -ENOENT)
		return 1;
	if (rc < 0)
		return take_err(hv, rc, err);
	*master = g_steal_pointer(&br);
	return 1;
}

int xlite_hvx_vif_setup(struct xlite_hv *hv, const char *ifname, const char *newname,
			unsigned int mtu, int timeout_ms)
{
	char *err = NULL;
	int rc;

	rc = xlite_link_wait(ifname, timeout_ms, &err);
	if (rc == 0)
		rc = xlite_link_setup(ifname, newname, mtu, &err);
	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_vif_route(struct xlite_hv *hv, const char *ifname, const char *const *ips,
			int timeout_ms)
{
	char *err = NULL;
	int rc;

	rc = xlite_link_wait(ifname, timeout_ms, &err);
	if (rc == 0)
		rc = xlite_link_route(ifname, ips, &err);
	return rc < 0 ? take_err(hv, rc, err) : 0;
}
int xlite_hvx_nbd_attach(struct xlite_hv *hv, const char *file, bool readonly,
			 char **dev, unsigned int *major, unsigned int *minor)
{
	char *err = NULL;
	int rc = xlite_nbd_attach(file, readonly, dev, major, minor, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_nbd_detach(struct xlite_hv *hv, const char *dev)
{
	char *err = NULL;
	int rc = xlite_nbd_detach(dev, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_nbd_backing(struct xlite_hv *hv, const char *dev, char **backing)
{
	char *err = NULL;
	int rc = xlite_nbd_backing(dev, backing, &err);

	return rc < 0 ? take_err(hv, rc, err) : 0;
}

int xlite_hvx_nbd_identity(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			   uint64_t *dev, uint64_t *ino)
{
	int rc = xlite_nbd_identity(major, minor, dev, ino);

	if (rc < 0)
		return xlite_hv_fail(hv, rc, "block device %x:%x: %s", major, minor,
				     rc == -ENXIO ? "not a connected nbd device" : g_strerror(-rc));
	return 0;
}
