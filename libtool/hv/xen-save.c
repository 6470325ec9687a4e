/* Save and restore through libxenguest (what libxl's save helper runs):
 * xc_domain_save of a PV or PVH domain (live only where Xen can track
 * dirty pages: HAP for PVH; Debian's Xen has no shadow paging for PV
 * log-dirty), xc_domain_restore into a domain apply made,
 * xc_domain_resume after a checkpoint or a failed save. */
#define XC_WANT_COMPAT_MAP_FOREIGN_API 1
#include <errno.h>
#include <sys/mman.h>

#include "libtool/hv/xen.h"

#include <xenguest.h>	/* after xenctrl.h, which it needs */

static struct xlite_hv_xen *xen_of(struct xlite_hv *hv)
{
	return hv->priv;
}

/* A 64-bit PV guest publishes its p2m table (the frame list list, or the
 * linear list's cr3) in its shared info page once its kernel set it up;
 * libxenguest cannot save a guest without one (grub's pvgrub, a kernel
 * still booting). Other guests: libxenguest decides. */
static int check_p2m(struct xlite_hv *hv, uint32_t domid)
{
	xc_interface *xch = xen_of(hv)->xch;
	xc_domaininfo_t info;
	unsigned int width = 0;
	shared_info_t *si;
	bool none;

	if (xc_domain_getinfolist(xch, domid, 1, &info) != 1 || info.domain != domid)
		return xlite_hv_fail(hv, -ESRCH, "domain %u does not exist", domid);
	if (xc_domain_get_guest_width(xch, domid, &width) < 0 || width != 8)
		return 0;
	si = xc_map_foreign_range(xch, domid, XC_PAGE_SIZE, PROT_READ,
				  (unsigned long)info.shared_info_frame);
	if (!si)
		return xlite_hv_xen_fail(hv, errno, "mapping the domain's shared info");
	none = si->arch.pfn_to_mfn_frame_list_list == 0 && si->arch.p2m_cr3 == 0;
	munmap(si, XC_PAGE_SIZE);
	if (none)
		return xlite_hv_fail(hv, -EOPNOTSUPP, "domain %u publishes no p2m table (a "
				     "bootloader such as pvgrub, or a kernel still starting): "
				     "libxenguest cannot save it", domid);
	return 0;
}

struct suspend_call {
	int (*suspend)(void *opaque);
	int (*precopy)(const struct xlite_hv_precopy *s, void *opaque);
	void *opaque;
	int rc;
};

/* libxenguest wants 1 for done, 0 for failed. */
static int on_suspend(void *data)
{
	struct suspend_call *s = data;

	s->rc = s->suspend(s->opaque);
	return s->rc == 0 ? 1 : 0;
}

/* No device model: nothing outside Xen dirties a PVH guest's memory. */
static int on_qemu_logdirty(uint32_t domid, unsigned int enable, void *data)
{
	(void)domid;
	(void)enable;
	(void)data;
	return 0;
}

static int on_precopy(struct precopy_stats stats, void *data)
{
	struct suspend_call *s = data;
	struct xlite_hv_precopy p = { stats.iteration, stats.dirty_count, stats.total_written };
	int rc = s->precopy(&p, s->opaque);

	if (rc < 0) {
		s->rc = rc;
		return XGS_POLICY_ABORT;
	}
	return rc ? XGS_POLICY_STOP_AND_COPY : XGS_POLICY_CONTINUE_PRECOPY;
}

static bool is_hvm(struct xlite_hv *hv, uint32_t domid, int *rc)
{
	xc_domaininfo_t info;

	*rc = 0;
	if (xc_domain_getinfolist(xen_of(hv)->xch, domid, 1, &info) != 1 || info.domain != domid) {
		*rc = xlite_hv_fail(hv, -ESRCH, "domain %u does not exist", domid);
		return false;
	}
	return info.flags & XEN_DOMINF_hvm_guest;
}

static int save(struct xlite_hv *hv, uint32_t domid, int fd, struct suspend_call *s)
{
	struct xlite_hv_xen *x = xen_of(hv);
	struct save_callbacks cb;
	bool hvm = is_hvm(hv, domid, &s->rc);
	int rc = s->rc;

	if (rc < 0)
		return rc;
	/* A PVH guest's p2m is Xen's: only a PV guest publishes one. */
	rc = hvm ? 0 : check_p2m(hv, domid);
	if (rc < 0)
		return rc;
	memset(&cb, 0, sizeof(cb));
	cb.suspend = on_suspend;
	cb.switch_qemu_logdirty = on_qemu_logdirty;
	if (s->precopy)
		cb.precopy_policy = on_precopy;
	cb.data = s;
	x->log.last[0] = '\0';
	hv->err[0] = '\0';
	if (xc_domain_save(x->xch, fd, domid, s->precopy ? XCFLAGS_LIVE : 0, &cb,
			   XC_STREAM_PLAIN, -1) != 0) {
		/* The callbacks' own reason first. */
		if (s->rc < 0)
			return s->rc;
		if (s->precopy && errno == EOPNOTSUPP)
			return xlite_hv_fail(hv, -EOPNOTSUPP, "Xen cannot track the pages domain %u "
					     "dirties (log-dirty: %s): it can only be moved cold",
					     domid, hvm ? "no HAP" : "this Xen has no shadow paging");
		return xlite_hv_xen_fail(hv, errno, "xc_domain_save");
	}
	return 0;
}

int xlite_hvx_domain_save(struct xlite_hv *hv, uint32_t domid, int fd,
			  int (*suspend)(void *opaque), void *opaque)
{
	struct suspend_call s = { suspend, NULL, opaque, 0 };

	return save(hv, domid, fd, &s);
}

int xlite_hvx_domain_save_live(struct xlite_hv *hv, uint32_t domid, int fd,
			       int (*suspend)(void *opaque),
			       int (*precopy)(const struct xlite_hv_precopy *p, void *opaque),
			       void *opaque)
{
	struct suspend_call s = { suspend, precopy, opaque, 0 };

	return save(hv, domid, fd, &s);
}

struct restore_call {
	struct xlite_hv *hv;
	uint32_t domid;
};

/* A stream from a Xen that recorded no CPUID policy: the default one, as
 * libxl's static_data_done applies for such streams. */
static int on_static_data_done(unsigned int missing, void *data)
{
	struct restore_call *r = data;
	struct xlite_hv_xen *x = xen_of(r->hv);

	if (!(missing & XGR_SDD_MISSING_CPUID))
		return 0;
	return xc_cpuid_apply_policy(x->xch, r->domid, true, NULL, 0, true, false, false,
				     NULL, NULL);
}

int xlite_hvx_domain_restore(struct xlite_hv *hv, uint32_t domid, int fd,
			     struct xlite_hv_build *b)
{
	struct xlite_hv_xen *x = xen_of(hv);
	struct restore_call r = { hv, domid };
	struct restore_callbacks cb;
	unsigned long store_mfn = 0, console_mfn = 0;
	int rc;

	/* A PVH domain's timer mode and paging pool, as its build sets them
	 * (the stream carries its memory, HVM context and ACPI tables). */
	if (is_hvm(hv, domid, &rc)) {
		rc = xlite_hvx_pvh_prepare(hv, domid, b);
		if (rc < 0)
			return rc;
	} else if (rc < 0) {
		return rc;
	}
	memset(&cb, 0, sizeof(cb));
	cb.static_data_done = on_static_data_done;
	cb.data = &r;
	x->log.last[0] = '\0';
	if (xc_domain_restore(x->xch, fd, domid, b->store_port, &store_mfn, b->store_domid,
			      b->console_port, &console_mfn, b->console_domid,
			      XC_STREAM_PLAIN, &cb, -1) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_restore");
	b->store_mfn = store_mfn;
	b->console_mfn = console_mfn;
	b->kcache_hit = false;
	return 0;
}

int xlite_hvx_domain_resume(struct xlite_hv *hv, uint32_t domid, bool fast)
{
	struct xlite_hv_xen *x = xen_of(hv);

	x->log.last[0] = '\0';
	if (xc_domain_resume(x->xch, domid, fast ? 1 : 0) != 0)
		return xlite_hv_xen_fail(hv, errno, "xc_domain_resume");
	if (!x->xs_open)
		return xlite_hv_fail(hv, -ENOTCONN, "xenstore is not open");
	x->xs_extra++;
	if (!xs_resume_domain(x->xs.xsh, domid))
		return xlite_hv_fail(hv, -(errno ? errno : EIO), "xs_resume_domain: %s",
				     g_strerror(errno));
	return 0;
}
