/* The [memory] group of the host configuration, /etc/xlite/xlite.conf
 * (GKeyFile; xlite.conf(5)):
 *
 *   [memory]
 *   dom0-reserve = 512M      dom0 never goes below this, and guests'
 *                            minimums must fit beside it
 *   balancer-interval = 5    seconds between balancer passes (--watch)
 *   headroom = 64M           free memory a guest is given above its demand
 *   step-limit = 256M        most a target moves in one pass
 *   hysteresis = 16M         smaller changes are not made (no flapping)
 *
 * Sizes take a unit: K, M, G or T (powers of 1024).
 *
 * Another loader (libtool/util/hostconf.[ch], branch hooks) reads the
 * other groups of the same file; this one reads [memory] alone and
 * leaves the other groups to it. When both are merged, these keys become
 * rows of that loader's table. */
#ifndef XLITE_MEMORY_CONF_H
#define XLITE_MEMORY_CONF_H

#include <stdint.h>

#define XLITE_MEMCONF_FILE "/etc/xlite/xlite.conf"

struct xlite_memconf {
	uint64_t dom0_reserve_kib;
	unsigned int interval_s;
	uint64_t headroom_kib;
	uint64_t step_limit_kib;
	uint64_t hysteresis_kib;
};

void xlite_memconf_init(struct xlite_memconf *mc);
/* Reads FILE's [memory] group over MC. A missing file or group: 0, MC
 * unchanged. An unknown key in [memory] or a bad value: -EINVAL with *err
 * "FILE: [memory] KEY: 'VALUE' is not ..."; MC is then unchanged. */
int xlite_memconf_load(struct xlite_memconf *mc, const char *file, char **err);

#endif
