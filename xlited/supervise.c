/* The supervisor: xlited carries out on_poweroff, on_reboot and on_crash
 * of every domain xlite made, in place of the CLI's per-domain monitor
 * processes (libtool/apply/monitor.h: one struct xlite_monitor per
 * domain, stepped here). A thread of its own, with its own hypervisor
 * handles, because an action (a restart is a create) takes seconds; the
 * loop's @releaseDomain watch (events.c) wakes it, and it looks every
 * few seconds anyway.
 *
 * Adoption: each domain it has not seen is adopted under its name lock
 * (so never during a create, a destroy or another monitor's action):
 * described as it runs (libtool/save: what a restart makes again), then
 * marked (/local/domain/D/xlite/supervisor), after which a CLI monitor of
 * it stops at its next look. A domain another toolstack made (xl's: no
 * xlite record) is left to that toolstack's own monitor. Nothing is kept
 * on disk: a restarted daemon adopts every running domain again, and one
 * that shut down meanwhile has its action carried out then.
 *
 * At its start it also creates each defined domain marked autostart that
 * does not run. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/defined.h"
#include "libtool/apply/domain.h"
#include "libtool/apply/kcache.h"
#include "libtool/apply/monitor.h"
#include "libtool/memory/conf.h"
#include "libtool/parse/config.h"
#include "libtool/plan/plan.h"
#include "libtool/save/save.h"
#include "libtool/util/json.h"
#include "xlited/www.h"
#include "xlited/xlited.h"

/* How often the supervisor looks without a watch event, ms. */
#define SUPERVISE_POLL_MS 5000

/* One domain the supervisor knows. */
struct supervised {
	struct xlited_super *s;
	char *name;
	struct xlite_plan plan;
	struct xlite_monitor m;
	bool watching;		/* m is set up and stepped */
	bool done;		/* left alone until its id goes (not ours, preserved) */
};

struct xlited_super {
	struct xlited *d;
	GThread *thread;
	GMutex lock;
	GCond cond;
	bool wake;
	struct xlite_hv hv;
	struct xlite_memconf memconf;
	struct xlite_apply_opts opts;
	GHashTable *doms;	/* domid -> struct supervised *, the thread's only */
};

static void supervised_free(gpointer p)
{
	struct supervised *e = p;

	if (e->watching)
		xlite_monitor_dispose(&e->m);
	xlite_plan_dispose(&e->plan);
	g_free(e->name);
	g_free(e);
}

/* Said in xlited's log and in the domain's own (xlite-NAME.log, where
 * the CLI's monitor writes when no xlited runs), so that the web
 * console's troubleshooting view has every action for the domain. */
static void on_monitor_log(const char *msg, void *opaque)
{
	struct supervised *e = opaque;
	g_autofree char *path = NULL;
	g_autofree char *err = NULL;
	g_autofree char *line = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *ts = g_date_time_format(now, "%F %T");
	int fd;

	g_message("monitor of '%s' (id %u): %s", e->name, e->m.domid, msg);
	if (!e->name || !e->name[0] || strchr(e->name, '/') || e->name[0] == '.')
		return;
	path = g_strdup_printf("%s/xlite-%s.log", XLITED_CONSOLE_DIR, e->name);
	fd = xlite_monitor_log_open(path, &err);
	if (fd < 0) {
		g_message("%s", err);
		return;
	}
	line = g_strdup_printf("%s xlited[%d]: %s\n", ts, (int)getpid(), msg);
	if (write(fd, line, strlen(line)) < 0)
		g_message("%s: %s", path, g_strerror(errno));
	close(fd);
}

/* An SSE event of the supervisor's: {"type": "action", ...}. */
static void post_action(struct xlited_super *s, const char *name, uint32_t domid,
			const char *action, int64_t new_domid)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "type", "action");
	xlite_json_member_str(b, "name", name);
	xlite_json_member_int(b, "domid", domid);
	xlite_json_member_str(b, "action", action);
	if (new_domid >= 0)
		xlite_json_member_int(b, "new_domid", new_domid);
	xlite_json_end_object(b);
	xlited_events_post(s->d, g_strchomp(xlite_json_to_string(b, false)));
}

/* Adopts DOMID (named NAME) under its name lock. Returns the entry, or
 * NULL when it is to be looked at again later (gone meanwhile, no name
 * yet). */
static struct supervised *adopt(struct xlited_super *s, uint32_t domid, const char *name)
{
	struct supervised *e = g_new0(struct supervised, 1);
	g_autoptr(GPtrArray) loops = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *err = NULL;
	g_autofree char *msg = NULL;
	struct xlite_dominfo info;
	int fd = -1, rc;

	e->s = s;
	e->name = g_strdup(name);
	xlite_plan_init(&e->plan);
	rc = xlite_name_lock(XLITE_LOCK_DIR, name, &fd, &err);
	if (rc < 0) {
		g_warning("cannot adopt domain '%s' (id %u): %s", name, domid, err);
		e->done = true;
		goto out;
	}
	/* Under the lock: a create rolled back or a monitor's restart took
	 * the domain away meanwhile. */
	if (s->hv.ops->domain_info(&s->hv, domid, &info) < 0 || info.dying) {
		supervised_free(e);
		e = NULL;
		goto out;
	}
	rc = xlite_domain_adopt(&s->hv, domid, s->d->conf.grub_image, &e->plan, loops, &err);
	if (rc == -ENOTSUP) {
		g_message("domain '%s' (id %u) is not xlite's: its actions are left to its own "
			  "toolstack", name, domid);
		e->done = true;
		goto out;
	}
	if (rc < 0) {
		g_warning("cannot adopt domain '%s' (id %u): %s", name, domid, err);
		e->done = true;
		goto out;
	}
	if (xlite_monitor_mark_adopted(&s->hv, domid) < 0)
		g_warning("domain '%s' (id %u): cannot mark it adopted: %s", name, domid,
			  xlite_hv_error(&s->hv));
	xlite_monitor_init(&e->m, &s->hv, &e->plan, &s->opts, domid, loops);
	e->m.log = on_monitor_log;
	e->m.log_opaque = e;
	e->watching = true;
	msg = g_strdup_printf("adopted (on_poweroff %s, on_reboot %s, on_crash %s)",
			      xlite_action_name(e->plan.on_poweroff),
			      xlite_action_name(e->plan.on_reboot),
			      xlite_action_name(e->plan.on_crash));
	on_monitor_log(msg, e);
	post_action(s, name, domid, "adopted", -1);
out:
	xlite_name_unlock(&fd);
	return e;
}

static bool listed(const struct xlite_dominfo *infos, size_t n, uint32_t domid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (infos[i].domid == domid)
			return true;
	return false;
}

/* One look at every domain: adopt the new ones, step the watched ones. */
static void supervise_round(struct xlited_super *s)
{
	struct xlite_dominfo *infos = NULL;
	g_autoptr(GList) keys = NULL;
	size_t n = 0, i;
	GList *l;

	if (s->hv.ops->domain_list(&s->hv, &infos, &n) < 0) {
		g_message("supervisor: %s", xlite_hv_error(&s->hv));
		return;
	}
	for (i = 0; i < n && !g_atomic_int_get(&s->d->stopping); i++) {
		g_autofree char *name = NULL;
		struct supervised *e;

		if (infos[i].domid == 0 || infos[i].dying ||
		    g_hash_table_contains(s->doms, GUINT_TO_POINTER(infos[i].domid)))
			continue;
		name = xlite_domain_name(&s->hv, infos[i].domid);
		if (!name)	/* being built: its name comes with its nodes */
			continue;
		e = adopt(s, infos[i].domid, name);
		if (e)
			g_hash_table_insert(s->doms, GUINT_TO_POINTER(infos[i].domid), e);
	}
	keys = g_hash_table_get_keys(s->doms);
	for (l = keys; l && !g_atomic_int_get(&s->d->stopping); l = l->next) {
		struct supervised *e = g_hash_table_lookup(s->doms, l->data);
		uint32_t was = GPOINTER_TO_UINT(l->data);
		struct xlite_dominfo info;
		int rc;

		if (e->done) {
			if (!listed(infos, n, was))
				g_hash_table_remove(s->doms, l->data);
			continue;
		}
		rc = xlite_monitor_step(&e->m);
		if (e->m.domid != was) {	/* restarted: the new one is this entry */
			g_hash_table_steal(s->doms, l->data);
			if (xlite_monitor_mark_adopted(&s->hv, e->m.domid) < 0)
				g_warning("domain '%s' (id %u): cannot mark it adopted: %s",
					  e->name, e->m.domid, xlite_hv_error(&s->hv));
			g_hash_table_insert(s->doms, GUINT_TO_POINTER(e->m.domid), e);
			post_action(s, e->name, was, "restart", e->m.domid);
		}
		if (rc > 0)
			continue;
		if (s->hv.ops->domain_info(&s->hv, e->m.domid, &info) == 0 && !info.dying) {
			e->done = true;	/* preserved: left as it is */
			post_action(s, e->name, e->m.domid, "preserve", -1);
		} else {
			post_action(s, e->name, e->m.domid, rc < 0 ? "failed" : "gone", -1);
			g_hash_table_remove(s->doms, GUINT_TO_POINTER(e->m.domid));
		}
	}
	g_free(infos);
}

/* Defined domains marked autostart that do not run: created now. */
static void autostart(struct xlited_super *s)
{
	g_autofree char *dir = xlited_defined_dir(s->d);
	g_autoptr(GPtrArray) defs = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	char *err = NULL;
	guint i;

	if (xlite_defined_list(dir, &defs, warnings, &err) < 0) {
		g_warning("autostart: %s", err);
		g_free(err);
		return;
	}
	for (i = 0; i < warnings->len; i++)
		g_warning("autostart: a definition is skipped: %s", (char *)warnings->pdata[i]);
	for (i = 0; i < defs->len && !g_atomic_int_get(&s->d->stopping); i++) {
		const struct xlite_defined *def = defs->pdata[i];
		g_autofree char *xml = NULL, *source = NULL, *e = NULL;
		struct xlite_plan plan;
		struct xlite_apply_result res;
		unsigned int status;
		uint32_t domid;
		size_t len = 0;

		if (!def->autostart || xlite_domain_find(&s->hv, def->name, &domid) == 0)
			continue;
		if (xlite_defined_read(dir, def->name, &xml, &len, &e) < 0) {
			g_warning("autostart of '%s': %s", def->name, e);
			continue;
		}
		source = g_strdup_printf("%s/%s.xml", dir, def->name);
		xlite_plan_init(&plan);
		xlite_apply_result_init(&res);
		if (xlited_create_xml(s->d, xml, len, source, NULL, &plan, &res, &status, &e) < 0)
			g_warning("autostart of '%s': %s", def->name, e);
		else
			post_action(s, def->name, res.domid, "autostart", -1);
		xlite_apply_result_dispose(&res);
		xlite_plan_dispose(&plan);
	}
}

static gpointer supervise_main(gpointer data)
{
	struct xlited_super *s = data;

	supervise_round(s);	/* adopt what runs before starting more */
	autostart(s);
	while (!g_atomic_int_get(&s->d->stopping)) {
		gint64 until = g_get_monotonic_time() + SUPERVISE_POLL_MS * G_TIME_SPAN_MILLISECOND;

		supervise_round(s);
		g_mutex_lock(&s->lock);
		while (!s->wake && !g_atomic_int_get(&s->d->stopping))
			if (!g_cond_wait_until(&s->cond, &s->lock, until))
				break;
		s->wake = false;
		g_mutex_unlock(&s->lock);
	}
	return NULL;
}

int xlited_supervise_start(struct xlited *d, char **err)
{
	struct xlited_super *s = g_new0(struct xlited_super, 1);
	g_autofree char *why = NULL;
	int rc;

	s->d = d;
	g_mutex_init(&s->lock);
	g_cond_init(&s->cond);
	s->doms = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, supervised_free);
	xlite_memconf_init(&s->memconf);
	d->super = s;
	rc = xlite_memconf_load(&s->memconf, d->conf_file, err);
	if (rc < 0)
		return rc;
	rc = xlite_hv_xen_open(&s->hv, 0);
	if (rc < 0) {
		*err = g_strdup_printf("supervisor: %s", xlite_hv_error(&s->hv));
		return rc;
	}
	/* Restarts are creates: the same settings as `xlite create`. */
	s->opts.memconf = &s->memconf;
	s->opts.kcache_dir = xlite_kcache_choose(XLITE_KCACHE_DIR, d->conf.kcache_max, &why);
	s->opts.kcache_max = d->conf.kcache_max;
	s->opts.boot_timeout_ms = (int)d->conf.boot_timeout * 1000;
	s->thread = g_thread_new("xlited-supervisor", supervise_main, s);
	return 0;
}

void xlited_supervise_wake(struct xlited *d)
{
	struct xlited_super *s = d->super;

	if (!s)
		return;
	g_mutex_lock(&s->lock);
	s->wake = true;
	g_cond_signal(&s->cond);
	g_mutex_unlock(&s->lock);
}

void xlited_supervise_stop(struct xlited *d)
{
	struct xlited_super *s = d->super;

	if (!s)
		return;
	g_atomic_int_set(&d->stopping, 1);
	xlited_supervise_wake(d);
	if (s->thread)
		g_thread_join(s->thread);
	g_hash_table_unref(s->doms);
	xlite_hv_dispose(&s->hv);
	g_mutex_clear(&s->lock);
	g_cond_clear(&s->cond);
	g_free(s);
	d->super = NULL;
}
