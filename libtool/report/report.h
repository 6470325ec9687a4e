/* What xlite says about the host and its domains, built once for every
 * reader: `xlite info`/`xlite list` (text and --json) and xlited's API
 * (/api/v1/host, /api/v1/domains) print the same documents. Reads only;
 * nothing here prints. */
#ifndef XLITE_REPORT_H
#define XLITE_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/memory/memory.h"
#include "libtool/util/json.h"

/* The host's facts as `xl info` names them, plus dom0_memory and issue
 * 10's memory figures, as "key : value" lines appended to TEXT and the
 * members of the JSON object JSON has open (both may not be NULL). HV
 * needs domctls only. 0, or -errno with hv's error when the hypervisor
 * cannot say. The memory figures need xenstore: when they cannot be
 * read they are left out and *warn (g_free) says why. */
int xlite_report_host(struct xlite_hv *hv, GString *text, XliteJson *json, char **warn);

/* Contention as `xlite info` shows it: the balancer's policy (headroom
 * from MC, no step limit nor hysteresis) over the host H as read by
 * xlite_mem_host_read(); *SUM its summary and *SHORTS (g_free) the names
 * of the guests it would give less than they want, comma-separated
 * (empty when none). */
struct xlite_mem_host;
struct xlite_memconf;
struct xlite_bal_summary;
void xlite_report_contention(struct xlite_hv *hv, const struct xlite_memconf *mc,
			     const struct xlite_mem_host *h, struct xlite_bal_summary *sum,
			     char **shorts);

/* "r b p s c d" as xl list shows them: the fifth letter is the shutdown
 * reason. */
void xlite_report_state_letters(const struct xlite_dominfo *d, char out[7]);

/* A domain's memory figures and its agent's demand (-1: no report). */
struct xlite_report_mem {
	struct xlite_mem_dom m;
	int64_t demand_kib;
	/* An HVM container's populate-on-demand state (PVH below its max) */
	bool pod_known;
	struct xlite_pod pod;
};

/* Reads DOMID's figures: true, or false (*err may then say why, g_free;
 * NULL when the domain has none to read). */
bool xlite_report_mem_read(struct xlite_hv *hv, uint32_t domid, struct xlite_report_mem *lm,
			   char **err);

/* One domain of `xlite list --json`: {"name", "domid", "uuid", ...,
 * "memory": {...} or null when LM is NULL}. */
void xlite_report_domain_json(XliteJson *b, const struct xlite_dominfo *d, const char *name,
			      const struct xlite_report_mem *lm);
/* A defined domain that does not run, as an object of that list:
 * {"name", "domid": null, "uuid", "mem_mb", "max_mem_mb", "vcpus",
 * "state": "shut off", "defined": true, "autostart"}. */
struct xlite_defined;
void xlite_report_defined_json(XliteJson *b, const struct xlite_defined *def);

/* The hypervisor's log as `xl dmesg` prints it (`xlite dmesg`, GET
 * /api/v1/host/dmesg), appended to OUT with a final newline; CLEAR
 * empties Xen's ring once read. 0, or -errno with hv's error and OUT as
 * it was. HV needs domctls only. */
int xlite_report_dmesg(struct xlite_hv *hv, bool clear, GString *out);

/* ---- rates (pure; io.c) ---- */
/* (NOW - PREV) / DT_S per second; -1 (unknown) when DT_S <= 0 or the
 * counter went back (a device replaced, a domain rebuilt). */
double xlite_rate(uint64_t prev, uint64_t now, double dt_s);
/* CPU time PREV_NS -> NOW_NS over DT_S as a percentage of one CPU (a busy
 * 2-vCPU guest shows 200, as xentop); -1 when unknown. */
double xlite_cpu_pct(uint64_t prev_ns, uint64_t now_ns, double dt_s);
/* ---- counters of a domain's backends ---- */
struct xlite_io {
	uint64_t rd_req, wr_req, rd_sect, wr_sect;	/* blkback, 512-byte sectors */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;	/* vifD.N, dom0's view */
	unsigned int vbds, vifs;
};
/* Sums DOMID's vbd-DOMID-* statistics under SYSROOT/sys/bus/xen-backend/
 * devices and its vifDOMID.N counters under SYSROOT/sys/class/net
 * (SYSROOT "" on a host; a directory in the tests). Unreadable files
 * count 0. */
void xlite_io_read(const char *sysroot, uint32_t domid, struct xlite_io *io);

#endif
