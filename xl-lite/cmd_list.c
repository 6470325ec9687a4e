/* xlite list: domains as `xl list` shows them (Name, ID, Mem, VCPUs,
 * State, Time(s)), or a JSON array. xl's domains and xlite's alike:
 * the hypervisor and xenstore are the only sources. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/defined.h"
#include "libtool/parse/config.h"
#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "libtool/util/json.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "libtool/report/report.h"
#include "xl-lite/xlite.h"

static void print_text(const struct xlite_dominfo *d, const char *name,
		       const struct xlite_report_mem *lm)
{
	const struct xlite_mem_dom *m = lm ? &lm->m : NULL;
	char st[7];

	xlite_report_state_letters(d, st);
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

/* A defined domain that does not run: no id, no time, "shut off". */
static void print_defined(const struct xlite_defined *def)
{
	printf("%-40s %5s %5lu %5u     %s\n", def->name, "-",
	       (unsigned long)(def->current_kib / 1024), def->vcpus, "shut off");
}

static struct xlite_defined *find_defined(GPtrArray *defs, const char *name)
{
	guint i;

	for (i = 0; defs && i < defs->len; i++) {
		struct xlite_defined *def = defs->pdata[i];

		if (strcmp(def->name, name) == 0)
			return def;
	}
	return NULL;
}

/* Every definition (none after a warning when they cannot be read). */
static GPtrArray *load_defined(void)
{
	g_autofree char *dir = xlite_cli_defined_dir();
	g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *defs = NULL;
	char *err = NULL;
	guint i;

	if (!dir)
		return NULL;
	if (xlite_defined_list(dir, &defs, warnings, &err) < 0) {
		xlite_warn("%s", err);
		g_free(err);
	}
	for (i = 0; i < warnings->len; i++)
		xlite_warn("defined domain skipped: %s", (char *)warnings->pdata[i]);
	return defs;
}

/* The domains named on the command line, in that order; all or nothing.
 * A defined domain that does not run goes to STOPPED. */
static int select_domains(struct xlite_hv *hv, int n, char **specs, GPtrArray *defs,
			  struct xlite_dominfo **out, size_t *count, GPtrArray *stopped)
{
	int i, rc;

	*out = g_new0(struct xlite_dominfo, n);
	*count = 0;
	for (i = 0; i < n; i++) {
		struct xlite_defined *def = find_defined(defs, specs[i]);
		uint32_t domid;

		if (def && xlite_domain_find(hv, specs[i], &domid) == -ESRCH) {
			g_ptr_array_add(stopped, def);
			continue;
		}
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
	g_autoptr(GPtrArray) defs = NULL;
	g_autoptr(GPtrArray) stopped = g_ptr_array_new();
	g_autoptr(GPtrArray) running = g_ptr_array_new_with_free_func(g_free);
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
	defs = load_defined();
	if (optind < argc) {
		if (select_domains(&hv, argc - optind, argv + optind, defs, &doms, &n, stopped) < 0)
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
		struct xlite_report_mem lm = { .demand_kib = -1 };
		char *merr = NULL;
		bool have_mem = (cli->json || mem_long) &&
				xlite_report_mem_read(&hv, doms[i].domid, &lm, &merr);

		if (merr)
			xlite_warn("domain %u: %s", doms[i].domid, merr);
		g_free(merr);
		if (cli->json) {
			xlite_report_domain_json(json, &doms[i], name, have_mem ? &lm : NULL);
		} else {
			print_text(&doms[i], name, mem_long && have_mem ? &lm : NULL);
		}
		if (name)
			g_ptr_array_add(running, name);
		else
			g_free(name);
	}
	/* Defined domains that do not run: all of them, or those named. */
	for (i = 0; optind == argc && defs && i < defs->len; i++)
		if (!g_ptr_array_find_with_equal_func(running, ((struct xlite_defined *)
							       defs->pdata[i])->name,
						      g_str_equal, NULL))
			g_ptr_array_add(stopped, defs->pdata[i]);
	for (i = 0; i < stopped->len; i++) {
		if (cli->json)
			xlite_report_defined_json(json, stopped->pdata[i]);
		else
			print_defined(stopped->pdata[i]);
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
