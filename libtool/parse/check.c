/* xlite_config_check_files: what a real create needs on disk. The parser
 * never looks at files (a config is valid on any host); this does, right
 * before a create. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/parse/config.h"

static int fail(char **err, int rc, const struct xlite_config *cfg, int line,
		const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(char **err, int rc, const struct xlite_config *cfg, int line,
		const char *fmt, ...)
{
	g_autofree char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	*err = g_strdup_printf("%s:%d: %s", cfg->file ? cfg->file : "<config>", line, msg);
	return rc;
}

/* WANT is S_IFREG or S_IFBLK; AMODE is R_OK or R_OK|W_OK. */
static int check_path(const struct xlite_config *cfg, int line, const char *what,
		      const char *path, mode_t want, int amode, char **err)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return fail(err, -errno, cfg, line, "%s '%s': %s", what, path,
			    strerror(errno));
	if (S_ISDIR(st.st_mode))
		return fail(err, -EISDIR, cfg, line, "%s '%s' is a directory, expected %s",
			    what, path, want == S_IFBLK ? "a block device" : "a regular file");
	if ((st.st_mode & S_IFMT) != want) {
		if (want == S_IFREG && S_ISBLK(st.st_mode))
			return fail(err, -EINVAL, cfg, line,
				    "%s '%s' is a block device, expected a regular file (use <disk type='block'> with <source dev=...>)",
				    what, path);
		if (want == S_IFBLK && S_ISREG(st.st_mode))
			return fail(err, -EINVAL, cfg, line,
				    "%s '%s' is a regular file, expected a block device (use <disk type='file'> with <source file=...>)",
				    what, path);
		return fail(err, -EINVAL, cfg, line, "%s '%s' is not %s",
			    what, path, want == S_IFBLK ? "a block device" : "a regular file");
	}
	if (access(path, amode) < 0)
		return fail(err, -errno, cfg, line, "%s '%s' is not %s: %s", what, path,
			    (amode & W_OK) ? "readable and writable" : "readable",
			    strerror(errno));
	return 0;
}

int xlite_config_check_files(const struct xlite_config *cfg, char **err)
{
	size_t i;
	int rc;

	*err = NULL;
	if (cfg->boot == XLITE_BOOT_KERNEL && !cfg->kernel)
		return fail(err, -EINVAL, cfg, 0, "no <kernel> given, expected the path of a PV kernel");
	if (cfg->kernel) {
		rc = check_path(cfg, cfg->kernel_line, "kernel", cfg->kernel, S_IFREG, R_OK, err);
		if (rc < 0)
			return rc;
	}
	if (cfg->initrd) {
		rc = check_path(cfg, cfg->initrd_line, "initrd", cfg->initrd, S_IFREG, R_OK, err);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < cfg->n_disks; i++) {
		const struct xlite_disk *d = &cfg->disks[i];

		rc = check_path(cfg, d->line, d->readonly ? "readonly disk" : "disk",
				d->source, d->type == XLITE_DISK_BLOCK ? S_IFBLK : S_IFREG,
				d->readonly ? R_OK : R_OK | W_OK, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void xlite_config_resolve_sources(struct xlite_config *cfg, xlite_warn_fn *warn,
				  void *opaque)
{
	struct stat st;
	size_t i;

	for (i = 0; i < cfg->n_disks; i++) {
		struct xlite_disk *d = &cfg->disks[i];
		g_autofree char *msg = NULL;

		if (d->type != XLITE_DISK_FILE || d->format != XLITE_DISK_RAW ||
		    stat(d->source, &st) < 0 || !S_ISBLK(st.st_mode))
			continue;
		d->type = XLITE_DISK_BLOCK;
		if (!warn)
			continue;
		msg = g_strdup_printf("%s:%d: disk %s: %s is a block device: used as one, as "
				      "<disk type='block'> would (no loop device)",
				      cfg->file ? cfg->file : "<config>", d->line, d->target,
				      d->source);
		warn(msg, opaque);
	}
}
