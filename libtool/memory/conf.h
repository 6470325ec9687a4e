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
 * Sizes as the rest of the file: bytes, or a number with K, M, G or T.
 * The file is read by the host configuration's loader
 * (libtool/util/hostconf.[ch]); this is the memory code's view of it. */
#ifndef XLITE_MEMORY_CONF_H
#define XLITE_MEMORY_CONF_H

#include <stdint.h>

#include "libtool/util/hostconf.h"

#define XLITE_MEMCONF_FILE XLITE_HOSTCONF_FILE

struct xlite_memconf {
	uint64_t dom0_reserve_kib;
	unsigned int interval_s;
	uint64_t headroom_kib;
	uint64_t step_limit_kib;
	uint64_t hysteresis_kib;
};

void xlite_memconf_init(struct xlite_memconf *mc);
/* Reads FILE (every group, as xlite_hostconf_load) into MC: defaults for
 * what it does not set. A missing file: 0. An unknown group or key, or a
 * bad value: -EINVAL with *err "FILE: [memory] KEY: 'VALUE' is not ...";
 * MC is then unchanged. */
int xlite_memconf_load(struct xlite_memconf *mc, const char *file, char **err);

#endif
