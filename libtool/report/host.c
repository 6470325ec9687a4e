/* The host's report (xlite info, GET /api/v1/host): the facts `xl info`
 * prints, under the same names, as "key : value" lines and one JSON
 * object. */
#include <inttypes.h>
#include <stdarg.h>
#include <sys/utsname.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/memory/balance.h"
#include "libtool/memory/conf.h"
#include "libtool/memory/host.h"
#include "libtool/report/report.h"

/* Each fact twice: a "key : value" line and a JSON member. */
struct info_out {
	GString *text;
	XliteJson *json;
};

static void put(struct info_out *o, const char *key, const char *value)
{
	g_string_append_printf(o->text, "%-23s: %s\n", key, value);
	xlite_json_member_str(o->json, key, value);
}

static void putf(struct info_out *o, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void putf(struct info_out *o, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	put(o, key, g_strchug(v));
	g_free(v);
}

static void put_num(struct info_out *o, const char *key, uint64_t value)
{
	g_string_append_printf(o->text, "%-23s: %" PRIu64 "\n", key, value);
	xlite_json_member_int(o->json, key, (int64_t)value);
}

static void put_host(struct info_out *o)
{
	struct utsname u;

	if (uname(&u) < 0)
		return;
	put(o, "host", u.nodename);
	put(o, "release", u.release);
	put(o, "version", u.version);
	put(o, "machine", u.machine);
}

static void put_phys(struct info_out *o, const struct xlite_physinfo *p)
{
	uint64_t per_mb = (1u << 20) / (p->xen_pagesize ? p->xen_pagesize : 4096);
	const uint32_t *c = p->hw_cap;

	put_num(o, "nr_cpus", p->nr_cpus);
	put_num(o, "max_cpu_id", p->max_cpu_id);
	put_num(o, "nr_nodes", p->nr_nodes);
	put_num(o, "cores_per_socket", p->cores_per_socket);
	put_num(o, "threads_per_core", p->threads_per_core);
	g_string_append_printf(o->text, "%-23s: %u.%03u\n", "cpu_mhz", p->cpu_khz / 1000,
			       p->cpu_khz % 1000);
	xlite_json_member_double(o->json, "cpu_mhz", p->cpu_khz / 1000.0);
	putf(o, "hw_caps", "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x",
	     c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
	/* Each capability with a leading space, as xl; putf strips the first. */
	putf(o, "virt_caps", "%s%s%s%s%s%s%s%s%s%s%s",
	     p->cap_pv ? " pv" : "", p->cap_hvm ? " hvm" : "",
	     p->cap_hvm && p->cap_hvm_directio ? " hvm_directio" : "",
	     p->cap_pv && p->cap_hvm_directio ? " pv_directio" : "",
	     p->cap_hap ? " hap" : "", p->cap_shadow ? " shadow" : "",
	     p->cap_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
	     p->cap_vmtrace ? " vmtrace" : "", p->cap_vpmu ? " vpmu" : "",
	     p->cap_gnttab_v1 ? " gnttab-v1" : "", p->cap_gnttab_v2 ? " gnttab-v2" : "");
	/* Live migration needs Xen to track the pages a guest dirties: PV
	 * guests through shadow paging (absent from a Xen built without
	 * CONFIG_SHADOW_PAGING, as Debian's), PVH guests through HAP. */
	put(o, "logdirty_pv", p->cap_pv && p->cap_shadow ? "yes (shadow paging)" :
	    "no (this Xen has no shadow paging: PV guests move cold)");
	put(o, "logdirty_pvh", p->cap_hvm && p->cap_hap ? "yes (hap)" :
	    "no (no HVM with hardware-assisted paging: no PVH guests)");
	/* What xlite migrate --live takes: the rest moves cold. */
	putf(o, "live_migration", "%s%s%s", p->cap_pv && p->cap_shadow ? " pv" : "",
	     p->cap_hvm && p->cap_hap ? " pvh" : "",
	     (p->cap_pv && p->cap_shadow) || (p->cap_hvm && p->cap_hap) ? "" : " none");
	put_num(o, "total_memory", p->total_pages / per_mb);
	put_num(o, "free_memory",
		(p->free_pages - MIN(p->outstanding_pages, p->free_pages)) / per_mb);
	put_num(o, "outstanding_claims", p->outstanding_pages / per_mb);
}

static void put_xen(struct info_out *o, const struct xlite_physinfo *p)
{
	put_num(o, "xen_major", p->xen_major);
	put_num(o, "xen_minor", p->xen_minor);
	put(o, "xen_extra", p->xen_extra);
	putf(o, "xen_version", "%u.%u%s", p->xen_major, p->xen_minor, p->xen_extra);
	put(o, "xen_caps", p->xen_caps);
	put(o, "xen_scheduler", p->xen_scheduler[0] ? p->xen_scheduler : "unknown");
	put_num(o, "xen_pagesize", p->xen_pagesize);
	putf(o, "platform_params", "virt_start=0x%" PRIx64, p->virt_start);
	put(o, "xen_changeset", p->xen_changeset);
	put(o, "xen_commandline", p->xen_commandline);
}

void xlite_report_contention(struct xlite_hv *hv, const struct xlite_memconf *mc,
			     const struct xlite_mem_host *h, struct xlite_bal_summary *sum,
			     char **shorts)
{
	struct xlite_bal_host bh = { 0 };
	struct xlite_bal_out *out = g_new0(struct xlite_bal_out, h->n ? h->n : 1);
	GString *names = g_string_new("");
	size_t i;

	bh.capacity = h->capacity_kib;
	bh.headroom = mc->headroom_kib;
	xlite_balance(&bh, h->doms, h->n, out, sum);
	for (i = 0; i < h->n; i++) {
		g_autofree char *name = NULL;

		if (!out[i].is_short)
			continue;
		name = xlite_domain_name(hv, h->doms[i].domid);
		g_string_append_printf(names, "%s%s", names->len ? "," : "", name ? name : "?");
	}
	g_free(out);
	*shorts = g_string_free(names, FALSE);
}

/* Issue 10's figures: dom0's reserve, the guests' sums, over-allocation
 * (the sum of maximums over what guests can have) and contention (what the
 * balancer's wants exceed, and who is short). Needs xenstore: left out,
 * with *warn, when it cannot be read. */
static void put_memory(struct info_out *o, char **warn)
{
	struct xlite_hv hv = { 0 };
	struct xlite_memconf mc;
	struct xlite_mem_host h;
	struct xlite_bal_summary sum;
	char *shorts = NULL;
	char *err = NULL;
	double ratio;

	xlite_memconf_init(&mc);
	xlite_mem_host_init(&h);
	if (xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, &err) < 0 ||
	    xlite_hv_xen_open(&hv, 0) < 0 ||
	    xlite_mem_host_read(&hv, &mc, &h, &err) < 0) {
		*warn = g_strdup_printf("no memory figures: %s", err ? err : xlite_hv_error(&hv));
		goto out;
	}
	xlite_report_contention(&hv, &mc, &h, &sum, &shorts);
	put_num(o, "dom0_reserve", h.dom0_reserve_kib / 1024);
	put_num(o, "guest_capacity", h.capacity_kib / 1024);
	put_num(o, "guests", h.n);
	put_num(o, "guests_min", h.sum_min / 1024);
	put_num(o, "guests_target", h.sum_target / 1024);
	put_num(o, "guests_actual", h.sum_actual / 1024);
	put_num(o, "guests_max", h.sum_max / 1024);
	ratio = h.capacity_kib ? (double)h.sum_max / (double)h.capacity_kib : 0.0;
	g_string_append_printf(o->text, "%-23s: %.2f\n", "overallocation", ratio);
	/* the same two decimals in JSON */
	xlite_json_member_double(o->json, "overallocation", (double)(int64_t)(ratio * 100 + 0.5) / 100);
	put_num(o, "memory_wanted", sum.wanted / 1024);
	put_num(o, "memory_contention", sum.shortfall / 1024);
	put(o, "memory_short", shorts);
out:
	g_free(err);
	g_free(shorts);
	xlite_mem_host_dispose(&h);
	xlite_hv_dispose(&hv);
}

int xlite_report_host(struct xlite_hv *hv, GString *text, XliteJson *json, char **warn)
{
	struct info_out o = { text, json };
	struct xlite_physinfo pi;
	struct xlite_dominfo dom0;
	int rc;

	*warn = NULL;
	rc = hv->ops->physinfo(hv, &pi);
	if (rc < 0)
		return rc;
	put_host(&o);
	put_phys(&o, &pi);
	if (hv->ops->domain_info(hv, 0, &dom0) == 0)
		put_num(&o, "dom0_memory", dom0.tot_kib / 1024);
	put_xen(&o, &pi);
	put_memory(&o, warn);
	return 0;
}

int xlite_report_dmesg(struct xlite_hv *hv, bool clear, GString *out)
{
	g_autofree char *ring = NULL;
	int rc = hv->ops->console_read(hv, clear, &ring);

	if (rc < 0)
		return rc;
	g_string_append(out, ring);
	if (out->len && out->str[out->len - 1] != '\n')
		g_string_append_c(out, '\n');
	return 0;
}
