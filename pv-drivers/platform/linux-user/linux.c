/* pv-drivers linux-user platform: the platform interface on
 * libxengnttab (gntalloc), libxenevtchn and libxenstore. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xengnttab.h>
#include <xenstore.h>

#include "pv-drivers/platform/linux-user/linux.h"

static struct pvd_linux *L(struct pvd_platform *p)
{
	return p->impl;
}

static int sys_fail(struct pvd_platform *p, const char *what, const char *path)
{
	int e = errno != 0 ? errno : EIO;

	return pvd_fail(&p->err, -e, "%s %s: %s", what, path, strerror(e));
}

/* --- grants -------------------------------------------------------------- */

static int lx_grant(struct pvd_platform *p, uint16_t domid, uint32_t count,
		    bool writable, uint32_t *refs, void **pages)
{
	void *addr;

	addr = xengntshr_share_pages(L(p)->xgs, domid,
				     (int)count, refs, writable);
	if (addr == NULL) {
		int e = errno != 0 ? errno : ENOMEM;

		return pvd_fail(&p->err, -e, "granting %u pages to domain %u through "
				"/dev/xen/gntalloc: %s (its module parameter 'limit' "
				"caps the grants of the whole guest)", count, domid,
				strerror(e));
	}
	*pages = addr;
	return 0;
}

static void lx_ungrant(struct pvd_platform *p, void *pages, uint32_t count)
{
	(void)xengntshr_unshare(L(p)->xgs, pages, count);
}

/* --- event channels ------------------------------------------------------ */

static int lx_evtchn_alloc(struct pvd_platform *p, uint16_t remote, uint32_t *port)
{
	xenevtchn_port_or_error_t r;

	r = xenevtchn_bind_unbound_port(L(p)->xce, remote);
	if (r < 0) {
		int e = errno != 0 ? errno : EIO;

		return pvd_fail(&p->err, -e, "allocating an event channel for domain "
				"%u: %s", remote, strerror(e));
	}
	*port = (uint32_t)r;
	return 0;
}

static int lx_evtchn_notify(struct pvd_platform *p, uint32_t port)
{
	if (xenevtchn_notify(L(p)->xce, port) < 0) {
		int e = errno != 0 ? errno : EIO;

		return pvd_fail(&p->err, -e, "notifying event channel %u: %s", port,
				strerror(e));
	}
	return 0;
}

static void lx_evtchn_close(struct pvd_platform *p, uint32_t port)
{
	(void)xenevtchn_unbind(L(p)->xce, port);
}

/* --- xenstore ------------------------------------------------------------ */

static int lx_xs_read(struct pvd_platform *p, pvd_txn_t t, const char *path,
		      char *buf, size_t size)
{
	unsigned int len;
	char *v;

	v = xs_read(L(p)->xs, t, path, &len);
	if (v == NULL) {
		if (errno == ENOENT)
			return -ENOENT;
		return sys_fail(p, "xenstore read", path);
	}
	if (len >= size) {
		free(v);
		return pvd_fail(&p->err, -E2BIG, "xenstore %s: value of %u bytes is "
				"too long", path, len);
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	free(v);
	return (int)len;
}

static int lx_xs_write(struct pvd_platform *p, pvd_txn_t t, const char *path,
		       const char *value)
{
	if (!xs_write(L(p)->xs, t, path, value, (unsigned int)strlen(value)))
		return sys_fail(p, "xenstore write", path);
	return 0;
}

static int lx_txn_start(struct pvd_platform *p, pvd_txn_t *t)
{
	xs_transaction_t x = xs_transaction_start(L(p)->xs);

	if (x == XBT_NULL)
		return sys_fail(p, "xenstore", "transaction start");
	*t = x;
	return 0;
}

static int lx_txn_end(struct pvd_platform *p, pvd_txn_t t, bool commit)
{
	if (xs_transaction_end(L(p)->xs, t, !commit))
		return 0;
	if (errno == EAGAIN)
		return -EAGAIN;
	return sys_fail(p, "xenstore", "transaction end");
}

static int lx_watch(struct pvd_platform *p, const char *path)
{
	struct pvd_linux *l = L(p);

	if (l->xs_fd < 0) {
		l->xs_fd = xs_fileno(l->xs);
		if (l->xs_fd < 0)
			return sys_fail(p, "xenstore watch pipe for", path);
	}
	if (!xs_watch(l->xs, path, path))
		return sys_fail(p, "xenstore watch", path);
	return 0;
}

static void lx_unwatch(struct pvd_platform *p, const char *path)
{
	(void)xs_unwatch(L(p)->xs, path, path);
}

/* --- waiting ------------------------------------------------------------- */

static int drain(struct pvd_linux *l, short *revents_ev, short *revents_xs)
{
	int bits = 0;

	if (revents_ev != NULL && (*revents_ev & POLLIN)) {
		xenevtchn_handle *xce = l->xce;
		struct pollfd pf = { .fd = xenevtchn_fd(xce), .events = POLLIN };

		/* Each pending port once, unmasked before the rings are
		 * looked at so that no later event is lost. */
		do {
			xenevtchn_port_or_error_t port = xenevtchn_pending(xce);

			if (port >= 0)
				(void)xenevtchn_unmask(xce, (evtchn_port_t)port);
		} while (poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN));
		bits |= PVD_WAKE_EVTCHN;
	}
	if (revents_xs != NULL && (*revents_xs & POLLIN)) {
		char **w;

		while ((w = xs_check_watch(l->xs)) != NULL)
			free(w);
		bits |= PVD_WAKE_WATCH;
	}
	return bits;
}

static int lx_wait(struct pvd_platform *p, uint32_t timeout_ms)
{
	struct pvd_linux *l = L(p);
	struct pollfd pf[2];
	int n = 0, iev = -1, ixs = -1, r;

	if (l->xce != NULL) {
		iev = n;
		pf[n].fd = xenevtchn_fd(l->xce);
		pf[n++].events = POLLIN;
	}
	if (l->xs_fd >= 0) {
		ixs = n;
		pf[n].fd = l->xs_fd;
		pf[n++].events = POLLIN;
	}
	r = poll(pf, (nfds_t)n, timeout_ms > INT32_MAX ? -1 : (int)timeout_ms);
	if (r < 0) {
		if (errno == EINTR)
			return 0;
		return sys_fail(p, "poll", "(event channel, xenstore)");
	}
	if (r == 0)
		return 0;
	return drain(l, iev >= 0 ? &pf[iev].revents : NULL,
		     ixs >= 0 ? &pf[ixs].revents : NULL);
}

static uint64_t lx_now(struct pvd_platform *p)
{
	struct timespec ts;

	(void)p;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const struct pvd_platform_ops linux_ops = {
	.grant = lx_grant,
	.ungrant = lx_ungrant,
	.evtchn_alloc = lx_evtchn_alloc,
	.evtchn_notify = lx_evtchn_notify,
	.evtchn_close = lx_evtchn_close,
	.xs_read = lx_xs_read,
	.xs_write = lx_xs_write,
	.xs_txn_start = lx_txn_start,
	.xs_txn_end = lx_txn_end,
	.xs_watch = lx_watch,
	.xs_unwatch = lx_unwatch,
	.wait = lx_wait,
	.now_ms = lx_now,
};

static int missing(struct pvd_linux *l, const char *dev, const char *module)
{
	int e = errno != 0 ? errno : ENODEV;

	return pvd_fail(&l->plat.err, -e, "cannot open %s: %s (needs root in a Xen "
			"PV guest%s%s%s)", dev, strerror(e),
			module != NULL ? " with the kernel module " : "",
			module != NULL ? module : "",
			module != NULL ? " loaded: modprobe it" : "");
}

int pvd_linux_open(struct pvd_linux *l, unsigned int need)
{
	memset(l, 0, sizeof(*l));
	l->plat.ops = &linux_ops;
	l->plat.impl = l;
	l->xs_fd = -1;
	if (need & PVD_LINUX_XENSTORE) {
		l->xs = xs_open(0);
		if (l->xs == NULL)
			return missing(l, "xenstore (/dev/xen/xenbus)", NULL);
	}
	if (need & PVD_LINUX_EVTCHN) {
		l->xce = xenevtchn_open(NULL, 0);
		if (l->xce == NULL)
			return missing(l, "/dev/xen/evtchn", "xen-evtchn");
	}
	if (need & PVD_LINUX_GRANTS) {
		l->xgs = xengntshr_open(NULL, 0);
		if (l->xgs == NULL)
			return missing(l, "/dev/xen/gntalloc", "xen-gntalloc");
	}
	return 0;
}

void pvd_linux_close(struct pvd_linux *l)
{
	if (l->xgs != NULL)
		xengntshr_close(l->xgs);
	if (l->xce != NULL)
		xenevtchn_close(l->xce);
	if (l->xs != NULL)
		xs_close(l->xs);
	l->xgs = NULL;
	l->xce = NULL;
	l->xs = NULL;
	l->xs_fd = -1;
}

int pvd_linux_evtchn_fd(const struct pvd_linux *l)
{
	return l->xce != NULL ? xenevtchn_fd(l->xce) : -1;
}

int pvd_linux_xs_fd(const struct pvd_linux *l)
{
	return l->xs_fd;
}

bool pvd_linux_kernel_bound(const char *type, uint32_t id)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/xen/devices/%s-%u/driver", type, id);
	return access(path, F_OK) == 0;
}
