/* Formatting subtrees: JSON escaping, the JSON dump, xenstore-ls layout. */
#include <string.h>

#include "libtool/util/json.h"
#include "xenstore-client/xsc.h"

/* A value as the JSON dump writes it (libtool/util/json.c), alone in a
 * compact array. */
static char *escape(const char *s, size_t len)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *out = NULL;
	size_t n;

	xlite_json_begin_array(b);
	xlite_json_add_bytes(b, s, len);
	xlite_json_end_array(b);
	out = xlite_json_to_string(b, false);
	n = strlen(out);
	g_assert_true(g_str_has_prefix(out, "[") && g_str_has_suffix(out, "]\n"));
	return g_strndup(out + 1, n - 3);
}

static void test_json_escape_quotes_and_controls(void)
{
	char *s;

	s = escape("plain", 5);
	g_assert_cmpstr(s, ==, "\"plain\"");
	g_free(s);
	s = escape("a\"b\\c/d", 7);
	g_assert_cmpstr(s, ==, "\"a\\\"b\\\\c/d\"");
	g_free(s);
	s = escape("\b\f\n\r\t\x01\x1f\x7f", 8);
	g_assert_cmpstr(s, ==, "\"\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f\"");
	g_free(s);
	s = escape("", 0);
	g_assert_cmpstr(s, ==, "\"\"");
	g_free(s);
}

static void test_json_escape_keeps_nul_bytes(void)
{
	char *s = escape("a\0b", 3);

	g_assert_cmpstr(s, ==, "\"a\\u0000b\"");
	g_free(s);
}

static void test_json_escape_passes_utf8_and_maps_invalid_bytes(void)
{
	char *s;

	s = escape("caf\xc3\xa9 \xe2\x82\xac", 9);
	g_assert_cmpstr(s, ==, "\"caf\xc3\xa9 \xe2\x82\xac\"");
	g_free(s);
	/* A lone continuation byte, a truncated sequence, an overlong '/'. */
	s = escape("\x80x\xe2\x82", 4);
	g_assert_cmpstr(s, ==, "\"\\u0080x\\u00e2\\u0082\"");
	g_free(s);
	s = escape("\xc0\xaf", 2);
	g_assert_cmpstr(s, ==, "\"\\u00c0\\u00af\"");
	g_assert_true(g_utf8_validate(s, -1, NULL));
	g_free(s);
}

static struct xsc_node *sample_tree(void)
{
	struct xs_permissions p0[1] = { { 0, XS_PERM_NONE } };
	struct xs_permissions p5[2] = { { 5, XS_PERM_NONE }, { 0, XS_PERM_READ } };
	struct xsc_node *root = xsc_node_new("/foo"), *bar, *baz;

	xsc_node_set_value(root, "", 0);
	xsc_node_set_perms(root, p0, 1);
	bar = xsc_node_add_child(root, "bar");
	xsc_node_set_value(bar, "hello \"world\"", 13);
	xsc_node_set_perms(bar, p5, 2);
	baz = xsc_node_add_child(bar, "baz");
	xsc_node_set_value(baz, "1", 1);
	xsc_node_set_perms(baz, p5, 2);
	baz = xsc_node_add_child(root, "empty");
	xsc_node_set_value(baz, "", 0);
	xsc_node_set_perms(baz, p0, 1);
	return root;
}

static void test_json_dump_of_a_tree(void)
{
	struct xsc_node *root = sample_tree();
	GString *out = g_string_new(NULL);

	xsc_tree_format_json(root, XSC_TREE_PERMS, out);
	g_assert_cmpstr(out->str, ==,
		"{\n"
		"  \"path\": \"/foo\",\n"
		"  \"value\": \"\",\n"
		"  \"perms\": [\"n0\"],\n"
		"  \"children\": [\n"
		"    {\n"
		"      \"name\": \"bar\",\n"
		"      \"value\": \"hello \\\"world\\\"\",\n"
		"      \"perms\": [\"n5\", \"r0\"],\n"
		"      \"children\": [\n"
		"        {\n"
		"          \"name\": \"baz\",\n"
		"          \"value\": \"1\",\n"
		"          \"perms\": [\"n5\", \"r0\"],\n"
		"          \"children\": []\n"
		"        }\n"
		"      ]\n"
		"    },\n"
		"    {\n"
		"      \"name\": \"empty\",\n"
		"      \"value\": \"\",\n"
		"      \"perms\": [\"n0\"],\n"
		"      \"children\": []\n"
		"    }\n"
		"  ]\n"
		"}\n");
	g_string_free(out, TRUE);
	xsc_node_free(root);
}

static void test_json_dump_without_perms_or_values(void)
{
	struct xsc_node *root = xsc_node_new("/x");
	GString *out = g_string_new(NULL);

	xsc_tree_format_json(root, 0, out);
	g_assert_cmpstr(out->str, ==,
		"{\n  \"path\": \"/x\",\n  \"value\": null,\n  \"children\": []\n}\n");
	g_string_free(out, TRUE);
	xsc_node_free(root);
}

static void test_ls_layout_matches_xenstore_ls(void)
{
	struct xsc_node *root = sample_tree();
	GString *out = g_string_new(NULL);

	xsc_tree_format_ls(root, 0, out);
	g_assert_cmpstr(out->str, ==,
		"bar = \"hello \"world\"\"\n"
		" baz = \"1\"\n"
		"empty = \"\"\n");
	g_string_free(out, TRUE);
	xsc_node_free(root);
}

static void test_ls_with_perms_pads_to_column_60(void)
{
	struct xsc_node *root = sample_tree();
	GString *out = g_string_new(NULL);
	gchar **lines;

	xsc_tree_format_ls(root, XSC_TREE_PERMS, out);
	/* xenstore-ls -p: a blank, dots and blanks alternating up to column 60. */
	g_assert_cmpstr(out->str, ==,
		"bar = \"hello \"world\"\"  . . . . . . . . . . . . . . . . . . .  (n5,r0)\n"
		" baz = \"1\" . . . . . . . . . . . . . . . . . . . . . . . . .  (n5,r0)\n"
		"empty = \"\" . . . . . . . . . . . . . . . . . . . . . . . . .  (n0)\n");
	lines = g_strsplit(out->str, "\n", -1);
	g_assert_cmpint(strstr(lines[0], "  (") - lines[0], ==, 60);
	g_assert_cmpint(strstr(lines[1], "  (") - lines[1], ==, 60);
	g_strfreev(lines);
	g_string_free(out, TRUE);
	xsc_node_free(root);
}

static void test_ls_truncates_long_values_like_xenstore_ls(void)
{
	struct xsc_node *root = xsc_node_new("/"), *n;
	GString *out = g_string_new(NULL);
	char value[100];

	memset(value, 'v', sizeof(value));
	n = xsc_node_add_child(root, "key");
	xsc_node_set_value(n, value, sizeof(value));
	n = xsc_node_add_child(root, "tab");
	xsc_node_set_value(n, "a\tb", 3);
	xsc_tree_format_ls(root, 0, out);
	/* 80 columns: name (3) + room for 80 - 8 - 3 = 69 value characters. */
	g_assert_cmpstr(out->str, ==,
		"key = \"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\\...\"\n"
		"tab = \"a\\tb\"\n");
	g_string_free(out, TRUE);
	xsc_node_free(root);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/xsc/json/escape-quotes-and-controls", test_json_escape_quotes_and_controls);
	g_test_add_func("/xsc/json/escape-keeps-nul-bytes", test_json_escape_keeps_nul_bytes);
	g_test_add_func("/xsc/json/escape-passes-utf8-and-maps-invalid-bytes",
			test_json_escape_passes_utf8_and_maps_invalid_bytes);
	g_test_add_func("/xsc/json/dump-of-a-tree", test_json_dump_of_a_tree);
	g_test_add_func("/xsc/json/dump-without-perms-or-values",
			test_json_dump_without_perms_or_values);
	g_test_add_func("/xsc/ls/layout-matches-xenstore-ls", test_ls_layout_matches_xenstore_ls);
	g_test_add_func("/xsc/ls/with-perms-pads-to-column-60", test_ls_with_perms_pads_to_column_60);
	g_test_add_func("/xsc/ls/truncates-long-values-like-xenstore-ls",
			test_ls_truncates_long_values_like_xenstore_ls);
	return g_test_run();
}
