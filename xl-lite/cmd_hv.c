/* What the Xen commands share: opening the hypervisor, naming a domain. */
#include <execinfo.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "libtool/device/device.h"
#include "libtool/apply/domain.h"
#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"

/* A crash prints its stack (addresses for addr2line). */
static void on_crash(int sig)
{
	void *frames[64];
	int n = backtrace(frames, 64);

	backtrace_symbols_fd(frames, n, STDERR_FILENO);
	signal(sig, SIG_DFL);
	raise(sig);
}

int xlite_cli_hv_open(struct xlite_hv *hv, unsigned int flags)
{
	int rc;

	signal(SIGSEGV, on_crash);
	signal(SIGABRT, on_crash);
	rc = xlite_hv_xen_open(hv, flags);

#ifdef XLITE_TEST_HOOKS
	/* Lab tests of rollback: a --enable-test-hooks build only. */
	if (rc == 0) {
		const char *fault = getenv("XLITE_FAULT");

		if (fault && *fault)
			rc = xlite_hv_fault_wrap(hv, fault);
	}
#endif

	if (rc < 0) {
		xlite_err("%s", xlite_hv_error(hv));
		xlite_hv_dispose(hv);
	}
	return rc;
}

int xlite_cli_hv_result(struct xlite_hv *hv, int rc)
{
	if (rc < 0)
		xlite_err("%s", xlite_hv_error(hv));
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
