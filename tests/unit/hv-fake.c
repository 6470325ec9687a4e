/* The fake hypervisor: an in-memory host for unit tests, with fault
 * injection. It models what rollback must undo: domains (and the event
 * channels, memory and vif ports that go with them), xenstore nodes, loop
 * devices and bridge ports. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/hv-fake.h"

#define FAKE_HOST_KIB (3072ull * 1024)

static struct xlite_hv_fake *fake_of(struct xlite_hv *hv)
{
	return hv->priv;
}

/* Every op starts here: counts it, logs it, and fails it when told to. */
static int fake_enter(struct xlite_hv *hv, const char *op)
{
	struct xlite_hv_fake *f = fake_of(hv);
	bool fail;

	f->n_ops++;
	g_ptr_array_add(f->log, g_strdup(op));
	if (f->fail_fired && f->fail2_op && strcmp(f->fail2_op, op) == 0 &&
	    ++f->fail2_seen == f->fail2_at) {
		f->fail2_fired = true;
		return xlite_hv_fail(hv, -EIO, "%s: injected failure (the second)", op);
	}
	if (f->fail_at == 0)
		return 0;
	if (f->fail_op) {
		if (strcmp(f->fail_op, op) != 0)
			return 0;
		fail = ++f->fail_op_seen == f->fail_at;
	} else {
		fail = f->n_ops == f->fail_at;
	}
	if (!fail)
		return 0;
	f->fail_fired = true;
	return xlite_hv_fail(hv, f->fail_errno ? f->fail_errno : -EIO,
			     "%s: injected failure", op);
}

struct xlite_hv_fake_dom *xlite_hv_fake_dom(struct xlite_hv_fake *fake, uint32_t domid)
{
	guint i;

	for (i = 0; i < fake->doms->len; i++) {
		struct xlite_hv_fake_dom *d =
			&g_array_index(fake->doms, struct xlite_hv_fake_dom, i);
		if (d->info.domid == domid)
			return d;
	}
	return NULL;
}

static struct xlite_hv_fake_dom *need_dom(struct xlite_hv *hv, uint32_t domid, int *rc)
{
	struct xlite_hv_fake_dom *d = xlite_hv_fake_dom(fake_of(hv), domid);

	*rc = 0;
	if (!d)
		*rc = xlite_hv_fail(hv, -ESRCH, "domain %u does not exist", domid);
	return d;
}

/* ---- xenstore model --------------------------------------------------- */

static void xs_put(struct xlite_hv_fake *f, const char *path, const char *value)
{
	char *p = g_strdup(path);
	char *slash;

	/* Like xenstored, a write creates the missing parents (empty). */
	for (slash = strchr(p + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (!g_tree_lookup(f->xs, p))
			g_tree_insert(f->xs, g_strdup(p), g_strdup(""));
		*slash = '/';
	}
	if (value || !g_tree_lookup(f->xs, p))
		g_tree_insert(f->xs, g_strdup(p), g_strdup(value ? value : ""));
	g_free(p);
}

struct prefix_scan {
	const char *prefix;		/* "PATH/" */
	size_t len;
	GPtrArray *hits;
};

static gboolean collect_prefix(gpointer key, gpointer value, gpointer data)
{
	struct prefix_scan *s = data;

	(void)value;
	if (strncmp(key, s->prefix, s->len) == 0)
		g_ptr_array_add(s->hits, key);
	return FALSE;
}

static void xs_del(struct xlite_hv_fake *f, const char *path)
{
	char *prefix = g_strconcat(path, "/", NULL);
	struct prefix_scan s = { prefix, strlen(prefix), g_ptr_array_new() };
	guint i;

	g_tree_foreach(f->xs, collect_prefix, &s);
	/* Keys point into the tree: copy before removing. */
	for (i = 0; i < s.hits->len; i++)
		s.hits->pdata[i] = g_strdup(s.hits->pdata[i]);
	for (i = 0; i < s.hits->len; i++) {
		g_tree_remove(f->xs, s.hits->pdata[i]);
		g_free(s.hits->pdata[i]);
	}
	g_tree_remove(f->xs, path);
	g_ptr_array_free(s.hits, TRUE);
	g_free(prefix);
}

static bool path_ok(const char *path)
{
	return path && path[0] == '/' && !strstr(path, "${") && !strstr(path, "//");
}

/* ---- domains ---------------------------------------------------------- */

static int fake_domain_create(struct xlite_hv *hv, const struct xlite_hv_create *c,
			      uint32_t *domid)
{
	struct xlite_hv_fake *f = fake_of(hv);
	struct xlite_hv_fake_dom d;
	int rc = fake_enter(hv, "domain_create");

	if (rc)
		return rc;
	if (c->max_vcpus == 0)
		return xlite_hv_fail(hv, -EINVAL, "domain_create: no vcpus");
	memset(&d, 0, sizeof(d));
	d.info.domid = f->next_domid++;
	memcpy(d.info.uuid, c->uuid, 16);
	d.info.paused = true;
	d.max_grant_frames = c->max_grant_frames;
	d.max_evtchn_port = c->max_evtchn_port;
	d.info.hvm = c->pvh;
	g_array_append_val(f->doms, d);
	*domid = d.info.domid;
	return 0;
}

static int fake_domain_max_vcpus(struct xlite_hv *hv, uint32_t domid, unsigned int n)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_max_vcpus");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	d->info.vcpus_online = n;
	d->info.max_vcpu_id = n - 1;
	return 0;
}

static int fake_domain_setmaxmem(struct xlite_hv *hv, uint32_t domid, uint64_t kib)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_setmaxmem");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	d->maxmem_kib = kib;
	d->info.max_kib = kib;
	return 0;
}

static int fake_domain_memmap_limit(struct xlite_hv *hv, uint32_t domid, uint64_t kib)
{
	int rc = fake_enter(hv, "domain_memmap_limit");

	(void)kib;
	if (rc || !need_dom(hv, domid, &rc))
		return rc;
	return 0;
}

static int fake_domain_cpuid(struct xlite_hv *hv, uint32_t domid)
{
	int rc = fake_enter(hv, "domain_cpuid");

	if (rc || !need_dom(hv, domid, &rc))
		return rc;
	return 0;
}

static int fake_evtchn_alloc(struct xlite_hv *hv, uint32_t domid, uint32_t remote,
			     uint32_t *port)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "evtchn_alloc");

	(void)remote;
	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	*port = ++d->n_evtchn;
	return 0;
}

/* build_pv and build_pvh: each only on a domain of its kind. */
static int fake_build(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b, bool pvh)
{
	struct xlite_hv_fake *f = fake_of(hv);
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, pvh ? "build_pvh" : "build_pv");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (d->info.vcpus_online == 0)
		return xlite_hv_fail(hv, -EINVAL, "xc_dom_boot_image: SETVCPUCONTEXT failed");
	if (d->info.hvm != pvh)
		return xlite_hv_fail(hv, -EINVAL, "%s of a %s domain", pvh ? "build_pvh" : "build_pv",
				     d->info.hvm ? "PVH" : "PV");
	if (pvh && b->paging_kib == 0)
		return xlite_hv_fail(hv, -EINVAL, "xc_set_paging_mempool_size: no paging pool");
	if (f->kernel_bad)
		return xlite_hv_fail(hv, -EINVAL, "%s: not a Xen %s kernel (ELF or bzImage)",
				     b->kernel, pvh ? "PVH" : "PV");
	if (b->mem_kib > f->host_free_kib || b->mem_kib > d->maxmem_kib)
		return xlite_hv_fail(hv, -ENOMEM, "xc_dom_boot_mem_init: out of memory");
	if (pvh && b->max_kib && (b->max_kib < b->mem_kib || b->max_kib > d->maxmem_kib))
		return xlite_hv_fail(hv, -EINVAL, "meminit_hvm: %llu KiB of %llu KiB",
				     (unsigned long long)b->mem_kib,
				     (unsigned long long)b->max_kib);
	f->host_free_kib -= b->mem_kib;
	d->info.tot_kib = b->mem_kib;
	/* meminit_hvm: below the maximum, the rest is populate-on-demand */
	if (pvh && b->max_kib > b->mem_kib) {
		d->pod_entries = (b->max_kib - b->mem_kib) / 4;
		d->pod_target_pages = b->mem_kib / 4;
	}
	d->built = true;
	b->console_mfn = pvh ? 0xfeffc : 0x10000 + domid * 2;
	b->store_mfn = pvh ? 0xfeffb : 0x10001 + domid * 2;
	b->kcache_hit = false;
	return 0;
}

static int fake_build_pv(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b)
{
	return fake_build(hv, domid, b, false);
}

static int fake_build_pvh(struct xlite_hv *hv, uint32_t domid, struct xlite_hv_build *b)
{
	return fake_build(hv, domid, b, true);
}

static int fake_sched_credit(struct xlite_hv *hv, uint32_t domid,
			     unsigned int weight, unsigned int cap)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "sched_credit");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	d->weight = weight;
	d->cap = cap;
	return 0;
}

static int fake_vcpu_affinity(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			      const struct xlite_cpuset *cpus)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "vcpu_affinity");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (vcpu >= G_N_ELEMENTS(d->affinity) || vcpu > d->info.max_vcpu_id)
		return xlite_hv_fail(hv, -EINVAL, "vcpu %u out of range", vcpu);
	d->affinity[vcpu] = *cpus;
	return 0;
}

static int fake_vcpu_info(struct xlite_hv *hv, uint32_t domid, unsigned int vcpu,
			  struct xlite_vcpuinfo *info)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "vcpu_info");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (vcpu > d->info.max_vcpu_id || vcpu >= G_N_ELEMENTS(d->affinity))
		return xlite_hv_fail(hv, -ENOENT, "domain %u has no vcpu %u", domid, vcpu);
	memset(info, 0, sizeof(*info));
	info->online = true;
	info->hard = d->affinity[vcpu];
	memset(&info->soft, 0xff, sizeof(info->soft));
	return 0;
}

static int fake_sched_get(struct xlite_hv *hv, uint32_t domid, unsigned int *weight,
			  unsigned int *cap)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "sched_get");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	*weight = d->weight ? d->weight : 256;
	*cap = d->cap;
	return 0;
}

static int fake_domain_pause(struct xlite_hv *hv, uint32_t domid)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_pause");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	d->info.paused = true;
	d->info.running = d->info.blocked = false;
	return 0;
}

static int fake_domain_unpause(struct xlite_hv *hv, uint32_t domid)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_unpause");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (!d->built)
		return xlite_hv_fail(hv, -EINVAL, "domain %u has no image", domid);
	d->info.paused = false;
	d->info.blocked = true;
	return 0;
}

static void free_linger(gpointer p)
{
	struct xlite_hv_fake_linger *l = p;

	g_free(l->what);
	g_free(l);
}

/* NAME (a loop device or a vif) lets go only after linger_polls probes. */
static void linger(struct xlite_hv_fake *f, const char *name, const char *what)
{
	struct xlite_hv_fake_linger *l;

	if (!f->linger_polls)
		return;
	if (!f->lingering)
		f->lingering = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_linger);
	l = g_new0(struct xlite_hv_fake_linger, 1);
	l->what = g_strdup(what);
	l->left = f->linger_polls;
	g_hash_table_replace(f->lingering, g_strdup(name), l);
}

/* Whether NAME still lingers (one probe used up); *what its detail. */
static bool lingers(struct xlite_hv_fake *f, const char *name, char **what)
{
	struct xlite_hv_fake_linger *l;

	l = f->lingering ? g_hash_table_lookup(f->lingering, name) : NULL;
	if (!l)
		return false;
	*what = g_strdup(l->what);
	if (l->left != G_MAXUINT && --l->left == 0)
		g_hash_table_remove(f->lingering, name);
	return true;
}

/* The name netback gave a port: vifD.N, also after a rename. */
static const char *port_origin(struct xlite_hv_fake *f, const char *name)
{
	const char *o = g_hash_table_lookup(f->renamed, name);

	return o ? o : name;
}

/* The kernel drops port I of PORTS (on bridge BR): with it go its routes
 * and the name it was given. */
static void drop_port(struct xlite_hv_fake *f, GPtrArray *ports, guint i, const char *br)
{
	const char *name = ports->pdata[i];
	g_autofree char *prefix = g_strdup_printf("%s ", name);
	guint j = 0;

	linger(f, name, br);
	while (j < f->routes->len) {
		if (g_str_has_prefix(f->routes->pdata[j], prefix))
			g_ptr_array_remove_index(f->routes, j);
		else
			j++;
	}
	g_hash_table_remove(f->renamed, name);
	g_ptr_array_remove_index(ports, i);
}

/* A renamed vif that is on no bridge yet goes too: its name with it. */
static gboolean renamed_from(gpointer key, gpointer value, gpointer prefix)
{
	(void)key;
	return g_str_has_prefix(value, prefix);
}

static gboolean renamed_is(gpointer key, gpointer value, gpointer name)
{
	(void)key;
	return strcmp(value, name) == 0;
}

static void drop_vif_ports(struct xlite_hv_fake *f, uint32_t domid)
{
	GHashTableIter it;
	gpointer key, val;
	char prefix[32];

	snprintf(prefix, sizeof(prefix), "vif%u.", domid);
	g_hash_table_iter_init(&it, f->bridges);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		GPtrArray *ports = val;
		guint i = 0;

		while (i < ports->len) {
			if (g_str_has_prefix(port_origin(f, ports->pdata[i]), prefix)) {
				drop_port(f, ports, i, key);
			} else {
				i++;
			}
		}
	}
	/* a renamed vif on no bridge yet goes too, its name with it */
	g_hash_table_foreach_remove(f->renamed, renamed_from, prefix);
}

static int fake_domain_destroy(struct xlite_hv *hv, uint32_t domid)
{
	struct xlite_hv_fake *f = fake_of(hv);
	guint i;
	int rc = fake_enter(hv, "domain_destroy");

	if (rc)
		return rc;
	if (domid == 0)
		return xlite_hv_fail(hv, -EPERM, "cannot destroy dom0");
	for (i = 0; i < f->doms->len; i++) {
		struct xlite_hv_fake_dom *d =
			&g_array_index(f->doms, struct xlite_hv_fake_dom, i);
		if (d->info.domid != domid)
			continue;
		f->host_free_kib += d->info.tot_kib;
		g_array_remove_index(f->doms, i);
		drop_vif_ports(f, domid);	/* the kernel drops vifD.N */
		return 0;
	}
	return xlite_hv_fail(hv, -ESRCH, "domain %u does not exist", domid);
}

static int fake_domain_info(struct xlite_hv *hv, uint32_t domid, struct xlite_dominfo *info)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_info");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	*info = d->info;
	return 0;
}

static int fake_domain_list(struct xlite_hv *hv, struct xlite_dominfo **infos, size_t *n)
{
	struct xlite_hv_fake *f = fake_of(hv);
	guint i;
	int rc = fake_enter(hv, "domain_list");

	if (rc)
		return rc;
	*infos = g_new0(struct xlite_dominfo, f->doms->len ? f->doms->len : 1);
	for (i = 0; i < f->doms->len; i++)
		(*infos)[i] = g_array_index(f->doms, struct xlite_hv_fake_dom, i).info;
	*n = f->doms->len;
	return 0;
}

static int fake_physinfo(struct xlite_hv *hv, struct xlite_physinfo *info)
{
	struct xlite_hv_fake *f = fake_of(hv);
	int rc = fake_enter(hv, "physinfo");

	if (rc)
		return rc;
	memset(info, 0, sizeof(*info));
	info->xen_major = 4;
	info->xen_minor = 17;
	snprintf(info->xen_extra, sizeof(info->xen_extra), ".0-fake");
	snprintf(info->xen_scheduler, sizeof(info->xen_scheduler), "credit");
	info->xen_pagesize = 4096;
	info->nr_cpus = 2;
	info->cores_per_socket = 2;
	info->threads_per_core = 1;
	info->nr_nodes = 1;
	info->cap_pv = true;
	/* Debian's Xen: HVM with HAP, no shadow paging (PV guests move cold). */
	info->cap_hvm = info->cap_hap = true;
	info->cap_gnttab_v1 = info->cap_gnttab_v2 = true;
	info->total_pages = FAKE_HOST_KIB / 4;
	info->free_pages = f->host_free_kib / 4;
	return 0;
}

/* ---- xenstore --------------------------------------------------------- */

/* What the fake stores at PATH for VALUE: blkback takes a vbd backend
 * written Initialising to InitWait at once (unless it stalls). */
static const char *blkback_probes(const struct xlite_hv_fake *f, const char *path,
				  const char *value)
{
	unsigned int d, n;
	int end = 0;

	if (f->blkback_stalls || !value || strcmp(value, "1") != 0 ||
	    sscanf(path, "/local/domain/0/backend/vbd/%u/%u/state%n", &d, &n, &end) != 2 ||
	    path[end] != '\0')
		return value;
	return "2";
}

static int fake_xs_apply(struct xlite_hv *hv, struct xsc_batch *batch)
{
	struct xlite_hv_fake *f = fake_of(hv);
	const struct xsc_op *ops = (const struct xsc_op *)(const void *)batch->ops->data;
	size_t i, n = batch->ops->len;
	int rc = fake_enter(hv, "xs_apply");

	if (rc)
		return rc;
	if (batch->status < 0)
		return xlite_hv_fail(hv, batch->status, "xs_apply: %s", batch->err.msg);
	/* Check everything first: the transaction is all or nothing. */
	for (i = 0; i < n; i++)
		if (!path_ok(ops[i].path) ||
		    (ops[i].kind != XSC_OP_MKDIR && ops[i].kind != XSC_OP_WRITE) ||
		    (ops[i].kind == XSC_OP_WRITE && (!ops[i].value || strstr(ops[i].value, "${"))))
			return xlite_hv_fail(hv, -EINVAL, "xs_apply: bad op %zu (%s)", i,
					     ops[i].path ? ops[i].path : "(null)");
	for (i = 0; i < n; i++) {
		switch (ops[i].kind) {
		case XSC_OP_MKDIR:
			xs_put(f, ops[i].path, NULL);
			f->xs_requests += ops[i].n_perms ? 2 : 1;
			break;
		case XSC_OP_WRITE:
			xs_put(f, ops[i].path, blkback_probes(f, ops[i].path, ops[i].value));
			f->xs_requests++;
			break;
		case XSC_OP_RM:
		case XSC_OP_SET_PERMS:
			break;	/* refused above */
		}
	}
	f->xs_requests += 2;	/* transaction start and end */
	return 0;
}

static int fake_xs_read(struct xlite_hv *hv, const char *path, char **value)
{
	struct xlite_hv_fake *f = fake_of(hv);
	const char *v;
	int rc = fake_enter(hv, "xs_read");

	if (rc)
		return rc;
	f->xs_requests++;
	v = g_tree_lookup(f->xs, path);
	if (!v)
		return xlite_hv_fail(hv, -ENOENT, "%s: no such node", path);
	*value = g_strdup(v);
	return 0;
}

/* A PV guest's xenbus: it takes control/shutdown = "suspend" (removes
 * the node) and suspends. */
static void fake_guest_control(struct xlite_hv_fake *f, const char *path, const char *value)
{
	unsigned int domid;
	int end = 0;

	if (f->guest_ignores_suspend || strcmp(value, "suspend") != 0 ||
	    sscanf(path, "/local/domain/%u/control/shutdown%n", &domid, &end) != 1 ||
	    path[end] != '\0' || !xlite_hv_fake_dom(f, domid))
		return;
	xs_del(f, path);
	xlite_hv_fake_shutdown(f, domid, XLITE_SHUTDOWN_SUSPEND);
}

/* balloons_follow: the guest's balloon driver reaches a new target. */
static void balloon_follows(struct xlite_hv_fake *f, const char *path, const char *value)
{
	struct xlite_hv_fake_dom *d = NULL;
	unsigned int domid, i;
	guint64 kib;
	char tail;

	if (!f->balloons_follow || !value ||
	    sscanf(path, "/local/domain/%u/memory/target%c", &domid, &tail) != 1 ||
	    !g_ascii_string_to_unsigned(value, 10, 0, G_MAXUINT64, &kib, NULL))
		return;
	for (i = 0; i < f->doms->len; i++)
		if (g_array_index(f->doms, struct xlite_hv_fake_dom, i).info.domid == domid)
			d = &g_array_index(f->doms, struct xlite_hv_fake_dom, i);
	if (!d || !d->built || domid == 0)
		return;
	if (kib > d->info.tot_kib)
		kib = d->info.tot_kib + MIN(kib - d->info.tot_kib, f->host_free_kib);
	f->host_free_kib += d->info.tot_kib;
	f->host_free_kib -= kib;
	d->info.tot_kib = kib;
}

static int fake_xs_write(struct xlite_hv *hv, const char *path, const char *value)
{
	struct xlite_hv_fake *f = fake_of(hv);
	int rc = fake_enter(hv, "xs_write");

	if (rc)
		return rc;
	if (!path_ok(path))
		return xlite_hv_fail(hv, -EINVAL, "%s: bad path", path);
	f->xs_requests++;
	xs_put(f, path, blkback_probes(f, path, value));
	fake_guest_control(f, path, value);
	balloon_follows(f, path, value);
	return 0;
}

/* netback drops vifD.N, and its bridge port, when its backend directory
 * goes (a whole /local/domain/0/backend/vif/D takes every vifD.*). */
static void drop_vif_of_backend(struct xlite_hv_fake *f, const char *path)
{
	unsigned int domid, devid;
	GHashTableIter it;
	gpointer key, val;
	char name[32], tail;

	if (sscanf(path, "/local/domain/0/backend/vif/%u/%u%c", &domid, &devid, &tail) != 2) {
		if (sscanf(path, "/local/domain/0/backend/vif/%u%c", &domid, &tail) == 1)
			drop_vif_ports(f, domid);
		return;
	}
	snprintf(name, sizeof(name), "vif%u.%u", domid, devid);
	g_hash_table_iter_init(&it, f->bridges);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		GPtrArray *ports = val;
		guint i = 0;

		while (i < ports->len) {
			if (strcmp(port_origin(f, ports->pdata[i]), name) == 0) {
				drop_port(f, ports, i, key);
			} else {
				i++;
			}
		}
	}
	/* a renamed vif on no bridge yet goes too, its name with it */
	g_hash_table_foreach_remove(f->renamed, renamed_is, name);
}

static int fake_xs_rm(struct xlite_hv *hv, const char *path)
{
	struct xlite_hv_fake *f = fake_of(hv);
	int rc = fake_enter(hv, "xs_rm");

	if (rc)
		return rc;
	f->xs_requests++;
	xs_del(f, path);
	drop_vif_of_backend(f, path);
	return 0;
}

static int fake_xs_directory(struct xlite_hv *hv, const char *path, char ***names)
{
	struct xlite_hv_fake *f = fake_of(hv);
	char *prefix;
	struct prefix_scan s;
	GPtrArray *out;
	guint i;
	int rc = fake_enter(hv, "xs_directory");

	if (rc)
		return rc;
	f->xs_requests++;
	if (!g_tree_lookup(f->xs, path))
		return xlite_hv_fail(hv, -ENOENT, "%s: no such node", path);
	prefix = g_strconcat(path, "/", NULL);
	s = (struct prefix_scan){ prefix, strlen(prefix), g_ptr_array_new() };
	g_tree_foreach(f->xs, collect_prefix, &s);
	out = g_ptr_array_new();
	for (i = 0; i < s.hits->len; i++) {
		const char *rest = (const char *)s.hits->pdata[i] + s.len;
		if (!strchr(rest, '/'))
			g_ptr_array_add(out, g_strdup(rest));
	}
	g_ptr_array_add(out, NULL);
	*names = (char **)g_ptr_array_free(out, FALSE);
	g_ptr_array_free(s.hits, TRUE);
	g_free(prefix);
	return 0;
}

static int fake_xs_introduce(struct xlite_hv *hv, uint32_t domid, uint64_t store_mfn,
			     uint32_t store_port)
{
	struct xlite_hv_fake *f = fake_of(hv);
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "xs_introduce");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (store_mfn == 0 || store_port == 0)
		return xlite_hv_fail(hv, -EINVAL, "introduce: no store ring");
	f->xs_requests++;
	d->introduced = true;
	return 0;
}

static int fake_wait_release(struct xlite_hv *hv, int timeout_ms)
{
	(void)timeout_ms;
	return fake_enter(hv, "wait_release");
}

static unsigned long fake_xs_requests(struct xlite_hv *hv)
{
	return fake_of(hv)->xs_requests;
}

/* ---- host devices ----------------------------------------------------- */

/* A loop (or nbd) device serving FILE: "/dev/PREFIX<N>", MAJOR:N, N from
 * *NEXT; kept in f->loops either way. */
static int fake_dev_attach(struct xlite_hv *hv, const char *op, const char *prefix,
			   unsigned int maj, unsigned int *next, const char *file,
			   char **dev, unsigned int *major, unsigned int *minor)
{
	int rc = fake_enter(hv, op);

	if (rc)
		return rc;
	if (!file || file[0] != '/')
		return xlite_hv_fail(hv, -ENOENT, "%s: no such file", file ? file : "(null)");
	*dev = g_strdup_printf("/dev/%s%u", prefix, *next);
	*major = maj;
	*minor = (*next)++;
	g_hash_table_insert(fake_of(hv)->loops, g_strdup(*dev), g_strdup(file));
	return 0;
}

static int fake_loop_attach(struct xlite_hv *hv, const char *file, bool readonly,
			    char **dev, unsigned int *major, unsigned int *minor)
{
	(void)readonly;
	return fake_dev_attach(hv, "loop_attach", "loop", 7, &fake_of(hv)->next_loop, file,
			       dev, major, minor);
}

static int fake_loop_detach(struct xlite_hv *hv, const char *dev)
{
	struct xlite_hv_fake *f = fake_of(hv);
	const char *backing;
	int rc = fake_enter(hv, "loop_detach");

	if (rc)
		return rc;
	backing = g_hash_table_lookup(f->loops, dev);
	if (backing)
		linger(f, dev, backing);
	if (!g_hash_table_remove(f->loops, dev))
		return xlite_hv_fail(hv, -ENXIO, "%s: not attached", dev);
	return 0;
}

static int fake_blockdev_stat(struct xlite_hv *hv, const char *path,
			      unsigned int *major, unsigned int *minor)
{
	int rc = fake_enter(hv, "blockdev_stat");

	if (rc)
		return rc;
	if (!g_str_has_prefix(path, "/dev/"))
		return xlite_hv_fail(hv, -ENOTBLK, "%s: not a block device", path);
	*major = 8;
	*minor = 0;
	return 0;
}

static int fake_bridge_check(struct xlite_hv *hv, const char *bridge)
{
	int rc = fake_enter(hv, "bridge_check");

	if (rc)
		return rc;
	if (!g_hash_table_lookup(fake_of(hv)->bridges, bridge))
		return xlite_hv_fail(hv, -ENOENT, "bridge %s does not exist", bridge);
	return 0;
}

static int fake_bridge_attach(struct xlite_hv *hv, const char *bridge, const char *ifname,
			      int timeout_ms)
{
	GPtrArray *ports;
	int rc = fake_enter(hv, "bridge_attach");

	(void)timeout_ms;
	if (rc)
		return rc;
	ports = g_hash_table_lookup(fake_of(hv)->bridges, bridge);
	if (!ports)
		return xlite_hv_fail(hv, -ENOENT, "bridge %s does not exist", bridge);
	g_ptr_array_add(ports, g_strdup(ifname));
	return 0;
}

static int fake_vif_setup(struct xlite_hv *hv, const char *ifname, const char *newname,
			  unsigned int mtu, int timeout_ms)
{
	struct xlite_hv_fake *f = fake_of(hv);
	GHashTableIter it;
	gpointer key, val;
	bool taken;
	int rc = fake_enter(hv, "vif_setup");

	(void)timeout_ms;
	(void)mtu;
	if (rc)
		return rc;
	if (!g_str_has_prefix(ifname, "vif"))
		return xlite_hv_fail(hv, -ENODEV, "interface '%s' does not exist", ifname);
	taken = newname && g_hash_table_lookup(f->renamed, newname);
	g_hash_table_iter_init(&it, f->bridges);
	while (newname && !taken && g_hash_table_iter_next(&it, &key, &val))
		taken = g_ptr_array_find_with_equal_func(val, newname, g_str_equal, NULL);
	if (taken)
		return xlite_hv_fail(hv, -EEXIST, "renaming '%s' to '%s': File exists", ifname,
				     newname);
	if (newname)
		g_hash_table_insert(f->renamed, g_strdup(newname), g_strdup(ifname));
	return 0;
}

static int fake_vif_route(struct xlite_hv *hv, const char *ifname, const char *const *ips,
			  int timeout_ms)
{
	struct xlite_hv_fake *f = fake_of(hv);
	GPtrArray *ports;
	unsigned int i;
	int rc = fake_enter(hv, "vif_route");

	(void)timeout_ms;
	if (rc)
		return rc;
	ports = g_hash_table_lookup(f->bridges, XLITE_HV_FAKE_ROUTED);
	if (!ports) {
		ports = g_ptr_array_new_with_free_func(g_free);
		g_hash_table_insert(f->bridges, g_strdup(XLITE_HV_FAKE_ROUTED), ports);
	}
	g_ptr_array_add(ports, g_strdup(ifname));
	for (i = 0; ips && ips[i]; i++)
		g_ptr_array_add(f->routes, g_strdup_printf("%s %s", ifname, ips[i]));
	return 0;
}

static int fake_loop_backing(struct xlite_hv *hv, const char *dev, char **backing)
{
	struct xlite_hv_fake *f = fake_of(hv);
	const char *v;
	int rc = fake_enter(hv, "loop_backing");

	*backing = NULL;
	if (rc)
		return rc;
	v = g_hash_table_lookup(f->loops, dev);
	if (v)
		*backing = g_strdup(v);
	else
		lingers(f, dev, backing);
	return 0;
}

static int fake_netdev_exists(struct xlite_hv *hv, const char *ifname, char **master)
{
	struct xlite_hv_fake *f = fake_of(hv);
	GHashTableIter it;
	gpointer key, val;
	guint i;
	int rc = fake_enter(hv, "netdev_exists");

	*master = NULL;
	if (rc)
		return rc;
	g_hash_table_iter_init(&it, f->bridges);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		GPtrArray *ports = val;

		for (i = 0; i < ports->len; i++)
			if (strcmp(ports->pdata[i], ifname) == 0) {
				*master = g_strdup(key);
				return 1;
			}
	}
	return lingers(f, ifname, master) ? 1 : 0;
}


/* The fake's loop devices are 7:N, /dev/loopN; the file's real identity. */
static int fake_loop_identity(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			      uint64_t *dev, uint64_t *ino)
{
	struct xlite_hv_fake *f = fake_of(hv);
	char name[32];
	const char *file;
	struct stat st;
	int rc = fake_enter(hv, "loop_identity");

	if (rc)
		return rc;
	snprintf(name, sizeof(name), "/dev/loop%u", minor);
	file = major == 7 ? g_hash_table_lookup(f->loops, name) : NULL;
	if (!file || stat(file, &st) < 0)
		return xlite_hv_fail(hv, -ENXIO, "%x:%x: not a bound loop device", major, minor);
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* ---- save and restore ------------------------------------------------ */

#define FAKE_STREAM_MAGIC "XLFAKE1\n"
#define FAKE_STREAM_MAGIC_HVM "XLFAKEH\n"
#define FAKE_STREAM_END "XLEND\n"

static uint8_t fake_page_byte(uint64_t i)
{
	return (uint8_t)(i * 31 + 7);
}

static int fake_write(struct xlite_hv *hv, int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return xlite_hv_fail(hv, n < 0 ? -errno : -EIO,
					     "xc_domain_save: write: %s", g_strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fake_read(struct xlite_hv *hv, int fd, void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return xlite_hv_fail(hv, -errno, "xc_domain_restore: read: %s",
					     g_strerror(errno));
		if (n == 0)
			return xlite_hv_fail(hv, -EIO, "xc_domain_restore: truncated stream");
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The fake stream: magic (PV or HVM, as libxenguest's domain header
 * says), 8 bytes of length, that many bytes of "memory" (a pattern), the
 * end marker; the domain suspended before its memory. */
static int save_body(struct xlite_hv *hv, uint32_t domid, int fd,
		     int (*suspend)(void *opaque), void *opaque)
{
	struct xlite_hv_fake *f = fake_of(hv);
	struct xlite_hv_fake_dom *d = xlite_hv_fake_dom(f, domid);
	uint64_t len = f->save_bytes ? f->save_bytes : 256 * 1024, i, j;
	uint8_t buf[4096];
	int rc;

	rc = fake_write(hv, fd, d->info.hvm ? FAKE_STREAM_MAGIC_HVM : FAKE_STREAM_MAGIC, 8);
	if (rc == 0)
		rc = fake_write(hv, fd, &len, sizeof(len));
	if (rc < 0)
		return rc;
	rc = suspend(opaque);
	if (rc < 0)
		return rc;
	d = xlite_hv_fake_dom(f, domid);
	if (!d || !d->info.shutdown || d->info.shutdown_reason != XLITE_SHUTDOWN_SUSPEND)
		return xlite_hv_fail(hv, -EINVAL, "xc_domain_save: Domain has not been suspended");
	for (i = 0; i < len; i += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), len - i);

		if (f->save_dies && i >= len / 2) {
			fake_domain_destroy(hv, domid);
			return xlite_hv_fail(hv, -ESRCH, "xc_domain_save: domain %u vanished",
					     domid);
		}
		for (j = 0; j < n; j++)
			buf[j] = fake_page_byte(i + j);
		rc = fake_write(hv, fd, buf, n);
		if (rc < 0)
			return rc;
	}
	return fake_write(hv, fd, FAKE_STREAM_END, 6);
}

static int fake_domain_save(struct xlite_hv *hv, uint32_t domid, int fd,
			    int (*suspend)(void *opaque), void *opaque)
{
	int rc = fake_enter(hv, "domain_save");

	if (rc || !need_dom(hv, domid, &rc))
		return rc;
	return save_body(hv, domid, fd, suspend, opaque);
}

/* Live: a PVH domain's dirty pages are tracked (HAP), a PV domain's are not
 * (no shadow paging, as Debian's Xen). Rounds of a shrinking dirty count
 * (live_dirty[i]; none set: 500, 100, 20, ...) until the policy stops. */
static int fake_domain_save_live(struct xlite_hv *hv, uint32_t domid, int fd,
				 int (*suspend)(void *opaque),
				 int (*precopy)(const struct xlite_hv_precopy *s, void *opaque),
				 void *opaque)
{
	struct xlite_hv_fake *f = fake_of(hv);
	struct xlite_hv_fake_dom *d;
	struct xlite_hv_precopy p = { 0, -1, 0 };
	uint64_t pages = (f->save_bytes ? f->save_bytes : 256 * 1024) / 4096;
	int rc = fake_enter(hv, "domain_save_live");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (!d->info.hvm)
		return xlite_hv_fail(hv, -EOPNOTSUPP, "xc_domain_save: Failed to enable "
				     "logdirty: 95 (Operation not supported)");
	for (;;) {
		rc = precopy(&p, opaque);
		if (rc < 0)
			return rc;
		if (rc > 0)
			break;
		p.pages_sent += p.iteration == 0 ? pages : (uint64_t)p.dirty_pages;
		p.dirty_pages = p.iteration < G_N_ELEMENTS(f->live_dirty) &&
				f->live_dirty[p.iteration] ? f->live_dirty[p.iteration] :
				500 / (long)(1u << (2 * MIN(p.iteration, 8u)));
		p.iteration++;
	}
	return save_body(hv, domid, fd, suspend, opaque);
}

static int fake_domain_restore(struct xlite_hv *hv, uint32_t domid, int fd,
			       struct xlite_hv_build *b)
{
	struct xlite_hv_fake *f = fake_of(hv);
	struct xlite_hv_fake_dom *d;
	uint8_t buf[4096];
	uint64_t len, i, j;
	int rc = fake_enter(hv, "domain_restore");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	rc = fake_read(hv, fd, buf, 8);
	if (rc == 0 && memcmp(buf, FAKE_STREAM_MAGIC, 8) != 0 &&
	    memcmp(buf, FAKE_STREAM_MAGIC_HVM, 8) != 0)
		rc = xlite_hv_fail(hv, -EINVAL, "xc_domain_restore: not a stream");
	if (rc == 0 && (memcmp(buf, FAKE_STREAM_MAGIC_HVM, 8) == 0) != d->info.hvm)
		rc = xlite_hv_fail(hv, -EINVAL, "xc_domain_restore: %s stream, %s domain",
				   d->info.hvm ? "a PV" : "an HVM", d->info.hvm ? "an HVM" : "a PV");
	/* As build_pvh: Xen's paging pool is set before memory goes in. */
	if (rc == 0 && d->info.hvm && b->paging_kib == 0)
		rc = xlite_hv_fail(hv, -ENOMEM, "xc_domain_restore: no paging pool");
	if (rc == 0)
		rc = fake_read(hv, fd, &len, sizeof(len));
	for (i = 0; rc == 0 && i < len; i += sizeof(buf)) {
		size_t n = MIN(sizeof(buf), len - i);

		rc = fake_read(hv, fd, buf, n);
		for (j = 0; rc == 0 && j < n; j++)
			if (buf[j] != fake_page_byte(i + j))
				rc = xlite_hv_fail(hv, -EINVAL, "xc_domain_restore: bad page data");
	}
	if (rc == 0)
		rc = fake_read(hv, fd, buf, 6);
	if (rc == 0 && memcmp(buf, FAKE_STREAM_END, 6) != 0)
		rc = xlite_hv_fail(hv, -EINVAL, "xc_domain_restore: no end record");
	if (rc < 0)
		return rc;
	if (len / 1024 > f->host_free_kib)
		return xlite_hv_fail(hv, -ENOMEM, "xc_domain_restore: out of memory");
	f->host_free_kib -= len / 1024;
	d->info.tot_kib = len / 1024;
	d->built = true;
	b->console_mfn = d->info.hvm ? 0xfeffc : 0x10000 + domid * 2;
	b->store_mfn = d->info.hvm ? 0xfeffb : 0x10001 + domid * 2;
	b->kcache_hit = false;
	return 0;
}

static int fake_domain_resume(struct xlite_hv *hv, uint32_t domid, bool fast)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_resume");

	(void)fast;
	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (!d->info.shutdown || d->info.shutdown_reason != XLITE_SHUTDOWN_SUSPEND)
		return xlite_hv_fail(hv, -EINVAL, "xc_domain_resume: domain %u is not suspended",
				     domid);
	d->info.shutdown = false;
	d->info.shutdown_reason = 0;
	d->info.blocked = true;
	return 0;
}

/* nbd devices serve their qcow2 file at once; nbd_detach returns once the
 * device is free (the real one waits for blkback and qemu-nbd itself). */
static int fake_nbd_attach(struct xlite_hv *hv, const char *file, bool readonly,
			   char **dev, unsigned int *major, unsigned int *minor)
{
	(void)readonly;
	return fake_dev_attach(hv, "nbd_attach", "nbd", 43, &fake_of(hv)->next_nbd, file,
			       dev, major, minor);
}

static int fake_nbd_detach(struct xlite_hv *hv, const char *dev)
{
	int rc = fake_enter(hv, "nbd_detach");

	if (rc)
		return rc;
	g_hash_table_remove(fake_of(hv)->loops, dev);	/* not connected: fine */
	return 0;
}

static int fake_nbd_backing(struct xlite_hv *hv, const char *dev, char **backing)
{
	const char *v;
	int rc = fake_enter(hv, "nbd_backing");

	*backing = NULL;
	if (rc)
		return rc;
	v = g_hash_table_lookup(fake_of(hv)->loops, dev);
	*backing = g_strdup(v);
	return 0;
}

static int fake_nbd_identity(struct xlite_hv *hv, unsigned int major, unsigned int minor,
			     uint64_t *dev, uint64_t *ino)
{
	char name[32];
	const char *file;
	struct stat st;
	int rc = fake_enter(hv, "nbd_identity");

	if (rc)
		return rc;
	snprintf(name, sizeof(name), "/dev/nbd%u", minor);
	file = major == 43 ? g_hash_table_lookup(fake_of(hv)->loops, name) : NULL;
	if (!file || stat(file, &st) < 0)
		return xlite_hv_fail(hv, -ENXIO, "%x:%x: not a connected nbd device", major, minor);
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static int fake_domain_pod_target(struct xlite_hv *hv, uint32_t domid, uint64_t pages)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_pod_target");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (!d->info.hvm)	/* XENMEM_set_pod_target: HVM only */
		return xlite_hv_fail(hv, -EINVAL, "xc_domain_set_pod_target: not an HVM domain");
	if (pages * 4 > d->maxmem_kib)
		return xlite_hv_fail(hv, -EINVAL, "xc_domain_set_pod_target: above max_pages");
	d->pod_target_pages = pages;
	return 0;
}

static int fake_domain_pod_info(struct xlite_hv *hv, uint32_t domid, struct xlite_pod *pod)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_pod_info");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (!d->info.hvm)
		return xlite_hv_fail(hv, -EINVAL, "xc_domain_get_pod_target: not an HVM domain");
	pod->tot_pages = d->info.tot_kib / 4;
	pod->entries = d->pod_entries;
	pod->cache_pages = d->pod_entries ? d->info.tot_kib / 4 : 0;
	return 0;
}

static int fake_machine_memory_map(struct xlite_hv *hv, struct xlite_e820 *map,
				   unsigned int max, unsigned int *n)
{
	struct xlite_hv_fake *f = fake_of(hv);
	int rc = fake_enter(hv, "machine_memory_map");

	*n = 0;
	if (rc)
		return rc;
	if (f->n_host_e820 > max)
		return xlite_hv_fail(hv, -E2BIG, "xc_get_machine_memory_map: %u entries",
				     f->n_host_e820);
	memcpy(map, f->host_e820, f->n_host_e820 * sizeof(map[0]));
	*n = f->n_host_e820;
	return 0;
}

static int fake_domain_memory_map(struct xlite_hv *hv, uint32_t domid,
				  const struct xlite_e820 *map, unsigned int n)
{
	struct xlite_hv_fake_dom *d;
	int rc = fake_enter(hv, "domain_memory_map");

	if (rc || !(d = need_dom(hv, domid, &rc)))
		return rc;
	if (n == 0 || n > XLITE_E820_MAX)
		return xlite_hv_fail(hv, -EINVAL, "xc_domain_set_memory_map: %u entries", n);
	memcpy(d->memmap, map, n * sizeof(map[0]));
	d->n_memmap = n;
	return 0;
}

static void fake_close(struct xlite_hv *hv)
{
	(void)hv;	/* the test owns the fake */
}
static int fake_console_read(struct xlite_hv *hv, bool clear, char **text)
{
	struct xlite_hv_fake *f = fake_of(hv);
	int rc = fake_enter(hv, "console_read");

	*text = NULL;
	if (rc)
		return rc;
	*text = g_strdup(f->console->str);
	if (clear)
		g_string_truncate(f->console, 0);
	return 0;
}

static const struct xlite_hv_ops fake_ops = {
	.name = "fake",
	.domain_create = fake_domain_create,
	.domain_max_vcpus = fake_domain_max_vcpus,
	.domain_setmaxmem = fake_domain_setmaxmem,
	.domain_memmap_limit = fake_domain_memmap_limit,
	.domain_cpuid = fake_domain_cpuid,
	.evtchn_alloc = fake_evtchn_alloc,
	.build_pv = fake_build_pv,
	.sched_credit = fake_sched_credit,
	.domain_pause = fake_domain_pause,
	.domain_unpause = fake_domain_unpause,
	.domain_destroy = fake_domain_destroy,
	.domain_info = fake_domain_info,
	.domain_list = fake_domain_list,
	.physinfo = fake_physinfo,
	.xs_apply = fake_xs_apply,
	.xs_read = fake_xs_read,
	.xs_write = fake_xs_write,
	.xs_rm = fake_xs_rm,
	.xs_directory = fake_xs_directory,
	.xs_introduce = fake_xs_introduce,
	.wait_release = fake_wait_release,
	.xs_requests = fake_xs_requests,
	.loop_attach = fake_loop_attach,
	.loop_detach = fake_loop_detach,
	.blockdev_stat = fake_blockdev_stat,
	.bridge_check = fake_bridge_check,
	.bridge_attach = fake_bridge_attach,
	.loop_identity = fake_loop_identity,
	.close = fake_close,
	.loop_backing = fake_loop_backing,
	.netdev_exists = fake_netdev_exists,
	.vcpu_affinity = fake_vcpu_affinity,
	.vcpu_info = fake_vcpu_info,
	.sched_get = fake_sched_get,
	.vif_setup = fake_vif_setup,
	.vif_route = fake_vif_route,
	.domain_save = fake_domain_save,
	.domain_restore = fake_domain_restore,
	.domain_resume = fake_domain_resume,
	.nbd_attach = fake_nbd_attach,
	.nbd_detach = fake_nbd_detach,
	.nbd_backing = fake_nbd_backing,
	.nbd_identity = fake_nbd_identity,
	.build_pvh = fake_build_pvh,
	.domain_save_live = fake_domain_save_live,
	.domain_pod_target = fake_domain_pod_target,
	.domain_pod_info = fake_domain_pod_info,
	.machine_memory_map = fake_machine_memory_map,
	.domain_memory_map = fake_domain_memory_map,
	.console_read = fake_console_read,
};

/* ---- the locked variant, for tests with threads ---------------------- */

static void fake_unlock(struct xlite_hv *hv)
{
	struct xlite_hv_fake *f = fake_of(hv);

	g_mutex_unlock(&f->mutex);
}

#define LOCKED(ret, name, params, args)				\
	static ret locked_##name params				\
	{							\
		ret result_;					\
		g_mutex_lock(&fake_of(hv)->mutex);		\
		result_ = fake_##name args;			\
		fake_unlock(hv);				\
		return result_;					\
	}

/* With rendezvous_n set, threads meet here before any domain is made:
 * each waits until rendezvous_n have come or rendezvous_ms have passed
 * (a thread held up by the name lock never comes: the others go on). */
static int locked_domain_create(struct xlite_hv *hv, const struct xlite_hv_create *c,
				uint32_t *d)
{
	struct xlite_hv_fake *f = fake_of(hv);
	gint64 end = g_get_monotonic_time() + (gint64)f->rendezvous_ms * 1000;
	int result;

	g_mutex_lock(&f->mutex);
	if (f->rendezvous_n) {
		f->rendezvous_seen++;
		g_cond_broadcast(&f->rendezvous);
		while (f->rendezvous_seen < f->rendezvous_n)
			if (!g_cond_wait_until(&f->rendezvous, &f->mutex, end))
				break;
	}
	result = fake_domain_create(hv, c, d);
	fake_unlock(hv);
	return result;
}
LOCKED(int, domain_max_vcpus, (struct xlite_hv *hv, uint32_t d, unsigned int n), (hv, d, n))
LOCKED(int, domain_setmaxmem, (struct xlite_hv *hv, uint32_t d, uint64_t k), (hv, d, k))
LOCKED(int, domain_memmap_limit, (struct xlite_hv *hv, uint32_t d, uint64_t k), (hv, d, k))
LOCKED(int, domain_cpuid, (struct xlite_hv *hv, uint32_t d), (hv, d))
LOCKED(int, evtchn_alloc, (struct xlite_hv *hv, uint32_t d, uint32_t r, uint32_t *p),
       (hv, d, r, p))
LOCKED(int, build_pv, (struct xlite_hv *hv, uint32_t d, struct xlite_hv_build *b), (hv, d, b))
LOCKED(int, sched_credit, (struct xlite_hv *hv, uint32_t d, unsigned int w, unsigned int c),
       (hv, d, w, c))
LOCKED(int, domain_pause, (struct xlite_hv *hv, uint32_t d), (hv, d))
LOCKED(int, domain_unpause, (struct xlite_hv *hv, uint32_t d), (hv, d))
LOCKED(int, domain_destroy, (struct xlite_hv *hv, uint32_t d), (hv, d))
LOCKED(int, domain_info, (struct xlite_hv *hv, uint32_t d, struct xlite_dominfo *i), (hv, d, i))
LOCKED(int, domain_list, (struct xlite_hv *hv, struct xlite_dominfo **i, size_t *n), (hv, i, n))
LOCKED(int, physinfo, (struct xlite_hv *hv, struct xlite_physinfo *i), (hv, i))
LOCKED(int, xs_apply, (struct xlite_hv *hv, struct xsc_batch *b), (hv, b))
LOCKED(int, xs_read, (struct xlite_hv *hv, const char *p, char **v), (hv, p, v))
LOCKED(int, xs_write, (struct xlite_hv *hv, const char *p, const char *v), (hv, p, v))
LOCKED(int, xs_rm, (struct xlite_hv *hv, const char *p), (hv, p))
LOCKED(int, xs_directory, (struct xlite_hv *hv, const char *p, char ***n), (hv, p, n))
LOCKED(int, xs_introduce, (struct xlite_hv *hv, uint32_t d, uint64_t m, uint32_t p),
       (hv, d, m, p))
LOCKED(int, wait_release, (struct xlite_hv *hv, int t), (hv, t))
LOCKED(unsigned long, xs_requests, (struct xlite_hv *hv), (hv))
LOCKED(int, loop_attach, (struct xlite_hv *hv, const char *f, bool ro, char **d,
			  unsigned int *ma, unsigned int *mi), (hv, f, ro, d, ma, mi))
LOCKED(int, loop_detach, (struct xlite_hv *hv, const char *d), (hv, d))
LOCKED(int, blockdev_stat, (struct xlite_hv *hv, const char *p, unsigned int *ma,
			    unsigned int *mi), (hv, p, ma, mi))
LOCKED(int, bridge_check, (struct xlite_hv *hv, const char *b), (hv, b))
LOCKED(int, bridge_attach, (struct xlite_hv *hv, const char *b, const char *i, int t),
       (hv, b, i, t))
LOCKED(int, loop_backing, (struct xlite_hv *hv, const char *d, char **b), (hv, d, b))
LOCKED(int, netdev_exists, (struct xlite_hv *hv, const char *i, char **m), (hv, i, m))
LOCKED(int, loop_identity, (struct xlite_hv *hv, unsigned int ma, unsigned int mi, uint64_t *d,
			    uint64_t *i), (hv, ma, mi, d, i))
LOCKED(int, vcpu_affinity, (struct xlite_hv *hv, uint32_t d, unsigned int v,
			    const struct xlite_cpuset *c), (hv, d, v, c))
LOCKED(int, vcpu_info, (struct xlite_hv *hv, uint32_t d, unsigned int v,
			struct xlite_vcpuinfo *i), (hv, d, v, i))
LOCKED(int, sched_get, (struct xlite_hv *hv, uint32_t d, unsigned int *w, unsigned int *c),
       (hv, d, w, c))
LOCKED(int, vif_setup, (struct xlite_hv *hv, const char *i, const char *n, unsigned int m, int t),
       (hv, i, n, m, t))
LOCKED(int, vif_route, (struct xlite_hv *hv, const char *i, const char *const *a, int t),
       (hv, i, a, t))
LOCKED(int, nbd_attach, (struct xlite_hv *hv, const char *f, bool ro, char **d,
			 unsigned int *ma, unsigned int *mi), (hv, f, ro, d, ma, mi))
LOCKED(int, nbd_detach, (struct xlite_hv *hv, const char *d), (hv, d))
LOCKED(int, nbd_backing, (struct xlite_hv *hv, const char *d, char **b), (hv, d, b))
LOCKED(int, nbd_identity, (struct xlite_hv *hv, unsigned int ma, unsigned int mi, uint64_t *d,
			   uint64_t *i), (hv, ma, mi, d, i))
LOCKED(int, build_pvh, (struct xlite_hv *hv, uint32_t d, struct xlite_hv_build *b), (hv, d, b))
LOCKED(int, domain_pod_target, (struct xlite_hv *hv, uint32_t d, uint64_t p), (hv, d, p))
LOCKED(int, domain_pod_info, (struct xlite_hv *hv, uint32_t d, struct xlite_pod *p), (hv, d, p))
LOCKED(int, machine_memory_map, (struct xlite_hv *hv, struct xlite_e820 *m, unsigned int x,
				 unsigned int *n), (hv, m, x, n))
LOCKED(int, domain_memory_map, (struct xlite_hv *hv, uint32_t d, const struct xlite_e820 *m,
				unsigned int n), (hv, d, m, n))
LOCKED(int, console_read, (struct xlite_hv *hv, bool c, char **t), (hv, c, t))

static const struct xlite_hv_ops fake_locked_ops = {
	.name = "fake-locked",
	.domain_create = locked_domain_create,
	.domain_max_vcpus = locked_domain_max_vcpus,
	.domain_setmaxmem = locked_domain_setmaxmem,
	.domain_memmap_limit = locked_domain_memmap_limit,
	.domain_cpuid = locked_domain_cpuid,
	.evtchn_alloc = locked_evtchn_alloc,
	.build_pv = locked_build_pv,
	.sched_credit = locked_sched_credit,
	.domain_pause = locked_domain_pause,
	.domain_unpause = locked_domain_unpause,
	.domain_destroy = locked_domain_destroy,
	.domain_info = locked_domain_info,
	.domain_list = locked_domain_list,
	.physinfo = locked_physinfo,
	.xs_apply = locked_xs_apply,
	.xs_read = locked_xs_read,
	.xs_write = locked_xs_write,
	.xs_rm = locked_xs_rm,
	.xs_directory = locked_xs_directory,
	.xs_introduce = locked_xs_introduce,
	.wait_release = locked_wait_release,
	.xs_requests = locked_xs_requests,
	.loop_attach = locked_loop_attach,
	.loop_detach = locked_loop_detach,
	.blockdev_stat = locked_blockdev_stat,
	.bridge_check = locked_bridge_check,
	.bridge_attach = locked_bridge_attach,
	.loop_identity = locked_loop_identity,
	.close = fake_close,
	.loop_backing = locked_loop_backing,
	.netdev_exists = locked_netdev_exists,
	.vcpu_affinity = locked_vcpu_affinity,
	.vcpu_info = locked_vcpu_info,
	.sched_get = locked_sched_get,
	.vif_setup = locked_vif_setup,
	.vif_route = locked_vif_route,
	/* Not locked: save calls back into the other ops. */
	.domain_save = fake_domain_save,
	.domain_restore = fake_domain_restore,
	.domain_resume = fake_domain_resume,
	.nbd_attach = locked_nbd_attach,
	.nbd_detach = locked_nbd_detach,
	.nbd_backing = locked_nbd_backing,
	.nbd_identity = locked_nbd_identity,
	.build_pvh = locked_build_pvh,
	.domain_save_live = fake_domain_save_live,
	.domain_pod_target = locked_domain_pod_target,
	.domain_pod_info = locked_domain_pod_info,
	.machine_memory_map = locked_machine_memory_map,
	.domain_memory_map = locked_domain_memory_map,
	.console_read = locked_console_read,
};

void xlite_hv_fake_attach_locked(struct xlite_hv *hv, struct xlite_hv_fake *fake)
{
	memset(hv, 0, sizeof(*hv));
	hv->ops = &fake_locked_ops;
	hv->priv = fake;
}

static int cmp_str(gconstpointer a, gconstpointer b, gpointer unused)
{
	(void)unused;
	return strcmp(a, b);
}

/* The lab's host map (Xen's "Xen-e820 RAM map" under QEMU q35, 3 GiB). */
const struct xlite_e820 xlite_hv_fake_lab_e820[XLITE_HV_FAKE_LAB_E820_N] = {
	{ 0x0, 0x9fc00, XLITE_E820_RAM },
	{ 0x9fc00, 0x400, XLITE_E820_RESERVED },
	{ 0xf0000, 0x10000, XLITE_E820_RESERVED },
	{ 0x100000, 0x7fedf000, XLITE_E820_RAM },
	{ 0x7ffdf000, 0x21000, XLITE_E820_RESERVED },
	{ 0xb0000000, 0x10000000, XLITE_E820_RESERVED },
	{ 0xfed1c000, 0x4000, XLITE_E820_RESERVED },
	{ 0xfffc0000, 0x40000, XLITE_E820_RESERVED },
	{ 0x100000000, 0x40000000, XLITE_E820_RAM },
	{ 0xfd00000000, 0x300000000, XLITE_E820_RESERVED },
};

void xlite_hv_fake_init(struct xlite_hv_fake *fake)
{
	struct xlite_hv_fake_dom dom0;

	memset(fake, 0, sizeof(*fake));
	fake->doms = g_array_new(FALSE, TRUE, sizeof(struct xlite_hv_fake_dom));
	fake->xs = g_tree_new_full(cmp_str, NULL, g_free, g_free);
	fake->loops = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	fake->bridges = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					      (GDestroyNotify)g_ptr_array_unref);
	fake->log = g_ptr_array_new_with_free_func(g_free);
	fake->console = g_string_new(" Xen 4.17.0-fake\n(XEN) Xen version 4.17.0-fake (root@fake)\n"
				     "(XEN) Command line: console=com1\n");
	fake->renamed = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	fake->routes = g_ptr_array_new_with_free_func(g_free);
	g_mutex_init(&fake->mutex);
	g_cond_init(&fake->rendezvous);
	fake->next_domid = 1;
	fake->host_free_kib = FAKE_HOST_KIB - 768 * 1024;
	memcpy(fake->host_e820, xlite_hv_fake_lab_e820, sizeof(xlite_hv_fake_lab_e820));
	fake->n_host_e820 = XLITE_HV_FAKE_LAB_E820_N;

	memset(&dom0, 0, sizeof(dom0));
	dom0.info.domid = 0;
	dom0.info.tot_kib = dom0.info.max_kib = 768 * 1024;
	dom0.info.vcpus_online = 1;
	dom0.info.running = true;
	dom0.built = dom0.introduced = true;
	g_array_append_val(fake->doms, dom0);

	xs_put(fake, "/local/domain/0/name", "Domain-0");
	xs_put(fake, "/local/domain/0/domid", "0");
	/* Made by the first device ever, and never removed. */
	xs_put(fake, "/local/domain/0/backend/vbd", NULL);
	xs_put(fake, "/local/domain/0/backend/vif", NULL);
	xs_put(fake, "/vm", NULL);
	xs_put(fake, "/tool/xenstored", NULL);
	g_hash_table_insert(fake->bridges, g_strdup("xenbr0"),
			    g_ptr_array_new_with_free_func(g_free));
}

void xlite_hv_fake_dispose(struct xlite_hv_fake *fake)
{
	bool initialised = fake->doms != NULL;

	if (fake->doms)
		g_array_free(fake->doms, TRUE);
	if (fake->xs)
		g_tree_destroy(fake->xs);
	if (fake->loops)
		g_hash_table_destroy(fake->loops);
	if (fake->bridges)
		g_hash_table_destroy(fake->bridges);
	if (fake->log)
		g_ptr_array_free(fake->log, TRUE);
	if (fake->console)
		g_string_free(fake->console, TRUE);
	if (fake->renamed)
		g_hash_table_destroy(fake->renamed);
	if (fake->routes)
		g_ptr_array_free(fake->routes, TRUE);
	if (fake->lingering)
		g_hash_table_destroy(fake->lingering);
	if (initialised) {
		g_mutex_clear(&fake->mutex);
		g_cond_clear(&fake->rendezvous);
	}
	memset(fake, 0, sizeof(*fake));
}

void xlite_hv_fake_attach(struct xlite_hv *hv, struct xlite_hv_fake *fake)
{
	memset(hv, 0, sizeof(*hv));
	hv->ops = &fake_ops;
	hv->priv = fake;
}

static gboolean collect_all(gpointer key, gpointer value, gpointer data)
{
	(void)value;
	g_ptr_array_add(data, g_strdup(key));
	return FALSE;
}

GPtrArray *xlite_hv_fake_xs_paths(const struct xlite_hv_fake *fake)
{
	GPtrArray *paths = g_ptr_array_new_with_free_func(g_free);

	g_tree_foreach(fake->xs, collect_all, paths);
	return paths;
}

static bool in_baseline(GPtrArray *baseline, const char *path)
{
	guint i;

	for (i = 0; baseline && i < baseline->len; i++)
		if (strcmp(baseline->pdata[i], path) == 0)
			return true;
	return false;
}

char *xlite_hv_fake_residue(const struct xlite_hv_fake *fake, GPtrArray *baseline)
{
	GString *out = g_string_new("");
	GPtrArray *paths = xlite_hv_fake_xs_paths(fake);
	GHashTableIter it;
	gpointer key, val;
	guint i;

	for (i = 0; i < fake->doms->len; i++) {
		const struct xlite_hv_fake_dom *d =
			&g_array_index(fake->doms, struct xlite_hv_fake_dom, i);
		if (d->info.domid != 0)
			g_string_append_printf(out, "domain %u; ", d->info.domid);
	}
	for (i = 0; i < paths->len; i++)
		if (!in_baseline(baseline, paths->pdata[i]))
			g_string_append_printf(out, "node %s; ", (char *)paths->pdata[i]);
	g_hash_table_iter_init(&it, fake->loops);
	while (g_hash_table_iter_next(&it, &key, &val))
		g_string_append_printf(out, "loop %s (%s); ", (char *)key, (char *)val);
	g_hash_table_iter_init(&it, fake->bridges);
	while (g_hash_table_iter_next(&it, &key, &val)) {
		GPtrArray *ports = val;

		for (i = 0; i < ports->len; i++)
			g_string_append_printf(out, "port %s on %s; ",
					       (char *)ports->pdata[i], (char *)key);
	}
	if (fake->renamed) {
		g_hash_table_iter_init(&it, fake->renamed);
		while (g_hash_table_iter_next(&it, &key, &val))
			g_string_append_printf(out, "vif %s named %s; ", (char *)val, (char *)key);
	}
	for (i = 0; fake->routes && i < fake->routes->len; i++)
		g_string_append_printf(out, "route %s; ", (char *)fake->routes->pdata[i]);
	if (fake->lingering) {
		g_hash_table_iter_init(&it, fake->lingering);
		while (g_hash_table_iter_next(&it, &key, &val))
			g_string_append_printf(out, "held %s; ", (char *)key);
	}
	g_ptr_array_unref(paths);
	return g_string_free(out, FALSE);
}

void xlite_hv_fake_shutdown(struct xlite_hv_fake *fake, uint32_t domid,
			    enum xlite_shutdown_reason reason)
{
	struct xlite_hv_fake_dom *d = xlite_hv_fake_dom(fake, domid);

	if (!d)
		return;
	d->info.shutdown = true;
	d->info.shutdown_reason = reason;
	d->info.running = d->info.blocked = false;
}
