/* JSON through json-glib: JsonBuilder builds, json-glib's generator
 * writes each string and integer (its escaping), and this file lays the
 * document out, so every --json of xlite and xlite-xenstore and the plan
 * share one layout. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/util/json.h"

/* A NUL byte travels through json-glib's C strings as this noncharacter
 * (Unicode keeps U+FDD0..U+FDEF for such internal use); a U+FDD0 in the
 * input counts as invalid UTF-8, so the only one left is a NUL. */
#define NUL_STANDIN "\xef\xb7\x90"

void xlite_json_add_bytes(JsonBuilder *b, const char *s, size_t len)
{
	g_autoptr(GString) u = g_string_sized_new(len);
	size_t i = 0;
	gunichar c;

	while (i < len) {
		unsigned char byte = (unsigned char)s[i];

		if (byte == 0) {
			g_string_append(u, NUL_STANDIN);
			i++;
			continue;
		}
		if (byte < 0x80) {
			g_string_append_c(u, (char)byte);
			i++;
			continue;
		}
		c = g_utf8_get_char_validated(s + i, (gssize)(len - i));
		if (c == (gunichar)-1 || c == (gunichar)-2 || c == 0xfdd0) {
			g_string_append_unichar(u, byte);
			i++;
			continue;
		}
		g_string_append_len(u, s + i, g_utf8_skip[byte]);
		i += (size_t)g_utf8_skip[byte];
	}
	json_builder_add_string_value(b, u->str);
}

void xlite_json_add_str(JsonBuilder *b, const char *s)
{
	if (s)
		xlite_json_add_bytes(b, s, strlen(s));
	else
		json_builder_add_null_value(b);
}

void xlite_json_member_str(JsonBuilder *b, const char *key, const char *s)
{
	json_builder_set_member_name(b, key);
	xlite_json_add_str(b, s);
}

void xlite_json_member_int(JsonBuilder *b, const char *key, int64_t v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_int_value(b, v);
}

void xlite_json_member_bool(JsonBuilder *b, const char *key, bool v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_boolean_value(b, v);
}

void xlite_json_member_double(JsonBuilder *b, const char *key, double v)
{
	json_builder_set_member_name(b, key);
	json_builder_add_double_value(b, v);
}

/* A double in the fewest digits that read back the same (json-glib
 * writes 17), null when not finite (JSON has no NaN). */
static void put_double(GString *out, double d)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	int prec;

	if (!isfinite(d)) {
		g_string_append(out, "null");
		return;
	}
	for (prec = 15; prec <= 17; prec++) {
		g_ascii_formatd(buf, sizeof(buf), prec == 15 ? "%.15g" : prec == 16 ? "%.16g" :
				"%.17g", d);
		if (g_ascii_strtod(buf, NULL) == d)
			break;
	}
	g_string_append(out, buf);
}

/* A string or integer as json-glib's generator writes it, with what
 * json-glib 1.6 leaves out put back: U+001F escaped, the NUL stand-in as
 * \u0000. */
static void put_scalar(GString *out, JsonNode *n)
{
	g_autofree char *s = NULL;
	const char *p;

	if (JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_DOUBLE) {
		put_double(out, json_node_get_double(n));
		return;
	}
	s = json_to_string(n, FALSE);
	for (p = s; *p; p++) {
		if (*p == '\x1f')
			g_string_append(out, "\\u001f");
		else if (strncmp(p, NUL_STANDIN, 3) == 0) {
			g_string_append(out, "\\u0000");
			p += 2;
		} else
			g_string_append_c(out, *p);
	}
}

static void put_key(GString *out, const char *key, bool pretty)
{
	g_autoptr(JsonNode) k = json_node_init_string(json_node_alloc(), key);

	put_scalar(out, k);
	g_string_append(out, pretty ? ": " : ":");
}

static bool is_container(JsonNode *n)
{
	return JSON_NODE_HOLDS_OBJECT(n) || JSON_NODE_HOLDS_ARRAY(n);
}

/* Scalars only (or empty): one line in the pretty layout. */
static bool is_flat(JsonNode *n)
{
	g_autoptr(GList) members = NULL;
	GList *l;
	JsonArray *a;
	guint i;

	if (JSON_NODE_HOLDS_ARRAY(n)) {
		a = json_node_get_array(n);
		for (i = 0; i < json_array_get_length(a); i++)
			if (is_container(json_array_get_element(a, i)))
				return false;
		return true;
	}
	members = json_object_get_members(json_node_get_object(n));
	for (l = members; l; l = l->next)
		if (is_container(json_object_get_member(json_node_get_object(n), l->data)))
			return false;
	return true;
}

static void indent(GString *out, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < level; i++)
		g_string_append(out, "  ");
}

/* mode: 0 compact, 1 pretty on one line, 2 pretty one item a line. */
static void put_node(GString *out, JsonNode *n, int mode, unsigned int level);

static void put_items(GString *out, JsonNode *n, int mode, unsigned int level)
{
	bool is_obj = JSON_NODE_HOLDS_OBJECT(n);
	JsonObject *o = is_obj ? json_node_get_object(n) : NULL;
	JsonArray *a = is_obj ? NULL : json_node_get_array(n);
	g_autoptr(GList) members = is_obj ? json_object_get_members(o) : NULL;
	GList *l = members;
	guint i, len = is_obj ? g_list_length(members) : json_array_get_length(a);
	JsonNode *item;

	g_string_append_c(out, is_obj ? '{' : '[');
	for (i = 0; i < len; i++, l = l ? l->next : NULL) {
		if (i)
			g_string_append(out, mode == 0 ? "," : mode == 1 ? ", " : ",");
		if (mode == 2) {
			g_string_append_c(out, '\n');
			indent(out, level + 1);
		}
		if (is_obj) {
			put_key(out, l->data, mode != 0);
			item = json_object_get_member(o, l->data);
		} else {
			item = json_array_get_element(a, i);
		}
		put_node(out, item, mode == 0 ? 0 : 1, level + 1);
	}
	if (mode == 2 && len) {
		g_string_append_c(out, '\n');
		indent(out, level);
	}
	g_string_append_c(out, is_obj ? '}' : ']');
}

static void put_node(GString *out, JsonNode *n, int mode, unsigned int level)
{
	if (!is_container(n)) {
		put_scalar(out, n);
		return;
	}
	/* Pretty: the root always one item a line, below it when it holds
	 * containers. */
	if (mode == 1 && (level == 0 || !is_flat(n)))
		mode = 2;
	put_items(out, n, mode, level);
}

char *xlite_json_to_string(JsonBuilder *b, bool pretty)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	GString *out = g_string_new(NULL);

	if (root)
		put_node(out, root, pretty ? 1 : 0, 0);
	else
		g_string_append(out, "null");
	g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

int xlite_json_print(FILE *f, JsonBuilder *b, bool pretty)
{
	g_autofree char *s = xlite_json_to_string(b, pretty);

	if (fputs(s, f) == EOF || fflush(f) != 0)
		return -EIO;
	return 0;
}
