/* Xen virtual-device numbers of xvd target names (libxl's scheme). */
#include <errno.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "libtool/util/number.h"

#include <glib.h>
#include <stdbool.h>

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

/* libxl's device_virtdisk_matches(): PREFIX, letters as a base-26 index
 * (a = 0, aa = 26) up to MAX_INDEX, an optional partition without a
 * leading zero up to MAX_PART. */
static bool virtdisk_matches(const char *name, const char *prefix, unsigned int max_index,
			     unsigned int max_part, unsigned int *index, unsigned int *part)
{
	const char *p;
	uint64_t n;
	long idx = -1;

	if (strncmp(name, prefix, strlen(prefix)) != 0)
		return false;
	for (p = name + strlen(prefix); *p >= 'a' && *p <= 'z'; p++) {
		idx = (idx + 1) * 26 + (*p - 'a');
		if (idx > (long)max_index)
			return false;
	}
	if (idx < 0)
		return false;
	*index = (unsigned int)idx;
	*part = 0;
	if (!*p)
		return true;
	if (*p < '1' || *p > '9' || xlite_number_parse(p, 1, max_part, &n) < 0)
		return false;
	*part = (unsigned int)n;
	return true;
}

int xlite_vdev_parse_xl(const char *target, unsigned int *vdev)
{
	unsigned int index, part;
	const char *p;
	uint64_t d, n;

	if (xlite_vdev_parse(target, vdev) == 0)
		return 0;
	/* "d0p1": disk 0 partition 1, the extended numbering's own spelling */
	if (target[0] == 'd' && (p = strchr(target, 'p')) != NULL) {
		g_autofree char *disk = g_strndup(target + 1, (gsize)(p - target - 1));

		if (xlite_number_parse(disk, 0, (1u << 20) - 1, &d) == 0 &&
		    xlite_number_parse(p + 1, 0, 255, &n) == 0) {
			if (d <= 15 && n <= 15)
				*vdev = (XVD_MAJOR << 8) | (unsigned int)(d << 4) | (unsigned int)n;
			else
				*vdev = (1u << 28) | (unsigned int)(d << 8) | (unsigned int)n;
			return 0;
		}
	}
	if (virtdisk_matches(target, "hd", 3, 63, &index, &part)) {
		*vdev = ((index < 2 ? 3u : 22u) << 8) | ((index & 1) << 6) | part;
		return 0;
	}
	if (virtdisk_matches(target, "sd", 15, 15, &index, &part)) {
		*vdev = (8u << 8) | (index << 4) | part;
		return 0;
	}
	return -EINVAL;
}
