/* Hotplug: one disk or nic added to, or removed from, a running (or
 * paused) domain; the same nodes and host steps as create. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/device/bridge.h"
#include "libtool/device/device-priv.h"
#include "libtool/util/mac.h"

/* The domain is there and not on its way out. */
static int need_live(struct xlite_hv *hv, uint32_t domid, struct xlite_dominfo *info)
{
	int rc;

	if (domid == 0 || domid >= XLITE_DOMID_INVALID)
		return xlite_hv_fail(hv, -EINVAL, "domain %u cannot have devices attached", domid);
	rc = hv->ops->domain_info(hv, domid, info);
	if (rc < 0)
		return rc;
	if (info->dying || info->shutdown)
		return xlite_hv_fail(hv, -ESRCH, "domain %u is shutting down", domid);
	return 0;
}

/* 1 when PATH exists, 0 when not, or a negative errno. */
static int exists(struct xlite_hv *hv, const char *path)
{
	char **names = NULL;
	int rc = hv->ops->xs_directory(hv, path, &names);

	g_strfreev(names);
	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? rc : 1;
}

/* Removes the backend directory BE, then its parent .../backend/TYPE/D when
 * that holds nothing more, as a domain without such devices has none. */
static int rm_backend(struct xlite_hv *hv, const char *be)
{
	char *parent = g_path_get_dirname(be);
	char **names = NULL;
	int rc;

	rc = hv->ops->xs_rm(hv, be);
	if (rc == 0)
		rc = hv->ops->xs_directory(hv, parent, &names);
	if (rc == -ENOENT)
		rc = 0;
	else if (rc == 0 && !names[0])
		rc = hv->ops->xs_rm(hv, parent);
	g_strfreev(names);
	g_free(parent);
	return rc;
}

/* The domain side of a disk attach, touching nothing: DOMID is live and
 * the target is a PV disk name (*vdev) free in it. (The source is checked
 * by xlite_disk_check, which xlite_disk_host_prepare runs first.) */
static int disk_target_check(struct xlite_hv *hv, uint32_t domid, const struct xlite_disk *d,
			     unsigned int *vdev)
{
	struct xlite_dominfo info;
	char *fe, *be;
	int rc;

	rc = need_live(hv, domid, &info);
	if (rc < 0)
		return rc;
	if (!d->target || xlite_vdev_parse_xl(d->target, vdev) < 0)
		return xlite_hv_fail(hv, -EINVAL,
				     "disk target '%s' is not a Xen PV disk name, expected xvda, xvdb, ...",
				     d->target ? d->target : "");
	fe = xlite_device_frontend(domid, XLITE_DEVICE_VBD, *vdev);
	be = xlite_device_backend(domid, XLITE_DEVICE_VBD, *vdev);
	if ((rc = exists(hv, fe)) > 0 || (rc == 0 && (rc = exists(hv, be)) > 0))
		rc = xlite_hv_fail(hv, -EEXIST, "disk target %s is already in use in domain %u",
				   d->target, domid);
	g_free(fe);
	g_free(be);
	return rc;
}

int xlite_device_disk_attach_check(struct xlite_hv *hv, uint32_t domid,
				   const struct xlite_disk *disk)
{
	unsigned int vdev;
	int rc = disk_target_check(hv, domid, disk, &vdev);

	if (rc == 0)
		rc = xlite_disk_check_held(hv, disk);
	return rc < 0 ? rc : xlite_disk_check(hv, disk);
}

int xlite_device_disk_attach(struct xlite_hv *hv, uint32_t domid,
			     const struct xlite_disk *disk)
{
	struct xlite_device_ops o;
	struct xlite_disk_host h;
	struct xlite_disk d = *disk;
	int rc;

	xlite_device_ops_init(&o);
	xlite_disk_host_init(&h);
	rc = disk_target_check(hv, domid, disk, &d.vdev);
	if (rc == 0)
		rc = xlite_disk_check_held(hv, disk);
	if (rc < 0)
		goto out;
	rc = xlite_disk_host_prepare(hv, &d, &h);
	if (rc < 0)
		goto out;
	rc = xlite_device_disk_nodes(hv, &o, domid, &d, &h);
	if (rc == 0 && h.loop) {
		rc = xlite_device_loops_record(hv, domid, h.path, true, &o);
		if (rc < 0)
			goto out;
	}
	rc = xlite_device_ops_apply(hv, &o);
out:
	if (rc < 0) {
		struct xlite_devices one = { &h, 1 };
		struct xlite_release r;
		struct xlite_undo u;

		xlite_undo_begin(&u, xlite_hv_error(hv));
		xlite_release_init(&r);
		xlite_devices_release(hv, &one, &r, &u);
		if (xlite_release_wait(hv, &r, 0) < 0)
			xlite_undo_failed(&u, hv, -ETIMEDOUT, "releasing %s", h.path);
		xlite_release_dispose(&r);
		xlite_undo_end_hv(&u, hv, rc);
	}
	xlite_disk_host_dispose(&h);
	xlite_device_ops_dispose(&o);
	return rc;
}

/* vifD.N and, renamed, its new name IFNAME too: whichever it has when
 * netback removes it. */
static void vif_release_add(struct xlite_release *r, uint32_t domid, unsigned int devid,
			    const char *ifname)
{
	xlite_release_add_vif(r, domid, devid);
	if (ifname)
		xlite_release_add_ifname(r, ifname);
}

/* The next vif index of DOMID: one past the highest in use (front or back). */
static int next_vif(struct xlite_hv *hv, uint32_t domid, unsigned int *devid)
{
	char *dirs[2];
	unsigned long next = 0, v;
	unsigned int i, j;
	int rc = 0;

	dirs[0] = g_strdup_printf("/local/domain/%u/device/vif", domid);
	dirs[1] = g_strdup_printf("/local/domain/0/backend/vif/%u", domid);
	for (i = 0; i < 2 && rc == 0; i++) {
		char **names = NULL;

		rc = hv->ops->xs_directory(hv, dirs[i], &names);
		if (rc == -ENOENT) {
			rc = 0;
			continue;
		}
		for (j = 0; rc == 0 && names[j]; j++)
			if (xlite_device_parse_uint(names[j], 0xffff, &v) && v + 1 > next)
				next = v + 1;
		g_strfreev(names);
	}
	g_free(dirs[0]);
	g_free(dirs[1]);
	if (rc == 0 && next >= XLITE_MAX_NICS)
		rc = xlite_hv_fail(hv, -ENOSPC, "domain %u has no free interface index (max %d)",
				   domid, XLITE_MAX_NICS);
	if (rc == 0)
		*devid = (unsigned int)next;
	return rc;
}

int xlite_device_nic_attach_check(struct xlite_hv *hv, uint32_t domid,
				  const struct xlite_nic *nic, unsigned int *devid,
				  uint8_t mac[6])
{
	struct xlite_dominfo info;
	int rc;

	rc = need_live(hv, domid, &info);
	if (rc < 0)
		return rc;
	if (!nic->bridge && !nic->routed)
		return xlite_hv_fail(hv, -EINVAL, "interface has no bridge");
	rc = nic->bridge ? hv->ops->bridge_check(hv, nic->bridge) : 0;
	if (rc < 0)
		return rc;
	if (nic->ifname) {
		g_autofree char *master = NULL;

		rc = hv->ops->netdev_exists(hv, nic->ifname, &master);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return xlite_hv_fail(hv, -EEXIST, "vifname %s: dom0 has an interface of "
					     "that name already", nic->ifname);
	}
	rc = next_vif(hv, domid, devid);
	if (rc < 0)
		return rc;
	/* As create does: stable for the domain's uuid and the index. */
	if (nic->mac_given)
		memcpy(mac, nic->mac, 6);
	else
		xlite_mac_generate(info.uuid, *devid, mac);
	return 0;
}

int xlite_device_nic_attach(struct xlite_hv *hv, uint32_t domid,
			    const struct xlite_nic *nic, int timeout_ms,
			    unsigned int *devid)
{
	struct xlite_device_ops o;
	struct xlite_nic n = *nic;
	char *fe = NULL, *be = NULL;
	bool written = false;
	int rc;

	xlite_device_ops_init(&o);
	rc = xlite_device_nic_attach_check(hv, domid, nic, devid, n.mac);
	if (rc < 0)
		goto out;
	fe = xlite_device_frontend(domid, XLITE_DEVICE_VIF, *devid);
	be = xlite_device_backend(domid, XLITE_DEVICE_VIF, *devid);
	rc = xlite_device_nic_nodes(hv, &o, domid, *devid, &n);
	if (rc == 0)
		rc = xlite_device_ops_apply(hv, &o);
	if (rc < 0)
		goto out;
	written = true;
	rc = xlite_device_nic_connect(hv, domid, *devid, nic, timeout_ms);
out:
	if (rc < 0 && written) {
		struct xlite_release r;
		struct xlite_undo u;
		int one;

		/* Removing the backend directory makes netback drop vifD.N,
		 * and the bridge port with it: wait for that too. */
		xlite_undo_begin(&u, xlite_hv_error(hv));
		xlite_release_init(&r);
		one = rm_backend(hv, be);
		if (one < 0)
			xlite_undo_failed(&u, hv, one, "removing %s", be);
		else	/* with its backend left, netback keeps it */
			vif_release_add(&r, domid, *devid, nic->ifname);
		one = hv->ops->xs_rm(hv, fe);
		if (one < 0)
			xlite_undo_failed(&u, hv, one, "removing %s", fe);
		one = xlite_release_wait(hv, &r, 0);
		if (one < 0)
			xlite_undo_failed(&u, hv, one, "removing vif%u.%u", domid, *devid);
		xlite_release_dispose(&r);
		xlite_undo_end_hv(&u, hv, rc);
	}
	xlite_device_ops_dispose(&o);
	g_free(fe);
	g_free(be);
	return rc;
}

/* The vifname a vif backend BE asks for (xl's and xlite's node), or NULL
 * when none or not a valid interface name (the node is dom0's own, yet it
 * is read back: check it). */
static char *vif_name_of(struct xlite_hv *hv, const char *be)
{
	g_autofree char *path = g_strdup_printf("%s/vifname", be);
	char *v = NULL;

	if (hv->ops->xs_read(hv, path, &v) < 0 || xlite_ifname_invalid(v)) {
		g_free(v);
		return NULL;
	}
	return v;
}

/* Polls until the frontend closed (6, or gone) and the backend closed (6,
 * or gone), or the deadline. */
static bool wait_closed(struct xlite_hv *hv, const char *fe, const char *be,
			gint64 deadline)
{
	char *fe_state = g_strdup_printf("%s/state", fe);
	char *be_state = g_strdup_printf("%s/state", be);
	bool done = false;

	for (;;) {
		int f = xlite_device_read_state(hv, fe_state);
		int b = xlite_device_read_state(hv, be_state);

		done = (f < 0 || f == XLITE_XB_CLOSED) && (b < 0 || b == XLITE_XB_CLOSED);
		if (done || g_get_monotonic_time() >= deadline)
			break;
		g_usleep(20 * 1000);
	}
	g_free(fe_state);
	g_free(be_state);
	return done;
}

/* The loop device xlite made for vbd backend BE of DOMID, or NULL: the
 * backend's params (or physical-device-path) when it is a loop device
 * listed in DOMID's xlite/loops. A loop device someone else made is never
 * released. */
static char *vbd_loop(struct xlite_hv *hv, uint32_t domid, const char *be)
{
	static const char *const nodes[] = { "params", "physical-device-path" };
	char *found = NULL;
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(nodes) && !found; i++) {
		char *p = g_strdup_printf("%s/%s", be, nodes[i]), *v = NULL;

		if (hv->ops->xs_read(hv, p, &v) == 0 && xlite_device_loop_is_ours(hv, domid, v))
			found = v;
		else
			g_free(v);
		g_free(p);
	}
	return found;
}

int xlite_device_unplug(struct xlite_hv *hv, uint32_t domid,
			enum xlite_device_kind kind, unsigned int devid,
			int timeout_ms, bool force)
{
	const char *type = xlite_device_kind_name(kind);
	char *fe = xlite_device_frontend(domid, kind, devid);
	char *be = xlite_device_backend(domid, kind, devid);
	char *path = NULL, *loop = NULL;
	g_autofree char *vifname = NULL;
	struct xlite_device_ops o;
	struct xlite_release r;
	int fe_there, be_there, f, rc;

	xlite_device_ops_init(&o);
	xlite_release_init(&r);
	if (timeout_ms <= 0)
		timeout_ms = XLITE_DEVICE_TIMEOUT_MS;
	fe_there = exists(hv, fe);
	be_there = exists(hv, be);
	if (fe_there < 0 || be_there < 0) {
		rc = fe_there < 0 ? fe_there : be_there;
		goto out;
	}
	if (!fe_there && !be_there) {
		rc = xlite_hv_fail(hv, -ENOENT, "domain %u has no %s device %u", domid, type,
				   devid);
		goto out;
	}
	if (kind == XLITE_DEVICE_VBD && be_there)
		loop = vbd_loop(hv, domid, be);
	if (kind == XLITE_DEVICE_VIF && be_there)
		vifname = vif_name_of(hv, be);

	path = g_strdup_printf("%s/state", fe);
	f = xlite_device_read_state(hv, path);
	/* A frontend that never started (or already closed) has nothing to
	 * let go of: no need to ask. */
	if (be_there && f > XLITE_XB_INITIALISING && f < XLITE_XB_CLOSED) {
		g_free(path);
		path = g_strdup_printf("%s/online", be);
		rc = hv->ops->xs_write(hv, path, "0");
		g_free(path);
		path = g_strdup_printf("%s/state", be);
		if (rc == 0)
			rc = hv->ops->xs_write(hv, path, "5");
		if (rc < 0)
			goto out;
		if (!wait_closed(hv, fe, be, g_get_monotonic_time() + (gint64)timeout_ms * 1000) &&
		    !force) {
			rc = xlite_hv_fail(hv, -ETIMEDOUT,
					   "domain %u did not release %s device %u within %d s "
					   "(the guest may be paused or hung; force removes it anyway)",
					   domid, type, devid, timeout_ms / 1000);
			goto out;
		}
	}
	/* Backend first: the kernel backend lets go of the device (and of
	 * vifD.N's bridge port) when its directory goes. */
	rc = rm_backend(hv, be);
	if (rc == 0)
		rc = hv->ops->xs_rm(hv, fe);
	if (rc < 0)
		goto out;
	if (kind == XLITE_DEVICE_VIF)
		vif_release_add(&r, domid, devid, vifname);
	if (loop) {
		rc = xlite_device_loops_record(hv, domid, loop, false, &o);
		if (rc == 0)
			rc = xlite_device_ops_apply(hv, &o);
		if (rc < 0)
			goto out;
		/* blkback may still hold it for a moment: LOOP_CLR_FD then only
		 * sets autoclear, and the kernel clears it on the last close. */
		rc = xlite_release_loop(hv, &r, loop);
		if (rc < 0)
			goto out;
	}
	/* Return only once dom0 let go: the image may be reused at once. */
	rc = xlite_release_wait(hv, &r, timeout_ms);
	if (rc < 0) {
		char *why = g_strdup(xlite_hv_error(hv));

		rc = xlite_hv_fail(hv, rc, "domain %u's %s device %u is removed, but %s", domid,
				   type, devid, why);
		g_free(why);
	}
out:
	xlite_release_dispose(&r);
	xlite_device_ops_dispose(&o);
	g_free(path);
	g_free(loop);
	g_free(fe);
	g_free(be);
	return rc;
}
