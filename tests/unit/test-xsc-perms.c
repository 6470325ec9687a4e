/* Permission strings: parsing, validation and formatting. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc.h"

static void test_parse_one_letter_and_domid(void)
{
	struct xs_permissions p;

	g_assert_cmpint(xsc_perm_parse("n0", &p, NULL), ==, 0);
	g_assert_cmpuint(p.id, ==, 0);
	g_assert_cmpuint(p.perms, ==, XS_PERM_NONE);
	g_assert_cmpint(xsc_perm_parse("r5", &p, NULL), ==, 0);
	g_assert_cmpuint(p.id, ==, 5);
	g_assert_cmpuint(p.perms, ==, XS_PERM_READ);
	g_assert_cmpint(xsc_perm_parse("w12", &p, NULL), ==, 0);
	g_assert_cmpuint(p.perms, ==, XS_PERM_WRITE);
	g_assert_cmpint(xsc_perm_parse("b32751", &p, NULL), ==, 0);
	g_assert_cmpuint(p.id, ==, 32751);
	g_assert_cmpuint(p.perms, ==, XS_PERM_READ | XS_PERM_WRITE);
}

static void test_parse_rejects_bad_entries_with_a_reason(void)
{
	static const char *const bad[] = {
		"", "x5", "R5", "n", "n-1", "n+1", "n 1", "n1a", "r0x10",
		"n32752", "n99999999999999999999", "nn0",
	};
	struct xs_permissions p;
	struct xsc_err err;
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		err.msg[0] = '\0';
		g_assert_cmpint(xsc_perm_parse(bad[i], &p, &err), <, 0);
		g_assert_cmpstr(err.msg, !=, "");
	}
	g_assert_cmpint(xsc_perm_parse("n32752", &p, NULL), ==, -ERANGE);
}

static void test_parse_list_with_commas_or_blanks(void)
{
	struct xs_permissions *p = NULL;
	unsigned int n = 0;

	g_assert_cmpint(xsc_perms_parse("n0,r5", &p, &n, NULL), ==, 0);
	g_assert_cmpuint(n, ==, 2);
	g_assert_cmpuint(p[0].id, ==, 0);
	g_assert_cmpuint(p[0].perms, ==, XS_PERM_NONE);
	g_assert_cmpuint(p[1].id, ==, 5);
	g_assert_cmpuint(p[1].perms, ==, XS_PERM_READ);
	g_free(p);

	g_assert_cmpint(xsc_perms_parse("  b3 w1,\tr2 ", &p, &n, NULL), ==, 0);
	g_assert_cmpuint(n, ==, 3);
	g_assert_cmpuint(p[2].id, ==, 2);
	g_free(p);
}

static void test_parse_list_from_argv(void)
{
	const char *argv[] = { "n0", "r5,w7", "b9" };
	struct xs_permissions *p = NULL;
	unsigned int n = 0;

	g_assert_cmpint(xsc_perms_parse_strv(argv, 3, &p, &n, NULL), ==, 0);
	g_assert_cmpuint(n, ==, 4);
	g_assert_cmpuint(p[1].id, ==, 5);
	g_assert_cmpuint(p[2].perms, ==, XS_PERM_WRITE);
	g_assert_cmpuint(p[3].id, ==, 9);
	g_free(p);
}

static void test_parse_list_rejects_empty_and_bad(void)
{
	struct xs_permissions *p = NULL;
	unsigned int n = 7;
	struct xsc_err err = { "" };

	g_assert_cmpint(xsc_perms_parse("", &p, &n, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err.msg, "empty"));
	g_assert_cmpint(xsc_perms_parse(" , ", &p, &n, NULL), ==, -EINVAL);
	g_assert_cmpint(xsc_perms_parse("n0,q1", &p, &n, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err.msg, "q1"));
	g_assert_cmpint(xsc_perms_parse("n0,r123456789012345678", &p, &n, NULL), <, 0);
	g_assert_null(p);
	g_assert_cmpuint(n, ==, 7);	/* outputs untouched on failure */
}

static void test_parse_list_caps_its_length(void)
{
	GString *s = g_string_new("n0");
	struct xs_permissions *p = NULL;
	unsigned int n = 0, i;

	for (i = 1; i < XSC_PERMS_MAX; i++)
		g_string_append_printf(s, ",r%u", i);
	g_assert_cmpint(xsc_perms_parse(s->str, &p, &n, NULL), ==, 0);
	g_assert_cmpuint(n, ==, XSC_PERMS_MAX);
	g_free(p);
	g_string_append(s, ",r1");
	p = NULL;
	g_assert_cmpint(xsc_perms_parse(s->str, &p, &n, NULL), ==, -E2BIG);
	g_assert_null(p);
	g_string_free(s, TRUE);
}

static void test_validate_checks_bits_domids_and_count(void)
{
	struct xs_permissions ok[2] = { { 0, XS_PERM_NONE }, { 5, XS_PERM_READ } };
	struct xs_permissions bits[1] = { { 0, XS_PERM_OWNER } };
	struct xs_permissions dom[1] = { { 0x7FF0, XS_PERM_READ } };

	g_assert_cmpint(xsc_perms_validate(ok, 2, NULL), ==, 0);
	g_assert_cmpint(xsc_perms_validate(ok, 0, NULL), ==, -EINVAL);
	g_assert_cmpint(xsc_perms_validate(NULL, 1, NULL), ==, -EINVAL);
	g_assert_cmpint(xsc_perms_validate(bits, 1, NULL), ==, -EINVAL);
	g_assert_cmpint(xsc_perms_validate(dom, 1, NULL), ==, -ERANGE);
	g_assert_cmpint(xsc_perms_validate(ok, XSC_PERMS_MAX + 1, NULL), ==, -E2BIG);
}

static void test_format_round_trips(void)
{
	struct xs_permissions *p = NULL;
	unsigned int n = 0;
	char *s;

	g_assert_cmpint(xsc_perms_parse("n0 r5 w1 b3", &p, &n, NULL), ==, 0);
	s = xsc_perms_format(p, n, ",");
	g_assert_cmpstr(s, ==, "n0,r5,w1,b3");
	g_free(s);
	s = xsc_perms_format(p, n, " ");
	g_assert_cmpstr(s, ==, "n0 r5 w1 b3");
	g_free(s);
	g_free(p);
}

static void test_format_refuses_invalid_lists(void)
{
	struct xs_permissions bad[1] = { { 1, 0x40 } };

	g_assert_null(xsc_perms_format(bad, 1, ","));
	g_assert_null(xsc_perms_format(bad, 0, ","));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xsc/perms/parse-one-letter-and-domid", test_parse_one_letter_and_domid);
	g_test_add_func("/xsc/perms/parse-rejects-bad-entries-with-a-reason",
			test_parse_rejects_bad_entries_with_a_reason);
	g_test_add_func("/xsc/perms/parse-list-with-commas-or-blanks",
			test_parse_list_with_commas_or_blanks);
	g_test_add_func("/xsc/perms/parse-list-from-argv", test_parse_list_from_argv);
	g_test_add_func("/xsc/perms/parse-list-rejects-empty-and-bad",
			test_parse_list_rejects_empty_and_bad);
	g_test_add_func("/xsc/perms/parse-list-caps-its-length", test_parse_list_caps_its_length);
	g_test_add_func("/xsc/perms/validate-checks-bits-domids-and-count",
			test_validate_checks_bits_domids_and_count);
	g_test_add_func("/xsc/perms/format-round-trips", test_format_round_trips);
	g_test_add_func("/xsc/perms/format-refuses-invalid-lists", test_format_refuses_invalid_lists);
	return g_test_run();
}
