/* xenstore nodes of the PV devices, for dom0's own kernel backends
 * (blkback, netback) with no hotplug scripts: see LAB.md, "Devices without
 * hotplug scripts". Frontend directory first (nD,r0: the guest drives its
 * side), then the backend directory (n0,rD: the guest may read, never
 * write). Within the backend, physical-device comes last: blkback leaves
 * InitWait when it appears and reads dev and mode then. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "libtool/plan/plan-int.h"

/* What every device's frontend directory starts with. */
static void frontend_head(struct xlite_ops_builder *b, const char *fe, const char *be)
{
	xlite_ops_mkdir(b, "n${domid},r0", "%s", fe);
	xlite_ops_write(b, be, "%s/backend", fe);
	xlite_ops_write(b, "0", "%s/backend-id", fe);
}

/* What every device's backend directory starts with. */
static void backend_head(struct xlite_ops_builder *b, const char *fe, const char *be)
{
	xlite_ops_mkdir(b, "n0,r${domid}", "%s", be);
	xlite_ops_write(b, fe, "%s/frontend", be);
	xlite_ops_write(b, "${domid}", "%s/frontend-id", be);
	xlite_ops_write(b, "1", "%s/online", be);
}

static const char *disk_mode(const struct xlite_disk *disk)
{
	if (disk->readonly)
		return "r";
	/* Xen's block script's word for "writable, sharing allowed"; blkback
	 * only looks for the 'w'. */
	return disk->shareable ? "w!" : "w";
}

int xlite_plan_disk_nodes(struct xlite_plan_disk *d, size_t index)
{
	struct xlite_ops_builder b = { .ops = &d->nodes, .rc = 0 };
	char *fe = d->frontend, *be = d->backend;
	g_autofree char *target = xlite_expand_escape(d->disk.target);
	char vdev[16], path[40], physdev[40];

	snprintf(vdev, sizeof(vdev), "%u", d->disk.vdev);
	snprintf(path, sizeof(path), "${disk.%zu.path}", index);
	snprintf(physdev, sizeof(physdev), "${disk.%zu.physdev}", index);
	frontend_head(&b, fe, be);
	xlite_ops_write(&b, vdev, "%s/virtual-device", fe);
	xlite_ops_write(&b, "disk", "%s/device-type", fe);
	if (d->disk.untrusted)		/* blkfront's default is 1 */
		xlite_ops_write(&b, "0", "%s/trusted", fe);
	xlite_ops_write(&b, "1", "%s/state", fe);

	backend_head(&b, fe, be);
	xlite_ops_write(&b, "0", "%s/removable", be);
	xlite_ops_write(&b, "1", "%s/bootable", be);
	xlite_ops_write(&b, target, "%s/dev", be);
	xlite_ops_write(&b, "phy", "%s/type", be);
	xlite_ops_write(&b, disk_mode(&d->disk), "%s/mode", be);
	xlite_ops_write(&b, "disk", "%s/device-type", be);
	xlite_ops_write(&b, path, "%s/params", be);
	if (d->disk.no_discard)		/* blkback's default is 1 */
		xlite_ops_write(&b, "0", "%s/discard-enable", be);
	xlite_ops_write(&b, "1", "%s/state", be);
	xlite_ops_write(&b, physdev, "%s/physical-device", be);
	return b.rc;
}

int xlite_plan_nic_nodes(struct xlite_plan_nic *n)
{
	struct xlite_ops_builder b = { .ops = &n->nodes, .rc = 0 };
	char *fe = n->frontend, *be = n->backend;
	g_autofree char *bridge = n->nic.bridge ? xlite_expand_escape(n->nic.bridge) : NULL;
	g_autofree char *ifname = n->nic.ifname ? xlite_expand_escape(n->nic.ifname) : NULL;
	g_autofree char *ipv = n->nic.ips ? g_strjoinv(" ", n->nic.ips) : NULL;
	char handle[16], num[48];

	snprintf(handle, sizeof(handle), "%u", n->devid);
	frontend_head(&b, fe, be);
	xlite_ops_write(&b, handle, "%s/handle", fe);
	xlite_ops_write(&b, n->mac, "%s/mac", fe);
	if (n->nic.untrusted)		/* netfront's default is 1 */
		xlite_ops_write(&b, "0", "%s/trusted", fe);
	if (n->nic.mtu) {
		snprintf(num, sizeof(num), "%u", n->nic.mtu);
		xlite_ops_write(&b, num, "%s/mtu", fe);
	}
	xlite_ops_write(&b, "1", "%s/state", fe);

	backend_head(&b, fe, be);
	/* netback's probe fails without a script node; nothing runs it */
	xlite_ops_write(&b, "/bin/true", "%s/script", be);
	xlite_ops_write(&b, handle, "%s/handle", be);
	xlite_ops_write(&b, n->mac, "%s/mac", be);
	if (bridge)
		xlite_ops_write(&b, bridge, "%s/bridge", be);
	/* What xl writes for the scripts; xlite reads them back at teardown
	 * (vifname) and does the scripts' work itself (ip: routes). */
	if (ifname)
		xlite_ops_write(&b, ifname, "%s/vifname", be);
	if (ipv)
		xlite_ops_write(&b, ipv, "%s/ip", be);
	if (n->nic.rate_usecs) {	/* netback's credit: "bytes,usec" */
		snprintf(num, sizeof(num), "%llu,%u", (unsigned long long)n->nic.rate_bytes,
			 n->nic.rate_usecs);
		xlite_ops_write(&b, num, "%s/rate", be);
	}
	if (n->nic.mtu) {
		snprintf(num, sizeof(num), "%u", n->nic.mtu);
		xlite_ops_write(&b, num, "%s/mtu", be);
	}
	xlite_ops_write(&b, "vif", "%s/type", be);
	xlite_ops_write(&b, "1", "%s/state", be);
	return b.rc;
}
