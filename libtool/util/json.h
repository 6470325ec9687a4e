/* The one way xlite writes JSON: every --json of xlite and xlite-xenstore
 * and the plan's JSON build a document here and print it compact (no
 * whitespace at all) or pretty (the root one member or element a line;
 * below it, a container of scalars only on one line, as {"op": "write",
 * "path": "..."}, and so an object whose members are scalars or such
 * objects, as a domain of list --json with its "memory": {...}; other
 * containers one item a line).
 *
 * GLib only, not json-glib: Debian ships json-glib as a shared library
 * only, and loading it (with GIO and what GIO links) made every command
 * of the otherwise static xlite 0.3 s slower in the lab. The builder has
 * JsonBuilder's shape, call for call, so moving to json-glib is this file
 * alone. */
#ifndef XLITE_UTIL_JSON_H
#define XLITE_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>

typedef struct xlite_json XliteJson;

XliteJson *xlite_json_new(void);
void xlite_json_free(XliteJson *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XliteJson, xlite_json_free)

/* As json_builder_begin_object() ...: a member's value follows its name. */
void xlite_json_begin_object(XliteJson *b);
void xlite_json_end_object(XliteJson *b);
void xlite_json_begin_array(XliteJson *b);
void xlite_json_end_array(XliteJson *b);
void xlite_json_set_member_name(XliteJson *b, const char *key);

/* Arbitrary bytes (a xenstore value, say) as a JSON string: valid UTF-8
 * as it is, every other byte as \u00XX (the code point of its number),
 * control characters escaped. */
void xlite_json_add_bytes(XliteJson *b, const char *s, size_t len);
/* A C string, or null for NULL. */
void xlite_json_add_str(XliteJson *b, const char *s);
void xlite_json_add_int(XliteJson *b, int64_t v);
void xlite_json_add_bool(XliteJson *b, bool v);
/* In the fewest digits that read back the same; null when not finite. */
void xlite_json_add_double(XliteJson *b, double v);
void xlite_json_add_null(XliteJson *b);

/* "key": value members of the object being built. */
void xlite_json_member_str(XliteJson *b, const char *key, const char *s);
void xlite_json_member_int(XliteJson *b, const char *key, int64_t v);
void xlite_json_member_bool(XliteJson *b, const char *key, bool v);
void xlite_json_member_double(XliteJson *b, const char *key, double v);

/* Members from a table, in its order: a document's flat parts read as one
 * list, as a printf format did. */
enum xlite_json_type { XLITE_JSON_T_STR, XLITE_JSON_T_INT, XLITE_JSON_T_BOOL, XLITE_JSON_T_DOUBLE };
struct xlite_json_member {
	const char *key;
	enum xlite_json_type type;
	const char *s;
	int64_t i;		/* INT, BOOL */
	double d;
};
#define XLITE_JSON_STR(k, v) { (k), XLITE_JSON_T_STR, (v), 0, 0 }
#define XLITE_JSON_INT(k, v) { (k), XLITE_JSON_T_INT, NULL, (int64_t)(v), 0 }
#define XLITE_JSON_BOOL(k, v) { (k), XLITE_JSON_T_BOOL, NULL, !!(v), 0 }
#define XLITE_JSON_DOUBLE(k, v) { (k), XLITE_JSON_T_DOUBLE, NULL, 0, (v) }
void xlite_json_members(XliteJson *b, const struct xlite_json_member *m, size_t n);
/* "key": {the table's members}. */
void xlite_json_member_object(XliteJson *b, const char *key, const struct xlite_json_member *m,
			      size_t n);

/* The document (every container ended), with a final newline. */
char *xlite_json_to_string(const XliteJson *b, bool pretty);
/* The same written to f; 0 or -EIO. */
int xlite_json_print(FILE *f, const XliteJson *b, bool pretty);

#endif
