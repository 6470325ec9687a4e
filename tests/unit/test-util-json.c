/* libtool/util/json.c: the one JSON writer's layouts and values. */
#include <math.h>
#include <string.h>

#include "libtool/util/json.h"

static XliteJson *sample(void)
{
	XliteJson *b = xlite_json_new();

	xlite_json_begin_object(b);
	xlite_json_member_str(b, "name", "a \"b\"");
	xlite_json_member_int(b, "n", -3);
	xlite_json_member_bool(b, "ok", true);
	xlite_json_member_str(b, "none", NULL);
	xlite_json_set_member_name(b, "flat");
	xlite_json_begin_object(b);
	xlite_json_member_double(b, "x", 2893.202);
	xlite_json_member_double(b, "y", 0.1);
	xlite_json_end_object(b);
	xlite_json_set_member_name(b, "list");
	xlite_json_begin_array(b);
	xlite_json_begin_object(b);
	xlite_json_member_int(b, "i", 1);
	xlite_json_set_member_name(b, "tags");
	xlite_json_begin_array(b);
	xlite_json_add_str(b, "t");
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	xlite_json_end_array(b);
	xlite_json_set_member_name(b, "empty");
	xlite_json_begin_array(b);
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	return b;
}

/* The sample document, written compact or pretty. */
static char *sample_text(bool pretty)
{
	g_autoptr(XliteJson) b = sample();

	return xlite_json_to_string(b, pretty);
}

static void test_compact_has_no_whitespace(void)
{
	g_autofree char *s = sample_text(false);

	g_assert_cmpstr(s, ==,
		"{\"name\":\"a \\\"b\\\"\",\"n\":-3,\"ok\":true,\"none\":null,"
		"\"flat\":{\"x\":2893.202,\"y\":0.1},\"list\":[{\"i\":1,\"tags\":[\"t\"]}],"
		"\"empty\":[]}\n");
}

static void test_pretty_puts_scalar_containers_on_one_line(void)
{
	g_autofree char *s = sample_text(true);

	g_assert_cmpstr(s, ==,
		"{\n"
		"  \"name\": \"a \\\"b\\\"\",\n"
		"  \"n\": -3,\n"
		"  \"ok\": true,\n"
		"  \"none\": null,\n"
		"  \"flat\": {\"x\": 2893.202, \"y\": 0.1},\n"
		"  \"list\": [\n"
		"    {\n"
		"      \"i\": 1,\n"
		"      \"tags\": [\"t\"]\n"
		"    }\n"
		"  ],\n"
		"  \"empty\": []\n"
		"}\n");
}

static void test_root_array_of_flat_objects(void)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	const struct xlite_json_member dom0[] = {
		XLITE_JSON_STR("name", "Domain-0"), XLITE_JSON_INT("domid", 0),
	};
	const struct xlite_json_member guest[] = {
		XLITE_JSON_STR("name", "g"), XLITE_JSON_INT("domid", 7),
		XLITE_JSON_BOOL("paused", 5), XLITE_JSON_DOUBLE("t", 1.5),
	};
	g_autofree char *s = NULL;

	xlite_json_begin_array(b);
	xlite_json_begin_object(b);
	xlite_json_members(b, dom0, G_N_ELEMENTS(dom0));
	xlite_json_end_object(b);
	xlite_json_begin_object(b);
	xlite_json_members(b, guest, G_N_ELEMENTS(guest));
	xlite_json_end_object(b);
	xlite_json_end_array(b);
	s = xlite_json_to_string(b, true);
	g_assert_cmpstr(s, ==, "[\n"
			"  {\"name\": \"Domain-0\", \"domid\": 0},\n"
			"  {\"name\": \"g\", \"domid\": 7, \"paused\": true, \"t\": 1.5}\n"
			"]\n");
}

/* An object holding an object of scalars stays one line; an object holding
 * an array, or an array of objects, does not. */
static void test_object_of_flat_objects_is_one_line(void)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *s = NULL;

	xlite_json_begin_array(b);
	xlite_json_begin_object(b);
	xlite_json_member_int(b, "domid", 1);
	xlite_json_set_member_name(b, "memory");
	xlite_json_begin_object(b);
	xlite_json_member_int(b, "min_kib", 2);
	xlite_json_set_member_name(b, "demand_kib");
	xlite_json_add_null(b);
	xlite_json_end_object(b);
	xlite_json_end_object(b);
	xlite_json_begin_object(b);
	xlite_json_set_member_name(b, "ops");
	xlite_json_begin_array(b);
	xlite_json_begin_object(b);
	xlite_json_member_int(b, "i", 3);
	xlite_json_end_object(b);
	xlite_json_end_array(b);
	xlite_json_end_object(b);
	xlite_json_end_array(b);
	s = xlite_json_to_string(b, true);
	g_assert_cmpstr(s, ==, "[\n"
			"  {\"domid\": 1, \"memory\": {\"min_kib\": 2, \"demand_kib\": null}},\n"
			"  {\n"
			"    \"ops\": [\n"
			"      {\"i\": 3}\n"
			"    ]\n"
			"  }\n"
			"]\n");
}

/* Doubles in the fewest digits that read back the same; JSON has no NaN. */
static void test_doubles_read_back_and_nan_is_null(void)
{
	static const double d[] = { 1.0 / 3, 12.0, NAN, -INFINITY };
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *s = NULL;
	size_t i;

	xlite_json_begin_array(b);
	for (i = 0; i < G_N_ELEMENTS(d); i++)
		xlite_json_add_double(b, d[i]);
	xlite_json_end_array(b);
	s = xlite_json_to_string(b, false);
	g_assert_cmpstr(s, ==, "[0.3333333333333333,12,null,null]\n");
}

static void test_keys_are_escaped(void)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *s = NULL;

	xlite_json_begin_object(b);
	xlite_json_member_int(b, "a\"\n", 1);
	xlite_json_end_object(b);
	s = xlite_json_to_string(b, false);
	g_assert_cmpstr(s, ==, "{\"a\\\"\\n\":1}\n");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/util/json/compact-has-no-whitespace", test_compact_has_no_whitespace);
	g_test_add_func("/util/json/pretty-puts-scalar-containers-on-one-line",
			test_pretty_puts_scalar_containers_on_one_line);
	g_test_add_func("/util/json/root-array-of-flat-objects", test_root_array_of_flat_objects);
	g_test_add_func("/util/json/object-of-flat-objects-is-one-line",
			test_object_of_flat_objects_is_one_line);
	g_test_add_func("/util/json/doubles-read-back-and-nan-is-null",
			test_doubles_read_back_and_nan_is_null);
	g_test_add_func("/util/json/keys-are-escaped", test_keys_are_escaped);
	return g_test_run();
}
