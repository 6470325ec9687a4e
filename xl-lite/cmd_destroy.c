/* xlite destroy: end a domain at once, and remove what it leaves behind
 * (its xenstore directories, backend directories, loop devices). Works on
 * xl's domains too. */
#include <errno.h>
#include <getopt.h>

#include <glib.h>

#include "libtool/apply/apply.h"
#include "libtool/parse/config.h"
#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"

int xlite_cmd_destroy(struct xlite_cli *cli, int argc, char **argv)
{
	struct xlite_hv hv = { 0 };
	uint32_t domid, id;
	char *name = NULL, *err = NULL, *lock_err = NULL;
	int lock_fd = -1, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	if (getopt(argc, argv, "+") != -1 || optind != argc - 1)
		return xlite_usage(xlite_cmd_find("destroy"));
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	if (domid == 0) {
		xlite_err("refusing to destroy Domain-0");
		goto out;
	}
	/* Under the name lock, so the domain's monitor does not clean up at
	 * the same time. xl's names may be ones xlite would not take. Found
	 * by its name, that is the name: no need to read it back. */
	if (xlite_domid_parse(argv[optind], &id))
		name = xlite_domain_name(&hv, domid);
	else
		name = g_strdup(argv[optind]);
	if (name && !xlite_name_invalid(name) &&
	    xlite_name_lock(XLITE_LOCK_DIR, name, &lock_fd, &lock_err) < 0) {
		xlite_warn("%s", lock_err);
	}
	if (xlite_domain_destroy(&hv, domid, &err) < 0) {
		xlite_err("%s", err);
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	xlite_name_unlock(&lock_fd);
	g_free(lock_err);
	g_free(err);
	g_free(name);
	xlite_hv_dispose(&hv);
	return rc;
}
