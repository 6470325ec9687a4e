/* The decompressed-kernel cache: keyed by content, entries appear whole,
 * and a damaged entry is never handed to the builder. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/kcache.h"

struct fx {
	char *dir;
	char *elf;		/* this test program: a real ELF */
	gsize elf_len;
};

static void fx_setup(struct fx *f, gconstpointer unused)
{
	GError *err = NULL;
	char *self = g_file_read_link("/proc/self/exe", &err);

	(void)unused;
	g_assert_no_error(err);
	f->dir = g_dir_make_tmp("test-kcache-XXXXXX", &err);
	g_assert_no_error(err);
	g_file_get_contents(self, &f->elf, &f->elf_len, &err);
	g_assert_no_error(err);
	g_free(self);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	GDir *d = g_dir_open(f->dir, 0, NULL);
	const char *name;

	(void)unused;
	while (d && (name = g_dir_read_name(d))) {
		char *p = g_build_filename(f->dir, name, NULL);

		g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(f->dir);
	g_free(f->dir);
	g_free(f->elf);
}

static const char *KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void test_key_is_sha256_of_content(struct fx *f, gconstpointer unused)
{
	char key[XLITE_KCACHE_KEY_LEN + 1], *path, *want, *err = NULL;
	const char bz[] = "not an elf, a bzImage stand-in";
	bool is_elf = true;

	(void)unused;
	path = g_build_filename(f->dir, "vmlinuz", NULL);
	g_assert_true(g_file_set_contents(path, bz, sizeof(bz), NULL));
	g_assert_cmpint(xlite_kcache_key(path, key, &is_elf, &err), ==, 0);
	want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)bz, sizeof(bz));
	g_assert_cmpstr(key, ==, want);
	g_assert_false(is_elf);
	g_unlink(path);
	g_assert_cmpint(xlite_kcache_key(path, key, &is_elf, &err), ==, -ENOENT);
	g_assert_nonnull(err);
	g_free(err);
	g_free(want);
	g_free(path);
}

static void test_memo_gives_the_key_and_notices_a_change(struct fx *f, gconstpointer unused)
{
	char key[XLITE_KCACHE_KEY_LEN + 1], key2[XLITE_KCACHE_KEY_LEN + 1];
	char *path, *err = NULL, *want;
	bool is_elf = true;

	(void)unused;
	path = g_build_filename(f->dir, "vmlinuz", NULL);
	g_assert_true(g_file_set_contents(path, "first kernel", 12, NULL));
	g_assert_cmpint(xlite_kcache_key_memo(f->dir, path, key, &is_elf, &err), ==, 0);
	want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "first kernel", 12);
	g_assert_cmpstr(key, ==, want);
	g_free(want);
	/* Remembered: the same answer without the file's bytes changing. */
	g_assert_cmpint(xlite_kcache_key_memo(f->dir, path, key2, &is_elf, &err), ==, 0);
	g_assert_cmpstr(key2, ==, key);
	g_assert_false(is_elf);
	/* Same size, new content: ctime moves, the key follows. */
	g_usleep(10 * 1000);
	g_assert_true(g_file_set_contents(path, "other kernel", 12, NULL));
	g_assert_cmpint(xlite_kcache_key_memo(f->dir, path, key2, &is_elf, &err), ==, 0);
	want = g_compute_checksum_for_string(G_CHECKSUM_SHA256, "other kernel", 12);
	g_assert_cmpstr(key2, ==, want);
	g_free(want);
	g_unlink(path);
	g_free(path);
}

static void test_elf_check_accepts_whole_rejects_truncated(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_assert_true(xlite_kcache_elf_valid(f->elf, f->elf_len));
	g_assert_false(xlite_kcache_elf_valid(f->elf, 40));
	g_assert_false(xlite_kcache_elf_valid("\x1f\x8b\x08\x00", 4));
	g_assert_false(xlite_kcache_elf_valid(f->elf, 0));
}

static void test_stored_entry_is_found(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *hit, *want;

	(void)unused;
	g_assert_null(xlite_kcache_lookup(f->dir, KEY));
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, &err), ==, 0);
	hit = xlite_kcache_lookup(f->dir, KEY);
	want = g_strdup_printf("%s/%s.elf", f->dir, KEY);
	g_assert_cmpstr(hit, ==, want);
	g_free(hit);
	g_free(want);
}

static void test_truncated_entry_is_a_miss_and_removed(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *path = g_strdup_printf("%s/%s.elf", f->dir, KEY);

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, &err), ==, 0);
	g_assert_cmpint(truncate(path, (off_t)f->elf_len / 2), ==, 0);
	g_assert_null(xlite_kcache_lookup(f->dir, KEY));
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_free(path);
}

static void test_writable_by_others_entry_is_not_trusted(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *path = g_strdup_printf("%s/%s.elf", f->dir, KEY);

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, &err), ==, 0);
	g_assert_cmpint(chmod(path, 0666), ==, 0);
	g_assert_null(xlite_kcache_lookup(f->dir, KEY));
	g_free(path);
}

static void test_non_elf_and_bad_keys_are_not_stored(struct fx *f, gconstpointer unused)
{
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, "garbage!", 8, &err), ==, -EINVAL);
	g_free(err);
	err = NULL;
	g_assert_cmpint(xlite_kcache_store(f->dir, "../../etc/x", f->elf, f->elf_len, &err),
			==, -EINVAL);
	g_free(err);
	g_assert_null(xlite_kcache_lookup(f->dir, "../../etc/passwd"));
}

static void test_store_leaves_no_temporary_file(struct fx *f, gconstpointer unused)
{
	GDir *d;
	const char *name;
	char *err = NULL;
	int n = 0;

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, &err), ==, 0);
	d = g_dir_open(f->dir, 0, NULL);
	while ((name = g_dir_read_name(d))) {
		g_assert_true(g_str_has_suffix(name, ".elf"));
		n++;
	}
	g_dir_close(d);
	g_assert_cmpint(n, ==, 1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define T(path, fn) g_test_add("/kcache/" path, struct fx, NULL, fx_setup, fn, fx_teardown)
	T("key-is-sha256-of-content", test_key_is_sha256_of_content);
	T("memo-gives-the-key-and-notices-a-change",
	  test_memo_gives_the_key_and_notices_a_change);
	T("elf-check-accepts-whole-rejects-truncated",
	  test_elf_check_accepts_whole_rejects_truncated);
	T("stored-entry-is-found", test_stored_entry_is_found);
	T("truncated-entry-is-a-miss-and-removed", test_truncated_entry_is_a_miss_and_removed);
	T("writable-by-others-entry-is-not-trusted",
	  test_writable_by_others_entry_is_not_trusted);
	T("non-elf-and-bad-keys-are-not-stored", test_non_elf_and_bad_keys_are_not_stored);
	T("store-leaves-no-temporary-file", test_store_leaves_no_temporary_file);
#undef T
	return g_test_run();
}
