/* The host's configuration file (see hostconf.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "libtool/util/fail.h"
#include "libtool/util/hostconf.h"
#include "libtool/util/number.h"

void xlite_hostconf_init(struct xlite_hostconf *hc)
{
	memset(hc, 0, sizeof(*hc));
	hc->kcache_max = XLITE_HOSTCONF_KCACHE_MAX_DEFAULT;
	hc->dom0_reserve = 512ull << 20;
	hc->balancer_interval = 5;
	hc->headroom = 64ull << 20;
	hc->step_limit = 256ull << 20;
	hc->hysteresis = 16ull << 20;
	g_strlcpy(hc->listen, "127.0.0.1", sizeof(hc->listen));
	hc->port = XLITE_HOSTCONF_PORT_DEFAULT;
	g_strlcpy(hc->state_dir, XLITE_HOSTCONF_STATE_DIR, sizeof(hc->state_dir));
	g_strlcpy(hc->grub_image, XLITE_HOSTCONF_GRUB_IMAGE_DEFAULT, sizeof(hc->grub_image));
	hc->boot_timeout = 60;
	hc->sample_interval = 5;
	g_strlcpy(hc->grub_pvh_image, XLITE_HOSTCONF_GRUB_PVH_IMAGE_DEFAULT,
		  sizeof(hc->grub_pvh_image));
}

int xlite_hostconf_parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	g_autofree char *digits = NULL;
	const char *unit, *u;
	uint64_t v, scale = 1;
	int rc;

	if (!s)
		return -EINVAL;
	unit = s + strspn(s, "0123456789");
	if (unit == s)
		return -EINVAL;
	if (*unit) {
		u = strchr(units, g_ascii_toupper(*unit));
		if (!u || (unit[1] && g_ascii_strcasecmp(unit + 1, "iB") != 0))
			return -EINVAL;
		for (scale = 1024; u > units; u--)
			scale *= 1024;
	}
	digits = g_strndup(s, (gsize)(unit - s));
	rc = xlite_number_parse(digits, 0, UINT64_MAX, &v);
	if (rc < 0)
		return rc;
	if (v > UINT64_MAX / scale)
		return -ERANGE;
	*bytes = v * scale;
	return 0;
}

static int set_size(void *field, const char *value)
{
	return xlite_hostconf_parse_size(value, field);
}

static int set_uint(void *field, const char *value, guint64 min, guint64 max)
{
	guint64 v;

	if (!g_ascii_string_to_unsigned(value, 10, min, max, &v, NULL))
		return -EINVAL;
	*(unsigned int *)field = (unsigned int)v;
	return 0;
}

static int set_seconds(void *field, const char *value)
{
	return set_uint(field, value, 1, 3600);
}

static int set_port(void *field, const char *value)
{
	return set_uint(field, value, 1, 65535);
}

static int set_address(void *field, const char *value)
{
	unsigned char buf[sizeof(struct in6_addr)];

	if (inet_pton(AF_INET, value, buf) != 1 && inet_pton(AF_INET6, value, buf) != 1)
		return -EINVAL;
	g_strlcpy(field, value, XLITE_HOSTCONF_ADDR_MAX);
	return 0;
}

static int set_abs_path(void *field, const char *value)
{
	if (value[0] != '/' || strlen(value) >= XLITE_HOSTCONF_PATH_MAX)
		return -EINVAL;
	g_strlcpy(field, value, XLITE_HOSTCONF_PATH_MAX);
	return 0;
}

static int set_seconds0(void *field, const char *value)
{
	return set_uint(field, value, 0, 3600);
}

static int set_bool(void *field, const char *value)
{
	if (g_ascii_strcasecmp(value, "true") == 0 || g_ascii_strcasecmp(value, "yes") == 0 ||
	    strcmp(value, "1") == 0)
		*(unsigned int *)field = 1;
	else if (g_ascii_strcasecmp(value, "false") == 0 || g_ascii_strcasecmp(value, "no") == 0 ||
		 strcmp(value, "0") == 0)
		*(unsigned int *)field = 0;
	else
		return -EINVAL;
	return 0;
}

/* Every key the file may hold. */
static const struct setting {
	const char *group, *key;
	size_t offset;
	int (*set)(void *field, const char *value);
	const char *expected;	/* for the error message */
} settings[] = {
	{ "kernel-cache", "max-size", offsetof(struct xlite_hostconf, kcache_max), set_size,
	  "a size: a number of bytes, or a number with K, M, G or T" },
	{ "memory", "dom0-reserve", offsetof(struct xlite_hostconf, dom0_reserve), set_size,
	  "a size: a number of bytes, or a number with K, M, G or T" },
	{ "memory", "balancer-interval", offsetof(struct xlite_hostconf, balancer_interval),
	  set_seconds, "a number of seconds from 1 to 3600" },
	{ "memory", "headroom", offsetof(struct xlite_hostconf, headroom), set_size,
	  "a size: a number of bytes, or a number with K, M, G or T" },
	{ "memory", "step-limit", offsetof(struct xlite_hostconf, step_limit), set_size,
	  "a size: a number of bytes, or a number with K, M, G or T" },
	{ "memory", "hysteresis", offsetof(struct xlite_hostconf, hysteresis), set_size,
	  "a size: a number of bytes, or a number with K, M, G or T" },
	{ "daemon", "listen", offsetof(struct xlite_hostconf, listen), set_address,
	  "an IPv4 or IPv6 address" },
	{ "daemon", "port", offsetof(struct xlite_hostconf, port), set_port,
	  "a port number from 1 to 65535" },
	{ "daemon", "state-dir", offsetof(struct xlite_hostconf, state_dir), set_abs_path,
	  "an absolute path (below 256 bytes)" },
	{ "boot", "grub-image", offsetof(struct xlite_hostconf, grub_image), set_abs_path,
	  "an absolute path (of pvgrub2, grub-x86_64-xen.bin; below 256 bytes)" },
	{ "boot", "timeout", offsetof(struct xlite_hostconf, boot_timeout), set_seconds0,
	  "a number of seconds from 0 (do not wait) to 3600" },
	{ "daemon", "sample-interval", offsetof(struct xlite_hostconf, sample_interval),
	  set_seconds, "a number of seconds from 1 to 3600" },
	{ "daemon", "www-dir", offsetof(struct xlite_hostconf, www_dir), set_abs_path,
	  "an absolute path (below 256 bytes)" },
	{ "boot", "grub-pvh-image", offsetof(struct xlite_hostconf, grub_pvh_image), set_abs_path,
	  "an absolute path (of pvhgrub, grub-i386-xen_pvh.bin; below 256 bytes)" },
	{ "balancer", "enabled", offsetof(struct xlite_hostconf, balancer_enabled), set_bool,
	  "true or false (yes, no, 1, 0)" },
	{ "balancer", "interval", offsetof(struct xlite_hostconf, balancer_interval),
	  set_seconds, "a number of seconds from 1 to 3600" },
};

static const struct setting *find_setting(const char *group, const char *key)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(settings); i++)
		if (strcmp(settings[i].group, group) == 0 &&
		    (!key || strcmp(settings[i].key, key) == 0))
			return &settings[i];
	return NULL;
}

int xlite_hostconf_load(struct xlite_hostconf *hc, const char *file, char **err)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_auto(GStrv) groups = NULL;
	g_autoptr(GError) gerr = NULL;
	struct xlite_hostconf next = *hc;
	size_t g, k;

	if (!g_key_file_load_from_file(kf, file, G_KEY_FILE_NONE, &gerr)) {
		if (g_error_matches(gerr, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			return 0;
		if (gerr->domain == G_FILE_ERROR)
			return xlite_fail(err, gerr->code == G_FILE_ERROR_ACCES ? -EACCES : -EIO,
					  "%s: %s", file, gerr->message);
		return xlite_fail(err, -EINVAL, "%s: %s", file, gerr->message);
	}
	groups = g_key_file_get_groups(kf, NULL);
	for (g = 0; groups[g]; g++) {
		g_auto(GStrv) keys = NULL;

		/* xlited's peers: its own reader (xlited/peers.c) */
		if (strcmp(groups[g], "peers") == 0)
			continue;
		if (!find_setting(groups[g], NULL))
			return xlite_fail(err, -EINVAL, "%s: unknown group [%s]", file, groups[g]);
		keys = g_key_file_get_keys(kf, groups[g], NULL, NULL);
		for (k = 0; keys && keys[k]; k++) {
			const struct setting *s = find_setting(groups[g], keys[k]);
			g_autofree char *value = NULL;

			if (!s)
				return xlite_fail(err, -EINVAL, "%s: [%s] unknown key '%s'", file,
						  groups[g], keys[k]);
			value = g_key_file_get_string(kf, groups[g], keys[k], NULL);
			if (!value || s->set((char *)&next + s->offset, g_strstrip(value)) < 0)
				return xlite_fail(err, -EINVAL, "%s: [%s] %s: '%s' is not %s", file,
						  groups[g], keys[k], value ? value : "",
						  s->expected);
		}
	}
	*hc = next;
	return 0;
}
