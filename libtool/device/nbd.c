/* nbd devices served by qemu-nbd, for qcow2 disks (see nbd.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/nbd.h>

#include <glib.h>

#include "libtool/device/nbd.h"
#include "libtool/util/fail.h"
#include "libtool/util/number.h"

#define POLL_MS 20
#define NBD_MAX_DEVICES 1024	/* nbd's nbds_max is 16 unless raised */
#define BACKENDS "/sys/bus/xen-backend/devices"

bool xlite_dev_is_numbered(const char *dev, const char *prefix)
{
	const char *num;

	if (!dev || !g_str_has_prefix(dev, prefix))
		return false;
	num = dev + strlen(prefix);
	return *num && strlen(num) <= 6 && strspn(num, "0123456789") == strlen(num);
}

bool xlite_nbd_is_dev(const char *dev)
{
	return xlite_dev_is_numbered(dev, "/dev/nbd");
}

int xlite_qcow2_check(const char *file, char **err)
{
	static const unsigned char magic[4] = { 'Q', 'F', 'I', 0xfb };
	unsigned char head[4];
	ssize_t n;
	int fd, rc;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xlite_fail(err, -errno, "%s: %s", file, g_strerror(errno));
	n = read(fd, head, sizeof(head));
	rc = n < 0 ? -errno : 0;
	close(fd);
	if (rc < 0)
		return xlite_fail(err, rc, "%s: %s", file, g_strerror(-rc));
	if (n != (ssize_t)sizeof(head) || memcmp(head, magic, sizeof(magic)) != 0)
		return xlite_fail(err, -EINVAL,
				  "%s is not a qcow2 image (it does not start with qcow2's "
				  "magic 'QFI\\xfb'), expected a qcow2 file for "
				  "<driver type='qcow2'>, or type='raw'", file);
	return 0;
}

/* Contents of /sys/block/NAME/LEAF without the newline, NULL when absent. */
static char *sys_read(const char *name, const char *leaf)
{
	g_autofree char *path = g_strdup_printf("/sys/block/%s/%s", name, leaf);
	char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return NULL;
	g_strchomp(text);
	return text;
}

/* The pid serving nbd device NAME ("nbd0"), 0 when not connected. */
static pid_t server_pid(const char *name)
{
	g_autofree char *pid = sys_read(name, "pid");
	uint64_t v;

	if (!pid || xlite_number_parse(pid, 1, INT32_MAX, &v) < 0)
		return 0;
	return (pid_t)v;
}

/* Whether PID runs (a zombie has ended: only its exit status is left). */
static bool process_alive(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *stat = NULL;
	const char *end;

	if (!g_file_get_contents(path, &stat, NULL, NULL))
		return false;
	end = strrchr(stat, ')');	/* the name may hold anything */
	return end && end[1] == ' ' && end[2] != 'Z' && end[2] != 'X';
}

/* The first regular file PID holds open (lowest fd): the image qemu-nbd
 * serves. 0 with *path and *st, -ENOENT when none, -errno. */
static int served_file(pid_t pid, char **path, struct stat *st)
{
	g_autofree char *dir = g_strdup_printf("/proc/%d/fd", (int)pid);
	struct dirent *de;
	long best = -1;
	DIR *d = opendir(dir);

	*path = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		g_autofree char *link = NULL;
		struct stat s;
		uint64_t fd;

		if (xlite_number_parse(de->d_name, 0, INT32_MAX, &fd) < 0 ||
		    (best >= 0 && (long)fd > best))
			continue;
		link = g_strdup_printf("%s/%s", dir, de->d_name);
		if (stat(link, &s) < 0 || !S_ISREG(s.st_mode))
			continue;
		g_free(*path);
		*path = g_file_read_link(link, NULL);
		if (!*path)
			continue;
		*st = s;
		best = (long)fd;
	}
	closedir(d);
	return *path ? 0 : -ENOENT;
}

/* The server of nbd device DEV: 0 with *pid (0: not connected), or
 * -EINVAL with *err when DEV is no nbd device's name. */
static int dev_server(const char *dev, pid_t *pid, char **err)
{
	if (!xlite_nbd_is_dev(dev))
		return xlite_fail(err, -EINVAL, "'%s' is not an nbd device", dev);
	*pid = server_pid(dev + strlen("/dev/"));
	return 0;
}

int xlite_nbd_backing(const char *dev, char **backing, char **err)
{
	struct stat st;
	pid_t pid = 0;
	int rc;

	*backing = NULL;
	rc = dev_server(dev, &pid, err);
	if (rc < 0 || !pid)
		return rc;
	rc = served_file(pid, backing, &st);
	if (rc < 0)	/* connected, its file unknown: say who serves it */
		*backing = g_strdup_printf("qemu-nbd pid %d", (int)pid);
	return 0;
}

int xlite_nbd_identity(unsigned int major, unsigned int minor, uint64_t *dev, uint64_t *ino)
{
	g_autofree char *uevent_path = g_strdup_printf("/sys/dev/block/%u:%u/uevent", major, minor);
	g_autofree char *uevent = NULL, *file = NULL;
	g_auto(GStrv) lines = NULL;
	struct stat st;
	pid_t pid = 0;
	size_t i;
	int rc;

	if (!g_file_get_contents(uevent_path, &uevent, NULL, NULL))
		return -ENXIO;
	lines = g_strsplit(uevent, "\n", 0);
	for (i = 0; lines[i]; i++) {
		g_autofree char *dev_path = NULL;

		if (!g_str_has_prefix(lines[i], "DEVNAME="))
			continue;
		dev_path = g_strdup_printf("/dev/%s", lines[i] + strlen("DEVNAME="));
		if (xlite_nbd_is_dev(dev_path))
			pid = server_pid(lines[i] + strlen("DEVNAME="));
		break;
	}
	if (!pid)
		return -ENXIO;
	rc = served_file(pid, &file, &st);
	if (rc < 0)
		return rc == -ENOENT ? -ENXIO : rc;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* Whether a vbd of dom0's blkback serves MAJOR:MINOR: its sysfs
 * physical_device is hex "major:minor" as in xenstore. */
static bool blkback_holds(unsigned int major, unsigned int minor, char **vbd)
{
	g_autofree char *want = g_strdup_printf("%x:%x", major, minor);
	struct dirent *de;
	DIR *d = opendir(BACKENDS);
	bool held = false;

	if (!d)
		return false;
	while (!held && (de = readdir(d)) != NULL) {
		g_autofree char *path = NULL, *text = NULL;

		if (!g_str_has_prefix(de->d_name, "vbd-"))
			continue;
		path = g_strdup_printf(BACKENDS "/%s/physical_device", de->d_name);
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		held = strcmp(g_strchomp(text), want) == 0;
		if (held)
			*vbd = g_strdup(de->d_name);
	}
	closedir(d);
	return held;
}

/* Polls COND(NAME, ARG) every POLL_MS until true or TIMEOUT_MS pass. */
static bool wait_until(bool (*cond)(const char *name, pid_t arg), const char *name, pid_t arg,
		       int timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	while (!cond(name, arg)) {
		if (g_get_monotonic_time() >= deadline)
			return false;
		g_usleep(POLL_MS * 1000);
	}
	return true;
}

static bool device_up(const char *name, pid_t unused)
{
	g_autofree char *size = sys_read(name, "size");

	(void)unused;
	return server_pid(name) != 0 && size && strcmp(size, "0") != 0;
}

static bool server_gone(const char *name, pid_t pid)
{
	return server_pid(name) == 0 && !process_alive(pid);
}

/* NBD_DISCONNECT and NBD_CLEAR_SOCK on DEV, as `qemu-nbd -d` does. */
static int disconnect(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, NBD_DISCONNECT) < 0)
		rc = -errno;
	ioctl(fd, NBD_CLEAR_SOCK);
	close(fd);
	return rc;
}

int xlite_nbd_detach(const char *dev, char **err)
{
	const char *name = dev + strlen("/dev/");
	g_autofree char *vbd = NULL;
	unsigned int major, minor;
	struct stat st;
	gint64 deadline;
	pid_t pid = 0;
	int rc;

	*err = NULL;
	rc = dev_server(dev, &pid, err);
	if (rc < 0 || !pid)
		return rc;
	if (stat(dev, &st) < 0 || !S_ISBLK(st.st_mode))
		return xlite_fail(err, -ENODEV, "%s: no such block device", dev);
	major = major(st.st_rdev);
	minor = minor(st.st_rdev);
	/* blkback lets go a moment after its backend directory went. */
	deadline = g_get_monotonic_time() + (gint64)XLITE_NBD_TIMEOUT_MS * 1000;
	while (blkback_holds(major, minor, &vbd)) {
		if (g_get_monotonic_time() >= deadline)
			return xlite_fail(err, -EBUSY, "%s is still used by dom0's blkback (%s) "
					  "after %d s: not disconnected", dev, vbd,
					  XLITE_NBD_TIMEOUT_MS / 1000);
		g_clear_pointer(&vbd, g_free);
		g_usleep(POLL_MS * 1000);
	}
	rc = disconnect(dev);
	if (rc < 0 && server_pid(name))
		return xlite_fail(err, rc, "disconnecting %s: %s", dev, g_strerror(-rc));
	if (!wait_until(server_gone, name, pid, XLITE_NBD_TIMEOUT_MS))
		return xlite_fail(err, -ETIMEDOUT, "%s: its qemu-nbd (pid %d) is still there "
				  "%d s after the disconnect", dev, (int)pid,
				  XLITE_NBD_TIMEOUT_MS / 1000);
	return 0;
}

/* Runs qemu-nbd for FILE on nbd device NAME. 0, -EBUSY when the device
 * was taken meanwhile, or -errno with *err. */
static int serve(const char *name, const char *file, bool readonly, char **err)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *out = NULL;
	g_autoptr(GError) gerr = NULL;
	gint status = 0;

	g_ptr_array_add(argv, g_strdup("qemu-nbd"));
	g_ptr_array_add(argv, g_strdup_printf("--connect=/dev/%s", name));
	g_ptr_array_add(argv, g_strdup("--format=qcow2"));
	if (readonly)
		g_ptr_array_add(argv, g_strdup("--read-only"));
	g_ptr_array_add(argv, g_strdup("--"));
	g_ptr_array_add(argv, g_strdup(file));
	g_ptr_array_add(argv, NULL);
	/* stdout to /dev/null: the server qemu-nbd leaves behind keeps it. */
	if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
			  G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
			  G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL, NULL, &out, &status, &gerr))
		return xlite_fail(err, -ENOENT, "cannot run qemu-nbd (Debian package "
				  "qemu-utils): %s", gerr->message);
	if (g_spawn_check_wait_status(status, NULL))
		return 0;
	g_strstrip(out);
	if (strstr(out, "NBD socket") || strstr(out, "busy"))
		return -EBUSY;
	return xlite_fail(err, -EIO, "qemu-nbd serving %s on /dev/%s failed: %s", file,
			  name, *out ? out : "no message");
}

int xlite_nbd_attach(const char *file, bool readonly, char **dev, unsigned int *major,
		     unsigned int *minor, char **err)
{
	unsigned int n, seen = 0;
	char name[24];
	struct stat st;
	int rc = -EBUSY;

	*err = NULL;
	*dev = NULL;
	rc = xlite_qcow2_check(file, err);
	if (rc < 0)
		return rc;
	rc = -EBUSY;
	for (n = 0; n < NBD_MAX_DEVICES && rc == -EBUSY; n++) {
		g_autofree char *size = NULL;

		snprintf(name, sizeof(name), "nbd%u", n);
		size = sys_read(name, "size");
		if (!size)
			break;	/* no more nbd devices */
		seen++;
		if (server_pid(name) || strcmp(size, "0") != 0)
			continue;
		rc = serve(name, file, readonly, err);
	}
	if (rc == -EBUSY)
		return xlite_fail(err, seen ? -EBUSY : -ENODEV,
				  seen ? "serving %s: every nbd device (%u) is in use"
				       : "serving %s: no nbd device (/sys/block/nbd0): is the nbd "
					 "module loaded (modprobe nbd)?", file, seen);
	if (rc < 0)
		return rc;
	snprintf(name, sizeof(name), "nbd%u", n - 1);
	*dev = g_strdup_printf("/dev/%s", name);
	if (!wait_until(device_up, name, 0, XLITE_NBD_TIMEOUT_MS)) {
		rc = xlite_fail(err, -ETIMEDOUT, "%s serving %s did not come up within %d s",
				*dev, file, XLITE_NBD_TIMEOUT_MS / 1000);
		goto fail;
	}
	if (stat(*dev, &st) < 0 || !S_ISBLK(st.st_mode)) {
		rc = xlite_fail(err, -ENODEV, "%s: no such block device", *dev);
		goto fail;
	}
	*major = major(st.st_rdev);
	*minor = minor(st.st_rdev);
	return 0;
fail:
	{
		g_autofree char *why = NULL;

		xlite_nbd_detach(*dev, &why);
	}
	g_clear_pointer(dev, g_free);
	return rc;
}
