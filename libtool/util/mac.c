/* MAC addresses: parse, format, check, and stable generation. */
#include <errno.h>
#include <stdio.h>

#include <glib.h>

#include "libtool/util/mac.h"

int xlite_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned int i;

	for (i = 0; i < 6; i++) {
		int hi = g_ascii_xdigit_value(s[0]), lo = hi < 0 ? -1 : g_ascii_xdigit_value(s[1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

void xlite_mac_format(const uint8_t m[6], char out[XLITE_MAC_STRLEN])
{
	snprintf(out, XLITE_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
}

const char *xlite_mac_invalid(const uint8_t mac[6])
{
	unsigned int i, or = 0;

	if (mac[0] & 1)
		return "it is a multicast address, a NIC needs a unicast one";
	for (i = 0; i < 6; i++)
		or |= mac[i];
	if (!or)
		return "it is all zeros";
	return NULL;
}

/* FNV-1a, 64 bits: stable across hosts and versions, which is all we need. */
static uint64_t fnv1a(uint64_t h, const uint8_t *p, unsigned int n)
{
	while (n--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

void xlite_mac_generate(const uint8_t uuid[16], unsigned int index,
			uint8_t mac[6])
{
	uint8_t idx[4] = { (uint8_t)index, (uint8_t)(index >> 8),
			   (uint8_t)(index >> 16), (uint8_t)(index >> 24) };
	uint64_t h = 0xcbf29ce484222325ULL;

	h = fnv1a(h, uuid, 16);
	h = fnv1a(h, idx, 4);
	mac[0] = 0x00;
	mac[1] = 0x16;
	mac[2] = 0x3e;
	mac[3] = (uint8_t)((h >> 40) & 0x7f);
	mac[4] = (uint8_t)(h >> 32);
	mac[5] = (uint8_t)(h >> 24);
}
