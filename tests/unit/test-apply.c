/* apply: a plan becomes a domain, or nothing at all. The fake hypervisor
 * plays Xen, xenstore, loop devices and bridges; every step of a create is
 * made to fail in turn, and nothing may be left behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/device/device.h"
#include "tests/unit/apply-fixture.h"

#define UUID "6f1b2a3c-4d5e-4f60-8a7b-9c0d1e2f3a4b"

struct fx {
	struct apply_host host;
	struct xlite_apply_result res;
	char *err;
};

/* The fixture's data for a PVH guest with a disk and a nic. */
static const int pvh_with_devices = 2;

static void fx_plan_type(struct fx *f, const char *name, unsigned int mem_mib, bool devices,
			 const char *os_type)
{
	char *xml = g_strdup_printf(
		"<domain type='xen'><name>%s</name><uuid>" UUID "</uuid>"
		"<memory unit='MiB'>%u</memory><vcpu>2</vcpu>"
		"<cputune><shares>512</shares><cap>50</cap></cputune>"
		"<os><type>%s</type><kernel>/lab/guests/vmlinuz</kernel>"
		"<initrd>/lab/guests/initrd.gz</initrd><cmdline>console=hvc0</cmdline></os>"
		"<devices>%s%s%s</devices></domain>",
		name, mem_mib, os_type,
		devices ? "<disk type='file' device='disk'><source file='" : "",
		devices ? f->host.disk : "",
		devices ? "'/><target dev='xvda' bus='xen'/></disk>"
			  "<interface type='bridge'><source bridge='xenbr0'/></interface>" : "");

	apply_host_plan(&f->host, xml);
	g_free(xml);
}

static void fx_plan(struct fx *f, const char *name, unsigned int mem_mib, bool devices)
{
	fx_plan_type(f, name, mem_mib, devices, "linux");
}

static void fx_setup(struct fx *f, gconstpointer devices)
{
	memset(f, 0, sizeof(*f));
	apply_host_init(&f->host, "test-apply-XXXXXX");
	fx_plan_type(f, "guest", 128, devices != NULL,
		     devices == &pvh_with_devices ? "xenpvh" : "linux");
	xlite_apply_result_init(&f->res);
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_apply_result_dispose(&f->res);
	apply_host_dispose(&f->host);
	g_free(f->err);
}

static int fx_apply(struct fx *f)
{
	return xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, &f->res, &f->err);
}

static char *xs(struct fx *f, const char *fmt, unsigned int domid)
{
	char path[256];
	const char *v;

	snprintf(path, sizeof(path), fmt, domid);
	v = g_tree_lookup(f->host.fake.xs, path);
	return v ? g_strdup(v) : NULL;
}

/* True when any node value or path still holds a ${...} placeholder. */
static gboolean find_placeholder(gpointer key, gpointer value, gpointer data)
{
	if (strstr(key, "${") || strstr(value, "${")) {
		*(const char **)data = key;
		return TRUE;
	}
	return FALSE;
}

static void test_create_runs_domain_with_its_nodes(struct fx *f, gconstpointer devices)
{
	struct xlite_hv_fake_dom *d;
	const char *unexpanded = NULL;
	char *v;
	int rc;

	rc = fx_apply(f);
	g_assert_cmpint(rc, ==, 0);
	g_assert_null(f->err);
	d = xlite_hv_fake_dom(&f->host.fake, f->res.domid);
	g_assert_nonnull(d);
	g_assert_false(d->info.paused);
	g_assert_true(d->built);
	g_assert_true(d->introduced);
	g_assert_cmpuint(d->info.vcpus_online, ==, 2);
	g_assert_cmpuint(d->info.tot_kib, ==, 128 * 1024);
	g_assert_cmpuint(d->weight, ==, 512);
	g_assert_cmpuint(d->cap, ==, 50);

	v = xs(f, "/local/domain/%u/name", f->res.domid);
	g_assert_cmpstr(v, ==, "guest");
	g_free(v);
	v = xs(f, "/local/domain/%u/domid", f->res.domid);
	g_assert_cmpuint(g_ascii_strtoull(v, NULL, 10), ==, f->res.domid);
	g_free(v);
	/* The fake's console frame is 0x10000 + 2 * domid. */
	v = xs(f, "/local/domain/%u/console/ring-ref", f->res.domid);
	g_assert_cmpuint(g_ascii_strtoull(v, NULL, 10), ==, 0x10000 + 2 * f->res.domid);
	g_free(v);
	v = xs(f, "/local/domain/%u/vm", f->res.domid);
	g_assert_cmpstr(v, ==, "/vm/" UUID);
	g_free(v);
	g_tree_foreach(f->host.fake.xs, find_placeholder, &unexpanded);
	g_assert_null(unexpanded);

	if (devices) {
		GPtrArray *ports = g_hash_table_lookup(f->host.fake.bridges, "xenbr0");
		char *name = g_strdup_printf("vif%u.0", f->res.domid);

		g_assert_cmpuint(f->res.loops->len, ==, 1);
		g_assert_cmpuint(g_hash_table_size(f->host.fake.loops), ==, 1);
		v = xs(f, "/local/domain/0/backend/vbd/%u/51712/physical-device", f->res.domid);
		g_assert_cmpstr(v, ==, "7:0");
		g_free(v);
		v = xs(f, "/local/domain/0/backend/vif/%u/0/hotplug-status", f->res.domid);
		g_assert_cmpstr(v, ==, "connected");
		g_free(v);
		g_assert_cmpuint(ports->len, ==, 1);
		g_assert_cmpstr(ports->pdata[0], ==, name);
		g_free(name);
	}
}

/* A PVH guest: an HVM domain built by build_pvh with a paging pool, no
 * PV memory map limit; its rings named by guest frame; devices as PV. */
static void test_pvh_create_builds_an_hvm_container(struct fx *f, gconstpointer devices)
{
	struct xlite_hv_fake_dom *d;
	char *v;
	guint i;

	g_assert_cmpint(fx_apply(f), ==, 0);
	d = xlite_hv_fake_dom(&f->host.fake, f->res.domid);
	g_assert_nonnull(d);
	g_assert_true(d->info.hvm);
	g_assert_true(d->built);
	g_assert_false(d->info.paused);
	for (i = 0; i < f->host.fake.log->len; i++) {
		g_assert_cmpstr(f->host.fake.log->pdata[i], !=, "build_pv");
		g_assert_cmpstr(f->host.fake.log->pdata[i], !=, "domain_memmap_limit");
	}
	g_assert_true(g_ptr_array_find_with_equal_func(f->host.fake.log, "build_pvh",
						       g_str_equal, NULL));
	/* 4 * (256 * 2 vCPUs + 128 MiB) KiB, as libxl sizes it */
	g_assert_cmpuint(f->host.plan.paging_kib, ==, 2560);
	v = xs(f, "/local/domain/%u/console/ring-ref", f->res.domid);
	g_assert_cmpstr(v, ==, "1044476");	/* the fake's 0xfeffc */
	g_free(v);
	v = xs(f, "/vm/" UUID "/image/ostype", 0);
	g_assert_cmpstr(v, ==, "xenpvh");
	g_free(v);
	v = xs(f, "/local/domain/0/backend/vif/%u/0/hotplug-status", f->res.domid);
	g_assert_cmpstr(v, ==, "connected");
	g_free(v);
	(void)devices;
}

static void test_paused_create_leaves_domain_paused(struct fx *f, gconstpointer unused)
{
	(void)unused;
	f->host.opts.paused = true;
	g_assert_cmpint(fx_apply(f), ==, 0);
	g_assert_true(xlite_hv_fake_dom(&f->host.fake, f->res.domid)->info.paused);
}

static void test_create_stays_within_xenstore_budget(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_assert_cmpint(fx_apply(f), ==, 0);
	/* The plan's nodes, the transaction, introduce, the name check. */
	g_assert_cmpuint(f->res.xs_requests, <=, 40);
	g_assert_cmpuint(f->res.xs_requests, >=, f->host.plan.xs_requests);
}

/* The heart of it: whichever op fails, the create fails and nothing of the
 * domain remains (domain, xenstore nodes, loop devices, bridge ports). */
static void test_any_failing_step_leaves_nothing(struct fx *f, gconstpointer devices)
{
	unsigned long n_ops, n, failed = 0;
	GPtrArray *ops;

	g_assert_cmpint(fx_apply(f), ==, 0);
	n_ops = f->host.fake.n_ops;
	ops = g_ptr_array_ref(f->host.fake.log);
	g_assert_cmpuint(n_ops, >, 10);

	for (n = 1; n <= n_ops; n++) {
		struct xlite_hv_fake fake;
		struct xlite_hv hv;
		struct xlite_apply_result res;
		char *err = NULL, *residue;
		int rc;

		xlite_hv_fake_init(&fake);
		xlite_hv_fake_attach(&hv, &fake);
		fake.fail_at = n;
		xlite_apply_result_init(&res);
		rc = xlite_apply(&hv, &f->host.plan, &f->host.opts, &res, &err);
		residue = xlite_hv_fake_residue(&fake, f->host.baseline);
		if (rc < 0) {
			failed++;
			g_assert_nonnull(err);
			if (*residue)
				g_error("op %lu (%s) failed: '%s'; left behind: %s", n,
					(char *)ops->pdata[n - 1], err, residue);
			g_assert_cmpuint(res.domid, ==, XLITE_DOMID_INVALID);
		} else {
			/* Only a read may fail harmlessly (a name nobody has). */
			g_assert_true(g_str_has_prefix(ops->pdata[n - 1], "xs_read"));
		}
		g_free(residue);
		g_free(err);
		xlite_apply_result_dispose(&res);
		xlite_hv_dispose(&hv);
		xlite_hv_fake_dispose(&fake);
	}
	g_assert_cmpuint(failed, >=, n_ops - 2);
	g_ptr_array_unref(ops);
	(void)devices;
}

/* How many times NEEDLE occurs in HAY. */
static unsigned int count(const char *hay, const char *needle)
{
	unsigned int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* Whether op NAME ran among the first N ops of LOG. */
static bool ran_before(GPtrArray *log, unsigned long n, const char *name)
{
	unsigned long i;

	for (i = 0; i < n && i < log->len; i++)
		if (strcmp(log->pdata[i], name) == 0)
			return true;
	return false;
}

/* Double faults: each step of a create fails, then each op of its rollback
 * fails as well. The create fails; its error holds the step's failure and
 * one "rollback:" line for the undo step that failed. When the domain
 * could not be destroyed, nothing of its host side is touched (its nodes
 * and loop devices stay, and xlite destroy then removes it all); else
 * only what the failed undo step was to remove is left. */
static void test_double_fault_at_any_step_is_reported(struct fx *f, gconstpointer devices)
{
	static const char *const undo[] = {
		"domain_destroy", "xs_rm", "loop_detach", "loop_backing", "netdev_exists",
	};
	unsigned long n_ops, n, doubles = 0, kept = 0;
	GPtrArray *ops;
	unsigned int k;

	g_assert_cmpint(fx_apply(f), ==, 0);
	n_ops = f->host.fake.n_ops;
	ops = g_ptr_array_ref(f->host.fake.log);

	for (n = 1; n <= n_ops; n++) {
		for (k = 0; k < G_N_ELEMENTS(undo); k++) {
			struct xlite_hv_fake fake;
			struct xlite_hv hv;
			struct xlite_apply_result res;
			char *err = NULL, *residue, *err2 = NULL, path[64];
			bool reported;
			uint32_t domid;
			int rc;

			xlite_hv_fake_init(&fake);
			xlite_hv_fake_attach(&hv, &fake);
			fake.fail_at = n;
			fake.fail2_op = undo[k];
			fake.fail2_at = 1;
			domid = fake.next_domid;
			xlite_apply_result_init(&res);
			rc = xlite_apply(&hv, &f->host.plan, &f->host.opts, &res, &err);
			residue = xlite_hv_fake_residue(&fake, f->host.baseline);
			g_test_message("op %lu (%s), then %s: %s", n, (char *)ops->pdata[n - 1],
				       undo[k], err ? err : "ok");
			if (rc == 0) {
				g_assert_true(g_str_has_prefix(ops->pdata[n - 1], "xs_read"));
				goto next;
			}
			/* A vif probe that fails once is tried again: no line. */
			reported = fake.fail2_fired && strcmp(undo[k], "netdev_exists") != 0;
			doubles += reported;
			g_assert_cmpuint(count(err, "injected failure"), ==, 1 + reported);
			g_assert_cmpuint(count(err, "\nrollback: "), ==,
					 reported + (reported && strcmp(undo[k], "domain_destroy") == 0));
			g_assert_cmpuint(res.domid, ==, XLITE_DOMID_INVALID);
			if (!reported) {
				g_assert_cmpstr(residue, ==, "");
			} else if (strcmp(undo[k], "domain_destroy") == 0) {
				/* Still there, with all it had. */
				kept++;
				g_assert_nonnull(xlite_hv_fake_dom(&fake, domid));
				g_assert_nonnull(strstr(err, "still exists"));
				g_assert_cmpuint(g_hash_table_size(fake.loops), ==,
						 ran_before(ops, n - 1, "loop_attach") ? 1 : 0);
				snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
				g_assert_true((g_tree_lookup(fake.xs, path) != NULL) ==
					      ran_before(ops, n - 1, "xs_apply"));
				/* Once it is written down, destroy takes it all. */
				if (ran_before(ops, n - 1, "xs_apply")) {
					g_free(residue);
					g_assert_cmpint(xlite_domain_destroy(&hv, domid, &err2), ==, 0);
					residue = xlite_hv_fake_residue(&fake, f->host.baseline);
					g_assert_cmpstr(residue, ==, "");
				}
			} else {
				g_assert_null(xlite_hv_fake_dom(&fake, domid));
				g_assert_null(strstr(residue, "domain "));
				g_assert_null(strstr(residue, "port "));
				if (strcmp(undo[k], "loop_detach") == 0)
					g_assert_null(strstr(residue, "node "));
				else
					g_assert_null(strstr(residue, "loop "));
			}
next:
			g_free(residue);
			g_free(err);
			g_free(err2);
			xlite_apply_result_dispose(&res);
			xlite_hv_dispose(&hv);
			xlite_hv_fake_dispose(&fake);
		}
	}
	g_assert_cmpuint(doubles, >, n_ops);
	g_assert_cmpuint(kept, >, 0);
	g_ptr_array_unref(ops);
	(void)devices;
}

/* blkback and netback let go some time after the domain went: destroy
 * returns only once they did. */
static void test_destroy_returns_once_dom0_let_go(struct fx *f, gconstpointer devices)
{
	char *err = NULL;

	(void)devices;
	g_assert_cmpint(fx_apply(f), ==, 0);
	f->host.fake.linger_polls = 5;
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, f->res.domid, &err), ==, 0);
	g_assert_null(err);
	assert_nothing_left(&f->host);	/* "held ..." while they linger */
}

/* A device dom0 never lets go: the wait ends, naming each one held. */
static void test_wait_names_what_dom0_still_holds(struct fx *f, gconstpointer devices)
{
	struct xlite_release r;
	const char *msg;
	char *vif;
	gint64 t;

	(void)devices;
	g_assert_cmpint(fx_apply(f), ==, 0);
	f->host.fake.linger_polls = G_MAXUINT;
	xlite_release_init(&r);
	g_assert_cmpint(xlite_release_loop(&f->host.hv, &r, "/dev/loop0"), ==, 0);
	xlite_release_add_vif(&r, f->res.domid, 0);
	g_assert_cmpint(f->host.hv.ops->domain_destroy(&f->host.hv, f->res.domid), ==, 0);
	t = g_get_monotonic_time();
	g_assert_cmpint(xlite_release_wait(&f->host.hv, &r, 200), ==, -ETIMEDOUT);
	g_assert_cmpint(g_get_monotonic_time() - t, >=, 200 * 1000);
	msg = xlite_hv_error(&f->host.hv);
	g_assert_nonnull(strstr(msg, "/dev/loop0 (serving "));
	g_assert_nonnull(strstr(msg, f->host.disk));
	vif = g_strdup_printf("vif%u.0 (on bridge xenbr0)", f->res.domid);
	g_assert_nonnull(strstr(msg, vif));
	g_free(vif);
	xlite_release_dispose(&r);
}

/* Destroy when Xen refuses: nothing else is touched, and it says so. */
static void test_failed_destroy_leaves_the_domain_whole(struct fx *f, gconstpointer devices)
{
	char *err = NULL, *before, *after;

	(void)devices;
	g_assert_cmpint(fx_apply(f), ==, 0);
	before = xlite_hv_fake_residue(&f->host.fake, f->host.baseline);
	f->host.fake.fail_op = "domain_destroy";
	f->host.fake.fail_at = 1;
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, f->res.domid, &err), ==, -EIO);
	g_assert_nonnull(strstr(err, "left as they are"));
	after = xlite_hv_fake_residue(&f->host.fake, f->host.baseline);
	g_assert_cmpstr(before, ==, after);
	g_free(before);
	g_free(after);
	g_free(err);
}

/* Each destroy step that fails is a line of its own; the others run. */
static void test_destroy_reports_each_failed_step(struct fx *f, gconstpointer devices)
{
	char *err = NULL, **lines;

	(void)devices;
	g_assert_cmpint(fx_apply(f), ==, 0);
	f->host.fake.fail_op = "xs_rm";	/* its first call, then loop_detach's */
	f->host.fake.fail_at = 1;
	f->host.fake.fail2_op = "loop_detach";
	f->host.fake.fail2_at = 1;
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, f->res.domid, &err), ==, -EIO);
	lines = g_strsplit(err, "\n", 0);
	g_assert_cmpuint(g_strv_length(lines), ==, 2);
	g_assert_true(g_str_has_prefix(lines[0], "destroying domain "));
	g_assert_nonnull(strstr(lines[0], ": removing /"));
	g_assert_true(g_str_has_prefix(lines[1], "destroying domain "));
	g_assert_nonnull(strstr(lines[1], ": releasing /dev/loop0: loop_detach: injected"));
	g_strfreev(lines);
	g_free(err);
	g_assert_null(xlite_hv_fake_dom(&f->host.fake, f->res.domid));
}

/* shutdown -w: once the domain is gone, what nobody cleaned up goes, and
 * the wait covers the devices its backends used; while it runs, nothing
 * is touched. */
static void test_settle_after_shutdown_cleans_up_and_waits(struct fx *f, gconstpointer devices)
{
	struct xlite_release r;
	char *err = NULL;

	(void)devices;
	g_assert_cmpint(fx_apply(f), ==, 0);
	xlite_release_init(&r);
	g_assert_cmpint(xlite_domain_watch_devices(&f->host.hv, f->res.domid, &r), ==, 0);
	g_assert_cmpuint(r.loops->len, ==, 1);
	g_assert_cmpuint(r.ifnames->len, ==, 1);
	g_assert_cmpint(xlite_domain_settle(&f->host.hv, f->res.domid, "guest", &r, &err), ==,
			-EBUSY);
	g_assert_nonnull(strstr(err, "still exists"));
	g_clear_pointer(&err, g_free);
	/* It powers off; no monitor cleans up after it. */
	f->host.fake.linger_polls = 4;
	g_assert_cmpint(f->host.hv.ops->domain_destroy(&f->host.hv, f->res.domid), ==, 0);
	g_assert_cmpint(xlite_domain_settle(&f->host.hv, f->res.domid, "guest", &r, &err), ==, 0);
	g_assert_null(err);
	xlite_release_dispose(&r);
	/* /vm/UUID is its monitor's to remove (the name may come back). */
	g_assert_cmpint(f->host.hv.ops->xs_rm(&f->host.hv, "/vm/" UUID), ==, 0);
	assert_nothing_left(&f->host);
}

static void test_duplicate_name_is_refused(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result res2;
	char *err = NULL;
	uint32_t first;

	(void)unused;
	g_assert_cmpint(fx_apply(f), ==, 0);
	first = f->res.domid;
	xlite_apply_result_init(&res2);
	g_assert_cmpint(xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, &res2, &err), ==,
			-EEXIST);
	g_assert_nonnull(strstr(err, "already exists"));
	g_assert_cmpuint(f->host.fake.doms->len, ==, 2);	/* dom0 and the first */
	g_assert_nonnull(xlite_hv_fake_dom(&f->host.fake, first));
	g_free(err);
	xlite_apply_result_dispose(&res2);
}

/* The /vm entry of the first domain, as its create wrote it. */
static const char *vm_name(struct fx *f)
{
	return g_tree_lookup(f->host.fake.xs, "/vm/" UUID "/name");
}

static void test_uuid_of_a_running_domain_is_refused(struct fx *f, gconstpointer unused)
{
	g_autofree char *want = NULL;
	uint32_t first;
	unsigned long ops;
	guint i;

	(void)unused;
	g_assert_cmpint(fx_apply(f), ==, 0);
	first = f->res.domid;
	fx_plan(f, "other", 128, false);	/* another name, the same uuid */
	ops = f->host.fake.n_ops;
	g_assert_cmpint(fx_apply(f), ==, -EEXIST);
	want = g_strdup_printf("uuid " UUID " is already used by domain 'guest' (id %u)", first);
	g_assert_cmpstr(f->err, ==, want);
	/* Refused before anything was made; the first runs on, its /vm intact. */
	for (i = ops; i < f->host.fake.log->len; i++)
		g_assert_cmpstr(f->host.fake.log->pdata[i], !=, "domain_create");
	g_assert_cmpuint(f->host.fake.doms->len, ==, 2);
	g_assert_false(xlite_hv_fake_dom(&f->host.fake, first)->info.paused);
	g_assert_cmpstr(vm_name(f), ==, "guest");
}

/* Xen's domain list is the truth, not xenstore: a domain another
 * toolstack made (no xenstore node at all here) holds its uuid too. */
static void test_uuid_of_a_domain_without_nodes_is_refused(struct fx *f, gconstpointer unused)
{
	struct xlite_hv_create c = { .max_vcpus = 1 };
	g_autofree char *want = NULL;
	uint32_t other;

	(void)unused;
	g_assert_cmpint(xlite_uuid_parse(UUID, c.uuid), ==, 0);
	g_assert_cmpint(f->host.hv.ops->domain_create(&f->host.hv, &c, &other), ==, 0);
	g_assert_cmpint(fx_apply(f), ==, -EEXIST);
	want = g_strdup_printf("uuid " UUID " is already used by domain %u", other);
	g_assert_cmpstr(f->err, ==, want);
}

/* Two live domains with one uuid (xl does not refuse it): destroying
 * either leaves the /vm entry to the other; the last one removes it. */
static void test_destroy_leaves_the_vm_entry_another_domain_has(struct fx *f, gconstpointer unused)
{
	struct xlite_hv_create c = { .max_vcpus = 1 };
	struct xsc_batch batch;
	g_autofree char *path = NULL;
	char *err = NULL;
	uint32_t first, twin;

	(void)unused;
	g_assert_cmpint(fx_apply(f), ==, 0);
	first = f->res.domid;
	g_assert_cmpint(xlite_uuid_parse(UUID, c.uuid), ==, 0);
	g_assert_cmpint(f->host.hv.ops->domain_create(&f->host.hv, &c, &twin), ==, 0);
	path = g_strdup_printf("/local/domain/%u/vm", twin);
	xsc_batch_init(&batch);
	xsc_batch_write(&batch, path, "/vm/" UUID);
	g_assert_cmpint(f->host.hv.ops->xs_apply(&f->host.hv, &batch), ==, 0);
	xsc_batch_dispose(&batch);

	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, twin, &err), ==, 0);
	g_assert_cmpstr(vm_name(f), ==, "guest");
	g_assert_nonnull(xlite_hv_fake_dom(&f->host.fake, first));
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, first, &err), ==, 0);
	g_assert_null(vm_name(f));
	assert_nothing_left(&f->host);
}

static void test_memory_larger_than_host_is_refused(struct fx *f, gconstpointer unused)
{
	(void)unused;
	fx_plan(f, "guest", 8192, false);
	g_assert_cmpint(fx_apply(f), ==, -ENOMEM);
	g_assert_nonnull(strstr(f->err, "MiB"));
	assert_nothing_left(&f->host);
}

static void test_kernel_not_elf_leaves_nothing(struct fx *f, gconstpointer devices)
{
	(void)devices;
	f->host.fake.kernel_bad = true;
	g_assert_cmpint(fx_apply(f), ==, -EINVAL);
	g_assert_nonnull(strstr(f->err, "not a Xen PV kernel"));
	assert_nothing_left(&f->host);
}

static void test_missing_bridge_leaves_nothing(struct fx *f, gconstpointer devices)
{
	(void)devices;
	g_hash_table_remove(f->host.fake.bridges, "xenbr0");
	g_assert_cmpint(fx_apply(f), <, 0);
	g_assert_nonnull(strstr(f->err, "xenbr0"));
	assert_nothing_left(&f->host);
}

struct racer {
	struct fx *f;
	const struct xlite_plan *plan;
	struct xlite_hv hv;
	struct xlite_apply_result res;
	char *err;
	int rc;
};

static gpointer race(gpointer p)
{
	struct racer *r = p;

	r->rc = xlite_apply(&r->hv, r->plan, &r->f->host.opts, &r->res, &r->err);
	return NULL;
}

/* Two creates of the planned domain's name at the same time (the second
 * with another uuid, so only the name can collide), meeting before either
 * makes its domain (unless one is held up by the name lock, which WAIT_MS
 * bounds): how many won (a loser is told the name exists). */
static int race_two_creates(struct fx *f, unsigned int wait_ms)
{
	static const char other_uuid[] = "1d2c3b4a-5f6e-4a7b-8c9d-0e1f2a3b4c5d";
	struct xlite_plan plan2;
	struct racer r[2];
	GThread *t[2];
	char *perr = NULL;
	int i, wins = 0;

	xlite_plan_init(&plan2);
	g_assert_cmpint(xlite_plan_build(&plan2, &f->host.cfg, &perr), ==, 0);
	g_strlcpy(plan2.uuid, other_uuid, sizeof(plan2.uuid));
	f->host.fake.rendezvous_n = 2;
	f->host.fake.rendezvous_ms = wait_ms;
	for (i = 0; i < 2; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].f = f;
		r[i].plan = i == 0 ? &f->host.plan : &plan2;
		xlite_hv_fake_attach_locked(&r[i].hv, &f->host.fake);
		xlite_apply_result_init(&r[i].res);
	}
	for (i = 0; i < 2; i++)
		t[i] = g_thread_new("create", race, &r[i]);
	for (i = 0; i < 2; i++)
		g_thread_join(t[i]);
	for (i = 0; i < 2; i++) {
		if (r[i].rc == 0)
			wins++;
		else
			g_assert_cmpint(r[i].rc, ==, -EEXIST);
		g_free(r[i].err);
		xlite_apply_result_dispose(&r[i].res);
	}
	xlite_plan_dispose(&plan2);
	return wins;
}

/* Exactly one wins: without the name lock both would pass the name check
 * before either writes its name. */
static void test_concurrent_creates_of_one_name_one_wins(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_assert_cmpint(race_two_creates(f, 300), ==, 1);
	g_assert_cmpuint(f->host.fake.doms->len, ==, 2);
}

/* Without the lock (callers claiming to hold it), the same race lets both
 * creates through: the previous test proves the lock, not luck. */
static void test_without_name_lock_both_creates_win(struct fx *f, gconstpointer unused)
{
	(void)unused;
	f->host.opts.lock_held = true;
	g_assert_cmpint(race_two_creates(f, 60000), ==, 2);
}

static void test_destroy_removes_everything(struct fx *f, gconstpointer devices)
{
	char *err = NULL;

	(void)devices;
	g_assert_cmpint(fx_apply(f), ==, 0);
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, f->res.domid, &err), ==, 0);
	g_assert_null(err);
	assert_nothing_left(&f->host);
}

static void test_lookup_by_name_and_id(struct fx *f, gconstpointer unused)
{
	uint32_t domid = 99;
	char *err = NULL, id[16];

	(void)unused;
	g_assert_cmpint(fx_apply(f), ==, 0);
	g_assert_cmpint(xlite_domain_resolve(&f->host.hv, "guest", &domid, &err), ==, 0);
	g_assert_cmpuint(domid, ==, f->res.domid);
	snprintf(id, sizeof(id), "%u", f->res.domid);
	g_assert_cmpint(xlite_domain_resolve(&f->host.hv, id, &domid, &err), ==, 0);
	g_assert_cmpint(xlite_domain_resolve(&f->host.hv, "Domain-0", &domid, &err), ==, 0);
	g_assert_cmpuint(domid, ==, 0);
	g_assert_cmpint(xlite_domain_resolve(&f->host.hv, "nosuch", &domid, &err), ==, -ESRCH);
	g_assert_cmpstr(err, ==, "domain 'nosuch' does not exist");
	g_free(err);
	err = NULL;
	g_assert_cmpint(xlite_domain_resolve(&f->host.hv, "4711", &domid, &err), ==, -ESRCH);
	g_free(err);
}

static void test_name_lock_excludes_a_second_holder(struct fx *f, gconstpointer unused)
{
	char *err = NULL, *path;
	int fd = -1, fd2;

	(void)unused;
	g_assert_cmpint(xlite_name_lock(f->host.dir, "guest", &fd, &err), ==, 0);
	path = g_strdup_printf("%s/guest.lock", f->host.dir);
	fd2 = open(path, O_RDWR);
	g_assert_cmpint(fd2, >=, 0);
	g_assert_cmpint(flock(fd2, LOCK_EX | LOCK_NB), ==, -1);
	g_assert_cmpint(errno, ==, EWOULDBLOCK);
	xlite_name_unlock(&fd);
	g_assert_cmpint(flock(fd2, LOCK_EX | LOCK_NB), ==, 0);
	close(fd2);
	g_free(path);
	g_assert_cmpint(xlite_name_lock(f->host.dir, "../etc/passwd", &fd, &err), ==, -EINVAL);
	g_free(err);
}

int main(int argc, char **argv)
{
	static const int with_devices = 1;

	g_test_init(&argc, &argv, NULL);
#define T(path, fn, dev) \
	g_test_add("/apply/" path, struct fx, dev, fx_setup, fn, fx_teardown)
	T("create-runs-domain-with-its-nodes", test_create_runs_domain_with_its_nodes, NULL);
	T("create-with-disk-and-nic-connects-them", test_create_runs_domain_with_its_nodes,
	  &with_devices);
	T("paused-create-leaves-domain-paused", test_paused_create_leaves_domain_paused, NULL);
	T("pvh/create-builds-an-hvm-container", test_pvh_create_builds_an_hvm_container,
	  &pvh_with_devices);
	T("pvh/any-failing-step-leaves-nothing", test_any_failing_step_leaves_nothing,
	  &pvh_with_devices);
	T("create-stays-within-40-xenstore-requests", test_create_stays_within_xenstore_budget,
	  NULL);
	T("any-failing-step-leaves-nothing", test_any_failing_step_leaves_nothing, NULL);
	T("any-failing-step-with-devices-leaves-nothing", test_any_failing_step_leaves_nothing,
	  &with_devices);
	T("duplicate-name-is-refused", test_duplicate_name_is_refused, NULL);
	T("uuid-of-a-running-domain-is-refused", test_uuid_of_a_running_domain_is_refused, NULL);
	T("uuid-of-a-domain-without-nodes-is-refused",
	  test_uuid_of_a_domain_without_nodes_is_refused, NULL);
	T("destroy-leaves-the-vm-entry-another-domain-has",
	  test_destroy_leaves_the_vm_entry_another_domain_has, NULL);
	T("memory-larger-than-host-is-refused", test_memory_larger_than_host_is_refused, NULL);
	T("kernel-not-elf-leaves-nothing", test_kernel_not_elf_leaves_nothing, &with_devices);
	T("missing-bridge-leaves-nothing", test_missing_bridge_leaves_nothing, &with_devices);
	T("concurrent-creates-of-one-name-one-wins",
	  test_concurrent_creates_of_one_name_one_wins, NULL);
	T("without-name-lock-both-creates-win", test_without_name_lock_both_creates_win, NULL);
	T("destroy-removes-everything", test_destroy_removes_everything, &with_devices);
	T("double-fault-at-any-step-is-reported", test_double_fault_at_any_step_is_reported,
	  &with_devices);
	T("destroy-returns-once-dom0-let-go", test_destroy_returns_once_dom0_let_go,
	  &with_devices);
	T("wait-names-what-dom0-still-holds", test_wait_names_what_dom0_still_holds,
	  &with_devices);
	T("failed-destroy-leaves-the-domain-whole", test_failed_destroy_leaves_the_domain_whole,
	  &with_devices);
	T("destroy-reports-each-failed-step", test_destroy_reports_each_failed_step,
	  &with_devices);
	T("settle-after-shutdown-cleans-up-and-waits",
	  test_settle_after_shutdown_cleans_up_and_waits, &with_devices);
	T("lookup-by-name-and-id", test_lookup_by_name_and_id, NULL);
	T("name-lock-excludes-a-second-holder", test_name_lock_excludes_a_second_holder, NULL);
#undef T
	return g_test_run();
}
