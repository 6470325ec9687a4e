/* XLITE_FAULT: the Nth call of an op fails, over any hypervisor. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "tests/unit/hv-fake.h"

static void test_nth_call_of_the_op_fails_and_others_pass(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	unsigned int maj, min;
	char *dev = NULL;

	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	g_assert_cmpint(xlite_hv_fault_wrap(&hv, "loop_attach:2:16"), ==, 0);
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
					   "domain_destroy:1", "loop_attach:-1" };
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

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/device/fault/nth-call-of-the-op-fails-and-others-pass",
			test_nth_call_of_the_op_fails_and_others_pass);
	g_test_add_func("/device/fault/bad-specs-are-refused", test_bad_specs_are_refused);
	return g_test_run();
}
