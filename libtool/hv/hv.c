/* xlite hypervisor operations: what every implementation shares. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "libtool/hv/hv.h"

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
