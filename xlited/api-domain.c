/* POST /api/v1/domains: domain XML in the body, as `xlite create FILE`
 * (parse, plan, check the files it names, the kernel cache, admission,
 * apply); ?dry_run=1 answers the plan as `create -n --json` prints it.
 * The new domain's on_poweroff/on_reboot/on_crash are carried out by a
 * monitor thread of the daemon, as the CLI's monitor process does. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/kcache.h"
#include "libtool/apply/monitor.h"
#include "libtool/memory/conf.h"
#include "libtool/parse/config.h"
#include "libtool/plan/plan.h"
#include "libtool/util/hostconf.h"
#include "libtool/util/json.h"
#include "xlited/xlited.h"

/* What a body's parse errors and warnings are called: "body:LINE: ...". */
#define BODY_NAME "body"

/* A domain created here and the thread that watches it. */
struct monitor_job {
	struct xlited *d;
	struct xlite_plan plan;
	struct xlite_memconf memconf;
	struct xlite_apply_opts opts;
	uint32_t domid;
	GPtrArray *loops;
	GThread *thread;
};

static void monitor_log(const char *msg, void *opaque)
{
	struct monitor_job *j = opaque;

	g_message("monitor of '%s' (id %u): %s", j->plan.name, j->domid, msg);
}

static gpointer monitor_main(gpointer data)
{
	struct monitor_job *j = data;
	struct xlite_hv hv = { 0 };
	struct xlite_monitor m;
	int rc;

	if (xlite_hv_xen_open(&hv, 0) < 0) {
		monitor_log(xlite_hv_error(&hv), j);
		goto out;
	}
	xlite_monitor_init(&m, &hv, &j->plan, &j->opts, j->domid, j->loops);
	m.log = monitor_log;
	m.log_opaque = j;
	monitor_log("watching", j);
	do {
		rc = xlite_monitor_step(&m);
		if (rc > 0 && !g_atomic_int_get(&j->d->stopping))
			hv.ops->wait_release(&hv, 1000);
	} while (rc > 0 && !g_atomic_int_get(&j->d->stopping));
	xlite_monitor_dispose(&m);
out:
	xlite_hv_dispose(&hv);
	return NULL;
}

static void monitor_job_free(gpointer data)
{
	struct monitor_job *j = data;

	if (j->thread)
		g_thread_join(j->thread);
	xlite_plan_dispose(&j->plan);
	if (j->loops)
		g_ptr_array_unref(j->loops);
	g_free(j);
}

void xlited_monitors_join(struct xlited *d)
{
	g_mutex_lock(&d->monitors_lock);
	if (d->monitors)
		g_ptr_array_free(d->monitors, TRUE);
	d->monitors = NULL;
	g_mutex_unlock(&d->monitors_lock);
}

static void start_monitor(struct xlited *d, struct xlite_plan *plan,
			  const struct xlite_memconf *mc, const struct xlite_apply_opts *opts,
			  const struct xlite_apply_result *res)
{
	struct monitor_job *j = g_new0(struct monitor_job, 1);
	guint i;

	j->d = d;
	j->plan = *plan;		/* the job owns the plan now */
	xlite_plan_init(plan);
	j->memconf = *mc;
	j->opts = *opts;
	j->opts.memconf = &j->memconf;
	j->domid = res->domid;
	j->loops = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; res->loops && i < res->loops->len; i++)
		g_ptr_array_add(j->loops, g_strdup(res->loops->pdata[i]));
	j->thread = g_thread_new("xlited-monitor", monitor_main, j);
	g_mutex_lock(&d->monitors_lock);
	if (!d->monitors)
		d->monitors = g_ptr_array_new_with_free_func(monitor_job_free);
	g_ptr_array_add(d->monitors, j);
	g_mutex_unlock(&d->monitors_lock);
}

/* The kernel cache as xlite.conf bounds it (as `xlite create`). */
static void kernel_cache(struct xlited *d, struct xlite_apply_opts *opts)
{
	g_autofree char *why = NULL;

	opts->kcache_dir = xlite_kcache_choose(XLITE_KCACHE_DIR, d->conf.kcache_max, &why);
	opts->kcache_max = d->conf.kcache_max;
	if (why)
		g_message("not using the kernel cache: %s", why);
}

static void on_warning(const char *msg, void *opaque)
{
	g_ptr_array_add(opaque, g_strdup(msg));
}

static void reply_created(struct xlited_req *r, const struct xlite_plan *plan,
			  const struct xlite_apply_result *res, GPtrArray *warnings)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *doc = NULL;
	guint i;

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", plan->name);
	xlite_json_member_int(b, "domid", res->domid);
	xlite_json_member_str(b, "uuid", plan->uuid);
	xlite_json_member_bool(b, "kernel_cache_hit", res->kcache_hit);
	xlite_json_member_double(b, "ms", (double)(int64_t)(res->ms_total * 10 + 0.5) / 10);
	xlite_json_set_member_name(b, "warnings");
	xlite_json_begin_array(b);
	for (i = 0; i < warnings->len; i++)
		xlite_json_add_str(b, warnings->pdata[i]);
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	doc = xlite_json_to_string(b, true);
	xlited_reply(r, 201, "application/json", doc);
}

void xlited_api_create(struct xlited_req *r)
{
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_hv hv = { 0 };
	struct xlite_apply_opts opts = { 0 };
	struct xlite_memconf mc;
	struct xlite_apply_result res;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *err = NULL, *out = NULL;
	int rc;

	xlite_config_init(&cfg);
	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	xlite_memconf_init(&mc);
	if (r->body->len == 0) {
		xlited_reply_error(r, 400, "no domain XML in the body");
		goto out;
	}
	if (xlite_config_parse_memory(&cfg, (const char *)r->body->data, r->body->len,
				      BODY_NAME, on_warning, warnings, &err) < 0 ||
	    xlite_plan_build(&plan, &cfg, &err) < 0) {
		xlited_reply_error(r, 400, "%s", err);
		goto out;
	}
	if (r->dry_run) {
		out = xlite_plan_to_json(&plan);
		if (out)
			xlited_reply(r, 200, "application/json", out);
		else
			xlited_reply_error(r, 500, "out of memory");
		goto out;
	}
	rc = xlite_config_check_files(&cfg, &err);
	if (rc < 0) {
		xlited_reply_error(r, 400, "%s", err);
		goto out;
	}
	rc = xlite_memconf_load(&mc, r->d->conf_file, &err);
	if (rc < 0) {
		xlited_reply_error(r, 500, "%s", err);
		goto out;
	}
	kernel_cache(r->d, &opts);
	opts.memconf = &mc;
	if (xlited_api_hv_open(r, &hv, 0) < 0)
		goto out;
	rc = xlite_apply(&hv, &plan, &opts, &res, &err);
	if (rc < 0) {
		/* A missing bridge or file is the request's, not a missing resource. */
		xlited_reply_error(r, rc == -ENOENT ? 409 : xlited_status_of(rc),
				   "cannot create domain '%s': %s", plan.name, err);
		goto out;
	}
	g_message("created domain '%s' (id %u)", plan.name, res.domid);
	reply_created(r, &plan, &res, warnings);
	start_monitor(r->d, &plan, &mc, &opts, &res);
out:
	xlite_hv_dispose(&hv);
	xlite_apply_result_dispose(&res);
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}
