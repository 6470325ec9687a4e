/* xlited's sampler (issue 12): every [daemon] sample-interval seconds a
 * thread of its own reads each domain's CPU time, memory figures, vCPUs
 * and blkback/netback counters, and the host's CPU and memory; it keeps
 * an hour of them in ring buffers (memory bounded: see
 * xlited_history_bytes) for /api/v1/history and the web console's
 * charts, and sends each round to the SSE clients as a `sample` event. */
#ifndef XLITED_SAMPLE_H
#define XLITED_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/report/report.h"
#include "libtool/util/json.h"

/* History kept, seconds. */
#define XLITED_HISTORY_S 3600
/* Domains with history at most; more are sampled for the SSE event but
 * keep none (a warning says so once). */
#define XLITED_HISTORY_MAX_DOMS 256

/* ---- a ring of fixed-size records (pure) ---- */
struct xlited_ring {
	guint8 *buf;
	size_t elem, cap;
	size_t head;	/* where the next record goes */
	size_t len;
};
void xlited_ring_init(struct xlited_ring *r, size_t elem, size_t cap);
void xlited_ring_dispose(struct xlited_ring *r);
/* Adds REC, dropping the oldest when full. */
void xlited_ring_push(struct xlited_ring *r, const void *rec);
/* The I-th record, 0 the oldest; NULL past the end. */
const void *xlited_ring_at(const struct xlited_ring *r, size_t i);

/* ---- rates (pure) ---- */
/* Records per ring for INTERVAL_S: an hour and the current one. */
size_t xlited_history_len(unsigned int interval_s);
/* The most memory the history can take for INTERVAL_S, bytes. */
size_t xlited_history_bytes(unsigned int interval_s);

/* ---- one domain's record ---- */
struct xlited_dom_sample {
	int64_t t_ms;			/* Unix time, ms */
	double cpu_pct;			/* -1: unknown (first record) */
	uint64_t min_kib, target_kib, actual_kib, max_kib;
	int64_t demand_kib;		/* -1: no report */
	unsigned int vcpus;
	char state[7];
	/* bytes/s and requests/s; the vif's rx is what the guest sent */
	double rd_bps, wr_bps, rd_iops, wr_iops, rx_bps, tx_bps;
};
struct xlited_host_sample {
	int64_t t_ms;
	double cpu_pct;			/* all domains' CPU over all CPUs, 0-100 */
	unsigned int nr_cpus, domains;
	uint64_t total_kib, free_kib;
};
/* Rates of NOW against PREV's counters over DT_S (pure). */
void xlited_dom_rates(struct xlited_dom_sample *s, uint64_t prev_cpu_ns, uint64_t cpu_ns,
		      const struct xlite_io *prev, const struct xlite_io *now, double dt_s);
void xlited_dom_sample_json(XliteJson *b, const struct xlited_dom_sample *s);
void xlited_host_sample_json(XliteJson *b, const struct xlited_host_sample *s);

/* ---- the sampler ---- */
struct xlited;
struct xlited_sampler;
/* Starts the thread (own hypervisor handles). 0, or -errno with *err. */
int xlited_sampler_start(struct xlited *d, unsigned int interval_s, char **err);
void xlited_sampler_stop(struct xlited *d);
/* JSON arrays of records newer than SINCE_MS (0: all): the host's, or
 * those of domain SPEC (a name or an id). 0, or -ESRCH (no history for
 * SPEC), -EAGAIN (no sampler). *json g_free. */
int xlited_history_host(struct xlited *d, int64_t since_ms, char **json);
int xlited_history_domain(struct xlited *d, const char *spec, int64_t since_ms, char **json);

#endif
