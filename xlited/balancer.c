/* The memory balancer's loop in the daemon: what `xlite balance --watch`
 * does (the same pass, libtool/memory/pass.c, with the same settings:
 * xlite.conf's [memory] and its interval), when xlite.conf says
 * [balancer] enabled = true. A thread of its own (a pass reads every
 * guest and may wait for the memory lock). Each move is an SSE event
 * ("balance"), so is contention as it starts, changes and ends
 * ("contention"); /metrics counts the moves; GET /api/v1/balancer answers
 * the last pass's decisions, each with its reason, and the last passes
 * that moved memory. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "libtool/memory/conf.h"
#include "libtool/memory/pass.h"
#include "libtool/util/json.h"
#include "xlited/xlited.h"

/* Passes that moved memory kept for GET /api/v1/balancer. */
#define BALANCER_RECENT 20

struct xlited_balancer {
	struct xlited *d;
	GThread *thread;
	GMutex lock;		/* guards what follows, and wakes the thread */
	GCond cond;
	struct xlite_memconf mc;
	uint64_t passes, moves;
	char *last;		/* the last pass, a JSON object */
	GQueue recent;		/* of char *: passes that moved memory, newest first */
	/* contention as last published (events on a change only) */
	uint64_t short_mib;
	size_t n_short;
};

static void now_utc(char buf[32])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void decision_json(XliteJson *b, const struct xlite_bal_decision *dc)
{
	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", dc->name ? dc->name : "?");
	xlite_json_member_int(b, "domid", dc->domid);
	xlite_json_member_int(b, "from_kib", (int64_t)dc->dom.target);
	xlite_json_member_int(b, "to_kib", (int64_t)dc->out.target);
	xlite_json_member_int(b, "want_kib", (int64_t)dc->out.want);
	xlite_json_member_int(b, "min_kib", (int64_t)dc->dom.min);
	xlite_json_member_int(b, "max_kib", (int64_t)dc->dom.max);
	xlite_json_set_member_name(b, "demand_kib");
	if (dc->dom.has_demand)
		xlite_json_add_int(b, (int64_t)dc->dom.demand);
	else
		xlite_json_add_null(b);
	xlite_json_member_str(b, "reason", xlite_bal_reason_str(dc->out.reason));
	xlite_json_member_bool(b, "step_limited", dc->out.step_limited);
	xlite_json_member_bool(b, "short", dc->out.is_short);
	xlite_json_member_bool(b, "changed", dc->changed);
	if (dc->apply_err)
		xlite_json_member_str(b, "error", dc->apply_err);
	xlite_json_end_object(b);
}

static void summary_json(XliteJson *b, const struct xlite_bal_summary *s)
{
	xlite_json_member_int(b, "capacity_kib", (int64_t)s->capacity);
	xlite_json_member_int(b, "wanted_kib", (int64_t)s->wanted);
	xlite_json_member_int(b, "shortfall_kib", (int64_t)s->shortfall);
	xlite_json_member_int(b, "n_short", (int64_t)s->n_short);
}

/* The pass as one object; ONLY_CHANGED: only the moves. */
static char *pass_json(const struct xlite_bal_pass *p, const char *when, bool only_changed)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	size_t i;

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "time", when);
	summary_json(b, &p->sum);
	xlite_json_set_member_name(b, only_changed ? "moves" : "decisions");
	xlite_json_begin_array(b);
	for (i = 0; i < p->n; i++)
		if (!only_changed || p->decisions[i].changed)
			decision_json(b, &p->decisions[i]);
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	return g_strchomp(xlite_json_to_string(b, false));
}

static void post_move(struct xlited_balancer *bal, const struct xlite_bal_decision *dc)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "type", "balance");
	xlite_json_member_str(b, "name", dc->name ? dc->name : "?");
	xlite_json_member_int(b, "domid", dc->domid);
	xlite_json_member_int(b, "from_kib", (int64_t)dc->dom.target);
	xlite_json_member_int(b, "to_kib", (int64_t)dc->out.target);
	xlite_json_member_str(b, "reason", xlite_bal_reason_str(dc->out.reason));
	xlite_json_set_member_name(b, "demand_kib");
	if (dc->dom.has_demand)
		xlite_json_add_int(b, (int64_t)dc->dom.demand);
	else
		xlite_json_add_null(b);
	if (dc->apply_err)
		xlite_json_member_str(b, "error", dc->apply_err);
	xlite_json_end_object(b);
	xlited_events_post(bal->d, g_strchomp(xlite_json_to_string(b, false)));
}

/* Contention as it starts, changes (shortfall in MiB, guests short) and
 * ends: one event each. */
static void post_contention(struct xlited_balancer *bal, const struct xlite_bal_pass *p)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	uint64_t short_mib = p->sum.shortfall / 1024;
	const char *state;
	size_t i;

	if (short_mib == bal->short_mib && p->sum.n_short == bal->n_short)
		return;
	state = !bal->short_mib && !bal->n_short ? "started" : !short_mib && !p->sum.n_short ?
		"ended" : "changed";
	bal->short_mib = short_mib;
	bal->n_short = p->sum.n_short;
	xlite_json_begin_object(b);
	xlite_json_member_str(b, "type", "contention");
	xlite_json_member_str(b, "state", state);
	summary_json(b, &p->sum);
	xlite_json_set_member_name(b, "short");
	xlite_json_begin_array(b);
	for (i = 0; i < p->n; i++)
		if (p->decisions[i].out.is_short)
			xlite_json_add_str(b, p->decisions[i].name ? p->decisions[i].name : "?");
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	g_message("balancer: contention %s: %" PRIu64 " MiB short, %zu guests below their want",
		  state, short_mib, p->sum.n_short);
	xlited_events_post(bal->d, g_strchomp(xlite_json_to_string(b, false)));
}

static void publish(struct xlited_balancer *bal, const struct xlite_bal_pass *p)
{
	char when[32];
	size_t i, moves = 0;

	now_utc(when);
	for (i = 0; i < p->n; i++) {
		const struct xlite_bal_decision *dc = &p->decisions[i];

		if (!dc->changed)
			continue;
		moves += !dc->apply_err;
		g_message("balancer: %s: %" PRIu64 " -> %" PRIu64 " MiB (%s)%s%s",
			  dc->name ? dc->name : "?", dc->dom.target / 1024, dc->out.target / 1024,
			  xlite_bal_reason_str(dc->out.reason), dc->apply_err ? ": " : "",
			  dc->apply_err ? dc->apply_err : "");
		post_move(bal, dc);
	}
	post_contention(bal, p);
	g_mutex_lock(&bal->lock);
	bal->passes++;
	bal->moves += moves;
	g_free(bal->last);
	bal->last = pass_json(p, when, false);
	if (moves) {
		g_queue_push_head(&bal->recent, pass_json(p, when, true));
		while (g_queue_get_length(&bal->recent) > BALANCER_RECENT)
			g_free(g_queue_pop_tail(&bal->recent));
	}
	g_mutex_unlock(&bal->lock);
}

static gpointer balancer_main(gpointer data)
{
	struct xlited_balancer *bal = data;
	struct xlite_bal_history *hist = xlite_bal_history_new();
	struct xlite_hv hv = { 0 };

	if (xlite_hv_xen_open(&hv, 0) < 0) {
		g_warning("balancer: %s; it does not run", xlite_hv_error(&hv));
		goto out;
	}
	g_message("balancer: a pass every %u s", bal->mc.interval_s);
	while (!g_atomic_int_get(&bal->d->stopping)) {
		struct xlite_bal_pass p;
		g_autofree char *err = NULL;
		gint64 until;

		xlite_bal_pass_init(&p);
		if (xlite_bal_pass_run(&hv, &bal->mc, false, hist, NULL, &p, &err) < 0)
			g_message("balancer: %s", err);
		else
			publish(bal, &p);
		xlite_bal_pass_dispose(&p);
		until = g_get_monotonic_time() + (gint64)bal->mc.interval_s * G_TIME_SPAN_SECOND;
		g_mutex_lock(&bal->lock);
		while (!g_atomic_int_get(&bal->d->stopping))
			if (!g_cond_wait_until(&bal->cond, &bal->lock, until))
				break;
		g_mutex_unlock(&bal->lock);
	}
out:
	xlite_hv_dispose(&hv);
	xlite_bal_history_free(hist);
	return NULL;
}

int xlited_balancer_start(struct xlited *d, char **err)
{
	struct xlited_balancer *bal = g_new0(struct xlited_balancer, 1);
	int rc;

	bal->d = d;
	g_mutex_init(&bal->lock);
	g_cond_init(&bal->cond);
	g_queue_init(&bal->recent);
	xlite_memconf_init(&bal->mc);
	d->balancer = bal;
	rc = xlite_memconf_load(&bal->mc, d->conf_file, err);
	if (rc < 0)
		return rc;
	if (d->conf.balancer_enabled)
		bal->thread = g_thread_new("xlited-balancer", balancer_main, bal);
	return 0;
}

void xlited_balancer_stop(struct xlited *d)
{
	struct xlited_balancer *bal = d->balancer;

	if (!bal)
		return;
	g_atomic_int_set(&d->stopping, 1);
	g_mutex_lock(&bal->lock);
	g_cond_signal(&bal->cond);
	g_mutex_unlock(&bal->lock);
	if (bal->thread)
		g_thread_join(bal->thread);
	g_queue_clear_full(&bal->recent, g_free);
	g_free(bal->last);
	g_mutex_clear(&bal->lock);
	g_cond_clear(&bal->cond);
	g_free(bal);
	d->balancer = NULL;
}

uint64_t xlited_balancer_moves(struct xlited *d)
{
	struct xlited_balancer *bal = d->balancer;
	uint64_t n;

	if (!bal)
		return 0;
	g_mutex_lock(&bal->lock);
	n = bal->moves;
	g_mutex_unlock(&bal->lock);
	return n;
}

void xlited_api_balancer(struct xlited_req *r)
{
	struct xlited_balancer *bal = r->d->balancer;
	GString *out = g_string_new("");
	GList *l;

	if (!bal) {
		xlited_reply_error(r, 503, "the balancer is not set up");
		g_string_free(out, TRUE);
		return;
	}
	g_mutex_lock(&bal->lock);
	g_string_append_printf(out, "{\"enabled\": %s, \"interval_s\": %u, \"passes\": %" PRIu64
			       ", \"moves_total\": %" PRIu64 ",\n \"last_pass\": %s,\n \"recent\": [",
			       bal->thread ? "true" : "false", bal->mc.interval_s, bal->passes,
			       bal->moves, bal->last ? bal->last : "null");
	for (l = bal->recent.head; l; l = l->next)
		g_string_append_printf(out, "%s\n  %s", l == bal->recent.head ? "" : ",",
				       (char *)l->data);
	g_string_append(out, "]}\n");
	g_mutex_unlock(&bal->lock);
	xlited_reply(r, 200, "application/json", out->str);
	g_string_free(out, TRUE);
}
