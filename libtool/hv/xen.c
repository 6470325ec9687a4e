/* The real hypervisor ops: libxenctrl domctls and sysctls. The image
 * build is in hv_xen_build.c, xenstore in hv_xen_xs.c, host devices in
 * hv_xen_dev.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libtool/hv/xen.h"

#define PRIVCMD "/dev/xen/privcmd"

static struct xlite_hv_xen *xen_of(struct xlite_hv *hv)
{
	return hv->priv;
}

/* ---- logging ---------------------------------------------------------- */

static void xtl_vmessage(xentoollog_logger *logger, xentoollog_level level, int errnoval,
			 const char *context, const char *format, va_list al)
{
	struct xlite_xtl *l = (struct xlite_xtl *)logger;
	char msg[XLITE_HV_ERR_MAX];
	va_list ap;

	va_copy(ap, al);
	vsnprintf(msg, sizeof(msg), format, ap);
	va_end(ap);
	if (l->verbose)
		fprintf(stderr, "xlite: %s: %s%s%s\n", context ? context : "xc", msg,
			errnoval >= 0 ? ": " : "", errnoval >= 0 ? strerror(errnoval) : "");
	if (level < XTL_ERROR)
		return;
	if (errnoval >= 0)
		g_snprintf(l->last, sizeof(l->last), "%s: %s", msg, strerror(errnoval));
	else
		snprintf(l->last, sizeof(l->last), "%s", msg);
}

static void xtl_destroy(xentoollog_logger *logger)
{
	(void)logger;	/* lives inside struct xlite_hv_xen */
}

int xlite_hv_xen_fail(struct xlite_hv *hv, int err, const char *call)
{
	struct xlite_hv_xen *x = xen_of(hv);
	int e = err > 0 ? err : EIO;

	if (x->log.last[0]) {
		xlite_hv_fail(hv, -e, "%s failed: %s", call, x->log.last);
		x->log.last[0] = '\0';
	} else {
		xlite_hv_fail(hv, -e, "%s failed: %s", call, strerror(e));
	}
	return -e;
}

/* ---- domains ---------------------------------------------------------- */

static int xen_domain_create(struct xlite_hv *hv, const struct xlite_hv_create *c,
			     uint32_t *domid)
{
	struct xlite_hv_xen *x = xen_of(hv);
	struct xen_domctl_createdomain cfg;
	xc_physinfo_t pi;
	unsigned int gnt = c->max_grant_version;
	uint32_t id = 0;	/* 0: Xen picks the next free id */

	if (gnt == 0) {
		gnt = 1;
		if (xc_physinfo(x->xch, &pi) == 0 &&
		    (pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2))
			gnt = 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	memcpy(cfg.handle, c->uuid, sizeof(cfg.handle));
	/* PV: no flags; PVH (libxl's): an HVM container with HAP */
	cfg.flags = c->pvh ? XEN_DOMCTL_CDF_hvm | XEN_DOMCTL_CDF_hap : 0;
	cfg.max_vcpus = c->max_vcpus;
	/* libxl's default event_channels, or <controller maxEventChannels> */
	cfg.max_evtchn_port = c->max_evtchn_port ? c->max_evtchn_port : 1023;
	/* the hypervisor's default, or <controller maxGrantFrames> */
	cfg.max_grant_frames = c->max_grant_frames ? (int32_t)c->max_grant_frames : -1;
	cfg.max_maptrack_frames = -1;
	cfg.grant_opts = XEN_DOMCTL_GRANT_version(gnt);
	/* PV emulates nothing, PVH only the local APIC (no device model) */
	cfg.arch.emulation_flags = c->pvh ? XEN_X86_EMU_LAPIC : 0;
	if (xc_domain_create(x->xch, &id, &cfg) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_create");
	*domid = id;
	return 0;
}

static int xen_domain_max_vcpus(struct xlite_hv *hv, uint32_t domid, unsigned int n)
{
	if (xc_domain_max_vcpus(xen_of(hv)->xch, domid, n) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_max_vcpus");
	return 0;
}

static int xen_domain_setmaxmem(struct xlite_hv *hv, uint32_t domid, uint64_t kib)
{
	if (xc_domain_setmaxmem(xen_of(hv)->xch, domid, kib) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_setmaxmem");
	return 0;
}

static int xen_domain_memmap_limit(struct xlite_hv *hv, uint32_t domid, uint64_t kib)
{
	if (xc_domain_set_memmap_limit(xen_of(hv)->xch, domid, kib) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_set_memmap_limit");
	return 0;
}

static int xen_domain_cpuid(struct xlite_hv *hv, uint32_t domid)
{
	/* What libxl does for a new PV guest: the default policy, pae on. */
	if (xc_cpuid_apply_policy(xen_of(hv)->xch, domid, false, NULL, 0,
				  true, false, false, NULL, NULL) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_cpuid_apply_policy");
	return 0;
}

static int xen_evtchn_alloc(struct xlite_hv *hv, uint32_t domid, uint32_t remote,
			    uint32_t *port)
{
	int p = xc_evtchn_alloc_unbound(xen_of(hv)->xch, domid, remote);

	if (p < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_evtchn_alloc_unbound");
	*port = (uint32_t)p;
	return 0;
}

static int xen_sched_credit(struct xlite_hv *hv, uint32_t domid,
			    unsigned int weight, unsigned int cap)
{
	xc_interface *xch = xen_of(hv)->xch;
	int sched = 0;

	if (weight > 65535 || cap > 65535)
		return xlite_hv_fail(hv, -EINVAL, "weight %u / cap %u out of range", weight, cap);
	if (xc_sched_id(xch, &sched) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_sched_id");
	if (weight == 0)
		weight = 256;	/* the credit schedulers' default */
	if (sched == XEN_SCHEDULER_CREDIT) {
		struct xen_domctl_sched_credit s = { (uint16_t)weight, (uint16_t)cap };

		if (xc_sched_credit_domain_set(xch, domid, &s) < 0)
			return xlite_hv_xen_fail(hv, errno, "xc_sched_credit_domain_set");
	} else if (sched == XEN_SCHEDULER_CREDIT2) {
		struct xen_domctl_sched_credit2 s = { (uint16_t)weight, (uint16_t)cap };

		if (xc_sched_credit2_domain_set(xch, domid, &s) < 0)
			return xlite_hv_xen_fail(hv, errno, "xc_sched_credit2_domain_set");
	} else {
		return xlite_hv_fail(hv, -EOPNOTSUPP,
				     "weight and cap need the credit or credit2 scheduler");
	}
	return 0;
}

static int xen_domain_pause(struct xlite_hv *hv, uint32_t domid)
{
	if (xc_domain_pause(xen_of(hv)->xch, domid) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_pause");
	return 0;
}

static int xen_domain_unpause(struct xlite_hv *hv, uint32_t domid)
{
	if (xc_domain_unpause(xen_of(hv)->xch, domid) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_unpause");
	return 0;
}

static int xen_domain_destroy(struct xlite_hv *hv, uint32_t domid)
{
	if (domid == 0)
		return xlite_hv_fail(hv, -EPERM, "refusing to destroy Domain-0");
	if (xc_domain_destroy(xen_of(hv)->xch, domid) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_destroy");
	return 0;
}

static void info_from(struct xlite_dominfo *o, const xc_domaininfo_t *i)
{
	memset(o, 0, sizeof(*o));
	o->domid = i->domain;
	memcpy(o->uuid, i->handle, sizeof(o->uuid));
	o->tot_kib = i->tot_pages * (XC_PAGE_SIZE / 1024);
	o->max_kib = i->max_pages * (XC_PAGE_SIZE / 1024);
	o->outstanding_kib = i->outstanding_pages * (XC_PAGE_SIZE / 1024);
	o->cpu_time_ns = i->cpu_time;
	o->vcpus_online = i->nr_online_vcpus;
	o->max_vcpu_id = i->max_vcpu_id;
	o->dying = i->flags & XEN_DOMINF_dying;
	o->hvm = i->flags & XEN_DOMINF_hvm_guest;
	o->shutdown = i->flags & XEN_DOMINF_shutdown;
	o->paused = i->flags & XEN_DOMINF_paused;
	o->blocked = i->flags & XEN_DOMINF_blocked;
	o->running = i->flags & XEN_DOMINF_running;
	o->shutdown_reason = (i->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
}

static int xen_domain_info(struct xlite_hv *hv, uint32_t domid, struct xlite_dominfo *info)
{
	xc_domaininfo_t i;
	int n;

	n = xc_domain_getinfolist(xen_of(hv)->xch, domid, 1, &i);
	if (n < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_getinfolist");
	if (n != 1 || i.domain != domid)
		return xlite_hv_fail(hv, -ESRCH, "domain %u does not exist", domid);
	info_from(info, &i);
	return 0;
}

static int xen_domain_list(struct xlite_hv *hv, struct xlite_dominfo **infos, size_t *count)
{
	enum { CHUNK = 256 };
	xc_domaininfo_t *buf = g_new(xc_domaininfo_t, CHUNK);
	GArray *out = g_array_new(FALSE, TRUE, sizeof(struct xlite_dominfo));
	uint32_t next = 0;
	int n, i, rc = 0;

	for (;;) {
		n = xc_domain_getinfolist(xen_of(hv)->xch, next, CHUNK, buf);
		if (n < 0) {
			rc = xlite_hv_xen_fail(hv, errno, "xc_domain_getinfolist");
			goto out;
		}
		for (i = 0; i < n; i++) {
			struct xlite_dominfo d;

			info_from(&d, &buf[i]);
			g_array_append_val(out, d);
		}
		if (n < CHUNK)
			break;
		next = buf[n - 1].domain + 1;
	}
out:
	g_free(buf);
	*count = out->len;
	*infos = (struct xlite_dominfo *)(void *)g_array_free(out, rc < 0);
	if (rc < 0) {
		*infos = NULL;
		*count = 0;
	}
	return rc;
}

static const char *sched_name(int id)
{
	switch (id) {
	case XEN_SCHEDULER_CREDIT: return "credit";
	case XEN_SCHEDULER_CREDIT2: return "credit2";
	case XEN_SCHEDULER_ARINC653: return "arinc653";
	case XEN_SCHEDULER_RTDS: return "rtds";
	case XEN_SCHEDULER_NULL: return "null";
	default: return "unknown";
	}
}

static int xen_physinfo(struct xlite_hv *hv, struct xlite_physinfo *o)
{
	xc_interface *xch = xen_of(hv)->xch;
	xc_physinfo_t pi;
	xen_extraversion_t extra;
	xen_changeset_info_t cs;
	xen_platform_parameters_t pp;
	int v, sched = 0;

	memset(o, 0, sizeof(*o));
	memset(&pi, 0, sizeof(pi));
	if (xc_physinfo(xch, &pi) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_physinfo");
	v = xc_version(xch, XENVER_version, NULL);
	if (v < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_version");
	o->xen_major = (unsigned int)v >> 16;
	o->xen_minor = (unsigned int)v & 0xffff;
	memset(extra, 0, sizeof(extra));
	if (xc_version(xch, XENVER_extraversion, extra) == 0)
		g_strlcpy(o->xen_extra, extra, MIN(sizeof(o->xen_extra), sizeof(extra) + 1));
	if (xc_version(xch, XENVER_capabilities, o->xen_caps) < 0)
		o->xen_caps[0] = '\0';
	o->xen_caps[sizeof(o->xen_caps) - 1] = '\0';
	memset(cs, 0, sizeof(cs));
	if (xc_version(xch, XENVER_changeset, cs) == 0)
		g_strlcpy(o->xen_changeset, cs, MIN(sizeof(o->xen_changeset), sizeof(cs) + 1));
	if (xc_version(xch, XENVER_commandline, o->xen_commandline) < 0)
		o->xen_commandline[0] = '\0';
	o->xen_commandline[sizeof(o->xen_commandline) - 1] = '\0';
	v = xc_version(xch, XENVER_pagesize, NULL);
	o->xen_pagesize = v > 0 ? (unsigned int)v : XC_PAGE_SIZE;
	if (xc_version(xch, XENVER_platform_parameters, &pp) == 0)
		o->virt_start = pp.virt_start;
	if (xc_sched_id(xch, &sched) == 0)
		g_strlcpy(o->xen_scheduler, sched_name(sched), sizeof(o->xen_scheduler));

	o->nr_cpus = pi.nr_cpus;
	o->max_cpu_id = pi.max_cpu_id;
	o->nr_nodes = pi.nr_nodes;
	o->cores_per_socket = pi.cores_per_socket;
	o->threads_per_core = pi.threads_per_core;
	o->cpu_khz = pi.cpu_khz;
	memcpy(o->hw_cap, pi.hw_cap, sizeof(o->hw_cap));
	o->cap_pv = pi.capabilities & XEN_SYSCTL_PHYSCAP_pv;
	o->cap_hvm = pi.capabilities & XEN_SYSCTL_PHYSCAP_hvm;
	o->cap_hvm_directio = pi.capabilities & XEN_SYSCTL_PHYSCAP_directio;
	o->cap_hap = pi.capabilities & XEN_SYSCTL_PHYSCAP_hap;
	o->cap_shadow = pi.capabilities & XEN_SYSCTL_PHYSCAP_shadow;
	o->cap_iommu_hap_pt_share = pi.capabilities & XEN_SYSCTL_PHYSCAP_iommu_hap_pt_share;
	o->cap_vmtrace = pi.capabilities & XEN_SYSCTL_PHYSCAP_vmtrace;
	o->cap_vpmu = pi.capabilities & XEN_SYSCTL_PHYSCAP_vpmu;
	o->cap_gnttab_v1 = pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v1;
	o->cap_gnttab_v2 = pi.capabilities & XEN_SYSCTL_PHYSCAP_gnttab_v2;
	o->total_pages = pi.total_pages;
	o->free_pages = pi.free_pages;
	o->outstanding_pages = pi.outstanding_pages;
	return 0;
}

/* The ring is read in pieces as libxl does (incremental, from the index
 * the last piece ended at), so its size need not be known; BOUND stops a
 * ring written faster than it is read. */
#define CONSOLE_PIECE 16384u
#define CONSOLE_BOUND (16u << 20)

static int xen_console_read(struct xlite_hv *hv, bool clear, char **text)
{
	xc_interface *xch = xen_of(hv)->xch;
	GString *out = g_string_new("");
	char *piece = g_malloc(CONSOLE_PIECE);
	uint32_t index = 0;
	unsigned int n;
	int rc = 0;

	*text = NULL;
	do {
		n = CONSOLE_PIECE;
		if (xc_readconsolering(xch, piece, &n, clear, 1, &index) < 0) {
			rc = xlite_hv_xen_fail(hv, errno, "xc_readconsolering");
			goto out;
		}
		g_string_append_len(out, piece, MIN(n, CONSOLE_PIECE));
	} while (n > 0 && out->len < CONSOLE_BOUND);
	*text = g_string_free(out, FALSE);
	out = NULL;
out:
	if (out)
		g_string_free(out, TRUE);
	g_free(piece);
	return rc;
}

static void xen_close(struct xlite_hv *hv)
{
	struct xlite_hv_xen *x = xen_of(hv);

	if (!x)
		return;
	xlite_hvx_xs_close(x);
	if (x->xch)
		xc_interface_close(x->xch);
	g_free(x);
	hv->priv = NULL;
}

static const struct xlite_hv_ops xen_ops = {
	.name = "xen",
	.domain_create = xen_domain_create,
	.domain_max_vcpus = xen_domain_max_vcpus,
	.domain_setmaxmem = xen_domain_setmaxmem,
	.domain_memmap_limit = xen_domain_memmap_limit,
	.domain_cpuid = xen_domain_cpuid,
	.evtchn_alloc = xen_evtchn_alloc,
	.build_pv = xlite_hvx_build_pv,
	.sched_credit = xen_sched_credit,
	.domain_pause = xen_domain_pause,
	.domain_unpause = xen_domain_unpause,
	.domain_destroy = xen_domain_destroy,
	.domain_info = xen_domain_info,
	.domain_list = xen_domain_list,
	.physinfo = xen_physinfo,
	.xs_apply = xlite_hvx_xs_apply,
	.xs_read = xlite_hvx_xs_read,
	.xs_write = xlite_hvx_xs_write,
	.xs_rm = xlite_hvx_xs_rm,
	.xs_directory = xlite_hvx_xs_directory,
	.xs_introduce = xlite_hvx_xs_introduce,
	.wait_release = xlite_hvx_wait_release,
	.xs_requests = xlite_hvx_xs_requests,
	.loop_attach = xlite_hvx_loop_attach,
	.loop_detach = xlite_hvx_loop_detach,
	.blockdev_stat = xlite_hvx_blockdev_stat,
	.bridge_check = xlite_hvx_bridge_check,
	.bridge_attach = xlite_hvx_bridge_attach,
	.loop_identity = xlite_hvx_loop_identity,
	.close = xen_close,
	.loop_backing = xlite_hvx_loop_backing,
	.netdev_exists = xlite_hvx_netdev_exists,
	.vcpu_affinity = xlite_hvx_vcpu_affinity,
	.vcpu_info = xlite_hvx_vcpu_info,
	.sched_get = xlite_hvx_sched_get,
	.vif_setup = xlite_hvx_vif_setup,
	.vif_route = xlite_hvx_vif_route,
	.domain_save = xlite_hvx_domain_save,
	.domain_restore = xlite_hvx_domain_restore,
	.domain_resume = xlite_hvx_domain_resume,
	.nbd_attach = xlite_hvx_nbd_attach,
	.nbd_detach = xlite_hvx_nbd_detach,
	.nbd_backing = xlite_hvx_nbd_backing,
	.nbd_identity = xlite_hvx_nbd_identity,
	.build_pvh = xlite_hvx_build_pvh,
	.domain_save_live = xlite_hvx_domain_save_live,
	.domain_pod_target = xlite_hvx_domain_pod_target,
	.domain_pod_info = xlite_hvx_domain_pod_info,
	.machine_memory_map = xlite_hvx_machine_memory_map,
	.domain_memory_map = xlite_hvx_domain_memory_map,
	.console_read = xen_console_read,
};

int xlite_hv_xen_open(struct xlite_hv *hv, unsigned int flags)
{
	struct xlite_hv_xen *x;
	const char *dbg = getenv("XLITE_DEBUG");
	int fd, rc = 0;

	memset(hv, 0, sizeof(*hv));
	/* Say plainly why, before libxenctrl prints its own lines. */
	fd = open(PRIVCMD, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return xlite_hv_fail(hv, -e, "Xen is not reachable: %s: %s%s", PRIVCMD,
				     strerror(e),
				     e == ENOENT ? " (not running in dom0?)" : "");
	}
	close(fd);

	x = g_new0(struct xlite_hv_xen, 1);
	x->log.base.vmessage = xtl_vmessage;
	x->log.base.destroy = xtl_destroy;
	x->log.verbose = dbg && *dbg;
	x->xs.wire_fd = -1;
	x->watch = (struct xsc_ctx)XSC_CTX_INIT;
	hv->ops = &xen_ops;
	hv->priv = x;

	x->xch = xc_interface_open(&x->log.base, &x->log.base, 0);
	if (!x->xch) {
		rc = xlite_hv_xen_fail(hv, errno, "xc_interface_open");
		goto out;
	}
	if (!(flags & XLITE_HV_NO_XENSTORE))
		rc = xlite_hvx_xs_open(hv);
out:
	return rc;
}
