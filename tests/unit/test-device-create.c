/* Devices in a whole create (xlite_apply on the fake hypervisor): the
 * placeholders of the plan get the host sides, vifs land on the bridge,
 * and a failure injected at every step of the create leaves no domain,
 * loop device, bridge port or xenstore node behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/apply.h"
#include "libtool/device/device.h"
#include "tests/unit/apply-fixture.h"
#include "tests/unit/hv-fake.h"

struct fx {
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	struct xlite_config cfg;
	struct xlite_plan plan;
	char *dir, *img[2], *xml;
	GPtrArray *baseline;
};

static void fx_setup(struct fx *f, gconstpointer unused)
{
	char *xml, *err = NULL;
	unsigned int i;

	(void)unused;
	xlite_hv_fake_init(&f->fake);
	xlite_hv_fake_attach(&f->hv, &f->fake);
	f->baseline = xlite_hv_fake_xs_paths(&f->fake);
	f->dir = g_dir_make_tmp("xlite-dc-XXXXXX", NULL);
	for (i = 0; i < 2; i++) {
		int fd;

		f->img[i] = g_strdup_printf("%s/d%u.img", f->dir, i);
		fd = open(f->img[i], O_WRONLY | O_CREAT, 0600);
		g_assert_cmpint(fd, >=, 0);
		g_assert_cmpint(ftruncate(fd, 1 << 20), ==, 0);
		close(fd);
	}
	xml = g_strdup_printf(
		"<domain type='xen'><name>dc</name><memory unit='MiB'>32</memory>"
		"<os><type>linux</type><kernel>/k</kernel></os><devices>"
		"<disk type='file' device='disk'><source file='%s'/><target dev='xvda'/></disk>"
		"<disk type='file' device='disk'><source file='%s'/><target dev='xvdb'/>"
		"<readonly/></disk>"
		"<interface type='bridge'><source bridge='xenbr0'/></interface>"
		"</devices></domain>", f->img[0], f->img[1]);
	xlite_config_init(&f->cfg);
	xlite_plan_init(&f->plan);
	g_assert_cmpint(xlite_config_parse_memory(&f->cfg, xml, strlen(xml), "dc.xml", NULL,
						  NULL, &err), ==, 0);
	g_assert_cmpint(xlite_plan_build(&f->plan, &f->cfg, &err), ==, 0);
	f->xml = xml;
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	unsigned int i;
	char *lock;

	(void)unused;
	for (i = 0; i < 2; i++) {
		g_unlink(f->img[i]);
		g_free(f->img[i]);
	}
	lock = g_build_filename(f->dir, "dc.lock", NULL);
	g_unlink(lock);
	g_free(lock);
	g_rmdir(f->dir);
	g_free(f->dir);
	g_free(f->xml);
	xlite_plan_dispose(&f->plan);
	xlite_config_dispose(&f->cfg);
	g_ptr_array_unref(f->baseline);
	xlite_hv_fake_dispose(&f->fake);
}

static int create(struct fx *f, struct xlite_apply_result *res, char **err)
{
	struct xlite_apply_opts opts;

	memset(&opts, 0, sizeof(opts));
	opts.lock_dir = f->dir;
	opts.vif_timeout_ms = 100;
	return xlite_apply(&f->hv, &f->plan, &opts, res, err);
}

static const char *node(struct fx *f, const char *path)
{
	return g_tree_lookup(f->fake.xs, path);
}

static void test_create_gives_disks_loops_and_the_vif_its_bridge(struct fx *f, gconstpointer u)
{
	struct xlite_apply_result res;
	char *err = NULL, path[128];
	GPtrArray *ports;

	(void)u;
	xlite_apply_result_init(&res);
	g_assert_cmpint(create(f, &res, &err), ==, 0);
	snprintf(path, sizeof(path), "/local/domain/0/backend/vbd/%u/51712/physical-device",
		 res.domid);
	g_assert_cmpstr(node(f, path), ==, "7:0");
	snprintf(path, sizeof(path), "/local/domain/0/backend/vbd/%u/51728/physical-device",
		 res.domid);
	g_assert_cmpstr(node(f, path), ==, "7:1");
	snprintf(path, sizeof(path), "/local/domain/0/backend/vbd/%u/51728/mode", res.domid);
	g_assert_cmpstr(node(f, path), ==, "r");
	snprintf(path, sizeof(path), "/local/domain/0/backend/vif/%u/0/hotplug-status",
		 res.domid);
	g_assert_cmpstr(node(f, path), ==, "connected");
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 2);
	ports = g_hash_table_lookup(f->fake.bridges, "xenbr0");
	g_assert_cmpuint(ports->len, ==, 1);
	xlite_apply_result_dispose(&res);
}

static void test_create_with_a_missing_bridge_fails_before_the_build(struct fx *f,
								    gconstpointer u)
{
	struct xlite_apply_result res;
	char *err = NULL, *left;
	guint i;

	(void)u;
	g_hash_table_remove(f->fake.bridges, "xenbr0");
	xlite_apply_result_init(&res);
	g_assert_cmpint(create(f, &res, &err), <, 0);
	g_assert_nonnull(strstr(err, "xenbr0"));
	for (i = 0; i < f->fake.log->len; i++)
		g_assert_cmpstr(f->fake.log->pdata[i], !=, "build_pv");
	left = xlite_hv_fake_residue(&f->fake, f->baseline);
	g_assert_cmpstr(left, ==, "");
	g_free(left);
	g_free(err);
	xlite_apply_result_dispose(&res);
}

static void test_failure_at_every_step_leaves_nothing(struct fx *f, gconstpointer u)
{
	unsigned long n, failed;

	(void)u;
	failed = apply_fail_each_step(f->xml, "xlite-dc-XXXXXX", 100, &n);
	/* Most ops are steps whose failure fails the create. */
	g_assert_cmpuint(failed, >=, n / 2);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/device/create/" name, struct fx, NULL, fx_setup, fn, \
				 fx_teardown)
	ADD("create-gives-disks-loops-and-the-vif-its-bridge",
	    test_create_gives_disks_loops_and_the_vif_its_bridge);
	ADD("create-with-a-missing-bridge-fails-before-the-build",
	    test_create_with_a_missing_bridge_fails_before_the_build);
	ADD("failure-at-every-step-leaves-nothing", test_failure_at_every_step_leaves_nothing);
#undef ADD
	return g_test_run();
}
