/* xl's text forms of a disk (xl-disk-configuration(5)) and a nic
 * (network-attach words), into struct xlite_disk / xlite_nic. Pure. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"
#include "libtool/util/mac.h"
#include "libtool/util/number.h"

struct spec {
	struct xlite_disk *disk;
	bool *type_given;
	bool have_format, have_access, deprecated_prefix;
	unsigned int npositional;
	char *err;
};

static const char no_cdrom[] = "cdrom is not supported: a PV guest has no CD-ROM drive "
	"(blkfront has no removable media); expected a plain disk";

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
	if (!*v)
		return spec_fail(s, "the target is empty, expected a file or block device "
				 "(an empty drive is a CD-ROM, which PV guests do not have)");
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
	if (!s->deprecated_prefix && strchr(v, ':') && v[0] != '/') {
		g_autofree char *kind = g_strndup(v, (gsize)(strchr(v, ':') - v));

		/* xl hands such targets to Xen's block-KIND hotplug script */
		return spec_fail(s, "target '%s' needs Xen's block-%s hotplug script, which xlite "
				 "does not run; expected a file or block device path (or phy:/file:)",
				 v, kind);
	}
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
	if (xlite_vdev_parse_xl(dev, &s->disk->vdev) < 0) {
		spec_fail(s, "vdev '%s' is not a disk name of a PV guest, expected xvda, xvdb, ... "
			  "(or hda..hdd, sda..sdp)", dev);
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
		       strcmp(v, "cdrom") == 0 ? spec_fail(s, "%s", no_cdrom) :
		       spec_fail(s, "devtype '%s' is not supported, expected disk", v);
	if (strcmp(key, "backendtype") == 0)
		return strcmp(v, "phy") == 0 ? 0 :
		       spec_fail(s, "backendtype '%s' is not supported, expected phy (blkback)", v);
	if (strcmp(key, "backend") == 0)
		return strcmp(v, "0") == 0 || strcmp(v, "Domain-0") == 0 ? 0 :
		       spec_fail(s, "backend '%s' is not supported, expected Domain-0", v);
	if (strcmp(key, "script") == 0)
		return spec_fail(s, "script=%s is not supported: xlite runs no hotplug script, it "
				 "serves files and block devices itself; expected a file or block "
				 "device target", v);
	return spec_fail(s, "unknown disk parameter '%s'", key);
}

/* Bare keywords of xl's syntax that xlite knows. */
static int flag(struct spec *s, const char *w, bool *was_flag)
{
	*was_flag = true;
	if (strcmp(w, "cdrom") == 0)
		return spec_fail(s, "%s", no_cdrom);
	/* discard and trusted are blkback's and blkfront's defaults */
	if (strcmp(w, "discard") == 0 || strcmp(w, "no-discard") == 0)
		s->disk->no_discard = strcmp(w, "no-discard") == 0;
	else if (strcmp(w, "trusted") == 0 || strcmp(w, "untrusted") == 0)
		s->disk->untrusted = strcmp(w, "untrusted") == 0;
	else if (strcmp(w, "direct-io-safe") != 0)	/* a qdisk matter */
		*was_flag = false;
	return 0;
}

/* Whether the spec asks for a CD-ROM anywhere (cdrom, devtype=cdrom, a
 * vdev "hdc:cdrom"): that is the reason to give, whatever else is odd
 * about it (an empty CD-ROM drive has an empty target). */
static bool wants_cdrom(const char *all)
{
	g_auto(GStrv) words = g_strsplit(all, ",", 0);
	unsigned int i;

	for (i = 0; words[i]; i++) {
		const char *w = g_strstrip(words[i]);

		if (g_str_has_prefix(w, "target="))
			break;
		if (strcmp(w, "cdrom") == 0 || strcmp(w, "devtype=cdrom") == 0 ||
		    g_str_has_suffix(w, ":cdrom"))
			return true;
	}
	return false;
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
	if (wants_cdrom(all->str))
		rc = spec_fail(&s, "%s", no_cdrom);

	for (p = rc == 0 ? all->str : NULL; rc == 0 && p; p = next) {
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

struct nic_spec {
	struct xlite_nic *nic;
	const char *bridge;
	bool script_given;
	xlite_warn_fn *warn;
	void *opaque;
	char **err;
};

static int nic_fail(struct nic_spec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int nic_fail(struct nic_spec *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*s->err = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int nic_word(struct nic_spec *s, const char *key, const char *v)
{
	struct xlite_nic *nic = s->nic;
	const char *why;
	uint64_t n;

	if (strcmp(key, "bridge") == 0) {
		if (!ifname_ok(v))
			return nic_fail(s, "invalid bridge name '%s', expected a Linux interface name", v);
		s->bridge = v;
	} else if (strcmp(key, "mac") == 0) {
		if (xlite_mac_parse(v, nic->mac) < 0)
			return nic_fail(s, "invalid MAC address '%s', expected six hex pairs like "
					"00:16:3e:12:34:56", v);
		if ((why = xlite_mac_invalid(nic->mac)) != NULL)
			return nic_fail(s, "invalid MAC address '%s': %s", v, why);
		nic->mac_given = true;
	} else if (strcmp(key, "type") == 0) {
		if (strcmp(v, "vif") != 0)
			return nic_fail(s, "type '%s' is not supported, expected vif (an emulated "
					"NIC needs a device model, PV guests use netfront)", v);
	} else if (strcmp(key, "script") == 0) {
		if (xlite_nic_script_parse(v, &nic->routed) < 0)
			return nic_fail(s, "script '%s' is not supported: xlite runs no hotplug "
					"script; it does the work of Xen's vif-bridge and vif-route "
					"itself, expected script=vif-bridge or script=vif-route", v);
		s->script_given = true;
	} else if (strcmp(key, "rate") == 0) {
		if (xlite_nic_rate_parse(v, &nic->rate_bytes, &nic->rate_usecs, &why) < 0)
			return nic_fail(s, "rate '%s': %s", v, why);
	} else if (strcmp(key, "ip") == 0) {
		g_auto(GStrv) ips = g_strsplit_set(v, " ", 0);
		GPtrArray *list = g_ptr_array_new();
		unsigned int i;

		for (i = 0; ips[i]; i++) {
			if (!*ips[i])
				continue;
			if (!xlite_nic_ip_valid(ips[i])) {
				g_ptr_array_free(list, TRUE);
				return nic_fail(s, "ip '%s' is not an IPv4 or IPv6 address (with an "
						"optional /PREFIX)", ips[i]);
			}
			g_ptr_array_add(list, g_strdup(ips[i]));
		}
		if (list->len == 0) {
			g_ptr_array_free(list, TRUE);
			return nic_fail(s, "ip= is empty, expected an address");
		}
		g_ptr_array_add(list, NULL);
		g_strfreev(nic->ips);
		nic->ips = (char **)g_ptr_array_free(list, FALSE);
	} else if (strcmp(key, "vifname") == 0) {
		if (!ifname_ok(v))
			return nic_fail(s, "invalid vifname '%s', expected a Linux interface name "
					"(1 to 15 characters, no '/', ':' or white space)", v);
		g_free(nic->ifname);
		nic->ifname = g_strdup(v);
	} else if (strcmp(key, "mtu") == 0) {
		if (xlite_number_parse(v, 68, 65535, &n) < 0)
			return nic_fail(s, "mtu '%s', expected a number from 68 to 65535", v);
		nic->mtu = (unsigned int)n;
	} else if (strcmp(key, "model") == 0) {
		if (s->warn) {
			g_autofree char *msg = g_strdup_printf(
				"model=%s ignored: it names an emulated NIC, PV guests use netfront", v);

			s->warn(msg, s->opaque);
		}
	} else if (strcmp(key, "backend") == 0) {
		if (strcmp(v, "0") != 0 && strcmp(v, "Domain-0") != 0)
			return nic_fail(s, "backend '%s' is not supported, expected Domain-0", v);
	} else {
		return nic_fail(s, "'%s' is not supported, expected bridge=, mac=, ip=, rate=, "
				"vifname=, mtu=, script=vif-bridge|vif-route, model=, type=vif, "
				"trusted or untrusted", key);
	}
	return 0;
}

int xlite_nic_spec_parse_warn(const char *const *words, size_t n_words, struct xlite_nic *nic,
			      xlite_warn_fn *warn, void *opaque, char **err)
{
	struct nic_spec s = { .nic = nic, .warn = warn, .opaque = opaque, .err = err };
	size_t i;
	int rc = 0;

	memset(nic, 0, sizeof(*nic));
	for (i = 0; rc == 0 && i < n_words; i++) {
		g_autofree char *w = g_strdup(words[i]);
		char *v = strchr(w, '=');

		if (strcmp(w, "trusted") == 0 || strcmp(w, "untrusted") == 0) {
			nic->untrusted = strcmp(w, "untrusted") == 0;
			continue;
		}
		if (!v) {
			rc = nic_fail(&s, "'%s' is not KEY=VALUE, expected e.g. bridge=BR, mac=MAC "
				      "(or the word trusted/untrusted)", w);
			continue;
		}
		*v++ = '\0';
		rc = nic_word(&s, w, v);
		if (rc == 0 && strcmp(w, "bridge") == 0)
			s.bridge = words[i] + (v - w);	/* outlives W */
	}
	if (rc == 0 && nic->routed && s.bridge)
		rc = nic_fail(&s, "bridge=%s with script=vif-route: a routed vif is on no bridge, "
			      "expected one or the other", s.bridge);
	if (rc == 0 && !nic->routed)
		nic->bridge = g_strdup(s.bridge ? s.bridge : "xenbr0");
	if (rc < 0)
		xlite_nic_dispose(nic);
	return rc;
}

int xlite_nic_spec_parse(const char *const *words, size_t n_words,
			 struct xlite_nic *nic, char **err)
{
	return xlite_nic_spec_parse_warn(words, n_words, nic, NULL, NULL, err);
}

