/* Defined domains through the API, on the same files as `xlite define`
 * (libtool/apply/defined.c):
 *   POST   /api/v1/domains/define           domain XML in the body
 *   DELETE /api/v1/domains/NAME/definition
 *   POST   /api/v1/domains/NAME/start
 *   PUT    /api/v1/domains/NAME/autostart    {"autostart": true|false} */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/defined.h"
#include "libtool/apply/domain.h"
#include "libtool/plan/plan.h"
#include "libtool/report/report.h"
#include "libtool/util/json.h"
#include "xlited/xlited.h"

char *xlited_defined_dir(struct xlited *d)
{
	return xlite_defined_dir(d->conf.state_dir);
}

static unsigned int status_of(int rc)
{
	return rc == -EINVAL ? 400 : rc == -ENOENT ? 404 : xlited_status_of(rc);
}

static void on_warning(const char *msg, void *opaque)
{
	g_ptr_array_add(opaque, g_strdup(msg));
}

static void reply_defined(struct xlited_req *r, unsigned int status,
			  const struct xlite_defined *def, GPtrArray *warnings)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", def->name);
	xlite_json_member_str(b, "uuid", def->uuid);
	xlite_json_member_bool(b, "autostart", def->autostart);
	xlited_reply_warnings(r, status, b, warnings);
}

void xlited_api_define(struct xlited_req *r)
{
	g_autofree char *dir = xlited_defined_dir(r->d), *err = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	struct xlite_defined def = { 0 };
	bool replaced = false;
	int rc;

	if (r->body->len == 0) {
		xlited_reply_error(r, 400, "no domain XML in the body");
		return;
	}
	rc = xlite_define(dir, (const char *)r->body->data, r->body->len, "body", on_warning,
			  warnings, &def, &replaced, &err);
	if (rc < 0) {
		xlited_reply_error(r, status_of(rc), "%s", err);
		return;
	}
	g_message("domain '%s' %s", def.name, replaced ? "redefined" : "defined");
	reply_defined(r, replaced ? 200 : 201, &def, warnings);
	g_free(def.name);
}

void xlited_api_undefine(struct xlited_req *r)
{
	g_autofree char *dir = xlited_defined_dir(r->d), *err = NULL, *doc = NULL;
	int rc = xlite_undefine(dir, r->arg, &err);

	if (rc < 0) {
		xlited_reply_error(r, status_of(rc), "%s", err);
		return;
	}
	g_message("domain '%s' undefined", r->arg);
	doc = g_strdup_printf("{\"name\": \"%s\", \"defined\": false}\n", r->arg);
	xlited_reply(r, 200, "application/json", doc);
}

void xlited_api_start(struct xlited_req *r)
{
	g_autofree char *dir = xlited_defined_dir(r->d), *err = NULL, *xml = NULL;
	g_autofree char *source = NULL, *doc = NULL;
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	struct xlite_plan plan;
	struct xlite_apply_result res;
	unsigned int status;
	size_t len = 0;
	int rc;

	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	rc = xlite_defined_read(dir, r->arg, &xml, &len, &err);
	if (rc < 0) {
		xlited_reply_error(r, status_of(rc), "%s", err);
		goto out;
	}
	source = g_strdup_printf("%s/%s.xml", dir, r->arg);
	if (xlited_create_xml(r->d, xml, len, source, warnings, &plan, &res, &status, &err) < 0) {
		xlited_reply_error(r, status, "%s", err);
		goto out;
	}
	doc = g_strdup_printf("{\"name\": \"%s\", \"domid\": %u, \"uuid\": \"%s\"}\n", plan.name,
			      res.domid, plan.uuid);
	xlited_reply(r, 201, "application/json", doc);
	xlited_supervise_wake(r->d);
out:
	xlite_apply_result_dispose(&res);
	xlite_plan_dispose(&plan);
}

void xlited_api_autostart(struct xlited_req *r)
{
	g_autofree char *dir = xlited_defined_dir(r->d), *err = NULL, *doc = NULL;
	g_autoptr(JsonParser) p = json_parser_new();
	JsonObject *o = xlited_body_object(r, p);
	JsonNode *n;
	bool on;
	int rc;

	if (!o)
		return;
	n = json_object_get_member(o, "autostart");
	if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN) {
		xlited_reply_error(r, 400, "expected {\"autostart\": true} or {\"autostart\": false}");
		return;
	}
	on = json_node_get_boolean(n);
	rc = xlite_defined_set_autostart(dir, r->arg, on, &err);
	if (rc < 0) {
		xlited_reply_error(r, status_of(rc), "%s", err);
		return;
	}
	g_message("domain '%s' %s", r->arg, on ? "marked autostart" : "no longer autostarted");
	doc = g_strdup_printf("{\"name\": \"%s\", \"autostart\": %s}\n", r->arg,
			      on ? "true" : "false");
	xlited_reply(r, 200, "application/json", doc);
}

void xlited_add_defined(struct xlited *d, struct xlite_hv *hv, struct xlite_json *b,
			const struct xlite_dominfo *doms, size_t n)
{
	g_autofree char *dir = xlited_defined_dir(d), *err = NULL;
	g_autoptr(GPtrArray) defs = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	size_t i;

	for (i = 0; i < n; i++) {
		char *name = xlite_domain_name(hv, doms[i].domid);

		if (name)
			g_ptr_array_add(names, name);
	}
	if (xlite_defined_list(dir, &defs, NULL, &err) < 0) {
		g_message("defined domains: %s", err);
		return;
	}
	for (i = 0; i < defs->len; i++) {
		const struct xlite_defined *def = defs->pdata[i];

		if (!g_ptr_array_find_with_equal_func(names, def->name, g_str_equal, NULL))
			xlite_report_defined_json(b, def);
	}
}
