/* Every device of a plan, for create: checks before the build, host sides
 * and their placeholders, vifs on their bridges after the transaction,
 * and the rollback of it all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/util/number.h"

void xlite_devices_init(struct xlite_devices *devs)
{
	memset(devs, 0, sizeof(*devs));
}

void xlite_devices_dispose(struct xlite_devices *devs)
{
	size_t i;

	for (i = 0; i < devs->n_disks; i++)
		xlite_disk_host_dispose(&devs->disks[i]);
	g_free(devs->disks);
	xlite_devices_init(devs);
}

int xlite_devices_check(struct xlite_hv *hv, const struct xlite_plan *plan)
{
	size_t i, j;
	int rc;

	for (i = 0; i < plan->n_nics; i++) {
		const struct xlite_plan_nic *n = &plan->nics[i];
		char *why;

		if (n->nic.ifname) {
			g_autofree char *master = NULL;

			rc = hv->ops->netdev_exists(hv, n->nic.ifname, &master);
			if (rc > 0)
				rc = xlite_hv_fail(hv, -EEXIST, "interface %u: vifname %s: dom0 has "
						   "an interface of that name already", n->devid,
						   n->nic.ifname);
			if (rc < 0)
				return rc;
		}
		if (n->nic.routed)
			continue;	/* on no bridge: nothing of dom0's to check */
		if (!n->nic.bridge)
			return xlite_hv_fail(hv, -EINVAL, "interface %u has no bridge", n->devid);
		rc = hv->ops->bridge_check(hv, n->nic.bridge);
		if (rc < 0) {
			why = g_strdup(xlite_hv_error(hv));
			rc = xlite_hv_fail(hv, rc, "interface %u (bridge %s): %s", n->devid,
					   n->nic.bridge, why);
			g_free(why);
			return rc;
		}
	}
	for (i = 0; i < plan->n_disks; i++) {
		const struct xlite_disk *d = &plan->disks[i].disk;

		for (j = 0; j < i; j++)
			if (plan->disks[j].disk.vdev == d->vdev)
				return xlite_hv_fail(hv, -EEXIST,
						     "disk target %s is used twice (%s and %s)",
						     d->target, plan->disks[j].disk.source,
						     d->source);
		rc = xlite_disk_check(hv, d);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int xlite_devices_prepare(struct xlite_hv *hv, const struct xlite_plan *plan,
			  struct xlite_devices *devs)
{
	size_t i;
	int rc;

	xlite_devices_dispose(devs);
	rc = xlite_devices_check(hv, plan);
	if (rc < 0)
		return rc;
	devs->disks = g_new0(struct xlite_disk_host, plan->n_disks ? plan->n_disks : 1);
	devs->n_disks = plan->n_disks;
	for (i = 0; i < plan->n_disks; i++) {
		rc = xlite_disk_host_prepare(hv, &plan->disks[i].disk, &devs->disks[i]);
		if (rc < 0)
			goto out;
	}
out:
	if (rc < 0) {
		struct xlite_release r;
		struct xlite_undo u;

		/* The cause first, then each release that failed too. */
		xlite_undo_begin(&u, xlite_hv_error(hv));
		xlite_release_init(&r);
		xlite_devices_release(hv, devs, &r, &u);
		if (xlite_release_wait(hv, &r, 0) < 0)
			xlite_undo_failed(&u, hv, -ETIMEDOUT, "releasing loop devices");
		xlite_release_dispose(&r);
		xlite_undo_end_hv(&u, hv, rc);
	}
	return rc;
}

const char *xlite_devices_lookup(const struct xlite_devices *devs, const char *name)
{
	const char *p, *end;
	g_autofree char *digits = NULL;
	uint64_t idx;

	if (!g_str_has_prefix(name, "disk."))
		return NULL;
	p = name + 5;
	end = strchr(p, '.');
	if (!end || devs->n_disks == 0)
		return NULL;
	digits = g_strndup(p, (gsize)(end - p));
	if (xlite_number_parse(digits, 0, devs->n_disks - 1, &idx) < 0)
		return NULL;
	if (strcmp(end, ".physdev") == 0)
		return devs->disks[idx].physdev[0] ? devs->disks[idx].physdev : NULL;
	if (strcmp(end, ".path") == 0)
		return devs->disks[idx].path;
	return NULL;
}

/* A failed host step of interface DEVID, named: RC. */
static int vif_step_failed(struct xlite_hv *hv, int rc, unsigned int devid, const char *what)
{
	char *why = g_strdup(xlite_hv_error(hv));

	rc = xlite_hv_fail(hv, rc, "interface %u (%s): %s", devid, what, why);
	g_free(why);
	return rc;
}

int xlite_device_nic_connect(struct xlite_hv *hv, uint32_t domid, unsigned int devid,
			     const struct xlite_nic *nic, int timeout_ms)
{
	char ifname[32], path[96];
	g_autofree char *what = NULL;
	const char *name;
	char *why;
	int rc;

	if (timeout_ms <= 0)
		timeout_ms = XLITE_DEVICE_TIMEOUT_MS;
	snprintf(ifname, sizeof(ifname), "vif%u.%u", domid, devid);
	name = nic->ifname ? nic->ifname : ifname;
	/* vif-common's part: the name and MTU, while the link is down */
	if (nic->ifname || nic->mtu) {
		what = nic->ifname ? g_strdup_printf("%s renamed %s", ifname, nic->ifname) :
				     g_strdup_printf("%s, MTU %u", ifname, nic->mtu);
		rc = hv->ops->vif_setup(hv, ifname, nic->ifname, nic->mtu, timeout_ms);
		if (rc < 0)
			return vif_step_failed(hv, rc, devid, what);
		g_free(what);
	}
	if (nic->bridge) {	/* vif-bridge's part */
		what = g_strdup_printf("%s on bridge %s", name, nic->bridge);
		rc = hv->ops->bridge_attach(hv, nic->bridge, name, timeout_ms);
	} else {		/* vif-route's part */
		what = g_strdup_printf("%s routed", name);
		rc = hv->ops->vif_route(hv, name, (const char *const *)nic->ips, timeout_ms);
	}
	if (rc < 0)
		return vif_step_failed(hv, rc, devid, what);
	/* What a hotplug script says when done: netback waits for it before
	 * it reports Connected. */
	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/%u/hotplug-status",
		 domid, devid);
	rc = hv->ops->xs_write(hv, path, "connected");
	if (rc < 0) {
		why = g_strdup(xlite_hv_error(hv));
		rc = xlite_hv_fail(hv, rc, "interface %u: writing %s: %s", devid, path, why);
		g_free(why);
	}
	return rc;
}

int xlite_devices_connect(struct xlite_hv *hv, uint32_t domid,
			  const struct xlite_plan *plan, struct xlite_devices *devs,
			  int timeout_ms)
{
	size_t i;
	int rc;

	(void)devs;

	for (i = 0; i < plan->n_nics; i++) {
		rc = xlite_device_nic_connect(hv, domid, plan->nics[i].devid,
					      &plan->nics[i].nic, timeout_ms);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int xlite_devices_release(struct xlite_hv *hv, struct xlite_devices *devs,
			  struct xlite_release *r, struct xlite_undo *u)
{
	size_t i;
	int rc = 0, one;

	for (i = 0; i < devs->n_disks; i++) {
		struct xlite_disk_host *h = &devs->disks[i];

		if (!h->loop || !h->path)
			continue;
		one = xlite_release_loop(hv, r, h->path);
		if (one < 0) {
			xlite_undo_failed(u, hv, one, "releasing %s", h->path);
			if (rc == 0)
				rc = one;
			continue;
		}
		h->loop = false;
	}
	return rc;
}
