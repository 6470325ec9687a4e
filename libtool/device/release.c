/* Teardown that checks itself: every undo step's failure is kept (one
 * line each), and a teardown returns only once dom0's backends have let
 * go of the loop devices and vifs (blkback closes a loop device, and
 * netback removes vifD.N, some time after the domain or the backend
 * directory went). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/device/nbd.h"

#define POLL_MS 20

/* What loop device (or nbd device) DEV serves now, NULL when free. */
static int dev_backing(struct xlite_hv *hv, const char *dev, char **backing)
{
	if (xlite_nbd_is_dev(dev))
		return hv->ops->nbd_backing(hv, dev, backing);
	return hv->ops->loop_backing(hv, dev, backing);
}

void xlite_undo_begin(struct xlite_undo *u, const char *cause)
{
	u->cause = g_strdup(cause ? cause : "");
	u->lines = g_string_new("");
	u->rc = 0;
}

static void add_line(struct xlite_undo *u, int rc, const char *fmt, va_list ap)
{
	if (!u->rc)
		u->rc = rc;
	g_string_append(u->lines, "\nrollback: ");
	g_string_append_vprintf(u->lines, fmt, ap);
}

void xlite_undo_failed(struct xlite_undo *u, struct xlite_hv *hv, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(u, rc, fmt, ap);
	va_end(ap);
	g_string_append_printf(u->lines, ": %s", xlite_hv_error(hv));
}

void xlite_undo_note(struct xlite_undo *u, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_line(u, rc, fmt, ap);
	va_end(ap);
}

char *xlite_undo_end(struct xlite_undo *u)
{
	char *msg = g_strconcat(u->cause, u->lines->str, NULL);

	g_free(u->cause);
	g_string_free(u->lines, TRUE);
	u->cause = NULL;
	u->lines = NULL;
	return msg;
}

int xlite_undo_end_hv(struct xlite_undo *u, struct xlite_hv *hv, int rc)
{
	char *msg = xlite_undo_end(u);

	xlite_hv_fail(hv, rc, "%s", msg);
	g_free(msg);
	return rc;
}

void xlite_release_init(struct xlite_release *r)
{
	r->loops = g_ptr_array_new_with_free_func(g_free);
	r->backings = g_ptr_array_new_with_free_func(g_free);
	r->ifnames = g_ptr_array_new_with_free_func(g_free);
}

void xlite_release_dispose(struct xlite_release *r)
{
	if (r->loops)
		g_ptr_array_free(r->loops, TRUE);
	if (r->backings)
		g_ptr_array_free(r->backings, TRUE);
	if (r->ifnames)
		g_ptr_array_free(r->ifnames, TRUE);
	r->loops = r->backings = r->ifnames = NULL;
}

void xlite_release_watch_loop(struct xlite_release *r, const char *dev, const char *backing)
{
	g_ptr_array_add(r->loops, g_strdup(dev));
	g_ptr_array_add(r->backings, g_strdup(backing));
}

int xlite_release_loop(struct xlite_hv *hv, struct xlite_release *r, const char *dev)
{
	char *backing = NULL, *why = NULL;
	int rc, read;

	/* What it serves before the release: the wait ends when it is free
	 * or serves another file (someone took it after it was cleared). */
	read = dev_backing(hv, dev, &backing);
	if (read < 0)
		why = g_strdup(xlite_hv_error(hv));
	rc = xlite_nbd_is_dev(dev) ? hv->ops->nbd_detach(hv, dev) : hv->ops->loop_detach(hv, dev);
	if (rc == -ENXIO)
		rc = 0;
	if (rc == 0 && backing)
		xlite_release_watch_loop(r, dev, backing);
	/* Released, but then there is no telling when blkback lets go. */
	if (rc == 0 && read < 0)
		rc = xlite_hv_fail(hv, read, "%s is released, but what it served is unknown, "
				   "so not waited for: %s", dev, why);
	g_free(why);
	g_free(backing);
	return rc;
}

void xlite_release_forget_loops(struct xlite_release *r)
{
	g_ptr_array_set_size(r->loops, 0);
	g_ptr_array_set_size(r->backings, 0);
}

void xlite_release_add_vif(struct xlite_release *r, uint32_t domid, unsigned int devid)
{
	char name[32];

	snprintf(name, sizeof(name), "vif%u.%u", domid, devid);
	xlite_release_add_ifname(r, name);
}

void xlite_release_add_ifname(struct xlite_release *r, const char *ifname)
{
	char *name = g_strdup(ifname);
	guint i;

	for (i = 0; i < r->ifnames->len; i++)
		if (strcmp(r->ifnames->pdata[i], name) == 0) {
			g_free(name);
			return;
		}
	g_ptr_array_add(r->ifnames, name);
}

/* What of R dom0 still holds, "" when nothing: "/dev/loop0 (serving F),
 * vif5.0 (on bridge B)". Probe errors count as held, with the reason. */
static char *still_held(struct xlite_hv *hv, struct xlite_release *r)
{
	GString *held = g_string_new("");
	guint i;

	for (i = 0; i < r->loops->len; i++) {
		const char *want = r->backings->pdata[i];
		char *now = NULL;
		int rc = dev_backing(hv, r->loops->pdata[i], &now);

		if (rc < 0)
			g_string_append_printf(held, "%s%s (%s)", held->len ? ", " : "",
					       (char *)r->loops->pdata[i], xlite_hv_error(hv));
		else if (now && (!want || strcmp(now, want) == 0))
			g_string_append_printf(held, "%s%s (serving %s)", held->len ? ", " : "",
					       (char *)r->loops->pdata[i], now);
		g_free(now);
	}
	for (i = 0; i < r->ifnames->len; i++) {
		char *master = NULL;
		int rc = hv->ops->netdev_exists(hv, r->ifnames->pdata[i], &master);

		if (rc < 0)
			g_string_append_printf(held, "%s%s (%s)", held->len ? ", " : "",
					       (char *)r->ifnames->pdata[i], xlite_hv_error(hv));
		else if (rc > 0 && master)
			g_string_append_printf(held, "%s%s (on bridge %s)", held->len ? ", " : "",
					       (char *)r->ifnames->pdata[i], master);
		else if (rc > 0)
			g_string_append_printf(held, "%s%s", held->len ? ", " : "",
					       (char *)r->ifnames->pdata[i]);
		g_free(master);
	}
	return g_string_free(held, FALSE);
}

int xlite_release_wait(struct xlite_hv *hv, struct xlite_release *r, int timeout_ms)
{
	gint64 deadline;
	char *held;
	int rc = 0;

	if (r->loops->len == 0 && r->ifnames->len == 0)
		return 0;
	if (timeout_ms <= 0)
		timeout_ms = XLITE_RELEASE_TIMEOUT_MS;
	deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	for (;;) {
		held = still_held(hv, r);
		if (!*held)
			break;
		if (g_get_monotonic_time() >= deadline) {
			rc = xlite_hv_fail(hv, -ETIMEDOUT,
					   "dom0's backends still hold %s after %d.%d s", held,
					   timeout_ms / 1000, timeout_ms % 1000 / 100);
			break;
		}
		g_free(held);
		g_usleep(POLL_MS * 1000);
	}
	g_free(held);
	return rc;
}
