/* The xenstore nodes of one device, with every value known: what hotplug
 * writes, in one transaction. Create writes the plan's nodes instead. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/device/device-priv.h"
#include "libtool/device/nbd.h"
#include "libtool/util/mac.h"
#include "libtool/plan/plan-int.h"
#include "libtool/util/number.h"

void xlite_device_ops_init(struct xlite_device_ops *o)
{
	xsc_batch_init(&o->batch);
}

void xlite_device_ops_dispose(struct xlite_device_ops *o)
{
	xsc_batch_dispose(&o->batch);
}

void xlite_device_ops_mkdir(struct xlite_device_ops *o, const char *path, const char *perms)
{
	xsc_batch_mkdir_str(&o->batch, path, perms);
}

int xlite_device_ops_apply(struct xlite_hv *hv, struct xlite_device_ops *o)
{
	return hv->ops->xs_apply(hv, &o->batch);
}

char *xlite_device_frontend(uint32_t domid, enum xlite_device_kind kind, unsigned int devid)
{
	return g_strdup_printf("/local/domain/%u/device/%s/%u", domid,
			       xlite_device_kind_name(kind), devid);
}

char *xlite_device_backend(uint32_t domid, enum xlite_device_kind kind, unsigned int devid)
{
	return g_strdup_printf("/local/domain/0/backend/%s/%u/%u",
			       xlite_device_kind_name(kind), domid, devid);
}

/* Appends PLANNED (with placeholders) to O, expanded with VARS. */
static int expand_into(struct xlite_hv *hv, struct xlite_device_ops *o,
		       const struct xlite_xs_ops *planned, struct xlite_plan_vars *vars)
{
	g_autofree char *err = NULL;
	int rc = xlite_xs_ops_expand(&o->batch, planned, xlite_plan_vars_lookup, vars, &err);

	return rc < 0 ? xlite_hv_fail(hv, rc, "%s", err) : 0;
}

/* The end of a device's node planning: PLANNED expanded into O when RC is
 * 0, then what the device's plan held freed; RC or the expansion's error. */
static int finish_nodes(struct xlite_hv *hv, struct xlite_device_ops *o, int rc,
			struct xlite_xs_ops *planned, struct xlite_plan_vars *vars,
			char *frontend, char *backend)
{
	if (rc == 0)
		rc = expand_into(hv, o, planned, vars);
	xlite_ops_dispose(planned);
	g_free(frontend);
	g_free(backend);
	return rc;
}

int xlite_device_disk_nodes(struct xlite_hv *hv, struct xlite_device_ops *o, uint32_t domid,
			    const struct xlite_disk *d, const struct xlite_disk_host *h)
{
	const char *path[1] = { h->path }, *physdev[1] = { h->physdev };
	struct xlite_plan_vars vars;
	struct xlite_plan_disk pd;
	int rc;

	memset(&pd, 0, sizeof(pd));
	memset(&vars, 0, sizeof(vars));
	pd.disk = *d;		/* borrowed: not disposed here */
	pd.needs_loop = h->loop;
	pd.frontend = g_strdup_printf("/local/domain/${domid}/device/vbd/%u", d->vdev);
	pd.backend = g_strdup_printf("/local/domain/0/backend/vbd/${domid}/%u", d->vdev);
	/* The planner's own node list, so a hotplugged disk looks exactly like
	 * one given at create: as disk 0, with its values known. */
	rc = xlite_plan_disk_nodes(&pd, 0);
	if (rc < 0) {
		xlite_hv_fail(hv, rc, "disk %s: planning its nodes: %s", d->target, g_strerror(-rc));
		goto out;
	}
	vars.domid = domid;
	vars.n_disks = 1;
	vars.disk_path = path;
	vars.disk_physdev = physdev;
out:
	return finish_nodes(hv, o, rc, &pd.nodes, &vars, pd.frontend, pd.backend);
}

int xlite_device_nic_nodes(struct xlite_hv *hv, struct xlite_device_ops *o, uint32_t domid,
			   unsigned int devid, const struct xlite_nic *nic)
{
	struct xlite_plan_vars vars;
	struct xlite_plan_nic pn;
	int rc;

	memset(&pn, 0, sizeof(pn));
	memset(&vars, 0, sizeof(vars));
	pn.nic = *nic;		/* borrowed */
	pn.devid = devid;
	xlite_mac_format(nic->mac, pn.mac);
	pn.frontend = g_strdup_printf("/local/domain/${domid}/device/vif/%u", devid);
	pn.backend = g_strdup_printf("/local/domain/0/backend/vif/${domid}/%u", devid);
	rc = xlite_plan_nic_nodes(&pn);
	if (rc < 0) {
		xlite_hv_fail(hv, rc, "interface %u: planning its nodes: %s", devid,
			      g_strerror(-rc));
		goto out;
	}
	vars.domid = domid;
out:
	return finish_nodes(hv, o, rc, &pn.nodes, &vars, pn.frontend, pn.backend);
}

bool xlite_device_is_loop(const char *dev)
{
	return xlite_dev_is_numbered(dev, "/dev/loop") || xlite_nbd_is_dev(dev);
}

bool xlite_device_parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	uint64_t v;

	if (xlite_number_parse(s, 0, max, &v) < 0)
		return false;
	*out = (unsigned long)v;
	return true;
}

int xlite_device_read_state(struct xlite_hv *hv, const char *path)
{
	char *v = NULL;
	unsigned long st;
	int rc = -1;

	if (hv->ops->xs_read(hv, path, &v) == 0 && xlite_device_parse_uint(v, 7, &st))
		rc = (int)st;
	g_free(v);
	return rc;
}

int xlite_device_loops_record(struct xlite_hv *hv, uint32_t domid, const char *dev,
			      bool add, struct xlite_device_ops *o)
{
	GString *list = g_string_new("");
	char *path, *dir, *cur = NULL;
	char **old = NULL;
	unsigned int i;
	int rc;

	dir = g_strdup_printf("/local/domain/%u/xlite", domid);
	path = g_strdup_printf("%s/loops", dir);
	rc = hv->ops->xs_read(hv, path, &cur);
	if (rc == -ENOENT) {
		cur = g_strdup("");
		rc = 0;
	}
	if (rc < 0)
		goto out;
	old = g_strsplit(cur, " ", 0);
	for (i = 0; old[i]; i++) {
		if (!xlite_device_is_loop(old[i]) || strcmp(old[i], dev) == 0)
			continue;
		g_string_append_printf(list, "%s%s", list->len ? " " : "", old[i]);
	}
	if (add)
		g_string_append_printf(list, "%s%s", list->len ? " " : "", dev);
	/* Owned by dom0 with no access for anyone else: the guest can
	 * neither read nor change which loop devices destroy releases. */
	xlite_device_ops_mkdir(o, dir, "n0");
	xlite_device_ops_write(o, path, "%s", list->str);
out:
	g_strfreev(old);
	g_free(cur);
	g_free(path);
	g_free(dir);
	g_string_free(list, TRUE);
	return rc;
}

bool xlite_device_loop_is_ours(struct xlite_hv *hv, uint32_t domid, const char *dev)
{
	char *path = g_strdup_printf("/local/domain/%u/xlite/loops", domid);
	char *cur = NULL;
	char **list = NULL;
	bool ours = false;
	unsigned int i;

	if (xlite_device_is_loop(dev) && hv->ops->xs_read(hv, path, &cur) == 0) {
		list = g_strsplit(cur, " ", 0);
		for (i = 0; list[i] && !ours; i++)
			ours = strcmp(list[i], dev) == 0;
	}
	g_strfreev(list);
	g_free(cur);
	g_free(path);
	return ours;
}
