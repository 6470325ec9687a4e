/* xlite domains at run time: lookup by name or id, names, teardown. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libtool/parse/config.h"
#include "libtool/apply/domain.h"
#include "libtool/device/bridge.h"
#include "libtool/device/device.h"
#include "libtool/util/number.h"

char *xlite_domain_name(struct xlite_hv *hv, uint32_t domid)
{
	char path[64];
	char *name = NULL;

	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	if (hv->ops->xs_read(hv, path, &name) < 0) {
		name = NULL;
		if (domid == 0)
			name = g_strdup("Domain-0");
	}
	return name;
}

/* Whether INFO is the domain WANT describes. */
typedef bool domain_match_fn(struct xlite_hv *hv, const struct xlite_dominfo *info,
			     const void *want);

/* The first live (not dying) domain MATCH accepts, ascending ids: 0 with
 * *domid, or -ESRCH. */
static int find_first(struct xlite_hv *hv, domain_match_fn *match, const void *want,
		      uint32_t *domid)
{
	struct xlite_dominfo *infos = NULL;
	size_t n = 0, i;
	int rc;

	rc = hv->ops->domain_list(hv, &infos, &n);
	if (rc < 0)
		goto out;
	rc = -ESRCH;
	for (i = 0; i < n && rc == -ESRCH; i++) {
		if (infos[i].dying || !match(hv, &infos[i], want))
			continue;
		*domid = infos[i].domid;
		rc = 0;
	}
out:
	g_free(infos);
	return rc;
}

static bool name_is(struct xlite_hv *hv, const struct xlite_dominfo *info, const void *want)
{
	char *dn = xlite_domain_name(hv, info->domid);
	bool same = dn && strcmp(dn, want) == 0;

	g_free(dn);
	return same;
}

int xlite_domain_find(struct xlite_hv *hv, const char *name, uint32_t *domid)
{
	return find_first(hv, name_is, name, domid);
}

struct uuid_want {
	const uint8_t *uuid;
	uint32_t except;
};

static bool uuid_is(struct xlite_hv *hv, const struct xlite_dominfo *info, const void *want)
{
	const struct uuid_want *w = want;

	(void)hv;
	return info->domid != w->except && memcmp(info->uuid, w->uuid, 16) == 0;
}

int xlite_domain_find_uuid(struct xlite_hv *hv, const uint8_t uuid[16], uint32_t except,
			   uint32_t *domid)
{
	const struct uuid_want w = { uuid, except };

	return find_first(hv, uuid_is, &w, domid);
}

bool xlite_domid_parse(const char *s, uint32_t *domid)
{
	uint64_t v;

	/* Longer is a name, as xl takes it. */
	if (strlen(s) > 5 || xlite_number_parse(s, 0, XLITE_DOMID_INVALID - 1, &v) < 0)
		return false;
	*domid = (uint32_t)v;
	return true;
}

int xlite_domain_resolve(struct xlite_hv *hv, const char *spec, uint32_t *domid, char **err)
{
	struct xlite_dominfo info;
	int rc;

	if (xlite_domid_parse(spec, domid)) {
		rc = hv->ops->domain_info(hv, *domid, &info);
	} else {
		rc = xlite_domain_find(hv, spec, domid);
	}
	if (rc == -ESRCH)
		*err = g_strdup_printf("domain '%s' does not exist", spec);
	else if (rc < 0)
		*err = g_strdup(xlite_hv_error(hv));
	return rc;
}

void xlite_domain_leftovers_init(struct xlite_domain_leftovers *l, uint32_t domid)
{
	l->domid = domid;
	l->xs_paths = g_ptr_array_new_with_free_func(g_free);
	l->loops = g_ptr_array_new_with_free_func(g_free);
	l->vifs = g_array_new(FALSE, FALSE, sizeof(unsigned int));
	l->vifnames = g_ptr_array_new_with_free_func(g_free);
}

void xlite_domain_leftovers_dispose(struct xlite_domain_leftovers *l)
{
	if (l->xs_paths)
		g_ptr_array_free(l->xs_paths, TRUE);
	if (l->loops)
		g_ptr_array_free(l->loops, TRUE);
	if (l->vifs)
		g_array_free(l->vifs, TRUE);
	if (l->vifnames)
		g_ptr_array_free(l->vifnames, TRUE);
	l->vifnames = NULL;
	l->xs_paths = l->loops = NULL;
	l->vifs = NULL;
}

static bool has_str(GPtrArray *a, const char *s)
{
	guint i;

	for (i = 0; i < a->len; i++)
		if (strcmp(a->pdata[i], s) == 0)
			return true;
	return false;
}

void xlite_domain_leftovers_add_path(struct xlite_domain_leftovers *l, const char *path)
{
	if (!has_str(l->xs_paths, path))
		g_ptr_array_add(l->xs_paths, g_strdup(path));
}

bool xlite_domain_leftovers_add_loop(struct xlite_domain_leftovers *l, const char *dev)
{
	/* The value came from xenstore: "/dev/loopN" or "/dev/nbdN", nothing else. */
	if (!xlite_device_is_loop(dev))
		return false;
	if (!has_str(l->loops, dev))
		g_ptr_array_add(l->loops, g_strdup(dev));
	return true;
}

/* A /vm entry as xl and xlite write it: "/vm/" and a uuid, nothing else. */
static bool vm_path_ok(const char *p)
{
	const char *u;

	if (!g_str_has_prefix(p, "/vm/"))
		return false;
	u = p + 4;
	return strlen(u) == 36 && strspn(u, "0123456789abcdefABCDEF-") == 36;
}

void xlite_domain_leftovers_add_vif(struct xlite_domain_leftovers *l, unsigned int devid)
{
	guint i;

	for (i = 0; i < l->vifs->len; i++)
		if (g_array_index(l->vifs, unsigned int, i) == devid)
			return;
	g_array_append_val(l->vifs, devid);
}

/* vifD.N of each vif backend: netback removes them after the domain and
 * its backend directories are gone; destroy waits for that. */
static void gather_vifs(struct xlite_hv *hv, struct xlite_domain_leftovers *l)
{
	char base[64];
	char **devs = NULL;
	unsigned int i;

	snprintf(base, sizeof(base), "/local/domain/0/backend/vif/%u", l->domid);
	if (hv->ops->xs_directory(hv, base, &devs) < 0)
		return;
	for (i = 0; devs[i]; i++) {
		uint64_t devid;

		g_autofree char *path = NULL, *name = NULL;

		if (strlen(devs[i]) <= 5 && xlite_number_parse(devs[i], 0, UINT32_MAX, &devid) == 0)
			xlite_domain_leftovers_add_vif(l, (unsigned int)devid);
		/* renamed by vifname=: netback removes it under that name */
		path = g_strdup_printf("%s/%s/vifname", base, devs[i]);
		if (hv->ops->xs_read(hv, path, &name) == 0 && !xlite_ifname_invalid(name) &&
		    !has_str(l->vifnames, name))
			g_ptr_array_add(l->vifnames, g_steal_pointer(&name));
	}
	g_strfreev(devs);
}

bool xlite_domain_vm_used_by_other(struct xlite_hv *hv, const char *vm_path, uint32_t self)
{
	uint8_t uuid[16];
	uint32_t other;
	int rc;

	if (xlite_uuid_parse(vm_path + 4, uuid) < 0)
		return false;
	rc = xlite_domain_find_uuid(hv, uuid, self, &other);
	return rc != -ESRCH;
}

/* xl's block script records the loop device it made for a file-backed disk
 * as physical-device-path, with params the file: release those too. */
static void gather_vbd_loops(struct xlite_hv *hv, struct xlite_domain_leftovers *l)
{
	char base[96], path[160];
	char **devs = NULL;
	unsigned int i;

	snprintf(base, sizeof(base), "/local/domain/0/backend/vbd/%u", l->domid);
	if (hv->ops->xs_directory(hv, base, &devs) < 0)
		return;
	for (i = 0; devs[i]; i++) {
		char *pdp = NULL, *params = NULL;

		snprintf(path, sizeof(path), "%s/%s/physical-device-path", base, devs[i]);
		if (hv->ops->xs_read(hv, path, &pdp) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/params", base, devs[i]);
		if (hv->ops->xs_read(hv, path, &params) < 0)
			params = NULL;
		if (params && !g_str_has_prefix(params, "/dev/"))
			xlite_domain_leftovers_add_loop(l, pdp);
		g_free(pdp);
		g_free(params);
	}
	g_strfreev(devs);
}

int xlite_domain_leftovers_gather(struct xlite_hv *hv, struct xlite_domain_leftovers *l)
{
	struct xlite_dominfo info;
	char path[128];
	char *val = NULL;
	char **types = NULL;
	unsigned int i;

	if (l->domid == 0 || l->domid >= XLITE_DOMID_INVALID)
		return xlite_hv_fail(hv, -EINVAL, "refusing to clean up after domain %u", l->domid);

	snprintf(path, sizeof(path), "/local/domain/%u/%s/loops", l->domid, XLITE_XS_DIR);
	if (hv->ops->xs_read(hv, path, &val) == 0) {
		char **devs = g_strsplit(val, " ", 0);

		for (i = 0; devs[i]; i++)
			xlite_domain_leftovers_add_loop(l, devs[i]);
		g_strfreev(devs);
		g_free(val);
	}

	snprintf(path, sizeof(path), "/local/domain/%u/vm", l->domid);
	if (hv->ops->xs_read(hv, path, &val) == 0) {
		if (vm_path_ok(val) && !xlite_domain_vm_used_by_other(hv, val, l->domid))
			xlite_domain_leftovers_add_path(l, val);
		g_free(val);
	} else if (hv->ops->domain_info(hv, l->domid, &info) == 0) {
		char uuid[XLITE_UUID_STRLEN];

		xlite_uuid_format(info.uuid, uuid);
		snprintf(path, sizeof(path), "/vm/%s", uuid);
		if (strcmp(uuid, "00000000-0000-0000-0000-000000000000") != 0 &&
		    !xlite_domain_vm_used_by_other(hv, path, l->domid))
			xlite_domain_leftovers_add_path(l, path);
	}

	snprintf(path, sizeof(path), "/local/domain/%u", l->domid);
	xlite_domain_leftovers_add_path(l, path);
	if (hv->ops->xs_directory(hv, "/local/domain/0/backend", &types) == 0) {
		for (i = 0; types[i]; i++) {
			snprintf(path, sizeof(path), "/local/domain/0/backend/%s/%u",
				 types[i], l->domid);
			xlite_domain_leftovers_add_path(l, path);
			/* No vbd backends at all: nothing of xl's loops to read. */
			if (strcmp(types[i], "vbd") == 0)
				gather_vbd_loops(hv, l);
			else if (strcmp(types[i], "vif") == 0)
				gather_vifs(hv, l);
		}
		g_strfreev(types);
	}
	snprintf(path, sizeof(path), "/libxl/%u", l->domid);
	xlite_domain_leftovers_add_path(l, path);
	return 0;
}

int xlite_domain_gone(struct xlite_hv *hv, uint32_t domid)
{
	struct xlite_dominfo info;
	int rc = hv->ops->domain_info(hv, domid, &info);

	if (rc == -ESRCH)
		return 1;
	if (rc < 0)
		return rc;
	return info.dying ? 1 : 0;
}

/* One line of FAILED for a step that failed; *RC keeps the first error. */
static void failed_step(GString *failed, int *rc, int one, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void failed_step(GString *failed, int *rc, int one, const char *fmt, ...)
{
	va_list ap;

	if (*rc == 0)
		*rc = one;
	if (failed->len)
		g_string_append_c(failed, '\n');
	va_start(ap, fmt);
	g_string_append_vprintf(failed, fmt, ap);
	va_end(ap);
}

int xlite_domain_leftovers_release(struct xlite_hv *hv, struct xlite_domain_leftovers *l)
{
	GString *failed = g_string_new("");
	struct xlite_release r;
	bool kept_vbd = false, kept_vif = false;
	guint i;
	int rc = 0, one;

	xlite_release_init(&r);
	/* A domain that is still there keeps its host side: its backends
	 * may be serving these very devices. */
	one = xlite_domain_gone(hv, l->domid);
	if (one < 0) {
		failed_step(failed, &rc, one, "cannot tell whether domain %u is gone (%s): its "
			    "xenstore nodes, loop devices and vifs are left in place", l->domid,
			    xlite_hv_error(hv));
		goto out;
	}
	if (one == 0) {
		failed_step(failed, &rc, -EBUSY, "domain %u still exists: its xenstore nodes, "
			    "loop devices and vifs are left in place", l->domid);
		goto out;
	}
	/* Backend directories go with the paths: the kernel backends let go
	 * of the loop devices and vifs when their directories vanish. */
	for (i = 0; i < l->xs_paths->len; i++) {
		const char *p = l->xs_paths->pdata[i];

		one = hv->ops->xs_rm(hv, p);
		if (one < 0) {
			failed_step(failed, &rc, one, "removing %s: %s", p, xlite_hv_error(hv));
			kept_vbd |= g_str_has_prefix(p, "/local/domain/0/backend/vbd/");
			kept_vif |= g_str_has_prefix(p, "/local/domain/0/backend/vif/");
		}
	}
	for (i = 0; i < l->loops->len; i++) {
		const char *dev = l->loops->pdata[i];

		one = xlite_release_loop(hv, &r, dev);
		if (one < 0)
			failed_step(failed, &rc, one, "releasing %s: %s", dev, xlite_hv_error(hv));
	}
	/* A backend directory left in place keeps its devices: said above,
	 * no use waiting for them. */
	if (kept_vbd)
		xlite_release_forget_loops(&r);
	for (i = 0; i < l->vifs->len && !kept_vif; i++)
		xlite_release_add_vif(&r, l->domid, g_array_index(l->vifs, unsigned int, i));
	for (i = 0; i < l->vifnames->len && !kept_vif; i++)
		xlite_release_add_ifname(&r, l->vifnames->pdata[i]);
	one = xlite_release_wait(hv, &r, 0);
	if (one < 0)
		failed_step(failed, &rc, one, "%s", xlite_hv_error(hv));
out:
	if (rc < 0)
		xlite_hv_fail(hv, rc, "%s", failed->str);
	g_string_free(failed, TRUE);
	xlite_release_dispose(&r);
	return rc;
}

/* "PREFIX: " before each line of MSG. */
static char *prefix_lines(const char *prefix, const char *msg)
{
	char **lines = g_strsplit(msg, "\n", 0);
	GString *out = g_string_new("");
	unsigned int i;

	for (i = 0; lines[i]; i++)
		g_string_append_printf(out, "%s%s: %s", i ? "\n" : "", prefix, lines[i]);
	g_strfreev(lines);
	return g_string_free(out, FALSE);
}

int xlite_domain_destroy(struct xlite_hv *hv, uint32_t domid, char **err)
{
	struct xlite_domain_leftovers l;
	char *prefix;
	int rc;

	xlite_domain_leftovers_init(&l, domid);
	rc = xlite_domain_leftovers_gather(hv, &l);
	if (rc < 0)
		goto out;
	rc = hv->ops->domain_destroy(hv, domid);
	if (rc < 0 && rc != -ESRCH) {
		char *why = g_strdup(xlite_hv_error(hv));

		/* Its xenstore nodes and devices stay with it. */
		xlite_hv_fail(hv, rc, "%s; the domain, its xenstore nodes, loop devices and vifs "
			      "are left as they are", why);
		g_free(why);
		goto out;
	}
	rc = xlite_domain_leftovers_release(hv, &l);
out:
	if (rc < 0) {
		prefix = g_strdup_printf("destroying domain %u", domid);
		*err = prefix_lines(prefix, xlite_hv_error(hv));
		g_free(prefix);
	}
	xlite_domain_leftovers_dispose(&l);
	return rc;
}

int xlite_domain_watch_devices(struct xlite_hv *hv, uint32_t domid, struct xlite_release *r)
{
	struct xlite_domain_leftovers l;
	guint i;
	int rc;

	xlite_domain_leftovers_init(&l, domid);
	rc = xlite_domain_leftovers_gather(hv, &l);
	for (i = 0; rc == 0 && i < l.loops->len; i++) {
		char *backing = NULL;

		rc = hv->ops->loop_backing(hv, l.loops->pdata[i], &backing);
		if (rc == 0 && backing)
			xlite_release_watch_loop(r, l.loops->pdata[i], backing);
		g_free(backing);
	}
	for (i = 0; rc == 0 && i < l.vifs->len; i++)
		xlite_release_add_vif(r, domid, g_array_index(l.vifs, unsigned int, i));
	for (i = 0; rc == 0 && i < l.vifnames->len; i++)
		xlite_release_add_ifname(r, l.vifnames->pdata[i]);
	xlite_domain_leftovers_dispose(&l);
	return rc;
}

/* Drops from R the loop devices domain NAME (a new one, restarted by its
 * monitor) records as its own: they serve it now. */
static void forget_loops_of(struct xlite_hv *hv, const char *name, struct xlite_release *r)
{
	uint32_t now;
	char path[96], *val = NULL, **devs;
	guint i;

	if (!name || xlite_domain_find(hv, name, &now) < 0)
		return;
	snprintf(path, sizeof(path), "/local/domain/%u/%s/loops", now, XLITE_XS_DIR);
	if (hv->ops->xs_read(hv, path, &val) < 0)
		return;
	devs = g_strsplit(val, " ", 0);
	i = 0;
	while (i < r->loops->len) {
		if (g_strv_contains((const char *const *)devs, r->loops->pdata[i])) {
			g_ptr_array_remove_index(r->loops, i);
			g_ptr_array_remove_index(r->backings, i);
		} else {
			i++;
		}
	}
	g_strfreev(devs);
	g_free(val);
}

int xlite_domain_settle(struct xlite_hv *hv, uint32_t domid, const char *name,
			struct xlite_release *r, char **err)
{
	struct xlite_domain_leftovers l;
	int rc;

	xlite_domain_leftovers_init(&l, domid);
	rc = xlite_domain_gone(hv, domid);
	if (rc == 0)
		rc = xlite_hv_fail(hv, -EBUSY, "domain %u still exists", domid);
	/* Whoever ended it (its monitor, a destroy) cleaned up under the name
	 * lock; without one, nobody did: what is left goes now. */
	if (rc > 0)
		rc = xlite_domain_leftovers_gather(hv, &l);
	if (rc == 0 && (l.loops->len || l.vifs->len || l.xs_paths->len))
		rc = xlite_domain_leftovers_release(hv, &l);
	if (rc == 0) {
		forget_loops_of(hv, name, r);
		rc = xlite_release_wait(hv, r, 0);
	}
	if (rc < 0) {
		char *prefix = g_strdup_printf("after domain %u", domid);

		*err = prefix_lines(prefix, xlite_hv_error(hv));
		g_free(prefix);
	}
	xlite_domain_leftovers_dispose(&l);
	return rc;
}

int xlite_domain_shutdown_request(struct xlite_hv *hv, uint32_t domid, const char *req,
				  char **err)
{
	char path[64];
	int rc;

	if (domid == 0) {
		*err = g_strdup("refusing to shut down Domain-0");
		return -EPERM;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
	rc = hv->ops->xs_write(hv, path, req);
	if (rc < 0)
		*err = g_strdup_printf("asking domain %u to %s: %s", domid, req,
				       xlite_hv_error(hv));
	return rc;
}

int xlite_domain_wait_gone(struct xlite_hv *hv, uint32_t domid, int timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	struct xlite_dominfo info;
	int rc;

	for (;;) {
		rc = hv->ops->domain_info(hv, domid, &info);
		if (rc == -ESRCH || (rc == 0 && info.dying))
			return 0;
		if (rc < 0)
			return rc;
		if (timeout_ms >= 0 && g_get_monotonic_time() >= deadline)
			return xlite_hv_fail(hv, -ETIMEDOUT,
					     "domain %u is still there after %d s",
					     domid, timeout_ms / 1000);
		/* Woken early by @releaseDomain; the short slice bounds the
		 * wait when the watch cannot be armed. */
		rc = hv->ops->wait_release(hv, 200);
		if (rc < 0 && rc != -ETIMEDOUT)
			g_usleep(50 * 1000);
	}
}
