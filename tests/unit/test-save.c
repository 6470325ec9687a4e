/* Save and restore on the fake hypervisor: a domain goes to a file and
 * back with its devices; a checkpoint leaves it running; every way a save
 * can fail leaves the domain running and no file; a restore that fails at
 * any step, or from a damaged file, leaves nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "libtool/apply/domain.h"
#include "libtool/apply/monitor.h"
#include "libtool/save/save.h"
#include "tests/unit/apply-fixture.h"

#define UUID "0c5e7a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2d"

struct fx {
	struct apply_host host;
	struct xlite_apply_result res;
	struct xlite_save_opts sopts;
	char *file;		/* the save file, in the host's directory */
	char *err;
	uint32_t domid;
};

/* DATA: NULL for a PV guest, "pvh" for the same guest as PVH (all its
 * memory at boot, as PVH wants). */
static void fx_setup(struct fx *f, gconstpointer data)
{
	bool pvh = data != NULL;
	char *xml;

	memset(f, 0, sizeof(*f));
	apply_host_init(&f->host, "test-save-XXXXXX");
	xml = g_strdup_printf(
		"<domain type='xen'><name>sv</name><uuid>" UUID "</uuid>"
		"<memory unit='MiB'>256</memory><currentMemory unit='MiB'>%u</currentMemory>"
		"<memtune><min_guarantee unit='MiB'>64</min_guarantee></memtune>"
		"<vcpu current='1'>2</vcpu><cputune><shares>512</shares><cap>50</cap></cputune>"
		"<os>%s<kernel>/lab/guests/vmlinuz</kernel>"
		"<initrd>/lab/guests/initrd.gz</initrd><cmdline>console=hvc0 a&amp;b</cmdline></os>"
		"<on_reboot>destroy</on_reboot>"
		"<devices><disk type='file' device='disk'><source file='%s'/>"
		"<target dev='xvda'/></disk>"
		"<interface type='bridge'><mac address='00:16:3e:01:02:03'/>"
		"<source bridge='xenbr0'/></interface></devices></domain>", pvh ? 256 : 192,
		pvh ? "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" : "<type>linux</type>",
		f->host.disk);
	apply_host_plan(&f->host, xml);
	g_free(xml);
	xlite_apply_result_init(&f->res);
	g_assert_cmpint(xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, &f->res, &f->err),
			==, 0);
	f->domid = f->res.domid;
	f->file = g_build_filename(f->host.dir, "sv.save", NULL);
	f->sopts.lock_dir = f->host.dir;
	f->sopts.suspend_timeout_ms = 200;
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	g_unlink(f->file);
	g_free(f->file);
	g_free(f->err);
	xlite_apply_result_dispose(&f->res);
	apply_host_dispose(&f->host);
}

/* No file of the save (nor a temporary one) in the host's directory. */
static void assert_no_save_file(struct fx *f)
{
	GDir *d = g_dir_open(f->host.dir, 0, NULL);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d)) != NULL)
		if (g_str_has_prefix(name, "sv.save"))
			g_error("%s left in the directory", name);
	g_dir_close(d);
}

static void assert_running(struct fx *f)
{
	struct xlite_hv_fake_dom *d = xlite_hv_fake_dom(&f->host.fake, f->domid);

	g_assert_nonnull(d);
	g_assert_false(d->info.shutdown);
	g_assert_false(d->info.dying);
}

static int save(struct fx *f)
{
	struct xlite_save_result r;

	g_clear_pointer(&f->err, g_free);
	return xlite_save_file(&f->host.hv, f->domid, f->file, &f->sopts, &r, &f->err);
}

static int restore(struct fx *f, const char *new_name, struct xlite_apply_result *res,
		   char **note)
{
	struct xlite_restore_opts o;
	struct xlite_plan plan;
	int rc;

	memset(&o, 0, sizeof(o));
	o.apply.lock_dir = f->host.dir;
	o.new_name = new_name;
	xlite_plan_init(&plan);
	g_clear_pointer(&f->err, g_free);
	rc = xlite_restore_file(&f->host.hv, f->file, &o, &plan, res, note, &f->err);
	xlite_plan_dispose(&plan);
	return rc;
}

static void test_describe_gives_the_domain_as_it_runs(struct fx *f, gconstpointer unused)
{
	struct xlite_config cfg;
	char *xml = NULL, *err = NULL;

	(void)unused;
	g_assert_cmpint(xlite_domain_describe(&f->host.hv, f->domid, &xml, &err), ==, 0);
	xlite_config_init(&cfg);
	if (xlite_config_parse_memory(&cfg, xml, strlen(xml), "described", NULL, NULL, &err) < 0)
		g_error("%s\n%s", err, xml);
	g_assert_cmpstr(cfg.name, ==, "sv");
	g_assert_cmpuint(cfg.memory_kib, ==, 256 * 1024);
	g_assert_cmpuint(cfg.current_kib, ==, 192 * 1024);
	g_assert_cmpuint(cfg.min_kib, ==, 64 * 1024);
	g_assert_cmpuint(cfg.max_vcpus, ==, 2);
	g_assert_cmpuint(cfg.cur_vcpus, ==, 1);
	g_assert_cmpuint(cfg.weight, ==, 512);
	g_assert_cmpuint(cfg.cap, ==, 50);
	g_assert_cmpstr(cfg.kernel, ==, "/lab/guests/vmlinuz");
	g_assert_cmpstr(cfg.initrd, ==, "/lab/guests/initrd.gz");
	g_assert_cmpstr(cfg.cmdline, ==, "console=hvc0 a&b");
	g_assert_cmpint(cfg.on_reboot, ==, XLITE_ACTION_DESTROY);
	g_assert_cmpuint(cfg.n_disks, ==, 1);
	g_assert_cmpstr(cfg.disks[0].source, ==, f->host.disk);	/* the file, not the loop */
	g_assert_cmpint(cfg.disks[0].type, ==, XLITE_DISK_FILE);
	g_assert_cmpstr(cfg.disks[0].target, ==, "xvda");
	g_assert_cmpuint(cfg.n_nics, ==, 1);
	g_assert_cmpstr(cfg.nics[0].bridge, ==, "xenbr0");
	g_assert_cmpuint(cfg.nics[0].mac[5], ==, 3);
	xlite_config_dispose(&cfg);
	g_free(xml);
}

/* xlited adopting a running domain: the plan a restart makes, the loop
 * devices to release; a reboot then restarts it as it was. xl's domains
 * (no xlite record) are not adopted. */
static void test_adopt_gives_the_plan_a_restart_makes(struct fx *f, gconstpointer unused)
{
	g_autoptr(GPtrArray) loops = g_ptr_array_new_with_free_func(g_free);
	struct xlite_plan plan;
	struct xlite_monitor m;
	char path[64], *err = NULL;
	uint32_t now = 0;

	(void)unused;
	xlite_plan_init(&plan);
	g_assert_cmpint(xlite_domain_adopt(&f->host.hv, f->domid, "/grub.bin", &plan, loops, &err),
			==, 0);
	g_assert_cmpstr(plan.name, ==, "sv");
	g_assert_cmpstr(plan.uuid, ==, UUID);
	g_assert_cmpuint(plan.memory_kib, ==, 256 * 1024);
	g_assert_cmpuint(plan.current_kib, ==, 192 * 1024);
	g_assert_cmpstr(plan.kernel, ==, "/lab/guests/vmlinuz");
	g_assert_cmpint(plan.on_reboot, ==, XLITE_ACTION_DESTROY);
	g_assert_cmpuint(loops->len, ==, 1);
	g_assert_cmpstr(loops->pdata[0], ==, f->res.loops->pdata[0]);
	/* on_reboot=restart on the adopted plan: one new domain, same name. */
	plan.on_reboot = XLITE_ACTION_RESTART;
	xlite_monitor_init(&m, &f->host.hv, &plan, &f->host.opts, f->domid, loops);
	xlite_hv_fake_shutdown(&f->host.fake, f->domid, XLITE_SHUTDOWN_REBOOT);
	g_assert_cmpint(xlite_monitor_step(&m), ==, 1);
	g_assert_null(xlite_hv_fake_dom(&f->host.fake, f->domid));
	g_assert_cmpint(xlite_domain_find(&f->host.hv, "sv", &now), ==, 0);
	g_assert_cmpuint(now, ==, m.domid);
	f->domid = now;
	xlite_monitor_dispose(&m);
	xlite_plan_dispose(&plan);
	/* Without xlite's record (xl's domain): not adopted. */
	xlite_plan_init(&plan);
	snprintf(path, sizeof(path), "/local/domain/%u/xlite", now);
	g_assert_cmpint(f->host.hv.ops->xs_rm(&f->host.hv, path), ==, 0);
	g_assert_cmpint(xlite_domain_adopt(&f->host.hv, now, "/grub.bin", &plan, loops, &err),
			==, -ENOTSUP);
	g_assert_nonnull(strstr(err, "not made by xlite"));
	g_free(err);
	xlite_plan_dispose(&plan);
}

static void test_save_then_restore(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result res;
	struct xlite_hv_fake_dom *d;
	char *note = NULL, *v;
	uint32_t id;

	(void)unused;
	if (save(f) < 0)
		g_error("save: %s", f->err);
	g_assert_true(g_file_test(f->file, G_FILE_TEST_IS_REGULAR));
	/* The saved domain is gone, with its devices. */
	assert_nothing_left(&f->host);

	xlite_apply_result_init(&res);
	if (restore(f, NULL, &res, &note) < 0)
		g_error("restore: %s", f->err);
	g_assert_null(note);
	g_assert_cmpint(xlite_domain_find(&f->host.hv, "sv", &id), ==, 0);
	g_assert_cmpuint(id, ==, res.domid);
	d = xlite_hv_fake_dom(&f->host.fake, id);
	g_assert_true(d->built);
	g_assert_cmpuint(d->weight, ==, 512);
	g_assert_cmpint(memcmp(d->info.uuid, f->host.cfg.uuid, 16), ==, 0);
	g_assert_false(d->info.paused);
	v = g_strdup_printf("/local/domain/0/backend/vbd/%u/51712/params", id);
	g_assert_true(g_str_has_prefix(g_tree_lookup(f->host.fake.xs, v), "/dev/loop"));
	g_free(v);
	v = g_strdup_printf("/local/domain/0/backend/vif/%u/0/mac", id);
	g_assert_cmpstr(g_tree_lookup(f->host.fake.xs, v), ==, "00:16:3e:01:02:03");
	g_free(v);
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, id, &f->err), ==, 0);
	assert_nothing_left(&f->host);
	xlite_apply_result_dispose(&res);
}

static void test_checkpoint_leaves_it_running(struct fx *f, gconstpointer unused)
{
	(void)unused;
	f->sopts.checkpoint = true;
	if (save(f) < 0)
		g_error("save -c: %s", f->err);
	g_assert_true(g_file_test(f->file, G_FILE_TEST_IS_REGULAR));
	assert_running(f);
	/* It was suspended for the stream, then resumed. */
	g_assert_true(g_ptr_array_find_with_equal_func(f->host.fake.log, "domain_resume",
						       g_str_equal, NULL));
}

static void test_restore_beside_the_original_gets_a_new_uuid(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result res;
	char *note = NULL;
	char *disk2 = g_build_filename(f->host.dir, "disk2.img", NULL);
	uint32_t id;

	(void)unused;
	f->sopts.checkpoint = true;
	g_assert_cmpint(save(f), ==, 0);
	/* Its disk is in use read-write by the original: refused, nothing made. */
	xlite_apply_result_init(&res);
	g_assert_cmpint(restore(f, "copy", &res, &note), <, 0);
	g_assert_nonnull(strstr(f->err, "in use"));
	g_assert_cmpint(xlite_domain_find(&f->host.hv, "copy", &id), ==, -ESRCH);
	g_free(note);
	note = NULL;
	/* Once the original is gone, the name is new and the uuid free. */
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, f->domid, &f->err), ==, 0);
	g_assert_cmpint(restore(f, "copy", &res, &note), ==, 0);
	g_assert_null(note);
	g_assert_cmpint(xlite_domain_find(&f->host.hv, "copy", &id), ==, 0);
	g_assert_cmpint(restore(f, "bad name!", &res, &note), <, 0);
	g_assert_nonnull(strstr(f->err, "cannot be a domain name"));
	xlite_apply_result_dispose(&res);
	g_free(disk2);
}

static void test_guest_that_does_not_suspend(struct fx *f, gconstpointer unused)
{
	char *path;

	(void)unused;
	f->host.fake.guest_ignores_suspend = true;
	g_assert_cmpint(save(f), ==, -ETIMEDOUT);
	g_assert_nonnull(strstr(f->err, "did not acknowledge the suspend request"));
	assert_no_save_file(f);
	assert_running(f);
	/* The request is withdrawn: the guest will not suspend later. */
	path = g_strdup_printf("/local/domain/%u/control/shutdown", f->domid);
	g_assert_cmpstr(g_tree_lookup(f->host.fake.xs, path), ==, "");
	g_free(path);
}

static void test_domain_that_dies_half_way(struct fx *f, gconstpointer unused)
{
	(void)unused;
	f->host.fake.save_dies = true;
	g_assert_cmpint(save(f), <, 0);
	g_assert_nonnull(strstr(f->err, "vanished"));
	g_assert_nonnull(strstr(f->err, "died during the save"));
	assert_no_save_file(f);
}

/* Every op of a save failing in turn: no file, the domain runs. */
static void test_any_failing_step_of_a_save(struct fx *f, gconstpointer unused)
{
	unsigned long n, start = f->host.fake.n_ops, n_ops;
	GPtrArray *ops = g_ptr_array_new_with_free_func(g_free);

	(void)unused;
	g_assert_cmpint(save(f), ==, 0);
	n_ops = f->host.fake.n_ops - start;
	for (n = start; n < f->host.fake.n_ops; n++)
		g_ptr_array_add(ops, g_strdup(f->host.fake.log->pdata[n]));
	g_unlink(f->file);
	for (n = 1; n <= n_ops; n++) {
		const char *op = ops->pdata[n - 1];
		unsigned long seen = 0, i;
		int rc;

		/* The Nth op of the save is the Kth call of its kind. */
		for (i = 0; i < n; i++)
			seen += strcmp(ops->pdata[i], op) == 0;

		/* A fresh domain each time (the save above destroyed it). */
		xlite_hv_fake_dispose(&f->host.fake);
		xlite_hv_fake_init(&f->host.fake);
		xlite_apply_result_dispose(&f->res);
		xlite_apply_result_init(&f->res);
		g_assert_cmpint(xlite_apply(&f->host.hv, &f->host.plan, &f->host.opts, &f->res,
					    &f->err), ==, 0);
		f->domid = f->res.domid;
		f->host.fake.fail_op = op;
		f->host.fake.fail_at = seen;
		f->host.fake.fail_op_seen = 0;
		rc = save(f);
		if (rc == 0) {
			/* Reads whose absence is fine (a node nobody wrote,
			 * the domain list that only keeps a /vm entry, a
			 * probe of dom0's devices that is tried again). */
			if (g_test_verbose())
				g_printerr("op %s failing did not fail the save\n", op);
			g_assert_true(g_str_has_prefix(op, "xs_read") ||
				      g_str_has_prefix(op, "domain_list") ||
				      g_str_has_prefix(op, "loop_backing") ||
				      g_str_has_prefix(op, "netdev_exists") ||
				      g_str_has_prefix(op, "wait_release") ||
				      g_str_has_prefix(op, "vcpu_info") ||
				      g_str_has_prefix(op, "physinfo") ||
				      g_str_has_prefix(op, "sched_get") ||
				      g_str_has_prefix(op, "xs_directory"));
			g_unlink(f->file);
			continue;
		}
		/* A destroy that fails once the file is whole keeps the file,
		 * and says so. */
		if (g_str_has_prefix(f->err, "saved to ")) {
			g_assert_true(g_file_test(f->file, G_FILE_TEST_IS_REGULAR));
			g_unlink(f->file);
			continue;
		}
		assert_no_save_file(f);
		assert_running(f);
	}
	g_ptr_array_unref(ops);
}

static void test_restore_failing_at_any_step_leaves_nothing(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result res;
	unsigned long start, n, n_ops;
	char *note = NULL;

	(void)unused;
	g_assert_cmpint(save(f), ==, 0);
	xlite_apply_result_init(&res);
	start = f->host.fake.n_ops;
	g_assert_cmpint(restore(f, NULL, &res, &note), ==, 0);
	n_ops = f->host.fake.n_ops - start;
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, res.domid, &f->err), ==, 0);
	for (n = 1; n <= n_ops; n++) {
		xlite_hv_fake_dispose(&f->host.fake);
		xlite_hv_fake_init(&f->host.fake);
		f->host.fake.fail_at = n;
		if (restore(f, NULL, &res, &note) == 0) {
			g_assert_cmpint(xlite_domain_destroy(&f->host.hv, res.domid, &f->err), ==, 0);
			continue;
		}
		assert_nothing_left(&f->host);
	}
	xlite_apply_result_dispose(&res);
}

static void test_damaged_file_makes_nothing(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result res;
	char *data = NULL, *note = NULL;
	gsize len;

	(void)unused;
	g_assert_cmpint(save(f), ==, 0);
	g_assert_true(g_file_get_contents(f->file, &data, &len, NULL));
	xlite_apply_result_init(&res);
	/* Cut, corrupted, another version. */
	g_assert_true(g_file_set_contents(f->file, data, (gssize)(len - 100), NULL));
	g_assert_cmpint(restore(f, NULL, &res, &note), ==, -EINVAL);
	g_assert_nonnull(strstr(f->err, "truncated"));
	assert_nothing_left(&f->host);
	data[len / 2] ^= 1;
	g_assert_true(g_file_set_contents(f->file, data, (gssize)len, NULL));
	g_assert_cmpint(restore(f, NULL, &res, &note), ==, -EINVAL);
	g_assert_nonnull(strstr(f->err, "corrupted"));
	assert_nothing_left(&f->host);
	data[len / 2] ^= 1;
	data[8] = 9;
	g_assert_true(g_file_set_contents(f->file, data, (gssize)len, NULL));
	g_assert_cmpint(restore(f, NULL, &res, &note), ==, -EINVAL);
	g_assert_nonnull(strstr(f->err, "format version 9"));
	assert_nothing_left(&f->host);
	xlite_apply_result_dispose(&res);
	g_free(data);
}


/* A PVH guest goes to a file and back as a PVH guest: an HVM container
 * with its paging pool set before its memory comes in (the fake's restore
 * refuses a stream of the other kind, or no pool). */
static void test_pvh_save_then_restore(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result res;
	struct xlite_hv_fake_dom *d;
	struct xlite_config cfg;
	char *note = NULL, *xml = NULL, *v;
	uint32_t id;

	(void)unused;
	g_assert_cmpint(xlite_domain_describe(&f->host.hv, f->domid, &xml, &f->err), ==, 0);
	xlite_config_init(&cfg);
	g_assert_cmpint(xlite_config_parse_memory(&cfg, xml, strlen(xml), "described", NULL, NULL,
						  &f->err), ==, 0);
	g_assert_cmpstr(cfg.os_type, ==, "xenpvh");
	xlite_config_dispose(&cfg);
	g_free(xml);
	if (save(f) < 0)
		g_error("save: %s", f->err);
	assert_nothing_left(&f->host);
	xlite_apply_result_init(&res);
	if (restore(f, NULL, &res, &note) < 0)
		g_error("restore: %s", f->err);
	g_assert_cmpint(xlite_domain_find(&f->host.hv, "sv", &id), ==, 0);
	d = xlite_hv_fake_dom(&f->host.fake, id);
	g_assert_true(d->info.hvm);
	g_assert_true(d->built);
	g_assert_false(d->info.paused);
	/* Its rings are named by guest frame, as a PVH build gives them. */
	v = g_strdup_printf("/local/domain/%u/store/ring-ref", id);
	g_assert_cmpstr(g_tree_lookup(f->host.fake.xs, v), ==, "1044475");
	g_free(v);
	g_assert_cmpint(xlite_domain_destroy(&f->host.hv, id, &f->err), ==, 0);
	assert_nothing_left(&f->host);
	xlite_apply_result_dispose(&res);
}

struct rounds {
	GArray *seen;		/* of struct xlite_save_round */
};

static void on_round(const struct xlite_save_round *r, void *opaque)
{
	g_array_append_val(((struct rounds *)opaque)->seen, *r);
}

static int save_live_to(struct fx *f, int fd, struct xlite_save_result *r)
{
	g_clear_pointer(&f->err, g_free);
	f->sopts.live = true;
	return xlite_save_stream(&f->host.hv, f->domid, fd, &f->sopts, r, &f->err);
}

/* Live: rounds while the guest runs, until few pages are dirtied, then the
 * suspend; the stream restores like any other. */
static void test_pvh_live_save_goes_round_until_few_pages_are_dirty(struct fx *f,
								  gconstpointer unused)
{
	struct rounds rs = { g_array_new(FALSE, FALSE, sizeof(struct xlite_save_round)) };
	struct xlite_save_result r;
	const struct xlite_save_round *last;
	int fd = open(f->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	(void)unused;
	g_assert_cmpint(fd, >=, 0);
	f->sopts.round = on_round;
	f->sopts.progress_opaque = &rs;
	/* 500, 125, 31 dirty pages: the fourth report is below 50. */
	if (save_live_to(f, fd, &r) < 0)
		g_error("live save: %s", f->err);
	close(fd);
	g_assert_cmpuint(rs.seen->len, ==, 4);
	last = &g_array_index(rs.seen, struct xlite_save_round, rs.seen->len - 1);
	g_assert_true(last->last);
	g_assert_cmpint(last->dirty_pages, <, XLITE_SAVE_LIVE_DIRTY);
	g_assert_false(g_array_index(rs.seen, struct xlite_save_round, 0).last);
	g_assert_cmpuint(r.rounds, ==, 3);
	g_assert_cmpint(r.t_suspended, >, 0);
	/* Left suspended for the caller, who destroys it once the target runs
	 * it, or resumes it. */
	g_assert_true(xlite_hv_fake_dom(&f->host.fake, f->domid)->info.shutdown);
	g_assert_cmpint(xlite_domain_resume(&f->host.hv, f->domid, &f->err), ==, 0);
	assert_running(f);
	g_array_unref(rs.seen);
}

/* A guest that never settles is suspended after XLITE_SAVE_LIVE_ROUNDS. */
static void test_live_save_stops_after_its_rounds(struct fx *f, gconstpointer unused)
{
	struct rounds rs = { g_array_new(FALSE, FALSE, sizeof(struct xlite_save_round)) };
	struct xlite_save_result r;
	int fd = open(f->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	unsigned int i;

	(void)unused;
	for (i = 0; i < G_N_ELEMENTS(f->host.fake.live_dirty); i++)
		f->host.fake.live_dirty[i] = 4000;
	f->sopts.round = on_round;
	f->sopts.progress_opaque = &rs;
	g_assert_cmpint(save_live_to(f, fd, &r), ==, 0);
	close(fd);
	g_assert_cmpuint(rs.seen->len, ==, XLITE_SAVE_LIVE_ROUNDS + 1);
	g_assert_cmpint(xlite_save_live_stop(0, 0), ==, 0);
	g_assert_cmpint(xlite_save_live_stop(1, 49), ==, 1);
	g_assert_cmpint(xlite_save_live_stop(1, 50), ==, 0);
	g_assert_cmpint(xlite_save_live_stop(XLITE_SAVE_LIVE_ROUNDS, 4000), ==, 1);
	g_array_unref(rs.seen);
}

/* A PV guest on a Xen without shadow paging: the live save fails before
 * anything is suspended, and the guest runs on. */
static void test_pv_live_save_fails_and_the_guest_runs_on(struct fx *f, gconstpointer unused)
{
	struct xlite_save_result r;
	int fd = open(f->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	(void)unused;
	g_assert_cmpint(save_live_to(f, fd, &r), ==, -EOPNOTSUPP);
	close(fd);
	g_assert_nonnull(strstr(f->err, "logdirty"));
	g_assert_cmpint(r.t_suspended, ==, 0);
	assert_running(f);
	g_assert_false(g_ptr_array_find_with_equal_func(f->host.fake.log, "domain_resume",
							g_str_equal, NULL));
}

static int refuse(void *opaque, char **err)
{
	(void)opaque;
	*err = g_strdup("name taken on the target");
	return -EEXIST;
}

/* A target that refuses after the header: no memory moved, nothing
 * suspended. */
static void test_refused_after_the_header_moves_no_memory(struct fx *f, gconstpointer unused)
{
	struct xlite_save_result r;
	int fd = open(f->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	(void)unused;
	f->sopts.accepted = refuse;
	g_assert_cmpint(save_live_to(f, fd, &r), ==, -EEXIST);
	close(fd);
	g_assert_cmpstr(f->err, ==, "name taken on the target");
	g_assert_false(g_ptr_array_find_with_equal_func(f->host.fake.log, "domain_save_live",
							g_str_equal, NULL));
	g_assert_cmpuint(r.stream_bytes, ==, 0);
	assert_running(f);
}

#define ADD(path, fn) g_test_add("/save/" path, struct fx, NULL, fx_setup, fn, fx_teardown)
#define ADD_PVH(path, fn) g_test_add("/save/pvh/" path, struct fx, "pvh", fx_setup, fn, \
				     fx_teardown)

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ADD("describe-gives-the-domain-as-it-runs", test_describe_gives_the_domain_as_it_runs);
	ADD("adopt-gives-the-plan-a-restart-makes", test_adopt_gives_the_plan_a_restart_makes);
	ADD("save-then-restore", test_save_then_restore);
	ADD("checkpoint-leaves-it-running", test_checkpoint_leaves_it_running);
	ADD("restore-beside-the-original", test_restore_beside_the_original_gets_a_new_uuid);
	ADD("guest-that-does-not-suspend", test_guest_that_does_not_suspend);
	ADD("domain-that-dies-half-way", test_domain_that_dies_half_way);
	ADD("any-failing-step-of-a-save", test_any_failing_step_of_a_save);
	ADD("restore-failing-at-any-step-leaves-nothing",
	    test_restore_failing_at_any_step_leaves_nothing);
	ADD("damaged-file-makes-nothing", test_damaged_file_makes_nothing);
	ADD_PVH("save-then-restore", test_pvh_save_then_restore);
	ADD_PVH("restore-failing-at-any-step-leaves-nothing",
		test_restore_failing_at_any_step_leaves_nothing);
	ADD_PVH("any-failing-step-of-a-save", test_any_failing_step_of_a_save);
	ADD_PVH("live-save-goes-round-until-few-pages-are-dirty",
		test_pvh_live_save_goes_round_until_few_pages_are_dirty);
	ADD_PVH("live-save-stops-after-its-rounds", test_live_save_stops_after_its_rounds);
	ADD_PVH("refused-after-the-header-moves-no-memory",
		test_refused_after_the_header_moves_no_memory);
	ADD("pv-live-save-fails-and-the-guest-runs-on",
	    test_pv_live_save_fails_and_the_guest_runs_on);
	return g_test_run();
}
