/* The real hypervisor's memory-layout ops (issue 13): populate-on-demand
 * of HVM containers, the host's E820 and a PV domain's memory map. */
#include <errno.h>
#include <string.h>

#include "libtool/hv/xen.h"

int xlite_hvx_domain_pod_target(struct xlite_hv *hv, uint32_t domid, uint64_t pages)
{
	struct xlite_hv_xen *x = hv->priv;

	if (xc_domain_set_pod_target(x->xch, domid, pages, NULL, NULL, NULL) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_set_pod_target");
	return 0;
}

int xlite_hvx_domain_pod_info(struct xlite_hv *hv, uint32_t domid, struct xlite_pod *pod)
{
	struct xlite_hv_xen *x = hv->priv;

	memset(pod, 0, sizeof(*pod));
	if (xc_domain_get_pod_target(x->xch, domid, &pod->tot_pages, &pod->cache_pages,
				     &pod->entries) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_get_pod_target");
	return 0;
}

int xlite_hvx_machine_memory_map(struct xlite_hv *hv, struct xlite_e820 *map, unsigned int max,
				 unsigned int *n)
{
	struct xlite_hv_xen *x = hv->priv;
	struct e820entry raw[E820MAX];
	unsigned int i;
	int rc;

	*n = 0;
	rc = xc_get_machine_memory_map(x->xch, raw, E820MAX);
	if (rc < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_get_machine_memory_map");
	if ((unsigned int)rc > max || rc > E820MAX)
		return xlite_hv_fail(hv, -E2BIG, "xc_get_machine_memory_map: %d entries, "
				     "more than %u", rc, max);
	for (i = 0; i < (unsigned int)rc; i++) {
		map[i].addr = raw[i].addr;
		map[i].size = raw[i].size;
		map[i].type = raw[i].type;
	}
	*n = (unsigned int)rc;
	return 0;
}

int xlite_hvx_domain_memory_map(struct xlite_hv *hv, uint32_t domid,
				const struct xlite_e820 *map, unsigned int n)
{
	struct xlite_hv_xen *x = hv->priv;
	struct e820entry raw[E820MAX];
	unsigned int i;

	if (n == 0 || n > E820MAX)
		return xlite_hv_fail(hv, -EINVAL, "a memory map of %u entries (1 to %d)", n,
				     E820MAX);
	for (i = 0; i < n; i++) {
		raw[i].addr = map[i].addr;
		raw[i].size = map[i].size;
		raw[i].type = map[i].type;
	}
	if (xc_domain_set_memory_map(x->xch, domid, raw, n) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_set_memory_map");
	return 0;
}
