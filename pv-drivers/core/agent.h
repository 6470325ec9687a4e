/* pv-drivers core: the guest agent's report, written to the guest's own
 * xenstore area for dom0's memory balancer. All values in KiB.
 *
 *   data/meminfo_total       MemTotal
 *   data/meminfo_free        MemFree
 *   data/meminfo_available   MemAvailable (what the guest could give back)
 *   data/meminfo_swap_total  SwapTotal
 *   data/meminfo_swap_free   SwapFree
 *   data/meminfo_seq         increases with every report (agent is alive)
 *
 * All of a report is written in one transaction: a reader never sees half
 * of one. meminfo_total and meminfo_free are the names XenServer's guest
 * agent uses. */
#ifndef PVD_AGENT_H
#define PVD_AGENT_H

#include "pv-drivers/core/platform.h"

struct pvd_meminfo {
	uint64_t total_kib;
	uint64_t free_kib;
	uint64_t available_kib;
	uint64_t swap_total_kib;
	uint64_t swap_free_kib;
};

#define PVD_AGENT_DIR "data"

int pvd_agent_publish(struct pvd_platform *p, const struct pvd_meminfo *m,
		      uint64_t seq);

#endif
