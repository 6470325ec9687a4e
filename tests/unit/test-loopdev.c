/* Loop devices on this host's kernel (skipped without /dev/loop-control
 * or the right to use it): attach, read back, read-only, detach. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/device/loopdev.h"

struct fixture {
	char *dir, *image;
};

/* A failed assertion aborts without teardown: the image of the running
 * test, so the SIGABRT handler can give its loop devices back. */
static char *running_image;

static void release_on_abort(int sig)
{
	char *loop = NULL, *err = NULL;
	int n = 0;

	while (running_image && n++ < 8 &&
	       xlite_loop_find_by_backing(running_image, &loop) == 0)
		xlite_loop_detach(loop, &err);
	signal(sig, SIG_DFL);
	raise(sig);
}

static gboolean loops_usable(void)
{
	int fd = open("/dev/loop-control", O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		g_test_skip("/dev/loop-control is not usable here; the lab tests loop devices");
		return FALSE;
	}
	close(fd);
	return TRUE;
}

static void setup(struct fixture *f, gconstpointer data)
{
	g_autofree char *zeros = g_malloc0(1024 * 1024);

	(void)data;
	f->dir = g_dir_make_tmp("xlite-loop-XXXXXX", NULL);
	f->image = g_build_filename(f->dir, "disk.img", NULL);
	g_assert_true(g_file_set_contents(f->image, zeros, 1024 * 1024, NULL));
	running_image = f->image;
}

static void teardown(struct fixture *f, gconstpointer data)
{
	char *loop = NULL, *err = NULL;
	int n = 0;

	(void)data;
	/* a failed test must not leave this host's loop devices taken */
	while (n++ < 8 && xlite_loop_find_by_backing(f->image, &loop) == 0) {
		xlite_loop_detach(loop, &err);
		g_free(err);
		g_free(loop);
	}
	running_image = NULL;
	g_unlink(f->image);
	g_rmdir(f->dir);
	g_free(f->image);
	g_free(f->dir);
}

static char *sysfs_read(const char *loop, const char *what)
{
	g_autofree char *path = g_strdup_printf("/sys/block/%s/%s", loop + 5, what);
	char *s = NULL;

	if (!g_file_get_contents(path, &s, NULL, NULL))
		return NULL;
	return g_strchomp(s);
}

static void test_attach_write_read_detach(struct fixture *f, gconstpointer data)
{
	static const char msg[] = "written through the loop device";
	char *loop = NULL, *err = NULL, *found = NULL, buf[64] = "";
	g_autofree char *backing = NULL, *ro = NULL;
	unsigned int major = 0, minor = 0;
	char physdev[XLITE_PHYSDEV_LEN];
	struct stat st;
	int fd;

	(void)data;
	if (!loops_usable())
		return;
	if (xlite_loop_attach(f->image, false, &loop, &major, &minor, &err) < 0)
		g_error("%s", err);
	g_test_message("%s %u:%u", loop, major, minor);
	g_assert_true(g_str_has_prefix(loop, "/dev/loop"));
	g_assert_cmpint(stat(loop, &st), ==, 0);
	g_assert_true(S_ISBLK(st.st_mode));
	g_assert_cmpuint(major, ==, 7);
	backing = sysfs_read(loop, "loop/backing_file");
	g_assert_cmpstr(backing, ==, f->image);
	ro = sysfs_read(loop, "ro");
	g_assert_cmpstr(ro, ==, "0");
	g_assert_cmpint(xlite_loop_find_by_backing(f->image, &found), ==, 0);
	g_assert_cmpstr(found, ==, loop);
	g_free(found);
	{
		/* The identity of the file behind it, as stat() gives it. */
		uint64_t dev = 0, ino = 0;
		struct stat img;

		g_assert_cmpint(stat(f->image, &img), ==, 0);
		g_assert_cmpint(xlite_loop_identity(major, minor, &dev, &ino), ==, 0);
		g_assert_cmpuint(dev, ==, img.st_dev);
		g_assert_cmpuint(ino, ==, img.st_ino);
		/* 1:3 is /dev/null, a character device: no loop there. */
		g_assert_cmpint(xlite_loop_identity(1, 3, &dev, &ino), ==, -ENXIO);
	}

	fd = open(loop, O_WRONLY | O_CLOEXEC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(pwrite(fd, msg, sizeof(msg), 4096), ==, sizeof(msg));
	g_assert_cmpint(fsync(fd), ==, 0);
	close(fd);
	fd = open(f->image, O_RDONLY | O_CLOEXEC);
	g_assert_cmpint(pread(fd, buf, sizeof(msg), 4096), ==, sizeof(msg));
	close(fd);
	g_assert_cmpstr(buf, ==, msg);

	xlite_physdev_format(major, minor, physdev);
	{
		g_autofree char *want = g_strdup_printf("7:%x", minor);

		g_assert_cmpstr(physdev, ==, want);
	}

	g_assert_cmpint(xlite_loop_detach(loop, &err), ==, 0);
	g_assert_cmpint(xlite_loop_find_by_backing(f->image, &found), ==, -ENOENT);
	{
		uint64_t dev = 0, ino = 0;

		/* Unbound now (or gone, when the kernel removed it). */
		g_assert_cmpint(xlite_loop_identity(major, minor, &dev, &ino), ==, -ENXIO);
	}
	g_free(loop);
}

static void test_readonly_attach_refuses_writes(struct fixture *f, gconstpointer data)
{
	char *loop = NULL, *err = NULL;
	g_autofree char *ro = NULL;
	unsigned int major, minor;
	int fd;

	(void)data;
	if (!loops_usable())
		return;
	if (xlite_loop_attach(f->image, true, &loop, &major, &minor, &err) < 0)
		g_error("%s", err);
	ro = sysfs_read(loop, "ro");
	g_assert_cmpstr(ro, ==, "1");
	/* opening for writing may succeed; writing must not */
	fd = open(loop, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		g_assert_cmpint(pwrite(fd, "x", 1, 0), <, 0);
		g_assert_true(errno == EPERM || errno == EROFS);
		close(fd);
	} else {
		g_assert_cmpint(errno, ==, EROFS);
	}
	g_assert_cmpint(xlite_loop_detach(loop, &err), ==, 0);
	g_free(loop);
}

struct racer {
	const char *image;
	char *loop;
	int rc;
};

static void *race(void *opaque)
{
	struct racer *r = opaque;
	unsigned int major, minor;
	char *err = NULL;

	r->rc = xlite_loop_attach(r->image, true, &r->loop, &major, &minor, &err);
	if (r->rc < 0)
		g_printerr("%s\n", err);
	g_free(err);
	return NULL;
}

static void test_concurrent_attaches_get_distinct_devices(struct fixture *f, gconstpointer data)
{
	struct racer r[4];
	pthread_t t[4];
	char *err = NULL;
	int i, j;

	(void)data;
	if (!loops_usable())
		return;
	for (i = 0; i < 4; i++) {
		r[i] = (struct racer){ .image = f->image };
		g_assert_cmpint(pthread_create(&t[i], NULL, race, &r[i]), ==, 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++)
		g_assert_cmpint(r[i].rc, ==, 0);
	for (i = 0; i < 4; i++)
		for (j = 0; j < i; j++)
			g_assert_cmpstr(r[i].loop, !=, r[j].loop);
	for (i = 0; i < 4; i++) {
		g_assert_cmpint(xlite_loop_detach(r[i].loop, &err), ==, 0);
		g_free(r[i].loop);
	}
}

static void test_attach_refuses_what_is_not_a_file(struct fixture *f, gconstpointer data)
{
	char *loop = NULL, *err = NULL;
	unsigned int major, minor;

	(void)data;
	g_assert_cmpint(xlite_loop_attach(f->dir, true, &loop, &major, &minor, &err), <, 0);
	g_assert_nonnull(err);
	g_assert_null(loop);
	g_free(err);
	g_assert_cmpint(xlite_loop_attach("/nonexistent.img", true, &loop, &major, &minor, &err),
			==, -ENOENT);
	g_assert_nonnull(strstr(err, "/nonexistent.img"));
	g_free(err);
}

static void test_blockdev_numbers(void)
{
	unsigned int major, minor;
	char *err = NULL;

	g_assert_cmpint(xlite_blockdev_numbers("/dev/null", &major, &minor, &err), ==, -ENOTBLK);
	g_assert_nonnull(strstr(err, "not a block device"));
	g_free(err);
	if (access("/dev/loop0", F_OK) == 0) {
		g_assert_cmpint(xlite_blockdev_numbers("/dev/loop0", &major, &minor, &err), ==, 0);
		g_assert_cmpuint(major, ==, 7);
		g_assert_cmpuint(minor, ==, 0);
	}
}

static void test_physdev_is_hex(void)
{
	char s[XLITE_PHYSDEV_LEN];

	xlite_physdev_format(7, 0, s);
	g_assert_cmpstr(s, ==, "7:0");
	xlite_physdev_format(253, 10, s);
	g_assert_cmpstr(s, ==, "fd:a");
	xlite_physdev_format(259, 65536, s);
	g_assert_cmpstr(s, ==, "103:10000");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGABRT, release_on_abort);
#define ADD(path, fn) g_test_add(path, struct fixture, NULL, setup, fn, teardown)
	ADD("/loopdev/attach-write-read-detach", test_attach_write_read_detach);
	ADD("/loopdev/readonly-refuses-writes", test_readonly_attach_refuses_writes);
	ADD("/loopdev/concurrent-attaches-get-distinct-devices", test_concurrent_attaches_get_distinct_devices);
	ADD("/loopdev/refuses-what-is-not-a-file", test_attach_refuses_what_is_not_a_file);
	g_test_add_func("/loopdev/blockdev-numbers", test_blockdev_numbers);
	g_test_add_func("/loopdev/physdev-is-hex", test_physdev_is_hex);
	return g_test_run();
}
