/* What the Xen commands share: opening the hypervisor, naming a domain. */
#include <stdlib.h>

#include "libtool/device.h"
#include "libtool/domain.h"
#include "libtool/hv.h"
#include "xl-lite/xlite.h"

int xlite_cli_hv_open(struct xlite_hv *hv, unsigned int flags)
{
	const char *fault = getenv("XLITE_FAULT");	/* lab tests of rollback */
	int rc = xlite_hv_xen_open(hv, flags);

	if (rc == 0 && fault && *fault)
		rc = xlite_hv_fault_wrap(hv, fault);

	if (rc < 0) {
		xlite_err("%s", xlite_hv_error(hv));
		xlite_hv_dispose(hv);
	}
	return rc;
}

int xlite_cli_resolve(struct xlite_hv *hv, const char *spec, uint32_t *domid)
{
	char *err = NULL;
	int rc = xlite_domain_resolve(hv, spec, domid, &err);

	if (rc < 0) {
		xlite_err("%s", err);
		g_free(err);
	}
	return rc;
}
