/* xlite info: the host and hypervisor facts `xl info` prints, under the
 * same names, as "key : value" lines or one JSON object. */
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "libtool/memory/host.h"
#include "xenstore-client/xsc.h"
#include "xl-lite/xlite.h"

struct info_out {
	GString *text;
	GString *json;
};

static void put(struct info_out *o, const char *key, const char *value, bool number)
{
	g_string_append_printf(o->text, "%-23s: %s\n", key, value);
	g_string_append(o->json, o->json->len > 1 ? ",\n  " : "\n  ");
	xsc_json_escape(o->json, key, strlen(key));
	g_string_append(o->json, ": ");
	if (number)
		g_string_append(o->json, value);
	else
		xsc_json_escape(o->json, value, strlen(value));
}

static void putf(struct info_out *o, const char *key, bool number, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void putf(struct info_out *o, const char *key, bool number, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	put(o, key, g_strchug(v), number);
	g_free(v);
}

static void put_host(struct info_out *o)
{
	struct utsname u;

	if (uname(&u) < 0)
		return;
	put(o, "host", u.nodename, false);
	put(o, "release", u.release, false);
	put(o, "version", u.version, false);
	put(o, "machine", u.machine, false);
}

static void put_phys(struct info_out *o, const struct xlite_physinfo *p)
{
	uint64_t per_mb = (1u << 20) / (p->xen_pagesize ? p->xen_pagesize : 4096);
	const uint32_t *c = p->hw_cap;

	putf(o, "nr_cpus", true, "%u", p->nr_cpus);
	putf(o, "max_cpu_id", true, "%u", p->max_cpu_id);
	putf(o, "nr_nodes", true, "%u", p->nr_nodes);
	putf(o, "cores_per_socket", true, "%u", p->cores_per_socket);
	putf(o, "threads_per_core", true, "%u", p->threads_per_core);
	putf(o, "cpu_mhz", true, "%u.%03u", p->cpu_khz / 1000, p->cpu_khz % 1000);
	putf(o, "hw_caps", false, "%08x:%08x:%08x:%08x:%08x:%08x:%08x:%08x",
	     c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
	/* Each capability with a leading space, as xl; putf strips the first. */
	putf(o, "virt_caps", false, "%s%s%s%s%s%s%s%s%s%s%s",
	     p->cap_pv ? " pv" : "", p->cap_hvm ? " hvm" : "",
	     p->cap_hvm && p->cap_hvm_directio ? " hvm_directio" : "",
	     p->cap_pv && p->cap_hvm_directio ? " pv_directio" : "",
	     p->cap_hap ? " hap" : "", p->cap_shadow ? " shadow" : "",
	     p->cap_iommu_hap_pt_share ? " iommu_hap_pt_share" : "",
	     p->cap_vmtrace ? " vmtrace" : "", p->cap_vpmu ? " vpmu" : "",
	     p->cap_gnttab_v1 ? " gnttab-v1" : "", p->cap_gnttab_v2 ? " gnttab-v2" : "");
	putf(o, "total_memory", true, "%" PRIu64, p->total_pages / per_mb);
	putf(o, "free_memory", true, "%" PRIu64,
	     (p->free_pages - MIN(p->outstanding_pages, p->free_pages)) / per_mb);
	putf(o, "outstanding_claims", true, "%" PRIu64, p->outstanding_pages / per_mb);
}

static void put_xen(struct info_out *o, const struct xlite_physinfo *p)
{
	putf(o, "xen_major", true, "%u", p->xen_major);
	putf(o, "xen_minor", true, "%u", p->xen_minor);
	put(o, "xen_extra", p->xen_extra, false);
	putf(o, "xen_version", false, "%u.%u%s", p->xen_major, p->xen_minor, p->xen_extra);
	put(o, "xen_caps", p->xen_caps, false);
	put(o, "xen_scheduler", p->xen_scheduler[0] ? p->xen_scheduler : "unknown", false);
	putf(o, "xen_pagesize", true, "%u", p->xen_pagesize);
	putf(o, "platform_params", false, "virt_start=0x%" PRIx64, p->virt_start);
	put(o, "xen_changeset", p->xen_changeset, false);
	put(o, "xen_commandline", p->xen_commandline, false);
}

/* Issue 10's figures: dom0's reserve, the guests' sums, over-allocation
 * (the sum of maximums over what guests can have) and contention (what the
 * balancer's wants exceed, and who is short). Needs xenstore: left out,
 * with a warning, when it cannot be read. */
static void put_memory(struct info_out *o)
{
	struct xlite_hv hv = { 0 };
	struct xlite_memconf mc;
	struct xlite_mem_host h;
	struct xlite_bal_host bh = { 0 };
	struct xlite_bal_summary sum;
	struct xlite_bal_out *out = NULL;
	GString *shorts = g_string_new("");
	char *err = NULL;
	size_t i;

	xlite_memconf_init(&mc);
	xlite_mem_host_init(&h);
	if (xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, &err) < 0 ||
	    xlite_hv_xen_open(&hv, 0) < 0 ||
	    xlite_mem_host_read(&hv, &mc, &h, &err) < 0) {
		xlite_warn("no memory figures: %s", err ? err : xlite_hv_error(&hv));
		goto out;
	}
	bh.capacity = h.capacity_kib;
	bh.headroom = mc.headroom_kib;
	out = g_new0(struct xlite_bal_out, h.n ? h.n : 1);
	xlite_balance(&bh, h.doms, h.n, out, &sum);
	for (i = 0; i < h.n; i++) {
		if (out[i].target < out[i].want ||
		    (!sum.fits && h.doms[i].managed && out[i].target <= h.doms[i].min)) {
			g_autofree char *name = xlite_domain_name(&hv, h.doms[i].domid);

			g_string_append_printf(shorts, "%s%s", shorts->len ? "," : "",
					       name ? name : "?");
		}
	}
	putf(o, "dom0_reserve", true, "%" PRIu64, h.dom0_reserve_kib / 1024);
	putf(o, "guest_capacity", true, "%" PRIu64, h.capacity_kib / 1024);
	putf(o, "guests", true, "%zu", h.n);
	putf(o, "guests_min", true, "%" PRIu64, h.sum_min / 1024);
	putf(o, "guests_target", true, "%" PRIu64, h.sum_target / 1024);
	putf(o, "guests_actual", true, "%" PRIu64, h.sum_actual / 1024);
	putf(o, "guests_max", true, "%" PRIu64, h.sum_max / 1024);
	putf(o, "overallocation", true, "%.2f",
	     h.capacity_kib ? (double)h.sum_max / (double)h.capacity_kib : 0.0);
	putf(o, "memory_wanted", true, "%" PRIu64, sum.wanted / 1024);
	putf(o, "memory_contention", true, "%" PRIu64, sum.shortfall / 1024);
	put(o, "memory_short", shorts->str, false);
out:
	g_free(out);
	g_free(err);
	g_string_free(shorts, TRUE);
	xlite_mem_host_dispose(&h);
	xlite_hv_dispose(&hv);
}

int xlite_cmd_info(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_physinfo pi;
	struct xlite_dominfo dom0;
	struct info_out o = { g_string_new(""), g_string_new("{") };
	int c, rc = XLITE_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		default:
			rc = xlite_usage(xlite_cmd_find("info"));
			goto out;
		}
	}
	if (optind != argc) {
		rc = xlite_usage(xlite_cmd_find("info"));
		goto out;
	}
	if (xlite_cli_hv_open(&hv, XLITE_HV_NO_XENSTORE) < 0)
		goto out;
	if (hv.ops->physinfo(&hv, &pi) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	put_host(&o);
	put_phys(&o, &pi);
	if (hv.ops->domain_info(&hv, 0, &dom0) == 0)
		putf(&o, "dom0_memory", true, "%" PRIu64, dom0.tot_kib / 1024);
	put_xen(&o, &pi);
	put_memory(&o);
	fputs(cli->json ? o.json->str : o.text->str, stdout);
	if (cli->json)
		fputs("\n}\n", stdout);
	rc = XLITE_EXIT_OK;
out:
	xlite_hv_dispose(&hv);
	g_string_free(o.text, TRUE);
	g_string_free(o.json, TRUE);
	return rc;
}
