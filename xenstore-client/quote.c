/* The value quoting of Xen's xenstore-read/-ls and its inverse (-write). */
#include "xenstore-client/xsc-priv.h"

void xsc_value_quote(GString *out, const char *s, size_t len)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= ' ' && c <= '~' && c != '\\') {
			g_string_append_c(out, (char)c);
			continue;
		}
		g_string_append_c(out, '\\');
		switch (c) {
		case '\t': g_string_append_c(out, 't'); break;
		case '\n': g_string_append_c(out, 'n'); break;
		case '\r': g_string_append_c(out, 'r'); break;
		case '\\': g_string_append_c(out, '\\'); break;
		default:
			if (c < 010)
				g_string_append_printf(out, "%03o", c);
			else
				g_string_append_printf(out, "x%02x", c);
		}
	}
}

void xsc_value_unquote(GString *out, const char *s)
{
	unsigned int v, n;
	int d;

	while (*s) {
		if (*s != '\\') {
			g_string_append_c(out, *s++);
			continue;
		}
		s++;
		switch (*s) {
		case 't': g_string_append_c(out, '\t'); s++; break;
		case 'n': g_string_append_c(out, '\n'); s++; break;
		case 'r': g_string_append_c(out, '\r'); s++; break;
		case '\\': g_string_append_c(out, '\\'); s++; break;
		case '\0':
			g_string_append_c(out, '\\');	/* a trailing backslash stays */
			break;
		case 'x':
			s++;
			for (v = 0, n = 0; n < 2 && (d = g_ascii_xdigit_value(*s)) >= 0; n++, s++)
				v = v * 16 + (unsigned int)d;
			if (n)
				g_string_append_c(out, (char)v);
			else
				g_string_append_c(out, 'x');
			break;
		default:
			if (*s >= '0' && *s <= '7') {
				for (v = 0, n = 0; n < 3 && *s >= '0' && *s <= '7'; n++, s++)
					v = v * 8 + (unsigned int)(*s - '0');
				g_string_append_c(out, (char)v);
			} else {
				g_string_append_c(out, *s++);	/* \c is c */
			}
		}
	}
}
