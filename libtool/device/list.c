/* Listing a domain's disks and nics from xenstore. The frontend directory
 * is the guest's to write: its values are parsed strictly and only used
 * for display; paths are computed, never taken from it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/device/device-priv.h"

void xlite_device_info_dispose(struct xlite_device_info *info)
{
	g_free(info->params);
	g_free(info->backend);
	info->params = info->backend = NULL;
}

void xlite_device_infos_free(struct xlite_device_info *infos, size_t n)
{
	size_t i;

	for (i = 0; infos && i < n; i++)
		xlite_device_info_dispose(&infos[i]);
	g_free(infos);
}

/* A number from DIR/NAME, or -1 when absent or not a number <= MAX. */
static int read_num(struct xlite_hv *hv, const char *dir, const char *name,
		    unsigned long max)
{
	char *p = g_strdup_printf("%s/%s", dir, name), *v = NULL;
	unsigned long n;
	int rc = -1;

	if (hv->ops->xs_read(hv, p, &v) == 0 && xlite_device_parse_uint(v, max, &n))
		rc = (int)n;
	g_free(v);
	g_free(p);
	return rc;
}

/* DIR/NAME when it exists and is printable and short; else NULL. */
static char *read_text(struct xlite_hv *hv, const char *dir, const char *name,
		       size_t max)
{
	char *p = g_strdup_printf("%s/%s", dir, name), *v = NULL;
	size_t i;

	if (hv->ops->xs_read(hv, p, &v) < 0)
		v = NULL;
	g_free(p);
	if (!v)
		return NULL;
	for (i = 0; v[i]; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			break;
	if (v[i] || i > max) {
		g_free(v);
		return NULL;
	}
	return v;
}

static void copy_text(char *dst, size_t size, char *v)
{
	if (v && strlen(v) < size)
		memcpy(dst, v, strlen(v) + 1);
	g_free(v);
}

static void fill(struct xlite_hv *hv, uint32_t domid, struct xlite_device_info *info)
{
	char *fe = xlite_device_frontend(domid, info->kind, info->devid);
	char *be = xlite_device_backend(domid, info->kind, info->devid);
	char *mode;

	info->backend_id = 0;
	info->fe_state = read_num(hv, fe, "state", 7);
	info->be_state = read_num(hv, be, "state", 7);
	info->evtchn = read_num(hv, fe, "event-channel", 0x7fffffff);
	info->tx_ring_ref = -1;
	if (info->kind == XLITE_DEVICE_VBD) {
		info->ring_ref = read_num(hv, fe, "ring-ref", 0x7fffffff);
		if (info->ring_ref < 0)	/* multi-page rings */
			info->ring_ref = read_num(hv, fe, "ring-ref0", 0x7fffffff);
		copy_text(info->target, sizeof(info->target), read_text(hv, be, "dev", 15));
		info->params = read_text(hv, be, "params", 4096);
		mode = read_text(hv, be, "mode", 4);
		info->readonly = mode && strcmp(mode, "r") == 0;
		g_free(mode);
	} else {
		info->ring_ref = read_num(hv, fe, "rx-ring-ref", 0x7fffffff);
		info->tx_ring_ref = read_num(hv, fe, "tx-ring-ref", 0x7fffffff);
		copy_text(info->mac, sizeof(info->mac), read_text(hv, be, "mac", 17));
		info->params = read_text(hv, be, "bridge", 64);
	}
	info->backend = be;
	g_free(fe);
}

static int cmp_devid(const void *a, const void *b)
{
	const struct xlite_device_info *x = a, *y = b;

	return x->devid < y->devid ? -1 : x->devid > y->devid;
}

int xlite_device_list(struct xlite_hv *hv, uint32_t domid,
		      enum xlite_device_kind kind,
		      struct xlite_device_info **infos, size_t *n)
{
	char *dir = g_strdup_printf("/local/domain/%u/device/%s", domid,
				    xlite_device_kind_name(kind));
	char **names = NULL;
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct xlite_device_info));
	unsigned long id;
	unsigned int i;
	int rc;

	*infos = NULL;
	*n = 0;
	rc = hv->ops->xs_directory(hv, dir, &names);
	if (rc == -ENOENT)
		rc = 0;
	else if (rc < 0)
		goto out;
	for (i = 0; names && names[i]; i++) {
		struct xlite_device_info info;

		/* The guest can create entries here: numbers only, bounded. */
		if (!xlite_device_parse_uint(names[i], (1ul << 29) - 1, &id))
			continue;
		if (out->len >= 1024)
			break;
		memset(&info, 0, sizeof(info));
		info.kind = kind;
		info.devid = (unsigned int)id;
		fill(hv, domid, &info);
		g_array_append_val(out, info);
	}
	if (out->len > 1)
		qsort(out->data, out->len, sizeof(struct xlite_device_info), cmp_devid);
	*n = out->len;
	*infos = (struct xlite_device_info *)(void *)g_array_free(out, FALSE);
	out = NULL;
out:
	if (out)
		g_array_free(out, TRUE);
	g_strfreev(names);
	g_free(dir);
	return rc;
}
