/* Pure formatting of subtrees: JSON, and xenstore-ls's text layout. */
#include <string.h>

#include "xenstore-client/xsc.h"

void xsc_json_escape(GString *out, const char *s, size_t len)
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

static void indent(GString *out, unsigned int level)
{
	unsigned int i;

	for (i = 0; i < level; i++)
		g_string_append(out, "  ");
}

static void json_node(const struct xsc_node *node, bool is_root, unsigned int flags,
		      GString *out, unsigned int level)
{
	unsigned int i;
	char *p;

	indent(out, level);
	g_string_append(out, "{\n");
	indent(out, level + 1);
	g_string_append(out, is_root ? "\"path\": " : "\"name\": ");
	xsc_json_escape(out, node->name, strlen(node->name));
	g_string_append(out, ",\n");
	indent(out, level + 1);
	g_string_append(out, "\"value\": ");
	if (node->value)
		xsc_json_escape(out, node->value, node->value_len);
	else
		g_string_append(out, "null");
	g_string_append(out, ",\n");
	if (flags & XSC_TREE_PERMS) {
		indent(out, level + 1);
		g_string_append(out, "\"perms\": [");
		for (i = 0; node->perms && i < node->n_perms; i++) {
			p = xsc_perms_format(&node->perms[i], 1, "");
			g_string_append(out, i ? ", " : "");
			xsc_json_escape(out, p ? p : "?", p ? strlen(p) : 1);
			g_free(p);
		}
		g_string_append(out, "],\n");
	}
	indent(out, level + 1);
	if (node->children->len == 0) {
		g_string_append(out, "\"children\": []\n");
	} else {
		g_string_append(out, "\"children\": [\n");
		for (i = 0; i < node->children->len; i++) {
			json_node(g_ptr_array_index(node->children, i), false, flags, out, level + 2);
			g_string_append(out, i + 1 < node->children->len ? ",\n" : "\n");
		}
		indent(out, level + 1);
		g_string_append(out, "]\n");
	}
	indent(out, level);
	g_string_append(out, "}");
}

void xsc_tree_format_json(const struct xsc_node *root, unsigned int flags, GString *out)
{
	json_node(root, true, flags, out, 0);
	g_string_append_c(out, '\n');
}

/* A negative precision prints the whole string, as xenstore-ls does on very
 * deep trees. */
/* Column layout of xenstore-ls when stdout is not a terminal. */
#define LS_MAX_WIDTH 80
#define LS_DESIRED_WIDTH 60
#define LS_TAG_LEN 8	/* strlen(" = \"...\"") */

static void ls_node(const struct xsc_node *node, unsigned int flags, GString *out,
		    unsigned int depth)
{
	GString *val = g_string_new(NULL);
	size_t line_start = out->len;
	int linewid, room;
	unsigned int i;
	char *p;

	g_string_append_printf(out, "%*s", (int)depth, "");
	room = LS_MAX_WIDTH - LS_TAG_LEN - (int)depth;
	g_string_append_printf(out, "%.*s", room, node->name);
	linewid = (int)(out->len - line_start);
	if (!node->value) {
		g_string_append(out, ":");
	} else {
		xsc_value_quote(val, node->value, node->value_len);
		if (LS_MAX_WIDTH < linewid + (int)node->value_len + LS_TAG_LEN) {
			room = LS_MAX_WIDTH - LS_TAG_LEN - linewid;
			g_string_append_printf(out, " = \"%.*s\\...\"", room, val->str);
		} else {
			g_string_append_printf(out, " = \"%s\"", val->str);
			linewid = (int)(out->len - line_start);
			if (flags & XSC_TREE_PERMS) {
				g_string_append_c(out, ' ');
				for (linewid++; linewid < LS_DESIRED_WIDTH; linewid++)
					g_string_append_c(out, (linewid & 1) ? '.' : ' ');
			}
		}
	}
	if (flags & XSC_TREE_PERMS) {
		p = node->perms ? xsc_perms_format(node->perms, node->n_perms, ",") : NULL;
		g_string_append_printf(out, "  (%s)", p ? p : "?");
		g_free(p);
	}
	g_string_append_c(out, '\n');
	g_string_free(val, TRUE);
	for (i = 0; i < node->children->len; i++)
		ls_node(g_ptr_array_index(node->children, i), flags, out, depth + 1);
}

void xsc_tree_format_ls(const struct xsc_node *root, unsigned int flags, GString *out)
{
	unsigned int i;

	for (i = 0; i < root->children->len; i++)
		ls_node(g_ptr_array_index(root->children, i), flags, out, 0);
}
