/* <os>: the guest type (PV or PVH), its kernel, initrd and command line. */
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
	static const char pv_boot[] = "a PV guest boots the <kernel> given";
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

	/* a missing <type> or <kernel> is reported by xlite_parse_finish(),
	 * after an unsupported <bootloader> anywhere had its say */
	p->os_line = xlite_parse_line(node);
	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
}
