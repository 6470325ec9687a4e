/* xlite shutdown / reboot: ask a PV guest to power off or reboot, as xl
 * does (control/shutdown in xenstore). What happens next is the domain's
 * on_poweroff / on_reboot action, carried out by its monitor. With -w,
 * return once the domain is gone and dom0 let go of its loop devices and
 * vifs (its image may then be reused at once). */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/device/device.h"
#include "libtool/parse/config.h"
#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"
#include "libtool/util/number.h"

static int request(const char *cmd, const char *req, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "wait", no_argument, NULL, 'w' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	bool wait = false;
	uint64_t secs;
	long timeout_s = -1;
	uint32_t domid;
	struct xlite_release held;
	char *err = NULL, *name = NULL, *lock_err = NULL;
	int c, lock_fd = -1, rc = XLITE_EXIT_FAIL;

	xlite_release_init(&held);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+wt:", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			wait = true;
			break;
		case 't':
			if (xlite_number_parse(optarg, 0, 86400, &secs) < 0) {
				xlite_err("--timeout takes seconds (0-86400), not '%s'", optarg);
				rc = XLITE_EXIT_USAGE;
				goto out;
			}
			timeout_s = (long)secs;
			wait = true;
			break;
		default:
			rc = xlite_usage(xlite_cmd_find(cmd));
			goto out;
		}
	}
	if (optind != argc - 1) {
		rc = xlite_usage(xlite_cmd_find(cmd));
		goto out;
	}
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	/* What its backends use now, to wait for once it is gone. */
	if (wait) {
		name = xlite_domain_name(&hv, domid);
		if (xlite_domain_watch_devices(&hv, domid, &held) < 0) {
			xlite_err("reading domain %u's devices: %s", domid, xlite_hv_error(&hv));
			goto out;
		}
	}
	if (xlite_domain_shutdown_request(&hv, domid, req, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	if (!wait) {
		rc = XLITE_EXIT_OK;
		goto out;
	}
	if (xlite_domain_wait_gone(&hv, domid, timeout_s < 0 ? -1 : (int)timeout_s * 1000) < 0) {
		xlite_err("%s", xlite_hv_error(&hv));
		goto out;
	}
	/* Its monitor cleans up (or restarts it) under the name lock: once
	 * we hold it, that is done. */
	if (name && !xlite_name_invalid(name) &&
	    xlite_name_lock(XLITE_LOCK_DIR, name, &lock_fd, &lock_err) < 0)
		xlite_warn("%s", lock_err);
	if (xlite_domain_settle(&hv, domid, name, &held, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	xlite_release_dispose(&held);
	g_free(lock_err);
	g_free(name);
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
