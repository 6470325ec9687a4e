/* Checks that span elements, defaults, and generated values. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "libtool/util/mac.h"
#include "libtool/parse/parse.h"

static int check_memory(struct xlite_parse *p)
{
	struct xlite_config *cfg = p->cfg;

	if (!p->have_memory)
		return xlite_parse_error_at(p, p->domain_line,
			"<domain> has no <memory>, expected e.g. <memory unit='MiB'>256</memory>");
	if (cfg->memory_kib == 0)
		return xlite_parse_error_at(p, p->memory_line,
			"<memory> is 0, expected a size above 0");
	if (cfg->memory_kib > XLITE_MAX_MEMORY_KIB)
		return xlite_parse_error_at(p, p->memory_line,
			"<memory> is %llu KiB, more than 16 TiB; expected a sane size (check the unit)",
			(unsigned long long)cfg->memory_kib);
	if (!p->have_current)
		cfg->current_kib = cfg->memory_kib;
	else if (cfg->current_kib == 0)
		return xlite_parse_error_at(p, p->current_line,
			"<currentMemory> is 0, expected a size above 0");
	else if (cfg->current_kib > cfg->memory_kib)
		return xlite_parse_error_at(p, p->current_line,
			"<currentMemory> (%llu KiB) is larger than <memory> (%llu KiB), expected at most <memory>",
			(unsigned long long)cfg->current_kib,
			(unsigned long long)cfg->memory_kib);
	if (cfg->min_kib > cfg->current_kib)
		return xlite_parse_error_at(p, p->min_line,
			"<min_guarantee> (%llu KiB) is larger than <currentMemory> (%llu KiB), expected at most <currentMemory>",
			(unsigned long long)cfg->min_kib,
			(unsigned long long)cfg->current_kib);
	return 0;
}

static int check_vcpus(struct xlite_parse *p)
{
	struct xlite_config *cfg = p->cfg;

	if (cfg->cur_vcpus > cfg->max_vcpus)
		return xlite_parse_error_at(p, p->vcpu_line,
			"<vcpu current='%u'> is more than the %u vCPUs given, expected at most %u",
			cfg->cur_vcpus, cfg->max_vcpus, cfg->max_vcpus);
	if (cfg->cap > 100 * cfg->max_vcpus)
		return xlite_parse_error_at(p, p->cap_line,
			"<cap> %u%% is more than %u vCPUs can use, expected at most %u",
			cfg->cap, cfg->max_vcpus, 100 * cfg->max_vcpus);
	return 0;
}

static int pin_order(const void *a, const void *b)
{
	const struct xlite_vcpupin *x = a, *y = b;

	if (x->all != y->all)
		return x->all ? -1 : 1;
	return x->vcpu < y->vcpu ? -1 : x->vcpu > y->vcpu;
}

/* The <vcpu cpuset> pin first, then one per vCPU in order, each naming a
 * vCPU the domain has. */
static int check_pins(struct xlite_parse *p)
{
	struct xlite_config *cfg = p->cfg;
	size_t i;

	for (i = 0; i < cfg->n_pins; i++)
		if (!cfg->pins[i].all && cfg->pins[i].vcpu >= cfg->max_vcpus)
			return xlite_parse_error_at(p, cfg->pins[i].line,
				"<vcpupin vcpu='%u'> names a vCPU the domain does not have, expected 0 to %u",
				cfg->pins[i].vcpu, cfg->max_vcpus - 1);
	if (cfg->n_pins > 1)
		qsort(cfg->pins, cfg->n_pins, sizeof(cfg->pins[0]), pin_order);
	for (i = 1; i < cfg->n_pins; i++)
		if (!cfg->pins[i].all && cfg->pins[i].vcpu == cfg->pins[i - 1].vcpu &&
		    !cfg->pins[i - 1].all)
			return xlite_parse_error_at(p, cfg->pins[i].line,
				"<vcpupin vcpu='%u'> pins vCPU %u a second time (line %d), expected one pin per vCPU",
				cfg->pins[i].vcpu, cfg->pins[i].vcpu, cfg->pins[i - 1].line);
	return 0;
}

static int finish_nics(struct xlite_parse *p)
{
	struct xlite_config *cfg = p->cfg;
	size_t i, j;

	for (i = 0; i < cfg->n_nics; i++)
		if (!cfg->nics[i].mac_given)
			xlite_mac_generate(cfg->uuid, (unsigned int)i, cfg->nics[i].mac);
	for (i = 0; i < cfg->n_nics; i++) {
		for (j = 0; j < i; j++) {
			char mac[XLITE_MAC_STRLEN];

			if (memcmp(cfg->nics[i].mac, cfg->nics[j].mac, 6) != 0)
				continue;
			xlite_mac_format(cfg->nics[i].mac, mac);
			return xlite_parse_error_at(p, cfg->nics[i].line,
				"MAC address %s is already used by the interface at line %d, expected a distinct address",
				mac, cfg->nics[j].line);
		}
	}
	return 0;
}

int xlite_parse_finish(struct xlite_parse *p)
{
	struct xlite_config *cfg = p->cfg;
	int rc;

	if (!cfg->name)
		return xlite_parse_error_at(p, p->domain_line,
			"<domain> has no <name>, expected e.g. <name>web</name>");
	rc = check_memory(p);
	if (rc < 0)
		return rc;
	rc = check_vcpus(p);
	if (rc < 0)
		return rc;
	rc = check_pins(p);
	if (rc < 0)
		return rc;
	if (!p->os_line)
		return xlite_parse_error_at(p, p->domain_line,
			"<domain> has no <os>, expected <os><type>linux</type><kernel>/path/to/vmlinuz</kernel></os> (or <os><type>linux</type></os> to boot from its disk)");
	if (!p->have_type)
		return xlite_parse_error_at(p, p->os_line,
			"<os> has no <type>, expected <type>linux</type> (a PV guest)");
	rc = xlite_parse_boot(p);
	if (rc < 0)
		return rc;
	/* A PVH guest below its <memory> starts in populate-on-demand mode
	 * (libxl's, the plan says so). e820_host is a PV setting: xl reads it
	 * for PV guests only, and a PVH guest's map is its own. */
	if (strcmp(cfg->os_type, "xenpvh") == 0 && cfg->e820_host) {
		xlite_parse_warn_at(p, p->e820_line,
			"<e820_host> ignored: the host's E820 is given to PV guests only (as xl does); a PVH guest gets its own memory map");
		cfg->e820_host = false;
	}
	if (!cfg->uuid_given) {
		rc = xlite_uuid_generate(cfg->uuid);
		if (rc < 0)
			return xlite_parse_error_at(p, p->domain_line,
				"cannot generate a uuid: %s", strerror(-rc));
	}
	return finish_nics(p);
}
