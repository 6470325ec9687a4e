/* Shared by the apply and monitor tests: a fake host (Xen, xenstore, loop
 * devices and bridges) with a temporary lock dir that holds a blank disk
 * image, and the plan of a domain XML to apply to it. */
#ifndef XLITE_TEST_APPLY_FIXTURE_H
#define XLITE_TEST_APPLY_FIXTURE_H

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/apply.h"
#include "libtool/parse/config.h"
#include "tests/unit/hv-fake.h"
#include "libtool/plan/plan.h"

struct apply_host {
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_apply_opts opts;
	char *dir;		/* lock dir and disk image */
	char *disk;
	GPtrArray *baseline;	/* xenstore paths of the pristine host */
	GPtrArray *locks;	/* lock files of the domains planned */
};

/* DIR_TEMPLATE names the lock dir, as g_dir_make_tmp() wants it. */
static inline void apply_host_init(struct apply_host *h, const char *dir_template)
{
	GError *gerr = NULL;
	char zero[4096] = { 0 };

	memset(h, 0, sizeof(*h));
	h->dir = g_dir_make_tmp(dir_template, &gerr);
	g_assert_no_error(gerr);
	h->disk = g_build_filename(h->dir, "disk.img", NULL);
	g_file_set_contents(h->disk, zero, sizeof(zero), &gerr);
	g_assert_no_error(gerr);
	xlite_hv_fake_init(&h->fake);
	xlite_hv_fake_attach(&h->hv, &h->fake);
	h->baseline = xlite_hv_fake_xs_paths(&h->fake);
	h->locks = g_ptr_array_new_with_free_func(g_free);
	xlite_config_init(&h->cfg);
	xlite_plan_init(&h->plan);
	h->opts.lock_dir = h->dir;
}

/* Replaces the config and plan with those of XML; an error ends the test. */
static inline void apply_host_plan(struct apply_host *h, const char *xml)
{
	char *err = NULL;

	xlite_plan_dispose(&h->plan);
	xlite_config_dispose(&h->cfg);
	xlite_config_init(&h->cfg);
	xlite_plan_init(&h->plan);
	if (xlite_config_parse_memory(&h->cfg, xml, strlen(xml), "test.xml", NULL, NULL,
				      &err) < 0 ||
	    xlite_plan_build(&h->plan, &h->cfg, &err) < 0)
		g_error("plan: %s", err);
	g_ptr_array_add(h->locks, g_strdup_printf("%s/%s.lock", h->dir, h->cfg.name));
}

/* Also removes the lock dir with the lock files (the memory lock too) and
 * the disk image in it. */
static inline void apply_host_dispose(struct apply_host *h)
{
	g_autofree char *mem_lock = g_build_filename(h->dir, XLITE_MEMORY_LOCK_FILE, NULL);
	guint i;

	xlite_plan_dispose(&h->plan);
	xlite_config_dispose(&h->cfg);
	g_ptr_array_unref(h->baseline);
	xlite_hv_dispose(&h->hv);
	xlite_hv_fake_dispose(&h->fake);
	for (i = 0; i < h->locks->len; i++)
		g_unlink(h->locks->pdata[i]);
	g_ptr_array_unref(h->locks);
	g_unlink(mem_lock);	/* made by creates with admission */
	g_unlink(h->disk);
	g_rmdir(h->dir);
	g_free(h->disk);
	g_free(h->dir);
}

static inline void assert_nothing_left(struct apply_host *h)
{
	char *residue = xlite_hv_fake_residue(&h->fake, h->baseline);

	g_assert_cmpstr(residue, ==, "");
	g_free(residue);
}

/* Creates XML on a fresh host (lock dir DIR_TEMPLATE) to count the hv ops a
 * create makes (*N_OPS), then once more on a fresh host for each N of them
 * with the Nth op failing: each create that fails must leave nothing.
 * Returns how many failed. */
static inline unsigned long apply_fail_each_step(const char *xml, const char *dir_template,
						 int vif_timeout_ms, unsigned long *n_ops)
{
	unsigned long i, failed = 0;

	*n_ops = 0;
	for (i = 0; i <= *n_ops; i++) {
		struct xlite_apply_result res;
		struct apply_host h;
		char *err = NULL;
		int rc;

		apply_host_init(&h, dir_template);
		apply_host_plan(&h, xml);
		h.opts.vif_timeout_ms = vif_timeout_ms;
		h.fake.fail_at = i;	/* 0: no failure, the count */
		xlite_apply_result_init(&res);
		rc = xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err);
		if (i == 0) {
			g_assert_cmpint(rc, ==, 0);
			*n_ops = h.fake.n_ops;
		} else {
			g_test_message("op %lu/%lu (%s): rc %d: %s", i, *n_ops,
				       i <= h.fake.log->len ? (char *)h.fake.log->pdata[i - 1] : "?",
				       rc, err ? err : "");
			if (rc < 0) {
				assert_nothing_left(&h);
				failed++;
			}
		}
		g_free(err);
		xlite_apply_result_dispose(&res);
		apply_host_dispose(&h);
	}
	return failed;
}

#endif
