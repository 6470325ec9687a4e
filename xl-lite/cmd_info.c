/* xlite info: the host and hypervisor facts `xl info` prints, under the
 * same names, as "key : value" lines or one JSON object (built by
 * libtool/report/, as xlited's /api/v1/host). */
#include <getopt.h>
#include <stdio.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/report/report.h"
#include "libtool/util/json.h"
#include "xl-lite/xlite.h"

int xlite_cmd_info(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	GString *text = g_string_new("");
	XliteJson *json = xlite_json_new();
	char *warn = NULL;
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
	xlite_json_begin_object(json);
	if (xlite_report_host(&hv, text, json, &warn) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	if (warn)
		xlite_warn("%s", warn);
	xlite_json_end_object(json);
	if (cli->json)
		xlite_json_print(stdout, json, true);
	else
		fputs(text->str, stdout);
	rc = XLITE_EXIT_OK;
out:
	g_free(warn);
	xlite_hv_dispose(&hv);
	g_string_free(text, TRUE);
	xlite_json_free(json);
	return rc;
}
