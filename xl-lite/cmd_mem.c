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

/* dom0 never goes below its reserve ([memory] dom0-reserve). */
static int set_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	struct xlite_memconf mc;
	char a[32], b[32];
	int rc;

	if (domid == 0) {
		xlite_memconf_init(&mc);
		rc = xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, err);
		if (rc < 0)
			return rc;
		if (kib < mc.dom0_reserve_kib)
			return xlite_fail(err, -ERANGE,
					  "dom0's target %s would be below its reserve %s "
					  "([memory] dom0-reserve in %s)", xlite_mem_size_str(kib, a),
					  xlite_mem_size_str(mc.dom0_reserve_kib, b), XLITE_MEMCONF_FILE);
	}
	return xlite_mem_set_target(hv, domid, kib, err);
}

int xlite_cmd_mem_set(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return mem_op("mem-set", set_target, argc, argv);
}

int xlite_cmd_mem_max(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return mem_op("mem-max", xlite_mem_set_max, argc, argv);
}

/* A raised minimum must still fit beside the others' and dom0's reserve;
 * under the host's memory lock, so that a create's admission and this one
 * never both count the same memory. */
static int set_min(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	struct xlite_memconf mc;
	struct xlite_mem_host h;
	g_autofree char *name = xlite_domain_name(hv, domid);
	int lock_fd = -1;
	int rc;

	xlite_memconf_init(&mc);
	xlite_mem_host_init(&h);
	rc = xlite_memconf_load(&mc, XLITE_MEMCONF_FILE, err);
	if (rc == 0)
		rc = xlite_memory_lock(XLITE_LOCK_DIR, &lock_fd, err);
	if (rc == 0)
		rc = xlite_mem_host_read(hv, &mc, &h, err);
	if (rc == 0)
		rc = xlite_mem_admit_min(&h, domid, name ? name : "?", kib, err);
	if (rc == 0)
		rc = xlite_mem_set_min(hv, domid, kib, err);
	xlite_name_unlock(&lock_fd);
	xlite_mem_host_dispose(&h);
	return rc;
}

int xlite_cmd_mem_min(struct xlite_cli *cli, int argc, char **argv)
{
	(void)cli;
	return mem_op("mem-min", set_min, argc, argv);
}
