/* The host's memory, read (see host.h), and admission of a new domain. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/conf.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "libtool/parse/config.h"
#include "libtool/util/fail.h"
#include "libtool/util/number.h"

void xlite_mem_host_init(struct xlite_mem_host *h)
{
	memset(h, 0, sizeof(*h));
}

void xlite_mem_host_dispose(struct xlite_mem_host *h)
{
	g_free(h->doms);
	xlite_mem_host_init(h);
}

/* A number the guest wrote: digits only, at most 16 TiB (in KiB) or a
 * 64-bit counter; anything else is no report. */
static bool guest_number(struct xlite_hv *hv, uint32_t domid, const char *node,
			 guint64 max, guint64 *out)
{
	g_autofree char *path = g_strdup_printf("/local/domain/%u/data/%s", domid, node);
	g_autofree char *v = NULL;
	uint64_t n;

	if (hv->ops->xs_read(hv, path, &v) < 0 || !v || xlite_number_parse(v, 0, max, &n) < 0)
		return false;
	*out = n;
	return true;
}

bool xlite_mem_read_demand(struct xlite_hv *hv, uint32_t domid, uint64_t actual_kib,
			   uint64_t max_kib, uint64_t *demand_kib, uint64_t *seq)
{
	guint64 total, avail, s;

	if (!guest_number(hv, domid, "meminfo_total", XLITE_MAX_MEMORY_KIB, &total) ||
	    !guest_number(hv, domid, "meminfo_available", XLITE_MAX_MEMORY_KIB, &avail) ||
	    !guest_number(hv, domid, "meminfo_seq", G_MAXUINT64, &s))
		return false;
	if (avail > total || total > 2 * max_kib)
		return false;
	*demand_kib = MIN(actual_kib > avail ? actual_kib - avail : 0, max_kib);
	*seq = s;
	return true;
}

int xlite_mem_host_read(struct xlite_hv *hv, const struct xlite_memconf *mc,
			struct xlite_mem_host *h, char **err)
{
	struct xlite_physinfo pi;
	struct xlite_dominfo *infos = NULL;
	uint64_t all_doms = 0, guests_actual = 0;
	size_t n = 0, i;
	int rc;

	xlite_mem_host_dispose(h);
	rc = hv->ops->physinfo(hv, &pi);
	if (rc < 0)
		return xlite_fail(err, rc, "reading host memory: %s", xlite_hv_error(hv));
	rc = hv->ops->domain_list(hv, &infos, &n);
	if (rc < 0)
		return xlite_fail(err, rc, "listing domains: %s", xlite_hv_error(hv));
	h->total_kib = pi.total_pages * 4;
	h->free_kib = (pi.free_pages - MIN(pi.outstanding_pages, pi.free_pages)) * 4;
	h->dom0_reserve_kib = mc->dom0_reserve_kib;
	h->doms = g_new0(struct xlite_bal_dom, n ? n : 1);
	for (i = 0; i < n; i++) {
		struct xlite_mem_dom m;
		struct xlite_bal_dom *d;
		g_autofree char *e = NULL;

		all_doms += infos[i].tot_kib;
		if (infos[i].domid == 0) {
			h->dom0_kib = infos[i].tot_kib;
			continue;
		}
		if (infos[i].dying || xlite_mem_dom_read(hv, infos[i].domid, &m, &e) < 0)
			continue;
		d = &h->doms[h->n++];
		d->domid = m.domid;
		d->min = m.min_kib;
		d->max = m.max_kib;
		d->target = m.target_kib;
		d->actual = m.actual_kib;
		d->managed = m.min_known;
		d->has_demand = d->managed &&
				xlite_mem_read_demand(hv, d->domid, d->actual, d->max, &d->demand,
						      &d->demand_seq);
		guests_actual += d->actual;
		h->sum_min += d->min;
		h->sum_target += d->target;
		h->sum_actual += d->actual;
		h->sum_max += d->max;
		h->sum_guaranteed += d->managed ? d->min : d->target;
	}
	/* Balloons move while the domains are read: a guest that grew since
	 * the first physinfo counts twice (in free memory and in its actual),
	 * one that shrank before the second counts twice the other way. The
	 * lesser free memory of the two reads is on the safe side for both. */
	rc = hv->ops->physinfo(hv, &pi);
	if (rc < 0) {
		g_free(infos);
		return xlite_fail(err, rc, "reading host memory: %s", xlite_hv_error(hv));
	}
	h->free_kib = MIN(h->free_kib, (pi.free_pages - MIN(pi.outstanding_pages,
							    pi.free_pages)) * 4);
	h->xen_kib = h->total_kib > h->free_kib + all_doms ?
		     h->total_kib - h->free_kib - all_doms : 0;
	h->capacity_kib = xlite_bal_capacity(h->free_kib, guests_actual, h->dom0_kib,
					     h->dom0_reserve_kib);
	g_free(infos);
	return 0;
}

int xlite_mem_admit(const struct xlite_mem_host *h, const char *name, uint64_t new_min,
		    uint64_t new_target, struct xlite_bal_out *out, bool *squeeze, char **err)
{
	struct xlite_bal_host bh = { 0 };
	struct xlite_bal_summary sum;
	char a[32], b[32], c[32], d[32], e[32], f[32], g[32], x[32];
	uint64_t room_now;
	size_t i;

	*squeeze = false;
	for (i = 0; i < h->n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].target = h->doms[i].target;
	}
	if (h->sum_guaranteed + new_min > h->capacity_kib)
		return xlite_fail(err, -ENOSPC,
			"not enough free memory for '%s': the guaranteed minimums would not fit: the %zu %s %s + its %s "
			"= %s, but guests can have %s (host %s: dom0 %s with a reserve of %s, Xen %s)",
			name, h->n, h->n == 1 ? "guest's" : "guests'", xlite_mem_size_str(h->sum_guaranteed, a),
			xlite_mem_size_str(new_min, b),
			xlite_mem_size_str(h->sum_guaranteed + new_min, c),
			xlite_mem_size_str(h->capacity_kib, d), xlite_mem_size_str(h->total_kib, e),
			xlite_mem_size_str(h->dom0_kib, f), xlite_mem_size_str(h->dom0_reserve_kib, g),
			xlite_mem_size_str(h->xen_kib, x));
	/* What is free now and stays free once guests reach their targets. */
	room_now = h->capacity_kib > h->sum_target ? h->capacity_kib - h->sum_target : 0;
	room_now = MIN(room_now, h->free_kib);
	if (new_target <= room_now)
		return 0;
	bh.capacity = h->capacity_kib;
	bh.room = new_target;
	xlite_balance(&bh, h->doms, h->n, out, &sum);
	if (!sum.fits || sum.granted + new_target > h->capacity_kib)
		return xlite_fail(err, -ENOSPC,
			"not enough free memory for '%s': its boot target %s is not free (%s free) and lowering the other "
			"guests to their minimums would not make room (guests can have %s, they "
			"would keep %s)",
			name, xlite_mem_size_str(new_target, a), xlite_mem_size_str(room_now, b),
			xlite_mem_size_str(h->capacity_kib, c), xlite_mem_size_str(sum.granted, d));
	*squeeze = sum.n_changed > 0;
	return 0;
}

int xlite_mem_admit_min(const struct xlite_mem_host *h, uint32_t domid, const char *name,
			uint64_t new_min, char **err)
{
	uint64_t others = h->sum_guaranteed;
	char a[32], b[32], c[32], d[32], e[32];
	size_t i;

	for (i = 0; i < h->n; i++)
		if (h->doms[i].domid == domid)
			others -= h->doms[i].managed ? h->doms[i].min : h->doms[i].target;
	if (others + new_min <= h->capacity_kib)
		return 0;
	return xlite_fail(err, -ENOSPC,
		"the guaranteed minimums would not fit: the other guests' %s + %s for '%s' = %s, "
		"but guests can have %s (dom0's reserve %s)", xlite_mem_size_str(others, a),
		xlite_mem_size_str(new_min, b), name, xlite_mem_size_str(others + new_min, c),
		xlite_mem_size_str(h->capacity_kib, d), xlite_mem_size_str(h->dom0_reserve_kib, e));
}

void xlite_mem_undo(struct xlite_hv *hv, GArray *undo)
{
	guint i;

	for (i = 0; undo && i < undo->len; i++) {
		const struct xlite_mem_undo *u = &g_array_index(undo, struct xlite_mem_undo, i);
		g_autofree char *e = NULL;

		xlite_mem_apply_target(hv, u->domid, u->target_kib, &e);
	}
}

int xlite_mem_make_room(struct xlite_hv *hv, const struct xlite_memconf *mc, const char *name,
			uint64_t new_min, uint64_t new_target, int timeout_ms,
			GArray **undo, char **err)
{
	struct xlite_mem_host h;
	struct xlite_bal_out *out = NULL;
	bool squeeze = false;
	gint64 deadline;
	size_t i;
	int rc;

	*undo = NULL;
	xlite_mem_host_init(&h);
	rc = xlite_mem_host_read(hv, mc, &h, err);
	if (rc < 0)
		goto out;
	out = g_new0(struct xlite_bal_out, h.n ? h.n : 1);
	rc = xlite_mem_admit(&h, name, new_min, new_target, out, &squeeze, err);
	if (rc < 0 || !squeeze)
		goto out;
	*undo = g_array_new(FALSE, FALSE, sizeof(struct xlite_mem_undo));
	for (i = 0; i < h.n; i++) {
		struct xlite_mem_undo u = { h.doms[i].domid, h.doms[i].target };

		if (out[i].target == h.doms[i].target)
			continue;
		g_array_append_val(*undo, u);
		rc = xlite_mem_apply_target(hv, u.domid, out[i].target, err);
		if (rc < 0)
			goto out;
	}
	/* The balloons give the memory back: wait for it to be free. */
	deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	for (;;) {
		struct xlite_physinfo pi;
		uint64_t free_kib;

		rc = hv->ops->physinfo(hv, &pi);
		if (rc < 0) {
			rc = xlite_fail(err, rc, "reading host memory: %s", xlite_hv_error(hv));
			goto out;
		}
		free_kib = (pi.free_pages - MIN(pi.outstanding_pages, pi.free_pages)) * 4;
		if (free_kib >= new_target)
			break;
		if (g_get_monotonic_time() >= deadline) {
			char a[32], b[32];

			rc = xlite_fail(err, -ENOSPC,
				"not enough free memory for '%s': the other guests were asked for memory but %s is still "
				"not free after %d s (%s free)", name, xlite_mem_size_str(new_target, a),
				timeout_ms / 1000, xlite_mem_size_str(free_kib, b));
			goto out;
		}
		g_usleep(200 * 1000);
	}
out:
	if (rc < 0 && *undo) {
		xlite_mem_undo(hv, *undo);
		g_array_free(*undo, TRUE);
		*undo = NULL;
	}
	g_free(out);
	xlite_mem_host_dispose(&h);
	return rc;
}

/* dom0 never goes below its reserve ([memory] dom0-reserve). */
int xlite_mem_host_set_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	struct xlite_memconf mc;
	char a[32], b[32];
	int rc;

	if (domid == 0) {
		xlite_memconf_init(&mc);
		rc = xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, err);
		if (rc < 0)
			return rc;
		if (kib < mc.dom0_reserve_kib)
			return xlite_fail(err, -ERANGE,
					  "dom0's target %s would be below its reserve %s "
					  "([memory] dom0-reserve in %s)", xlite_mem_size_str(kib, a),
					  xlite_mem_size_str(mc.dom0_reserve_kib, b), XLITE_MEMCONF_FILE);
	}
	return xlite_mem_set_target(hv, domid, kib, err);
}

/* A raised minimum must still fit beside the others' and dom0's reserve. */
int xlite_mem_host_set_min(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	struct xlite_memconf mc;
	struct xlite_mem_host h;
	g_autofree char *path = g_strdup_printf("/local/domain/%u/name", domid);
	g_autofree char *name = NULL;
	int rc;

	if (hv->ops->xs_read(hv, path, &name) < 0)
		name = NULL;	/* only for the message */
	xlite_memconf_init(&mc);
	xlite_mem_host_init(&h);
	rc = xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, err);
	if (rc == 0)
		rc = xlite_mem_host_read(hv, &mc, &h, err);
	if (rc == 0)
		rc = xlite_mem_admit_min(&h, domid, name ? name : "?", kib, err);
	xlite_mem_host_dispose(&h);
	return rc < 0 ? rc : xlite_mem_set_min(hv, domid, kib, err);
}
