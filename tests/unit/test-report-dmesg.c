/* xlite dmesg and GET /api/v1/host/dmesg (libtool/report): Xen's console
 * ring read on the fake hypervisor, cleared on demand, and a failure that
 * says why and gives nothing. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/report/report.h"
#include "tests/unit/hv-fake.h"

static void test_dmesg_reads_banner(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	GString *out = g_string_new("");

	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	g_string_append(fake.console, "(XEN) no newline at the end");
	g_assert_cmpint(xlite_report_dmesg(&hv, false, out), ==, 0);
	g_assert_nonnull(strstr(out->str, "(XEN) Xen version 4.17.0-fake"));
	/* a final newline is added where the ring has none */
	g_assert_true(g_str_has_suffix(out->str, "at the end\n"));
	/* without -c the ring stays */
	g_assert_cmpuint(fake.console->len, >, 0);
	g_string_free(out, TRUE);
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

static void test_dmesg_clear_empties_ring(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	GString *out = g_string_new("");

	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	g_assert_cmpint(xlite_report_dmesg(&hv, true, out), ==, 0);
	g_assert_nonnull(strstr(out->str, "Xen version"));
	g_string_truncate(out, 0);
	g_assert_cmpint(xlite_report_dmesg(&hv, false, out), ==, 0);
	g_assert_cmpstr(out->str, ==, "");
	g_string_free(out, TRUE);
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

static void test_dmesg_failure_says_why(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	GString *out = g_string_new("before\n");

	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	fake.fail_op = "console_read";
	fake.fail_at = 1;
	fake.fail_errno = -EPERM;
	g_assert_cmpint(xlite_report_dmesg(&hv, true, out), ==, -EPERM);
	g_assert_nonnull(strstr(xlite_hv_error(&hv), "console_read: injected failure"));
	/* nothing appended, and a failed -c clears nothing */
	g_assert_cmpstr(out->str, ==, "before\n");
	g_assert_nonnull(strstr(fake.console->str, "Xen version"));
	g_string_free(out, TRUE);
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/dmesg/reads-the-ring-with-final-newline", test_dmesg_reads_banner);
	g_test_add_func("/report/dmesg/clear-empties-the-ring", test_dmesg_clear_empties_ring);
	g_test_add_func("/report/dmesg/failure-says-why-gives-nothing", test_dmesg_failure_says_why);
	return g_test_run();
}
