/* Xen virtual-device numbers of xvd target names (libxl's scheme). */
#include <errno.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "libtool/util/number.h"

#define XVD_MAJOR 202

int xlite_vdev_parse(const char *target, unsigned int *vdev)
{
	const char *p;
	unsigned int disk, part = 0;
	uint64_t n;
	size_t letters = 0;

	if (strncmp(target, "xvd", 3) != 0)
		return -EINVAL;
	p = target + 3;
	while (p[letters] >= 'a' && p[letters] <= 'z')
		letters++;
	if (letters == 1)
		disk = (unsigned int)(p[0] - 'a');
	else if (letters == 2)
		disk = (unsigned int)(p[0] - 'a' + 1) * 26 + (unsigned int)(p[1] - 'a');
	else
		return -EINVAL;
	p += letters;
	if (*p) {
		/* partition 1..255, no leading zero */
		if (*p < '1' || *p > '9' || xlite_number_parse(p, 1, 255, &n) < 0)
			return -EINVAL;
		part = (unsigned int)n;
	}
	if (disk < 16 && part < 16)
		*vdev = (XVD_MAJOR << 8) | (disk << 4) | part;
	else
		*vdev = (1u << 28) | (disk << 8) | part;
	return 0;
}
