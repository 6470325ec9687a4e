/* Pure formatting of subtrees: JSON, and xenstore-ls's text layout. */
#include <string.h>

#include "libtool/util/json.h"
#include "xenstore-client/xsc.h"

static void json_node(XliteJson *b, const struct xsc_node *node, bool is_root,
		      unsigned int flags)
{
	unsigned int i;

	xlite_json_begin_object(b);
	xlite_json_member_str(b, is_root ? "path" : "name", node->name);
	xlite_json_set_member_name(b, "value");
	if (node->value)
		xlite_json_add_bytes(b, node->value, node->value_len);
	else
		xlite_json_add_null(b);
	if (flags & XSC_TREE_PERMS) {
		xlite_json_set_member_name(b, "perms");
		xlite_json_begin_array(b);
		for (i = 0; node->perms && i < node->n_perms; i++) {
			g_autofree char *p = xsc_perms_format(&node->perms[i], 1, "");

			xlite_json_add_str(b, p ? p : "?");
		}
		xlite_json_end_array(b);
	}
	xlite_json_set_member_name(b, "children");
	xlite_json_begin_array(b);
	for (i = 0; i < node->children->len; i++)
		json_node(b, g_ptr_array_index(node->children, i), false, flags);
	xlite_json_end_array(b);
	xlite_json_end_object(b);
}

void xsc_tree_format_json(const struct xsc_node *root, unsigned int flags, GString *out)
{
	g_autoptr(XliteJson) b = xlite_json_new();
	g_autofree char *s = NULL;

	json_node(b, root, true, flags);
	s = xlite_json_to_string(b, true);
	g_string_append(out, s);
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
