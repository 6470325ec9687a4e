/* xlite sched-credit2: a domain's credit2 weight and cap, as xl's. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"

static int print_row(struct xlite_hv *hv, uint32_t domid)
{
	g_autofree char *name = xlite_domain_name(hv, domid);
	unsigned int weight, cap;

	if (hv->ops->sched_get(hv, domid, &weight, &cap) < 0) {
		xlite_err("%s", xlite_hv_error(hv));
		return -1;
	}
	printf("%-33s %4u %6u %4u\n", name ? name : "(null)", domid, weight, cap);
	return 0;
}

int xlite_cmd_sched_credit2(struct xlite_cli *cli, int argc, char **argv)
{
	struct xlite_hv hv = { 0 };
	struct xlite_dominfo *doms = NULL;
	const char *dom = NULL;
	guint64 w = 0, cap = 0;
	bool set_w = false, set_c = false;
	size_t n = 0, i;
	uint32_t domid;
	int c, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	while ((c = getopt(argc, argv, "+d:w:c:")) != -1) {
		switch (c) {
		case 'd':
			dom = optarg;
			break;
		case 'w':
			set_w = true;
			if (!g_ascii_string_to_unsigned(optarg, 10, 1, 65535, &w, NULL)) {
				xlite_err("sched-credit2: weight '%s', expected 1 to 65535", optarg);
				return XLITE_EXIT_USAGE;
			}
			break;
		case 'c':
			set_c = true;
			if (!g_ascii_string_to_unsigned(optarg, 10, 0, 65535, &cap, NULL)) {
				xlite_err("sched-credit2: cap '%s', expected a percentage of one CPU "
					  "(0 = none)", optarg);
				return XLITE_EXIT_USAGE;
			}
			break;
		default:
			return xlite_usage(xlite_cmd_find("sched-credit2"));
		}
	}
	if (optind != argc || ((set_w || set_c) && !dom))
		return xlite_usage(xlite_cmd_find("sched-credit2"));
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (dom && xlite_cli_resolve(&hv, dom, &domid) < 0)
		goto out;
	if (set_w || set_c) {
		unsigned int cur_w, cur_c;

		if (hv.ops->sched_get(&hv, domid, &cur_w, &cur_c) < 0 ||
		    hv.ops->sched_credit(&hv, domid, set_w ? (unsigned int)w : cur_w,
					 set_c ? (unsigned int)cap : cur_c) < 0) {
			xlite_err("%s", xlite_hv_error(&hv));
			goto out;
		}
		rc = XLITE_EXIT_OK;
		goto out;
	}
	printf("%-33s %4s %6s %4s\n", "Name", "ID", "Weight", "Cap");
	if (dom) {
		if (print_row(&hv, domid) < 0)
			goto out;
	} else {
		if (hv.ops->domain_list(&hv, &doms, &n) < 0) {
			xlite_err("%s", xlite_hv_error(&hv));
			goto out;
		}
		for (i = 0; i < n; i++)
			if (print_row(&hv, doms[i].domid) < 0)
				goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	g_free(doms);
	xlite_hv_dispose(&hv);
	return rc;
}
