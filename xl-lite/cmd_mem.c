/* xlite mem-set / mem-max / mem-min: a running domain's balloon target,
 * maximum and guaranteed minimum, each kept min <= target <= max. */
#include <errno.h>
#include <getopt.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/apply/apply.h"
#include "libtool/apply/domain.h"
#include "libtool/memory/conf.h"
#include "libtool/memory/host.h"
#include "libtool/memory/memory.h"
#include "libtool/util/fail.h"
#include "xl-lite/xlite.h"

int xlite_cli_domain_set(const char *cmd, const char *spec, xlite_domain_setter *set,
			 uint64_t value)
{
	struct xlite_hv hv = { 0 };
	uint32_t domid;
	char *err = NULL;
	int rc = XLITE_EXIT_FAIL;

	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, spec, &domid) < 0)
		goto out;
	if (set(&hv, domid, value, &err) < 0) {
		xlite_err("%s %s refused: %s", cmd, spec, err ? err : "out of memory");
		goto out;
	}
	rc = XLITE_EXIT_OK;
out:
	g_free(err);
	xlite_hv_dispose(&hv);
	return rc;
}

static int mem_op(const char *cmd, xlite_domain_setter *set, int argc, char **argv)
{
	uint64_t kib;

	optind = 1;
	if (getopt(argc, argv, "+") != -1 || optind != argc - 2)
		return xlite_usage(xlite_cmd_find(cmd));
	if (xlite_mem_size_parse(argv[optind + 1], &kib) < 0) {
		xlite_err("%s: invalid size '%s', expected a whole number with an optional unit "
			  "b, k, m, g or t (default m), from 1k to 16t", cmd, argv[optind + 1]);
		return XLITE_EXIT_USAGE;
	}
	return xlite_cli_domain_set(cmd, argv[optind], set, kib);
}

int xlite_cmd_mem_set(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return mem_op("mem-set", xlite_mem_host_set_target, argc, argv);
}

int xlite_cmd_mem_max(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return mem_op("mem-max", xlite_mem_set_max, argc, argv);
}

int xlite_cmd_mem_min(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return mem_op("mem-min", xlite_mem_set_min_locked, argc, argv);
}
