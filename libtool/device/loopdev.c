/* Loop devices: LOOP_CTL_GET_FREE + LOOP_CONFIGURE (Linux >= 5.8), falling
 * back to LOOP_SET_FD + LOOP_SET_STATUS64. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <linux/loop.h>

#include <glib.h>

#include "libtool/util/fail.h"
#include "libtool/device/loopdev.h"

#ifndef LOOP_CONFIGURE
#define LOOP_CONFIGURE 0x4C0A
struct loop_config {
	__u32 fd;
	__u32 block_size;
	struct loop_info64 info;
	__u64 __reserved[8];
};
#endif

#define ATTACH_TRIES 32

static void fill_info(struct loop_info64 *info, const char *backing, bool readonly)
{
	memset(info, 0, sizeof(*info));
	info->lo_flags = readonly ? LO_FLAGS_READ_ONLY : 0;
	snprintf((char *)info->lo_file_name, sizeof(info->lo_file_name), "%s", backing);
}

/* Bind FD to loop device LFD. 0, -EBUSY (someone was quicker), or -errno. */
static int bind_loop(int lfd, int fd, const char *backing, bool readonly)
{
	struct loop_config lc;

	memset(&lc, 0, sizeof(lc));
	lc.fd = (__u32)fd;
	fill_info(&lc.info, backing, readonly);
	if (ioctl(lfd, LOOP_CONFIGURE, &lc) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
	/* kernels before 5.8 */
	if (ioctl(lfd, LOOP_SET_FD, fd) < 0)
		return -errno;
	if (ioctl(lfd, LOOP_SET_STATUS64, &lc.info) < 0) {
		int rc = -errno;

		ioctl(lfd, LOOP_CLR_FD, 0);
		return rc;
	}
	return 0;
}

int xlite_loop_attach(const char *backing, bool readonly, char **loop_path,
		      unsigned int *major, unsigned int *minor, char **err)
{
	int ctl = -1, fd = -1, lfd = -1, rc = 0, tries;
	int oflags = (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
	char path[32];
	struct stat st;

	*err = NULL;
	*loop_path = NULL;
	fd = open(backing, oflags);
	if (fd < 0) {
		rc = xlite_fail(err, -errno, "opening '%s'%s: %s", backing,
				readonly ? "" : " for writing", strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = xlite_fail(err, -EINVAL, "'%s' is not a regular file", backing);
		goto out;
	}
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0) {
		rc = xlite_fail(err, -errno, "opening /dev/loop-control: %s (is the loop module loaded?)",
				strerror(errno));
		goto out;
	}
	for (tries = 0; tries < ATTACH_TRIES; tries++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);

		if (n < 0) {
			rc = xlite_fail(err, -errno, "no free loop device: %s", strerror(errno));
			goto out;
		}
		snprintf(path, sizeof(path), "/dev/loop%d", n);
		lfd = open(path, oflags);
		if (lfd < 0 && errno == ENOENT) {
			/* the node may lag the device by a moment */
			const struct timespec ms10 = { 0, 10 * 1000 * 1000 };

			nanosleep(&ms10, NULL);
			continue;
		}
		if (lfd < 0) {
			rc = xlite_fail(err, -errno, "opening %s: %s", path, strerror(errno));
			goto out;
		}
		rc = bind_loop(lfd, fd, backing, readonly);
		if (rc == 0)
			break;
		close(lfd);
		lfd = -1;
		if (rc != -EBUSY) {
			rc = xlite_fail(err, rc, "attaching '%s' to %s: %s", backing, path,
					strerror(-rc));
			goto out;
		}
	}
	if (lfd < 0) {
		rc = xlite_fail(err, -EBUSY, "attaching '%s': every free loop device was taken first (%d tries)",
				backing, ATTACH_TRIES);
		goto out;
	}
	if (fstat(lfd, &st) < 0 || !S_ISBLK(st.st_mode)) {
		rc = xlite_fail(err, -EIO, "%s is not a block device", path);
		ioctl(lfd, LOOP_CLR_FD, 0);
		goto out;
	}
	*loop_path = g_strdup(path);
	if (!*loop_path) {
		ioctl(lfd, LOOP_CLR_FD, 0);
		rc = -ENOMEM;
		goto out;
	}
	*major = major(st.st_rdev);
	*minor = minor(st.st_rdev);
	rc = 0;
out:
	if (lfd >= 0)
		close(lfd);
	if (ctl >= 0)
		close(ctl);
	if (fd >= 0)
		close(fd);
	return rc;
}

int xlite_loop_detach(const char *loop_path, char **err)
{
	int lfd, rc = 0;

	*err = NULL;
	lfd = open(loop_path, O_RDONLY | O_CLOEXEC);
	if (lfd < 0)
		return xlite_fail(err, -errno, "opening %s: %s", loop_path, strerror(errno));
	if (ioctl(lfd, LOOP_CLR_FD, 0) < 0 && errno != ENXIO)
		rc = xlite_fail(err, -errno, "releasing %s: %s", loop_path, strerror(errno));
	close(lfd);
	return rc;
}

int xlite_loop_backing(const char *loop_path, char **backing, char **err)
{
	const char *name = loop_path + strlen("/dev/");
	char path[96], buf[4096];
	ssize_t n;
	int fd;

	*err = NULL;
	*backing = NULL;
	if (!g_str_has_prefix(loop_path, "/dev/loop") || strchr(name, '/') || strlen(name) > 16)
		return xlite_fail(err, -EINVAL, "'%s' is not a loop device", loop_path);
	/* The loop/ directory exists only while the device is bound. */
	snprintf(path, sizeof(path), "/sys/block/%s/loop/backing_file", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0)
		return xlite_fail(err, -errno, "reading %s: %s", path, strerror(errno));
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		int rc = -errno;

		close(fd);
		/* unbound between open and read */
		if (rc == -ENXIO || rc == -ENOENT)
			return 0;
		return xlite_fail(err, rc, "reading %s: %s", path, strerror(-rc));
	}
	close(fd);
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	if (n > 0)
		*backing = g_strdup(buf);
	return 0;
}

int xlite_loop_find_by_backing(const char *backing, char **loop_path)
{
	struct stat want;
	struct dirent *de;
	DIR *dir;
	int rc = -ENOENT;

	*loop_path = NULL;
	if (stat(backing, &want) < 0)
		return -errno;
	dir = opendir("/sys/block");
	if (!dir)
		return -errno;
	while ((de = readdir(dir)) != NULL) {
		struct loop_info64 info;
		char path[300];
		int lfd;

		if (strncmp(de->d_name, "loop", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "/dev/%s", de->d_name);
		lfd = open(path, O_RDONLY | O_CLOEXEC);
		if (lfd < 0)
			continue;
		if (ioctl(lfd, LOOP_GET_STATUS64, &info) == 0 &&
		    info.lo_device == (__u64)want.st_dev &&
		    info.lo_inode == (__u64)want.st_ino) {
			close(lfd);
			*loop_path = g_strdup(path);
			rc = *loop_path ? 0 : -ENOMEM;
			break;
		}
		close(lfd);
	}
	closedir(dir);
	return rc;
}

/* "loopN" from /sys/dev/block/MAJ:MIN/uevent (DEVNAME=), when that block
 * device is a loop device; else -ENXIO. */
static int loop_name(unsigned int maj, unsigned int min, char *name, size_t size)
{
	char path[96], line[128];
	FILE *f;
	int rc = -ENXIO;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/loop", maj, min);
	if (access(path, F_OK) < 0)
		return -ENXIO;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/uevent", maj, min);
	f = fopen(path, "re");
	if (!f)
		return -ENXIO;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "DEVNAME=loop", 12) == 0 &&
		    strspn(line + 12, "0123456789") == strlen(line + 12) && line[12]) {
			snprintf(name, size, "%s", line + 8);
			rc = 0;
			break;
		}
	}
	fclose(f);
	return rc;
}

int xlite_loop_identity(unsigned int maj, unsigned int min, uint64_t *dev, uint64_t *ino)
{
	struct loop_info64 info;
	struct stat st;
	char name[128], path[160];
	int lfd, rc;

	rc = loop_name(maj, min, name, sizeof(name));
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), "/dev/%s", name);
	lfd = open(path, O_RDONLY | O_CLOEXEC);
	if (lfd < 0)
		return errno == ENOENT ? -ENXIO : -errno;
	/* The node must be the device asked about, not a stale name. */
	if (fstat(lfd, &st) < 0 || !S_ISBLK(st.st_mode) ||
	    st.st_rdev != makedev(maj, min))
		rc = -ENXIO;
	else if (ioctl(lfd, LOOP_GET_STATUS64, &info) < 0)
		rc = -errno;	/* ENXIO: no file bound */
	else {
		*dev = info.lo_device;
		*ino = info.lo_inode;
	}
	close(lfd);
	return rc;
}

int xlite_blockdev_numbers(const char *path, unsigned int *major_out,
			   unsigned int *minor_out, char **err)
{
	struct stat st;

	*err = NULL;
	if (stat(path, &st) < 0)
		return xlite_fail(err, -errno, "'%s': %s", path, strerror(errno));
	if (!S_ISBLK(st.st_mode))
		return xlite_fail(err, -ENOTBLK, "'%s' is not a block device", path);
	*major_out = major(st.st_rdev);
	*minor_out = minor(st.st_rdev);
	return 0;
}

void xlite_physdev_format(unsigned int maj, unsigned int min,
			  char out[XLITE_PHYSDEV_LEN])
{
	snprintf(out, XLITE_PHYSDEV_LEN, "%x:%x", maj, min);
}
