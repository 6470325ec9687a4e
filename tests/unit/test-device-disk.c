/* A disk's host side: which sources are refused and why, the loop device
 * and physical-device a good one gets, and its release. Real files in a
 * temporary directory; the fake hypervisor plays the loop devices. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/device/device.h"
#include "tests/unit/hv-fake.h"
#include "tests/unit/test-tmpdir.h"

struct fx {
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	char *dir;
};

static void fx_setup(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_hv_fake_init(&f->fake);
	xlite_hv_fake_attach(&f->hv, &f->fake);
	f->dir = g_dir_make_tmp("xlite-dev-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	test_tmpdir_remove(f->dir);
	xlite_hv_fake_dispose(&f->fake);
}

/* A file of SIZE bytes with MODE in the fixture's directory. */
static char *make_file(struct fx *f, const char *name, size_t size, mode_t mode)
{
	char *p = g_build_filename(f->dir, name, NULL);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(ftruncate(fd, (off_t)size), ==, 0);
	close(fd);
	g_assert_cmpint(chmod(p, mode), ==, 0);
	return p;
}

static struct xlite_disk disk_of(char *source, const char *target, bool ro)
{
	struct xlite_disk d;

	memset(&d, 0, sizeof(d));
	d.type = XLITE_DISK_FILE;
	d.source = source;
	d.target = (char *)(uintptr_t)target;
	d.readonly = ro;
	xlite_vdev_parse(target, &d.vdev);
	return d;
}

static void test_good_file_gets_a_loop_device_and_hex_physdev(struct fx *f, gconstpointer u)
{
	char *img = make_file(f, "a.raw", 1 << 20, 0600);
	struct xlite_disk d = disk_of(img, "xvda", false);
	struct xlite_disk_host h;

	(void)u;
	f->fake.next_loop = 10;	/* minor 10 = 0xa: the hex form shows */
	xlite_disk_host_init(&h);
	g_assert_cmpint(xlite_disk_host_prepare(&f->hv, &d, &h), ==, 0);
	g_assert_cmpstr(h.path, ==, "/dev/loop10");
	g_assert_cmpstr(h.physdev, ==, "7:a");
	g_assert_true(h.loop);
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 1);
	g_assert_cmpint(xlite_disk_host_release(&f->hv, &h), ==, 0);
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 0);
	/* A second release is harmless. */
	g_assert_cmpint(xlite_disk_host_release(&f->hv, &h), ==, 0);
	xlite_disk_host_dispose(&h);
	g_free(img);
}

static void expect_refused(struct fx *f, struct xlite_disk *d, int err, const char *why)
{
	struct xlite_disk_host h;

	xlite_disk_host_init(&h);
	g_assert_cmpint(xlite_disk_host_prepare(&f->hv, d, &h), ==, err);
	g_test_message("message: %s", xlite_hv_error(&f->hv));
	g_assert_nonnull(strstr(xlite_hv_error(&f->hv), why));
	g_assert_nonnull(strstr(xlite_hv_error(&f->hv), d->target));
	g_assert_cmpuint(g_hash_table_size(f->fake.loops), ==, 0);
	g_assert_null(h.path);
	xlite_disk_host_dispose(&h);
}

static void test_missing_file_is_refused(struct fx *f, gconstpointer u)
{
	char *p = g_build_filename(f->dir, "nope.raw", NULL);
	struct xlite_disk d = disk_of(p, "xvda", false);

	(void)u;
	expect_refused(f, &d, -ENOENT, "no such file");
	g_free(p);
}

static void test_directory_is_refused(struct fx *f, gconstpointer u)
{
	struct xlite_disk d = disk_of(f->dir, "xvdb", false);

	(void)u;
	expect_refused(f, &d, -EISDIR, "is a directory");
}

static void test_empty_and_tiny_files_are_refused(struct fx *f, gconstpointer u)
{
	char *e = make_file(f, "empty.raw", 0, 0600);
	char *t = make_file(f, "tiny.raw", 100, 0600);
	struct xlite_disk d = disk_of(e, "xvda", false);

	(void)u;
	expect_refused(f, &d, -EINVAL, "is empty");
	d = disk_of(t, "xvda", false);
	expect_refused(f, &d, -EINVAL, "too small");
	g_free(e);
	g_free(t);
}

static void test_read_only_file_asked_for_write_is_refused(struct fx *f, gconstpointer u)
{
	char *p = make_file(f, "ro.raw", 4096, 0444);
	struct xlite_disk d = disk_of(p, "xvdc", false);
	struct xlite_disk_host h;

	(void)u;
	expect_refused(f, &d, -EACCES, "read-only");
	/* The same file is fine when the disk is read-only. */
	d.readonly = true;
	xlite_disk_host_init(&h);
	g_assert_cmpint(xlite_disk_host_prepare(&f->hv, &d, &h), ==, 0);
	g_assert_cmpint(xlite_disk_host_release(&f->hv, &h), ==, 0);
	xlite_disk_host_dispose(&h);
	g_free(p);
}

static void test_block_type_on_a_file_is_refused(struct fx *f, gconstpointer u)
{
	char *p = make_file(f, "b.raw", 4096, 0600);
	struct xlite_disk d = disk_of(p, "xvdd", false);

	(void)u;
	d.type = XLITE_DISK_BLOCK;
	expect_refused(f, &d, -ENOTBLK, "not a block device");
	g_free(p);
}

static void test_bad_target_is_refused(struct fx *f, gconstpointer u)
{
	char *p = make_file(f, "c.raw", 4096, 0600);
	struct xlite_disk d = disk_of(p, "hde", false);

	(void)u;
	expect_refused(f, &d, -EINVAL, "not a Xen PV disk name");
	g_free(p);
}

static void test_loop_failure_leaves_nothing(struct fx *f, gconstpointer u)
{
	char *p = make_file(f, "d.raw", 4096, 0600);
	struct xlite_disk d = disk_of(p, "xvde", false);

	(void)u;
	f->fake.fail_op = "loop_attach";
	f->fake.fail_at = 1;
	f->fake.fail_errno = -EBUSY;
	expect_refused(f, &d, -EBUSY, "injected");
	g_free(p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(name, fn) g_test_add("/device/disk/" name, struct fx, NULL, fx_setup, fn, fx_teardown)
	ADD("good-file-gets-a-loop-device-and-hex-physdev",
	    test_good_file_gets_a_loop_device_and_hex_physdev);
	ADD("missing-file-is-refused", test_missing_file_is_refused);
	ADD("directory-is-refused", test_directory_is_refused);
	ADD("empty-and-tiny-files-are-refused", test_empty_and_tiny_files_are_refused);
	ADD("read-only-file-asked-for-write-is-refused",
	    test_read_only_file_asked_for_write_is_refused);
	ADD("block-type-on-a-file-is-refused", test_block_type_on_a_file_is_refused);
	ADD("bad-target-is-refused", test_bad_target_is_refused);
	ADD("loop-failure-leaves-nothing", test_loop_failure_leaves_nothing);
#undef ADD
	return g_test_run();
}
