/* Path and value checks, and xenstore-read/-write value quoting. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc.h"

static void test_valid_paths_pass(void)
{
	static const char *const good[] = {
		"/", "/local", "/local/domain/0/backend/vbd/5/51712",
		"/a-b_c@d/E9", "/tool/xlite",
	};
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(good); i++)
		g_assert_cmpint(xsc_path_validate(good[i], NULL), ==, 0);
}

static void test_invalid_paths_fail_with_a_reason(void)
{
	static const char *const bad[] = {
		"", "local", "//", "/a//b", "/a/", "/a b", "/a.b", "/a\nb", "/a/ü",
		"/a:b", "/a*", "relative/path",
	};
	struct xsc_err err;
	unsigned int i;

	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		err.msg[0] = '\0';
		g_assert_cmpint(xsc_path_validate(bad[i], &err), ==, -EINVAL);
		g_assert_cmpstr(err.msg, !=, "");
	}
	g_assert_cmpint(xsc_path_validate(NULL, NULL), ==, -EINVAL);
}

static void test_path_length_limit_is_xenstores(void)
{
	char *p = g_malloc(XENSTORE_ABS_PATH_MAX + 2);

	memset(p, 'a', XENSTORE_ABS_PATH_MAX + 1);
	p[0] = '/';
	p[XENSTORE_ABS_PATH_MAX] = '\0';
	g_assert_cmpint(xsc_path_validate(p, NULL), ==, 0);
	p[XENSTORE_ABS_PATH_MAX] = 'a';
	p[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	g_assert_cmpint(xsc_path_validate(p, NULL), ==, -ENAMETOOLONG);
	g_free(p);
}

static void test_watch_paths_allow_special_events(void)
{
	g_assert_cmpint(xsc_watch_path_validate("@releaseDomain", NULL), ==, 0);
	g_assert_cmpint(xsc_watch_path_validate("@introduceDomain", NULL), ==, 0);
	g_assert_cmpint(xsc_watch_path_validate("/local/domain", NULL), ==, 0);
	g_assert_cmpint(xsc_watch_path_validate("@other", NULL), ==, -EINVAL);
	g_assert_cmpint(xsc_path_validate("@releaseDomain", NULL), ==, -EINVAL);
}

static void test_value_must_fit_one_message(void)
{
	const char *path = "/a/b";	/* 4 bytes + NUL */
	struct xsc_err err = { "" };

	g_assert_cmpint(xsc_value_validate(path, 0, NULL), ==, 0);
	g_assert_cmpint(xsc_value_validate(path, XENSTORE_PAYLOAD_MAX - 5, NULL), ==, 0);
	g_assert_cmpint(xsc_value_validate(path, XENSTORE_PAYLOAD_MAX - 4, &err), ==, -E2BIG);
	g_assert_nonnull(strstr(err.msg, "/a/b"));
	g_assert_cmpint(xsc_value_validate(path, (size_t)-1, NULL), ==, -E2BIG);
}

static void test_quote_like_xenstore_read(void)
{
	GString *s = g_string_new(NULL);

	xsc_value_quote(s, "plain text", 10);
	g_assert_cmpstr(s->str, ==, "plain text");
	g_string_truncate(s, 0);
	xsc_value_quote(s, "a\tb\nc\rd\\e\001f\x7f\xff", 13);
	g_assert_cmpstr(s->str, ==, "a\\tb\\nc\\rd\\\\e\\001f\\x7f\\xff");
	g_string_truncate(s, 0);
	xsc_value_quote(s, "x\0y", 3);
	g_assert_cmpstr(s->str, ==, "x\\000y");
	g_string_free(s, TRUE);
}

static void test_unquote_like_xenstore_write(void)
{
	GString *s = g_string_new(NULL);

	xsc_value_unquote(s, "a\\tb\\nc\\\\d\\x41\\101\\q\\xzz");
	g_assert_cmpuint(s->len, ==, 13);
	g_assert_cmpstr(s->str, ==, "a\tb\nc\\dAAqxzz");
	g_string_truncate(s, 0);
	xsc_value_unquote(s, "\\0end\\");
	g_assert_cmpuint(s->len, ==, 5);
	g_assert_cmpint(s->str[0], ==, '\0');
	g_assert_cmpstr(s->str + 1, ==, "end\\");
	g_string_free(s, TRUE);
}

static void test_quote_then_unquote_is_identity(void)
{
	GString *q = g_string_new(NULL), *u = g_string_new(NULL);
	char all[256];
	unsigned int i;

	for (i = 0; i < 256; i++)
		all[i] = (char)i;
	xsc_value_quote(q, all, sizeof(all));
	xsc_value_unquote(u, q->str);
	g_assert_cmpuint(u->len, ==, sizeof(all));
	g_assert_cmpmem(u->str, u->len, all, sizeof(all));
	g_string_free(q, TRUE);
	g_string_free(u, TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xsc/path/valid-paths-pass", test_valid_paths_pass);
	g_test_add_func("/xsc/path/invalid-paths-fail-with-a-reason",
			test_invalid_paths_fail_with_a_reason);
	g_test_add_func("/xsc/path/length-limit-is-xenstores", test_path_length_limit_is_xenstores);
	g_test_add_func("/xsc/path/watch-paths-allow-special-events",
			test_watch_paths_allow_special_events);
	g_test_add_func("/xsc/path/value-must-fit-one-message", test_value_must_fit_one_message);
	g_test_add_func("/xsc/quote/like-xenstore-read", test_quote_like_xenstore_read);
	g_test_add_func("/xsc/quote/unquote-like-xenstore-write", test_unquote_like_xenstore_write);
	g_test_add_func("/xsc/quote/quote-then-unquote-is-identity",
			test_quote_then_unquote_is_identity);
	return g_test_run();
}
