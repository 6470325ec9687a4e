/* /metrics: Prometheus' text exposition format (version 0.0.4): each
 * family's HELP and TYPE, then its samples; label values escaped. */
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/memory/memory.h"
#include "libtool/report/report.h"
#include "xlited/xlited.h"

/* A label value: backslash, double quote and newline escaped. */
static void put_label(GString *out, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			g_string_append_c(out, '\\');
		if (*v == '\n') {
			g_string_append(out, "\\n");
			continue;
		}
		g_string_append_c(out, *v);
	}
}

static void family(GString *out, const char *name, const char *type, const char *help)
{
	g_string_append_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* "METRIC{domain=...,domid=...[,LABEL=VALUE]} " of D. */
static void dom_labelled(GString *out, const char *metric, const struct xlited_metric_dom *d,
			 const char *label, const char *value)
{
	g_string_append_printf(out, "%s{domain=\"", metric);
	put_label(out, d->name ? d->name : "");
	g_string_append_printf(out, "\",domid=\"%u\"", d->info->domid);
	if (label)
		g_string_append_printf(out, ",%s=\"%s\"", label, value);
	g_string_append(out, "} ");
}

static void dom_sample(GString *out, const char *metric, const struct xlited_metric_dom *d,
		       const char *kind)
{
	dom_labelled(out, metric, d, kind ? "kind" : NULL, kind);
}

/* A counter family of the domains' backends: for each domain with IO, a
 * sample per LABEL value, PICK(io, i) its value. */
static void io_family(GString *out, const struct xlited_metric_dom *doms, size_t n,
		      const char *name, const char *help, const char *label,
		      const char *const values[2], uint64_t (*pick)(const struct xlite_io *, int))
{
	size_t i;
	int v;

	family(out, name, "counter", help);
	for (i = 0; i < n; i++)
		for (v = 0; doms[i].io && v < 2; v++) {
			dom_labelled(out, name, &doms[i], label, values[v]);
			g_string_append_printf(out, "%" PRIu64 "\n", pick(doms[i].io, v));
		}
}

static uint64_t disk_requests(const struct xlite_io *io, int v)
{
	return v ? io->wr_req : io->rd_req;
}

static uint64_t disk_bytes(const struct xlite_io *io, int v)
{
	return (v ? io->wr_sect : io->rd_sect) * 512;
}

/* the guest's view: what it sent is its vif's rx in dom0 */
static uint64_t net_bytes(const struct xlite_io *io, int v)
{
	return v ? io->tx_bytes : io->rx_bytes;
}

static uint64_t net_packets(const struct xlite_io *io, int v)
{
	return v ? io->tx_packets : io->rx_packets;
}

void xlited_metrics_format(GString *out, const struct xlited_metric_dom *doms, size_t n,
			   uint64_t host_total_bytes, uint64_t host_free_bytes,
			   unsigned int nr_cpus)
{
	static const char *const kinds[] = { "min", "target", "actual", "max" };
	size_t i, k;

	family(out, "xlite_host_memory_bytes", "gauge", "The host's memory, by kind (total, free).");
	g_string_append_printf(out, "xlite_host_memory_bytes{kind=\"total\"} %" PRIu64 "\n",
			       host_total_bytes);
	g_string_append_printf(out, "xlite_host_memory_bytes{kind=\"free\"} %" PRIu64 "\n",
			       host_free_bytes);
	family(out, "xlite_host_cpus", "gauge", "The host's physical CPUs.");
	g_string_append_printf(out, "xlite_host_cpus %u\n", nr_cpus);
	family(out, "xlite_domains", "gauge", "Domains on the host, Domain-0 included.");
	g_string_append_printf(out, "xlite_domains %zu\n", n);
	family(out, "xlite_domain_cpu_seconds_total", "counter",
	       "CPU time a domain has used, seconds.");
	for (i = 0; i < n; i++) {
		dom_sample(out, "xlite_domain_cpu_seconds_total", &doms[i], NULL);
		g_string_append_printf(out, "%.3f\n", (double)doms[i].info->cpu_time_ns / 1e9);
	}
	family(out, "xlite_domain_vcpus", "gauge", "A domain's vCPUs online.");
	for (i = 0; i < n; i++) {
		dom_sample(out, "xlite_domain_vcpus", &doms[i], NULL);
		g_string_append_printf(out, "%u\n", doms[i].info->vcpus_online);
	}
	family(out, "xlite_domain_memory_bytes", "gauge",
	       "A domain's memory by kind: min (guaranteed), target, actual, max.");
	for (i = 0; i < n; i++) {
		const struct xlite_mem_dom *m = doms[i].mem;
		uint64_t v[4];

		if (!m) {	/* what Xen alone says */
			dom_sample(out, "xlite_domain_memory_bytes", &doms[i], "actual");
			g_string_append_printf(out, "%" PRIu64 "\n", doms[i].info->tot_kib * 1024);
			continue;
		}
		v[0] = m->min_kib, v[1] = m->target_kib, v[2] = m->actual_kib, v[3] = m->max_kib;
		for (k = 0; k < G_N_ELEMENTS(kinds); k++) {
			dom_sample(out, "xlite_domain_memory_bytes", &doms[i], kinds[k]);
			g_string_append_printf(out, "%" PRIu64 "\n", v[k] * 1024);
		}
	}
	static const char *const ops[2] = { "read", "write" };
	static const char *const dirs[2] = { "sent", "received" };
	io_family(out, doms, n, "xlite_domain_disk_requests_total",
		  "Requests of a domain's virtual disks (blkback), by op.", "op", ops,
		  disk_requests);
	io_family(out, doms, n, "xlite_domain_disk_bytes_total",
		  "Bytes a domain's virtual disks read and wrote (blkback), by op.", "op", ops,
		  disk_bytes);
	io_family(out, doms, n, "xlite_domain_network_bytes_total",
		  "Bytes a domain sent and received through its vifs, by direction.", "direction",
		  dirs, net_bytes);
	io_family(out, doms, n, "xlite_domain_network_packets_total",
		  "Packets a domain sent and received through its vifs, by direction.",
		  "direction", dirs, net_packets);
}

void xlited_api_metrics(struct xlited_req *r)
{
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo *infos = NULL;
	struct xlite_physinfo pi;
	struct xlited_metric_dom *doms = NULL;
	struct xlite_mem_dom *mems = NULL;
	struct xlite_io *ios = NULL;
	char **names = NULL;
	GString *out = g_string_new("");
	size_t n = 0, i;
	uint64_t page;
	struct xlited_prefetch p = { .values = NULL };	/* disposable before init */

	if (xlited_api_hv_open(r, &hv, 0) < 0)
		goto out;
	xlited_prefetch_init(&p, &hv);
	p.cache = r->d->nodecache;
	if (hv.ops->physinfo(&hv, &pi) < 0 || xlited_prefetch_all(&p, false, &infos, &n) < 0) {
		xlited_reply_error(r, 500, "%s", hv.err[0] ? xlite_hv_error(&hv) : p.hv.err);
		goto out;
	}
	doms = g_new0(struct xlited_metric_dom, n ? n : 1);
	mems = g_new0(struct xlite_mem_dom, n ? n : 1);
	ios = g_new0(struct xlite_io, n ? n : 1);
	names = g_new0(char *, n + 1);
	for (i = 0; i < n; i++) {
		g_autofree char *merr = NULL;

		names[i] = xlite_domain_name(&p.hv, infos[i].domid);
		doms[i].info = &infos[i];
		doms[i].name = names[i];
		if (xlite_mem_dom_read(&p.hv, infos[i].domid, &mems[i], &merr) == 0)
			doms[i].mem = &mems[i];
		if (infos[i].domid != 0) {	/* dom0's devices are not a guest's */
			xlite_io_read("", infos[i].domid, &ios[i]);
			doms[i].io = &ios[i];
		}
	}
	page = pi.xen_pagesize ? pi.xen_pagesize : 4096;
	xlited_metrics_format(out, doms, n, pi.total_pages * page,
			      (pi.free_pages - MIN(pi.outstanding_pages, pi.free_pages)) * page,
			      pi.nr_cpus);
	g_string_append_printf(out, "# HELP xlite_balancer_moves_total Memory targets the daemon's "
			       "balancer changed.\n# TYPE xlite_balancer_moves_total counter\n"
			       "xlite_balancer_moves_total %" PRIu64 "\n", xlited_balancer_moves(r->d));
	xlited_reply(r, 200, "text/plain; version=0.0.4; charset=utf-8", out->str);
out:
	for (i = 0; names && i < n; i++)
		g_free(names[i]);
	g_free(names);
	g_free(mems);
	g_free(ios);
	g_free(doms);
	g_free(infos);
	g_string_free(out, TRUE);
	xlited_prefetch_dispose(&p);
	xlite_hv_dispose(&hv);
}
