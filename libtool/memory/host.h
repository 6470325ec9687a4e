/* The host's memory as the balancer and admission see it: Xen's totals,
 * dom0 and its reserve, and every guest's figures with its agent's demand
 * (read from the guest's own data/ area: hostile, so bounded, strictly
 * parsed and clamped). Reading is I/O; deciding is balance.c's and the
 * pure xlite_mem_admit(). */
#ifndef XLITE_MEMORY_HOST_H
#define XLITE_MEMORY_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/memory/balance.h"
#include "libtool/memory/conf.h"

struct xlite_mem_host {
	uint64_t total_kib, free_kib, xen_kib;	/* xen: neither free nor a domain's */
	uint64_t dom0_kib, dom0_reserve_kib;
	uint64_t capacity_kib;			/* xlite_bal_capacity() */
	struct xlite_bal_dom *doms;		/* guests (not dom0), ascending ids */
	size_t n;
	uint64_t sum_min, sum_target, sum_actual, sum_max;	/* guests, KiB */
	uint64_t sum_guaranteed;	/* xlite's guests' min, others' target */
};

void xlite_mem_host_init(struct xlite_mem_host *h);
void xlite_mem_host_dispose(struct xlite_mem_host *h);
/* Reads everything. 0 or -errno with *err. A guest whose figures cannot be
 * read (it went away meanwhile) is left out. */
int xlite_mem_host_read(struct xlite_hv *hv, const struct xlite_memconf *mc,
			struct xlite_mem_host *h, char **err);

/* The agent's report (pv-drivers/core/agent.h) of DOMID as a demand in KiB:
 * what the domain holds (ACTUAL_KIB, from Xen) less the guest's
 * MemAvailable, clamped to [0, MAX_KIB]: the guest's own MemTotal is ~56
 * MiB short of its allocation (kernel, page tables), so demand + headroom
 * as a target leaves the guest the headroom available. false when absent
 * or not sane (not plain numbers, available > total, total beyond 2 * max). */
bool xlite_mem_read_demand(struct xlite_hv *hv, uint32_t domid, uint64_t actual_kib,
			   uint64_t max_kib, uint64_t *demand_kib, uint64_t *seq);

/* Pure: may a new domain with guaranteed minimum NEW_MIN and boot target
 * NEW_TARGET start on H? 0 when it may: OUT (H->n entries) holds the
 * others' targets, lowered toward their minimums when its boot target is
 * not free (*squeeze true then). -ENOSPC with *err giving the figures when
 * the minimums would not fit beside dom0's reserve, or when squeezing
 * every guest to its minimum would not make room. */
int xlite_mem_admit(const struct xlite_mem_host *h, const char *name, uint64_t new_min,
		    uint64_t new_target, struct xlite_bal_out *out, bool *squeeze, char **err);

/* Pure: may DOMID's guaranteed minimum become NEW_MIN? 0, or -ENOSPC with
 * *err giving the figures when the minimums would no longer fit beside
 * dom0's reserve. */
int xlite_mem_admit_min(const struct xlite_mem_host *h, uint32_t domid, const char *name,
			uint64_t new_min, char **err);

/* Admission for a create (I/O): reads the host, decides, lowers others'
 * targets when needed and waits up to TIMEOUT_MS for the memory to come
 * free. *UNDO (g_array of struct xlite_mem_undo, NULL when nothing was
 * changed) lets xlite_mem_undo() put the targets back. 0, or -ENOSPC /
 * -errno with *err; nothing is left changed on failure. */
struct xlite_mem_undo {
	uint32_t domid;
	uint64_t target_kib;
};
int xlite_mem_make_room(struct xlite_hv *hv, const struct xlite_memconf *mc, const char *name,
			uint64_t new_min, uint64_t new_target, int timeout_ms,
			GArray **undo, char **err);
void xlite_mem_undo(struct xlite_hv *hv, GArray *undo);

/* The changes an operator asks for (xlite mem-set/mem-min, xlited's PUT
 * memory), with the host's checks before memory.h's: dom0's target never
 * below its reserve ([memory] dom0-reserve in xlite.conf); a raised
 * minimum must still fit beside the others' and dom0's reserve. 0, or
 * -errno with *err saying why (nothing changed). */
int xlite_mem_host_set_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);
int xlite_mem_host_set_min(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);

#endif
