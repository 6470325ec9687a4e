/* The API's handlers for what is there: the host, the domains, their
 * lifecycle actions, memory and vCPUs. Each runs on a worker thread with
 * hypervisor handles of its own and calls the library as the CLI does
 * (libtool/report for what `xlite info/list --json` print). */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "libtool/parse/config.h"
#include "libtool/report/report.h"
#include "libtool/util/json.h"
#include "xlited/xlited.h"

int xlited_api_hv_open(struct xlited_req *r, struct xlite_hv *hv, unsigned int flags)
{
	int rc = xlite_hv_xen_open(hv, flags);

	if (rc < 0) {
		xlited_reply_error(r, 503, "%s", xlite_hv_error(hv));
		xlite_hv_dispose(hv);
	}
	return rc;
}

static void reply_json(struct xlited_req *r, unsigned int status, const XliteJson *b)
{
	g_autofree char *doc = xlite_json_to_string(b, true);

	xlited_reply(r, status, "application/json", doc);
}

int xlited_resolve(struct xlited_nodecache *cache, struct xlite_hv *hv, const char *spec,
		   uint32_t *domid, char **err)
{
	struct xlited_prefetch p;
	struct xlite_dominfo *infos = NULL;
	size_t n = 0;
	int rc;

	if (xlite_domid_parse(spec, domid))
		return xlite_domain_resolve(hv, spec, domid, err);
	/* A name: every domain's name in one round trip, not one each. */
	xlited_prefetch_init(&p, hv);
	p.cache = cache;
	if (xlited_prefetch_all(&p, true, &infos, &n) == 0)
		rc = xlite_domain_resolve(&p.hv, spec, domid, err);
	else
		rc = xlite_domain_resolve(hv, spec, domid, err);
	g_free(infos);
	xlited_prefetch_dispose(&p);
	return rc;
}

/* R's domain (the NAME or ID of the path), or a 404 reply and < 0. */
static int resolve(struct xlited_req *r, struct xlite_hv *hv, uint32_t *domid)
{
	g_autofree char *err = NULL;
	int rc = xlited_resolve(r->d->nodecache, hv, r->arg, domid, &err);

	if (rc < 0)
		xlited_reply_error(r, xlited_status_of(rc), "%s", err);
	return rc;
}

void xlited_api_host(struct xlited_req *r)
{
	struct xlite_hv hv = { 0 };
	g_autoptr(XliteJson) b = xlite_json_new();
	GString *text = g_string_new("");
	char *warn = NULL;

	if (xlited_api_hv_open(r, &hv, XLITE_HV_NO_XENSTORE) < 0)
		goto out;
	xlite_json_begin_object(b);
	if (xlite_report_host(&hv, text, b, &warn) < 0) {
		xlited_reply_error(r, 500, "%s", xlite_hv_error(&hv));
		goto out;
	}
	if (warn)
		g_message("GET /api/v1/host: %s", warn);
	xlite_json_end_object(b);
	reply_json(r, 200, b);
out:
	g_free(warn);
	g_string_free(text, TRUE);
	xlite_hv_dispose(&hv);
}

/* One domain's object of `xlite list --json`. */
static void add_domain(struct xlite_hv *hv, XliteJson *b, const struct xlite_dominfo *d)
{
	g_autofree char *name = xlite_domain_name(hv, d->domid);
	g_autofree char *merr = NULL;
	struct xlite_report_mem lm;
	bool have_mem = xlite_report_mem_read(hv, d->domid, &lm, &merr);

	if (merr)
		g_message("domain %u: %s", d->domid, merr);
	xlite_report_domain_json(b, d, name, have_mem ? &lm : NULL);
}

void xlited_api_domains(struct xlited_req *r)
{
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo *doms = NULL;
	g_autoptr(XliteJson) b = xlite_json_new();
	size_t n = 0, i;
	struct xlited_prefetch p;

	if (xlited_api_hv_open(r, &hv, 0) < 0)
		return;
	xlited_prefetch_init(&p, &hv);
	/* The nodes kept, the others in one round trip: not ~8 each */
	p.cache = r->d->nodecache;
	if (xlited_prefetch_all(&p, false, &doms, &n) < 0) {
		xlited_reply_error(r, 500, "%s", xlite_hv_error(&p.hv));
		goto out;
	}
	xlite_json_begin_array(b);
	for (i = 0; i < n; i++)
		add_domain(&p.hv, b, &doms[i]);
	xlited_add_defined(r->d, &p.hv, b, doms, n);
	xlite_json_end_array(b);
	reply_json(r, 200, b);
out:
	g_free(doms);
	xlited_prefetch_dispose(&p);
	xlite_hv_dispose(&hv);
}

/* Replies with domain DOMID's object (STATUS), or 404 when it is gone. */
static void reply_domain(struct xlited_req *r, struct xlite_hv *hv, uint32_t domid,
			 unsigned int status)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	struct xlite_dominfo info;
	int rc = hv->ops->domain_info(hv, domid, &info);
	struct xlited_prefetch p;

	if (rc < 0) {
		xlited_reply_error(r, xlited_status_of(rc), "domain '%s' does not exist", r->arg);
		return;
	}
	xlited_prefetch_init(&p, hv);
	xlited_prefetch_domains(&p, &info, 1, false);
	add_domain(&p.hv, b, &info);
	xlited_prefetch_dispose(&p);
	reply_json(r, status, b);
}

void xlited_api_domain(struct xlited_req *r)
{
	struct xlite_hv hv = { 0 };
	uint32_t domid;

	if (xlited_api_hv_open(r, &hv, 0) < 0)
		return;
	if (resolve(r, &hv, &domid) == 0)
		reply_domain(r, &hv, domid, 200);
	xlite_hv_dispose(&hv);
}

/* {"name": N, "domid": D, "action": A} */
static void reply_action(struct xlited_req *r, unsigned int status, uint32_t domid,
			 const char *action)
{
	g_autoptr(XliteJson) b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", r->arg);
	xlite_json_member_int(b, "domid", domid);
	xlite_json_member_str(b, "action", action);
	xlite_json_end_object(b);
	reply_json(r, status, b);
}

/* An action on a domain other than Domain-0: its id, or a reply. */
static int resolve_guest(struct xlited_req *r, struct xlite_hv *hv, const char *action,
			 uint32_t *domid)
{
	int rc = resolve(r, hv, domid);

	if (rc == 0 && *domid == 0) {
		xlited_reply_error(r, 403, "refusing to %s Domain-0", action);
		return -EPERM;
	}
	return rc;
}

/* shutdown and reboot write control/shutdown, as `xlite shutdown` (without
 * -w): 202, the domain's on_poweroff/on_reboot action follows. pause and
 * unpause: 200 and the domain's object. */
static const struct guest_action {
	const char *name;
	const char *shutdown;	/* control/shutdown's value, or NULL */
	bool pause;
} guest_actions[] = {
	{ "shutdown", "poweroff", false },
	{ "reboot", "reboot", false },
	{ "pause", NULL, true },
	{ "unpause", NULL, false },
};

static void act_on_guest(struct xlited_req *r, const struct guest_action *a)
{
	struct xlite_hv hv = { 0 };
	g_autofree char *err = NULL;
	uint32_t domid;
	int rc;

	if (xlited_api_hv_open(r, &hv, 0) < 0)
		return;
	if (resolve_guest(r, &hv, a->name, &domid) < 0)
		goto out;
	if (a->shutdown)
		rc = xlite_domain_shutdown_request(&hv, domid, a->shutdown, &err);
	else
		rc = (a->pause ? hv.ops->domain_pause : hv.ops->domain_unpause)(&hv, domid);
	if (rc < 0)
		xlited_reply_error(r, xlited_status_of(rc), "%s", err ? err : xlite_hv_error(&hv));
	else if (a->shutdown)
		reply_action(r, 202, domid, a->name);
	else
		reply_domain(r, &hv, domid, 200);
out:
	xlite_hv_dispose(&hv);
}

void xlited_api_shutdown(struct xlited_req *r)
{
	act_on_guest(r, &guest_actions[0]);
}

void xlited_api_reboot(struct xlited_req *r)
{
	act_on_guest(r, &guest_actions[1]);
}

void xlited_api_pause(struct xlited_req *r)
{
	act_on_guest(r, &guest_actions[2]);
}

void xlited_api_unpause(struct xlited_req *r)
{
	act_on_guest(r, &guest_actions[3]);
}

/* As `xlite destroy`, under the domain's name lock, taken before the
 * domain is looked up: of two destroys at once, the second finds it gone
 * (404) once the first is done. */
void xlited_api_destroy(struct xlited_req *r)
{
	struct xlite_hv hv = { 0 };
	g_autofree char *name = NULL, *err = NULL;
	uint32_t domid;
	int lock_fd = -1, rc;

	if (xlited_api_hv_open(r, &hv, 0) < 0)
		return;
	if (xlite_domid_parse(r->arg, &domid)) {
		if (resolve_guest(r, &hv, "destroy", &domid) < 0)
			goto out;
		name = xlite_domain_name(&hv, domid);
	} else {
		name = g_strdup(r->arg);
	}
	if (name && !xlite_name_invalid(name) &&
	    xlite_name_lock(XLITE_LOCK_DIR, name, &lock_fd, &err) < 0) {
		g_message("destroy %s: %s", r->arg, err);
		g_clear_pointer(&err, g_free);
	}
	if (resolve_guest(r, &hv, "destroy", &domid) < 0)
		goto out;
	rc = xlite_domain_destroy(&hv, domid, &err);
	if (rc < 0) {
		xlited_reply_error(r, xlited_status_of(rc), "%s", err);
		goto out;
	}
	g_message("destroyed domain '%s' (id %u)", r->arg, domid);
	reply_action(r, 200, domid, "destroy");
out:
	xlite_name_unlock(&lock_fd);
	xlite_hv_dispose(&hv);
}

/* The JSON object of R's body, or a 400 reply and NULL. */
JsonObject *xlited_body_object(struct xlited_req *r, JsonParser *p)
{
	g_autoptr(GError) gerr = NULL;
	JsonNode *root;

	if (!json_parser_load_from_data(p, (const char *)r->body->data, (gssize)r->body->len,
					&gerr)) {
		xlited_reply_error(r, 400, "the body is not JSON: %s", gerr->message);
		return NULL;
	}
	root = json_parser_get_root(p);
	if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
		xlited_reply_error(r, 400, "the body is not a JSON object");
		return NULL;
	}
	return json_node_get_object(root);
}

/* Member KEY of O as KiB: a whole number of KiB, or a size string as the
 * CLI takes it ("512m", "2g"; no unit: MiB). 1 with *kib, 0 when absent,
 * < 0 with a 400 reply. */
static int member_kib(struct xlited_req *r, JsonObject *o, const char *key, uint64_t *kib)
{
	JsonNode *n = json_object_get_member(o, key);

	if (!n)
		return 0;
	if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64 &&
	    json_node_get_int(n) > 0) {
		*kib = (uint64_t)json_node_get_int(n);
		return 1;
	}
	if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_STRING &&
	    xlite_mem_size_parse(json_node_get_string(n), kib) == 0)
		return 1;
	xlited_reply_error(r, 400, "\"%s\": expected KiB as a whole number above 0, or a size "
			   "such as \"512m\" (b, k, m, g or t; no unit: MiB)", key);
	return -EINVAL;
}

/* PUT memory {"target", "min", "max"}: each given one set as mem-set,
 * mem-min and mem-max set it, in the order that keeps min <= target <=
 * max at every step. The domain's object after. */
void xlited_api_memory(struct xlited_req *r)
{
	g_autoptr(JsonParser) p = json_parser_new();
	struct xlite_hv hv = { 0 };
	struct xlite_mem_dom cur;
	JsonObject *o = xlited_body_object(r, p);
	uint64_t target = 0, min = 0, max = 0;
	int has_t, has_min, has_max, rc;
	g_autofree char *err = NULL;
	uint32_t domid;
	const char *step = NULL;

	if (!o)
		return;
	has_t = member_kib(r, o, "target", &target);
	has_min = has_t < 0 ? -1 : member_kib(r, o, "min", &min);
	has_max = has_min < 0 ? -1 : member_kib(r, o, "max", &max);
	if (has_t < 0 || has_min < 0 || has_max < 0)
		return;
	if (!has_t && !has_min && !has_max) {
		xlited_reply_error(r, 400, "nothing to change: give \"target\", \"min\" or \"max\"");
		return;
	}
	if (xlited_api_hv_open(r, &hv, 0) < 0)
		return;
	if (resolve(r, &hv, &domid) < 0)
		goto out;
	rc = xlite_mem_dom_read(&hv, domid, &cur, &err);
	if (rc == 0)
		rc = xlite_mem_check_order("memory", has_min ? min : cur.min_kib,
					   has_t ? target : cur.target_kib,
					   has_max ? max : cur.max_kib, &err);
	if (rc == 0 && has_max && max > cur.max_kib)
		rc = xlite_mem_set_max(&hv, domid, max, &err), step = "max";
	if (rc == 0 && has_min && min < cur.min_kib)
		rc = xlite_mem_set_min_locked(&hv, domid, min, &err), step = "min";
	if (rc == 0 && has_t)
		rc = xlite_mem_host_set_target(&hv, domid, target, &err), step = "target";
	if (rc == 0 && has_min && min >= cur.min_kib)
		rc = xlite_mem_set_min_locked(&hv, domid, min, &err), step = "min";
	if (rc == 0 && has_max && max <= cur.max_kib)
		rc = xlite_mem_set_max(&hv, domid, max, &err), step = "max";
	if (r->d->nodecache)	/* the next request reads them, watch or not */
		xlited_nodecache_invalidate(r->d->nodecache, domid);
	if (rc < 0) {
		xlited_reply_error(r, xlited_status_of(rc), "memory of %s refused%s%s: %s", r->arg,
				   step ? " at " : "", step ? step : "",
				   err ? err : "out of memory");
		goto out;
	}
	reply_domain(r, &hv, domid, 200);
out:
	xlite_hv_dispose(&hv);
}

/* PUT vcpus {"count": N}: vCPUs online, as vcpu-set. */
void xlited_api_vcpus(struct xlited_req *r)
{
	g_autoptr(JsonParser) p = json_parser_new();
	struct xlite_hv hv = { 0 };
	JsonObject *o = xlited_body_object(r, p);
	JsonNode *n;
	g_autofree char *err = NULL;
	uint32_t domid;
	gint64 count;
	int rc;

	if (!o)
		return;
	n = json_object_get_member(o, "count");
	if (!n || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64 ||
	    (count = json_node_get_int(n)) < 1 || count > 4096) {
		xlited_reply_error(r, 400, "\"count\": expected a number of vCPUs from 1");
		return;
	}
	if (xlited_api_hv_open(r, &hv, 0) < 0)
		return;
	if (resolve(r, &hv, &domid) < 0)
		goto out;
	rc = xlite_vcpu_set_online(&hv, domid, (unsigned int)count, &err);
	if (rc < 0)
		xlited_reply_error(r, xlited_status_of(rc), "vcpus of %s refused: %s", r->arg,
				   err ? err : "out of memory");
	else
		reply_domain(r, &hv, domid, 200);
out:
	xlite_hv_dispose(&hv);
}
