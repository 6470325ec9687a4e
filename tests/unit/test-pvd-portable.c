/* The pv-drivers core promises to build with nothing but a C compiler:
 * every #include in pv-drivers/core is a C standard header, one of Xen's
 * public io/ headers, or another core header. */
#include <glib.h>
#include <stdbool.h>
#include <string.h>

static const char *const allowed[] = {
	"<errno.h>", "<stdarg.h>", "<stdatomic.h>", "<stdbool.h>",
	"<stddef.h>", "<stdint.h>", "<string.h>",
};

static bool include_ok(const char *what)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(allowed); i++)
		if (strcmp(what, allowed[i]) == 0)
			return true;
	if (g_str_has_prefix(what, "<xen/io/") && g_str_has_suffix(what, ".h>"))
		return true;
	return g_str_has_prefix(what, "\"pv-drivers/core/") && g_str_has_suffix(what, ".h\"");
}

static void test_core_includes_only_standard_and_xen_io_headers(void)
{
	g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "pv-drivers", "core", NULL);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	unsigned int files = 0, includes = 0;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = NULL, *text = NULL;
		g_auto(GStrv) lines = NULL;
		size_t i;

		if (!g_str_has_suffix(name, ".c") && !g_str_has_suffix(name, ".h"))
			continue;
		path = g_build_filename(dir, name, NULL);
		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		lines = g_strsplit(text, "\n", -1);
		for (i = 0; lines[i] != NULL; i++) {
			const char *l = g_strchug(lines[i]);
			g_autofree char *what = NULL;

			if (!g_str_has_prefix(l, "#include"))
				continue;
			what = g_strstrip(g_strdup(l + strlen("#include")));
			if (!include_ok(what))
				g_error("%s includes %s: the core may use only C standard "
					"headers and Xen's public io/ headers", name, what);
			includes++;
		}
		files++;
	}
	g_dir_close(d);
	g_assert_cmpuint(files, >=, 10);
	g_assert_cmpuint(includes, >=, 20);
	g_assert_true(include_ok("<xen/io/ring.h>"));
	g_assert_false(include_ok("<stdio.h>"));
	g_assert_false(include_ok("<xenstore.h>"));
	g_assert_false(include_ok("\"pv-drivers/platform/linux-user/linux.h\""));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pvd/portable/core-includes-only-standard-and-xen-io-headers",
			test_core_includes_only_standard_and_xen_io_headers);
	return g_test_run();
}
