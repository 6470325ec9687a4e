/* XLITE_FAULT: the Nth call of an op fails, over any hypervisor. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "libtool/device/device.h"
#include "tests/unit/hv-fake.h"

/* A fake host whose HV has the faults of SPEC. */
static void faulty_host(struct xlite_hv_fake *fake, struct xlite_hv *hv, const char *spec)
{
	xlite_hv_fake_init(fake);
	xlite_hv_fake_attach(hv, fake);
	g_assert_cmpint(xlite_hv_fault_wrap(hv, spec), ==, 0);
}

static void test_nth_call_of_the_op_fails_and_others_pass(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	unsigned int maj, min;
	char *dev = NULL;

	faulty_host(&fake, &hv, "loop_attach:2:16");
	g_assert_cmpint(hv.ops->loop_attach(&hv, "/a", false, &dev, &maj, &min), ==, 0);
	g_assert_cmpstr(dev, ==, "/dev/loop0");
	g_free(dev);
	dev = NULL;
	g_assert_cmpint(hv.ops->loop_attach(&hv, "/b", false, &dev, &maj, &min), ==, -EBUSY);
	g_assert_null(dev);
	g_assert_nonnull(strstr(xlite_hv_error(&hv), "injected"));
	g_assert_cmpint(hv.ops->loop_attach(&hv, "/c", false, &dev, &maj, &min), ==, 0);
	g_free(dev);
	/* other ops go through untouched */
	g_assert_cmpint(hv.ops->bridge_check(&hv, "xenbr0"), ==, 0);
	g_assert_cmpint(hv.ops->loop_detach(&hv, "/dev/loop0"), ==, 0);
	g_assert_cmpuint(g_hash_table_size(fake.loops), ==, 1);
	xlite_hv_dispose(&hv);
	g_assert_null(hv.ops);
	xlite_hv_fake_dispose(&fake);
}

static void test_bad_specs_are_refused(void)
{
	static const char *const bad[] = { "", "nope", "loop_attach:0", "loop_attach:x",
					   "loop_attach:1:0", "loop_attach:1:2:3",
					   "domain_info:1", "loop_attach:-1", "loop_attach:1,",
					   ",xs_rm:1", "xs_rm:1,,build_pv:1", "xs_rm:1,nope:1",
					   "xs_rm:1,xs_rm:2,xs_rm:3,xs_rm:4,xs_rm:5" };
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	unsigned int i;

	xlite_hv_fake_init(&fake);
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		xlite_hv_fake_attach(&hv, &fake);
		g_test_message("spec '%s'", bad[i]);
		g_assert_cmpint(xlite_hv_fault_wrap(&hv, bad[i]), ==, -EINVAL);
		g_assert_nonnull(strstr(xlite_hv_error(&hv), "XLITE_FAULT"));
		g_assert_true(hv.ops->loop_attach != NULL);
		xlite_hv_dispose(&hv);
	}
	xlite_hv_fake_dispose(&fake);
}

/* "OP:N,OP:N": each fault counts the calls of its own op. */
static void test_two_faults_each_count_their_own_op(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;

	faulty_host(&fake, &hv, "bridge_check:2,xs_write:1:13");
	g_assert_cmpint(hv.ops->bridge_check(&hv, "xenbr0"), ==, 0);
	g_assert_cmpint(hv.ops->xs_write(&hv, "/x", "1"), ==, -EACCES);
	g_assert_nonnull(strstr(xlite_hv_error(&hv), "xs_write: injected failure"));
	g_assert_cmpint(hv.ops->xs_write(&hv, "/x", "2"), ==, 0);
	g_assert_cmpint(hv.ops->bridge_check(&hv, "xenbr0"), ==, -EIO);
	g_assert_nonnull(strstr(xlite_hv_error(&hv), "bridge_check: injected failure"));
	g_assert_cmpstr(g_tree_lookup(fake.xs, "/x"), ==, "2");
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

/* The rollback steps themselves can be made to fail: xs_rm, domain_destroy. */
static void test_rollback_ops_can_fail_on_demand(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv_create c = { .max_vcpus = 1 };
	struct xlite_hv hv;
	uint32_t domid;

	faulty_host(&fake, &hv, "domain_destroy:1,xs_rm:1");
	g_assert_cmpint(hv.ops->domain_create(&hv, &c, &domid), ==, 0);
	g_assert_cmpint(hv.ops->domain_destroy(&hv, domid), ==, -EIO);
	g_assert_nonnull(xlite_hv_fake_dom(&fake, domid));
	g_assert_cmpint(hv.ops->xs_rm(&hv, "/local/domain/0/name"), ==, -EIO);
	g_assert_nonnull(g_tree_lookup(fake.xs, "/local/domain/0/name"));
	g_assert_cmpint(hv.ops->domain_destroy(&hv, domid), ==, 0);
	g_assert_null(xlite_hv_fake_dom(&fake, domid));
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

/* As the lab does it: a disk attach whose transaction fails, then the
 * release of its loop device: one line each, and the loop is named. */
static void test_double_fault_through_xlite_fault_reports_both(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv_create c = { .max_vcpus = 1 };
	struct xlite_disk d;
	struct xlite_hv hv;
	char *dir = g_dir_make_tmp("xlite-fault-XXXXXX", NULL);
	char *img = g_build_filename(dir, "d.img", NULL);
	char **lines;
	uint32_t domid;
	int fd;

	fd = open(img, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(ftruncate(fd, 1 << 20), ==, 0);
	close(fd);
	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	g_assert_cmpint(hv.ops->domain_create(&hv, &c, &domid), ==, 0);
	g_assert_cmpint(xlite_hv_fault_wrap(&hv, "xs_apply:1,loop_detach:1"), ==, 0);
	memset(&d, 0, sizeof(d));
	d.source = img;
	d.target = (char *)"xvda";
	g_assert_cmpint(xlite_vdev_parse("xvda", &d.vdev), ==, 0);
	g_assert_cmpint(xlite_device_disk_attach(&hv, domid, &d), ==, -EIO);
	lines = g_strsplit(xlite_hv_error(&hv), "\n", 0);
	g_assert_cmpuint(g_strv_length(lines), ==, 2);
	g_assert_nonnull(strstr(lines[0], "xs_apply: injected failure"));
	g_assert_true(g_str_has_prefix(lines[1], "rollback: releasing /dev/loop0: "));
	g_assert_nonnull(strstr(lines[1], "loop_detach: injected failure"));
	g_strfreev(lines);
	/* The loop it could not release is still there, for the user to see. */
	g_assert_cmpuint(g_hash_table_size(fake.loops), ==, 1);
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
	g_unlink(img);
	g_rmdir(dir);
	g_free(img);
	g_free(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/device/fault/nth-call-of-the-op-fails-and-others-pass",
			test_nth_call_of_the_op_fails_and_others_pass);
	g_test_add_func("/device/fault/bad-specs-are-refused", test_bad_specs_are_refused);
	g_test_add_func("/device/fault/two-faults-each-count-their-own-op",
			test_two_faults_each_count_their_own_op);
	g_test_add_func("/device/fault/rollback-ops-can-fail-on-demand",
			test_rollback_ops_can_fail_on_demand);
	g_test_add_func("/device/fault/double-fault-through-xlite-fault-reports-both",
			test_double_fault_through_xlite_fault_reports_both);
	return g_test_run();
}
