/* Defined domains: stored whole, refused on a name or uuid clash, given a
 * uuid they keep, autostart links, undefine. Files only, no Xen. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/defined.h"
#include "tests/unit/test-tmpdir.h"

#define UUID_A "6f1c3e2a-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
#define UUID_B "11111111-2222-4333-8444-555555555555"

struct fx {
	char *state, *dir;
};

static void fx_setup(struct fx *f, gconstpointer unused)
{
	(void)unused;
	f->state = g_dir_make_tmp("test-defined-XXXXXX", NULL);
	g_assert_nonnull(f->state);
	f->dir = xlite_defined_dir(f->state);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	g_autofree char *auto_dir = g_build_filename(f->dir, XLITE_DEFINED_AUTOSTART, NULL);

	(void)unused;
	test_tmpdir_remove(g_strdup(auto_dir));
	test_tmpdir_remove(f->dir);
	test_tmpdir_remove(f->state);
}

static char *xml_of(const char *name, const char *uuid)
{
	return g_strdup_printf("<domain type='xen'>\n  <name>%s</name>\n%s%s%s"
			       "  <memory unit='MiB'>64</memory>\n"
			       "  <currentMemory unit='MiB'>32</currentMemory>\n"
			       "  <vcpu>2</vcpu>\n  <os><type>linux</type><kernel>/k</kernel></os>\n"
			       "</domain>\n", name, uuid ? "  <uuid>" : "", uuid ? uuid : "",
			       uuid ? "</uuid>\n" : "");
}

static int define(struct fx *f, const char *name, const char *uuid, struct xlite_defined *def,
		  bool *replaced, char **err)
{
	g_autofree char *xml = xml_of(name, uuid);
	bool r = false;

	return xlite_define(f->dir, xml, strlen(xml), "t.xml", NULL, NULL, def,
			    replaced ? replaced : &r, err);
}

static void test_define_stores_the_xml_0600(struct fx *f, gconstpointer unused)
{
	g_autofree char *path = g_build_filename(f->dir, "web.xml", NULL), *stored = NULL;
	g_autofree char *xml = xml_of("web", UUID_A);
	struct xlite_defined def = { 0 };
	char *err = NULL;
	bool replaced = true;
	struct stat st;

	(void)unused;
	g_assert_cmpint(define(f, "web", UUID_A, &def, &replaced, &err), ==, 0);
	g_assert_null(err);
	g_assert_false(replaced);
	g_assert_cmpstr(def.name, ==, "web");
	g_assert_cmpstr(def.uuid, ==, UUID_A);
	g_assert_cmpuint(def.current_kib, ==, 32 * 1024);
	g_assert_true(g_file_get_contents(path, &stored, NULL, NULL));
	g_assert_cmpstr(stored, ==, xml);
	g_assert_cmpint(stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	g_free(def.name);
}

static void test_invalid_xml_is_refused_and_nothing_stored(struct fx *f, gconstpointer unused)
{
	const char *bad = "<domain type='xen'>\n  <name>bad</name>\n  <memory>lots</memory>\n"
			  "</domain>\n";
	g_autofree char *path = g_build_filename(f->dir, "bad.xml", NULL);
	char *err = NULL;
	bool replaced;

	(void)unused;
	g_assert_cmpint(xlite_define(f->dir, bad, strlen(bad), "bad.xml", NULL, NULL, NULL,
				     &replaced, &err), ==, -EINVAL);
	g_assert_true(g_str_has_prefix(err, "bad.xml:3:"));
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_free(err);
}

static void test_same_name_same_uuid_is_redefined(struct fx *f, gconstpointer unused)
{
	char *err = NULL;
	bool replaced = false;

	(void)unused;
	g_assert_cmpint(define(f, "web", UUID_A, NULL, NULL, &err), ==, 0);
	g_assert_cmpint(define(f, "web", UUID_A, NULL, &replaced, &err), ==, 0);
	g_assert_true(replaced);
}

static void test_name_with_another_uuid_is_refused(struct fx *f, gconstpointer unused)
{
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(define(f, "web", UUID_A, NULL, NULL, &err), ==, 0);
	g_assert_cmpint(define(f, "web", UUID_B, NULL, NULL, &err), ==, -EEXIST);
	g_assert_cmpstr(err, ==, "domain 'web' is already defined with uuid " UUID_A ", not "
			UUID_B);
	g_free(err);
}

static void test_uuid_of_another_domain_is_refused(struct fx *f, gconstpointer unused)
{
	g_autofree char *path = g_build_filename(f->dir, "db.xml", NULL);
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(define(f, "web", UUID_A, NULL, NULL, &err), ==, 0);
	g_assert_cmpint(define(f, "db", UUID_A, NULL, NULL, &err), ==, -EEXIST);
	g_assert_cmpstr(err, ==, "uuid " UUID_A " is already that of defined domain 'web'");
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_free(err);
}

static void test_no_uuid_gets_one_and_keeps_it(struct fx *f, gconstpointer unused)
{
	g_autofree char *path = g_build_filename(f->dir, "web.xml", NULL), *stored = NULL;
	g_autofree char *expect = NULL;
	struct xlite_defined a = { 0 }, b = { 0 };
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(define(f, "web", NULL, &a, NULL, &err), ==, 0);
	g_assert_cmpuint(strlen(a.uuid), ==, 36);
	g_assert_true(g_file_get_contents(path, &stored, NULL, NULL));
	expect = g_strdup_printf("<name>web</name>\n  <uuid>%s</uuid>", a.uuid);
	g_assert_nonnull(strstr(stored, expect));
	g_assert_cmpint(define(f, "web", NULL, &b, NULL, &err), ==, 0);
	g_assert_cmpstr(b.uuid, ==, a.uuid);
	g_free(a.name);
	g_free(b.name);
}

static void test_autostart_link_and_undefine(struct fx *f, gconstpointer unused)
{
	g_autofree char *link = g_build_filename(f->dir, "autostart", "web.xml", NULL);
	g_autofree char *path = g_build_filename(f->dir, "web.xml", NULL), *target = NULL;
	g_autoptr(GPtrArray) defs = NULL;
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(xlite_defined_set_autostart(f->dir, "web", true, &err), ==, -ENOENT);
	g_assert_cmpstr(err, ==, "domain 'web' is not defined");
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(define(f, "web", UUID_A, NULL, NULL, &err), ==, 0);
	g_assert_cmpint(define(f, "db", UUID_B, NULL, NULL, &err), ==, 0);
	g_assert_cmpint(xlite_defined_set_autostart(f->dir, "web", true, &err), ==, 0);
	target = g_file_read_link(link, NULL);
	g_assert_cmpstr(target, ==, "../web.xml");
	g_assert_cmpint(xlite_defined_list(f->dir, &defs, NULL, &err), ==, 0);
	g_assert_cmpuint(defs->len, ==, 2);
	g_assert_cmpstr(((struct xlite_defined *)defs->pdata[0])->name, ==, "db");
	g_assert_false(((struct xlite_defined *)defs->pdata[0])->autostart);
	g_assert_cmpstr(((struct xlite_defined *)defs->pdata[1])->name, ==, "web");
	g_assert_true(((struct xlite_defined *)defs->pdata[1])->autostart);
	g_assert_cmpint(xlite_defined_set_autostart(f->dir, "web", false, &err), ==, 0);
	g_assert_false(g_file_test(link, G_FILE_TEST_EXISTS));
	g_assert_cmpint(xlite_defined_set_autostart(f->dir, "web", true, &err), ==, 0);
	g_assert_cmpint(xlite_undefine(f->dir, "web", &err), ==, 0);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(link, G_FILE_TEST_EXISTS) ||
		       g_file_test(link, G_FILE_TEST_IS_SYMLINK));
	g_assert_cmpint(xlite_undefine(f->dir, "web", &err), ==, -ENOENT);
	g_assert_cmpstr(err, ==, "domain 'web' is not defined");
	g_free(err);
}

static void test_read_refuses_a_bad_name(struct fx *f, gconstpointer unused)
{
	char *xml = NULL, *err = NULL;
	size_t len;

	(void)unused;
	g_assert_cmpint(xlite_defined_read(f->dir, "../etc/passwd", &xml, &len, &err), ==, -EINVAL);
	g_assert_true(g_str_has_prefix(err, "invalid domain name"));
	g_assert_null(xml);
	g_free(err);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add("/defined/" path, struct fx, NULL, fx_setup, fn, fx_teardown)
	ADD("define-stores-the-xml-0600", test_define_stores_the_xml_0600);
	ADD("invalid-xml-refused-nothing-stored", test_invalid_xml_is_refused_and_nothing_stored);
	ADD("same-name-same-uuid-redefined", test_same_name_same_uuid_is_redefined);
	ADD("name-with-another-uuid-refused", test_name_with_another_uuid_is_refused);
	ADD("uuid-of-another-domain-refused", test_uuid_of_another_domain_is_refused);
	ADD("no-uuid-gets-one-and-keeps-it", test_no_uuid_gets_one_and_keeps_it);
	ADD("autostart-link-and-undefine", test_autostart_link_and_undefine);
	ADD("read-refuses-a-bad-name", test_read_refuses_a_bad_name);
	return g_test_run();
}
