/* xlite_config_check_files: what a real create needs on disk, checked
 * separately from parsing (a config is valid on any host). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/parse/config.h"
#include "tests/unit/test-parse-helpers.h"

struct fixture {
	char *dir;
	char *kernel, *initrd, *image, *ro_image;
};

static void touch(const char *path, mode_t mode)
{
	g_assert_true(g_file_set_contents(path, "x", 1, NULL));
	g_assert_cmpint(g_chmod(path, mode), ==, 0);
}

static void setup(struct fixture *f, gconstpointer data)
{
	(void)data;
	f->dir = g_dir_make_tmp("xlite-files-XXXXXX", NULL);
	g_assert_nonnull(f->dir);
	g_assert_cmpint(g_chmod(f->dir, 0755), ==, 0);	/* for the unprivileged child */
	f->kernel = g_build_filename(f->dir, "vmlinuz", NULL);
	f->initrd = g_build_filename(f->dir, "initrd", NULL);
	f->image = g_build_filename(f->dir, "disk.img", NULL);
	f->ro_image = g_build_filename(f->dir, "ro.img", NULL);
	touch(f->kernel, 0644);
	touch(f->initrd, 0644);
	touch(f->image, 0666);
	touch(f->ro_image, 0444);
}

static void teardown(struct fixture *f, gconstpointer data)
{
	(void)data;
	g_unlink(f->kernel);
	g_unlink(f->initrd);
	g_unlink(f->image);
	g_unlink(f->ro_image);
	g_rmdir(f->dir);
	g_free(f->kernel);
	g_free(f->initrd);
	g_free(f->image);
	g_free(f->ro_image);
	g_free(f->dir);
}

/* Parses a domain with KERNEL, INITRD (may be NULL) and DEVICES. */
static void parse_with(struct xlite_config *cfg, const char *kernel, const char *initrd,
		       const char *devices)
{
	g_autofree char *xml = g_strdup_printf(
		"<domain type='xen'>\n<name>f</name>\n<memory>65536</memory>\n<os>\n"
		"<type>linux</type>\n<kernel>%s</kernel>\n%s%s%s</os>\n<devices>\n%s</devices>\n"
		"</domain>\n", kernel, initrd ? "<initrd>" : "", initrd ? initrd : "",
		initrd ? "</initrd>\n" : "", devices ? devices : "");
	char *err = NULL;

	xlite_config_init(cfg);
	if (parse_text(cfg, xml, NULL, &err) < 0)
		g_error("%s", err);
}

static void expect_fail(const struct xlite_config *cfg, int rc, const char *prefix,
			const char *needle)
{
	char *err = NULL;

	g_assert_cmpint(xlite_config_check_files(cfg, &err), ==, rc);
	g_assert_nonnull(err);
	g_test_message("%s", err);
	g_assert_true(g_str_has_prefix(err, prefix));
	g_assert_nonnull(strstr(err, needle));
	g_free(err);
}

static void test_present_files_pass(struct fixture *f, gconstpointer data)
{
	g_autofree char *devs = g_strdup_printf(
		"<disk type='file'><source file='%s'/><target dev='xvda'/></disk>\n"
		"<disk type='file'><source file='%s'/><target dev='xvdb'/><readonly/></disk>\n",
		f->image, f->ro_image);
	struct xlite_config cfg;
	char *err = NULL;

	(void)data;
	parse_with(&cfg, f->kernel, f->initrd, devs);
	g_assert_cmpint(xlite_config_check_files(&cfg, &err), ==, 0);
	g_assert_null(err);
	xlite_config_dispose(&cfg);
}

static void test_missing_kernel_is_named_with_its_line(struct fixture *f, gconstpointer data)
{
	struct xlite_config cfg;

	(void)f;
	(void)data;
	parse_with(&cfg, "/nonexistent/vmlinuz", NULL, NULL);
	expect_fail(&cfg, -ENOENT, "t.xml:6: ", "kernel '/nonexistent/vmlinuz': No such file or directory");
	xlite_config_dispose(&cfg);
}

static void test_missing_initrd_is_named(struct fixture *f, gconstpointer data)
{
	struct xlite_config cfg;

	(void)data;
	parse_with(&cfg, f->kernel, "/nonexistent/initrd", NULL);
	expect_fail(&cfg, -ENOENT, "t.xml:7: ", "initrd '/nonexistent/initrd'");
	xlite_config_dispose(&cfg);
}

static void test_directory_kernel_is_refused(struct fixture *f, gconstpointer data)
{
	struct xlite_config cfg;

	(void)data;
	parse_with(&cfg, f->dir, NULL, NULL);
	expect_fail(&cfg, -EISDIR, "t.xml:6: ", "is a directory, expected a regular file");
	xlite_config_dispose(&cfg);
}

static void test_device_node_kernel_is_refused(struct fixture *f, gconstpointer data)
{
	struct xlite_config cfg;

	(void)f;
	(void)data;
	parse_with(&cfg, "/dev/null", NULL, NULL);
	expect_fail(&cfg, -EINVAL, "t.xml:6: ", "kernel '/dev/null' is not a regular file");
	xlite_config_dispose(&cfg);
}

static void test_missing_disk_is_named_with_its_line(struct fixture *f, gconstpointer data)
{
	struct xlite_config cfg;

	(void)data;
	parse_with(&cfg, f->kernel, NULL,
		   "<disk type='file'><source file='/nonexistent.img'/><target dev='xvda'/></disk>\n");
	expect_fail(&cfg, -ENOENT, "t.xml:9: ", "disk '/nonexistent.img'");
	xlite_config_dispose(&cfg);
}

static void test_file_disk_must_be_a_file(struct fixture *f, gconstpointer data)
{
	g_autofree char *devs = g_strdup_printf(
		"<disk type='file'><source file='%s'/><target dev='xvda'/></disk>\n", f->dir);
	struct xlite_config cfg;

	(void)data;
	parse_with(&cfg, f->kernel, NULL, devs);
	expect_fail(&cfg, -EISDIR, "t.xml:9: ", "is a directory");
	xlite_config_dispose(&cfg);
}

static void test_block_disk_must_be_a_block_device(struct fixture *f, gconstpointer data)
{
	g_autofree char *devs = g_strdup_printf(
		"<disk type='block'><source dev='%s'/><target dev='xvda'/></disk>\n", f->image);
	struct xlite_config cfg;

	(void)data;
	parse_with(&cfg, f->kernel, NULL, devs);
	expect_fail(&cfg, -EINVAL, "t.xml:9: ",
		    "is a regular file, expected a block device (use <disk type='file'>");
	xlite_config_dispose(&cfg);
}

static void test_block_device_as_file_disk_is_refused(struct fixture *f, gconstpointer data)
{
	static const char *const candidates[] = { "/dev/loop0", "/dev/sda", "/dev/vda", "/dev/ram0" };
	const char *blk = NULL;
	g_autofree char *devs = NULL;
	struct xlite_config cfg;
	struct stat st;
	size_t i;

	(void)data;
	for (i = 0; i < G_N_ELEMENTS(candidates) && !blk; i++)
		if (stat(candidates[i], &st) == 0 && S_ISBLK(st.st_mode))
			blk = candidates[i];
	if (!blk) {
		g_test_skip("no block device node on this host");
		return;
	}
	devs = g_strdup_printf("<disk type='file'><source file='%s'/><target dev='xvda'/></disk>\n", blk);
	parse_with(&cfg, f->kernel, NULL, devs);
	expect_fail(&cfg, -EINVAL, "t.xml:9: ", "is a block device, expected a regular file");
	xlite_config_dispose(&cfg);
}

/* Writability: root passes every mode check, so run the check as nobody. */
static int check_as_nobody(const struct xlite_config *cfg, char **msg)
{
	int pipefd[2], status;
	char buf[512];
	ssize_t n;
	pid_t pid;

	g_assert_cmpint(pipe(pipefd), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		char *err = NULL;
		int rc;

		close(pipefd[0]);
		if (getuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
			_exit(100);
		rc = xlite_config_check_files(cfg, &err);
		if (err && write(pipefd[1], err, strlen(err)) < 0)
			_exit(101);
		_exit(-rc);
	}
	close(pipefd[1]);
	n = read(pipefd[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(pipefd[0]);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), <, 100);
	*msg = g_strdup(buf);
	return -WEXITSTATUS(status);
}

static void test_writable_disk_needs_write_access(struct fixture *f, gconstpointer data)
{
	g_autofree char *rw = g_strdup_printf(
		"<disk type='file'><source file='%s'/><target dev='xvda'/></disk>\n", f->ro_image);
	g_autofree char *ro = g_strdup_printf(
		"<disk type='file'><source file='%s'/><target dev='xvda'/><readonly/></disk>\n",
		f->ro_image);
	g_autofree char *msg = NULL, *msg2 = NULL;
	struct xlite_config cfg;

	(void)data;
	parse_with(&cfg, f->kernel, NULL, rw);
	g_assert_cmpint(check_as_nobody(&cfg, &msg), ==, -EACCES);
	g_test_message("%s", msg);
	g_assert_true(g_str_has_prefix(msg, "t.xml:9: disk '"));
	g_assert_nonnull(strstr(msg, "is not readable and writable: Permission denied"));
	xlite_config_dispose(&cfg);

	parse_with(&cfg, f->kernel, NULL, ro);
	g_assert_cmpint(check_as_nobody(&cfg, &msg2), ==, 0);
	xlite_config_dispose(&cfg);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, struct fixture, NULL, setup, fn, teardown)
	ADD("/parse/files/present-files-pass", test_present_files_pass);
	ADD("/parse/files/missing-kernel-named-with-line", test_missing_kernel_is_named_with_its_line);
	ADD("/parse/files/missing-initrd-named", test_missing_initrd_is_named);
	ADD("/parse/files/directory-kernel-refused", test_directory_kernel_is_refused);
	ADD("/parse/files/device-node-kernel-refused", test_device_node_kernel_is_refused);
	ADD("/parse/files/missing-disk-named-with-line", test_missing_disk_is_named_with_its_line);
	ADD("/parse/files/file-disk-must-be-a-file", test_file_disk_must_be_a_file);
	ADD("/parse/files/block-disk-must-be-a-block-device", test_block_disk_must_be_a_block_device);
	ADD("/parse/files/block-device-as-file-disk-refused", test_block_device_as_file_disk_is_refused);
	ADD("/parse/files/writable-disk-needs-write-access", test_writable_disk_needs_write_access);
	return g_test_run();
}
