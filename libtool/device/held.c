/* Disks in use elsewhere: before a disk is attached (create, block-attach),
 * is its file or block device already served by one of dom0's vbd backends
 * (any domain's, xl's too), and may the two uses share it? libvirt's rule:
 * a use is exclusive when it is writable and not <shareable/>; read-only
 * and shareable uses may meet, an exclusive one meets nobody.
 *
 * "The same disk" is decided by identity, never by path text: a file's
 * st_dev/st_ino (also when it sits behind a loop device: the loop's backing
 * file; or behind an nbd device: the qcow2 file its qemu-nbd serves), a
 * block device's st_rdev. What a vbd backend serves is read from
 * its physical-device (hex major:minor, written by xlite and by xl's block
 * script), or from params (a path) while physical-device is not there yet.
 * A writable shareable use is recorded as mode "w!", the word of Xen's
 * block script (blkback only looks for the 'w').
 *
 * xenstore cost: one directory of /local/domain/0/backend/vbd, then one
 * directory per domain that has vbd backends and one read per backend;
 * mode and the holder's name are read only for a backend that matches. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <glib.h>

#include "libtool/device/device-priv.h"

#define VBD_BACKENDS "/local/domain/0/backend/vbd"

struct ident {
	bool known;
	bool file, blk;
	uint64_t dev, ino;	/* the file (itself, or behind a loop device) */
	uint64_t rdev;		/* the block device */
};

/* How a disk is used: only exclusive uses conflict, with anything. */
enum use {
	USE_READ = 0,		/* read-only */
	USE_SHARED,		/* read-write, <shareable/> ("w!") */
	USE_EXCLUSIVE,		/* read-write */
};

struct held {
	struct xlite_hv *hv;
	const struct xlite_disk **disks;
	struct ident *ids;
	size_t n;
};

static bool same_disk(const struct ident *a, const struct ident *b)
{
	if (!a->known || !b->known)
		return false;
	return (a->file && b->file && a->dev == b->dev && a->ino == b->ino) ||
	       (a->blk && b->blk && a->rdev == b->rdev);
}

static enum use disk_use(const struct xlite_disk *d)
{
	if (d->readonly)
		return USE_READ;
	return d->shareable ? USE_SHARED : USE_EXCLUSIVE;
}

/* A backend's mode node: blkback serves read-only without a 'w'. Missing:
 * taken as exclusive, the safe side. */
static enum use mode_use(const char *mode)
{
	if (!mode)
		return USE_EXCLUSIVE;
	if (!strchr(mode, 'w'))
		return USE_READ;
	return strchr(mode, '!') ? USE_SHARED : USE_EXCLUSIVE;
}

static const char *use_words(enum use u)
{
	switch (u) {
	case USE_READ:
		return "read-only";
	case USE_SHARED:
		return "read-write (shareable)";
	case USE_EXCLUSIVE:
		return "read-write";
	}
	return "?";
}

/* Block device MAJ:MIN, and the file behind it when it is a loop device
 * or an nbd device (a qcow2 file qemu-nbd serves). */
static int blockdev_ident(struct xlite_hv *hv, unsigned int maj, unsigned int min,
			  struct ident *id)
{
	int rc;

	id->known = id->blk = true;
	id->rdev = makedev(maj, min);
	rc = hv->ops->loop_identity(hv, maj, min, &id->dev, &id->ino);
	if (rc == -ENXIO)
		rc = hv->ops->nbd_identity(hv, maj, min, &id->dev, &id->ino);
	if (rc == 0)
		id->file = true;
	return rc == -ENXIO ? 0 : rc;
}

/* PATH's identity; left unknown when PATH is neither a file nor a block
 * device (or cannot be looked at: its own check says why). */
static int path_ident(struct xlite_hv *hv, const char *path, struct ident *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (!path || path[0] != '/' || stat(path, &st) < 0)
		return 0;
	if (S_ISREG(st.st_mode)) {
		id->known = id->file = true;
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		return 0;
	}
	if (S_ISBLK(st.st_mode))
		return blockdev_ident(hv, major(st.st_rdev), minor(st.st_rdev), id);
	return 0;
}

/* blkback's physical-device: hex "major:minor". */
static bool parse_physdev(const char *s, unsigned int *maj, unsigned int *min)
{
	g_auto(GStrv) parts = g_strsplit(s, ":", 3);
	guint64 a, b;

	if (g_strv_length(parts) != 2 ||
	    !g_ascii_string_to_unsigned(parts[0], 16, 0, 0xfff, &a, NULL) ||
	    !g_ascii_string_to_unsigned(parts[1], 16, 0, 0xfffff, &b, NULL))
		return false;
	*maj = (unsigned int)a;
	*min = (unsigned int)b;
	return true;
}

/* Reads BE/NODE: 0 with *value, -ENOENT, or the error. */
static int read_node(struct xlite_hv *hv, const char *be, const char *node, char **value)
{
	g_autofree char *path = g_strdup_printf("%s/%s", be, node);

	*value = NULL;
	return hv->ops->xs_read(hv, path, value);
}

/* What vbd backend BE serves. */
static int backend_ident(struct xlite_hv *hv, const char *be, struct ident *id)
{
	g_autofree char *physdev = NULL, *params = NULL;
	unsigned int maj, min;
	int rc;

	memset(id, 0, sizeof(*id));
	rc = read_node(hv, be, "physical-device", &physdev);
	if (rc == 0)
		return parse_physdev(physdev, &maj, &min) ? blockdev_ident(hv, maj, min, id) : 0;
	if (rc != -ENOENT)
		return rc;
	/* xl's backend before its block script ran: params is the path. */
	rc = read_node(hv, be, "params", &params);
	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? rc : path_ident(hv, params, id);
}

/* "web (5)", "5" when the domain has no name; NULL when DOMID is gone (its
 * backend directory is a leftover, not a use). */
static char *holder_name(struct xlite_hv *hv, uint32_t domid, int *rc)
{
	struct xlite_dominfo info;
	g_autofree char *path = g_strdup_printf("/local/domain/%u/name", domid);
	g_autofree char *name = NULL;

	*rc = hv->ops->domain_info(hv, domid, &info);
	if (*rc == -ESRCH) {
		*rc = 0;
		return NULL;
	}
	if (*rc < 0)
		return NULL;
	if (hv->ops->xs_read(hv, path, &name) < 0 || !name)
		return g_strdup_printf("%u", domid);
	return g_strdup_printf("%s (%u)", name, domid);
}

/* Disk I of H against a use U by domain DOMID: 0, or -EBUSY saying who. */
static int refuse(struct held *h, size_t i, enum use u, uint32_t domid)
{
	const struct xlite_disk *d = h->disks[i];
	g_autofree char *who = NULL;
	int rc;

	who = holder_name(h->hv, domid, &rc);
	if (rc < 0 || !who)
		return rc;
	if (u == USE_EXCLUSIVE)
		return xlite_hv_fail(h->hv, -EBUSY,
				     "disk %s is in use read-write by domain %s; both must be "
				     "<shareable/>", d->source, who);
	return xlite_hv_fail(h->hv, -EBUSY,
			     "disk %s is in use %s by domain %s; it can only be added "
			     "read-only, or read-write when both are <shareable/>",
			     d->source, use_words(u), who);
}

/* One vbd backend of DOMID against every disk of H. */
static int check_backend(struct held *h, uint32_t domid, const char *be)
{
	g_autofree char *mode = NULL;
	struct ident id;
	bool mode_read = false;
	enum use u = USE_EXCLUSIVE;
	size_t i;
	int rc;

	rc = backend_ident(h->hv, be, &id);
	if (rc < 0 || !id.known)
		return rc;
	for (i = 0; i < h->n; i++) {
		if (!same_disk(&h->ids[i], &id))
			continue;
		if (!mode_read) {
			rc = read_node(h->hv, be, "mode", &mode);
			if (rc < 0 && rc != -ENOENT)
				return rc;
			u = mode_use(rc == 0 ? mode : NULL);
			mode_read = true;
		}
		if (u == USE_EXCLUSIVE || disk_use(h->disks[i]) == USE_EXCLUSIVE) {
			rc = refuse(h, i, u, domid);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int scan_backends(struct held *h)
{
	g_auto(GStrv) doms = NULL;
	size_t i, j;
	int rc;

	rc = h->hv->ops->xs_directory(h->hv, VBD_BACKENDS, &doms);
	if (rc == -ENOENT)
		return 0;
	for (i = 0; rc == 0 && doms[i]; i++) {
		g_autofree char *dir = g_strdup_printf(VBD_BACKENDS "/%s", doms[i]);
		g_auto(GStrv) devs = NULL;
		unsigned long domid;

		if (!xlite_device_parse_uint(doms[i], XLITE_DOMID_INVALID - 1, &domid))
			continue;
		rc = h->hv->ops->xs_directory(h->hv, dir, &devs);
		if (rc == -ENOENT) {
			rc = 0;		/* gone meanwhile */
			continue;
		}
		for (j = 0; rc == 0 && devs[j]; j++) {
			g_autofree char *be = g_strdup_printf("%s/%s", dir, devs[j]);

			rc = check_backend(h, (uint32_t)domid, be);
		}
	}
	return rc;
}

/* Two disks of the one domain on the same file or device. */
static int check_among(struct held *h)
{
	size_t i, j;

	for (i = 0; i < h->n; i++)
		for (j = 0; j < i; j++)
			if (same_disk(&h->ids[i], &h->ids[j]) &&
			    (disk_use(h->disks[i]) == USE_EXCLUSIVE ||
			     disk_use(h->disks[j]) == USE_EXCLUSIVE))
				return xlite_hv_fail(h->hv, -EBUSY,
						     "disk %s is attached twice (%s and %s); both "
						     "must be <shareable/>", h->disks[i]->source,
						     h->disks[j]->target, h->disks[i]->target);
	return 0;
}

static int check_held(struct xlite_hv *hv, const struct xlite_disk **disks, size_t n)
{
	struct held h = { hv, disks, NULL, n };
	bool any = false;
	size_t i;
	int rc = 0;

	if (n == 0)
		return 0;
	h.ids = g_new0(struct ident, n);
	for (i = 0; rc == 0 && i < n; i++) {
		rc = path_ident(hv, disks[i]->source, &h.ids[i]);
		any = any || h.ids[i].known;
	}
	if (rc == 0)
		rc = check_among(&h);
	if (rc == 0 && any)
		rc = scan_backends(&h);
	if (rc < 0 && rc != -EBUSY && !g_str_has_prefix(hv->err, "disk ")) {
		g_autofree char *why = g_strdup(xlite_hv_error(hv));

		xlite_hv_fail(hv, rc, "looking for disks in use: %s", why);
	}
	g_free(h.ids);
	return rc;
}

int xlite_devices_check_held(struct xlite_hv *hv, const struct xlite_plan *plan)
{
	g_autofree const struct xlite_disk **disks = NULL;
	size_t i;

	if (plan->n_disks == 0)
		return 0;
	disks = g_new0(const struct xlite_disk *, plan->n_disks);
	for (i = 0; i < plan->n_disks; i++)
		disks[i] = &plan->disks[i].disk;
	return check_held(hv, disks, plan->n_disks);
}

int xlite_disk_check_held(struct xlite_hv *hv, const struct xlite_disk *disk)
{
	const struct xlite_disk *disks[1] = { disk };

	return check_held(hv, disks, 1);
}
