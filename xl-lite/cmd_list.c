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

static void print_text(const struct xlite_dominfo *d, const char *name)
{
	char st[7];

	state_letters(d, st);
	printf("%-40s %5u %5lu %5u     %s  %8.1f\n", name ? name : "(null)", d->domid,
	       (unsigned long)((d->tot_kib + d->outstanding_kib) / 1024), d->vcpus_online,
	       st, (double)d->cpu_time_ns / 1e9);
}

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
	xlite_json_end_object(b);
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo *doms = NULL;
	size_t n = 0, i;
	g_autoptr(XliteJson) json = xlite_json_new();
	int c, rc = XLITE_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			cli->json = true;
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
		printf("Name                                        ID   Mem VCPUs\tState\tTime(s)\n");
	for (i = 0; i < n; i++) {
		char *name = xlite_domain_name(&hv, doms[i].domid);

		if (cli->json)
			add_json(json, &doms[i], name);
		else
			print_text(&doms[i], name);
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
