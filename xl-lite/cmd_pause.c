/* xlite pause / unpause: stop and resume a domain's vcpus. */
#include <getopt.h>

#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"

static int pause_op(const char *cmd, bool pause, int argc, char **argv)
{
	struct xlite_hv hv = { 0 };
	uint32_t domid;
	int rc = XLITE_EXIT_FAIL;

	optind = 1;
	if (getopt(argc, argv, "+") != -1 || optind != argc - 1)
		return xlite_usage(xlite_cmd_find(cmd));
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	if (domid == 0) {
		xlite_err("refusing to %s Domain-0", cmd);
		goto out;
	}
	if (xlite_cli_hv_result(&hv, (pause ? hv.ops->domain_pause
					 : hv.ops->domain_unpause)(&hv, domid)) < 0)
		goto out;
	rc = XLITE_EXIT_OK;
out:
	xlite_hv_dispose(&hv);
	return rc;
}

int xlite_cmd_pause(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return pause_op("pause", true, argc, argv);
}

int xlite_cmd_unpause(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return pause_op("unpause", false, argc, argv);
}
