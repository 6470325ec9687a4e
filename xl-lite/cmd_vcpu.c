/* xlite vcpu-set / vcpu-pin / vcpu-list: vCPU hotplug, hard affinity and
 * state, as xl shows them. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "libtool/memory/memory.h"
#include "libtool/util/json.h"
#include "xl-lite/xlite.h"

static int set_online(struct xlite_hv *hv, uint32_t domid, uint64_t n, char **err)
{
	return xlite_vcpu_set_online(hv, domid, (unsigned int)n, err);
}

int xlite_cmd_vcpu_set(struct xlite_cli *cli, int argc, char **argv)
{
	guint64 n;

	(void)cli;
	optind = 1;
	if (getopt(argc, argv, "+") != -1 || optind != argc - 2)
		return xlite_usage(xlite_cmd_find("vcpu-set"));
	if (!g_ascii_string_to_unsigned(argv[optind + 1], 10, 1, 4096, &n, NULL)) {
		xlite_err("vcpu-set: '%s' is not a vCPU count, expected a number from 1",
			  argv[optind + 1]);
		return XLITE_EXIT_USAGE;
	}
	return xlite_cli_domain_set("vcpu-set", argv[optind], set_online, n);
}

/* "all" (every host CPU) or a cpuset. */
static int host_cpus(struct xlite_hv *hv, const char *spec, struct xlite_cpuset *set)
{
	struct xlite_physinfo pi;
	unsigned int i;

	if (strcmp(spec, "all") != 0)
		return xlite_cpuset_parse(spec, set);
	if (hv->ops->physinfo(hv, &pi) < 0)
		return -EIO;
	memset(set, 0, sizeof(*set));
	for (i = 0; i < pi.nr_cpus && i < XLITE_MAX_PCPUS; i++)
		set->map[i / 8] |= (uint8_t)(1u << (i % 8));
	return 0;
}

int xlite_cmd_vcpu_pin(struct xlite_cli *cli, int argc, char **argv)
{
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo info;
	struct xlite_physinfo pi;
	struct xlite_cpuset set;
	uint32_t domid;
	guint64 vcpu = 0;
	bool all_vcpus;
	unsigned int v, i;
	int rc;

	(void)cli;
	optind = 1;
	if (getopt(argc, argv, "+") != -1 || optind != argc - 3)
		return xlite_usage(xlite_cmd_find("vcpu-pin"));
	all_vcpus = strcmp(argv[optind + 1], "all") == 0;
	if (!all_vcpus &&
	    !g_ascii_string_to_unsigned(argv[optind + 1], 10, 0, 4095, &vcpu, NULL)) {
		xlite_err("vcpu-pin: '%s' is not a vCPU, expected a number or all", argv[optind + 1]);
		return XLITE_EXIT_USAGE;
	}
	if (strcmp(argv[optind + 2], "all") != 0 && xlite_cpuset_parse(argv[optind + 2], &set) < 0) {
		xlite_err("vcpu-pin: '%s' is not a CPU set, expected all or e.g. 0-3,^2,6",
			  argv[optind + 2]);
		return XLITE_EXIT_USAGE;
	}
	rc = XLITE_EXIT_FAIL;
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	if (host_cpus(&hv, argv[optind + 2], &set) < 0 || hv.ops->physinfo(&hv, &pi) < 0 ||
	    hv.ops->domain_info(&hv, domid, &info) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	for (i = pi.nr_cpus; i < XLITE_MAX_PCPUS; i++) {
		if (xlite_cpuset_has(&set, i)) {
			xlite_err("vcpu-pin %s refused: CPU %u does not exist, the host has CPUs 0 to %u",
				  argv[optind], i, pi.nr_cpus - 1);
			goto out;
		}
	}
	if (!all_vcpus && vcpu > info.max_vcpu_id) {
		xlite_err("vcpu-pin %s refused: the domain has vCPUs 0 to %u, not %u",
			  argv[optind], info.max_vcpu_id, (unsigned int)vcpu);
		goto out;
	}
	for (v = all_vcpus ? 0 : (unsigned int)vcpu; v <= (all_vcpus ? info.max_vcpu_id : vcpu); v++) {
		if (xlite_cli_hv_result(&hv, hv.ops->vcpu_affinity(&hv, domid, v, &set)) < 0)
			goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	xlite_hv_dispose(&hv);
	return rc;
}

static void vcpu_row(XliteJson *json, const char *name, uint32_t domid, unsigned int v,
		     const struct xlite_vcpuinfo *vi, unsigned int nr_cpus)
{
	g_autofree char *hard = xlite_cpuset_format(&vi->hard, nr_cpus);
	g_autofree char *soft = xlite_cpuset_format(&vi->soft, nr_cpus);
	char state[4] = { vi->online && vi->running ? 'r' : '-',
			  vi->online && vi->blocked ? 'b' : '-', vi->online ? '-' : 'p', 0 };

	if (json) {
		const struct xlite_json_member m[] = {
			XLITE_JSON_STR("name", name), XLITE_JSON_INT("domid", domid),
			XLITE_JSON_INT("vcpu", v), XLITE_JSON_BOOL("online", vi->online),
			XLITE_JSON_INT("cpu", vi->online ? (int)vi->cpu : -1),
			XLITE_JSON_STR("state", state),
			XLITE_JSON_DOUBLE("time", (double)(vi->cpu_time_ns / 1000000) / 1e3),
			XLITE_JSON_STR("affinity", hard), XLITE_JSON_STR("soft_affinity", soft),
		};

		xlite_json_begin_object(json);
		xlite_json_members(json, m, G_N_ELEMENTS(m));
		xlite_json_end_object(json);
		return;
	}
	printf("%-32s %5u %5u", name, domid, v);
	if (vi->online)
		printf("%5u %3c%c- ", vi->cpu, state[0], state[1]);
	else
		printf("%5c %3c%cp ", '-', '-', '-');
	printf("%9.1f  %s / %s\n", (double)vi->cpu_time_ns / 1e9, hard, soft);
}

int xlite_cmd_vcpu_list(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo *doms = NULL;
	struct xlite_physinfo pi;
	XliteJson *json = NULL;
	size_t n = 0, i;
	int c, rc = XLITE_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+jh", opts, NULL)) != -1) {
		if (c != 'j')
			return xlite_usage(xlite_cmd_find("vcpu-list"));
		cli->json = true;
	}
	if (cli->json) {
		json = xlite_json_new();
		xlite_json_begin_array(json);
	}
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (hv.ops->physinfo(&hv, &pi) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	if (optind < argc) {
		doms = g_new0(struct xlite_dominfo, argc - optind);
		for (; optind < argc; optind++, n++) {
			if (xlite_cli_resolve(&hv, argv[optind], &doms[n].domid) < 0 ||
			    hv.ops->domain_info(&hv, doms[n].domid, &doms[n]) < 0)
				goto out;
		}
	} else if (hv.ops->domain_list(&hv, &doms, &n) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	if (!json)
		printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State",
		       "Time(s)", "Affinity (Hard / Soft)");
	for (i = 0; i < n; i++) {
		g_autofree char *name = xlite_domain_name(&hv, doms[i].domid);
		unsigned int v;

		for (v = 0; v <= doms[i].max_vcpu_id; v++) {
			struct xlite_vcpuinfo vi;

			if (hv.ops->vcpu_info(&hv, doms[i].domid, v, &vi) < 0) {
				xlite_err("%s", xlite_hv_error(&hv));
				goto out;
			}
			vcpu_row(json, name ? name : "(null)", doms[i].domid, v, &vi, pi.nr_cpus);
		}
	}
	if (json) {
		xlite_json_end_array(json);
		xlite_json_print(stdout, json, true);
	}
	rc = XLITE_EXIT_OK;
out:
	if (json)
		xlite_json_free(json);
	g_free(doms);
	xlite_hv_dispose(&hv);
	return rc;
}
