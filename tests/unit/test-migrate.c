/* Migration between two fake hosts joined by two pipes, the receiver in a
 * thread: a PVH guest moves live and a PV guest cold, with the same name
 * and uuid on the target and nothing left on the source; a PV guest is
 * refused a live move up front; a target that refuses (name taken),
 * fails to restore or to start the domain, or goes away, leaves the
 * domain running on the source and nothing on the target. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/domain.h"
#include "libtool/save/migrate.h"
#include "tests/unit/apply-fixture.h"

#define UUID "0c5e7a1b-2d3f-4a5b-8c6d-7e8f9a0b1c2e"

struct fx {
	struct apply_host src, dst;
	struct xlite_apply_result res;
	uint32_t domid;
	bool pvh;
};

static char *guest_xml(const struct fx *f)
{
	return g_strdup_printf(
		"<domain type='xen'><name>mg</name><uuid>" UUID "</uuid>"
		"<memory unit='MiB'>128</memory>"
		"<os>%s<kernel>/lab/guests/vmlinuz</kernel></os>"
		"<devices><disk type='file' device='disk'><source file='%s'/>"
		"<target dev='xvda'/></disk>"
		"<interface type='bridge'><mac address='00:16:3e:01:02:04'/>"
		"<source bridge='xenbr0'/></interface></devices></domain>",
		f->pvh ? "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" : "<type>linux</type>",
		f->src.disk);
}

static void fx_setup(struct fx *f, gconstpointer data)
{
	char *xml, *err = NULL;

	memset(f, 0, sizeof(*f));
	f->pvh = data != NULL;
	apply_host_init(&f->src, "test-migrate-src-XXXXXX");
	apply_host_init(&f->dst, "test-migrate-dst-XXXXXX");
	xml = guest_xml(f);
	apply_host_plan(&f->src, xml);
	apply_host_plan(&f->dst, xml);	/* its lock file, for dispose */
	g_free(xml);
	xlite_apply_result_init(&f->res);
	if (xlite_apply(&f->src.hv, &f->src.plan, &f->src.opts, &f->res, &err) < 0)
		g_error("create: %s", err);
	f->domid = f->res.domid;
}

static void fx_teardown(struct fx *f, gconstpointer unused)
{
	(void)unused;
	xlite_apply_result_dispose(&f->res);
	apply_host_dispose(&f->src);
	apply_host_dispose(&f->dst);
}

struct receiver {
	struct apply_host *host;
	int in, out;
	int rc;
	char *err;
	uint32_t domid;
};

static gpointer receive(gpointer data)
{
	struct receiver *r = data;
	struct xlite_migrate_recv_opts o;
	struct xlite_apply_result res;
	struct xlite_plan plan;

	memset(&o, 0, sizeof(o));
	o.apply.lock_dir = r->host->dir;
	xlite_plan_init(&plan);
	xlite_apply_result_init(&res);
	r->rc = xlite_migrate_receive(&r->host->hv, r->in, r->out, &o, &plan, &res, &r->err);
	r->domid = res.domid;
	xlite_apply_result_dispose(&res);
	xlite_plan_dispose(&plan);
	close(r->in);
	close(r->out);
	return NULL;
}

/* Runs a migration of the fixture's domain; R: the receiver's end. */
static int migrate(struct fx *f, bool live, char **err, struct receiver *r)
{
	struct xlite_migrate_opts o;
	struct xlite_migrate_result res;
	int to[2], from[2], rc;
	GThread *t;

	g_assert_cmpint(pipe(to), ==, 0);
	g_assert_cmpint(pipe(from), ==, 0);
	r->host = &f->dst;
	r->in = to[0];
	r->out = from[1];
	t = g_thread_new("receiver", receive, r);
	memset(&o, 0, sizeof(o));
	o.live = live;
	o.lock_dir = f->src.dir;
	o.suspend_timeout_ms = 200;
	*err = NULL;
	rc = xlite_migrate_send(&f->src.hv, f->domid, to[1], from[0], &o, &res, err);
	close(to[1]);
	close(from[0]);
	g_thread_join(t);
	g_assert_true(res.source_left == (rc < 0));
	if (rc == 0)
		g_assert_cmpfloat(res.ms_down, <=, res.ms_total);
	return rc;
}

static void assert_source_runs(struct fx *f)
{
	struct xlite_hv_fake_dom *d = xlite_hv_fake_dom(&f->src.fake, f->domid);

	g_assert_nonnull(d);
	g_assert_false(d->info.shutdown);
	g_assert_false(d->info.paused);
}

static void assert_moved(struct fx *f, struct receiver *r)
{
	struct xlite_hv_fake_dom *d;
	uint32_t id;

	g_assert_cmpint(r->rc, ==, 0);
	g_assert_cmpint(xlite_domain_find(&f->dst.hv, "mg", &id), ==, 0);
	g_assert_cmpuint(id, ==, r->domid);
	d = xlite_hv_fake_dom(&f->dst.fake, id);
	g_assert_true(d->built);
	g_assert_false(d->info.paused);
	g_assert_true(d->info.hvm == f->pvh);
	g_assert_cmpint(memcmp(d->info.uuid, f->src.cfg.uuid, 16), ==, 0);
	/* Nothing of it on the source: domain, nodes, loop device, vif. */
	assert_nothing_left(&f->src);
}

static void test_pvh_moves_live(struct fx *f, gconstpointer unused)
{
	struct receiver r = { 0 };
	char *err = NULL;

	(void)unused;
	g_assert_null(xlite_migrate_live_refusal(&f->src.hv, f->domid));
	if (migrate(f, true, &err, &r) < 0)
		g_error("migrate: %s (target: %s)", err, r.err);
	assert_moved(f, &r);
	g_assert_true(g_ptr_array_find_with_equal_func(f->src.fake.log, "domain_save_live",
						       g_str_equal, NULL));
}

static void test_pv_moves_cold_and_is_refused_live(struct fx *f, gconstpointer unused)
{
	struct receiver r = { 0 };
	char *err = NULL, *why = xlite_migrate_live_refusal(&f->src.hv, f->domid);

	(void)unused;
	g_assert_nonnull(why);
	g_assert_nonnull(strstr(why, "shadow paging"));
	g_free(why);
	if (migrate(f, false, &err, &r) < 0)
		g_error("migrate: %s (target: %s)", err, r.err);
	assert_moved(f, &r);
}

static void test_name_taken_on_the_target(struct fx *f, gconstpointer unused)
{
	struct xlite_apply_result other;
	struct receiver r = { 0 };
	char *err = NULL, *residue_before, *residue_after;

	(void)unused;
	xlite_apply_result_init(&other);
	g_assert_cmpint(xlite_apply(&f->dst.hv, &f->dst.plan, &f->dst.opts, &other, &err), ==, 0);
	residue_before = xlite_hv_fake_residue(&f->dst.fake, f->dst.baseline);
	g_assert_cmpint(migrate(f, f->pvh, &err, &r), ==, -EREMOTEIO);
	g_assert_nonnull(strstr(err, "domain 'mg' exists on this host"));
	g_assert_cmpint(r.rc, ==, -EEXIST);
	/* Refused before any memory moved: nothing suspended here. */
	g_assert_false(g_ptr_array_find_with_equal_func(f->src.fake.log, "domain_save_live",
							g_str_equal, NULL));
	g_assert_false(g_ptr_array_find_with_equal_func(f->src.fake.log, "domain_save",
							g_str_equal, NULL));
	assert_source_runs(f);
	residue_after = xlite_hv_fake_residue(&f->dst.fake, f->dst.baseline);
	g_assert_cmpstr(residue_after, ==, residue_before);
	g_free(residue_before);
	g_free(residue_after);
	g_free(err);
	g_free(r.err);
	xlite_apply_result_dispose(&other);
}

/* The target fails at OP: the source runs on, the target has nothing. */
static void target_fails_at(struct fx *f, const char *op)
{
	struct receiver r = { 0 };
	char *err = NULL;

	f->dst.fake.fail_op = op;
	f->dst.fake.fail_at = 1;
	g_assert_cmpint(migrate(f, f->pvh, &err, &r), <, 0);
	if (g_test_verbose())
		g_printerr("%s failing: %s\n", op, err);
	g_assert_nonnull(strstr(err, "injected failure"));
	g_assert_cmpint(r.rc, <, 0);
	assert_source_runs(f);
	assert_nothing_left(&f->dst);
	g_free(err);
	g_free(r.err);
}

static void test_target_that_fails_leaves_it_on_the_source(struct fx *f, gconstpointer unused)
{
	static const char *const ops[] = { "domain_create", "loop_attach", "domain_restore",
					   "xs_apply", "domain_unpause" };
	unsigned int i;

	(void)unused;
	for (i = 0; i < G_N_ELEMENTS(ops); i++) {
		xlite_hv_fake_dispose(&f->dst.fake);
		xlite_hv_fake_init(&f->dst.fake);
		target_fails_at(f, ops[i]);
	}
}

/* A target that takes the memory, says ready, hears go and then goes
 * away (its host lost its power) before it says the domain runs. */
static gpointer vanishing_target(gpointer data)
{
	struct receiver *r = data;
	struct xlite_save_reader rd;
	char *line = NULL, *err = NULL;

	xlite_save_reader_init(&rd, r->in);
	rd.more_follows = true;
	if (xlite_save_reader_begin(&rd, &err) == 0 && write(r->out, "accept\n", 7) == 7 &&
	    xlite_save_reader_verify(&rd, &err) == 0 && write(r->out, "ready\n", 6) == 6)
		r->rc = xlite_migrate_read_line(r->in, 5000, &line);
	g_assert_cmpstr(line, ==, "go");
	xlite_save_reader_dispose(&rd);
	close(r->in);
	close(r->out);
	g_free(line);
	g_free(err);
	return NULL;
}

static void test_target_lost_before_it_runs_it(struct fx *f, gconstpointer unused)
{
	struct xlite_migrate_opts o;
	struct xlite_migrate_result res;
	struct receiver r = { 0 };
	int to[2], from[2];
	char *err = NULL;
	GThread *t;

	(void)unused;
	g_assert_cmpint(pipe(to), ==, 0);
	g_assert_cmpint(pipe(from), ==, 0);
	r.in = to[0];
	r.out = from[1];
	t = g_thread_new("target", vanishing_target, &r);
	memset(&o, 0, sizeof(o));
	o.live = f->pvh;
	o.lock_dir = f->src.dir;
	g_assert_cmpint(xlite_migrate_send(&f->src.hv, f->domid, to[1], from[0], &o, &res, &err),
			==, -EPIPE);
	g_thread_join(t);
	g_assert_cmpint(r.rc, ==, 0);
	g_assert_nonnull(strstr(err, "closed the connection when starting it"));
	g_assert_true(res.source_left);
	/* It was suspended for the last of its memory, and resumed. */
	g_assert_true(g_ptr_array_find_with_equal_func(f->src.fake.log, "domain_resume",
						       g_str_equal, NULL));
	assert_source_runs(f);
	close(to[1]);
	close(from[0]);
	g_free(err);
}

/* Nobody at the other end (the transport could not connect). */
static void test_no_target(struct fx *f, gconstpointer unused)
{
	struct xlite_migrate_opts o;
	struct xlite_migrate_result res;
	int to[2], from[2];
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(pipe(to), ==, 0);
	g_assert_cmpint(pipe(from), ==, 0);
	close(from[1]);
	memset(&o, 0, sizeof(o));
	o.live = f->pvh;
	o.lock_dir = f->src.dir;
	g_assert_cmpint(xlite_migrate_send(&f->src.hv, f->domid, to[1], from[0], &o, &res, &err),
			==, -EPIPE);
	g_assert_nonnull(strstr(err, "closed the connection before any memory moved"));
	g_assert_true(res.source_left);
	assert_source_runs(f);
	close(to[0]);
	close(to[1]);
	close(from[0]);
	g_free(err);
}

#define ADD(path, data, fn) g_test_add("/migrate/" path, struct fx, data, fx_setup, fn, \
				       fx_teardown)

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	signal(SIGPIPE, SIG_IGN);	/* as xlite migrate: a peer gone is an error */
	ADD("pvh-moves-live", "pvh", test_pvh_moves_live);
	ADD("pv-moves-cold-and-is-refused-live", NULL, test_pv_moves_cold_and_is_refused_live);
	ADD("pvh/name-taken-on-the-target", "pvh", test_name_taken_on_the_target);
	ADD("pv/name-taken-on-the-target", NULL, test_name_taken_on_the_target);
	ADD("pvh/target-that-fails-leaves-it-on-the-source", "pvh",
	    test_target_that_fails_leaves_it_on_the_source);
	ADD("pv/target-that-fails-leaves-it-on-the-source", NULL,
	    test_target_that_fails_leaves_it_on_the_source);
	ADD("pvh/target-lost-before-it-runs-it", "pvh", test_target_lost_before_it_runs_it);
	ADD("pv/target-lost-before-it-runs-it", NULL, test_target_lost_before_it_runs_it);
	ADD("no-target", "pvh", test_no_target);
	return g_test_run();
}
