/* The [memory] group of /etc/xlite/xlite.conf (see conf.h), read by the
 * host configuration's loader (libtool/util/hostconf.c). */
#include "libtool/memory/conf.h"
#include "libtool/util/hostconf.h"

static void from_hostconf(struct xlite_memconf *mc, const struct xlite_hostconf *hc)
{
	mc->dom0_reserve_kib = hc->dom0_reserve / 1024;
	mc->interval_s = hc->balancer_interval;
	mc->headroom_kib = hc->headroom / 1024;
	mc->step_limit_kib = hc->step_limit / 1024;
	mc->hysteresis_kib = hc->hysteresis / 1024;
}

void xlite_memconf_init(struct xlite_memconf *mc)
{
	struct xlite_hostconf hc;

	xlite_hostconf_init(&hc);
	from_hostconf(mc, &hc);
}

int xlite_memconf_load(struct xlite_memconf *mc, const char *file, char **err)
{
	struct xlite_hostconf hc;
	int rc;

	xlite_hostconf_init(&hc);
	rc = xlite_hostconf_load(&hc, file, err);
	if (rc == 0)
		from_hostconf(mc, &hc);
	return rc;
}
