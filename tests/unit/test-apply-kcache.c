/* The decompressed-kernel cache: keyed by content, entries appear whole,
 * and a damaged entry is never handed to the builder. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/kcache.h"
#include "libtool/util/hostconf.h"
#include "tests/unit/test-tmpdir.h"

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
	(void)unused;
	test_tmpdir_remove(f->dir);
	g_free(f->elf);
}

static const char *KEY = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char *KEY2 = "1111111111111111111111111111111111111111111111111111111111111111";
static const char *KEY3 = "2222222222222222222222222222222222222222222222222222222222222222";
#define NO_BOUND G_MAXUINT64

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
	g_assert_null(xlite_kcache_lookup(f->dir, KEY, NO_BOUND));
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	hit = xlite_kcache_lookup(f->dir, KEY, NO_BOUND);
	want = g_strdup_printf("%s/%s.elf", f->dir, KEY);
	g_assert_cmpstr(hit, ==, want);
	g_free(hit);
	g_free(want);
}

static void test_truncated_entry_is_a_miss_and_removed(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *path = g_strdup_printf("%s/%s.elf", f->dir, KEY);

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	g_assert_cmpint(truncate(path, (off_t)f->elf_len / 2), ==, 0);
	g_assert_null(xlite_kcache_lookup(f->dir, KEY, NO_BOUND));
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
	g_free(path);
}

static void test_writable_by_others_entry_is_not_trusted(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *path = g_strdup_printf("%s/%s.elf", f->dir, KEY);

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	g_assert_cmpint(chmod(path, 0666), ==, 0);
	g_assert_null(xlite_kcache_lookup(f->dir, KEY, NO_BOUND));
	g_free(path);
}

static void test_non_elf_and_bad_keys_are_not_stored(struct fx *f, gconstpointer unused)
{
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, "garbage!", 8, NO_BOUND, &err), ==, -EINVAL);
	g_free(err);
	err = NULL;
	g_assert_cmpint(xlite_kcache_store(f->dir, "../../etc/x", f->elf, f->elf_len, NO_BOUND, &err),
			==, -EINVAL);
	g_free(err);
	g_assert_null(xlite_kcache_lookup(f->dir, "../../etc/passwd", NO_BOUND));
}

static void test_store_leaves_no_temporary_file(struct fx *f, gconstpointer unused)
{
	GDir *d;
	const char *name;
	char *err = NULL;
	int n = 0;

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	d = g_dir_open(f->dir, 0, NULL);
	while ((name = g_dir_read_name(d))) {
		g_assert_true(g_str_has_suffix(name, ".elf"));
		n++;
	}
	g_dir_close(d);
	g_assert_cmpint(n, ==, 1);
}

/* ---- the bound: least recently used out first ---------------------------- */

static char *entry(const struct fx *f, const char *key)
{
	return g_strdup_printf("%s/%s.elf", f->dir, key);
}

static bool present(const struct fx *f, const char *key)
{
	g_autofree char *path = entry(f, key);

	return g_file_test(path, G_FILE_TEST_EXISTS);
}

/* Sets KEY's entry's last use (mtime) to T seconds since the epoch. */
static void used_at(const struct fx *f, const char *key, time_t t)
{
	g_autofree char *path = entry(f, key);
	struct timespec ts[2] = { { .tv_sec = t }, { .tv_sec = t } };

	g_assert_cmpint(utimensat(AT_FDCWD, path, ts, 0), ==, 0);
}

static void store3(const struct fx *f)
{
	char *err = NULL;

	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY2, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY3, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	used_at(f, KEY, 1000);
	used_at(f, KEY2, 2000);
	used_at(f, KEY3, 3000);
}

static void test_trim_removes_least_recently_used_first(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *hit;

	(void)unused;
	store3(f);
	/* room for two: the oldest goes */
	g_assert_cmpint(xlite_kcache_trim(f->dir, 2 * f->elf_len, NULL, &err), ==, 1);
	g_assert_false(present(f, KEY));
	g_assert_true(present(f, KEY2));
	g_assert_true(present(f, KEY3));
	/* a hit makes KEY2 the most recently used: KEY3 goes next */
	hit = xlite_kcache_lookup(f->dir, KEY2, NO_BOUND);
	g_assert_nonnull(hit);
	g_free(hit);
	g_assert_cmpint(xlite_kcache_trim(f->dir, f->elf_len, NULL, &err), ==, 1);
	g_assert_true(present(f, KEY2));
	g_assert_false(present(f, KEY3));
	/* within the bound: nothing goes */
	g_assert_cmpint(xlite_kcache_trim(f->dir, f->elf_len, NULL, &err), ==, 0);
	g_assert_true(present(f, KEY2));
}

static void test_store_keeps_the_cache_within_its_bound(struct fx *f, gconstpointer unused)
{
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, 2 * f->elf_len, &err),
			==, 0);
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY2, f->elf, f->elf_len, 2 * f->elf_len, &err),
			==, 0);
	used_at(f, KEY, 1000);
	used_at(f, KEY2, 2000);
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY3, f->elf, f->elf_len, 2 * f->elf_len, &err),
			==, 0);
	g_assert_false(present(f, KEY));
	g_assert_true(present(f, KEY2));
	g_assert_true(present(f, KEY3));
	/* a kernel larger than the bound is not stored, and nothing goes for it */
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, f->elf_len - 1, &err),
			==, -EFBIG);
	g_assert_nonnull(strstr(err, "max-size"));
	g_free(err);
	err = NULL;
	g_assert_false(present(f, KEY));
	g_assert_true(present(f, KEY2));
	g_assert_true(present(f, KEY3));
}

static void test_entry_just_stored_or_used_is_never_removed(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *hit;

	(void)unused;
	store3(f);
	/* a bound of one entry: the one just stored stays, the others go */
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY, f->elf, f->elf_len, f->elf_len, &err),
			==, 0);
	g_assert_true(present(f, KEY));
	g_assert_false(present(f, KEY2));
	g_assert_false(present(f, KEY3));
	/* a hit under a smaller bound keeps the entry it returns */
	g_assert_cmpint(xlite_kcache_store(f->dir, KEY2, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	used_at(f, KEY, 5000);
	used_at(f, KEY2, 1);
	hit = xlite_kcache_lookup(f->dir, KEY2, f->elf_len);
	g_assert_nonnull(hit);
	g_free(hit);
	g_assert_true(present(f, KEY2));
	g_assert_false(present(f, KEY));
	/* trim's KEEP holds even with no room at all */
	g_assert_cmpint(xlite_kcache_trim(f->dir, 0, KEY2, &err), ==, 0);
	g_assert_true(present(f, KEY2));
}

static void test_trim_leaves_other_files_alone(struct fx *f, gconstpointer unused)
{
	g_autofree char *memo = g_build_filename(f->dir, "stat-1-2", NULL);
	g_autofree char *other = g_build_filename(f->dir, "notes.elf", NULL);
	char *err = NULL;

	(void)unused;
	store3(f);
	g_assert_true(g_file_set_contents(memo, "x", 1, NULL));
	g_assert_true(g_file_set_contents(other, "x", 1, NULL));
	g_assert_cmpint(xlite_kcache_trim(f->dir, 0, NULL, &err), ==, 3);
	g_assert_true(g_file_test(memo, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(other, G_FILE_TEST_EXISTS));
}

/* ---- the directory is checked as the entries are ------------------------- */

/* DIR refused with a message matching WHY: no lookup, no store, no memo. */
static void assert_dir_refused(const struct fx *f, const char *dir, int rc, const char *why)
{
	g_autofree char *kernel = g_build_filename(f->dir, "vmlinuz", NULL);
	char key[XLITE_KCACHE_KEY_LEN + 1], *err = NULL;
	bool is_elf;

	g_assert_cmpint(xlite_kcache_dir_check(dir, &err), ==, rc);
	g_assert_nonnull(strstr(err, why));
	g_free(err);
	err = NULL;
	g_assert_null(xlite_kcache_lookup(dir, KEY, NO_BOUND));
	g_assert_cmpint(xlite_kcache_store(dir, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, rc);
	g_free(err);
	err = NULL;
	/* the key is still given (hashed), but no memo is read or written */
	g_assert_true(g_file_set_contents(kernel, "a kernel", 8, NULL));
	g_assert_cmpint(xlite_kcache_key_memo(dir, kernel, key, &is_elf, &err), ==, 0);
	g_unlink(kernel);
}

static int count_files(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	int n = 0;

	while (d && g_dir_read_name(d))
		n++;
	if (d)
		g_dir_close(d);
	return n;
}

static void test_missing_dir_is_made_private(struct fx *f, gconstpointer unused)
{
	g_autofree char *sub = g_build_filename(f->dir, "a", "kernels", NULL);
	g_autofree char *parent = g_build_filename(f->dir, "a", NULL);
	char *err = NULL;
	struct stat st;

	(void)unused;
	g_assert_cmpint(xlite_kcache_store(sub, KEY, f->elf, f->elf_len, NO_BOUND, &err), ==, 0);
	g_assert_cmpint(lstat(sub, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0700);
	g_assert_cmpint(xlite_kcache_trim(sub, 0, NULL, &err), ==, 1);
	g_rmdir(sub);
	g_rmdir(parent);
}

static void test_dir_writable_by_others_is_refused(struct fx *f, gconstpointer unused)
{
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(chmod(f->dir, 0770), ==, 0);
	assert_dir_refused(f, f->dir, -EPERM, "writable by group or others (mode 0770)");
	g_assert_cmpint(chmod(f->dir, 0702), ==, 0);
	assert_dir_refused(f, f->dir, -EPERM, "writable by group or others (mode 0702)");
	g_assert_cmpint(count_files(f->dir), ==, 0);
	g_assert_cmpint(chmod(f->dir, 0700), ==, 0);
	g_assert_cmpint(xlite_kcache_dir_check(f->dir, &err), ==, 0);
}

static void test_dir_symlink_or_file_is_refused(struct fx *f, gconstpointer unused)
{
	g_autofree char *real = g_build_filename(f->dir, "real", NULL);
	g_autofree char *link = g_build_filename(f->dir, "link", NULL);
	g_autofree char *file = g_build_filename(f->dir, "file", NULL);

	(void)unused;
	g_assert_cmpint(mkdir(real, 0700), ==, 0);
	g_assert_cmpint(symlink(real, link), ==, 0);
	assert_dir_refused(f, link, -ELOOP, "symbolic link");
	g_assert_cmpint(count_files(real), ==, 0);
	g_assert_true(g_file_set_contents(file, "", 0, NULL));
	assert_dir_refused(f, file, -ENOTDIR, "not a directory");
	g_unlink(link);
	g_unlink(file);
	g_rmdir(real);
}

static void test_dir_of_another_user_is_refused(struct fx *f, gconstpointer unused)
{
	(void)unused;
	if (geteuid() != 0) {
		g_test_skip("giving the directory to another user needs root");
		return;
	}
	g_assert_cmpint(chown(f->dir, 65534, 65534), ==, 0);
	assert_dir_refused(f, f->dir, -EPERM, "owned by uid 65534, not by root or uid 0");
	g_assert_cmpint(count_files(f->dir), ==, 0);
	g_assert_cmpint(chown(f->dir, 0, 0), ==, 0);
}

/* ---- xlite.conf: [kernel-cache] max-size ----------------------------------- */

static void test_conf_sizes_parse_with_units(struct fx *f, gconstpointer unused)
{
	static const struct { const char *s; uint64_t v; } good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "1K", 1024 }, { "256M", 256ull << 20 },
		{ "256m", 256ull << 20 }, { "2G", 2ull << 30 }, { "3GiB", 3ull << 30 },
		{ "1T", 1ull << 40 },
	};
	static const char *const bad[] = {
		"", "M", "-1", "1.5G", "1 G", "12X", "1MB", "1Gi", " 5", "5 ", "0x10",
	};
	uint64_t v;
	size_t i;

	(void)f;
	(void)unused;
	for (i = 0; i < G_N_ELEMENTS(good); i++) {
		g_assert_cmpint(xlite_hostconf_parse_size(good[i].s, &v), ==, 0);
		g_assert_cmpuint(v, ==, good[i].v);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(xlite_hostconf_parse_size(bad[i], &v), <, 0);
	g_assert_cmpint(xlite_hostconf_parse_size("18446744073709551616", &v), ==, -ERANGE);
	g_assert_cmpint(xlite_hostconf_parse_size("17179869184G", &v), ==, -ERANGE);
}

static void test_conf_missing_file_gives_defaults(struct fx *f, gconstpointer unused)
{
	g_autofree char *path = g_build_filename(f->dir, "xlite.conf", NULL);
	struct xlite_hostconf hc;
	char *err = NULL;

	(void)unused;
	xlite_hostconf_init(&hc);
	g_assert_cmpuint(hc.kcache_max, ==, 512ull << 20);
	g_assert_cmpint(xlite_hostconf_load(&hc, path, &err), ==, 0);
	g_assert_cmpuint(hc.kcache_max, ==, 512ull << 20);
	g_assert_null(err);
}

static void test_conf_sets_max_size(struct fx *f, gconstpointer unused)
{
	g_autofree char *path = g_build_filename(f->dir, "xlite.conf", NULL);
	struct xlite_hostconf hc;
	char *err = NULL;

	(void)unused;
	g_assert_true(g_file_set_contents(path, "# the host\n[kernel-cache]\nmax-size = 256M\n",
					  -1, NULL));
	xlite_hostconf_init(&hc);
	g_assert_cmpint(xlite_hostconf_load(&hc, path, &err), ==, 0);
	g_assert_cmpuint(hc.kcache_max, ==, 256ull << 20);
	g_unlink(path);
}

static void test_conf_errors_name_file_group_and_key(struct fx *f, gconstpointer unused)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "[kernel-cache]\nmax-size=12X\n",
		  "xlite.conf: [kernel-cache] max-size: '12X' is not a size" },
		{ "[kernel-cache]\nmax_size=1G\n", "xlite.conf: [kernel-cache] unknown key 'max_size'" },
		{ "[kernel-cache]\nmax-size=1G\n[kcache]\nmax-size=1G\n",
		  "xlite.conf: unknown group [kcache]" },
		{ "max-size=1G\n", "xlite.conf: " },
		{ "[kernel-cache]\nmax-size\n", "xlite.conf: " },
	};
	g_autofree char *path = g_build_filename(f->dir, "xlite.conf", NULL);
	struct xlite_hostconf hc;
	size_t i;

	(void)unused;
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *err = NULL;

		g_assert_true(g_file_set_contents(path, cases[i].text, -1, NULL));
		xlite_hostconf_init(&hc);
		hc.kcache_max = 7;
		g_assert_cmpint(xlite_hostconf_load(&hc, path, &err), ==, -EINVAL);
		g_assert_nonnull(err);
		g_assert_true(g_str_has_prefix(err, path));
		g_assert_nonnull(strstr(err, cases[i].want));
		g_assert_cmpuint(hc.kcache_max, ==, 7);	/* unchanged on error */
		g_free(err);
	}
	g_unlink(path);
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
	T("trim-removes-least-recently-used-first", test_trim_removes_least_recently_used_first);
	T("store-keeps-the-cache-within-its-bound", test_store_keeps_the_cache_within_its_bound);
	T("entry-just-stored-or-used-is-never-removed",
	  test_entry_just_stored_or_used_is_never_removed);
	T("trim-leaves-other-files-alone", test_trim_leaves_other_files_alone);
	T("missing-dir-is-made-private", test_missing_dir_is_made_private);
	T("dir-writable-by-others-is-refused", test_dir_writable_by_others_is_refused);
	T("dir-symlink-or-file-is-refused", test_dir_symlink_or_file_is_refused);
	T("dir-of-another-user-is-refused", test_dir_of_another_user_is_refused);
	T("conf-sizes-parse-with-units", test_conf_sizes_parse_with_units);
	T("conf-missing-file-gives-defaults", test_conf_missing_file_gives_defaults);
	T("conf-sets-max-size", test_conf_sets_max_size);
	T("conf-errors-name-file-group-and-key", test_conf_errors_name_file_group_and_key);
#undef T
	return g_test_run();
}
