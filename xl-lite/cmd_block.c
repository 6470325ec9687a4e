/* xlite block-attach, block-detach, block-list: virtual disks of a running
 * (or paused) domain, with xl's argument shapes, set up by xlite itself
 * (loop device, blkback nodes), no hotplug script. What the commands share
 * runs in cmd_device.c; here is what makes a disk. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/hv/hv.h"
#include "xl-lite/cmd_device.h"
#include "xl-lite/xlite.h"

/* xl's disk spec into CFG's one disk. */
static int disk_from_words(int argc, char **argv, struct xlite_config *cfg, char **err)
{
	struct xlite_disk disk;
	bool type_given = false;
	struct stat st;
	int rc;

	memset(&disk, 0, sizeof(disk));
	rc = xlite_disk_spec_parse((const char *const *)argv, (size_t)argc, &disk, &type_given,
				   err);
	if (rc < 0)
		return rc;
	/* No phy:/file: prefix: what the target is decides. */
	if (!type_given && stat(disk.source, &st) == 0 && S_ISBLK(st.st_mode))
		disk.type = XLITE_DISK_BLOCK;
	cfg->disks = g_malloc0_n(1, sizeof(disk));
	if (!cfg->disks) {
		g_free(disk.source);
		g_free(disk.target);
		*err = g_strdup(g_strerror(ENOMEM));
		return -ENOMEM;
	}
	cfg->disks[0] = disk;
	cfg->n_disks = 1;
	return 0;
}

static int disk_attach(struct xlite_hv *hv, uint32_t domid, const struct xlite_config *cfg)
{
	return xlite_device_disk_attach(hv, domid, &cfg->disks[0]);
}

static int disk_check(struct xlite_hv *hv, uint32_t domid, const struct xlite_config *cfg,
		      GString *out)
{
	const struct xlite_disk *d = &cfg->disks[0];
	int rc = xlite_device_disk_attach_check(hv, domid, d);

	if (rc == 0)
		g_string_append_printf(out, "would attach disk %s to domain %u: %s %s%s, %s\n",
				       d->target, domid,
				       d->type == XLITE_DISK_FILE ? "file" : "block device",
				       d->source,
				       d->type == XLITE_DISK_FILE ? " on a loop device" : "",
				       d->readonly ? "read-only" : "read-write");
	return rc;
}

static int vdev_of(const char *dev, unsigned int *devid)
{
	int rc = xlite_device_vbd_id(dev, devid);

	if (rc < 0)
		xlite_err("'%s' is not a disk: expected a vdev such as xvdb, or its number", dev);
	return rc;
}

/* xl's columns (handle is the frontend's domid), then what xlite knows
 * about the backend. */
static void disk_row(GString *out, uint32_t domid, const struct xlite_device_info *d)
{
	g_string_append_printf(out, "%-5u %-3u %-6u %-5d %-6d %-8d %-30s%-5s %-4s %s\n",
			       d->devid, d->backend_id, domid, d->fe_state, d->evtchn,
			       d->ring_ref, d->backend, d->target[0] ? d->target : "-",
			       d->readonly ? "r" : "w", d->params ? d->params : "-");
}

static void disk_json(XliteJson *b, const struct xlite_device_info *d)
{
	xlite_json_member_int(b, "ring_ref", d->ring_ref);
	xlite_json_member_str(b, "vdev", d->target[0] ? d->target : NULL);
	xlite_json_member_str(b, "mode", d->readonly ? "r" : "w");
	xlite_json_member_str(b, "params", d->params);
}

static const struct xlite_cli_device_kind disk_kind = {
	.kind = XLITE_DEVICE_VBD,
	.prefix = "block",
	.what = "disk",
	.min_words = 1,
	.from_words = disk_from_words,
	.attach = disk_attach,
	.check = disk_check,
	.devid_parse = vdev_of,
	.header = "Vdev  BE  handle state evt-ch ring-ref BE-path                       Dev   Mode "
		  "Params\n",
	.row = disk_row,
	.json = disk_json,
};

int xlite_cmd_block_attach(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_attach(cli, &disk_kind, argc, argv);
}

int xlite_cmd_block_detach(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_detach(cli, &disk_kind, argc, argv);
}

int xlite_cmd_block_list(struct xlite_cli *cli, int argc, char **argv)
{
	return xlite_cli_device_list(cli, &disk_kind, argc, argv);
}
