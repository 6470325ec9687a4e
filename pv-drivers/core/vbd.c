/* pv-drivers core: virtual block device names (Xen's VBD interface
 * numbering: xvd disks 0-15 under major 202, later ones extended). */
#include <string.h>

#include "pv-drivers/core/vbd.h"

#define XVD_MAJOR 202u
#define VDEV_EXTENDED (1u << 28)
#define MAX_LETTERS 2	/* xvda .. xvdzz */

int pvd_vbd_parse(const char *name, uint32_t *vdev)
{
	const char *p = name;
	uint32_t disk = 0;
	size_t n;
	uint64_t v;

	if (name == NULL)
		return -EINVAL;
	if (pvd_parse_u64(name, UINT32_MAX, &v) == 0) {
		if (v == 0)
			return -EINVAL;
		*vdev = (uint32_t)v;
		return 0;
	}
	if (strncmp(p, "/dev/", 5) == 0)
		p += 5;
	if (strncmp(p, "xvd", 3) != 0)
		return -EINVAL;
	p += 3;
	n = strlen(p);
	if (n == 0 || n > MAX_LETTERS)
		return -EINVAL;
	for (; *p != '\0'; p++) {
		if (*p < 'a' || *p > 'z')
			return -EINVAL;
		disk = disk * 26 + (uint32_t)(*p - 'a') + 1;	/* bijective base 26 */
	}
	disk -= 1;
	if (disk < 16)
		*vdev = XVD_MAJOR << 8 | disk << 4;
	else
		*vdev = VDEV_EXTENDED | disk << 8;
	return 0;
}
