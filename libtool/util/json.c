/* JSON documents: built as a small tree whose scalars are already JSON
 * text, then laid out (see json.h). */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "libtool/util/json.h"

enum kind { SCALAR, OBJECT, ARRAY };

struct node {
	enum kind kind;
	char *key;		/* a member's name, JSON-escaped; NULL in arrays */
	char *text;		/* SCALAR: its JSON text */
	GPtrArray *items;	/* OBJECT, ARRAY: struct node * */
	struct node *parent;
};

struct xlite_json {
	struct node *root;
	struct node *open;	/* the container being filled, NULL at the start */
	char *key;		/* the name set for the next member */
};

static void node_free(gpointer data)
{
	struct node *n = data;

	if (!n)
		return;
	g_free(n->key);
	g_free(n->text);
	if (n->items)
		g_ptr_array_free(n->items, TRUE);
	g_free(n);
}

XliteJson *xlite_json_new(void)
{
	return g_new0(XliteJson, 1);
}

void xlite_json_free(XliteJson *b)
{
	if (!b)
		return;
	node_free(b->root);
	g_free(b->key);
	g_free(b);
}

/* The JSON string of S[0..LEN). */
static void escape(GString *out, const char *s, size_t len)
{
	size_t i = 0, step;
	unsigned char c;
	gunichar u;

	g_string_append_c(out, '"');
	while (i < len) {
		c = (unsigned char)s[i];
		if (c >= 0x80) {
			u = g_utf8_get_char_validated(s + i, (gssize)(len - i));
			if (u == (gunichar)-1 || u == (gunichar)-2) {
				/* Not UTF-8: keep the byte, as a Latin-1 code point. */
				g_string_append_printf(out, "\\u%04x", c);
				i++;
				continue;
			}
			step = (size_t)g_utf8_skip[c];
			g_string_append_len(out, s + i, (gssize)step);
			i += step;
			continue;
		}
		switch (c) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\b': g_string_append(out, "\\b"); break;
		case '\f': g_string_append(out, "\\f"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\r': g_string_append(out, "\\r"); break;
		case '\t': g_string_append(out, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f)
				g_string_append_printf(out, "\\u%04x", c);
			else
				g_string_append_c(out, (char)c);
		}
		i++;
	}
	g_string_append_c(out, '"');
}

static char *escaped(const char *s, size_t len)
{
	GString *out = g_string_sized_new(len + 2);

	escape(out, s, len);
	return g_string_free(out, FALSE);
}

/* N as the next value: the root, an array's element or the named member. */
static void add(XliteJson *b, struct node *n)
{
	if (!b->open) {
		g_return_if_fail(!b->root);
		b->root = n;
	} else if (b->open->kind == OBJECT) {
		if (!b->key) {
			g_critical("xlite_json: a member without a name");
			node_free(n);
			return;
		}
		n->key = g_steal_pointer(&b->key);
		g_ptr_array_add(b->open->items, n);
	} else {
		g_ptr_array_add(b->open->items, n);
	}
	n->parent = b->open;
}

static void add_text(XliteJson *b, char *text)
{
	struct node *n = g_new0(struct node, 1);

	n->kind = SCALAR;
	n->text = text;
	add(b, n);
}

static void begin(XliteJson *b, enum kind kind)
{
	struct node *n = g_new0(struct node, 1);

	n->kind = kind;
	n->items = g_ptr_array_new_with_free_func(node_free);
	add(b, n);
	b->open = n;
}

static void end(XliteJson *b, enum kind kind)
{
	g_return_if_fail(b->open && b->open->kind == kind);
	b->open = b->open->parent;
}

void xlite_json_begin_object(XliteJson *b)
{
	begin(b, OBJECT);
}

void xlite_json_end_object(XliteJson *b)
{
	end(b, OBJECT);
}

void xlite_json_begin_array(XliteJson *b)
{
	begin(b, ARRAY);
}

void xlite_json_end_array(XliteJson *b)
{
	end(b, ARRAY);
}

void xlite_json_set_member_name(XliteJson *b, const char *key)
{
	g_return_if_fail(b->open && b->open->kind == OBJECT);
	g_free(b->key);
	b->key = escaped(key, strlen(key));
}

void xlite_json_add_bytes(XliteJson *b, const char *s, size_t len)
{
	add_text(b, escaped(s, len));
}

void xlite_json_add_str(XliteJson *b, const char *s)
{
	if (s)
		xlite_json_add_bytes(b, s, strlen(s));
	else
		xlite_json_add_null(b);
}

void xlite_json_add_int(XliteJson *b, int64_t v)
{
	add_text(b, g_strdup_printf("%" G_GINT64_FORMAT, (gint64)v));
}

void xlite_json_add_bool(XliteJson *b, bool v)
{
	add_text(b, g_strdup(v ? "true" : "false"));
}

void xlite_json_add_double(XliteJson *b, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
	size_t i;

	if (!isfinite(v)) {
		xlite_json_add_null(b);
		return;
	}
	for (i = 0; i < G_N_ELEMENTS(formats); i++) {
		g_ascii_formatd(buf, sizeof(buf), formats[i], v);
		if (g_ascii_strtod(buf, NULL) == v)
			break;
	}
	add_text(b, g_strdup(buf));
}

void xlite_json_add_null(XliteJson *b)
{
	add_text(b, g_strdup("null"));
}

void xlite_json_member_str(XliteJson *b, const char *key, const char *s)
{
	xlite_json_set_member_name(b, key);
	xlite_json_add_str(b, s);
}

void xlite_json_member_int(XliteJson *b, const char *key, int64_t v)
{
	xlite_json_set_member_name(b, key);
	xlite_json_add_int(b, v);
}

void xlite_json_member_bool(XliteJson *b, const char *key, bool v)
{
	xlite_json_set_member_name(b, key);
	xlite_json_add_bool(b, v);
}

void xlite_json_member_double(XliteJson *b, const char *key, double v)
{
	xlite_json_set_member_name(b, key);
	xlite_json_add_double(b, v);
}

void xlite_json_members(XliteJson *b, const struct xlite_json_member *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		xlite_json_set_member_name(b, m[i].key);
		switch (m[i].type) {
		case XLITE_JSON_T_STR:
			xlite_json_add_str(b, m[i].s);
			break;
		case XLITE_JSON_T_INT:
			xlite_json_add_int(b, m[i].i);
			break;
		case XLITE_JSON_T_BOOL:
			xlite_json_add_bool(b, m[i].i != 0);
			break;
		case XLITE_JSON_T_DOUBLE:
			xlite_json_add_double(b, m[i].d);
			break;
		}
	}
}

void xlite_json_member_object(XliteJson *b, const char *key, const struct xlite_json_member *m,
			      size_t n)
{
	xlite_json_set_member_name(b, key);
	xlite_json_begin_object(b);
	xlite_json_members(b, m, n);
	xlite_json_end_object(b);
}

/* Scalars only (or empty): one line in the pretty layout. */
static bool is_scalars(const struct node *n)
{
	guint i;

	for (i = 0; i < n->items->len; i++)
		if (((const struct node *)g_ptr_array_index(n->items, i))->kind != SCALAR)
			return false;
	return true;
}

/* One line in the pretty layout: an array of scalars only; an object of
 * scalars and objects of scalars only (a domain of list --json with its
 * "memory": {...} stays one line). */
static bool is_flat(const struct node *n)
{
	guint i;

	if (n->kind == ARRAY)
		return is_scalars(n);
	for (i = 0; i < n->items->len; i++) {
		const struct node *item = g_ptr_array_index(n->items, i);

		if (item->kind == ARRAY || (item->kind == OBJECT && !is_scalars(item)))
			return false;
	}
	return true;
}

static void indent(GString *out, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < level; i++)
		g_string_append(out, "  ");
}

enum layout { COMPACT, ONE_LINE, ONE_ITEM_A_LINE };

static void put(GString *out, const struct node *n, enum layout how, unsigned int level)
{
	const struct node *item;
	guint i;

	if (n->kind == SCALAR) {
		g_string_append(out, n->text);
		return;
	}
	/* Pretty: the root always one item a line, below it when it holds
	 * containers. */
	if (how == ONE_LINE && (level == 0 || !is_flat(n)))
		how = ONE_ITEM_A_LINE;
	g_string_append_c(out, n->kind == OBJECT ? '{' : '[');
	for (i = 0; i < n->items->len; i++) {
		item = g_ptr_array_index(n->items, i);
		if (i)
			g_string_append(out, how == ONE_LINE ? ", " : ",");
		if (how == ONE_ITEM_A_LINE) {
			g_string_append_c(out, '\n');
			indent(out, level + 1);
		}
		if (item->key) {
			g_string_append(out, item->key);
			g_string_append(out, how == COMPACT ? ":" : ": ");
		}
		put(out, item, how == COMPACT ? COMPACT : ONE_LINE, level + 1);
	}
	if (how == ONE_ITEM_A_LINE && n->items->len) {
		g_string_append_c(out, '\n');
		indent(out, level);
	}
	g_string_append_c(out, n->kind == OBJECT ? '}' : ']');
}

char *xlite_json_to_string(const XliteJson *b, bool pretty)
{
	GString *out = g_string_new(NULL);

	g_warn_if_fail(!b->open);
	if (b->root)
		put(out, b->root, pretty ? ONE_LINE : COMPACT, 0);
	else
		g_string_append(out, "null");
	g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

int xlite_json_print(FILE *f, const XliteJson *b, bool pretty)
{
	g_autofree char *s = xlite_json_to_string(b, pretty);

	if (fputs(s, f) == EOF || fflush(f) != 0)
		return -EIO;
	return 0;
}
