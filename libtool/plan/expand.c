/* ${name} placeholders: the plan's unknowns, filled in by apply. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/plan/plan.h"
#include "libtool/util/fail.h"
#include "libtool/util/number.h"

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_';
}

int xlite_expand_err(const char *s, xlite_lookup_fn *lookup, void *opaque,
		     char **out, char **err)
{
	g_autoptr(GString) buf = g_string_new(NULL);
	int rc = 0;

	*out = NULL;
	*err = NULL;
	while (*s && rc == 0) {
		const char *end, *val;
		char name[64];
		size_t n;

		if (*s != '$') {
			g_string_append_c(buf, *s++);
			continue;
		}
		if (s[1] == '$') {
			g_string_append_c(buf, '$');
			s += 2;
			continue;
		}
		if (s[1] != '{') {
			rc = xlite_fail(err, -EINVAL, "'$' not followed by '{' or '$' in \"%s\"", s);
			break;
		}
		for (end = s + 2; name_char(*end); end++)
			;
		n = (size_t)(end - (s + 2));
		if (*end != '}' || n == 0 || n >= sizeof(name)) {
			rc = xlite_fail(err, -EINVAL, "malformed placeholder at \"%s\"", s);
			break;
		}
		memcpy(name, s + 2, n);
		name[n] = '\0';
		val = lookup(name, opaque);
		if (!val) {
			rc = xlite_fail(err, -ENOENT, "unknown placeholder ${%s}", name);
			break;
		}
		g_string_append(buf, val);
		s = end + 1;
	}
	if (rc < 0)
		return rc;
	*out = g_string_free(g_steal_pointer(&buf), FALSE);
	return 0;
}

char *xlite_expand(const char *s, xlite_lookup_fn *lookup, void *opaque)
{
	char *out = NULL, *err = NULL;
	int rc = xlite_expand_err(s, lookup, opaque, &out, &err);

	g_free(err);
	if (rc < 0) {
		errno = -rc;
		return NULL;
	}
	return out;
}

char *xlite_expand_escape(const char *s)
{
	size_t n = 0, i;
	char *out, *o;

	for (i = 0; s[i]; i++)
		n += s[i] == '$' ? 2 : 1;
	out = g_malloc(n + 1);
	for (o = out, i = 0; s[i]; i++) {
		*o++ = s[i];
		if (s[i] == '$')
			*o++ = '$';
	}
	*o = '\0';
	return out;
}

/* "disk.N.what" -> N (no leading zero); -1 when not of that form. */
static long disk_index(const char *name, const char *what)
{
	const char *p = name + 5, *dot;
	g_autofree char *digits = NULL;
	uint64_t n;

	if (strncmp(name, "disk.", 5) != 0 || !(dot = strchr(p, '.')) ||
	    strcmp(dot + 1, what) != 0 || (dot - p > 1 && *p == '0'))
		return -1;
	digits = g_strndup(p, (gsize)(dot - p));
	if (xlite_number_parse(digits, 0, G_MAXINT32, &n) < 0)
		return -1;
	return (long)n;
}

const char *xlite_plan_vars_lookup(const char *name, void *opaque)
{
	struct xlite_plan_vars *v = opaque;
	long i;

	if (strcmp(name, "domid") == 0) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu32, v->domid);
		return v->buf;
	}
	if (strcmp(name, "uuid") == 0)
		return v->uuid;
	if (strcmp(name, "console.mfn") == 0 || strcmp(name, "store.mfn") == 0) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu64,
			 name[0] == 'c' ? v->console_mfn : v->store_mfn);
		return v->buf;
	}
	if (strcmp(name, "console.port") == 0 || strcmp(name, "store.port") == 0) {
		snprintf(v->buf, sizeof(v->buf), "%" PRIu32,
			 name[0] == 'c' ? v->console_port : v->store_port);
		return v->buf;
	}
	i = disk_index(name, "path");
	if (i >= 0)
		return (size_t)i < v->n_disks && v->disk_path ? v->disk_path[i] : NULL;
	i = disk_index(name, "physdev");
	if (i >= 0)
		return (size_t)i < v->n_disks && v->disk_physdev ? v->disk_physdev[i] : NULL;
	return NULL;
}
