/* xlite memory of running domains (issue 10): each domain's guaranteed
 * minimum, balloon target, actual allocation and maximum, read from Xen
 * and xenstore and changed as libxl changes them; the checks that keep
 * min <= target <= max; the balancer's pure policy (balance.h).
 *
 * Where the figures live (KiB):
 *   min     /local/domain/D/xlite/memory-min   xlite's own (create writes it)
 *   target  /local/domain/D/memory/target      the balloon driver follows it
 *   max     /local/domain/D/memory/static-max
 *   actual  the pages Xen says the domain holds (xc_domain_getinfolist)
 * A domain made by another toolstack has no memory-min: its minimum is 0
 * and min_known is false. */
#ifndef XLITE_MEMORY_H
#define XLITE_MEMORY_H

#include <stdbool.h>
#include <stdint.h>

#include "libtool/hv/hv.h"

/* libxl's LIBXL_MAXMEM_CONSTANT: Xen's limit is the target plus this slack. */
#define XLITE_MAXMEM_SLACK_KIB 1024

/* A size as xl takes it: a whole number with an optional suffix b, k, m,
 * g or t (either case; none: MiB), into KiB (bytes rounded up). 0, or
 * -EINVAL (malformed) / -ERANGE (above 16 TiB or zero). */
int xlite_mem_size_parse(const char *s, uint64_t *kib);

/* "256 MiB" when KIB is whole MiB, else "1000 KiB"; returns BUF. */
const char *xlite_mem_size_str(uint64_t kib, char buf[32]);

struct xlite_mem_dom {
	uint32_t domid;
	uint64_t min_kib, target_kib, actual_kib, max_kib;
	bool min_known;		/* xlite/memory-min present */
	bool target_known;	/* memory/target present */
	bool max_known;		/* memory/static-max present */
	bool hvm;		/* an HVM container (PVH): it may use populate-on-demand */
};

/* Reads DOMID's figures. 0, -ESRCH (no such domain), or -errno with *err. */
int xlite_mem_dom_read(struct xlite_hv *hv, uint32_t domid, struct xlite_mem_dom *d,
		       char **err);

/* Pure: 0 when MIN <= TARGET <= MAX; else -ERANGE with *err naming the
 * rule, WHAT (the value being changed: "target", "max" or "min") and
 * the three figures. */
int xlite_mem_check_order(const char *what, uint64_t min, uint64_t target, uint64_t max,
			  char **err);

/* The changes, each checked against the domain's other two figures first
 * (-ERANGE, nothing changed):
 *   target: Xen's limit to TARGET + slack (libxl's mem-set with enforce),
 *           then memory/target;
 *   max:    memory/static-max, then Xen's limit to MAX + slack (libxl's
 *           mem-max);
 *   min:    xlite/memory-min. */
int xlite_mem_set_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);
int xlite_mem_set_max(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);
int xlite_mem_set_min(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);
/* The target change alone, for callers that checked the bounds (the
 * balancer): Xen's limit, then memory/target. */
int xlite_mem_apply_target(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);

/* vCPUs brought online in a PV guest: cpu/N/availability "online" for N <
 * COUNT, "offline" for the others up to the domain's maximum (libxl's
 * libxl_set_vcpuonline). -EINVAL with *err when COUNT is 0 or above it. */
int xlite_vcpu_set_online(struct xlite_hv *hv, uint32_t domid, unsigned int count,
			  char **err);

#endif
