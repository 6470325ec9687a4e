/* The real hypervisor's resource ops (issue 10): vCPU affinity and state,
 * the scheduler parameters in force. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/hv/xen.h"

int xlite_hvx_vcpu_affinity(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			    const struct xlite_cpuset *cpus)
{
	struct xlite_hv_xen *x = hv->priv;
	xc_cpumap_t hard = xc_cpumap_alloc(x->xch);
	int size = xc_get_cpumap_size(x->xch), rc = 0;

	if (!hard || size <= 0) {
		rc = xlite_hv_xen_fail(hv, errno ? errno : ENOMEM, "xc_cpumap_alloc");
		goto out;
	}
	memcpy(hard, cpus->map, (size_t)size < sizeof(cpus->map) ? (size_t)size : sizeof(cpus->map));
	if (xc_vcpu_setaffinity(x->xch, domid, (int)vcpu, hard, NULL, XEN_VCPUAFFINITY_HARD) < 0)
		rc = xlite_hv_xen_fail(hv, errno, "xc_vcpu_setaffinity");
out:
	free(hard);
	return rc;
}

static void cpumap_to_set(const uint8_t *map, int size, struct xlite_cpuset *set)
{
	memset(set, 0, sizeof(*set));
	memcpy(set->map, map, (size_t)size < sizeof(set->map) ? (size_t)size : sizeof(set->map));
}

int xlite_hvx_vcpu_info(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			struct xlite_vcpuinfo *info)
{
	struct xlite_hv_xen *x = hv->priv;
	xc_cpumap_t hard = xc_cpumap_alloc(x->xch), soft = xc_cpumap_alloc(x->xch);
	int size = xc_get_cpumap_size(x->xch), rc = 0;
	xc_vcpuinfo_t vi;
	xc_domaininfo_t di;

	memset(info, 0, sizeof(*info));
	if (!hard || !soft || size <= 0) {
		rc = xlite_hv_xen_fail(hv, errno ? errno : ENOMEM, "xc_cpumap_alloc");
		goto out;
	}
	if (xc_domain_getinfolist(x->xch, domid, 1, &di) != 1 || di.domain != domid) {
		rc = xlite_hv_fail(hv, -ESRCH, "domain %u does not exist", domid);
		goto out;
	}
	if (vcpu > di.max_vcpu_id) {
		rc = xlite_hv_fail(hv, -ENOENT, "domain %u has no vcpu %u (max id %u)",
				   domid, vcpu, di.max_vcpu_id);
		goto out;
	}
	if (xc_vcpu_getinfo(x->xch, domid, vcpu, &vi) < 0) {
		rc = xlite_hv_xen_fail(hv, errno, "xc_vcpu_getinfo");
		goto out;
	}
	if (xc_vcpu_getaffinity(x->xch, domid, (int)vcpu, hard, soft,
				XEN_VCPUAFFINITY_HARD | XEN_VCPUAFFINITY_SOFT) < 0) {
		rc = xlite_hv_xen_fail(hv, errno, "xc_vcpu_getaffinity");
		goto out;
	}
	info->online = vi.online;
	info->blocked = vi.blocked;
	info->running = vi.running;
	info->cpu = vi.cpu;
	info->cpu_time_ns = vi.cpu_time;
	cpumap_to_set(hard, size, &info->hard);
	cpumap_to_set(soft, size, &info->soft);
out:
	free(hard);
	free(soft);
	return rc;
}

int xlite_hvx_sched_get(struct xlite_hv *hv, uint32_t domid, unsigned int *weight,
			unsigned int *cap)
{
	struct xlite_hv_xen *x = hv->priv;
	int sched = 0;

	if (xc_sched_id(x->xch, &sched) < 0)
		return xlite_hv_xen_fail(hv, errno, "xc_sched_id");
	if (sched == XEN_SCHEDULER_CREDIT) {
		struct xen_domctl_sched_credit s;

		memset(&s, 0, sizeof(s));
		if (xc_sched_credit_domain_get(x->xch, domid, &s) < 0)
			return xlite_hv_xen_fail(hv, errno, "xc_sched_credit_domain_get");
		*weight = s.weight;
		*cap = s.cap;
	} else if (sched == XEN_SCHEDULER_CREDIT2) {
		struct xen_domctl_sched_credit2 s;

		memset(&s, 0, sizeof(s));
		if (xc_sched_credit2_domain_get(x->xch, domid, &s) < 0)
			return xlite_hv_xen_fail(hv, errno, "xc_sched_credit2_domain_get");
		*weight = s.weight;
		*cap = s.cap;
	} else {
		return xlite_hv_fail(hv, -EOPNOTSUPP,
				     "weight and cap need the credit or credit2 scheduler");
	}
	return 0;
}
