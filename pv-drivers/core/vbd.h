/* pv-drivers core: virtual block device names. */
#ifndef PVD_VBD_H
#define PVD_VBD_H

#include "pv-drivers/core/pvd.h"

/* "xvda" (or "/dev/xvda", "xvdq", "xvdaa") or a decimal device id
 * ("51712") into Xen's virtual-device number, as the toolstack writes it
 * under device/vbd/. Whole disks only. 0 or -EINVAL. */
int pvd_vbd_parse(const char *name, uint32_t *vdev);

#endif
