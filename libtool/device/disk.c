/* One disk's host side: is the source usable, and the loop device (or the
 * block device's numbers) that blkback is given. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>	/* BLKGETSIZE64 */

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/device/nbd.h"
#include "libtool/util/number.h"

const char *xlite_device_kind_name(enum xlite_device_kind kind)
{
	switch (kind) {
	case XLITE_DEVICE_VBD:
		return "vbd";
	case XLITE_DEVICE_VIF:
		return "vif";
	}
	return "?";
}

void xlite_disk_host_init(struct xlite_disk_host *h)
{
	memset(h, 0, sizeof(*h));
}

void xlite_disk_host_dispose(struct xlite_disk_host *h)
{
	g_free(h->path);
	xlite_disk_host_init(h);
}

static const char *type_word(enum xlite_disk_type t)
{
	return t == XLITE_DISK_BLOCK ? "block" : "file";
}

/* Size in bytes of the open source FD (a file's length, a device's size). */
static int source_size(int fd, const struct stat *st, uint64_t *bytes)
{
	if (S_ISBLK(st->st_mode))
		return ioctl(fd, BLKGETSIZE64, bytes) < 0 ? -errno : 0;
	*bytes = (uint64_t)st->st_size;
	return 0;
}

int xlite_disk_check(struct xlite_hv *hv, const struct xlite_disk *d)
{
	const char *t = d->target ? d->target : "?";
	unsigned int vdev;
	struct stat st;
	uint64_t bytes = 0;
	int fd = -1, rc;

	if (!d->target || xlite_vdev_parse_xl(d->target, &vdev) < 0)
		return xlite_hv_fail(hv, -EINVAL,
				     "disk target '%s' is not a Xen PV disk name, expected xvda, xvdb, ...",
				     t);
	if (!d->source || d->source[0] != '/')
		return xlite_hv_fail(hv, -EINVAL,
				     "disk %s: source '%s' is not an absolute path", t,
				     d->source ? d->source : "");
	if (stat(d->source, &st) < 0) {
		rc = -errno;
		return xlite_hv_fail(hv, rc, "disk %s: %s: %s", t, d->source,
				     rc == -ENOENT ? "no such file or device" : g_strerror(-rc));
	}
	if (S_ISDIR(st.st_mode))
		return xlite_hv_fail(hv, -EISDIR,
				     "disk %s: %s is a directory, expected %s", t, d->source,
				     d->type == XLITE_DISK_FILE ? "an image file" : "a block device");
	if (d->type == XLITE_DISK_FILE && !S_ISREG(st.st_mode))
		return xlite_hv_fail(hv, -EINVAL,
				     "disk %s: %s is not a regular file, expected an image file%s",
				     t, d->source,
				     S_ISBLK(st.st_mode) ? " (a block device goes with type='block')" : "");
	if (d->type == XLITE_DISK_BLOCK && !S_ISBLK(st.st_mode))
		return xlite_hv_fail(hv, -ENOTBLK,
				     "disk %s: %s is not a block device, expected one for type='block'%s",
				     t, d->source,
				     S_ISREG(st.st_mode) ? " (an image file goes with type='file')" : "");
	/* Root passes access(W_OK) on a 0444 file: the mode bits say what the
	 * owner meant, so a read-only file is refused for writing even here. */
	if (!d->readonly && d->type == XLITE_DISK_FILE && (st.st_mode & 0222) == 0)
		return xlite_hv_fail(hv, -EACCES,
				     "disk %s: %s is read-only (mode %04o), expected a writable file "
				     "or <readonly/> (access=r)", t, d->source,
				     (unsigned int)(st.st_mode & 07777));
	fd = open(d->source, (d->readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		if (!d->readonly && (rc == -EROFS || rc == -EACCES || rc == -EPERM))
			rc = xlite_hv_fail(hv, rc,
					   "disk %s: %s cannot be opened for writing (%s), expected a "
					   "writable %s or <readonly/> (access=r)", t, d->source,
					   g_strerror(-rc), type_word(d->type));
		else
			rc = xlite_hv_fail(hv, rc, "disk %s: %s: %s", t, d->source,
					   g_strerror(-rc));
		goto out;
	}
	rc = source_size(fd, &st, &bytes);
	if (rc < 0) {
		rc = xlite_hv_fail(hv, rc, "disk %s: %s: cannot read its size: %s", t,
				   d->source, g_strerror(-rc));
		goto out;
	}
	if (bytes < XLITE_DISK_MIN_BYTES) {
		rc = xlite_hv_fail(hv, -EINVAL,
				   "disk %s: %s is %s (%llu bytes), expected at least one %d-byte sector",
				   t, d->source, bytes ? "too small" : "empty",
				   (unsigned long long)bytes, XLITE_DISK_MIN_BYTES);
		goto out;
	}
	rc = 0;
	if (d->format == XLITE_DISK_QCOW2) {
		g_autofree char *why = NULL;

		rc = xlite_qcow2_check(d->source, &why);
		if (rc < 0)
			rc = xlite_hv_fail(hv, rc, "disk %s: %s", t, why);
	}
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Prefixes the hv message with the disk it is about, unless it already is. */
static int disk_fail(struct xlite_hv *hv, int rc, const struct xlite_disk *d)
{
	char *why;

	if (g_str_has_prefix(hv->err, "disk "))
		return rc;
	why = g_strdup(xlite_hv_error(hv));
	rc = xlite_hv_fail(hv, rc, "disk %s (%s): %s", d->target, d->source, why);
	g_free(why);
	return rc;
}

int xlite_disk_host_prepare(struct xlite_hv *hv, const struct xlite_disk *d,
			    struct xlite_disk_host *h)
{
	unsigned int major = 0, minor = 0;
	char *dev = NULL;
	int rc;

	xlite_disk_host_dispose(h);
	rc = xlite_disk_check(hv, d);
	if (rc < 0)
		return rc;
	if (d->format == XLITE_DISK_QCOW2) {
		rc = hv->ops->nbd_attach(hv, d->source, d->readonly, &dev, &major, &minor);
		if (rc < 0)
			return disk_fail(hv, rc, d);
		h->loop = h->nbd = true;
	} else if (d->type == XLITE_DISK_FILE) {
		rc = hv->ops->loop_attach(hv, d->source, d->readonly, &dev, &major, &minor);
		if (rc < 0)
			return disk_fail(hv, rc, d);
		h->loop = true;
	} else {
		rc = hv->ops->blockdev_stat(hv, d->source, &major, &minor);
		if (rc < 0)
			return disk_fail(hv, rc, d);
		dev = g_strdup(d->source);
	}
	h->path = dev;
	/* blkback reads physical-device as hex "major:minor" (xl's block
	 * script writes it so, LAB.md). */
	snprintf(h->physdev, sizeof(h->physdev), "%x:%x", major, minor);
	return 0;
}

int xlite_disk_host_release(struct xlite_hv *hv, struct xlite_disk_host *h)
{
	int rc;

	if (!h->loop || !h->path)
		return 0;
	rc = h->nbd ? hv->ops->nbd_detach(hv, h->path) : hv->ops->loop_detach(hv, h->path);
	if (rc < 0 && rc != -ENXIO)
		return rc;
	h->loop = false;
	return 0;
}

int xlite_device_vbd_id(const char *spec, unsigned int *devid)
{
	uint64_t v;

	if (!spec || !*spec)
		return -EINVAL;
	if (spec[strspn(spec, "0123456789")])	/* a name: xvdb, hdc, sda */
		return xlite_vdev_parse_xl(spec, devid);
	if (xlite_number_parse(spec, 1, (1ul << 29) - 1, &v) < 0)
		return -EINVAL;
	*devid = (unsigned int)v;
	return 0;
}
