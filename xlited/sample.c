/* The sampler and its history (see sample.h). The thread reads Xen and
 * sysfs with handles of its own, so the loop never waits for it; the
 * history is behind one mutex that a round holds only to store what it
 * read. A round's `sample` event goes to the loop with
 * g_main_context_invoke. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "libtool/report/report.h"
#include "libtool/util/fail.h"
#include "libtool/util/json.h"
#include "xlited/sample.h"
#include "xlited/xlited.h"

/* ---- ring ---- */

void xlited_ring_init(struct xlited_ring *r, size_t elem, size_t cap)
{
	r->elem = elem;
	r->cap = cap ? cap : 1;
	r->buf = g_malloc0_n(r->cap, elem);
	r->head = r->len = 0;
}

void xlited_ring_dispose(struct xlited_ring *r)
{
	g_free(r->buf);
	r->buf = NULL;
	r->len = r->head = 0;
}

void xlited_ring_push(struct xlited_ring *r, const void *rec)
{
	memcpy(r->buf + r->head * r->elem, rec, r->elem);
	r->head = (r->head + 1) % r->cap;
	if (r->len < r->cap)
		r->len++;
}

const void *xlited_ring_at(const struct xlited_ring *r, size_t i)
{
	if (i >= r->len)
		return NULL;
	return r->buf + ((r->head + r->cap - r->len + i) % r->cap) * r->elem;
}

/* ---- rates ---- */

size_t xlited_history_len(unsigned int interval_s)
{
	return XLITED_HISTORY_S / (interval_s ? interval_s : 1) + 1;
}

size_t xlited_history_bytes(unsigned int interval_s)
{
	size_t n = xlited_history_len(interval_s);

	return n * sizeof(struct xlited_host_sample) +
	       (size_t)XLITED_HISTORY_MAX_DOMS * n * sizeof(struct xlited_dom_sample);
}

void xlited_dom_rates(struct xlited_dom_sample *s, uint64_t prev_cpu_ns, uint64_t cpu_ns,
		      const struct xlite_io *prev, const struct xlite_io *now, double dt_s)
{
	double rd = xlite_rate(prev->rd_sect, now->rd_sect, dt_s);
	double wr = xlite_rate(prev->wr_sect, now->wr_sect, dt_s);

	s->cpu_pct = xlite_cpu_pct(prev_cpu_ns, cpu_ns, dt_s);
	s->rd_bps = rd < 0 ? -1 : rd * 512;
	s->wr_bps = wr < 0 ? -1 : wr * 512;
	s->rd_iops = xlite_rate(prev->rd_req, now->rd_req, dt_s);
	s->wr_iops = xlite_rate(prev->wr_req, now->wr_req, dt_s);
	s->rx_bps = xlite_rate(prev->rx_bytes, now->rx_bytes, dt_s);
	s->tx_bps = xlite_rate(prev->tx_bytes, now->tx_bytes, dt_s);
}

/* A rate with two decimals, or null when unknown. */
static void member_rate(XliteJson *b, const char *key, double v)
{
	xlite_json_set_member_name(b, key);
	if (v < 0)
		xlite_json_add_null(b);
	else
		xlite_json_add_double(b, (double)(int64_t)(v * 100 + 0.5) / 100);
}

void xlited_dom_sample_json(XliteJson *b, const struct xlited_dom_sample *s)
{
	xlite_json_member_int(b, "t", s->t_ms);
	member_rate(b, "cpu_pct", s->cpu_pct);
	xlite_json_member_int(b, "vcpus", s->vcpus);
	xlite_json_member_str(b, "state", s->state);
	xlite_json_member_int(b, "min_kib", (int64_t)s->min_kib);
	xlite_json_member_int(b, "target_kib", (int64_t)s->target_kib);
	xlite_json_member_int(b, "actual_kib", (int64_t)s->actual_kib);
	xlite_json_member_int(b, "max_kib", (int64_t)s->max_kib);
	xlite_json_set_member_name(b, "demand_kib");
	if (s->demand_kib < 0)
		xlite_json_add_null(b);
	else
		xlite_json_add_int(b, s->demand_kib);
	member_rate(b, "disk_read_bps", s->rd_bps);
	member_rate(b, "disk_write_bps", s->wr_bps);
	member_rate(b, "disk_read_iops", s->rd_iops);
	member_rate(b, "disk_write_iops", s->wr_iops);
	member_rate(b, "net_tx_bps", s->rx_bps);	/* the guest sent what its vif got */
	member_rate(b, "net_rx_bps", s->tx_bps);
}

void xlited_host_sample_json(XliteJson *b, const struct xlited_host_sample *s)
{
	xlite_json_member_int(b, "t", s->t_ms);
	member_rate(b, "cpu_pct", s->cpu_pct);
	xlite_json_member_int(b, "nr_cpus", s->nr_cpus);
	xlite_json_member_int(b, "domains", s->domains);
	xlite_json_member_int(b, "total_kib", (int64_t)s->total_kib);
	xlite_json_member_int(b, "free_kib", (int64_t)s->free_kib);
}

/* ---- the sampler ---- */

/* One domain's history and the counters of its last round. */
struct hist {
	uint32_t domid;
	char *name;
	bool have_ring;
	struct xlited_ring ring;
	uint64_t cpu_ns;
	struct xlite_io io;
	gint64 mono_us;		/* of the last round */
	bool seen;		/* in this round */
};

struct xlited_sampler {
	struct xlited *d;
	unsigned int interval_s;
	GThread *thread;
	GMutex lock;		/* hists, host, stop */
	GCond wake;
	bool stop;
	GHashTable *hists;	/* domid -> struct hist */
	unsigned int with_ring;
	bool warned_full;
	struct xlited_ring host;
	gint64 host_mono_us;	/* of the last round */
};

static void hist_free(void *p)
{
	struct hist *h = p;

	if (h->have_ring)
		xlited_ring_dispose(&h->ring);
	g_free(h->name);
	g_free(h);
}

struct sse_job {
	struct xlited *d;
	char *json;
};

static gboolean on_sample_event(gpointer data)
{
	struct sse_job *j = data;

	xlited_events_send(j->d, "sample", j->json);
	g_free(j->json);
	g_free(j);
	return G_SOURCE_REMOVE;
}

/* One domain's round: its record (rates against H's last counters), H
 * updated; the CPU time it used since the last round (0 when new). Called
 * with the lock held; I/O was read before. */
static uint64_t store_dom(struct xlited_sampler *s, struct hist *h,
			  const struct xlite_dominfo *info, const struct xlite_io *io,
			  struct xlited_dom_sample *rec, gint64 mono_us, bool fresh)
{
	double dt = fresh ? 0 : (double)(mono_us - h->mono_us) / 1e6;
	uint64_t used = !fresh && info->cpu_time_ns >= h->cpu_ns ? info->cpu_time_ns - h->cpu_ns : 0;

	xlited_dom_rates(rec, h->cpu_ns, info->cpu_time_ns, &h->io, io, dt);
	h->cpu_ns = info->cpu_time_ns;
	h->io = *io;
	h->mono_us = mono_us;
	h->seen = true;
	if (!h->have_ring && s->with_ring < XLITED_HISTORY_MAX_DOMS) {
		xlited_ring_init(&h->ring, sizeof(*rec), xlited_history_len(s->interval_s));
		h->have_ring = true;
		s->with_ring++;
	} else if (!h->have_ring && !s->warned_full) {
		g_warning("sampler: more than %d domains: domain %s keeps no history",
			  XLITED_HISTORY_MAX_DOMS, h->name);
		s->warned_full = true;
	}
	if (h->have_ring)
		xlited_ring_push(&h->ring, rec);
	return used;
}

static void round_once(struct xlited_sampler *s, struct xlite_hv *hv)
{
	struct xlite_dominfo *infos = NULL;
	struct xlite_physinfo pi;
	struct xlited_host_sample host = { 0 };
	g_autoptr(XliteJson) b = xlite_json_new();
	gint64 mono = g_get_monotonic_time();
	int64_t t_ms = g_get_real_time() / 1000;
	uint64_t cpu_used = 0;
	size_t n = 0, i;
	GHashTableIter it;
	gpointer k, v;
	struct sse_job *job;
	struct xlited_prefetch p;

	if (hv->ops->domain_list(hv, &infos, &n) < 0) {
		g_message("sampler: %s", xlite_hv_error(hv));
		return;
	}
	memset(&pi, 0, sizeof(pi));
	if (hv->ops->physinfo(hv, &pi) < 0)
		g_message("sampler: %s", xlite_hv_error(hv));
	/* every domain's nodes in one round trip: xenstored serves the API too */
	xlited_prefetch_init(&p, hv);
	p.cache = s->d->nodecache;	/* kept for the requests */
	p.refresh = true;
	xlited_prefetch_listed(&p, infos, n, false);
	xlite_json_begin_object(b);
	xlite_json_set_member_name(b, "domains");
	xlite_json_begin_array(b);
	g_mutex_lock(&s->lock);
	g_hash_table_iter_init(&it, s->hists);
	while (g_hash_table_iter_next(&it, &k, &v))
		((struct hist *)v)->seen = false;
	g_mutex_unlock(&s->lock);
	for (i = 0; i < n; i++) {
		struct xlited_dom_sample rec = { .t_ms = t_ms, .demand_kib = -1 };
		struct xlite_report_mem lm;
		struct xlite_io io;
		struct hist *h;
		g_autofree char *merr = NULL;
		g_autofree char *name = NULL;
		bool fresh = false;

		xlite_io_read("", infos[i].domid, &io);
		if (xlite_report_mem_read(&p.hv, infos[i].domid, &lm, &merr)) {
			rec.min_kib = lm.m.min_kib;
			rec.target_kib = lm.m.target_kib;
			rec.actual_kib = lm.m.actual_kib;
			rec.max_kib = lm.m.max_kib;
			rec.demand_kib = lm.demand_kib;
		} else {
			rec.actual_kib = infos[i].tot_kib;
			rec.max_kib = infos[i].max_kib;
		}
		rec.vcpus = infos[i].vcpus_online;
		xlite_report_state_letters(&infos[i], rec.state);
		g_mutex_lock(&s->lock);
		h = g_hash_table_lookup(s->hists, GUINT_TO_POINTER(infos[i].domid));
		g_mutex_unlock(&s->lock);
		if (!h) {
			/* a domain being built has no name yet: next round */
			name = xlite_domain_name(&p.hv, infos[i].domid);
			if (!name)
				continue;
			h = g_new0(struct hist, 1);
			h->domid = infos[i].domid;
			h->name = g_steal_pointer(&name);
			fresh = true;
			g_mutex_lock(&s->lock);
			g_hash_table_insert(s->hists, GUINT_TO_POINTER(h->domid), h);
			g_mutex_unlock(&s->lock);
		}
		g_mutex_lock(&s->lock);
		cpu_used += store_dom(s, h, &infos[i], &io, &rec, mono, fresh);
		g_mutex_unlock(&s->lock);
		xlite_json_begin_object(b);
		xlite_json_member_str(b, "name", h->name);
		xlite_json_member_int(b, "domid", h->domid);
		xlited_dom_sample_json(b, &rec);
		xlite_json_end_object(b);
	}
	xlite_json_end_array(b);
	host.t_ms = t_ms;
	host.nr_cpus = pi.nr_cpus;
	host.domains = (unsigned int)n;
	host.total_kib = pi.total_pages * 4;
	host.free_kib = pi.free_pages * 4;
	g_mutex_lock(&s->lock);
	/* gone domains take their history with them */
	g_hash_table_iter_init(&it, s->hists);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct hist *h = v;

		if (h->seen)
			continue;
		if (h->have_ring)
			s->with_ring--;
		g_hash_table_iter_remove(&it);
	}
	/* what the domains there in both rounds used: one that came or went
	 * between them counts from its second round */
	host.cpu_pct = s->host_mono_us && pi.nr_cpus
		? xlite_cpu_pct(0, cpu_used, (double)(mono - s->host_mono_us) / 1e6) / pi.nr_cpus
		: -1;
	s->host_mono_us = mono;
	xlited_ring_push(&s->host, &host);
	g_mutex_unlock(&s->lock);
	xlite_json_set_member_name(b, "host");
	xlite_json_begin_object(b);
	xlited_host_sample_json(b, &host);
	xlite_json_end_object(b);
	xlite_json_end_object(b);
	g_free(infos);
	xlited_prefetch_dispose(&p);
	job = g_new0(struct sse_job, 1);
	job->d = s->d;
	job->json = g_strchomp(xlite_json_to_string(b, false));
	g_main_context_invoke(NULL, on_sample_event, job);
}

static gpointer sampler_main(gpointer data)
{
	struct xlited_sampler *s = data;
	struct xlite_hv hv = { 0 };
	bool open = false;

	g_mutex_lock(&s->lock);
	while (!s->stop) {
		gint64 next = g_get_monotonic_time() + (gint64)s->interval_s * G_USEC_PER_SEC;

		g_mutex_unlock(&s->lock);
		if (!open && xlite_hv_xen_open(&hv, 0) < 0) {
			g_message("sampler: %s", xlite_hv_error(&hv));
			xlite_hv_dispose(&hv);
		} else {
			open = true;
			round_once(s, &hv);
		}
		g_mutex_lock(&s->lock);
		while (!s->stop && g_cond_wait_until(&s->wake, &s->lock, next))
			;
	}
	g_mutex_unlock(&s->lock);
	if (open)
		xlite_hv_dispose(&hv);
	return NULL;
}

int xlited_sampler_start(struct xlited *d, unsigned int interval_s, char **err)
{
	struct xlited_sampler *s = g_new0(struct xlited_sampler, 1);
	GError *gerr = NULL;

	s->d = d;
	s->interval_s = interval_s ? interval_s : 1;
	g_mutex_init(&s->lock);
	g_cond_init(&s->wake);
	s->hists = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, hist_free);
	xlited_ring_init(&s->host, sizeof(struct xlited_host_sample),
			 xlited_history_len(s->interval_s));
	d->sampler = s;
	g_message("sampling every %u s; history %u s, %zu records a domain, at most %zu KiB "
		  "(%d domains)", s->interval_s, XLITED_HISTORY_S,
		  xlited_history_len(s->interval_s), xlited_history_bytes(s->interval_s) / 1024,
		  XLITED_HISTORY_MAX_DOMS);
	s->thread = g_thread_try_new("xlited-sampler", sampler_main, s, &gerr);
	if (!s->thread) {
		int rc = xlite_fail(err, -EAGAIN, "sampler thread: %s", gerr->message);

		g_error_free(gerr);
		return rc;
	}
	return 0;
}

void xlited_sampler_stop(struct xlited *d)
{
	struct xlited_sampler *s = d->sampler;

	if (!s)
		return;
	if (s->thread) {
		g_mutex_lock(&s->lock);
		s->stop = true;
		g_cond_signal(&s->wake);
		g_mutex_unlock(&s->lock);
		g_thread_join(s->thread);
	}
	d->sampler = NULL;
	g_hash_table_unref(s->hists);
	xlited_ring_dispose(&s->host);
	g_cond_clear(&s->wake);
	g_mutex_clear(&s->lock);
	g_free(s);
}

int xlited_history_host(struct xlited *d, int64_t since_ms, char **json)
{
	struct xlited_sampler *s = d->sampler;
	g_autoptr(XliteJson) b = xlite_json_new();
	size_t i;

	if (!s)
		return -EAGAIN;
	xlite_json_begin_array(b);
	g_mutex_lock(&s->lock);
	for (i = 0; i < s->host.len; i++) {
		const struct xlited_host_sample *h = xlited_ring_at(&s->host, i);

		if (h->t_ms <= since_ms)
			continue;
		xlite_json_begin_object(b);
		xlited_host_sample_json(b, h);
		xlite_json_end_object(b);
	}
	g_mutex_unlock(&s->lock);
	xlite_json_end_array(b);
	*json = xlite_json_to_string(b, false);
	return 0;
}

int xlited_history_domain(struct xlited *d, const char *spec, int64_t since_ms, char **json)
{
	struct xlited_sampler *s = d->sampler;
	g_autoptr(XliteJson) b = xlite_json_new();
	const struct hist *found = NULL;
	GHashTableIter it;
	gpointer k, v;
	guint64 id;
	bool by_id;
	size_t i;

	if (!s)
		return -EAGAIN;
	by_id = g_ascii_string_to_unsigned(spec, 10, 0, G_MAXUINT32, &id, NULL);
	g_mutex_lock(&s->lock);
	g_hash_table_iter_init(&it, s->hists);
	while (!found && g_hash_table_iter_next(&it, &k, &v)) {
		const struct hist *h = v;

		if (strcmp(h->name, spec) == 0 || (by_id && h->domid == id))
			found = h;
	}
	if (!found || !found->have_ring) {
		g_mutex_unlock(&s->lock);
		return -ESRCH;
	}
	xlite_json_begin_array(b);
	for (i = 0; i < found->ring.len; i++) {
		const struct xlited_dom_sample *r = xlited_ring_at(&found->ring, i);

		if (r->t_ms <= since_ms)
			continue;
		xlite_json_begin_object(b);
		xlited_dom_sample_json(b, r);
		xlite_json_end_object(b);
	}
	g_mutex_unlock(&s->lock);
	xlite_json_end_array(b);
	*json = xlite_json_to_string(b, false);
	return 0;
}
