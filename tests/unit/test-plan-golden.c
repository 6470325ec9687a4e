/* Golden plans: each tests/golden/NAME.xml (with a fixed uuid) must plan to
 * exactly NAME.plan (text) and NAME.json. To regenerate after an intended
 * change: XLITE_GOLDEN_UPDATE=1 make check, then review `git diff`. */
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/plan/plan.h"

static gboolean updating(void)
{
	const char *u = g_getenv("XLITE_GOLDEN_UPDATE");

	return u && strcmp(u, "1") == 0;
}

/* A small JSON checker, so hand-written JSON stays JSON. */
static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!g_ascii_isxdigit(p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 32)
		return NULL;
	p = json_ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		gboolean object = *p == '{';

		p = json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (object) {
				p = json_string(json_ws(p));
				if (!p)
					return NULL;
				p = json_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = json_value(p, depth + 1);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return json_string(p);
	if (strncmp(p, "true", 4) == 0 || strncmp(p, "null", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	if (*p == '-' || g_ascii_isdigit(*p)) {
		p++;
		while (g_ascii_isdigit(*p))
			p++;
		return p;
	}
	return NULL;
}

static gboolean json_valid(const char *s)
{
	const char *end = json_value(s, 0);

	return end && *json_ws(end) == '\0';
}

static void compare(const char *path, const char *got)
{
	g_autofree char *want = NULL;
	g_autoptr(GError) error = NULL;

	if (updating()) {
		g_assert_true(g_file_set_contents(path, got, -1, NULL));
		g_test_message("updated %s", path);
		return;
	}
	if (!g_file_get_contents(path, &want, NULL, &error))
		g_error("%s (regenerate with XLITE_GOLDEN_UPDATE=1)", error->message);
	if (strcmp(want, got) != 0) {
		g_autofree char *base = g_path_get_basename(path);
		g_autofree char *dir = g_test_build_filename(G_TEST_BUILT, "tests", "golden", NULL);
		g_autofree char *actual = g_strconcat(dir, "/", base, ".actual", NULL);

		g_mkdir_with_parents(dir, 0755);
		g_file_set_contents(actual, got, -1, NULL);
		g_test_message("%s differs from the plan: diff -u %s %s", path, path, actual);
		g_test_fail();
	}
}

static void test_golden(gconstpointer data)
{
	const char *name = data;
	g_autofree char *base = g_test_build_filename(G_TEST_DIST, "tests", "golden", name, NULL);
	g_autofree char *xml = g_strconcat(base, ".xml", NULL);
	g_autofree char *text_path = g_strconcat(base, ".plan", NULL);
	g_autofree char *json_path = g_strconcat(base, ".json", NULL);
	g_autofree char *text = NULL, *json = NULL, *again = NULL;
	struct xlite_config cfg;
	struct xlite_plan plan, plan2;
	char *err = NULL;

	xlite_config_init(&cfg);
	xlite_plan_init(&plan);
	xlite_plan_init(&plan2);
	if (xlite_config_parse_file(&cfg, xml, NULL, NULL, &err) < 0)
		g_error("%s", err);
	g_assert_true(cfg.uuid_given);	/* else the plan changes on every run */
	if (xlite_plan_build(&plan, &cfg, &err) < 0)
		g_error("%s", err);
	text = xlite_plan_to_text(&plan);
	json = xlite_plan_to_json(&plan);
	g_assert_nonnull(text);
	g_assert_nonnull(json);
	g_assert_true(json_valid(json));
	/* pure: the same config plans the same again */
	g_assert_cmpint(xlite_plan_build(&plan2, &cfg, &err), ==, 0);
	again = xlite_plan_to_text(&plan2);
	g_assert_cmpstr(again, ==, text);
	compare(text_path, text);
	compare(json_path, json);
	xlite_plan_dispose(&plan);
	xlite_plan_dispose(&plan2);
	xlite_config_dispose(&cfg);
}

static void test_json_checker_can_fail(void)
{
	g_assert_true(json_valid("{\"a\": [1, true, null, \"x\\n\"], \"b\": {}}"));
	g_assert_false(json_valid("{\"a\": [1, ]}"));
	g_assert_false(json_valid("{\"a\" 1}"));
	g_assert_false(json_valid("{\"a\": \"tab\there\"}"));
	g_assert_false(json_valid("[1] 2"));
}

int main(int argc, char **argv)
{
	static const char *const names[] = { "minimal", "tiny", "devices", "vcpus", "units", "shareable",
					     "resources", "pvh", "pvh-pod", "e820-host" };
	size_t i;

	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/plan/golden/json-checker-can-fail", test_json_checker_can_fail);
	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *path = g_strdup_printf("/plan/golden/%s", names[i]);

		g_test_add_data_func(path, names[i], test_golden);
	}
	return g_test_run();
}
