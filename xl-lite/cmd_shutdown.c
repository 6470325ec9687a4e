/* xlite shutdown / reboot: ask a PV guest to power off or reboot, as xl
 * does (control/shutdown in xenstore). What happens next is the domain's
 * on_poweroff / on_reboot action, carried out by its monitor. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"

static int request(const char *cmd, const char *req, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	bool wait = false;
	long timeout_s = -1;
	uint32_t domid;
	char *end, *err = NULL;
	int c, rc = XLITE_EXIT_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+wt:", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			wait = true;
			break;
		case 't':
			timeout_s = strtol(optarg, &end, 10);
			if (*end || end == optarg || timeout_s < 0 || timeout_s > 86400) {
				xlite_err("--timeout takes seconds (0-86400), not '%s'", optarg);
				return XLITE_EXIT_USAGE;
			}
			wait = true;
			break;
		default:
			return xlite_usage(xlite_cmd_find(cmd));
		}
	}
	if (optind != argc - 1)
		return xlite_usage(xlite_cmd_find(cmd));
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	if (xlite_domain_shutdown_request(&hv, domid, req, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	if (wait && xlite_domain_wait_gone(&hv, domid,
					   timeout_s < 0 ? -1 : (int)timeout_s * 1000) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	g_free(err);
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_shutdown(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return request("shutdown", "poweroff", argc, argv);
}

int xlite_cmd_reboot(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return request("reboot", "reboot", argc, argv);
}
