/* A fake hypervisor for unit tests: domains, xenstore, loop devices and
 * bridges kept in memory, with fault injection ("fail the Nth op"), so a
 * test can make every step of a create fail in turn and check that nothing
 * is left behind. */
#ifndef XLITE_HV_FAKE_H
#define XLITE_HV_FAKE_H

#include <glib.h>

#include "libtool/hv/hv.h"

struct xlite_hv_fake_dom {
	struct xlite_dominfo info;
	unsigned int n_evtchn;
	bool built, introduced;
	uint64_t maxmem_kib;
	unsigned int weight, cap;
	struct xlite_cpuset affinity[8];	/* hard affinity of vCPUs 0-7 */
	unsigned int max_grant_frames, max_evtchn_port;	/* as domain_create got them */
	/* populate-on-demand (PVH below its max): pages the build left to be
	 * populated on demand, and the last PoD target set */
	uint64_t pod_entries, pod_target_pages;
	/* domain_memory_map's map (e820_host), n_memmap 0 until one is set */
	struct xlite_e820 memmap[XLITE_E820_MAX];
	unsigned int n_memmap;
};

struct xlite_hv_fake {
	GArray *doms;			/* of struct xlite_hv_fake_dom, dom0 first */
	GTree *xs;			/* path -> value (g_strdup), sorted */
	GHashTable *loops;		/* "/dev/loopN" and "/dev/nbdN" -> backing file */
	GHashTable *bridges;		/* bridge name -> GPtrArray of ifnames */
	uint32_t next_domid;
	unsigned int next_loop;
	uint64_t host_free_kib;
	unsigned long n_ops;		/* ops called so far */
	unsigned long fail_at;		/* 0: never; N: the Nth op fails */
	const char *fail_op;		/* with fail_at: count only this op */
	unsigned long fail_op_seen;
	int fail_errno;			/* negative errno the failing op returns */
	unsigned long xs_requests;
	GPtrArray *log;			/* names of the ops called, in order */
	bool kernel_bad;		/* build_pv/_pvh fail as for a non-ELF kernel */
	GMutex mutex;			/* xlite_hv_fake_attach_locked: one op at a time */
	/* ... and threads that meet before domain_create (see hv-fake.c) */
	unsigned int rendezvous_n, rendezvous_seen, rendezvous_ms;
	GCond rendezvous;
	/* A second fault, for rollback: once the first fired, the
	 * fail2_at-th call of fail2_op fails too. */
	const char *fail2_op;
	unsigned long fail2_at, fail2_seen;
	bool fail_fired, fail2_fired;
	/* dom0's backends letting go late: a released loop device, or a vif
	 * whose domain or backend went, still shows for this many probes
	 * (loop_backing, netdev_exists); G_MAXUINT: for ever. */
	unsigned int linger_polls;
	GHashTable *lingering;		/* name -> struct xlite_hv_fake_linger */
	/* vifs beyond a bridge (vif_setup, vif_route): a routed vif is a port
	 * of the pseudo bridge XLITE_HV_FAKE_ROUTED; the kernel drops it, its
	 * name and its routes with its domain or backend. */
	GHashTable *renamed;		/* new name -> "vifD.N" */
	GPtrArray *routes;		/* "IFNAME ADDR" */
	/* Save and restore (issue 11): the guest answers control/shutdown =
	 * "suspend" at once by suspending, unless told to ignore it; a save
	 * writes a stream of save_bytes of memory (0: 256 KiB), and with
	 * save_dies the domain is destroyed half way through. */
	bool guest_ignores_suspend;
	size_t save_bytes;
	bool save_dies;
	/* A write of a built domain's memory/target moves its memory there at
	 * once (growth as far as the host has free), as its balloon would. */
	bool balloons_follow;
	/* blkback probes a vbd backend written Initialising (1) at once, to
	 * InitWait (2), unless it stalls (an unloaded xen-blkback). */
	bool blkback_stalls;
	unsigned int next_nbd;		/* nbd devices are 43:N, /dev/nbdN */
	/* Live saves (issue 11): pages dirtied in each round (0: the default). */
	long live_dirty[8];
	/* The host's E820 machine_memory_map returns: the lab's (QEMU q35,
	 * 3 GiB) unless a test sets another. */
	struct xlite_e820 host_e820[XLITE_E820_MAX];
	unsigned int n_host_e820;
	/* The hypervisor's console ring (console_read): Xen's banner first. */
	GString *console;
};

#define XLITE_HV_FAKE_ROUTED "(routed)"

/* The lab's host E820 (QEMU q35, 3 GiB, as Xen prints it at boot): what
 * machine_memory_map returns unless a test sets another. */
#define XLITE_HV_FAKE_LAB_E820_N 10
extern const struct xlite_e820 xlite_hv_fake_lab_e820[XLITE_HV_FAKE_LAB_E820_N];

struct xlite_hv_fake_linger {
	char *what;			/* the loop's backing file, the vif's bridge */
	unsigned int left;		/* probes to go */
};

/* A host with dom0 ("Domain-0" in xenstore) and bridge "xenbr0". */
void xlite_hv_fake_init(struct xlite_hv_fake *fake);
void xlite_hv_fake_dispose(struct xlite_hv_fake *fake);
/* Makes HV drive FAKE (FAKE must outlive HV's use). */
void xlite_hv_fake_attach(struct xlite_hv *hv, struct xlite_hv_fake *fake);
/* The same for threads: several HVs may share FAKE; each op runs alone. */
void xlite_hv_fake_attach_locked(struct xlite_hv *hv, struct xlite_hv_fake *fake);

/* Everything outside the pristine host: domains other than dom0, xenstore
 * nodes not in BASELINE (a copy from xlite_hv_fake_xs_paths), attached loop
 * devices, bridge ports. "" when nothing is left; g_free() it. */
char *xlite_hv_fake_residue(const struct xlite_hv_fake *fake, GPtrArray *baseline);
/* Sorted copy of every xenstore path (g_ptr_array_unref). */
GPtrArray *xlite_hv_fake_xs_paths(const struct xlite_hv_fake *fake);
/* Looks a domain up; NULL when absent. */
struct xlite_hv_fake_dom *xlite_hv_fake_dom(struct xlite_hv_fake *fake, uint32_t domid);
/* Sets a shutdown state on DOMID, as a guest's SCHEDOP_shutdown would. */
void xlite_hv_fake_shutdown(struct xlite_hv_fake *fake, uint32_t domid,
			    enum xlite_shutdown_reason reason);

#endif
