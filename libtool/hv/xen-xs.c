/* The real xenstore ops, through libxsclient: one pipelined batch for a
 * create's nodes, single requests for the rest. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "libtool/hv/xen.h"

static struct xlite_hv_xen *xen_of(struct xlite_hv *hv)
{
	return hv->priv;
}

static int xs_fail(struct xlite_hv *hv, int rc)
{
	return xlite_hv_fail(hv, rc < 0 ? rc : -EIO, "%s", xsc_errmsg(&xen_of(hv)->xs));
}

static int need_xs(struct xlite_hv *hv)
{
	if (!xen_of(hv)->xs_open)
		return xlite_hv_fail(hv, -ENOTCONN, "xenstore is not open");
	return 0;
}

int xlite_hvx_xs_open(struct xlite_hv *hv)
{
	struct xlite_hv_xen *x = xen_of(hv);
	int rc;

	rc = xsc_open(&x->xs, 0);
	if (rc < 0) {
		xlite_hv_fail(hv, rc, "%s", xsc_errmsg(&x->xs));
		xsc_close(&x->xs);
		return rc;
	}
	x->xs_open = true;
	return 0;
}

void xlite_hvx_xs_close(struct xlite_hv_xen *x)
{
	xlite_hvx_watch_close(x);
	if (x->xs_open)
		xsc_close(&x->xs);
	x->xs_open = false;
}

/* With XLITE_DEBUG: what the commit cost, and how many conflicts it met. */
static void debug_commit(struct xlite_hv_xen *x, const struct xsc_batch *roots,
			 const struct xsc_batch *batch, unsigned long retries0,
			 unsigned long wait0, gint64 t0)
{
	if (!x->log.verbose)
		return;
	fprintf(stderr, "xlite: xenstore commit: %u requests before the transaction, %u in it,"
		" %lu conflicts retried (%.1f ms paused), %.1f ms\n",
		roots->ops->len ? xsc_batch_requests(roots) - 2 : 0, xsc_batch_requests(batch),
		x->xs.n_retries - retries0, (double)(x->xs.retry_wait_us - wait0) / 1000.0,
		(double)(g_get_monotonic_time() - t0) / 1000.0);
}

/* The domain's own top directories first, outside the transaction (see
 * xsc_batch_split_roots): the transaction then reads nothing another
 * create writes, and twenty creates at once commit without conflicts.
 * When the transaction fails, those directories go again, as they were
 * new (a create's /local/domain/D, a new device's backend), so that a
 * failed apply leaves nothing, as a failed transaction would. Not a /vm
 * entry: a create of the same uuid may have made it too, and the create's
 * rollback, which knows whether such a twin lives, removes it or not. */
static int commit(struct xlite_hv *hv, struct xsc_batch *batch)
{
	struct xlite_hv_xen *x = xen_of(hv);
	struct xsc_batch roots;
	unsigned long retries0 = x->xs.n_retries, wait0 = x->xs.retry_wait_us;
	gint64 t0 = g_get_monotonic_time();
	guint i;
	int rc;

	xsc_batch_init(&roots);
	xsc_batch_split_roots(batch, &roots);
	rc = xsc_batch_apply(&x->xs, &roots);
	if (rc == 0)
		rc = xsc_batch_commit(&x->xs, batch);
	if (rc < 0) {
		xs_fail(hv, rc);
		for (i = 0; i < roots.ops->len; i++) {
			const char *path = g_array_index(roots.ops, struct xsc_op, i).path;

			if (!g_str_has_prefix(path, "/vm/"))
				xsc_rm(&x->xs, path);
		}
	}
	debug_commit(x, &roots, batch, retries0, wait0, t0);
	xsc_batch_dispose(&roots);
	return rc;
}

int xlite_hvx_xs_apply(struct xlite_hv *hv, struct xsc_batch *batch)
{
	int rc = need_xs(hv);

	if (rc < 0)
		return rc;
	if (batch->status < 0)
		return xlite_hv_fail(hv, batch->status, "%s", batch->err.msg);
	return commit(hv, batch);
}

int xlite_hvx_xs_read(struct xlite_hv *hv, const char *path, char **value)
{
	int rc = need_xs(hv);

	if (rc < 0)
		return rc;
	rc = xsc_read(&xen_of(hv)->xs, path, value, NULL);
	if (rc < 0) {
		*value = NULL;
		return xs_fail(hv, rc);
	}
	return 0;
}

int xlite_hvx_xs_write(struct xlite_hv *hv, const char *path, const char *value)
{
	int rc = need_xs(hv);

	if (rc < 0)
		return rc;
	rc = xsc_write(&xen_of(hv)->xs, path, value);
	return rc < 0 ? xs_fail(hv, rc) : 0;
}

int xlite_hvx_xs_rm(struct xlite_hv *hv, const char *path)
{
	int rc = need_xs(hv);

	if (rc < 0)
		return rc;
	rc = xsc_rm(&xen_of(hv)->xs, path);
	if (rc == -ENOENT)
		return 0;
	return rc < 0 ? xs_fail(hv, rc) : 0;
}

int xlite_hvx_xs_directory(struct xlite_hv *hv, const char *path, char ***names)
{
	int rc = need_xs(hv);

	if (rc < 0)
		return rc;
	rc = xsc_directory(&xen_of(hv)->xs, path, names, NULL);
	if (rc < 0) {
		*names = NULL;
		return xs_fail(hv, rc);
	}
	return 0;
}

int xlite_hvx_xs_introduce(struct xlite_hv *hv, uint32_t domid, uint64_t store_mfn,
			   uint32_t store_port)
{
	struct xlite_hv_xen *x = xen_of(hv);
	int rc = need_xs(hv);

	if (rc < 0)
		return rc;
	x->xs_extra++;
	if (!xs_introduce_domain(x->xs.xsh, domid, (unsigned long)store_mfn, store_port))
		return xlite_hv_fail(hv, -(errno ? errno : EIO), "xs_introduce_domain: %s",
				     g_strerror(errno));
	return 0;
}

int xlite_hvx_wait_release(struct xlite_hv *hv, int timeout_ms)
{
	struct xlite_hv_xen *x = xen_of(hv);
	int rc;

	if (!x->watch_armed) {
		rc = xlite_hvx_watch_open(hv, "@releaseDomain", "xlite-release");
		if (rc < 0)
			return rc;
	}
	return xlite_hvx_watch_wait(hv, timeout_ms);
}

unsigned long xlite_hvx_xs_requests(struct xlite_hv *hv)
{
	struct xlite_hv_xen *x = xen_of(hv);

	return x->xs.n_requests + x->xs_extra;
}
