/* Private to hv_xen*.c: the state behind the real hypervisor ops. */
#ifndef XLITE_HV_XEN_H
#define XLITE_HV_XEN_H

#include <xenctrl.h>
#include <xentoollog.h>

#include "libtool/hv/hv.h"
#include "xenstore-client/xsc.h"

/* Keeps libxenctrl/libxenguest messages instead of printing them, so a
 * failure is reported once, by the command, with the library's reason. */
struct xlite_xtl {
	xentoollog_logger base;		/* first: the library sees this */
	char last[XLITE_HV_ERR_MAX];	/* last error-level message */
	bool verbose;			/* XLITE_DEBUG set: echo everything */
};

struct xlite_hv_xen {
	struct xlite_xtl log;
	xc_interface *xch;
	struct xsc_ctx xs;
	bool xs_open;
	unsigned long xs_extra;		/* requests sent outside xsc (introduce) */
	struct xsc_ctx watch;		/* @releaseDomain (xen-watch.c): a raw connection */
	bool watch_armed;
};

/* hv_xen_xs.c: the xenstore ops. */
int xlite_hvx_xs_open(struct xlite_hv *hv);
void xlite_hvx_xs_close(struct xlite_hv_xen *x);
int xlite_hvx_xs_apply(struct xlite_hv *hv, struct xsc_batch *batch);
int xlite_hvx_xs_read(struct xlite_hv *hv, const char *path, char **value);
int xlite_hvx_xs_write(struct xlite_hv *hv, const char *path, const char *value);
int xlite_hvx_xs_rm(struct xlite_hv *hv, const char *path);
int xlite_hvx_xs_directory(struct xlite_hv *hv, const char *path, char ***names);
int xlite_hvx_xs_introduce(struct xlite_hv *hv, uint32_t domid, uint64_t store_mfn,
			   uint32_t store_port);
int xlite_hvx_wait_release(struct xlite_hv *hv, int timeout_ms);
unsigned long xlite_hvx_xs_requests(struct xlite_hv *hv);

/* xen-watch.c: a watch on a raw xenstore connection of its own. */
int xlite_hvx_watch_open(struct xlite_hv *hv, const char *path, const char *token);
/* 0 when the watch fired (all pending events read), -ETIMEDOUT, or < 0. */
int xlite_hvx_watch_wait(struct xlite_hv *hv, int timeout_ms);
void xlite_hvx_watch_close(struct xlite_hv_xen *x);

/* xen-res.c: vCPU affinity and state, scheduler parameters. */
int xlite_hvx_vcpu_affinity(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			    const struct xlite_cpuset *cpus);
int xlite_hvx_vcpu_info(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			struct xlite_vcpuinfo *info);
int xlite_hvx_sched_get(struct xlite_hv *hv, uint32_t domid, unsigned int *weight,
			unsigned int *cap);

/* hv_xen_dev.c: loop devices, block devices, bridges. */
int xlite_hvx_loop_attach(struct xlite_hv *hv, const char *file, bool readonly,
			  char **dev, unsigned int *major, unsigned int *minor);
int xlite_hvx_loop_detach(struct xlite_hv *hv, const char *dev);
int xlite_hvx_blockdev_stat(struct xlite_hv *hv, const char *path,
			    unsigned int *major, unsigned int *minor);
int xlite_hvx_loop_identity(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			   uint64_t *dev, uint64_t *ino);
int xlite_hvx_bridge_check(struct xlite_hv *hv, const char *bridge);
int xlite_hvx_bridge_attach(struct xlite_hv *hv, const char *bridge, const char *ifname,
			    int timeout_ms);
int xlite_hvx_loop_backing(struct xlite_hv *hv, const char *dev, char **backing);
int xlite_hvx_netdev_exists(struct xlite_hv *hv, const char *ifname, char **master);
int xlite_hvx_vif_setup(struct xlite_hv *hv, const char *ifname, const char *newname,
			unsigned int mtu, int timeout_ms);
int xlite_hvx_vif_route(struct xlite_hv *hv, const char *ifname, const char *const *ips,
			int timeout_ms);
int xlite_hvx_nbd_attach(struct xlite_hv *hv, const char *file, bool readonly,
			 char **dev, unsigned int *major, unsigned int *minor);
int xlite_hvx_nbd_detach(struct xlite_hv *hv, const char *dev);
int xlite_hvx_nbd_backing(struct xlite_hv *hv, const char *dev, char **backing);
int xlite_hvx_nbd_identity(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			   uint64_t *dev, uint64_t *ino);

/* hv_xen_build.c: the PV and PVH image builds (libxenguest), with the kernel cache. */
int xlite_hvx_build_pv(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b);
int xlite_hvx_build_pvh(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b);
/* What a PVH domain needs before its memory is populated, by a build or a
 * restore: the timer mode and Xen's paging pool (B's paging_kib). */
int xlite_hvx_pvh_prepare(struct xlite_hv *hv, uint32_t domid, const struct xlite_hv_build *b);

/* xen-save.c: save, restore, resume (libxenguest). */
int xlite_hvx_domain_save(struct xlite_hv *hv, uint32_t domid, int fd,
			  int (*suspend)(void *opaque), void *opaque);
int xlite_hvx_domain_restore(struct xlite_hv *hv, uint32_t domid, int fd,
			     struct xlite_hv_build *b);
int xlite_hvx_domain_resume(struct xlite_hv *hv, uint32_t domid, bool fast);
int xlite_hvx_domain_save_live(struct xlite_hv *hv, uint32_t domid, int fd,
			       int (*suspend)(void *opaque),
			       int (*precopy)(const struct xlite_hv_precopy *s, void *opaque),
			       void *opaque);

/* xen-mem.c: populate-on-demand, the host's E820, a domain's memory map. */
int xlite_hvx_domain_pod_target(struct xlite_hv *hv, uint32_t domid, uint64_t pages);
int xlite_hvx_domain_pod_info(struct xlite_hv *hv, uint32_t domid, struct xlite_pod *pod);
int xlite_hvx_machine_memory_map(struct xlite_hv *hv, struct xlite_e820 *map, unsigned int max,
				 unsigned int *n);
int xlite_hvx_domain_memory_map(struct xlite_hv *hv, uint32_t domid,
				const struct xlite_e820 *map, unsigned int n);

/* "CALL failed: LIBRARY MESSAGE (ERRNO TEXT)" into hv->err; returns -errno. */
int xlite_hv_xen_fail(struct xlite_hv *hv, int err, const char *call);

#endif
