/* <domain> and its direct children other than <os> and <devices>. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "libtool/parse/parse.h"

#define STR_(x) #x
#define STR(x) STR_(x)

static const char *const no_attrs[] = { NULL };

/* An element of text alone: every attribute is warned about, the text is
 * read into *OUT (see xlite_parse_text). */
int xlite_parse_text_elem(struct xlite_parse *p, xmlNode *node, bool trim, char **out)
{
	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_text(p, node, trim, out);
}

/* S as a whole number from MIN to MAX into *OUT; otherwise the error
 * "<NODE ATTR> 'S', expected EXPECTED" (ATTR names an attribute, or is ""
 * for NODE's text). */
static int parse_uint(struct xlite_parse *p, xmlNode *node, const char *attr,
		      const char *s, unsigned int min, unsigned int max,
		      const char *expected, unsigned int *out)
{
	uint64_t v;

	if (xlite_parse_u64(s, &v) < 0 || v < min || v > max)
		return xlite_parse_error(p, node, "<%s%s> '%s', expected %s",
					 (const char *)node->name, attr, s, expected);
	*out = (unsigned int)v;
	return 0;
}

/* An element of text alone holding a whole number (see parse_uint). */
static int parse_uint_elem(struct xlite_parse *p, xmlNode *node, unsigned int min,
			   unsigned int max, const char *expected, unsigned int *out)
{
	char *s = NULL;
	int rc = xlite_parse_text_elem(p, node, true, &s);

	if (rc == 0)
		rc = parse_uint(p, node, "", s, min, max, expected, out);
	g_free(s);
	return rc;
}

static int parse_name(struct xlite_parse *p, xmlNode *node)
{
	const char *why;
	char *s = NULL;
	int rc;

	rc = xlite_parse_text_elem(p, node, false, &s);
	if (rc < 0)
		return rc;
	why = xlite_name_invalid(s);
	if (why) {
		rc = xlite_parse_error(p, node,
			"invalid domain name '%s': %s; expected 1-64 characters of A-Z a-z 0-9 _ . -, not all digits",
			s, why);
		g_free(s);
		return rc;
	}
	p->cfg->name = s;
	return 0;
}

static int parse_uuid(struct xlite_parse *p, xmlNode *node)
{
	char *s = NULL;
	int rc;

	rc = xlite_parse_text_elem(p, node, true, &s);
	if (rc < 0)
		return rc;
	if (xlite_uuid_parse(s, p->cfg->uuid) < 0)
		rc = xlite_parse_error(p, node,
			"invalid uuid '%s', expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx (hex digits)", s);
	else
		p->cfg->uuid_given = true;
	g_free(s);
	return rc;
}

int xlite_parse_memory_elem(struct xlite_parse *p, xmlNode *node, uint64_t *kib)
{
	static const char *const known[] = { "unit", NULL };
	char *unit = xlite_parse_attr(node, "unit"), *s = NULL;
	int rc;

	xlite_parse_attrs(p, node, known);
	rc = xlite_parse_text(p, node, true, &s);
	if (rc < 0)
		goto out;
	rc = xlite_memory_to_kib(s, unit, kib);
	if (rc == -ERANGE)
		rc = xlite_parse_error(p, node, "<%s> %s %s is too large, expected at most 16 TiB",
				       (const char *)node->name, s, unit ? unit : "KiB");
	else if (rc < 0 && xlite_memory_to_kib("1", unit, kib) < 0)
		rc = xlite_parse_error(p, node,
			"<%s> has unknown unit '%s', expected b, KB, KiB (k), MB, MiB (M), GB, GiB (G), TB or TiB (T)",
			(const char *)node->name, unit);
	else if (rc < 0)
		rc = xlite_parse_error(p, node,
			"<%s> holds '%s', expected a whole number (of %s)",
			(const char *)node->name, s, unit ? unit : "KiB");
out:
	g_free(unit);
	g_free(s);
	return rc;
}

static int parse_memory(struct xlite_parse *p, xmlNode *node)
{
	p->memory_line = xlite_parse_line(node);
	p->have_memory = true;
	return xlite_parse_memory_elem(p, node, &p->cfg->memory_kib);
}

static int parse_current(struct xlite_parse *p, xmlNode *node)
{
	p->current_line = xlite_parse_line(node);
	p->have_current = true;
	return xlite_parse_memory_elem(p, node, &p->cfg->current_kib);
}

static int parse_maxmem(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "unit", "slots", NULL };
	char *unit = xlite_parse_attr(node, "unit"), *s = NULL;
	uint64_t kib = 0;
	int rc;

	xlite_parse_attrs(p, node, known);
	rc = xlite_parse_text(p, node, true, &s);
	if (rc == 0 && xlite_memory_to_kib(s, unit, &kib) < 0)
		rc = xlite_parse_error(p, node,
			"<maxMemory> holds '%s' %s, expected a whole number and a known unit",
			s, unit ? unit : "");
	if (rc == 0)
		xlite_parse_warn(p, node,
			"<maxMemory> ignored: PV guests have no memory hotplug; <memory> is the maximum");
	g_free(unit);
	g_free(s);
	return rc;
}

static int parse_min_guarantee(struct xlite_parse *p, xmlNode *node)
{
	p->min_line = xlite_parse_line(node);
	return xlite_parse_memory_elem(p, node, &p->cfg->min_kib);
}

static int parse_memtune(struct xlite_parse *p, xmlNode *node)
{
	static const struct xlite_elem_rule rules[] = {
		{ "min_guarantee", XLITE_ELEM_PARSE, parse_min_guarantee, true, NULL },
		{ "hard_limit", XLITE_ELEM_IGNORED, NULL, false,
		  "xlite bounds memory with <memory> and <memtune><min_guarantee>" },
		{ "soft_limit", XLITE_ELEM_IGNORED, NULL, false,
		  "xlite bounds memory with <memory> and <memtune><min_guarantee>" },
		{ "swap_hard_limit", XLITE_ELEM_IGNORED, NULL, false,
		  "Xen guests do not swap to the host" },
	};

	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
}

/* A pin at the end of the config's list; the pin itself is filled by the caller. */
static struct xlite_vcpupin *add_pin(struct xlite_parse *p, xmlNode *node)
{
	struct xlite_config *cfg = p->cfg;
	struct xlite_vcpupin *pins;

	if (cfg->n_pins >= XLITE_MAX_VCPUPINS) {
		xlite_parse_error(p, node, "more than %d vCPU pins, expected at most %d",
				  XLITE_MAX_VCPUPINS, XLITE_MAX_VCPUPINS);
		return NULL;
	}
	pins = g_renew(struct xlite_vcpupin, cfg->pins, cfg->n_pins + 1);
	cfg->pins = pins;
	memset(&pins[cfg->n_pins], 0, sizeof(pins[0]));
	pins[cfg->n_pins].line = xlite_parse_line(node);
	return &pins[cfg->n_pins++];
}

static int parse_cpuset(struct xlite_parse *p, xmlNode *node, const char *s,
			struct xlite_cpuset *set)
{
	int rc = xlite_cpuset_parse(s, set);

	if (rc == -ERANGE)
		return xlite_parse_error(p, node,
			"<%s cpuset='%s'> names a CPU of %d or more, expected CPU numbers below %d",
			(const char *)node->name, s, XLITE_MAX_PCPUS, XLITE_MAX_PCPUS);
	if (rc < 0)
		return xlite_parse_error(p, node,
			"<%s cpuset='%s'>, expected CPU numbers and ranges such as 0-3,^2,6",
			(const char *)node->name, s);
	return 0;
}

static int parse_vcpu(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "current", "placement", "cpuset", NULL };
	static const char vcpus[] = "a number from 1 to " STR(XLITE_MAX_VCPUS);
	char *cur = xlite_parse_attr(node, "current");
	char *placement = xlite_parse_attr(node, "placement");
	char *cpuset = xlite_parse_attr(node, "cpuset");
	char *s = NULL;
	int rc;

	p->vcpu_line = xlite_parse_line(node);
	xlite_parse_attrs(p, node, known);
	rc = xlite_parse_text(p, node, true, &s);
	if (rc < 0)
		goto out;
	rc = parse_uint(p, node, "", s, 1, XLITE_MAX_VCPUS, vcpus, &p->cfg->max_vcpus);
	if (rc < 0)
		goto out;
	p->cfg->cur_vcpus = p->cfg->max_vcpus;
	if (cur) {
		rc = parse_uint(p, node, " current=...", cur, 1, XLITE_MAX_VCPUS, vcpus,
				&p->cfg->cur_vcpus);
		if (rc < 0)
			goto out;
	}
	if (placement && strcmp(placement, "static") != 0)
		xlite_parse_warn(p, node, "vcpu placement '%s' ignored: Xen places vCPUs",
				 placement);
	if (cpuset) {
		struct xlite_vcpupin *pin = add_pin(p, node);

		rc = pin ? parse_cpuset(p, node, cpuset, &pin->cpus) : -EINVAL;
		if (pin)
			pin->all = true;
	}
out:
	g_free(cur);
	g_free(placement);
	g_free(cpuset);
	g_free(s);
	return rc;
}

static int parse_shares(struct xlite_parse *p, xmlNode *node)
{
	return parse_uint_elem(p, node, 1, XLITE_WEIGHT_MAX,
		"a credit scheduler weight from 1 to " STR(XLITE_WEIGHT_MAX) " (default 256)",
		&p->cfg->weight);
}

/* libvirt has no spelling for the credit cap (its libxl driver only sets it
 * through virDomainSetSchedulerParameters): <cap> is an xlite extension. */
static int parse_cap(struct xlite_parse *p, xmlNode *node)
{
	p->cap_line = xlite_parse_line(node);
	return parse_uint_elem(p, node, 0, 100 * XLITE_MAX_VCPUS,
		"a percentage of one CPU (0 = no cap, 100 = one full CPU)", &p->cfg->cap);
}

/* <vcpupin vcpu='N' cpuset='0-1'/>; N is checked against <vcpu> at the end. */
static int parse_vcpupin(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "vcpu", "cpuset", NULL };
	char *vcpu = xlite_parse_attr(node, "vcpu");
	char *cpuset = xlite_parse_attr(node, "cpuset");
	struct xlite_vcpupin *pin;
	int rc;

	xlite_parse_attrs(p, node, known);
	if (!vcpu || !cpuset) {
		rc = xlite_parse_error(p, node,
			"<vcpupin> needs vcpu='N' and cpuset='CPUS', e.g. <vcpupin vcpu='0' cpuset='1-2'/>");
		goto out;
	}
	pin = add_pin(p, node);
	if (!pin) {
		rc = -EINVAL;
		goto out;
	}
	rc = parse_uint(p, node, " vcpu=...", vcpu, 0, XLITE_MAX_VCPUS - 1,
			"a vCPU number from 0", &pin->vcpu);
	if (rc == 0)
		rc = parse_cpuset(p, node, cpuset, &pin->cpus);
out:
	g_free(vcpu);
	g_free(cpuset);
	return rc;
}

static int parse_cputune(struct xlite_parse *p, xmlNode *node)
{
	static const struct xlite_elem_rule rules[] = {
		{ "shares", XLITE_ELEM_PARSE, parse_shares, true, NULL },
		{ "cap", XLITE_ELEM_PARSE, parse_cap, true, NULL },
		{ "vcpupin", XLITE_ELEM_PARSE, parse_vcpupin, false, NULL },
		{ "emulatorpin", XLITE_ELEM_IGNORED, NULL, false, "PV guests have no emulator" },
		{ "period", XLITE_ELEM_IGNORED, NULL, false,
		  "the credit scheduler has no period; use <cap> (percent of one CPU)" },
		{ "quota", XLITE_ELEM_IGNORED, NULL, false,
		  "the credit scheduler has no quota; use <cap> (percent of one CPU)" },
	};

	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
}

static int parse_lifecycle(struct xlite_parse *p, xmlNode *node)
{
	const char *which = (const char *)node->name;
	enum xlite_action a;
	char *s = NULL;
	int rc;

	rc = xlite_parse_text_elem(p, node, true, &s);
	if (rc < 0)
		return rc;
	if (xlite_action_parse(s, &a) < 0) {
		rc = xlite_parse_error(p, node,
			"<%s> '%s', expected destroy, restart, preserve, rename-restart, coredump-destroy or coredump-restart",
			which, s);
	} else if (strcmp(which, "on_poweroff") == 0) {
		p->cfg->on_poweroff = a;
	} else if (strcmp(which, "on_reboot") == 0) {
		p->cfg->on_reboot = a;
	} else {
		p->cfg->on_crash = a;
	}
	g_free(s);
	return rc;
}

static int parse_clock(struct xlite_parse *p, xmlNode *node)
{
	static const char *const known[] = { "offset", "adjustment", "basis", NULL };
	char *offset = xlite_parse_attr(node, "offset");

	xlite_parse_attrs(p, node, known);
	if (offset && strcmp(offset, "utc") != 0)
		xlite_parse_warn(p, node,
			"<clock offset='%s'> ignored: PV guests keep UTC from Xen", offset);
	g_free(offset);
	return 0;
}

/* <features><xen><e820_host state='on'/><passthrough state='on'/></xen>.
 * e820_host: libxl gives such a PV guest a copy of the host's E820
 * reshaped around its RAM (e820_sanitize), so that a guest's kernel keeps
 * off the host's reserved and ACPI ranges (what passed-through PCI devices
 * and some drivers need); a PV setting, settled in xlite_parse_finish once
 * the guest's type is known. */
static int parse_features_xen(struct xlite_parse *p, xmlNode *node)
{
	xmlNode *c;

	xlite_parse_attrs(p, node, no_attrs);
	for (c = node->children; c; c = c->next) {
		const char *name = (const char *)c->name;
		g_autofree char *state = NULL;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		state = xlite_parse_attr(c, "state");
		if (state && strcmp(state, "off") == 0)
			continue;	/* off is what xlite does */
		if (strcmp(name, "e820_host") == 0) {
			if (state && strcmp(state, "on") != 0)
				return xlite_parse_error(p, c,
					"<e820_host state='%s'>: expected state='on' or 'off'", state);
			p->cfg->e820_host = true;
			p->e820_line = xlite_parse_line(c);
		} else if (strcmp(name, "passthrough") == 0)
			xlite_parse_warn(p, c,
				"<passthrough> ignored: xlite does not offer PCI passthrough, so the domain gets no IOMMU context");
		else
			xlite_parse_warn(p, c, "<features><xen><%s> ignored: not supported by xlite",
					 name);
	}
	return 0;
}

/* <features>: the HVM switches mean nothing to a PV guest; <xen> holds the
 * PV ones. */
static int parse_features(struct xlite_parse *p, xmlNode *node)
{
	static const char hvm[] = "it is a switch of HVM guests' emulated platform; a PV guest has none";
	static const struct xlite_elem_rule rules[] = {
		{ "xen", XLITE_ELEM_PARSE, parse_features_xen, true, NULL },
		{ "acpi", XLITE_ELEM_IGNORED, NULL, false, hvm },
		{ "apic", XLITE_ELEM_IGNORED, NULL, false, hvm },
		{ "pae", XLITE_ELEM_IGNORED, NULL, false,
		  "64-bit PV guests always run with PAE paging" },
		{ "hap", XLITE_ELEM_IGNORED, NULL, false, "PV guests use no hardware paging" },
		{ "viridian", XLITE_ELEM_IGNORED, NULL, false, hvm },
		{ "hyperv", XLITE_ELEM_IGNORED, NULL, false, hvm },
		{ "vmport", XLITE_ELEM_IGNORED, NULL, false, hvm },
	};

	xlite_parse_attrs(p, node, no_attrs);
	return xlite_parse_children(p, node, rules, sizeof(rules) / sizeof(rules[0]));
}

static int parse_domain_children(struct xlite_parse *p, xmlNode *root)
{
	static const char nope[] = "not supported by xlite";
	static const struct xlite_elem_rule rules[] = {
		{ "name", XLITE_ELEM_PARSE, parse_name, true, NULL },
		{ "uuid", XLITE_ELEM_PARSE, parse_uuid, true, NULL },
		{ "title", XLITE_ELEM_SILENT, NULL, true, NULL },
		{ "description", XLITE_ELEM_SILENT, NULL, true, NULL },
		{ "metadata", XLITE_ELEM_SILENT, NULL, true, NULL },
		{ "memory", XLITE_ELEM_PARSE, parse_memory, true, NULL },
		{ "currentMemory", XLITE_ELEM_PARSE, parse_current, true, NULL },
		{ "maxMemory", XLITE_ELEM_PARSE, parse_maxmem, true, NULL },
		{ "memtune", XLITE_ELEM_PARSE, parse_memtune, true, NULL },
		{ "vcpu", XLITE_ELEM_PARSE, parse_vcpu, true, NULL },
		{ "cputune", XLITE_ELEM_PARSE, parse_cputune, true, NULL },
		{ "os", XLITE_ELEM_PARSE, xlite_parse_os, true, NULL },
		{ "on_poweroff", XLITE_ELEM_PARSE, parse_lifecycle, true, NULL },
		{ "on_reboot", XLITE_ELEM_PARSE, parse_lifecycle, true, NULL },
		{ "on_crash", XLITE_ELEM_PARSE, parse_lifecycle, true, NULL },
		{ "clock", XLITE_ELEM_PARSE, parse_clock, true, NULL },
		{ "devices", XLITE_ELEM_PARSE, xlite_parse_devices, true, NULL },
		{ "bootloader", XLITE_ELEM_PARSE, xlite_parse_bootloader, true, NULL },
		{ "bootloader_args", XLITE_ELEM_PARSE, xlite_parse_bootloader_args, true, NULL },
		{ "vcpus", XLITE_ELEM_IGNORED, NULL, false, "per-vCPU settings are not supported" },
		{ "features", XLITE_ELEM_PARSE, parse_features, true, NULL },
		{ "cpu", XLITE_ELEM_IGNORED, NULL, false, "PV guests see the host CPU as Xen presents it" },
		{ "on_lockfailure", XLITE_ELEM_IGNORED, NULL, false, "there is no lock manager" },
		{ "pm", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "numatune", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "blkiotune", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "memoryBacking", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "resource", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "seclabel", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "sysinfo", XLITE_ELEM_IGNORED, NULL, false, nope },
		{ "iothreads", XLITE_ELEM_IGNORED, NULL, false, nope },
	};
	return xlite_parse_children(p, root, rules, sizeof(rules) / sizeof(rules[0]));
}

int xlite_parse_domain(struct xlite_parse *p, xmlNode *root)
{
	static const char *const known[] = { "type", "id", NULL };
	char *type = xlite_parse_attr(root, "type");
	int rc;

	p->domain_line = xlite_parse_line(root);
	xlite_parse_attrs(p, root, known);
	if (!type)
		rc = xlite_parse_error(p, root, "<domain> has no type, expected <domain type='xen'>");
	else if (strcmp(type, "xen") != 0)
		rc = xlite_parse_error(p, root,
			"domain type '%s' is not supported, expected type='xen' (xlite runs Xen PV guests)",
			type);
	else
		rc = parse_domain_children(p, root);
	g_free(type);
	return rc;
}
