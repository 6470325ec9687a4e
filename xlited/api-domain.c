/* POST /api/v1/domains: domain XML in the body, as `xlite create FILE`
 * (parse, plan, check the files it names, the kernel cache, admission,
 * apply); ?dry_run=1 answers the plan as `create -n --json` prints it.
 * The new domain's on_poweroff/on_reboot/on_crash are carried out by the
 * daemon's supervisor (supervise.c), which adopts it as it comes. The
 * same create serves POST .../NAME/start (api-defined.c) and the
 * autostart of defined domains. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/kcache.h"
#include "libtool/memory/conf.h"
#include "libtool/parse/config.h"
#include "libtool/plan/plan.h"
#include "libtool/util/hostconf.h"
#include "libtool/util/json.h"
#include "xlited/xlited.h"

/* What a body's parse errors and warnings are called: "body:LINE: ...". */
#define BODY_NAME "body"

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
	if (opaque)
		g_ptr_array_add(opaque, g_strdup(msg));
	else
		g_message("%s", msg);
}

void xlited_reply_warnings(struct xlited_req *r, unsigned int status, XliteJson *b,
			   GPtrArray *warnings)
{
	g_autofree char *doc = NULL;
	guint i;

	xlite_json_set_member_name(b, "warnings");
	xlite_json_begin_array(b);
	for (i = 0; warnings && i < warnings->len; i++)
		xlite_json_add_str(b, warnings->pdata[i]);
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	doc = xlite_json_to_string(b, true);
	xlited_reply(r, status, "application/json", doc);
}

static void reply_created(struct xlited_req *r, const struct xlite_plan *plan,
			  const struct xlite_apply_result *res, GPtrArray *warnings)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", plan->name);
	xlite_json_member_int(b, "domid", res->domid);
	xlite_json_member_str(b, "uuid", plan->uuid);
	xlite_json_member_bool(b, "kernel_cache_hit", res->kcache_hit);
	xlite_json_member_double(b, "ms", (double)(int64_t)(res->ms_total * 10 + 0.5) / 10);
	xlited_reply_warnings(r, 201, b, warnings);
}

int xlited_create_xml(struct xlited *d, const char *xml, size_t len, const char *source,
		      GPtrArray *warnings, struct xlite_plan *plan, struct xlite_apply_result *res,
		      unsigned int *status, char **err)
{
	struct xlite_config cfg;
	struct xlite_hv hv = { 0 };
	struct xlite_apply_opts opts = { 0 };
	struct xlite_memconf mc;
	g_autofree char *e = NULL;
	int rc;

	xlite_config_init(&cfg);
	xlite_memconf_init(&mc);
	*status = 400;
	rc = xlite_config_parse_memory(&cfg, xml, len, source, on_warning, warnings, err);
	if (rc == 0) {
		xlite_config_resolve_sources(&cfg, on_warning, warnings);
		rc = xlite_plan_build(plan, &cfg, err);
	}
	if (rc == 0) {
		xlite_plan_set_boot_image(plan, d->conf.grub_image);
		rc = xlite_config_check_files(&cfg, err);
	}
	if (rc < 0)
		goto out;
	*status = 500;
	rc = xlite_memconf_load(&mc, d->conf_file, err);
	if (rc < 0)
		goto out;
	kernel_cache(d, &opts);
	opts.memconf = &mc;
	opts.boot_timeout_ms = (int)d->conf.boot_timeout * 1000;
	rc = xlite_hv_xen_open(&hv, 0);
	if (rc < 0) {
		*status = 503;
		*err = g_strdup(xlite_hv_error(&hv));
		goto out;
	}
	rc = xlite_apply(&hv, plan, &opts, res, &e);
	if (rc < 0) {
		/* A missing bridge or file is the request's, not a missing resource. */
		*status = rc == -ENOENT ? 409 : xlited_status_of(rc);
		*err = g_strdup_printf("cannot create domain '%s': %s", plan->name, e);
		goto out;
	}
	*status = 201;
	g_message("created domain '%s' (id %u)", plan->name, res->domid);
out:
	xlite_hv_dispose(&hv);
	xlite_config_dispose(&cfg);
	return rc;
}

void xlited_api_create(struct xlited_req *r)
{
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_apply_result res;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *err = NULL, *out = NULL;
	unsigned int status;

	xlite_config_init(&cfg);
	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	if (r->body->len == 0) {
		xlited_reply_error(r, 400, "no domain XML in the body");
		goto out;
	}
	if (r->dry_run) {
		if (xlite_config_parse_memory(&cfg, (const char *)r->body->data, r->body->len,
					      BODY_NAME, on_warning, warnings, &err) < 0 ||
		    xlite_plan_build(&plan, &cfg, &err) < 0) {
			xlited_reply_error(r, 400, "%s", err);
			goto out;
		}
		out = xlite_plan_to_json(&plan);
		if (out)
			xlited_reply(r, 200, "application/json", out);
		else
			xlited_reply_error(r, 500, "out of memory");
		goto out;
	}
	if (xlited_create_xml(r->d, (const char *)r->body->data, r->body->len, BODY_NAME, warnings,
			      &plan, &res, &status, &err) < 0) {
		xlited_reply_error(r, status, "%s", err);
		goto out;
	}
	reply_created(r, &plan, &res, warnings);
	xlited_supervise_wake(r->d);
out:
	xlite_apply_result_dispose(&res);
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
}
