/* Ethernet MAC addresses of guest NICs. */
#ifndef XLITE_MAC_H
#define XLITE_MAC_H

#include <stdint.h>

#define XLITE_MAC_STRLEN 18	/* "00:16:3e:xx:xx:xx" + NUL */

/* "xx:xx:xx:xx:xx:xx", hex digits in either case. 0 or -EINVAL. */
int xlite_mac_parse(const char *s, uint8_t mac[6]);
void xlite_mac_format(const uint8_t mac[6], char out[XLITE_MAC_STRLEN]);
/* NULL when MAC can be a guest NIC's address, else why not. */
const char *xlite_mac_invalid(const uint8_t mac[6]);
/* Stable address for NIC INDEX of domain UUID: 00:16:3e (Xen's OUI), then
 * 0x00-0x7f and two bytes, from a hash of uuid and index (as xend did,
 * 00:16:3e:80:00:00 and up stay free for hand-made addresses). */
void xlite_mac_generate(const uint8_t uuid[16], unsigned int index,
			uint8_t mac[6]);

#endif
