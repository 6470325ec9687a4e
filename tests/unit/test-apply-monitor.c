/* The per-domain monitor: on_poweroff / on_reboot / on_crash carried out,
 * and the leftovers of a domain destroyed from outside removed. */
#include <errno.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply.h"
#include "libtool/config.h"
#include "libtool/domain.h"
#include "libtool/hv_fake.h"
#include "libtool/monitor.h"
#include "libtool/plan.h"

struct fx {
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_apply_opts opts;
	struct xlite_monitor mon;
	char *dir, *disk;
	GPtrArray *baseline;
	uint32_t domid;
};

struct actions {
	const char *poweroff, *reboot, *crash;
};

static void fx_setup(struct fx *f, gconstpointer data)
{
	const struct actions *act = data;
	struct xlite_apply_result res;
	GError *gerr = NULL;
	char *xml, *err = NULL;
	char zero[4096] = { 0 };

	memset(f, 0, sizeof(*f));
	f->dir = g_dir_make_tmp("test-monitor-XXXXXX", &gerr);
	g_assert_no_error(gerr);
	f->disk = g_build_filename(f->dir, "disk.img", NULL);
	g_file_set_contents(f->disk, zero, sizeof(zero), &gerr);
	g_assert_no_error(gerr);
	xlite_hv_fake_init(&f->fake);
	xlite_hv_fake_attach(&f->hv, &f->fake);
	f->baseline = xlite_hv_fake_xs_paths(&f->fake);
	xml = g_strdup_printf(
		"<domain type='xen'><name>mon</name><memory unit='MiB'>64</memory>"
		"<vcpu>1</vcpu><os><type>linux</type><kernel>/k</kernel></os>"
		"<on_poweroff>%s</on_poweroff><on_reboot>%s</on_reboot>"
		"<on_crash>%s</on_crash><devices><disk type='file' device='disk'>"
		"<source file='%s'/><target dev='xvda'/></disk>"
		"<interface type='bridge'><source bridge='xenbr0'/></interface>"
		"</devices></domain>",
		act->poweroff, act->reboot, act->crash, f->disk);
	xlite_config_init(&f->cfg);
	xlite_plan_init(&f->plan);
	if (xlite_config_parse_memory(&f->cfg, xml, strlen(xml), "m.xml", NULL, NULL, &err) < 0 ||
	    xlite_plan_build(&f->plan, &f->cfg, &err) < 0)
		g_error("plan: %s", err);
	g_free(xml);
	f->opts.lock_dir = f->dir;
	xlite_apply_result_init(&res);
	if (xlite_apply(&f->hv, &f->plan, &f->opts, &res, &err) < 0)
		g_error("apply: %s", err);
	f->domid = res.domid;
	xlite_monitor_init(&f->mon, &f->hv, &f->plan, &f->opts, f->domid, res.loops);
	xlite_apply_result_dispose(&res);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	char *lock = g_strdup_printf("%s/mon.lock", f->dir);

	(void)unused;
	xlite_monitor_dispose(&f->mon);
	xlite_plan_dispose(&f->plan);
	xlite_config_dispose(&f->cfg);
	g_ptr_array_unref(f->baseline);
	xlite_hv_dispose(&f->hv);
	xlite_hv_fake_dispose(&f->fake);
	g_unlink(lock);
	g_unlink(f->disk);
	g_rmdir(f->dir);
	g_free(lock);
	g_free(f->disk);
	g_free(f->dir);
}

static void assert_nothing_left(struct fx *f)
{
	char *residue = xlite_hv_fake_residue(&f->fake, f->baseline);

	g_assert_cmpstr(residue, ==, "");
	g_free(residue);
}

static const struct actions destroy_all = { "destroy", "destroy", "destroy" };
static const struct actions xl_defaults = { "destroy", "restart", "destroy" };
static const struct actions preserve_crash = { "destroy", "restart", "preserve" };

static void test_running_domain_is_left_alone(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
	g_assert_nonnull(xlite_hv_fake_dom(&f->fake, f->domid));
}

static void test_poweroff_with_destroy_removes_everything(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_hv_fake_shutdown(&f->fake, f->domid, XLITE_SHUTDOWN_POWEROFF);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	assert_nothing_left(f);
}

static void test_reboot_with_restart_gives_new_id_same_name(struct fx *f, gconstpointer unused)
{
	uint32_t old = f->domid, now = 0;

	(void)unused;
	xlite_hv_fake_shutdown(&f->fake, f->domid, XLITE_SHUTDOWN_REBOOT);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
	g_assert_null(xlite_hv_fake_dom(&f->fake, old));
	g_assert_cmpuint(f->mon.domid, !=, old);
	g_assert_cmpint(xlite_domain_find(&f->hv, "mon", &now), ==, 0);
	g_assert_cmpuint(now, ==, f->mon.domid);
	g_assert_false(xlite_hv_fake_dom(&f->fake, now)->info.paused);
	/* The old domain's nodes are gone, the new one's there: one loop. */
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 1);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
}

static void test_crash_with_preserve_keeps_domain(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_hv_fake_shutdown(&f->fake, f->domid, XLITE_SHUTDOWN_CRASH);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	g_assert_nonnull(xlite_hv_fake_dom(&f->fake, f->domid));
}

static void test_outside_destroy_leftovers_are_removed(struct fx *f, gconstpointer unused)
{
	char path[96];

	(void)unused;
	/* What `xl destroy` does to a domain it did not make: the domain, its
	 * /local/domain/D and /vm entry go; backends and loop stay. */
	f->hv.ops->domain_destroy(&f->hv, f->domid);
	snprintf(path, sizeof(path), "/local/domain/%u", f->domid);
	f->hv.ops->xs_rm(&f->hv, path);
	snprintf(path, sizeof(path), "/vm/%s", f->plan.uuid);
	f->hv.ops->xs_rm(&f->hv, path);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	assert_nothing_left(f);
}

static void test_crash_loop_stops_restarting(struct fx *f, gconstpointer unused)
{
	int i, rc = 1;

	(void)unused;
	for (i = 0; i <= XLITE_MONITOR_MAX_RESTARTS && rc == 1; i++) {
		xlite_hv_fake_shutdown(&f->fake, f->mon.domid, XLITE_SHUTDOWN_REBOOT);
		rc = xlite_monitor_step(&f->mon);
	}
	g_assert_cmpint(i, ==, XLITE_MONITOR_MAX_RESTARTS + 1);
	g_assert_cmpint(rc, ==, 0);
	assert_nothing_left(f);
}

static void test_decide_maps_shutdown_reasons_to_actions(void)
{
	struct xlite_plan p;
	struct xlite_dominfo d;

	memset(&p, 0, sizeof(p));
	memset(&d, 0, sizeof(d));
	p.on_poweroff = XLITE_ACTION_DESTROY;
	p.on_reboot = XLITE_ACTION_RESTART;
	p.on_crash = XLITE_ACTION_PRESERVE;
	g_assert_cmpint(xlite_monitor_decide(&p, NULL), ==, XLITE_MONITOR_CLEANUP);
	d.running = true;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_WAIT);
	d.running = false;
	d.shutdown = true;
	d.shutdown_reason = XLITE_SHUTDOWN_POWEROFF;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_DESTROY);
	d.shutdown_reason = XLITE_SHUTDOWN_REBOOT;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_RESTART);
	d.shutdown_reason = XLITE_SHUTDOWN_CRASH;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_PRESERVE);
	d.shutdown_reason = XLITE_SHUTDOWN_WATCHDOG;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_PRESERVE);
	d.shutdown_reason = XLITE_SHUTDOWN_SUSPEND;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_WAIT);
	d.shutdown_reason = 200;	/* unknown: treated as a crash */
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_PRESERVE);
	p.on_crash = XLITE_ACTION_COREDUMP_RESTART;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_RESTART);
	d.dying = true;
	g_assert_cmpint(xlite_monitor_decide(&p, &d), ==, XLITE_MONITOR_CLEANUP);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define T(path, fn, act) \
	g_test_add("/monitor/" path, struct fx, act, fx_setup, fn, fx_teardown)
	g_test_add_func("/monitor/decide-maps-shutdown-reasons-to-actions",
			test_decide_maps_shutdown_reasons_to_actions);
	T("running-domain-is-left-alone", test_running_domain_is_left_alone, &xl_defaults);
	T("poweroff-with-destroy-removes-everything",
	  test_poweroff_with_destroy_removes_everything, &xl_defaults);
	T("reboot-with-restart-gives-new-id-same-name",
	  test_reboot_with_restart_gives_new_id_same_name, &xl_defaults);
	T("crash-with-preserve-keeps-domain", test_crash_with_preserve_keeps_domain,
	  &preserve_crash);
	T("outside-destroy-leftovers-are-removed", test_outside_destroy_leftovers_are_removed,
	  &destroy_all);
	T("crash-loop-stops-restarting", test_crash_loop_stops_restarting, &xl_defaults);
#undef T
	return g_test_run();
}
