/* The one number parser of xlite (GLib's strict one underneath). */
#ifndef XLITE_UTIL_NUMBER_H
#define XLITE_UTIL_NUMBER_H

#include <stdint.h>

/* S as a whole decimal number from MIN to MAX into *OUT: digits only (no
 * space, sign, "0x" or trailing text; leading zeros are fine). 0; -EINVAL
 * when S is NULL, empty or not such a number; -ERANGE when it is outside
 * [MIN, MAX] (or 64 bits). *OUT is left alone on failure. */
int xlite_number_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
