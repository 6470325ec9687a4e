/* nbd devices for qcow2 guest disks: blkback serves block devices, so a
 * <driver type='qcow2'> disk is served by qemu-nbd (Debian's qemu-utils)
 * on a free /dev/nbdN that xlite connects and, when the domain is gone,
 * disconnects, as it does loop devices for raw images (loopdev.h). The
 * qemu-nbd server is the process the kernel records for the device
 * (/sys/block/nbdN/pid); the file it serves is the first regular file it
 * holds open (its backing files, if any, come after). */
#ifndef XLITE_NBD_H
#define XLITE_NBD_H

#include <stdbool.h>
#include <stdint.h>

/* How long attach waits for the device to come up, and detach for dom0's
 * blkback to let go of it and for the server to end. */
#define XLITE_NBD_TIMEOUT_MS 10000

/* Serve qcow2 image FILE on a free nbd device (read-only when READONLY):
 * `qemu-nbd --connect=/dev/nbdN --format=qcow2 [--read-only] FILE`, then
 * waits until the device has its size and its server. Takes the next free
 * device when another process was quicker. On success *dev ("/dev/nbdN",
 * g_free), *major and *minor; 0, or -errno with *err, and nothing left. */
int xlite_nbd_attach(const char *file, bool readonly, char **dev, unsigned int *major,
		     unsigned int *minor, char **err);

/* Waits until no vbd of dom0's blkback uses DEV, disconnects it
 * (NBD_DISCONNECT, NBD_CLEAR_SOCK, as `qemu-nbd -d`) and waits until its
 * server has ended. 0 also when DEV was not connected; -EBUSY when blkback
 * still holds it, -ETIMEDOUT when the server did not end, with *err. */
int xlite_nbd_detach(const char *dev, char **err);

/* The file DEV serves now: 0 with *backing (g_free), or 0 with NULL when
 * DEV is not connected. -errno with *err otherwise. */
int xlite_nbd_backing(const char *dev, char **backing, char **err);

/* Identity (st_dev, st_ino) of the file nbd device MAJOR:MINOR serves:
 * 0, -ENXIO when it is not a connected nbd device, or -errno. */
int xlite_nbd_identity(unsigned int major, unsigned int minor, uint64_t *dev, uint64_t *ino);

/* "/dev/nbdN" and nothing else. */
bool xlite_nbd_is_dev(const char *dev);
/* PREFIX and 1 to 6 digits ("/dev/loop", "/dev/nbd"), nothing else. */
bool xlite_dev_is_numbered(const char *dev, const char *prefix);

/* 0 when FILE starts with qcow2's magic ("QFI\xfb"); -EINVAL with *err
 * ("FILE is not a qcow2 image ..."), or -errno when it cannot be read. */
int xlite_qcow2_check(const char *file, char **err);

#endif
