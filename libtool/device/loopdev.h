/* Loop devices for file-backed guest disks: blkback serves block devices,
 * so a type='file' disk gets a loop device that xlite attaches and, when
 * the domain is gone, detaches. No LO_FLAGS_AUTOCLEAR: blkback holds the
 * block device itself, not a file descriptor, so the loop would vanish
 * under it; release is explicit. */
#ifndef XLITE_LOOPDEV_H
#define XLITE_LOOPDEV_H

#include <stdbool.h>
#include <stdint.h>

#define XLITE_PHYSDEV_LEN 24	/* "fff:fffff" and then some */

/* Attach BACKING (a regular file) to a free loop device, read-only when
 * READONLY. On success *loop_path ("/dev/loopN", caller frees), *major and
 * *minor are set. Retries when another process takes the free device first.
 * 0, or -errno with *err set. */
int xlite_loop_attach(const char *backing, bool readonly, char **loop_path,
		      unsigned int *major, unsigned int *minor, char **err);

/* Release LOOP_PATH (LOOP_CLR_FD). While blkback still holds it the kernel
 * releases it on last close. 0 (also when it was not attached), or -errno. */
int xlite_loop_detach(const char *loop_path, char **err);

/* The file LOOP_PATH serves now, from /sys/block/loopN/loop/backing_file:
 * 0 with *backing (g_free), or 0 with NULL when the device is free. A
 * device released while blkback holds it stays bound until its last
 * close. -errno with *err otherwise. */
int xlite_loop_backing(const char *loop_path, char **backing, char **err);

/* Loop device backed by BACKING (by device and inode), for cleanup after a
 * crash: 0 and *loop_path (caller frees), or -ENOENT. */
int xlite_loop_find_by_backing(const char *backing, char **loop_path);

/* Identity of the file behind loop device MAJOR:MINOR (as stat() gives
 * st_dev and st_ino): 0, -ENXIO when it is not a bound loop device, or
 * -errno. */
int xlite_loop_identity(unsigned int major, unsigned int minor, uint64_t *dev, uint64_t *ino);

/* Major and minor numbers of block device PATH: 0, or -errno with *err
 * (-ENOTBLK when PATH is not a block device). */
int xlite_blockdev_numbers(const char *path, unsigned int *major,
			   unsigned int *minor, char **err);

/* blkback's physical-device value: "maj:min" in hex ("7:0", "fd:a"). */
void xlite_physdev_format(unsigned int major, unsigned int minor,
			  char out[XLITE_PHYSDEV_LEN]);

#endif
