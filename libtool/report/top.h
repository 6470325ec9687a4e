/* `xlite top`: the live table of every domain, as xentop shows it (name,
 * id, state, CPU, memory min/target/actual/max, vCPUs, network and disk
 * counters), read from the hypervisor, xenstore and dom0's sysfs, sorted
 * and laid out here; the command only draws it and reads keys. */
#ifndef XLITE_REPORT_TOP_H
#define XLITE_REPORT_TOP_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/report/report.h"

struct xlite_top_row {
	char name[64];
	uint32_t domid;
	char state[7];
	uint64_t cpu_ns;
	double cpu_pct;			/* -1: unknown (the first reading) */
	bool mem_known;			/* min/target/max read from xenstore */
	uint64_t min_kib, target_kib, actual_kib, max_kib;
	unsigned int vcpus;
	struct xlite_io io;
};

struct xlite_top {
	GArray *rows;			/* struct xlite_top_row */
	gint64 mono_us;			/* when read */
	unsigned int nr_cpus;
	uint64_t total_kib, free_kib;
	unsigned int xen_major, xen_minor;
	char xen_extra[32];
};

enum xlite_top_sort {
	XLITE_TOP_SORT_ID,
	XLITE_TOP_SORT_NAME,
	XLITE_TOP_SORT_CPU,
	XLITE_TOP_SORT_MEM,		/* actual */
	XLITE_TOP_SORT_NET,		/* bytes both ways */
	XLITE_TOP_SORT_DISK,		/* sectors both ways */
	XLITE_TOP_SORT_N,
};

void xlite_top_init(struct xlite_top *t);
void xlite_top_dispose(struct xlite_top *t);

/* Every domain now into T (its rows replaced), counters from SYSROOT ("":
 * this host); CPU % against PREV (NULL, or a reading of the same host
 * earlier: unknown for a domain it has not). 0, or -errno with hv's
 * error when Xen cannot list the domains. */
int xlite_top_read(struct xlite_hv *hv, const char *sysroot, const struct xlite_top *prev,
		   struct xlite_top *t);
/* Pure: the CPU % of each of T's rows against PREV's row of the same
 * domid (and name: an id reused is another domain) over the time between. */
void xlite_top_rates(struct xlite_top *t, const struct xlite_top *prev);
/* Pure: sorts T's rows by KEY (largest first but for id and name),
 * REVERSE turns it round; ties by id. */
void xlite_top_sort(struct xlite_top *t, enum xlite_top_sort key, bool reverse);
/* The key's name ("id", "name", "cpu", "mem", "net", "disk"); by name:
 * false when NAME is none. */
const char *xlite_top_sort_name(enum xlite_top_sort key);
bool xlite_top_sort_parse(const char *name, enum xlite_top_sort *key);
/* Pure: the table as text appended to OUT: a summary line, the header,
 * a row per domain; each line cut at WIDTH columns (0: not cut) and at
 * most HEIGHT lines (0: all). */
void xlite_top_format(GString *out, const struct xlite_top *t, enum xlite_top_sort key,
		      unsigned int width, unsigned int height);

#endif
