/* Sizes in xl's syntax, and back to text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/memory/memory.h"
#include "libtool/util/number.h"

int xlite_mem_size_parse(const char *s, uint64_t *kib)
{
	const char *end = s;
	guint64 v = 0;
	unsigned int shift_k;	/* KiB = v << shift_k, or bytes for 'b' */
	uint64_t r;

	if (!s || !g_ascii_isdigit(*s))
		return -EINVAL;
	while (g_ascii_isdigit(*end))
		end++;
	{
		g_autofree char *digits = g_strndup(s, (gsize)(end - s));
		uint64_t n;

		if (xlite_number_parse(digits, 0, UINT64_MAX, &n) < 0)
			return -ERANGE;
		v = n;
	}
	switch (g_ascii_tolower(*end)) {
	case '\0':
	case 'm':
		shift_k = 10;
		break;
	case 'k':
		shift_k = 0;
		break;
	case 'g':
		shift_k = 20;
		break;
	case 't':
		shift_k = 30;
		break;
	case 'b':
		shift_k = 64;	/* bytes */
		break;
	default:
		return -EINVAL;
	}
	if (*end && end[1] != '\0')
		return -EINVAL;
	if (shift_k == 64)
		r = v / 1024 + (v % 1024 != 0);
	else if (v > (XLITE_MAX_MEMORY_KIB >> shift_k))
		return -ERANGE;
	else
		r = v << shift_k;
	if (r == 0 || r > XLITE_MAX_MEMORY_KIB)
		return -ERANGE;
	*kib = r;
	return 0;
}

const char *xlite_mem_size_str(uint64_t kib, char buf[32])
{
	if (kib % 1024 == 0)
		snprintf(buf, 32, "%llu MiB", (unsigned long long)(kib / 1024));
	else
		snprintf(buf, 32, "%llu KiB", (unsigned long long)kib);
	return buf;
}
