/* UUID text form and random generation. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/util/mac.h"

int xlite_uuid_parse(const char *s, uint8_t uuid[16])
{
	static const size_t dashes[] = { 8, 13, 18, 23 };
	size_t len = strlen(s), pos = 0, d = 0;
	unsigned int n = 0;
	bool dashed;

	if (len == 36)
		dashed = true;
	else if (len == 32)
		dashed = false;
	else
		return -EINVAL;
	while (pos < len) {
		int hi, lo;

		if (dashed && d < 4 && pos == dashes[d]) {
			if (s[pos] != '-')
				return -EINVAL;
			pos++;
			d++;
			continue;
		}
		hi = g_ascii_xdigit_value(s[pos]);
		lo = pos + 1 < len ? g_ascii_xdigit_value(s[pos + 1]) : -1;
		if (hi < 0 || lo < 0 || n >= 16)
			return -EINVAL;
		uuid[n++] = (uint8_t)(hi << 4 | lo);
		pos += 2;
	}
	return n == 16 ? 0 : -EINVAL;
}

void xlite_uuid_format(const uint8_t u[16], char out[XLITE_UUID_STRLEN])
{
	snprintf(out, XLITE_UUID_STRLEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

int xlite_uuid_generate(uint8_t uuid[16])
{
	size_t got = 0;

	while (got < 16) {
		ssize_t n = getrandom(uuid + got, 16 - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	uuid[6] = (uint8_t)((uuid[6] & 0x0f) | 0x40);	/* version 4 */
	uuid[8] = (uint8_t)((uuid[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	return 0;
}
