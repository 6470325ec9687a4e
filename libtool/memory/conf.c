/* The [memory] group of /etc/xlite/xlite.conf (see conf.h). */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/conf.h"
#include "libtool/memory/memory.h"
#include "libtool/util/fail.h"

#define GROUP "memory"

void xlite_memconf_init(struct xlite_memconf *mc)
{
	mc->dom0_reserve_kib = 512 * 1024;
	mc->interval_s = 5;
	mc->headroom_kib = 64 * 1024;
	mc->step_limit_kib = 256 * 1024;
	mc->hysteresis_kib = 16 * 1024;
}

/* A size with its unit (a bare number would be ambiguous: xl reads MiB,
 * the rest of the file bytes). */
static int set_size(void *field, const char *v)
{
	size_t n = strlen(v);

	if (n < 2 || g_ascii_isdigit(v[n - 1]) || g_ascii_tolower(v[n - 1]) == 'b')
		return -EINVAL;
	return xlite_mem_size_parse(v, field);
}

static int set_seconds(void *field, const char *v)
{
	guint64 s;

	if (!g_ascii_string_to_unsigned(v, 10, 1, 3600, &s, NULL))
		return -EINVAL;
	*(unsigned int *)field = (unsigned int)s;
	return 0;
}

static const struct mem_setting {
	const char *key;
	size_t offset;
	int (*set)(void *field, const char *value);
	const char *expected;
} settings[] = {
	{ "dom0-reserve", offsetof(struct xlite_memconf, dom0_reserve_kib), set_size,
	  "a size with a unit, e.g. 512M" },
	{ "balancer-interval", offsetof(struct xlite_memconf, interval_s), set_seconds,
	  "a number of seconds from 1 to 3600" },
	{ "headroom", offsetof(struct xlite_memconf, headroom_kib), set_size,
	  "a size with a unit, e.g. 64M" },
	{ "step-limit", offsetof(struct xlite_memconf, step_limit_kib), set_size,
	  "a size with a unit, e.g. 256M" },
	{ "hysteresis", offsetof(struct xlite_memconf, hysteresis_kib), set_size,
	  "a size with a unit, e.g. 16M" },
};

int xlite_memconf_load(struct xlite_memconf *mc, const char *file, char **err)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) gerr = NULL;
	g_auto(GStrv) keys = NULL;
	struct xlite_memconf next = *mc;
	size_t k, i;

	if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, &gerr)) {
		if (g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return 0;
		return xlite_fail(err, gerr->domain == G_FILE_ERROR ? -EIO : -EINVAL, "%s: %s",
				  file, gerr->message);
	}
	if (!g_key_file_has_group(kf, GROUP))
		return 0;
	keys = g_key_file_get_keys(kf, GROUP, NULL, NULL);
	for (k = 0; keys && keys[k]; k++) {
		const struct mem_setting *s = NULL;
		g_autofree char *value = NULL;

		for (i = 0; i < G_N_ELEMENTS(settings) && !s; i++)
			if (strcmp(settings[i].key, keys[k]) == 0)
				s = &settings[i];
		if (!s)
			return xlite_fail(err, -EINVAL, "%s: [" GROUP "] unknown key '%s'", file,
					  keys[k]);
		value = g_key_file_get_string(kf, GROUP, keys[k], NULL);
		if (!value || s->set((char *)&next + s->offset, g_strstrip(value)) < 0)
			return xlite_fail(err, -EINVAL, "%s: [" GROUP "] %s: '%s' is not %s", file,
					  keys[k], value ? value : "", s->expected);
	}
	*mc = next;
	return 0;
}
