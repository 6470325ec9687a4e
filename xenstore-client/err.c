/* Error recording: one message, written where the cause is known. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xenstore-client/xsc-priv.h"

void xsc_err_set(struct xsc_err *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

int xsc_fail(struct xsc_ctx *ctx, int rc, const char *what, const char *path)
{
	const char *why;

	switch (rc) {
	case -ENOENT:
		why = "no such node";
		break;
	case -EACCES:
		why = "permission denied";
		break;
	default:
		why = strerror(-rc);
		break;
	}
	xsc_err_set(&ctx->err, "%s %s: %s", what, path, why);
	return rc;
}

int xsc_errno(void)
{
	return errno > 0 ? -errno : -EIO;
}

const char *xsc_errmsg(const struct xsc_ctx *ctx)
{
	return ctx->err.msg[0] ? ctx->err.msg : "no error recorded";
}
