/* xlite apply: plan -> running domain, with rollback of every step. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "libtool/apply/apply.h"
#include "libtool/parse/config.h"
#include "libtool/device/device.h"
#include "libtool/apply/domain.h"
#include "libtool/memory/e820.h"
#include "libtool/memory/host.h"

struct apply {
	struct xlite_hv *hv;
	const struct xlite_plan *plan;
	const struct xlite_apply_opts *opts;
	struct xlite_apply_result *res;
	GHashTable *vars;		/* placeholder name -> value */
	uint32_t domid;			/* XLITE_DOMID_INVALID until created */
	GPtrArray *xs_roots;		/* subtrees the transaction may have written */
	struct xsc_batch batch;		/* the plan's ops, expanded */
	struct xlite_devices devs;	/* loop devices, disk numbers */
	int lock_fd;
	int mem_lock_fd;		/* the host's memory lock, admission to build */
	GArray *mem_undo;		/* targets lowered to make room (issue 10) */
	char *err;
	gint64 t0;
};

static double ms_since(gint64 t)
{
	return (double)(g_get_monotonic_time() - t) / 1000.0;
}

/* Records the failure of STEP; the hv message says why. */
static int step_fail(struct apply *a, int rc, const char *step)
{
	if (!a->err)
		a->err = g_strdup_printf("%s: %s", step, xlite_hv_error(a->hv));
	return rc;
}

static void set_var(struct apply *a, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_var(struct apply *a, const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_hash_table_replace(a->vars, g_strdup(name), g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

static const char *lookup_var(const char *name, void *opaque)
{
	struct apply *a = opaque;

	if (g_str_has_prefix(name, "disk."))
		return xlite_devices_lookup(&a->devs, name);
	return g_hash_table_lookup(a->vars, name);
}

static int check_name_free(struct apply *a)
{
	uint32_t other;
	int rc;

	rc = xlite_domain_find(a->hv, a->plan->name, &other);
	if (rc == 0) {
		a->err = g_strdup_printf("domain '%s' already exists (id %u)",
					 a->plan->name, other);
		return -EEXIST;
	}
	if (rc != -ESRCH)
		return step_fail(a, rc, "listing domains");
	return 0;
}

/* xl and libvirt refuse a second domain with a uuid in use: the two would
 * share /vm/UUID, and the end of either would remove the other's. */
static int check_uuid_free(struct apply *a)
{
	uint8_t uuid[16];
	uint32_t other;
	char *name;
	int rc;

	if (xlite_uuid_parse(a->plan->uuid, uuid) < 0)
		return 0;	/* make_domain says so */
	rc = xlite_domain_find_uuid(a->hv, uuid, XLITE_DOMID_INVALID, &other);
	if (rc == -ESRCH)
		return 0;
	if (rc < 0)
		return step_fail(a, rc, "listing domains");
	name = xlite_domain_name(a->hv, other);
	if (name)
		a->err = g_strdup_printf("uuid %s is already used by domain '%s' (id %u)",
					 a->plan->uuid, name, other);
	else
		a->err = g_strdup_printf("uuid %s is already used by domain %u",
					 a->plan->uuid, other);
	g_free(name);
	return -EEXIST;
}

/* A guest booted from its disk: its GRUB image (pvgrub2, or pvhgrub for
 * a PVH guest) is there, and a disk for it to read. */
static int check_boot(struct apply *a)
{
	const struct xlite_plan *p = a->plan;
	const char *grub = xlite_plan_boot_loader(p);
	struct stat st;

	if (p->boot != XLITE_BOOT_DISK)
		return 0;
	if (!p->kernel) {
		a->err = g_strdup_printf("the guest boots from its disk, but no %s image is "
					 "named (xlite.conf [boot] %s)", grub,
					 xlite_plan_boot_setting(p));
		return -EINVAL;
	}
	if (stat(p->kernel, &st) < 0 || !S_ISREG(st.st_mode)) {
		int rc = stat(p->kernel, &st) < 0 ? -errno : -EINVAL;

		a->err = g_strdup_printf("the guest boots from its disk through %s, but %s "
					 "is %s (xlite.conf [boot] %s; Debian's "
					 "grub-xen-host installs it)", grub, p->kernel,
					 rc == -ENOENT ? "missing" : rc == -EINVAL ?
					 "not a regular file" : g_strerror(-rc),
					 xlite_plan_boot_setting(p));
		return rc;
	}
	if (p->n_disks == 0) {
		a->err = g_strdup_printf("domain '%s' boots from its disk (no <kernel>), but "
					 "has no <disk> for %s to read", p->name, grub);
		return -EINVAL;
	}
	return 0;
}

static int check_memory(struct apply *a)
{
	struct xlite_physinfo pi;
	uint64_t free_kib, total_kib;
	int rc;

	rc = a->hv->ops->physinfo(a->hv, &pi);
	if (rc < 0)
		return step_fail(a, rc, "reading host memory");
	free_kib = (pi.free_pages - (pi.outstanding_pages < pi.free_pages ?
				     pi.outstanding_pages : pi.free_pages)) * 4;
	total_kib = pi.total_pages * 4;
	if (a->plan->memory_kib > total_kib) {
		a->err = g_strdup_printf("domain '%s' asks for %" PRIu64 " MiB of memory, "
					 "more than the host has (%" PRIu64 " MiB)",
					 a->plan->name, a->plan->memory_kib / 1024,
					 total_kib / 1024);
		return -ENOMEM;
	}
	if (a->opts->memconf) {	/* admission, room made by lowering others */
		rc = xlite_mem_make_room(a->hv, a->opts->memconf, a->plan->name,
					 a->plan->min_kib, a->plan->current_kib,
					 a->opts->room_timeout_ms ? a->opts->room_timeout_ms : 30000,
					 &a->mem_undo, &a->err);
		if (rc < 0)
			return rc;
		rc = a->hv->ops->physinfo(a->hv, &pi);
		if (rc < 0)
			return step_fail(a, rc, "reading host memory");
		free_kib = (pi.free_pages - (pi.outstanding_pages < pi.free_pages ?
					     pi.outstanding_pages : pi.free_pages)) * 4;
	}
	if (a->plan->current_kib > free_kib) {
		a->err = g_strdup_printf("not enough free memory: domain '%s' needs "
					 "%" PRIu64 " MiB at boot, the host has %" PRIu64
					 " MiB free", a->plan->name,
					 a->plan->current_kib / 1024, free_kib / 1024);
		return -ENOMEM;
	}
	return 0;
}

/* Hard affinity as libxl sets it before the build: the <vcpu cpuset>
 * pin for every vCPU without its own <vcpupin>, then those. */
static int pin_vcpus(struct apply *a)
{
	const struct xlite_plan *p = a->plan;
	const struct xlite_vcpupin *all = p->n_pins && p->pins[0].all ? &p->pins[0] : NULL;
	unsigned int v;
	size_t i;
	int rc;

	for (v = 0; all && v < p->max_vcpus; v++) {
		bool own = false;

		for (i = 0; i < p->n_pins; i++)
			own = own || (!p->pins[i].all && p->pins[i].vcpu == v);
		if (own)
			continue;
		rc = a->hv->ops->vcpu_affinity(a->hv, a->domid, v, &all->cpus);
		if (rc < 0)
			return step_fail(a, rc, "pinning the vcpus");
	}
	for (i = 0; i < p->n_pins; i++) {
		if (p->pins[i].all)
			continue;
		rc = a->hv->ops->vcpu_affinity(a->hv, a->domid, p->pins[i].vcpu, &p->pins[i].cpus);
		if (rc < 0)
			return step_fail(a, rc, "pinning the vcpus");
	}
	return 0;
}

static int make_domain(struct apply *a)
{
	const struct xlite_plan *p = a->plan;
	struct xlite_hv *hv = a->hv;
	struct xlite_hv_create c;
	uint32_t port;
	int rc;

	memset(&c, 0, sizeof(c));
	if (xlite_uuid_parse(p->uuid, c.uuid) < 0) {
		a->err = g_strdup_printf("plan has an invalid uuid '%s'", p->uuid);
		return -EINVAL;
	}
	c.max_vcpus = p->max_vcpus;
	c.max_grant_frames = p->max_grant_frames;
	c.max_evtchn_port = p->max_event_channels;
	c.pvh = p->pvh;
	rc = hv->ops->domain_create(hv, &c, &a->domid);
	if (rc < 0) {
		a->domid = XLITE_DOMID_INVALID;
		return step_fail(a, rc, "creating the domain");
	}
	a->res->domid = a->domid;
	set_var(a, "domid", "%u", a->domid);
	set_var(a, "uuid", "%s", p->uuid);

	/* Without max_vcpus, xc_dom_boot_image fails (SETVCPUCONTEXT). */
	rc = hv->ops->domain_max_vcpus(hv, a->domid, p->max_vcpus);
	if (rc < 0)
		return step_fail(a, rc, "setting the vcpu count");
	rc = pin_vcpus(a);
	if (rc < 0)
		return rc;
	rc = hv->ops->domain_setmaxmem(hv, a->domid, p->maxmem_kib);
	if (rc < 0)
		return step_fail(a, rc, "setting the memory limit");
	/* PV only: a PVH guest's memory map comes with its build. With
	 * e820_host, the host's map in its place (libxl__arch_domain_create
	 * replaces the one xc_domain_set_memmap_limit set). */
	if (p->e820_host) {
		rc = xlite_e820_host_apply(hv, a->domid, p->current_kib, p->memory_kib, &a->err);
		if (rc < 0)
			return rc;
	} else {
		rc = p->pvh ? 0 : hv->ops->domain_memmap_limit(hv, a->domid, p->memory_kib);
		if (rc < 0)
			return step_fail(a, rc, "setting the memory map limit");
	}
	rc = a->opts->restore ? 0 : hv->ops->domain_cpuid(hv, a->domid);
	if (rc < 0)
		return step_fail(a, rc, "applying the CPUID policy");

	/* The ports die with the domain: rollback needs nothing more. */
	rc = hv->ops->evtchn_alloc(hv, a->domid, 0, &port);
	if (rc < 0)
		return step_fail(a, rc, "allocating the console event channel");
	set_var(a, "console.port", "%u", port);
	rc = hv->ops->evtchn_alloc(hv, a->domid, 0, &port);
	if (rc < 0)
		return step_fail(a, rc, "allocating the xenstore event channel");
	set_var(a, "store.port", "%u", port);
	return 0;
}

/* Bridges exist, disk sources are usable, loop devices attached. */
static int setup_devices(struct apply *a)
{
	size_t i;
	int rc;

	rc = xlite_devices_prepare(a->hv, a->plan, &a->devs);
	if (rc < 0)
		return step_fail(a, rc, "preparing devices");
	for (i = 0; i < a->devs.n_disks; i++)
		if (a->devs.disks[i].loop && a->devs.disks[i].path)
			g_ptr_array_add(a->res->loops, g_strdup(a->devs.disks[i].path));
	return 0;
}

static int build(struct apply *a)
{
	const struct xlite_plan *p = a->plan;
	struct xlite_hv_build b;
	const char *v;
	int rc;

	memset(&b, 0, sizeof(b));
	b.kernel = p->kernel;
	b.initrd = p->initrd;
	b.cmdline = p->cmdline;
	b.mem_kib = p->current_kib;
	b.max_vcpus = p->max_vcpus;
	b.kcache_dir = a->opts->kcache_dir;
	b.kcache_max = a->opts->kcache_max;
	v = g_hash_table_lookup(a->vars, "console.port");
	b.console_port = (uint32_t)g_ascii_strtoull(v, NULL, 10);
	v = g_hash_table_lookup(a->vars, "store.port");
	b.store_port = (uint32_t)g_ascii_strtoull(v, NULL, 10);
	b.paging_kib = p->paging_kib;
	b.max_kib = p->pvh ? p->memory_kib : 0;	/* above current_kib: PoD */
	if (a->opts->restore) {
		rc = a->opts->restore(a->hv, a->domid, &b, a->opts->restore_opaque);
		if (rc < 0)
			return step_fail(a, rc, "restoring the domain's memory and state");
	} else {
		rc = p->pvh ? a->hv->ops->build_pvh(a->hv, a->domid, &b) :
			      a->hv->ops->build_pv(a->hv, a->domid, &b);
		if (rc < 0)
			return step_fail(a, rc, p->pvh ? "building the PVH image" :
						       "building the PV image");
	}
	a->res->kcache_hit = b.kcache_hit;
	set_var(a, "console.mfn", "%" PRIu64, b.console_mfn);
	set_var(a, "store.mfn", "%" PRIu64, b.store_mfn);
	return 0;
}

static bool under(const char *path, const char *root)
{
	size_t n = strlen(root);

	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void add_root(struct apply *a, const char *path)
{
	guint i;

	for (i = 0; i < a->xs_roots->len; i++)
		if (under(path, a->xs_roots->pdata[i]))
			return;		/* already under a root */
	g_ptr_array_add(a->xs_roots, g_strdup(path));
}

static int expand_list(struct apply *a, const struct xlite_xs_ops *ops)
{
	return xlite_xs_ops_expand(&a->batch, ops, lookup_var, a, &a->err);
}

static void add_parent_root(struct apply *a, const char *tmpl)
{
	char *p = tmpl ? xlite_expand(tmpl, lookup_var, a) : NULL;
	char *slash = p ? strrchr(p, '/') : NULL;

	if (slash && slash != p) {
		*slash = '\0';
		add_root(a, p);
	}
	g_free(p);
}

/* The subtrees a create owns: /local/domain/D, /vm/UUID and each device's
 * backend directory /local/domain/0/backend/TYPE/D. Rollback removes
 * them; a plan node outside them is refused, so rollback can never remove
 * what another domain owns. */
static int collect_roots(struct apply *a)
{
	char *p;
	size_t i;

	p = g_strdup_printf("/local/domain/%u", a->domid);
	add_root(a, p);
	g_free(p);
	p = g_strdup_printf("/vm/%s", a->plan->uuid);
	add_root(a, p);
	g_free(p);
	for (i = 0; i < a->plan->n_disks; i++)
		add_parent_root(a, a->plan->disks[i].backend);
	for (i = 0; i < a->plan->n_nics; i++)
		add_parent_root(a, a->plan->nics[i].backend);
	p = g_strdup_printf("/%u", a->domid);
	for (i = 0; i < a->xs_roots->len; i++) {
		const char *r = a->xs_roots->pdata[i];

		if (g_str_has_prefix(r, "/local/domain/0/backend/") && !g_str_has_suffix(r, p)) {
			a->err = g_strdup_printf("plan has a backend outside the domain's: %s", r);
			g_free(p);
			return -EINVAL;
		}
	}
	g_free(p);
	for (i = 0; i < a->batch.ops->len; i++) {
		const struct xsc_op *op = &g_array_index(a->batch.ops, struct xsc_op, i);
		guint j;
		bool ok = false;

		for (j = 0; j < a->xs_roots->len && !ok; j++)
			ok = under(op->path, a->xs_roots->pdata[j]);
		if (!ok) {
			a->err = g_strdup_printf("plan writes outside the domain's subtrees: %s",
						 op->path);
			return -EINVAL;
		}
	}
	return 0;
}

static int write_xenstore(struct apply *a)
{
	struct xlite_hv *hv = a->hv;
	size_t i;
	int rc;

	rc = expand_list(a, &a->plan->domain_nodes);
	for (i = 0; rc == 0 && i < a->plan->n_disks; i++)
		rc = expand_list(a, &a->plan->disks[i].nodes);
	for (i = 0; rc == 0 && i < a->plan->n_nics; i++)
		rc = expand_list(a, &a->plan->nics[i].nodes);
	if (rc < 0)
		return rc;
	/* The loop devices, for destroy and hotplug to release (and nothing
	 * else). Inherits n0,rD: the guest may read it, never change it. */
	if (a->res->loops->len > 0) {
		g_autoptr(GString) list = g_string_new("");
		g_autofree char *path = NULL;

		for (i = 0; i < a->res->loops->len; i++)
			g_string_append_printf(list, "%s%s", i ? " " : "",
					       (char *)a->res->loops->pdata[i]);
		path = g_strdup_printf("/local/domain/%u/" XLITE_XS_DIR "/loops", a->domid);
		xsc_batch_write(&a->batch, path, list->str);
	}
	rc = collect_roots(a);
	if (rc < 0)
		return rc;
	rc = hv->ops->xs_apply(hv, &a->batch);
	if (rc < 0)
		return step_fail(a, rc, "writing the domain's xenstore nodes");
	return 0;
}

static int introduce(struct apply *a)
{
	uint64_t mfn = g_ascii_strtoull(g_hash_table_lookup(a->vars, "store.mfn"), NULL, 10);
	uint32_t port = (uint32_t)g_ascii_strtoull(g_hash_table_lookup(a->vars, "store.port"),
						   NULL, 10);
	int rc;

	rc = a->hv->ops->xs_introduce(a->hv, a->domid, mfn, port);
	if (rc < 0)
		return step_fail(a, rc, "introducing the domain to xenstored");
	return 0;
}

/* What hotplug scripts would do: loop devices recorded in their vbd
 * backends, each vif on its bridge, hotplug-status written. */
static int connect_devices(struct apply *a)
{
	int rc;

	if (a->plan->n_disks == 0 && a->plan->n_nics == 0)
		return 0;
	rc = xlite_devices_connect(a->hv, a->domid, a->plan, &a->devs,
				   a->opts->vif_timeout_ms);
	if (rc < 0)
		return step_fail(a, rc, "connecting devices");
	return 0;
}

/* pvgrub2 (grub's xen disk driver) writes its side Initialised (3) and
 * waits only while the backend says InitWait (2): a backend still at
 * Initialising (1), blkback not having probed it yet, lets grub go on at
 * once to a disk with no size, and it finds no grub.cfg (measured in the
 * lab under load: "error: no such device: /boot/grub/grub.cfg", the guest
 * at grub's prompt). Linux's blkfront waits for InitWait itself. So a
 * disk-booted guest runs only once blkback holds each of its disks. */
static int wait_backends(struct apply *a)
{
	int bound = a->opts->backend_timeout_ms ? a->opts->backend_timeout_ms : 30000;
	gint64 deadline = g_get_monotonic_time() + (gint64)bound * 1000;
	size_t i = 0;

	while (i < a->plan->n_disks) {
		const struct xlite_plan_disk *d = &a->plan->disks[i];
		g_autofree char *path = g_strdup_printf("/local/domain/0/backend/vbd/%u/%u/state",
							a->domid, d->disk.vdev);
		g_autofree char *state = NULL;
		int rc = a->hv->ops->xs_read(a->hv, path, &state);

		if (rc < 0 && rc != -ENOENT)
			return step_fail(a, rc, "waiting for blkback to take the disks");
		if (rc == 0 && (!strcmp(state, "5") || !strcmp(state, "6"))) {
			a->err = g_strdup_printf("blkback closed disk %s (its backend %.*s is in "
						 "state %s) before the guest ran", d->disk.target,
						 (int)(strlen(path) - strlen("/state")), path, state);
			return -EIO;
		}
		if (rc == 0 && (!strcmp(state, "2") || !strcmp(state, "3") ||
				!strcmp(state, "4"))) {
			i++;
			continue;
		}
		if (g_get_monotonic_time() >= deadline) {
			a->err = g_strdup_printf("blkback did not take disk %s within %.1f s (its "
						 "backend %.*s is in state %s, not InitWait): is "
						 "dom0's xen-blkback loaded?", d->disk.target,
						 bound / 1000.0, (int)(strlen(path) - strlen("/state")),
						 path, rc == 0 ? state : "(none)");
			return -ETIMEDOUT;
		}
		g_usleep(10 * 1000);
	}
	return 0;
}

static int finish(struct apply *a)
{
	struct xlite_hv *hv = a->hv;
	int rc;

	if (a->plan->weight || a->plan->cap) {
		rc = hv->ops->sched_credit(hv, a->domid, a->plan->weight, a->plan->cap);
		if (rc < 0)
			return step_fail(a, rc, "setting scheduler weight and cap");
	}
	if (!a->opts->paused) {
		rc = hv->ops->domain_unpause(hv, a->domid);
		if (rc < 0)
			return step_fail(a, rc, "unpausing the domain");
	}
	return 0;
}

/* Whether the guest's own kernel runs: it wrote a control/feature-* node
 * (Linux: feature-poweroff, feature-reboot), or a disk's frontend reached
 * Connected. pvgrub2 does neither: its disk driver stays Initialised (3),
 * measured in the lab. */
static bool kernel_runs(struct apply *a)
{
	g_autofree char *ctl = g_strdup_printf("/local/domain/%u/control", a->domid);
	g_auto(GStrv) names = NULL;
	size_t i;

	if (a->hv->ops->xs_directory(a->hv, ctl, &names) == 0)
		for (i = 0; names[i]; i++)
			if (g_str_has_prefix(names[i], "feature-"))
				return true;
	for (i = 0; i < a->plan->n_disks; i++) {
		g_autofree char *path = g_strdup_printf("/local/domain/%u/device/vbd/%u/state",
							a->domid, a->plan->disks[i].disk.vdev);
		g_autofree char *state = NULL;

		if (a->hv->ops->xs_read(a->hv, path, &state) == 0 && strcmp(state, "4") == 0)
			return true;
	}
	return false;
}

/* pvgrub2 reads the grub.cfg on the guest's disk and boots what it names;
 * with none (or a menu waiting for a choice) it sits at its prompt for
 * ever. A create that waits says so instead of reporting a boot. */
static int wait_kernel(struct apply *a)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)a->opts->boot_timeout_ms * 1000;
	struct xlite_dominfo info;
	int rc;

	for (;;) {
		if (kernel_runs(a))
			return 0;
		rc = a->hv->ops->domain_info(a->hv, a->domid, &info);
		if (rc < 0)
			return step_fail(a, rc, "waiting for GRUB to start the guest's kernel");
		if (info.shutdown || info.dying) {
			a->err = g_strdup_printf("the domain stopped in %s (shutdown reason "
						 "%u) before its kernel started",
						 xlite_plan_boot_loader(a->plan), info.shutdown_reason);
			return -EIO;
		}
		if (g_get_monotonic_time() >= deadline) {
			a->err = g_strdup_printf(
				"%s did not start a kernel within %d s: the guest's disks hold "
				"no /boot/grub/grub.cfg it can boot, or its menu waits for a choice "
				"(create -c shows the console; xlite.conf [boot] timeout = 0 does "
				"not wait)", xlite_plan_boot_loader(a->plan),
				a->opts->boot_timeout_ms / 1000);
			return -ETIMEDOUT;
		}
		g_usleep(100 * 1000);
	}
}

/* A domain Xen would not destroy keeps its host side (its backends may be
 * serving these very loop devices): say what is left, touch nothing. */
static void keep_host_side(struct apply *a, struct xlite_undo *u, int gone)
{
	GString *loops = g_string_new("");
	size_t i;

	for (i = 0; i < a->devs.n_disks; i++) {
		struct xlite_disk_host *h = &a->devs.disks[i];

		if (h->loop && h->path)
			g_string_append_printf(loops, "%s%s", loops->len ? ", " : " ", h->path);
		h->loop = false;	/* not ours to release any more */
	}
	xlite_undo_note(u, gone < 0 ? gone : -EBUSY,
			"domain %u %s: its xenstore nodes and loop devices%s are left in place "
			"(remove them once it is gone: xlite destroy %u)", a->domid,
			gone < 0 ? "may still exist" : "still exists", loops->str, a->domid);
	g_string_free(loops, TRUE);
}

/* Undoes everything: the domain (with its memory and event channels),
 * then its xenstore subtrees, then the loop devices, and waits until
 * blkback and netback let go of them. Every undo step that fails adds a
 * line to the error; a domain that cannot be destroyed keeps its nodes
 * and devices. */
static void rollback(struct apply *a)
{
	struct xlite_hv *hv = a->hv;
	struct xlite_release r;
	struct xlite_undo u;
	bool kept_vbd = false, kept_vif = false;
	guint i;
	int rc;

	xlite_undo_begin(&u, a->err ? a->err : xlite_hv_error(hv));
	xlite_release_init(&r);
	if (a->domid != XLITE_DOMID_INVALID) {
		rc = hv->ops->domain_destroy(hv, a->domid);
		if (rc < 0 && rc != -ESRCH) {
			xlite_undo_failed(&u, hv, rc, "destroying the half-made domain %u",
					  a->domid);
			rc = xlite_domain_gone(hv, a->domid);
			if (rc <= 0) {
				keep_host_side(a, &u, rc);
				goto out;
			}
		}
	}
	for (i = 0; i < a->xs_roots->len; i++) {
		const char *root = a->xs_roots->pdata[i];

		/* A create of the same uuid that won a race keeps its /vm. */
		if (g_str_has_prefix(root, "/vm/") &&
		    xlite_domain_vm_used_by_other(hv, root, a->domid))
			continue;
		rc = hv->ops->xs_rm(hv, root);
		if (rc < 0) {
			xlite_undo_failed(&u, hv, rc, "removing %s", root);
			kept_vbd |= g_str_has_prefix(root, "/local/domain/0/backend/vbd/");
			kept_vif |= g_str_has_prefix(root, "/local/domain/0/backend/vif/");
		}
	}
	xlite_devices_release(hv, &a->devs, &r, &u);
	/* A backend directory left in place keeps its devices: said above. */
	if (kept_vbd)
		xlite_release_forget_loops(&r);
	if (a->domid != XLITE_DOMID_INVALID && !kept_vif)
		for (i = 0; i < a->plan->n_nics; i++) {
			xlite_release_add_vif(&r, a->domid, a->plan->nics[i].devid);
			if (a->plan->nics[i].nic.ifname)
				xlite_release_add_ifname(&r, a->plan->nics[i].nic.ifname);
		}
	rc = xlite_release_wait(hv, &r, 0);
	if (rc < 0)
		xlite_undo_failed(&u, hv, rc, "waiting for dom0 to let go of the devices");
out:
	xlite_release_dispose(&r);
	g_free(a->err);
	a->err = xlite_undo_end(&u);
	g_ptr_array_set_size(a->res->loops, 0);
	a->res->domid = XLITE_DOMID_INVALID;
}

void xlite_apply_result_init(struct xlite_apply_result *r)
{
	memset(r, 0, sizeof(*r));
	r->domid = XLITE_DOMID_INVALID;
	r->loops = g_ptr_array_new_with_free_func(g_free);
}

void xlite_apply_result_dispose(struct xlite_apply_result *r)
{
	if (r->loops)
		g_ptr_array_free(r->loops, TRUE);
	r->loops = NULL;
}

int xlite_apply(struct xlite_hv *hv, const struct xlite_plan *plan,
		const struct xlite_apply_opts *opts, struct xlite_apply_result *res,
		char **err)
{
	struct apply a;
	unsigned long xs_before;
	gint64 t;
	int rc;

	memset(&a, 0, sizeof(a));
	a.hv = hv;
	a.plan = plan;
	a.opts = opts;
	a.res = res;
	a.domid = XLITE_DOMID_INVALID;
	a.lock_fd = -1;
	a.mem_lock_fd = -1;
	xlite_devices_init(&a.devs);
	a.vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	a.xs_roots = g_ptr_array_new_with_free_func(g_free);
	xsc_batch_init(&a.batch);
	a.t0 = g_get_monotonic_time();
	xs_before = hv->ops->xs_requests(hv);

	if (!opts->lock_held) {
		rc = xlite_name_lock(opts->lock_dir ? opts->lock_dir : XLITE_LOCK_DIR,
				     plan->name, &a.lock_fd, &a.err);
		if (rc < 0)
			goto out;
	}
	rc = check_name_free(&a);
	if (rc == 0)
		rc = check_uuid_free(&a);
	if (rc == 0)
		rc = xlite_devices_check_held(hv, plan);	/* its message says all */
	if (rc == 0 && opts->memconf && !opts->mem_lock_held)
		rc = xlite_memory_lock(opts->lock_dir ? opts->lock_dir : XLITE_LOCK_DIR,
				       &a.mem_lock_fd, &a.err);
	if (rc == 0)
		rc = check_boot(&a);
	if (rc == 0)
		rc = check_memory(&a);
	if (rc < 0)
		goto out;

	t = g_get_monotonic_time();
	rc = make_domain(&a);
	res->ms_domain = ms_since(t);
	if (rc < 0)
		goto out;
	t = g_get_monotonic_time();
	rc = setup_devices(&a);
	res->ms_devices = ms_since(t);
	if (rc < 0)
		goto out;
	t = g_get_monotonic_time();
	rc = build(&a);
	res->ms_build = ms_since(t);
	if (rc < 0)
		goto out;
	/* Its memory is the domain's now: the next admission counts it. */
	xlite_name_unlock(&a.mem_lock_fd);
	t = g_get_monotonic_time();
	rc = write_xenstore(&a);
	if (rc == 0) {
		gint64 ti = g_get_monotonic_time();

		rc = introduce(&a);
		res->ms_introduce = ms_since(ti);
	}
	res->ms_xenstore = ms_since(t);
	if (rc < 0)
		goto out;
	t = g_get_monotonic_time();
	rc = connect_devices(&a);
	if (rc == 0 && plan->boot == XLITE_BOOT_DISK && !opts->restore)
		rc = wait_backends(&a);
	res->ms_devices += ms_since(t);
	if (rc == 0)
		rc = finish(&a);
	if (rc == 0 && plan->boot == XLITE_BOOT_DISK && !opts->paused &&
	    opts->boot_timeout_ms > 0) {
		t = g_get_monotonic_time();
		rc = wait_kernel(&a);
		res->ms_boot = ms_since(t);
	}
out:
	if (rc < 0) {
		rollback(&a);
		xlite_mem_undo(hv, a.mem_undo);
		*err = a.err ? a.err : g_strdup(xlite_hv_error(hv));
		a.err = NULL;
	}
	res->xs_requests = hv->ops->xs_requests(hv) - xs_before;
	res->ms_total = ms_since(a.t0);
	xlite_name_unlock(&a.mem_lock_fd);
	xlite_name_unlock(&a.lock_fd);
	if (a.mem_undo)
		g_array_free(a.mem_undo, TRUE);
	g_free(a.err);
	xlite_devices_dispose(&a.devs);
	xsc_batch_dispose(&a.batch);
	g_ptr_array_free(a.xs_roots, TRUE);
	g_hash_table_destroy(a.vars);
	return rc;
}
