/* A running domain's memory figures, and changing them as libxl does. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/util/fail.h"
#include "libtool/memory/memory.h"

/* A KiB figure dom0 wrote under /local/domain/DOMID: *known false when
 * absent; -EINVAL when it is not a plain number of at most 16 TiB. */
static int read_kib(struct xlite_hv *hv, uint32_t domid, const char *node,
		    uint64_t *kib, bool *known, char **err)
{
	g_autofree char *path = g_strdup_printf("/local/domain/%u/%s", domid, node);
	g_autofree char *v = NULL;
	guint64 n;
	int rc;

	*known = false;
	*kib = 0;
	rc = hv->ops->xs_read(hv, path, &v);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return xlite_fail(err, rc, "reading %s: %s", path, xlite_hv_error(hv));
	if (!g_ascii_string_to_unsigned(v, 10, 0, XLITE_MAX_MEMORY_KIB, &n, NULL))
		return xlite_fail(err, -EINVAL, "%s holds '%.32s', expected a number of KiB",
				  path, v);
	*kib = n;
	*known = true;
	return 0;
}

int xlite_mem_dom_read(struct xlite_hv *hv, uint32_t domid, struct xlite_mem_dom *d,
		       char **err)
{
	struct xlite_dominfo info;
	int rc;

	memset(d, 0, sizeof(*d));
	d->domid = domid;
	rc = hv->ops->domain_info(hv, domid, &info);
	if (rc < 0)
		return xlite_fail(err, rc, "%s", xlite_hv_error(hv));
	d->actual_kib = info.tot_kib;
	d->hvm = info.hvm;
	rc = read_kib(hv, domid, "memory/target", &d->target_kib, &d->target_known, err);
	if (rc == 0)
		rc = read_kib(hv, domid, "memory/static-max", &d->max_kib, &d->max_known, err);
	if (rc == 0)
		rc = read_kib(hv, domid, "xlite/memory-min", &d->min_kib, &d->min_known, err);
	if (rc < 0)
		return rc;
	if (!d->target_known)
		d->target_kib = info.tot_kib;
	if (!d->max_known)	/* dom0 without the node: what Xen allows it */
		d->max_kib = info.max_kib;
	return 0;
}

int xlite_mem_check_order(const char *what, uint64_t min, uint64_t target, uint64_t max,
			  char **err)
{
	char a[32], b[32], c[32];

	xlite_mem_size_str(min, a);
	xlite_mem_size_str(target, b);
	xlite_mem_size_str(max, c);
	if (min > target)
		return xlite_fail(err, -ERANGE,
				  "min <= target <= max must hold: the %s would leave the minimum %s above the target %s (max %s)",
				  what, a, b, c);
	if (target > max)
		return xlite_fail(err, -ERANGE,
				  "min <= target <= max must hold: the %s would leave the target %s above the maximum %s (min %s)",
				  what, b, c, a);
	return 0;
}

static int write_kib(struct xlite_hv *hv, uint32_t domid, const char *node, uint64_t kib,
		     char **err)
{
	g_autofree char *path = g_strdup_printf("/local/domain/%u/%s", domid, node);
	char v[24];
	int rc;

	g_snprintf(v, sizeof(v), "%" PRIu64, kib);
	rc = hv->ops->xs_write(hv, path, v);
	if (rc < 0)
		return xlite_fail(err, rc, "writing %s: %s", path, xlite_hv_error(hv));
	return 0;
}

static int set_limit(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	int rc = hv->ops->domain_setmaxmem(hv, domid, kib + XLITE_MAXMEM_SLACK_KIB);

	if (rc < 0)
		return xlite_fail(err, rc, "%s", xlite_hv_error(hv));
	return 0;
}

/* As libxl_set_memory_target: the limit, an HVM container's PoD target
 * (Xen resizes the PoD cache of a guest still holding PoD entries: the
 * balloon driver then meets the new target; once the guest has none it is
 * a no-op), then the balloon's target. */
int xlite_mem_apply_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	struct xlite_dominfo info;
	int rc = set_limit(hv, domid, kib, err);

	if (rc < 0)
		return rc;
	rc = hv->ops->domain_info(hv, domid, &info);
	if (rc < 0)
		return xlite_fail(err, rc, "%s", xlite_hv_error(hv));
	if (info.hvm) {
		rc = hv->ops->domain_pod_target(hv, domid,
						(kib + XLITE_MAXMEM_SLACK_KIB) / 4);
		if (rc < 0)
			return xlite_fail(err, rc, "%s", xlite_hv_error(hv));
	}
	return write_kib(hv, domid, "memory/target", kib, err);
}

enum figure { TARGET, MAX, MIN };

/* Changes one of the three figures after checking the order with the
 * other two as they are now. */
static int set_figure(struct xlite_hv *hv, uint32_t domid, enum figure which, uint64_t kib,
		      char **err)
{
	static const char *const names[] = { [TARGET] = "target", [MAX] = "max", [MIN] = "min" };
	struct xlite_mem_dom d;
	int rc;

	rc = xlite_mem_dom_read(hv, domid, &d, err);
	if (rc < 0)
		return rc;
	rc = xlite_mem_check_order(names[which], which == MIN ? kib : d.min_kib,
				   which == TARGET ? kib : d.target_kib,
				   which == MAX ? kib : d.max_kib, err);
	if (rc < 0)
		return rc;
	switch (which) {
	case TARGET:
		return xlite_mem_apply_target(hv, domid, kib, err);
	case MAX:
		rc = write_kib(hv, domid, "memory/static-max", kib, err);
		return rc < 0 ? rc : set_limit(hv, domid, kib, err);
	case MIN:
		return write_kib(hv, domid, "xlite/memory-min", kib, err);
	}
	return -EINVAL;
}

int xlite_mem_set_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	return set_figure(hv, domid, TARGET, kib, err);
}

int xlite_mem_set_max(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	return set_figure(hv, domid, MAX, kib, err);
}

int xlite_mem_set_min(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	return set_figure(hv, domid, MIN, kib, err);
}
