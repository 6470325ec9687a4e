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
#include "libtool/util/json.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
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
static void add_json_memory(XliteJson *b, const struct list_mem *lm)
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
	xlite_json_end_object(b);
}

/* The domain's object, left open for its memory member. */
static void add_json(XliteJson *b, const struct xlite_dominfo *d, const char *name)
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

	state_letters(d, st);
	xlite_uuid_format(d->uuid, uuid);
	xlite_json_begin_object(b);
	xlite_json_members(b, m, G_N_ELEMENTS(m));
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
	g_autoptr(XliteJson) json = xlite_json_new();
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
	if (cli->json)
		xlite_json_begin_array(json);
	else
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
			add_json(json, &doms[i], name);
			add_json_memory(json, have_mem ? &lm : NULL);
			xlite_json_end_object(json);
		} else {
			print_text(&doms[i], name, mem_long && have_mem ? &lm : NULL);
		}
		g_free(name);
	}
	if (cli->json) {
		xlite_json_end_array(json);
		xlite_json_print(stdout, json, true);
	}
	rc = XLITE_EXIT_OK;
out:
	g_free(doms);
	xlite_hv_dispose(&hv);
	return rc;
}
