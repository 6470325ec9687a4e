/* The per-domain monitor: on_poweroff / on_reboot / on_crash carried out,
 * and the leftovers of a domain destroyed from outside removed. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/domain.h"
#include "libtool/apply/monitor.h"
#include "tests/unit/apply-fixture.h"

struct fx {
	struct apply_host host;
	struct xlite_monitor mon;
	uint32_t domid;
};

struct actions {
	const char *poweroff, *reboot, *crash;
};

static void fx_setup(struct fx *f, gconstpointer data)
{
	const struct actions *act = data;
	struct xlite_apply_result res;
	char *xml, *err = NULL;

	memset(f, 0, sizeof(*f));
	apply_host_init(&f->host, "test-monitor-XXXXXX");
	xml = g_strdup_printf(
		"<domain type='xen'><name>mon</name><memory unit='MiB'>64</memory>"
		"<vcpu>1</vcpu><os><type>linux</type><kernel>/k</kernel></os>"
		"<on_poweroff>%s</on_poweroff><on_reboot>%s</on_reboot>"
		"<on_crash>%s</on_crash><devices><disk type='file' device='disk'>"
		"<source file='%s'/><target dev='xvda'/></disk>"
		"<interface type='bridge'><source bridge='xenbr0'/></interface>"
		"</devices></domain>",
		act->poweroff, act->reboot, act->crash, f->host.disk);
	apply_host_plan(&f->host, xml);
	g_free(xml);
	xlite_apply_result_init(&res);
	if (xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, &res, &err) < 0)
		g_error("apply: %s", err);
	f->domid = res.domid;
	xlite_monitor_init(&f->mon, &f->host.hv, &f->host.plan, &f->host.opts, f->domid,
			   res.loops);
	xlite_apply_result_dispose(&res);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_monitor_dispose(&f->mon);
	apply_host_dispose(&f->host);
}

static const struct actions destroy_all = { "destroy", "destroy", "destroy" };
static const struct actions xl_defaults = { "destroy", "restart", "destroy" };
static const struct actions preserve_crash = { "destroy", "restart", "preserve" };

static void test_running_domain_is_left_alone(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
	g_assert_nonnull(xlite_hv_fake_dom(&f->host.fake, f->domid));
}

static void test_poweroff_with_destroy_removes_everything(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_hv_fake_shutdown(&f->host.fake, f->domid, XLITE_SHUTDOWN_POWEROFF);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	assert_nothing_left(&f->host);
}

static void test_reboot_with_restart_gives_new_id_same_name(struct fx *f, gconstpointer unused)
{
	uint32_t old = f->domid, now = 0;

	(void)unused;
	xlite_hv_fake_shutdown(&f->host.fake, f->domid, XLITE_SHUTDOWN_REBOOT);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
	g_assert_null(xlite_hv_fake_dom(&f->host.fake, old));
	g_assert_cmpuint(f->mon.domid, !=, old);
	g_assert_cmpint(xlite_domain_find(&f->host.hv, "mon", &now), ==, 0);
	g_assert_cmpuint(now, ==, f->mon.domid);
	g_assert_false(xlite_hv_fake_dom(&f->host.fake, now)->info.paused);
	/* The old domain's nodes are gone, the new one's there: one loop. */
	g_assert_cmpuint(g_hash_table_size(f->host.fake.loops), ==, 1);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
}

static void test_crash_with_preserve_keeps_domain(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_hv_fake_shutdown(&f->host.fake, f->domid, XLITE_SHUTDOWN_CRASH);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	g_assert_nonnull(xlite_hv_fake_dom(&f->host.fake, f->domid));
}

static void test_outside_destroy_leftovers_are_removed(struct fx *f, gconstpointer unused)
{
	char path[96];

	(void)unused;
	/* What `xl destroy` does to a domain it did not make: the domain, its
	 * /local/domain/D and /vm entry go; backends and loop stay. */
	f->host.hv.ops->domain_destroy(&f->host.hv, f->domid);
	snprintf(path, sizeof(path), "/local/domain/%u", f->domid);
	f->host.hv.ops->xs_rm(&f->host.hv, path);
	snprintf(path, sizeof(path), "/vm/%s", f->host.plan.uuid);
	f->host.hv.ops->xs_rm(&f->host.hv, path);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	assert_nothing_left(&f->host);
}

static void test_crash_loop_stops_restarting(struct fx *f, gconstpointer unused)
{
	int i, rc = 1;

	(void)unused;
	for (i = 0; i <= XLITE_MONITOR_MAX_RESTARTS && rc == 1; i++) {
		xlite_hv_fake_shutdown(&f->host.fake, f->mon.domid, XLITE_SHUTDOWN_REBOOT);
		rc = xlite_monitor_step(&f->mon);
	}
	g_assert_cmpint(i, ==, XLITE_MONITOR_MAX_RESTARTS + 1);
	g_assert_cmpint(rc, ==, 0);
	assert_nothing_left(&f->host);
}

/* The CLI's monitor and xlited: it gives way only to a daemon that runs
 * (its lock held) and has marked the domain; then the daemon acts. */
static void test_cli_monitor_gives_way_to_the_daemon(struct fx *f, gconstpointer unused)
{
	uint32_t old = f->domid;
	char *err = NULL;
	int lock = -1;

	(void)unused;
	f->mon.give_way = true;
	g_assert_false(xlite_daemon_running(f->host.dir));
	g_assert_cmpint(xlite_daemon_lock(f->host.dir, &lock, &err), ==, 0);
	g_assert_true(xlite_daemon_running(f->host.dir));
	/* Running, not marked: the monitor keeps the domain. */
	g_assert_false(xlite_monitor_adopted(&f->host.hv, f->host.dir, old));
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
	/* Marked: a reboot is left to the daemon (no restart by the monitor). */
	g_assert_cmpint(xlite_monitor_mark_adopted(&f->host.hv, old), ==, 0);
	g_assert_true(xlite_monitor_adopted(&f->host.hv, f->host.dir, old));
	xlite_hv_fake_shutdown(&f->host.fake, old, XLITE_SHUTDOWN_REBOOT);
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 0);
	g_assert_nonnull(xlite_hv_fake_dom(&f->host.fake, old));
	g_assert_true(xlite_hv_fake_dom(&f->host.fake, old)->info.shutdown);
	/* A second daemon is refused while the first holds the lock. */
	{
		int other = -1;

		g_assert_cmpint(xlite_daemon_lock(f->host.dir, &other, &err), ==, -EBUSY);
		g_assert_nonnull(strstr(err, "held by another xlited"));
		g_clear_pointer(&err, g_free);
	}
	/* The daemon gone (its lock released), the mark alone is not enough. */
	xlite_name_unlock(&lock);
	g_assert_false(xlite_monitor_adopted(&f->host.hv, f->host.dir, old));
	g_assert_cmpint(xlite_monitor_step(&f->mon), ==, 1);
	g_assert_null(xlite_hv_fake_dom(&f->host.fake, old));
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

/* The log is appended to, and a symbolic link planted in its place (to
 * make a root monitor write elsewhere) is refused, its target untouched. */
static void test_log_refuses_a_symlink(void)
{
	g_autoptr(GError) gerr = NULL;
	g_autofree char *dir = g_dir_make_tmp("test-monitor-log-XXXXXX", &gerr);
	g_autofree char *log = g_build_filename(dir, "xlite-web.log", NULL);
	g_autofree char *target = g_build_filename(dir, "target", NULL);
	g_autofree char *link = g_build_filename(dir, "xlite-link.log", NULL);
	g_autofree char *text = NULL;
	char *err = NULL;
	int fd;

	g_assert_no_error(gerr);
	fd = xlite_monitor_log_open(log, &err);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, "a\n", 2), ==, 2);
	close(fd);
	fd = xlite_monitor_log_open(log, &err);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, "b\n", 2), ==, 2);
	close(fd);
	g_assert_true(g_file_get_contents(log, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "a\nb\n");

	g_assert_true(g_file_set_contents(target, "kept", -1, NULL));
	g_assert_cmpint(symlink(target, link), ==, 0);
	g_assert_cmpint(xlite_monitor_log_open(link, &err), ==, -ELOOP);
	g_assert_nonnull(strstr(err, "symbolic link"));
	g_free(err);
	g_free(text);
	g_assert_true(g_file_get_contents(target, &text, NULL, NULL));
	g_assert_cmpstr(text, ==, "kept");

	/* nor anything but a regular file (here a device) */
	g_assert_cmpint(xlite_monitor_log_open("/dev/null", &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "not a regular file"));
	g_free(err);
	g_unlink(link);
	g_unlink(target);
	g_unlink(log);
	g_rmdir(dir);
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
	T("cli-monitor-gives-way-to-the-daemon", test_cli_monitor_gives_way_to_the_daemon,
	  &xl_defaults);
#undef T
	g_test_add_func("/monitor/log-refuses-a-symlink", test_log_refuses_a_symlink);
	return g_test_run();
}
