/* /api/v1/events: domain state changes as Server-Sent Events. A watch on
 * @introduceDomain and @releaseDomain (libxsclient, as a GSource on the
 * loop) and a short timer (pause and unpause fire no watch) compare the
 * domains Xen lists with the last ones seen; each change is one event,
 * "data: {JSON}", sent to every client. A stream with nothing to send is
 * suspended until there is. */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <microhttpd.h>

#include "libtool/apply/domain.h"
#include "libtool/report/report.h"
#include "libtool/util/fail.h"
#include "libtool/util/json.h"
#include "xlited/xlited.h"

struct xlited_sse {
	struct xlited *d;
	struct MHD_Connection *conn;
	GString *pending;	/* not yet handed to libmicrohttpd */
	bool suspended;
};

void xlited_dom_free(void *p)
{
	struct xlited_dom *dom = p;

	g_free(dom->name);
	g_free(dom);
}

static const char *const reasons[] = { "poweroff", "reboot", "suspend", "crash", "watchdog",
				       "soft_reset" };

static char *event_json(const char *type, const struct xlited_dom *dom)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "type", type);
	xlite_json_member_str(b, "name", dom->name);
	xlite_json_member_int(b, "domid", dom->domid);
	xlite_json_member_str(b, "state", dom->state);
	if (dom->shutdown)
		xlite_json_member_str(b, "reason", dom->shutdown_reason < G_N_ELEMENTS(reasons)
				      ? reasons[dom->shutdown_reason] : "unknown");
	xlite_json_end_object(b);
	return g_strchomp(xlite_json_to_string(b, false));
}

static gint by_id(gconstpointer a, gconstpointer b)
{
	guint x = GPOINTER_TO_UINT(a), y = GPOINTER_TO_UINT(b);

	return x < y ? -1 : x > y;
}

void xlited_events_diff(GHashTable *old_doms, GHashTable *new_doms, GPtrArray *events)
{
	g_autoptr(GList) keys = g_hash_table_get_keys(new_doms);
	GHashTableIter it;
	gpointer k, v;
	GList *l;

	/* created, then changes, in ascending ids; destroyed after. */
	keys = g_list_sort(keys, by_id);
	for (l = keys; l; l = l->next) {
		const struct xlited_dom *now = g_hash_table_lookup(new_doms, l->data);
		const struct xlited_dom *was = g_hash_table_lookup(old_doms, l->data);

		if (!was) {
			g_ptr_array_add(events, event_json("created", now));
			continue;
		}
		if (now->shutdown && !was->shutdown)
			g_ptr_array_add(events, event_json("shutdown", now));
		if (now->state[2] == 'p' && was->state[2] != 'p')
			g_ptr_array_add(events, event_json("paused", now));
		if (now->state[2] != 'p' && was->state[2] == 'p')
			g_ptr_array_add(events, event_json("unpaused", now));
		if (now->state[5] == 'd' && was->state[5] != 'd')
			g_ptr_array_add(events, event_json("dying", now));
	}
	g_hash_table_iter_init(&it, old_doms);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (!g_hash_table_contains(new_doms, k))
			g_ptr_array_add(events, event_json("destroyed", v));
}

static void send_all(struct xlited *d, const char *chunk)
{
	guint i;

	for (i = 0; i < d->sse->len; i++) {
		struct xlited_sse *c = d->sse->pdata[i];

		g_string_append(c->pending, chunk);
		if (c->suspended) {
			c->suspended = false;
			MHD_resume_connection(c->conn);
		}
	}
	xlited_http_kick(d);
}

void xlited_events_send(struct xlited *d, const char *type, const char *data)
{
	g_autofree char *chunk = NULL;

	if (!d->sse)
		return;
	chunk = g_strdup_printf("event: %s\nid: %" G_GUINT64_FORMAT "\ndata: %s\n\n", type,
				++d->event_seq, data);
	send_all(d, chunk);
}

/* Xen's domains now, by id; NULL when Xen cannot say. */
static GHashTable *read_doms(struct xlited *d)
{
	GHashTable *t;
	struct xlite_dominfo *infos = NULL;
	size_t n = 0, i;

	if (d->hv.ops->domain_list(&d->hv, &infos, &n) < 0) {
		g_message("events: %s", xlite_hv_error(&d->hv));
		return NULL;
	}
	t = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, xlited_dom_free);
	for (i = 0; i < n; i++) {
		struct xlited_dom *dom = g_new0(struct xlited_dom, 1);
		const struct xlited_dom *known = g_hash_table_lookup(d->doms,
								     GUINT_TO_POINTER(infos[i].domid));

		dom->domid = infos[i].domid;
		/* A name is read once: xenstore round trips only for new ones. A
		 * domain being built has none yet (a toolstack writes it with
		 * the rest of its nodes, then introduces it): it is not there
		 * for the events until then. */
		dom->name = known ? g_strdup(known->name)
				  : xlite_domain_name(&d->hv, infos[i].domid);
		if (!dom->name) {
			xlited_dom_free(dom);
			continue;
		}
		xlite_report_state_letters(&infos[i], dom->state);
		dom->shutdown = infos[i].shutdown;
		dom->shutdown_reason = infos[i].shutdown_reason;
		g_hash_table_insert(t, GUINT_TO_POINTER(dom->domid), dom);
	}
	g_free(infos);
	return t;
}

struct xlited_event_log {
	GMutex lock;
	GQueue entries;		/* of char *: {"id", "time", "event"} */
};

struct xlited_event_log *xlited_event_log_new(void)
{
	struct xlited_event_log *log = g_new0(struct xlited_event_log, 1);

	g_mutex_init(&log->lock);
	g_queue_init(&log->entries);
	return log;
}

void xlited_event_log_free(struct xlited_event_log *log)
{
	if (!log)
		return;
	g_queue_clear_full(&log->entries, g_free);
	g_mutex_clear(&log->lock);
	g_free(log);
}

void xlited_event_log_add(struct xlited_event_log *log, uint64_t id, int64_t time_ms,
			  const char *json)
{
	/* JSON is one object xlite's writer made: it goes in as it is */
	char *entry = g_strdup_printf("{\"id\":%" G_GUINT64_FORMAT ",\"time\":%" G_GINT64_FORMAT
				      ",\"event\":%s}", id, time_ms, json);

	g_mutex_lock(&log->lock);
	g_queue_push_tail(&log->entries, entry);
	while (log->entries.length > XLITED_EVENT_LOG)
		g_free(g_queue_pop_head(&log->entries));
	g_mutex_unlock(&log->lock);
}

char *xlited_event_log_json(struct xlited_event_log *log)
{
	GString *out = g_string_new("[");
	GList *l;

	g_mutex_lock(&log->lock);
	for (l = log->entries.head; l; l = l->next)
		g_string_append_printf(out, "%s\n%s", l->prev ? "," : "", (const char *)l->data);
	g_mutex_unlock(&log->lock);
	g_string_append(out, "]\n");
	return g_string_free(out, FALSE);
}

/* One event to every client (on the loop), and into the history. */
static void emit(struct xlited *d, const char *json)
{
	g_autofree char *chunk = g_strdup_printf("id: %" G_GUINT64_FORMAT "\ndata: %s\n\n",
						 ++d->event_seq, json);

	g_message("event %s", json);
	if (d->event_log)
		xlited_event_log_add(d->event_log, d->event_seq, g_get_real_time() / 1000, json);
	send_all(d, chunk);
}

/* Takes the domains Xen lists now; with EVENTS_TOO, each change since the
 * last is an event (the first look at the host is none). */
static void refresh(struct xlited *d, bool events_too)
{
	g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func(g_free);
	GHashTable *now = read_doms(d);
	guint i;

	if (!now)
		return;
	xlited_events_diff(d->doms, now, events);
	g_hash_table_unref(d->doms);
	d->doms = now;
	for (i = 0; events_too && i < events->len; i++)
		emit(d, events->pdata[i]);
}

struct posted {
	struct xlited *d;
	char *json;
};

static gboolean on_posted(gpointer data)
{
	struct posted *p = data;

	if (p->d->sse)
		emit(p->d, p->json);
	return G_SOURCE_REMOVE;
}

static void posted_free(gpointer data)
{
	struct posted *p = data;

	g_free(p->json);
	g_free(p);
}

void xlited_events_post(struct xlited *d, char *json)
{
	struct posted *p = g_new0(struct posted, 1);

	p->d = d;
	p->json = json;
	g_idle_add_full(G_PRIORITY_DEFAULT, on_posted, p, posted_free);
}

/* The token of the watch on /local/domain (the node cache's). */
#define NODES_TOKEN "nodes"

static gboolean on_watch(struct xsc_ctx *ctx, const char *path, const char *token, void *opaque)
{
	struct xlited *d = opaque;
	uint32_t domid;

	if (!path) {
		g_warning("events: %s; domain changes are seen every %d ms only",
			  xsc_errmsg(ctx), XLITED_POLL_MS);
		d->watch_source = NULL;
		/* changes would go unseen: nothing is kept any more */
		if (d->nodecache)
			xlited_nodecache_disable(d->nodecache);
		return G_SOURCE_REMOVE;
	}
	if (strcmp(token, NODES_TOKEN) == 0) {
		if (d->nodecache && xlited_nodecache_path_domid(path, &domid))
			xlited_nodecache_invalidate(d->nodecache, domid);
		return G_SOURCE_CONTINUE;
	}
	refresh(d, true);
	xlited_supervise_wake(d);
	return G_SOURCE_CONTINUE;
}

static gboolean on_poll(gpointer data)
{
	refresh(data, true);
	return G_SOURCE_CONTINUE;
}

static gboolean on_ping(gpointer data)
{
	send_all(data, ": ping\n\n");
	return G_SOURCE_CONTINUE;
}

int xlited_events_start(struct xlited *d, char **err)
{
	int rc;

	d->sse = g_ptr_array_new();
	d->doms = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, xlited_dom_free);
	rc = xlite_hv_xen_open(&d->hv, 0);
	if (rc < 0)
		return xlite_fail(err, rc, "%s", xlite_hv_error(&d->hv));
	d->hv_open = true;
	refresh(d, false);	/* what is there now is no event */
	d->xs = (struct xsc_ctx)XSC_CTX_INIT;
	rc = xsc_open(&d->xs, 0);
	if (rc == 0)
		rc = xsc_watch(&d->xs, "@introduceDomain", "introduce", XSC_WATCH_SKIP_INITIAL);
	if (rc == 0)
		rc = xsc_watch(&d->xs, "@releaseDomain", "release", XSC_WATCH_SKIP_INITIAL);
	/* every change of a domain's nodes empties what is kept of them */
	if (rc == 0)
		rc = xsc_watch(&d->xs, "/local/domain", NODES_TOKEN, XSC_WATCH_SKIP_INITIAL);
	if (rc == 0)
		d->nodecache = xlited_nodecache_new();
	if (rc < 0)
		return xlite_fail(err, rc, "xenstore watch: %s", xsc_errmsg(&d->xs));
	d->watch_source = xsc_watch_source_new(&d->xs, on_watch, d, NULL);
	if (!d->watch_source)
		return xlite_fail(err, -EIO, "xenstore watch: %s", xsc_errmsg(&d->xs));
	g_source_attach(d->watch_source, NULL);
	d->poll_timer = g_timeout_add(XLITED_POLL_MS, on_poll, d);
	d->ping_timer = g_timeout_add_seconds(XLITED_SSE_PING_S, on_ping, d);
	return 0;
}

void xlited_events_stop(struct xlited *d)
{
	guint i;

	if (d->poll_timer)
		g_source_remove(d->poll_timer);
	if (d->ping_timer)
		g_source_remove(d->ping_timer);
	d->poll_timer = d->ping_timer = 0;
	if (d->watch_source) {
		g_source_destroy(d->watch_source);
		g_source_unref(d->watch_source);
		d->watch_source = NULL;
	}
	xsc_close(&d->xs);
	/* Streams end: libmicrohttpd must not hold suspended connections
	 * when it stops. */
	for (i = 0; d->sse && i < d->sse->len; i++) {
		struct xlited_sse *c = d->sse->pdata[i];

		if (c->suspended) {
			c->suspended = false;
			MHD_resume_connection(c->conn);
		}
	}
	if (d->doms)
		g_hash_table_unref(d->doms);
	d->doms = NULL;
	if (d->hv_open)
		xlite_hv_dispose(&d->hv);
	d->hv_open = false;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct xlited_sse *c = cls;
	size_t n;

	(void)pos;
	if (g_atomic_int_get(&c->d->stopping))
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (c->pending->len == 0) {
		c->suspended = true;
		MHD_suspend_connection(c->conn);
		return 0;
	}
	n = MIN(max, c->pending->len);
	memcpy(buf, c->pending->str, n);
	g_string_erase(c->pending, 0, (gssize)n);
	return (ssize_t)n;
}

static void sse_free(void *cls)
{
	struct xlited_sse *c = cls;

	if (c->d->sse)
		g_ptr_array_remove(c->d->sse, c);
	g_string_free(c->pending, TRUE);
	g_free(c);
}

int xlited_events_attach(struct xlited *d, struct MHD_Connection *conn)
{
	struct xlited_sse *c = g_new0(struct xlited_sse, 1);
	struct MHD_Response *resp;
	enum MHD_Result ret;

	c->d = d;
	c->conn = conn;
	/* The first line tells a client it is subscribed. */
	c->pending = g_string_new("retry: 3000\n: ready\n\n");
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, c, sse_free);
	if (!resp) {
		sse_free(c);
		return -ENOMEM;
	}
	g_ptr_array_add(d->sse, c);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return ret == MHD_YES ? 0 : -EIO;
}
