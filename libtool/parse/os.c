/* <os>: the guest type (PV or PVH), its kernel, initrd and command line;
 * <bootloader> and the boot method (a kernel file in dom0, or the guest's
 * own disk). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "libtool/parse/parse.h"

static const char *const no_attrs[] = { NULL };

static int parse_type(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "arch", "machine", NULL };
	char *arch = xlite_parse_attr(node, "arch");
	char *machine = xlite_parse_attr(node, "machine");
	char *s = NULL;
	int rc;

	p->have_type = true;
	xlite_parse_attrs(p, node, known);
	rc = xlite_parse_text(p, node, true, &s);
	if (rc < 0)
		goto out;
	if (strcmp(s, "hvm") == 0) {
		rc = xlite_parse_error(p, node,
			"HVM guests are not supported (<type>hvm</type>): xlite runs PV and PVH guests, expected <type>linux</type>, <type>xen</type> or <type>xenpvh</type>");
		goto out;
	}
	if (strcmp(s, "linux") != 0 && strcmp(s, "xen") != 0 && strcmp(s, "xenpvh") != 0) {
		rc = xlite_parse_error(p, node,
			"os type '%s' is not supported, expected linux or xen (a PV guest) or xenpvh (a PVH guest)", s);
		goto out;
	}
	if (arch && strcmp(arch, "x86_64") != 0) {
		rc = xlite_parse_error(p, node,
			"arch '%s' is not supported, expected x86_64", arch);
		goto out;
	}
	/* libvirt's spelling: <type machine='xenpvh'>xenpvh</type> for PVH,
	 * machine xenpv (or none) for PV. */
	if (machine && strcmp(s, "xenpvh") == 0 && strcmp(machine, "xenpvh") != 0) {
		rc = xlite_parse_error(p, node,
			"machine '%s' does not go with <type>xenpvh</type>, expected machine='xenpvh'",
			machine);
		goto out;
	}
	if (machine && strcmp(s, "xenpvh") != 0 && strcmp(machine, "xenpv") != 0) {
		rc = xlite_parse_error(p, node,
			"machine '%s' is not supported for <type>%s</type> (%s), expected xenpv",
			machine, s, strcmp(machine, "xenfv") == 0 ? "HVM" :
			strcmp(machine, "xenpvh") == 0 ? "PVH is <type machine='xenpvh'>xenpvh</type>" :
			"not a PV guest");
		goto out;
	}
	p->cfg->os_type = s;
	s = NULL;
out:
	g_free(arch);
	g_free(machine);
	g_free(s);
	return rc;
}

static int parse_path(struct xlite_parse *p, xmlNode *node, char **out)
{
	char *s = NULL;
	int rc;

	rc = xlite_parse_text_elem(p, node, false, &s);
	if (rc < 0)
		return rc;
	if (s[0] != '/') {
		rc = xlite_parse_error(p, node, "<%s> '%s' is not an absolute path, expected /...",
				       (const char *)node->name, s);
		g_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

static int parse_kernel(struct xlite_parse *p, xmlNode *node)
{
	p->cfg->kernel_line = xlite_parse_line(node);
	return parse_path(p, node, &p->cfg->kernel);
}

static int parse_initrd(struct xlite_parse *p, xmlNode *node)
{
	p->cfg->initrd_line = xlite_parse_line(node);
	return parse_path(p, node, &p->cfg->initrd);
}

static int parse_cmdline(struct xlite_parse *p, xmlNode *node)
{
	char *s = NULL;
	int rc;

	p->cmdline_line = xlite_parse_line(node);
	rc = xlite_parse_text_elem(p, node, false, &s);
	if (rc < 0)
		return rc;
	if (strlen(s) > XLITE_CMDLINE_MAX) {
		rc = xlite_parse_error(p, node,
			"<cmdline> is %zu characters long, expected at most %d (Xen's limit)",
			strlen(s), XLITE_CMDLINE_MAX);
		g_free(s);
		return rc;
	}
	p->cfg->cmdline = s;
	return 0;
}

int xlite_parse_os(struct xlite_parse *p, xmlNode *node)
{
	static const char hvm_only[] = "it is for HVM guests, xlite runs PV guests";
	static const char pv_boot[] =
		"a PV guest boots its <kernel>, or through pvgrub2 from its disk";
	static const struct xlite_elem_rule rules[] = {
		{ "type", XLITE_ELEM_PARSE, parse_type, true, NULL },
		{ "kernel", XLITE_ELEM_PARSE, parse_kernel, true, NULL },
		{ "initrd", XLITE_ELEM_PARSE, parse_initrd, true, NULL },
		{ "cmdline", XLITE_ELEM_PARSE, parse_cmdline, true, NULL },
		{ "loader", XLITE_ELEM_UNSUPPORTED, NULL, false, hvm_only },
		{ "nvram", XLITE_ELEM_UNSUPPORTED, NULL, false, hvm_only },
		{ "boot", XLITE_ELEM_IGNORED, NULL, false, pv_boot },
		{ "bootmenu", XLITE_ELEM_IGNORED, NULL, false, pv_boot },
		{ "bios", XLITE_ELEM_IGNORED, NULL, false, pv_boot },
		{ "smbios", XLITE_ELEM_IGNORED, NULL, false, "PV guests have no SMBIOS" },
	};

	/* a missing <type> is reported by xlite_parse_finish(), a missing
	 * <kernel> settled by xlite_parse_boot() */
	p->os_line = xlite_parse_line(node);
	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
}

/* <bootloader>pygrub</bootloader>, or a path to it. Whatever it names, it
 * is never run in dom0: see xlite_parse_boot(). */
int xlite_parse_bootloader(struct xlite_parse *p, xmlNode *node)
{
	char *s = NULL;
	int rc;

	p->bootloader_line = xlite_parse_line(node);
	rc = xlite_parse_text_elem(p, node, true, &s);
	if (rc < 0)
		return rc;
	if (!*s) {
		g_free(s);
		return xlite_parse_error(p, node,
			"<bootloader> is empty, expected pygrub (or its path)");
	}
	p->cfg->bootloader = s;
	return 0;
}

int xlite_parse_bootloader_args(struct xlite_parse *p, xmlNode *node)
{
	p->bootloader_args_line = xlite_parse_line(node);
	return xlite_parse_text_elem(p, node, true, &p->cfg->bootloader_args);
}

/* NAME's last path component is pygrub: the bootloader pvgrub2 stands in for. */
static bool is_pygrub(const char *name)
{
	const char *base = strrchr(name, '/');

	return strcmp(base ? base + 1 : name, "pygrub") == 0;
}

/* Drops a <kernel>, <initrd> or <cmdline> a disk boot cannot use. */
static void drop_os_file(struct xlite_parse *p, char **field, int line,
			 const char *elem, const char *why)
{
	if (!*field)
		return;
	xlite_parse_warn_at(p, line, "<%s> ignored: %s", elem, why);
	g_free(*field);
	*field = NULL;
}

/* The boot method. <bootloader> (pygrub in libvirt's XML), or a PV guest
 * with neither <kernel> nor <bootloader> (libvirt's default is pygrub):
 * the guest boots what the grub.cfg on its own disk names, read by pvgrub2
 * running as the guest's kernel, so no guest file system is ever parsed
 * in dom0 (pygrub's advisories: XSA-443 and older). A kernel path given
 * beside a bootloader names a file inside the guest's disk, which pvgrub2
 * cannot be told: it, the initrd and the command line are dropped with a
 * warning each. */
int xlite_parse_boot(struct xlite_parse *p)
{
	struct xlite_config *cfg = p->cfg;
	static const char inside[] =
		"with a bootloader it names a file inside the guest's disk; pvgrub2 boots "
		"what the disk's /boot/grub/grub.cfg names";
	static const char no_kernel[] =
		"there is no <kernel>: the guest boots what its disk's /boot/grub/grub.cfg names";

	if (!cfg->bootloader && cfg->kernel) {
		cfg->boot = XLITE_BOOT_KERNEL;
		if (cfg->bootloader_args)
			xlite_parse_warn_at(p, p->bootloader_args_line,
				"<bootloader_args> ignored: there is no <bootloader>, the guest boots its <kernel>");
		g_free(cfg->bootloader_args);
		cfg->bootloader_args = NULL;
		return 0;
	}
	cfg->boot = XLITE_BOOT_DISK;
	if (cfg->bootloader) {
		drop_os_file(p, &cfg->kernel, cfg->kernel_line, "kernel", inside);
		drop_os_file(p, &cfg->initrd, cfg->initrd_line, "initrd", inside);
		drop_os_file(p, &cfg->cmdline, p->cmdline_line, "cmdline",
			     "the kernel command line comes from the disk's grub.cfg");
		if (!is_pygrub(cfg->bootloader))
			xlite_parse_warn_at(p, p->bootloader_line,
				"bootloader '%s' is not run: xlite boots the guest from its disk "
				"through pvgrub2 (the grub.cfg on the disk) in its place",
				cfg->bootloader);
	} else {
		xlite_parse_warn_at(p, p->os_line,
			"<os> has no <kernel>: the guest boots from its disk as with libvirt's "
			"default bootloader (pygrub), through pvgrub2");
		drop_os_file(p, &cfg->initrd, cfg->initrd_line, "initrd", no_kernel);
		drop_os_file(p, &cfg->cmdline, p->cmdline_line, "cmdline", no_kernel);
	}
	if (cfg->bootloader_args)
		xlite_parse_warn_at(p, p->bootloader_args_line,
			"<bootloader_args> '%s' ignored: they are options of a bootloader run in "
			"dom0; pvgrub2 boots the default entry of the disk's grub.cfg",
			cfg->bootloader_args);
	if (cfg->n_disks == 0)
		xlite_parse_warn_at(p, p->os_line,
			"the guest boots from its disk but has no <disk>: a create will fail");
	return 0;
}
