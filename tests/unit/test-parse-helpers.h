/* Shared by the parser and planner tests: parse XML text, keep warnings. */
#ifndef XLITE_TEST_PARSE_HELPERS_H
#define XLITE_TEST_PARSE_HELPERS_H

#include <string.h>

#include <glib.h>

#include "libtool/parse/config.h"

static inline void collect_warning(const char *msg, void *opaque)
{
	g_ptr_array_add(opaque, g_strdup(msg));
}

/* A valid domain around DOMAIN_EXTRA (more children of <domain>) and
 * DEVICES (children of <devices>). Line 1 is <domain>, line 2 <name>. */
static inline char *domain_xml(const char *domain_extra, const char *devices)
{
	return g_strdup_printf(
		"<domain type='xen'>\n"
		"  <name>t1</name>\n"
		"  <memory unit='MiB'>64</memory>\n"
		"  <os>\n"
		"    <type>linux</type>\n"
		"    <kernel>/k</kernel>\n"
		"  </os>\n"
		"%s"
		"  <devices>\n"
		"%s"
		"  </devices>\n"
		"</domain>\n", domain_extra ? domain_extra : "", devices ? devices : "");
}

/* Parses XML as file "t.xml"; WARNINGS (may be NULL) collects warnings. */
static inline int parse_text(struct xlite_config *cfg, const char *xml,
			     GPtrArray *warnings, char **err)
{
	return xlite_config_parse_memory(cfg, xml, strlen(xml), "t.xml",
					 warnings ? collect_warning : NULL,
					 warnings, err);
}

#endif
