/* Numbers and libvirt memory units. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/parse/parse.h"
#include "libtool/util/number.h"

/* XML text: the number may stand between blanks. */
int xlite_parse_u64(const char *s, uint64_t *out)
{
	g_autofree char *t = NULL;

	if (!s)
		return -EINVAL;
	t = g_strstrip(g_strdup(s));
	return xlite_number_parse(t, 0, UINT64_MAX, out);
}

/* As libvirt's virScaleInteger: "b"/"byte"/"bytes", else a letter
 * k m g t p e alone or followed by "iB" (powers of 1024) or "B" (1000). */
static int unit_scale(const char *unit, uint64_t *scale)
{
	static const char letters[] = "kmgtpe";
	const char *l;
	uint64_t base, s = 1;
	unsigned int i, power;

	if (!unit || !*unit) {
		*scale = 1024;
		return 0;
	}
	if (strcasecmp(unit, "b") == 0 || strcasecmp(unit, "byte") == 0 ||
	    strcasecmp(unit, "bytes") == 0) {
		*scale = 1;
		return 0;
	}
	l = strchr(letters, unit[0] | 0x20);
	if (!l || unit[0] == '\0')
		return -EINVAL;
	power = (unsigned int)(l - letters) + 1;
	if (unit[1] == '\0' || strcasecmp(unit + 1, "iB") == 0)
		base = 1024;
	else if (strcasecmp(unit + 1, "B") == 0)
		base = 1000;
	else
		return -EINVAL;
	for (i = 0; i < power; i++)
		s *= base;
	*scale = s;
	return 0;
}

int xlite_memory_to_kib(const char *value, const char *unit, uint64_t *kib)
{
	uint64_t v, scale;
	int rc;

	rc = unit_scale(unit, &scale);
	if (rc < 0)
		return rc;
	rc = xlite_parse_u64(value, &v);
	if (rc < 0)
		return rc;
	if (scale >= 1024 && scale % 1024 == 0) {
		scale /= 1024;
		if (v > UINT64_MAX / scale)
			return -ERANGE;
		*kib = v * scale;
		return 0;
	}
	/* bytes or powers of 1000: multiply, then round up to KiB */
	if (v > (UINT64_MAX - 1023) / scale)
		return -ERANGE;
	*kib = (v * scale + 1023) / 1024;
	return 0;
}
