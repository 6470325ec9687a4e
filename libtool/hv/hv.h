/* xlite hypervisor operations: everything apply, the verbs and the monitor
 * do to the world outside the process (Xen domctls, the PV builder,
 * xenstore, loop devices, bridges), as one table of function pointers.
 *
 * hv_xen.c drives the real thing (libxenctrl, libxenguest, libxsclient);
 * tests/unit/hv-fake.c keeps an in-memory model with fault injection for unit tests
 * of rollback. Every op returns 0 or a negative errno and, on failure,
 * records why in hv->err (xlite_hv_error()).
 */
#ifndef XLITE_HV_H
#define XLITE_HV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "libtool/plan/plan.h"
#include "xenstore-client/xsc.h"

#define XLITE_HV_ERR_MAX 2048	/* a failure and its rollback's, a line each */
#define XLITE_DOMID_INVALID 0x7ff4u	/* DOMID_INVALID */

/* Shutdown reasons, as Xen numbers them (SHUTDOWN_* in sched.h). */
enum xlite_shutdown_reason {
	XLITE_SHUTDOWN_POWEROFF = 0,
	XLITE_SHUTDOWN_REBOOT = 1,
	XLITE_SHUTDOWN_SUSPEND = 2,
	XLITE_SHUTDOWN_CRASH = 3,
	XLITE_SHUTDOWN_WATCHDOG = 4,
	XLITE_SHUTDOWN_SOFT_RESET = 5,
};

/* One domain as the hypervisor reports it (xc_domain_getinfolist). */
struct xlite_dominfo {
	uint32_t domid;
	uint8_t uuid[16];		/* the domain handle */
	uint64_t tot_kib;		/* memory it holds now */
	uint64_t max_kib;		/* its allocation limit */
	uint64_t outstanding_kib;	/* claimed, not yet populated */
	uint64_t cpu_time_ns;
	unsigned int vcpus_online;
	unsigned int max_vcpu_id;
	bool running, blocked, paused, shutdown, dying, hvm;
	unsigned int shutdown_reason;	/* enum xlite_shutdown_reason when shutdown */
};

/* Host facts `xlite info` prints (xc_version, xc_physinfo, xc_sched_id). */
struct xlite_physinfo {
	unsigned int xen_major, xen_minor;
	char xen_extra[32];
	char xen_caps[1024];
	char xen_changeset[64];
	char xen_commandline[1024];
	char xen_scheduler[16];
	unsigned int xen_pagesize;
	uint64_t virt_start;
	unsigned int nr_cpus, max_cpu_id, nr_nodes;
	unsigned int cores_per_socket, threads_per_core;
	unsigned int cpu_khz;
	uint32_t hw_cap[8];
	bool cap_pv, cap_hvm, cap_hvm_directio, cap_hap, cap_shadow,
	     cap_iommu_hap_pt_share, cap_vmtrace, cap_vpmu,
	     cap_gnttab_v1, cap_gnttab_v2;
	uint64_t total_pages, free_pages, outstanding_pages;	/* 4 KiB pages */
};

/* One vCPU (xc_vcpu_getinfo, xc_vcpu_getaffinity). */
struct xlite_vcpuinfo {
	bool online, blocked, running;
	unsigned int cpu;		/* physical CPU it runs on (when online) */
	uint64_t cpu_time_ns;
	struct xlite_cpuset hard, soft;	/* affinity */
};

/* What xc_domain_create needs for a PV or PVH domain. */
struct xlite_hv_create {
	uint8_t uuid[16];
	unsigned int max_vcpus;
	unsigned int max_grant_version;	/* 0: the best the host offers */
	unsigned int max_grant_frames;	/* 0: the hypervisor's default */
	unsigned int max_evtchn_port;	/* 0: 1023, libxl's default event_channels */
	bool pvh;			/* an HVM container with HAP, local APIC only */
};

/* The PV or PVH image build (libxenguest xc_dom_*). IN fields, then OUT. */
struct xlite_hv_build {
	const char *kernel;
	const char *initrd;		/* NULL: none */
	const char *cmdline;		/* NULL: empty */
	uint64_t mem_kib;		/* memory populated at boot (target) */
	unsigned int max_vcpus;
	uint32_t console_port, store_port;	/* unbound ports in the guest */
	uint32_t console_domid, store_domid;	/* backends (0: dom0) */
	const char *kcache_dir;		/* decompressed-kernel cache, NULL: off */
	uint64_t kcache_max;		/* its bound in bytes (xlite.conf) */
	/* OUT */
	uint64_t console_mfn, store_mfn;	/* PVH: guest frame numbers */
	bool kcache_hit;		/* the kernel came from the cache */
	/* PVH only (build_pvh), IN: Xen's paging pool for the domain. */
	uint64_t paging_kib;
	/* PVH only, IN: all the guest's memory; above mem_kib the rest is
	 * populate-on-demand (libxenguest's target_pages). 0: mem_kib. */
	uint64_t max_kib;
};

/* One entry of a memory map (Xen's struct e820entry). */
enum xlite_e820_type {
	XLITE_E820_RAM = 1,
	XLITE_E820_RESERVED = 2,
	XLITE_E820_ACPI = 3,
	XLITE_E820_NVS = 4,
	XLITE_E820_UNUSABLE = 5,
};
#define XLITE_E820_MAX 128	/* Xen's E820MAX */
struct xlite_e820 {
	uint64_t addr, size;
	uint32_t type;		/* enum xlite_e820_type, or what the firmware said */
};

/* Populate-on-demand state of an HVM container (xc_domain_get_pod_target),
 * in 4 KiB pages. */
struct xlite_pod {
	uint64_t tot_pages;	/* the domain holds, PoD cache included */
	uint64_t cache_pages;	/* Xen's PoD cache */
	uint64_t entries;	/* guest frames still to be populated on demand */
};

/* Where a live save is, before each round (libxenguest's precopy_stats). */
struct xlite_hv_precopy {
	unsigned int iteration;		/* 0: the first, whole-memory round */
	long dirty_pages;		/* dirtied during the last round; < 0: unknown */
	uint64_t pages_sent;		/* so far */
};

struct xlite_hv;

struct xlite_hv_ops {
	const char *name;

	/* ---- domains ---- */
	int (*domain_create)(struct xlite_hv *hv, const struct xlite_hv_create *c,
			     uint32_t *domid);
	int (*domain_max_vcpus)(struct xlite_hv *hv, uint32_t domid, unsigned int n);
	int (*domain_setmaxmem)(struct xlite_hv *hv, uint32_t domid, uint64_t kib);
	int (*domain_memmap_limit)(struct xlite_hv *hv, uint32_t domid, uint64_t kib);
	int (*domain_cpuid)(struct xlite_hv *hv, uint32_t domid);
	int (*evtchn_alloc)(struct xlite_hv *hv, uint32_t domid, uint32_t remote,
			    uint32_t *port);
	int (*build_pv)(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b);
	int (*sched_credit)(struct xlite_hv *hv, uint32_t domid,
			    unsigned int weight, unsigned int cap);
	int (*domain_pause)(struct xlite_hv *hv, uint32_t domid);
	int (*domain_unpause)(struct xlite_hv *hv, uint32_t domid);
	int (*domain_destroy)(struct xlite_hv *hv, uint32_t domid);
	/* -ESRCH when no such domain. */
	int (*domain_info)(struct xlite_hv *hv, uint32_t domid, struct xlite_dominfo *info);
	/* Every domain, ascending ids; *infos is g_free()d by the caller. */
	int (*domain_list)(struct xlite_hv *hv, struct xlite_dominfo **infos, size_t *n);
	int (*physinfo)(struct xlite_hv *hv, struct xlite_physinfo *info);

	/* ---- xenstore ---- */
	/* BATCH (libxsclient's list of xenstore operations: a plan's ops with
	 * their placeholders expanded) in ONE transaction, all or nothing. */
	int (*xs_apply)(struct xlite_hv *hv, struct xsc_batch *batch);
	/* -ENOENT when absent; *value is g_free()d by the caller. */
	int (*xs_read)(struct xlite_hv *hv, const char *path, char **value);
	int (*xs_write)(struct xlite_hv *hv, const char *path, const char *value);
	/* Removes a subtree; a missing node is not an error. */
	int (*xs_rm)(struct xlite_hv *hv, const char *path);
	/* Child names, NULL-terminated (g_strfreev). -ENOENT when absent. */
	int (*xs_directory)(struct xlite_hv *hv, const char *path, char ***names);
	int (*xs_introduce)(struct xlite_hv *hv, uint32_t domid, uint64_t store_mfn,
			    uint32_t store_port);
	/* Blocks until @releaseDomain fires or TIMEOUT_MS passes (-ETIMEDOUT);
	 * the first call arms the watch. */
	int (*wait_release)(struct xlite_hv *hv, int timeout_ms);
	/* Requests sent to xenstored through this handle so far. */
	unsigned long (*xs_requests)(struct xlite_hv *hv);

	/* ---- host devices ---- */
	/* Attaches FILE to a free loop device: *dev "/dev/loopN" (g_free). */
	int (*loop_attach)(struct xlite_hv *hv, const char *file, bool readonly,
			   char **dev, unsigned int *major, unsigned int *minor);
	int (*loop_detach)(struct xlite_hv *hv, const char *dev);
	/* Major and minor of an existing block device. */
	int (*blockdev_stat)(struct xlite_hv *hv, const char *path,
			     unsigned int *major, unsigned int *minor);
	/* -ENOENT when the bridge does not exist. */
	int (*bridge_check)(struct xlite_hv *hv, const char *bridge);
	/* Waits for IFNAME to appear, adds it to BRIDGE, sets it up. */
	int (*bridge_attach)(struct xlite_hv *hv, const char *bridge, const char *ifname,
			     int timeout_ms);
	/* The file behind loop device MAJOR:MINOR, by identity (st_dev and
	 * st_ino of its backing file); -ENXIO when MAJOR:MINOR is not a
	 * bound loop device. */
	int (*loop_identity)(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			     uint64_t *dev, uint64_t *ino);

	void (*close)(struct xlite_hv *hv);

	/* ---- teardown: has dom0 let go? (destroy, detach, rollback) ---- */
	/* The file loop device DEV serves now: *backing (g_free), or NULL
	 * when the device is free (LOOP_CLR_FD on a device blkback still
	 * holds only sets autoclear: it stays bound until the last close). */
	int (*loop_backing)(struct xlite_hv *hv, const char *dev, char **backing);
	/* 1 while network interface IFNAME exists (*master: its bridge, or
	 * NULL; g_free), 0 once it is gone (netback removes vifD.N some time
	 * after the domain or its backend directory went). */
	int (*netdev_exists)(struct xlite_hv *hv, const char *ifname, char **master);

	/* ---- resources (issue 10), appended ---- */
	/* Hard affinity of VCPU (xc_vcpu_setaffinity). */
	int (*vcpu_affinity)(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			     const struct xlite_cpuset *cpus);
	/* -ENOENT when VCPU is beyond the domain's max_vcpu_id. */
	int (*vcpu_info)(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			 struct xlite_vcpuinfo *info);
	/* The credit/credit2 weight and cap in force (sched_credit sets them). */
	int (*sched_get)(struct xlite_hv *hv, uint32_t domid, unsigned int *weight,
			 unsigned int *cap);

	/* ---- vifs beyond a bridge (issue 13), appended ---- */
	/* Waits for IFNAME to appear (TIMEOUT_MS), then renames it NEWNAME
	 * (NULL: keeps its name) and sets its MTU (0: leaves it). */
	int (*vif_setup)(struct xlite_hv *hv, const char *ifname, const char *newname,
			 unsigned int mtu, int timeout_ms);
	/* What Xen's vif-route does: waits for IFNAME (TIMEOUT_MS), brings it
	 * up with proxy ARP on, and routes each of IPS (NULL-terminated
	 * "ADDR[/PREFIX]", or NULL) through it. */
	int (*vif_route)(struct xlite_hv *hv, const char *ifname, const char *const *ips,
			 int timeout_ms);

	/* ---- save and restore (issue 11), appended ---- */
	/* libxenguest's stream of PV domain DOMID, not live, to FD
	 * (xc_domain_save). When the domain must stop, SUSPEND(OPAQUE) is
	 * called; it returns 0 once the domain is shut down with reason
	 * suspend, or < 0 (with hv->err) and the save fails. -EOPNOTSUPP,
	 * with nothing touched, for a guest that publishes no p2m table. */
	int (*domain_save)(struct xlite_hv *hv, uint32_t domid, int fd,
			   int (*suspend)(void *opaque), void *opaque);
	/* DOMID's memory and state from the stream on FD (xc_domain_restore),
	 * in place of build_pv: B's ports in, console_mfn and store_mfn out.
	 * The domain stays paused. */
	int (*domain_restore)(struct xlite_hv *hv, uint32_t domid, int fd,
			      struct xlite_hv_build *b);
	/* Resumes a domain suspended for a save (xc_domain_resume; FAST: the
	 * guest's suspend returns "cancelled" and it goes on with its devices
	 * as they were) and tells xenstored (XS_RESUME). */
	int (*domain_resume)(struct xlite_hv *hv, uint32_t domid, bool fast);
	/* ---- qcow2 disks on nbd devices (issue 13), appended ---- */
	/* Serves qcow2 image FILE with qemu-nbd on a free nbd device: *dev
	 * "/dev/nbdN" (g_free), its numbers; returns once the device is up. */
	int (*nbd_attach)(struct xlite_hv *hv, const char *file, bool readonly,
			  char **dev, unsigned int *major, unsigned int *minor);
	/* Once dom0's blkback let go of DEV: disconnects it and waits until
	 * its server ended. 0 also when DEV was not connected. */
	int (*nbd_detach)(struct xlite_hv *hv, const char *dev);
	/* The file DEV serves: *backing (g_free), NULL when not connected. */
	int (*nbd_backing)(struct xlite_hv *hv, const char *dev, char **backing);
	/* As loop_identity, for nbd device MAJOR:MINOR (-ENXIO: not one, or
	 * not connected). */
	int (*nbd_identity)(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			    uint64_t *dev, uint64_t *ino);

	/* ---- PVH guests (issue 11), appended ---- */
	/* What build_pv does, for a domain created with pvh: its HVM params,
	 * TSC mode and paging pool, memory map, then the xc_dom_* build of an
	 * HVM container (PVH entry point, start info with the command line and
	 * the initrd). B's mem_kib is all the guest's memory. */
	int (*build_pvh)(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b);

	/* ---- live migration (issue 11), appended ---- */
	/* As domain_save, live (XCFLAGS_LIVE): memory is sent while the
	 * domain runs, Xen's log-dirty tracking what it dirties, round after
	 * round; before each, PRECOPY(S, OPAQUE) returns 0 to go on, 1 to
	 * suspend the domain (SUSPEND) and send the rest, < 0 to give up.
	 * -EOPNOTSUPP when Xen cannot track the domain's dirty pages (a PV
	 * guest on a Xen without shadow paging). */
	int (*domain_save_live)(struct xlite_hv *hv, uint32_t domid, int fd,
				int (*suspend)(void *opaque),
				int (*precopy)(const struct xlite_hv_precopy *s, void *opaque),
				void *opaque);

	/* ---- populate-on-demand, the host's E820 (issue 13), appended ---- */
	/* The PoD target of an HVM container, PAGES of 4 KiB
	 * (xc_domain_set_pod_target): Xen sizes its PoD cache so the domain
	 * holds that much; nothing happens while it has no PoD entries. */
	int (*domain_pod_target)(struct xlite_hv *hv, uint32_t domid, uint64_t pages);
	int (*domain_pod_info)(struct xlite_hv *hv, uint32_t domid, struct xlite_pod *pod);
	/* The host's memory map as Xen has it (xc_get_machine_memory_map):
	 * up to MAX entries into MAP, their number in *N. */
	int (*machine_memory_map)(struct xlite_hv *hv, struct xlite_e820 *map, unsigned int max,
				  unsigned int *n);
	/* The memory map a PV domain's XENMEM_memory_map returns
	 * (xc_domain_set_memory_map), in place of domain_memmap_limit's. */
	int (*domain_memory_map)(struct xlite_hv *hv, uint32_t domid,
				 const struct xlite_e820 *map, unsigned int n);
	/* ---- troubleshooting (issue 12), appended ---- */
	/* The hypervisor's console ring, as `xl dmesg` prints it
	 * (xc_readconsolering): *text (g_free), NUL-terminated; CLEAR empties
	 * the ring once it is read (`xl dmesg -c`). */
	int (*console_read)(struct xlite_hv *hv, bool clear, char **text);
};

struct xlite_hv {
	const struct xlite_hv_ops *ops;
	void *priv;
	char err[XLITE_HV_ERR_MAX];
};

/* Records the reason of a failure (printf-style); returns -errnum so a
 * caller can `return xlite_hv_fail(hv, -EIO, "...")`. */
int xlite_hv_fail(struct xlite_hv *hv, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *xlite_hv_error(const struct xlite_hv *hv);
/* Releases what the implementation holds; safe on a zeroed struct. */
void xlite_hv_dispose(struct xlite_hv *hv);

/* Appends a plan's OPS to BATCH (for xs_apply) with their placeholders
 * filled by LOOKUP; < 0 and *err ("node PATH: why") at the first that
 * cannot be. */
int xlite_xs_ops_expand(struct xsc_batch *batch, const struct xlite_xs_ops *ops,
			xlite_lookup_fn *lookup, void *opaque, char **err);

/* The real hypervisor. -ENOENT with "Xen is not reachable: ..." when
 * /dev/xen/privcmd is missing (not in dom0). Dispose even on failure. */
enum {
	XLITE_HV_NO_XENSTORE = 1u << 0,	/* domctls only */
};
int xlite_hv_xen_open(struct xlite_hv *hv, unsigned int flags);

#endif
