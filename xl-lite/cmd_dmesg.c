/* xlite dmesg [-c]: the hypervisor's console ring, as xl dmesg. */
#include <getopt.h>
#include <stdio.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/report/report.h"
#include "xl-lite/xlite.h"

int xlite_cmd_dmesg(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "clear", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	GString *text = g_string_new("");
	bool clear = false;
	int c, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+ch", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			clear = true;
			break;
		default:
			rc = xlite_usage(xlite_cmd_find("dmesg"));
			goto out;
		}
	}
	if (optind != argc) {
		rc = xlite_usage(xlite_cmd_find("dmesg"));
		goto out;
	}
	if (xlite_cli_hv_open(&hv, XLITE_HV_NO_XENSTORE) < 0)
		goto out;
	if (xlite_cli_hv_result(&hv, xlite_report_dmesg(&hv, clear, text)) < 0)
		goto out;
	fwrite(text->str, 1, text->len, stdout);
	rc = XLITE_EXIT_OK;
out:
	xlite_hv_dispose(&hv);
	g_string_free(text, TRUE);
	return rc;
}
