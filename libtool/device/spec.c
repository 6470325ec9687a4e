/* xl's text forms of a disk (xl-disk-configuration(5)) and a nic
 * (network-attach words), into struct xlite_disk / xlite_nic. Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/util/mac.h"

struct spec {
	struct xlite_disk *disk;
	bool *type_given;
	bool have_format, have_access, deprecated_prefix;
	unsigned int npositional;
	char *err;
};

static int spec_fail(struct spec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int spec_fail(struct spec *s, const char *fmt, ...)
{
	va_list ap;

	if (!s->err) {
		va_start(ap, fmt);
		s->err = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int set_target(struct spec *s, const char *v)
{
	static const struct {
		const char *prefix;
		enum xlite_disk_type type;
	} prefixes[] = {
		{ "phy:", XLITE_DISK_BLOCK },
		{ "file:", XLITE_DISK_FILE },
		{ "raw:", XLITE_DISK_FILE },
		{ "aio:", XLITE_DISK_FILE },
		{ "tap:aio:", XLITE_DISK_FILE },
	};
	unsigned int i;

	if (s->disk->source)
		return spec_fail(s, "the target is given twice");
	for (i = 0; i < G_N_ELEMENTS(prefixes); i++) {
		if (g_str_has_prefix(v, prefixes[i].prefix)) {
			v += strlen(prefixes[i].prefix);
			s->deprecated_prefix = true;
			/* raw:/aio: say only the format; the file type decides. */
			if (i < 2) {
				s->disk->type = prefixes[i].type;
				*s->type_given = true;
			}
			s->have_format = true;
			break;
		}
	}
	if (!s->deprecated_prefix && strchr(v, ':') && v[0] != '/')
		return spec_fail(s, "target '%s' has an unsupported prefix, expected a path "
				 "(or phy:/file:)", v);
	if (v[0] != '/')
		return spec_fail(s, "target '%s' is not an absolute path", v);
	s->disk->source = g_strdup(v);
	return s->disk->source ? 0 : -ENOMEM;
}

static int set_format(struct spec *s, const char *v)
{
	if (s->have_format)
		return spec_fail(s, "the format is given twice");
	s->have_format = true;
	if (*v && strcmp(v, "raw") != 0)
		return spec_fail(s, "disk format '%s' is not supported, expected raw "
				 "(blkback serves raw images)", v);
	return 0;
}

static int set_vdev(struct spec *s, const char *v)
{
	char *colon;
	char *dev;

	if (s->disk->target)
		return spec_fail(s, "the vdev is given twice");
	dev = g_strdup(v);
	if (!dev)
		return -ENOMEM;
	/* Deprecated "xvdb:disk" / "hdc:cdrom". */
	colon = strchr(dev, ':');
	if (colon) {
		*colon = '\0';
		if (strcmp(colon + 1, "disk") != 0) {
			spec_fail(s, "device type '%s' is not supported, expected disk",
				  colon + 1);
			g_free(dev);
			return -EINVAL;
		}
	}
	if (xlite_vdev_parse(dev, &s->disk->vdev) < 0) {
		spec_fail(s, "vdev '%s' is not a Xen PV disk name, expected xvda, xvdb, ...", dev);
		g_free(dev);
		return -EINVAL;
	}
	s->disk->target = dev;
	return 0;
}

static int set_access(struct spec *s, const char *v)
{
	if (s->have_access)
		return spec_fail(s, "the access mode is given twice");
	s->have_access = true;
	if (!*v || strcmp(v, "w") == 0 || strcmp(v, "rw") == 0)
		s->disk->readonly = false;
	else if (strcmp(v, "r") == 0 || strcmp(v, "ro") == 0)
		s->disk->readonly = true;
	else
		return spec_fail(s, "access '%s' is not one of r, ro, w, rw", v);
	return 0;
}

static int positional(struct spec *s, const char *v)
{
	/* With a deprecated prefix the format came with the target, so the
	 * second positional is the vdev (as libxl reads it). */
	if (!s->disk->source && s->npositional == 0) {
		s->npositional++;
		return set_target(s, v);
	}
	if (!s->have_format && !s->deprecated_prefix && s->npositional == 1) {
		s->npositional++;
		return set_format(s, v);
	}
	if (!s->disk->target) {
		s->npositional++;
		if (!*v)
			return spec_fail(s, "the vdev is empty, expected xvda, xvdb, ...");
		return set_vdev(s, v);
	}
	if (!s->have_access) {
		s->npositional++;
		return set_access(s, v);
	}
	return spec_fail(s, "too many positional parameters at '%s'", v);
}

static int keyword(struct spec *s, const char *key, const char *v)
{
	if (strcmp(key, "vdev") == 0)
		return set_vdev(s, v);
	if (strcmp(key, "access") == 0)
		return set_access(s, v);
	if (strcmp(key, "format") == 0)
		return set_format(s, v);
	if (strcmp(key, "devtype") == 0)
		return strcmp(v, "disk") == 0 ? 0 :
		       spec_fail(s, "devtype '%s' is not supported, expected disk", v);
	if (strcmp(key, "backendtype") == 0)
		return strcmp(v, "phy") == 0 ? 0 :
		       spec_fail(s, "backendtype '%s' is not supported, expected phy (blkback)", v);
	if (strcmp(key, "backend") == 0)
		return strcmp(v, "0") == 0 || strcmp(v, "Domain-0") == 0 ? 0 :
		       spec_fail(s, "backend '%s' is not supported, expected Domain-0", v);
	if (strcmp(key, "script") == 0)
		return spec_fail(s, "script= is not supported: xlite sets disks up itself");
	return spec_fail(s, "unknown disk parameter '%s'", key);
}

/* Bare keywords of xl's syntax that xlite knows. */
static int flag(struct spec *s, const char *w, bool *was_flag)
{
	*was_flag = true;
	if (strcmp(w, "cdrom") == 0)
		return spec_fail(s, "cdrom is not supported: PV guests get plain disks");
	if (strcmp(w, "discard") == 0 || strcmp(w, "no-discard") == 0 ||
	    strcmp(w, "trusted") == 0 || strcmp(w, "untrusted") == 0)
		return 0;	/* blkback's defaults serve */
	*was_flag = false;
	return 0;
}

int xlite_disk_spec_parse(const char *const *words, size_t n_words,
			  struct xlite_disk *disk, bool *type_given, char **err)
{
	GString *all = g_string_new("");
	struct spec s;
	char *p, *next;
	size_t i;
	int rc = 0;

	memset(disk, 0, sizeof(*disk));
	memset(&s, 0, sizeof(s));
	s.disk = disk;
	s.type_given = type_given;
	*type_given = false;
	disk->type = XLITE_DISK_FILE;
	for (i = 0; i < n_words; i++)
		g_string_append_printf(all, "%s%s", i ? "," : "", words[i]);

	for (p = all->str; rc == 0 && p; p = next) {
		char *eq;
		bool was_flag;

		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		p = g_strstrip(p);
		if (g_str_has_prefix(p, "target=")) {
			/* target= takes the rest, commas included. */
			if (next)
				next[-1] = ',';
			rc = set_target(&s, p + strlen("target="));
			break;
		}
		eq = strchr(p, '=');
		if (eq) {
			*eq = '\0';
			rc = keyword(&s, g_strstrip(p), g_strstrip(eq + 1));
			continue;
		}
		rc = flag(&s, p, &was_flag);
		if (rc == 0 && !was_flag)
			rc = positional(&s, p);
	}
	if (rc == 0 && !disk->source)
		rc = spec_fail(&s, "no target, expected a path: /path/disk.img,,xvdb or target=/path");
	if (rc == 0 && !disk->target)
		rc = spec_fail(&s, "no vdev, expected one such as xvdb: /path/disk.img,,xvdb");
	if (rc < 0) {
		g_free(disk->source);
		g_free(disk->target);
		memset(disk, 0, sizeof(*disk));
		*err = s.err ? s.err : g_strdup(g_strerror(-rc));
		s.err = NULL;
	}
	g_free(s.err);
	g_string_free(all, TRUE);
	return rc;
}

/* A Linux interface name: 1..15 bytes, no '/', ':', white space. */
static bool ifname_ok(const char *n)
{
	size_t i, len = strlen(n);

	if (len == 0 || len > 15 || strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
		return false;
	for (i = 0; i < len; i++)
		if (n[i] == '/' || n[i] == ':' || (unsigned char)n[i] <= ' ' || n[i] == 0x7f)
			return false;
	return true;
}

int xlite_nic_spec_parse(const char *const *words, size_t n_words,
			 struct xlite_nic *nic, char **err)
{
	const char *bridge = "xenbr0", *why;
	size_t i;
	int rc = 0;

	memset(nic, 0, sizeof(*nic));
	for (i = 0; rc == 0 && i < n_words; i++) {
		const char *w = words[i], *v = strchr(w, '=');

		if (!v) {
			*err = g_strdup_printf("'%s' is not KEY=VALUE, expected bridge=BR or mac=MAC", w);
			rc = -EINVAL;
		} else if (g_str_has_prefix(w, "bridge=")) {
			bridge = v + 1;
			if (!ifname_ok(bridge)) {
				*err = g_strdup_printf("invalid bridge name '%s', expected a Linux "
						       "interface name", bridge);
				rc = -EINVAL;
			}
		} else if (g_str_has_prefix(w, "mac=")) {
			if (xlite_mac_parse(v + 1, nic->mac) < 0) {
				*err = g_strdup_printf("invalid MAC address '%s', expected six hex "
						       "pairs like 00:16:3e:12:34:56", v + 1);
				rc = -EINVAL;
			} else if ((why = xlite_mac_invalid(nic->mac)) != NULL) {
				*err = g_strdup_printf("invalid MAC address '%s': %s", v + 1, why);
				rc = -EINVAL;
			}
			nic->mac_given = true;
		} else if (g_str_has_prefix(w, "type=")) {
			if (strcmp(v + 1, "vif") != 0) {
				*err = g_strdup_printf("type '%s' is not supported, expected vif", v + 1);
				rc = -EINVAL;
			}
		} else if (g_str_has_prefix(w, "script=")) {
			*err = g_strdup("script= is not supported: xlite bridges the vif itself");
			rc = -EINVAL;
		} else {
			*err = g_strdup_printf("'%.*s' is not supported, expected bridge= or mac=",
					       (int)(v - w), w);
			rc = -EINVAL;
		}
	}
	if (rc == 0) {
		nic->bridge = g_strdup(bridge);
		if (!nic->bridge)
			rc = -ENOMEM;
	}
	if (rc < 0)
		memset(nic, 0, sizeof(*nic));
	return rc;
}
