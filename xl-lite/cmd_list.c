/* xlite list: domains as `xl list` shows them (Name, ID, Mem, VCPUs,
 * State, Time(s)), or a JSON array. xl's domains and xlite's alike:
 * the hypervisor and xenstore are the only sources. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "xenstore-client/xsc.h"
#include "xl-lite/xlite.h"

/* r b p s c d, as xl: the fifth letter is the shutdown reason. */
static void state_letters(const struct xlite_dominfo *d, char out[7])
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

/* A domain's memory figures and its agent's demand (-1: no report). */
struct list_mem {
	struct xlite_mem_dom m;
	int64_t demand_kib;
};

static void print_text(const struct xlite_dominfo *d, const char *name,
		       const struct list_mem *lm)
{
	const struct xlite_mem_dom *m = lm ? &lm->m : NULL;
	char st[7];

	state_letters(d, st);
	printf("%-40s %5u %5lu %5u     %s  %8.1f", name ? name : "(null)", d->domid,
	       (unsigned long)((d->tot_kib + d->outstanding_kib) / 1024), d->vcpus_online,
	       st, (double)d->cpu_time_ns / 1e9);
	if (m)	/* -l: the memory figures, MiB */
		printf(" %6llu %6llu %6llu %6llu", (unsigned long long)m->min_kib / 1024,
		       (unsigned long long)m->target_kib / 1024,
		       (unsigned long long)m->actual_kib / 1024, (unsigned long long)m->max_kib / 1024);
	if (lm && lm->demand_kib >= 0)
		printf(" %6lld", (long long)lm->demand_kib / 1024);
	else if (lm)
		printf(" %6s", "-");
	putchar('\n');
}

/* The memory object of a domain's JSON (issue 10's figures, KiB). */
static void append_json_memory(GString *out, const struct list_mem *lm)
{
	const struct xlite_mem_dom *m = lm ? &lm->m : NULL;

	if (!m) {
		g_string_append(out, ", \"memory\": null}");
		return;
	}
	g_string_append_printf(out, ", \"memory\": {\"min_kib\": %" PRIu64 ", \"target_kib\": %"
			       PRIu64 ", \"actual_kib\": %" PRIu64 ", \"max_kib\": %" PRIu64
			       ", \"min_guaranteed\": %s, \"demand_kib\": ", m->min_kib, m->target_kib,
			       m->actual_kib, m->max_kib, m->min_known ? "true" : "false");
	if (lm->demand_kib >= 0)
		g_string_append_printf(out, "%" PRId64 "}}", lm->demand_kib);
	else
		g_string_append(out, "null}}");
}

static void append_json(GString *out, const struct xlite_dominfo *d, const char *name)
{
	char st[7], uuid[XLITE_UUID_STRLEN];

	state_letters(d, st);
	xlite_uuid_format(d->uuid, uuid);
	g_string_append_printf(out, "%s\n  {\"name\": ", out->len > 1 ? "," : "");
	if (name)
		xsc_json_escape(out, name, strlen(name));
	else
		g_string_append(out, "null");
	g_string_append_printf(out, ", \"domid\": %u, \"uuid\": \"%s\", \"mem_mb\": %" PRIu64
			       ", \"max_mem_mb\": %" PRIu64 ", \"vcpus\": %u, \"state\": \"%s\""
			       ", \"running\": %s, \"blocked\": %s, \"paused\": %s"
			       ", \"shutdown\": %s, \"dying\": %s, \"cpu_time\": %.3f",
			       d->domid, uuid, (d->tot_kib + d->outstanding_kib) / 1024,
			       d->max_kib / 1024, d->vcpus_online, st,
			       d->running ? "true" : "false", d->blocked ? "true" : "false",
			       d->paused ? "true" : "false", d->shutdown ? "true" : "false",
			       d->dying ? "true" : "false", (double)d->cpu_time_ns / 1e9);
}

/* The domains named on the command line, in that order; all or nothing. */
static int select_domains(struct xlite_hv *hv, int n, char **specs,
			  struct xlite_dominfo **out, size_t *count)
{
	int i, rc;

	*out = g_new0(struct xlite_dominfo, n);
	*count = 0;
	for (i = 0; i < n; i++) {
		uint32_t domid;

		if (xlite_cli_resolve(hv, specs[i], &domid) < 0)
			return -ESRCH;
		rc = hv->ops->domain_info(hv, domid, &(*out)[*count]);
		if (rc < 0) {
			xlite_err("domain '%s' does not exist", specs[i]);
			return rc;
		}
		(*count)++;
	}
	return 0;
}

int xlite_cmd_list(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "long", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo *doms = NULL;
	size_t n = 0, i;
	GString *json = g_string_new("[");
	bool mem_long = false;
	int c, rc = XLITE_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+jlh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
			break;
		case 'l':
			mem_long = true;
			break;
		default:
			rc = xlite_usage(xlite_cmd_find("list"));
			goto out;
		}
	}
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (optind < argc) {
		if (select_domains(&hv, argc - optind, argv + optind, &doms, &n) < 0)
			goto out;
	} else if (hv.ops->domain_list(&hv, &doms, &n) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	if (!cli->json)
		printf("Name                                        ID   Mem VCPUs\tState\tTime(s)%s\n",
		       mem_long ? "    Min Target Actual    Max Demand" : "");
	for (i = 0; i < n; i++) {
		char *name = xlite_domain_name(&hv, doms[i].domid);
		struct list_mem lm = { .demand_kib = -1 };
		char *merr = NULL;
		bool have_mem = (cli->json || mem_long) &&
				xlite_mem_dom_read(&hv, doms[i].domid, &lm.m, &merr) == 0;
		uint64_t demand, seq;

		if (have_mem && lm.m.min_known &&
		    xlite_mem_read_demand(&hv, doms[i].domid, lm.m.actual_kib, lm.m.max_kib,
					  &demand, &seq))
			lm.demand_kib = (int64_t)demand;

		if (merr)
			xlite_warn("domain %u: %s", doms[i].domid, merr);
		g_free(merr);
		if (cli->json) {
			append_json(json, &doms[i], name);
			append_json_memory(json, have_mem ? &lm : NULL);
		} else {
			print_text(&doms[i], name, mem_long && have_mem ? &lm : NULL);
		}
		g_free(name);
	}
	if (cli->json)
		printf("%s\n]\n", json->str);
	rc = XLITE_EXIT_OK;
out:
	g_free(doms);
	g_string_free(json, TRUE);
	xlite_hv_dispose(&hv);
	return rc;
}
