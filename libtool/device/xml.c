/* One <disk> or <interface> element, as block-attach and network-attach
 * take it: checked by the domain XML parser itself, as if it sat in a
 * domain's <devices>, so a hotplugged device obeys the same rules (and
 * messages) as one given at create. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"

/* Everything before the element goes on one line, so the element's line
 * numbers are its own. */
#define WRAP_HEAD "<domain type='xen'><name>hotplug</name><memory>16384</memory>" \
	"<os><type>linux</type><kernel>/hotplug</kernel></os><devices>"
#define WRAP_TAIL "</devices></domain>"

int xlite_device_xml_parse(const char *xml, size_t len, const char *name,
			   enum xlite_device_kind kind, struct xlite_config *cfg,
			   xlite_warn_fn *warn, void *opaque, char **err)
{
	const char *what = kind == XLITE_DEVICE_VBD ? "<disk>" : "<interface>";
	GString *doc = NULL;
	const char *end = xml + len, *decl;
	int rc;

	xlite_config_init(cfg);
	if (len > 64 * 1024 || memchr(xml, '\0', len)) {
		*err = g_strdup_printf("%s: not a %s element (too long, or binary)", name, what);
		return -EINVAL;
	}
	/* An XML declaration cannot sit inside <devices>: skip it. */
	while (xml < end && g_ascii_isspace(*xml))
		xml++;
	if (end - xml > 5 && strncmp(xml, "<?xml", 5) == 0) {
		decl = g_strstr_len(xml, end - xml, "?>");
		if (decl)
			xml = decl + 2;
	}
	doc = g_string_new(WRAP_HEAD);
	g_string_append_len(doc, xml, end - xml);
	g_string_append(doc, WRAP_TAIL);
	rc = xlite_config_parse_memory(cfg, doc->str, doc->len, name, warn, opaque, err);
	if (rc < 0)
		goto out;
	if (cfg->n_disks + cfg->n_nics != 1 ||
	    (kind == XLITE_DEVICE_VBD ? cfg->n_disks : cfg->n_nics) != 1) {
		*err = g_strdup_printf("%s: expected exactly one %s element", name, what);
		rc = -EINVAL;
	}
out:
	if (rc < 0)
		xlite_config_dispose(cfg);
	g_string_free(doc, TRUE);
	return rc;
}
