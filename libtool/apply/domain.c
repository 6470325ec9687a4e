/* xlite domains at run time: lookup by name or id, names, teardown. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libtool/parse/config.h"
#include "libtool/apply/domain.h"

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
	unsigned long v;
	char *end;

	if (!*s || strlen(s) > 5 || strspn(s, "0123456789") != strlen(s))
		return false;
	v = strtoul(s, &end, 10);
	if (v >= XLITE_DOMID_INVALID)
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
}

void xlite_domain_leftovers_dispose(struct xlite_domain_leftovers *l)
{
	if (l->xs_paths)
		g_ptr_array_free(l->xs_paths, TRUE);
	if (l->loops)
		g_ptr_array_free(l->loops, TRUE);
	l->xs_paths = l->loops = NULL;
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
	const char *num;

	/* The value came from xenstore: accept "/dev/loopN" and nothing else. */
	if (!dev || !g_str_has_prefix(dev, "/dev/loop"))
		return false;
	num = dev + strlen("/dev/loop");
	if (!*num || strlen(num) > 6 || strspn(num, "0123456789") != strlen(num))
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

/* Whether a live domain other than SELF has the uuid of VM_PATH ("/vm/UUID")
 * as its handle: xl and xlite both name a domain's /vm entry after it, so
 * that domain's entry is VM_PATH too and must stay. When Xen cannot be
 * asked, the entry stays as well: a stale /vm entry is harmless, a live
 * one removed is not. */
static bool vm_used_by_other(struct xlite_hv *hv, const char *vm_path, uint32_t self)
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
		if (vm_path_ok(val) && !vm_used_by_other(hv, val, l->domid))
			xlite_domain_leftovers_add_path(l, val);
		g_free(val);
	} else if (hv->ops->domain_info(hv, l->domid, &info) == 0) {
		char uuid[XLITE_UUID_STRLEN];

		xlite_uuid_format(info.uuid, uuid);
		snprintf(path, sizeof(path), "/vm/%s", uuid);
		if (strcmp(uuid, "00000000-0000-0000-0000-000000000000") != 0 &&
		    !vm_used_by_other(hv, path, l->domid))
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
		}
		g_strfreev(types);
	}
	snprintf(path, sizeof(path), "/libxl/%u", l->domid);
	xlite_domain_leftovers_add_path(l, path);
	return 0;
}

int xlite_domain_leftovers_release(struct xlite_hv *hv, struct xlite_domain_leftovers *l)
{
	char first_err[XLITE_HV_ERR_MAX] = "";
	guint i;
	int rc = 0, r;

	/* Backend directories first: the kernel backends let go of the loop
	 * devices when their directories vanish. */
	for (i = 0; i < l->xs_paths->len; i++) {
		r = hv->ops->xs_rm(hv, l->xs_paths->pdata[i]);
		if (r < 0 && rc == 0) {
			rc = r;
			g_strlcpy(first_err, hv->err, sizeof(first_err));
		}
	}
	for (i = 0; i < l->loops->len; i++) {
		r = hv->ops->loop_detach(hv, l->loops->pdata[i]);
		if (r < 0 && r != -ENXIO && rc == 0) {
			rc = r;
			g_strlcpy(first_err, hv->err, sizeof(first_err));
		}
	}
	if (rc < 0)
		g_strlcpy(hv->err, first_err, sizeof(hv->err));
	return rc;
}

int xlite_domain_destroy(struct xlite_hv *hv, uint32_t domid, char **err)
{
	struct xlite_domain_leftovers l;
	int rc;

	xlite_domain_leftovers_init(&l, domid);
	rc = xlite_domain_leftovers_gather(hv, &l);
	if (rc < 0)
		goto out;
	rc = hv->ops->domain_destroy(hv, domid);
	if (rc < 0 && rc != -ESRCH)
		goto out;
	rc = xlite_domain_leftovers_release(hv, &l);
out:
	if (rc < 0)
		*err = g_strdup_printf("destroying domain %u: %s", domid, xlite_hv_error(hv));
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
