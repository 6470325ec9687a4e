/* @releaseDomain for the monitor, on a raw xenstore connection of its own
 * (libxsclient's wire watch): one XS_WATCH, then poll() for events with a
 * timeout. libxenstore delivers watches from a reader thread that its
 * static library (what the static xlite links) is built without. */
#include <errno.h>

#include "libtool/hv/xen.h"

int xlite_hvx_watch_open(struct xlite_hv *hv, const char *path, const char *token)
{
	struct xlite_hv_xen *x = hv->priv;
	int rc;

	rc = xsc_wire_watch(&x->watch, path, token);
	if (rc < 0) {
		xlite_hv_fail(hv, rc, "setting a watch on %s: %s", path, xsc_errmsg(&x->watch));
		xlite_hvx_watch_close(x);
		return rc;
	}
	x->watch_armed = true;
	return 0;
}

int xlite_hvx_watch_wait(struct xlite_hv *hv, int timeout_ms)
{
	struct xlite_hv_xen *x = hv->priv;
	int rc = xsc_wire_watch_wait(&x->watch, timeout_ms);

	if (rc < 0) {
		xlite_hv_fail(hv, rc, "the watch connection failed: %s", xsc_errmsg(&x->watch));
		xlite_hvx_watch_close(x);	/* the next wait sets it again */
		return rc;
	}
	return rc ? 0 : xlite_hv_fail(hv, -ETIMEDOUT, "no domain was released in %d ms",
				      timeout_ms);
}

void xlite_hvx_watch_close(struct xlite_hv_xen *x)
{
	xsc_close(&x->watch);
	x->watch = (struct xsc_ctx)XSC_CTX_INIT;
	x->watch_armed = false;
}
