/* Shared by the tests that work in a temporary directory: remove it. */
#ifndef XLITE_TEST_TMPDIR_H
#define XLITE_TEST_TMPDIR_H

#include <sys/stat.h>

#include <glib.h>
#include <glib/gstdio.h>

/* Remove DIR, its files and its empty subdirectories (one level, as the
 * tests make them), even those a test made unreadable; free DIR. */
static inline void test_tmpdir_remove(char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d)) != NULL) {
		char *p = g_build_filename(dir, name, NULL);

		chmod(p, 0700);
		if (g_file_test(p, G_FILE_TEST_IS_DIR))
			g_rmdir(p);
		else
			g_unlink(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	g_rmdir(dir);
	g_free(dir);
}

#endif
