/* xlite hypervisor operations: what every implementation shares. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libtool/hv/hv.h"
#include "libtool/util/fail.h"

int xlite_hv_fail(struct xlite_hv *hv, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(hv->err, sizeof(hv->err), fmt, ap);
	va_end(ap);
	return errnum;
}

const char *xlite_hv_error(const struct xlite_hv *hv)
{
	return hv->err[0] ? hv->err : "unknown error";
}

void xlite_hv_dispose(struct xlite_hv *hv)
{
	if (hv->ops && hv->ops->close)
		hv->ops->close(hv);
	hv->ops = NULL;
	hv->priv = NULL;
}

static int expand_op(struct xsc_batch *batch, const struct xlite_xs_op *in,
		     xlite_lookup_fn *lookup, void *opaque, char **err)
{
	g_autofree char *path = NULL, *value = NULL, *perms = NULL, *why = NULL;
	int rc;

	rc = xlite_expand_err(in->path, lookup, opaque, &path, &why);
	if (rc == 0 && in->value)
		rc = xlite_expand_err(in->value, lookup, opaque, &value, &why);
	if (rc == 0 && in->perms)
		rc = xlite_expand_err(in->perms, lookup, opaque, &perms, &why);
	if (rc < 0)
		return xlite_fail(err, rc, "node %s: %s", in->path, why ? why : g_strerror(-rc));
	switch (in->kind) {
	case XLITE_XS_MKDIR:
		xsc_batch_mkdir_str(batch, path, perms);
		break;
	case XLITE_XS_WRITE:
		xsc_batch_write(batch, path, value ? value : "");
		break;
	}
	return 0;
}

int xlite_xs_ops_expand(struct xsc_batch *batch, const struct xlite_xs_ops *ops,
			xlite_lookup_fn *lookup, void *opaque, char **err)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < ops->n; i++)
		rc = expand_op(batch, &ops->ops[i], lookup, opaque, err);
	return rc;
}
