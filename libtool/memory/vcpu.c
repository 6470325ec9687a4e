/* vCPU hotplug of a PV guest: the availability nodes Linux watches. */
#include <errno.h>

#include <glib.h>

#include "libtool/util/fail.h"
#include "libtool/memory/memory.h"

int xlite_vcpu_set_online(struct xlite_hv *hv, uint32_t domid, unsigned int count,
			  char **err)
{
	struct xlite_dominfo info;
	unsigned int i, max;
	int rc;

	rc = hv->ops->domain_info(hv, domid, &info);
	if (rc < 0)
		return xlite_fail(err, rc, "%s", xlite_hv_error(hv));
	max = info.max_vcpu_id + 1;
	if (count < 1 || count > max)
		return xlite_fail(err, -EINVAL,
				  "domain %u has %u vCPUs at most: %u online cannot be, expected 1 to %u",
				  domid, max, count, max);
	for (i = 0; i < max; i++) {
		g_autofree char *path = g_strdup_printf("/local/domain/%u/cpu/%u/availability",
							domid, i);

		rc = hv->ops->xs_write(hv, path, i < count ? "online" : "offline");
		if (rc < 0)
			return xlite_fail(err, rc, "writing %s: %s", path, xlite_hv_error(hv));
	}
	return 0;
}
