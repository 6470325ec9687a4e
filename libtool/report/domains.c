/* A domain's report (xlite list, GET /api/v1/domains): xl's domains and
 * xlite's alike; the hypervisor and xenstore are the only sources. */
#include <glib.h>

#include "libtool/apply/defined.h"
#include "libtool/parse/config.h"
#include "libtool/memory/host.h"
#include "libtool/report/report.h"

void xlite_report_state_letters(const struct xlite_dominfo *d, char out[7])
{
	static const char reasons[] = "-rscwS";
	unsigned int r = d->shutdown ? d->shutdown_reason : 0;

	out[0] = d->running ? 'r' : '-';
	out[1] = d->blocked ? 'b' : '-';
	out[2] = d->paused ? 'p' : '-';
	out[3] = d->shutdown ? 's' : '-';
	out[4] = r < sizeof(reasons) - 1 ? reasons[r] : '?';
	out[5] = d->dying ? 'd' : '-';
	out[6] = '\0';
}

bool xlite_report_mem_read(struct xlite_hv *hv, uint32_t domid, struct xlite_report_mem *lm,
			   char **err)
{
	uint64_t demand, seq;

	lm->demand_kib = -1;
	lm->pod_known = false;
	if (xlite_mem_dom_read(hv, domid, &lm->m, err) < 0)
		return false;
	lm->pod_known = lm->m.hvm && hv->ops->domain_pod_info(hv, domid, &lm->pod) == 0;
	if (lm->m.min_known &&
	    xlite_mem_read_demand(hv, domid, lm->m.actual_kib, lm->m.max_kib, &demand, &seq))
		lm->demand_kib = (int64_t)demand;
	return true;
}

/* The memory object (issue 10's figures, KiB). */
static void add_memory(XliteJson *b, const struct xlite_report_mem *lm)
{
	const struct xlite_mem_dom *m = lm ? &lm->m : NULL;

	xlite_json_set_member_name(b, "memory");
	if (!m) {
		xlite_json_add_null(b);
		return;
	}
	xlite_json_begin_object(b);
	xlite_json_member_int(b, "min_kib", (int64_t)m->min_kib);
	xlite_json_member_int(b, "target_kib", (int64_t)m->target_kib);
	xlite_json_member_int(b, "actual_kib", (int64_t)m->actual_kib);
	xlite_json_member_int(b, "max_kib", (int64_t)m->max_kib);
	xlite_json_member_bool(b, "min_guaranteed", m->min_known);
	xlite_json_set_member_name(b, "demand_kib");
	if (lm->demand_kib >= 0)
		xlite_json_add_int(b, lm->demand_kib);
	else
		xlite_json_add_null(b);
	if (lm->pod_known) {	/* Xen's populate-on-demand figures */
		xlite_json_member_int(b, "pod_entries", (int64_t)lm->pod.entries);
		xlite_json_member_int(b, "pod_cache_kib", (int64_t)lm->pod.cache_pages * 4);
	}
	xlite_json_end_object(b);
}

void xlite_report_domain_json(XliteJson *b, const struct xlite_dominfo *d, const char *name,
			      const struct xlite_report_mem *lm)
{
	char st[7], uuid[XLITE_UUID_STRLEN];
	/* st and uuid by address: filled below, before they are read. */
	const struct xlite_json_member m[] = {
		XLITE_JSON_STR("name", name), XLITE_JSON_INT("domid", d->domid),
		XLITE_JSON_STR("uuid", uuid),
		XLITE_JSON_INT("mem_mb", (d->tot_kib + d->outstanding_kib) / 1024),
		XLITE_JSON_INT("max_mem_mb", d->max_kib / 1024),
		XLITE_JSON_INT("vcpus", d->vcpus_online), XLITE_JSON_STR("state", st),
		XLITE_JSON_BOOL("running", d->running), XLITE_JSON_BOOL("blocked", d->blocked),
		XLITE_JSON_BOOL("paused", d->paused), XLITE_JSON_BOOL("shutdown", d->shutdown),
		XLITE_JSON_BOOL("dying", d->dying),
		XLITE_JSON_DOUBLE("cpu_time", (double)(d->cpu_time_ns / 1000000) / 1e3),
	};

	xlite_report_state_letters(d, st);
	xlite_uuid_format(d->uuid, uuid);
	xlite_json_begin_object(b);
	xlite_json_members(b, m, G_N_ELEMENTS(m));
	add_memory(b, lm);
	xlite_json_end_object(b);
}

void xlite_report_defined_json(XliteJson *b, const struct xlite_defined *def)
{
	const struct xlite_json_member m[] = {
		XLITE_JSON_STR("uuid", def->uuid),
		XLITE_JSON_INT("mem_mb", def->current_kib / 1024),
		XLITE_JSON_INT("max_mem_mb", def->memory_kib / 1024),
		XLITE_JSON_INT("vcpus", def->vcpus), XLITE_JSON_STR("state", "shut off"),
		XLITE_JSON_BOOL("defined", true), XLITE_JSON_BOOL("autostart", def->autostart),
	};

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", def->name);
	xlite_json_set_member_name(b, "domid");
	xlite_json_add_null(b);
	xlite_json_members(b, m, G_N_ELEMENTS(m));
	xlite_json_end_object(b);
}
