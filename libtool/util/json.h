/* The one way xlite writes JSON: a document is built with json-glib's
 * JsonBuilder and printed here, compact (no whitespace at all) or pretty
 * (the root one member or element a line; below it, a container of
 * scalars only on one line, as {"op": "write", "path": "..."}). */
#ifndef XLITE_UTIL_JSON_H
#define XLITE_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-glib/json-glib.h>

/* Arbitrary bytes (a xenstore value, say) as a JSON string: valid UTF-8
 * as it is, every other byte as the code point of the same number
 * (Latin-1), NUL bytes as \u0000. */
void xlite_json_add_bytes(JsonBuilder *b, const char *s, size_t len);
/* A C string, or null for NULL. */
void xlite_json_add_str(JsonBuilder *b, const char *s);

/* "key": value members of the object being built. */
void xlite_json_member_str(JsonBuilder *b, const char *key, const char *s);
void xlite_json_member_int(JsonBuilder *b, const char *key, int64_t v);
void xlite_json_member_bool(JsonBuilder *b, const char *key, bool v);
void xlite_json_member_double(JsonBuilder *b, const char *key, double v);

/* The builder's document, with a final newline. */
char *xlite_json_to_string(JsonBuilder *b, bool pretty);
/* The same written to f; 0 or -EIO. */
int xlite_json_print(FILE *f, JsonBuilder *b, bool pretty);

#endif
