/* Memory and vCPUs of running domains (libtool/memory/): sizes in xl's
 * syntax, min <= target <= max, the changes as libxl makes them, vCPU
 * hotplug nodes; the fake hypervisor plays Xen. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/host.h"
#include "libtool/memory/pass.h"
#include "libtool/memory/memory.h"
#include "libtool/report/report.h"
#include "tests/unit/apply-fixture.h"

static void test_sizes_take_xl_syntax(void)
{
	static const struct { const char *in; uint64_t kib; } ok[] = {
		{ "512", 512 * 1024 }, { "512m", 512 * 1024 }, { "512M", 512 * 1024 },
		{ "1g", 1024 * 1024 }, { "1G", 1024 * 1024 }, { "2048k", 2048 },
		{ "1t", 1ULL << 30 }, { "1025b", 2 }, { "16t", 16ULL << 30 },
	};
	static const char *const bad[] = {
		"", "m", "-1", "1.5g", "12x", "1gb", " 1", "1 ", "0", "0m", "17t",
		"99999999999999999999", "18446744073709551615k",
	};
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(ok); i++) {
		uint64_t kib = 0;

		g_assert_cmpint(xlite_mem_size_parse(ok[i].in, &kib), ==, 0);
		g_assert_cmpuint(kib, ==, ok[i].kib);
	}
	for (i = 0; i < G_N_ELEMENTS(bad); i++) {
		uint64_t kib = 7;

		g_test_message("bad size '%s'", bad[i]);
		g_assert_cmpint(xlite_mem_size_parse(bad[i], &kib), <, 0);
		g_assert_cmpuint(kib, ==, 7);
	}
}

static void test_order_refusals_name_rule_and_figures(void)
{
	char *err = NULL;

	g_assert_cmpint(xlite_mem_check_order("target", 192 * 1024, 256 * 1024, 512 * 1024, &err), ==, 0);
	g_assert_cmpint(xlite_mem_check_order("target", 192 * 1024, 192 * 1024, 192 * 1024, &err), ==, 0);
	g_assert_cmpint(xlite_mem_check_order("target", 192 * 1024, 100 * 1024, 512 * 1024, &err),
			==, -ERANGE);
	g_assert_cmpstr(err, ==, "min <= target <= max must hold: the target would leave the minimum "
			"192 MiB above the target 100 MiB (max 512 MiB)");
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_mem_check_order("max", 0, 256 * 1024, 1000, &err), ==, -ERANGE);
	g_assert_cmpstr(err, ==, "min <= target <= max must hold: the max would leave the target "
			"256 MiB above the maximum 1000 KiB (min 0 MiB)");
	g_free(err);
}

/* A running domain "g" of max 512 MiB, target 256, min 192, 4 vCPUs with
 * 2 online, on the fake host. */
static void start_guest(struct apply_host *h, uint32_t *domid)
{
	struct xlite_apply_result res;
	char *err = NULL;

	apply_host_init(h, "xlite-test-memory-XXXXXX");
	apply_host_plan(h,
		"<domain type='xen'><name>g</name>\n"
		"<memory unit='MiB'>512</memory><currentMemory unit='MiB'>256</currentMemory>\n"
		"<memtune><min_guarantee unit='MiB'>192</min_guarantee></memtune>\n"
		"<vcpu current='2'>4</vcpu>\n"
		"<os><type>linux</type><kernel>/k</kernel></os></domain>\n");
	xlite_apply_result_init(&res);
	if (xlite_apply(&h->hv, &h->plan, &h->opts, &res, &err) < 0)
		g_error("apply: %s", err);
	*domid = res.domid;
	xlite_apply_result_dispose(&res);
}

/* A test on one running guest g (max 512, target 256, min 192 MiB). */
struct guest_fx {
	struct apply_host h;
	uint32_t domid;
};

static void guest_setup(struct guest_fx *g, gconstpointer unused)
{
	(void)unused;
	start_guest(&g->h, &g->domid);
}

static void guest_teardown(struct guest_fx *g, gconstpointer unused)
{
	(void)unused;
	apply_host_dispose(&g->h);
}

static char *node(struct apply_host *h, uint32_t domid, const char *rel)
{
	g_autofree char *path = g_strdup_printf("/local/domain/%u/%s", domid, rel);

	return g_strdup(g_tree_lookup(h->fake.xs, path));
}

static void test_a_domain_reads_its_figures(struct guest_fx *g, gconstpointer unused)
{
	struct xlite_mem_dom d;
	char *err = NULL;

	(void)unused;
	g_assert_cmpint(xlite_mem_dom_read(&g->h.hv, g->domid, &d, &err), ==, 0);
	g_assert_true(d.min_known);
	g_assert_cmpuint(d.min_kib, ==, 192 * 1024);
	g_assert_cmpuint(d.target_kib, ==, 256 * 1024);
	g_assert_cmpuint(d.max_kib, ==, 512 * 1024);
	g_assert_cmpint(xlite_mem_dom_read(&g->h.hv, 999, &d, &err), ==, -ESRCH);
	g_free(err);
}

typedef int setter_fn(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err);

/* SET of KIB MiB is refused with a message holding NEEDLE (NULL: any). */
static void expect_refusal(struct apply_host *h, setter_fn *set, uint32_t domid, uint64_t mib,
			   const char *needle)
{
	char *err = NULL;

	g_assert_cmpint(set(&h->hv, domid, mib * 1024, &err), ==, -ERANGE);
	g_test_message("%s", err);
	if (needle)
		g_assert_nonnull(strstr(err, needle));
	g_free(err);
}

static void test_mem_set_moves_target_and_xen_limit(struct guest_fx *g, gconstpointer unused)
{
	char *err = NULL;
	g_autofree char *t1 = NULL, *t2 = NULL;

	(void)unused;
	g_assert_cmpint(xlite_mem_set_target(&g->h.hv, g->domid, 400 * 1024, &err), ==, 0);
	t1 = node(&g->h, g->domid, "memory/target");
	g_assert_cmpstr(t1, ==, "409600");
	/* libxl's enforce: Xen's limit follows the target, plus 1 MiB */
	g_assert_cmpuint(xlite_hv_fake_dom(&g->h.fake, g->domid)->maxmem_kib, ==, 400 * 1024 + 1024);
	/* below the minimum, above the maximum: refused, nothing changed */
	expect_refusal(&g->h, xlite_mem_set_target, g->domid, 100, "minimum 192 MiB above the target 100 MiB");
	expect_refusal(&g->h, xlite_mem_set_target, g->domid, 513, "above the maximum 512 MiB");
	t2 = node(&g->h, g->domid, "memory/target");
	g_assert_cmpstr(t2, ==, "409600");
	g_assert_cmpuint(xlite_hv_fake_dom(&g->h.fake, g->domid)->maxmem_kib, ==, 400 * 1024 + 1024);
}

static void test_mem_max_and_min_keep_the_order(struct guest_fx *g, gconstpointer unused)
{
	char *err = NULL;
	g_autofree char *max = NULL, *min = NULL;

	(void)unused;
	expect_refusal(&g->h, xlite_mem_set_max, g->domid, 200, "target 256 MiB above the maximum 200 MiB");
	expect_refusal(&g->h, xlite_mem_set_min, g->domid, 300, "minimum 300 MiB above the target 256 MiB");
	g_assert_cmpint(xlite_mem_set_max(&g->h.hv, g->domid, 384 * 1024, &err), ==, 0);
	g_assert_cmpint(xlite_mem_set_min(&g->h.hv, g->domid, 128 * 1024, &err), ==, 0);
	max = node(&g->h, g->domid, "memory/static-max");
	min = node(&g->h, g->domid, "xlite/memory-min");
	g_assert_cmpstr(max, ==, "393216");
	g_assert_cmpstr(min, ==, "131072");
	g_assert_cmpuint(xlite_hv_fake_dom(&g->h.fake, g->domid)->maxmem_kib, ==, 384 * 1024 + 1024);
}

/* Hostile or broken figures in xenstore are refused, not trusted. */
static void test_garbage_figures_are_refused(struct guest_fx *g, gconstpointer unused)
{
	struct xlite_mem_dom d;
	char *err = NULL;
	g_autofree char *path = NULL;

	(void)unused;
	path = g_strdup_printf("/local/domain/%u/memory/target", g->domid);
	g_assert_cmpint(g->h.hv.ops->xs_write(&g->h.hv, path, "12abc"), ==, 0);
	g_assert_cmpint(xlite_mem_dom_read(&g->h.hv, g->domid, &d, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "expected a number of KiB"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(g->h.hv.ops->xs_write(&g->h.hv, path, "99999999999999999999"), ==, 0);
	g_assert_cmpint(xlite_mem_dom_read(&g->h.hv, g->domid, &d, &err), ==, -EINVAL);
	g_free(err);
}

static void test_vcpu_set_writes_availability(struct guest_fx *g, gconstpointer unused)
{
	char *err = NULL;
	unsigned int i;

	(void)unused;
	g_assert_cmpint(xlite_vcpu_set_online(&g->h.hv, g->domid, 3, &err), ==, 0);
	for (i = 0; i < 4; i++) {
		g_autofree char *rel = g_strdup_printf("cpu/%u/availability", i);
		g_autofree char *v = node(&g->h, g->domid, rel);

		g_assert_cmpstr(v, ==, i < 3 ? "online" : "offline");
	}
	g_assert_cmpint(xlite_vcpu_set_online(&g->h.hv, g->domid, 5, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "has 4 vCPUs at most"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_vcpu_set_online(&g->h.hv, g->domid, 0, &err), ==, -EINVAL);
	g_free(err);
}

#define MIB 1024ULL

/* A host with two xlite guests and another toolstack's. */
static void three_guests(struct xlite_mem_host *h, struct xlite_bal_dom *doms)
{
	static const struct xlite_bal_dom d[3] = {
		{ 1, 192 * MIB, 1024 * MIB, 512 * MIB, 512 * MIB, true, true, 100 * MIB, 1 },
		{ 2, 192 * MIB, 1024 * MIB, 400 * MIB, 400 * MIB, true, false, 0, 0 },
		{ 3, 0, 256 * MIB, 256 * MIB, 256 * MIB, false, false, 0, 0 },
	};

	memcpy(doms, d, sizeof(d));
	xlite_mem_host_init(h);
	h->doms = doms;
	h->n = 3;
	h->total_kib = 3072 * MIB;
	h->dom0_kib = 768 * MIB;
	h->dom0_reserve_kib = 512 * MIB;
	h->free_kib = 100 * MIB;
	h->capacity_kib = xlite_bal_capacity(h->free_kib, (512 + 400 + 256) * MIB, h->dom0_kib,
					     h->dom0_reserve_kib);
	h->sum_target = (512 + 400 + 256) * MIB;
	h->sum_guaranteed = (192 + 192 + 256) * MIB;
}

/* A test of admission on the three guests above. */
struct three_fx {
	struct xlite_mem_host h;
	struct xlite_bal_dom doms[3];
	struct xlite_bal_out out[3];
	bool squeeze;
	char *err;
};

static void three_setup(struct three_fx *f, gconstpointer unused)
{
	(void)unused;
	three_guests(&f->h, f->doms);
	f->err = NULL;
}

static void test_admission_refuses_minimums_that_do_not_fit(struct three_fx *f,
							    gconstpointer unused)
{
	(void)unused;
	/* guests can have 1268 MiB; 640 are guaranteed: 629 more do not fit */
	g_assert_cmpint(xlite_mem_admit(&f->h, "big", 629 * MIB, 629 * MIB, f->out, &f->squeeze, &f->err),
			==, -ENOSPC);
	g_test_message("%s", f->err);
	g_assert_cmpstr(f->err, ==, "not enough free memory for 'big': the guaranteed minimums would not fit: the 3 guests' "
			"640 MiB + its 629 MiB = 1269 MiB, but guests can have 1268 MiB (host 3072 MiB: "
			"dom0 768 MiB with a reserve of 512 MiB, Xen 0 MiB)");
	g_clear_pointer(&f->err, g_free);
	g_assert_cmpint(xlite_mem_admit(&f->h, "ok", 628 * MIB, 100 * MIB, f->out, &f->squeeze, &f->err), ==, 0);
	g_assert_false(f->squeeze);	/* 100 MiB are free: nobody squeezed */
	/* raising guest 2's minimum from 192: 448 of the others + 820 fit, 821 not */
	g_assert_cmpint(xlite_mem_admit_min(&f->h, 2, "g2", 820 * MIB, &f->err), ==, 0);
	g_assert_cmpint(xlite_mem_admit_min(&f->h, 2, "g2", 821 * MIB, &f->err), ==, -ENOSPC);
	g_assert_cmpstr(f->err, ==, "the guaranteed minimums would not fit: the other guests' 448 MiB + "
			"821 MiB for 'g2' = 1269 MiB, but guests can have 1268 MiB (dom0's reserve 512 MiB)");
	g_free(f->err);
}

static void test_admission_makes_room_from_the_most_above_demand(struct three_fx *f,
								gconstpointer unused)
{
	(void)unused;
	/* 400 MiB to boot, 100 free: guest 1 (demand 100, at 512) gives first,
	 * down to its demand + nothing more than needed; guest 2 (no agent)
	 * only if that is not enough; guest 3 (not xlite's) never */
	g_assert_cmpint(xlite_mem_admit(&f->h, "new", 192 * MIB, 400 * MIB, f->out, &f->squeeze, &f->err), ==, 0);
	g_assert_true(f->squeeze);
	g_assert_cmpuint(f->out[0].target + f->out[1].target, <=, (512 + 400 + 100 - 400) * MIB);
	g_assert_cmpuint(f->out[0].target, >=, 192 * MIB);
	g_assert_cmpuint(f->out[1].target, >=, 192 * MIB);
	g_assert_cmpuint(f->out[2].target, ==, 256 * MIB);
	g_assert_cmpuint(f->out[1].target, ==, 400 * MIB);	/* guest 1 alone was enough */
	/* everything down to the minimums is not enough for 750 MiB */
	g_assert_cmpint(xlite_mem_admit(&f->h, "huge", 192 * MIB, 750 * MIB, f->out, &f->squeeze, &f->err),
			==, -ENOSPC);
	g_assert_nonnull(strstr(f->err, "its boot target 750 MiB is not free"));
	g_free(f->err);
}

/* On the fake host the balloons never give memory back: the create is
 * refused after the wait, and the squeezed guest gets its target back. */
static void test_room_not_freed_in_time_is_undone(void)
{
	struct apply_host h;
	struct xlite_memconf mc;
	struct xlite_apply_result res;
	uint32_t a;
	char *err = NULL;
	g_autofree char *before = NULL, *after = NULL;

	apply_host_init(&h, "xlite-test-room-XXXXXX");
	xlite_memconf_init(&mc);
	h.opts.memconf = &mc;
	h.opts.room_timeout_ms = 300;
	apply_host_plan(&h,
		"<domain type='xen'><name>a</name>\n"
		"<memory unit='MiB'>2048</memory><currentMemory unit='MiB'>1800</currentMemory>\n"
		"<memtune><min_guarantee unit='MiB'>256</min_guarantee></memtune>\n"
		"<os><type>linux</type><kernel>/k</kernel></os></domain>\n");
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, 0);
	a = res.domid;
	xlite_apply_result_dispose(&res);
	before = node(&h, a, "memory/target");
	/* 3072 - 768 - 1800 = 504 MiB free; b needs 800 */
	apply_host_plan(&h,
		"<domain type='xen'><name>b</name>\n"
		"<memory unit='MiB'>1024</memory><currentMemory unit='MiB'>800</currentMemory>\n"
		"<memtune><min_guarantee unit='MiB'>256</min_guarantee></memtune>\n"
		"<os><type>linux</type><kernel>/k</kernel></os></domain>\n");
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, -ENOSPC);
	g_test_message("%s", err);
	g_assert_nonnull(strstr(err, "still not free after 0 s"));
	g_clear_pointer(&err, g_free);
	xlite_apply_result_dispose(&res);
	after = node(&h, a, "memory/target");
	g_assert_cmpstr(after, ==, before);
	g_assert_cmpuint(h.fake.doms->len, ==, 2);	/* dom0 and a */
	/* minimums that cannot fit: refused at once with the figures */
	apply_host_plan(&h,
		"<domain type='xen'><name>c</name>\n"
		"<memory unit='MiB'>3000</memory>\n"
		"<os><type>linux</type><kernel>/k</kernel></os></domain>\n");
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, -ENOSPC);
	g_assert_nonnull(strstr(err, "the guaranteed minimums would not fit"));
	g_free(err);
	xlite_apply_result_dispose(&res);
	apply_host_dispose(&h);
}

/* A guest of XML on H; an error ends the test. Its domain id. */
static uint32_t run_guest(struct apply_host *h, const char *xml)
{
	struct xlite_apply_result res;
	uint32_t domid;
	char *err = NULL;

	apply_host_plan(h, xml);
	xlite_apply_result_init(&res);
	if (xlite_apply(&h->hv, &h->plan, &h->opts, &res, &err) < 0)
		g_error("apply: %s", err);
	domid = res.domid;
	xlite_apply_result_dispose(&res);
	return domid;
}

/* The XML of a Linux guest NAME with max, boot target and minimum in MiB. */
static char *guest_xml(const char *name, unsigned int max, unsigned int current, unsigned int min)
{
	return g_strdup_printf("<domain type='xen'><name>%s</name>\n"
			       "<memory unit='MiB'>%u</memory><currentMemory unit='MiB'>%u</currentMemory>\n"
			       "<memtune><min_guarantee unit='MiB'>%u</min_guarantee></memtune>\n"
			       "<os><type>linux</type><kernel>/k</kernel></os></domain>\n",
			       name, max, current, min);
}

/* With balloons that follow (the fake's balloons_follow), a create whose
 * boot target is not free gets it from a guest lowered toward its
 * minimum; one that even every guest at its minimum could not make room
 * for is refused at once, nothing changed. */
static void test_room_is_made_by_lowering_others(void)
{
	struct apply_host h;
	struct xlite_memconf mc;
	struct xlite_apply_result res;
	g_autofree char *xa = guest_xml("a", 2048, 1800, 256);
	g_autofree char *xb = guest_xml("b", 1024, 800, 256);
	g_autofree char *xc = guest_xml("c", 2048, 2000, 256);
	g_autofree char *ta = NULL, *tb = NULL, *ta2 = NULL;
	uint32_t a, b;
	char *err = NULL;

	apply_host_init(&h, "xlite-test-room-XXXXXX");
	xlite_memconf_init(&mc);
	h.opts.memconf = &mc;
	h.opts.room_timeout_ms = 5000;
	h.fake.balloons_follow = true;
	a = run_guest(&h, xa);
	/* 3072 - 768 - 1800 = 504 MiB free; b boots with 800: a gives 296 */
	b = run_guest(&h, xb);
	ta = node(&h, a, "memory/target");
	tb = node(&h, b, "memory/target");
	g_assert_cmpstr(ta, ==, "1540096");	/* 1504 MiB, above its 256 */
	g_assert_cmpstr(tb, ==, "819200");
	g_assert_cmpuint(xlite_hv_fake_dom(&h.fake, a)->info.tot_kib, ==, 1504 * MIB);
	g_assert_cmpuint(xlite_hv_fake_dom(&h.fake, a)->maxmem_kib, ==, 1504 * MIB + 1024);
	/* nothing free; a and b at their minimums would leave 2304 - 512 =
	 * 1792 MiB, not c's 2000 */
	apply_host_plan(&h, xc);
	xlite_apply_result_init(&res);
	g_assert_cmpint(xlite_apply(&h.hv, &h.plan, &h.opts, &res, &err), ==, -ENOSPC);
	g_test_message("%s", err);
	g_assert_nonnull(strstr(err, "its boot target 2000 MiB is not free (0 MiB free) and lowering "
				"the other guests to their minimums would not make room"));
	g_free(err);
	xlite_apply_result_dispose(&res);
	ta2 = node(&h, a, "memory/target");
	g_assert_cmpstr(ta2, ==, ta);
	g_assert_cmpuint(h.fake.doms->len, ==, 3);	/* dom0, a, b */
	apply_host_dispose(&h);
}

struct admit_racer {
	struct apply_host *h;
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_hv hv;
	struct xlite_apply_result res;
	char *err;
	int rc;
};

static gpointer admit_race(gpointer p)
{
	struct admit_racer *r = p;

	r->rc = xlite_apply(&r->hv, &r->plan, &r->h->opts, &r->res, &r->err);
	return NULL;
}

/* Two creates at once, a and b, each with a minimum of 1000 MiB where
 * guests can have 1804 MiB (dom0's reserve is 500 MiB above what it
 * holds) while 2304 MiB are free: each fits alone, not both. They meet
 * before making their domains (unless the memory lock holds one up, which
 * WAIT_MS bounds). How many won; a loser was told the figures. */
static int race_two_admissions(struct apply_host *h, unsigned int wait_ms)
{
	struct xlite_memconf mc;
	struct admit_racer r[2];
	GThread *t[2];
	int i, wins = 0;

	xlite_memconf_init(&mc);
	mc.dom0_reserve_kib = (768 + 500) * MIB;
	h->opts.memconf = &mc;
	h->fake.rendezvous_n = 2;
	h->fake.rendezvous_ms = wait_ms;
	for (i = 0; i < 2; i++) {
		g_autofree char *xml = guest_xml(i ? "b" : "a", 1000, 1000, 1000);

		memset(&r[i], 0, sizeof(r[i]));
		r[i].h = h;
		xlite_config_init(&r[i].cfg);
		xlite_plan_init(&r[i].plan);
		if (xlite_config_parse_memory(&r[i].cfg, xml, strlen(xml), "test.xml", NULL, NULL,
					      &r[i].err) < 0 ||
		    xlite_plan_build(&r[i].plan, &r[i].cfg, &r[i].err) < 0)
			g_error("plan: %s", r[i].err);
		g_ptr_array_add(h->locks, g_strdup_printf("%s/%s.lock", h->dir, r[i].cfg.name));
		xlite_hv_fake_attach_locked(&r[i].hv, &h->fake);
		xlite_apply_result_init(&r[i].res);
	}
	for (i = 0; i < 2; i++)
		t[i] = g_thread_new("create", admit_race, &r[i]);
	for (i = 0; i < 2; i++)
		g_thread_join(t[i]);
	for (i = 0; i < 2; i++) {
		if (r[i].rc == 0) {
			wins++;
		} else {
			g_test_message("%s", r[i].err);
			g_assert_cmpint(r[i].rc, ==, -ENOSPC);
			g_assert_nonnull(strstr(r[i].err, "the guaranteed minimums would not fit: the 1 guest's "
						"1000 MiB + its 1000 MiB = 2000 MiB, but guests can have 1804 MiB"));
		}
		g_free(r[i].err);
		xlite_apply_result_dispose(&r[i].res);
		xlite_hv_dispose(&r[i].hv);
		xlite_plan_dispose(&r[i].plan);
		xlite_config_dispose(&r[i].cfg);
	}
	h->opts.memconf = NULL;
	return wins;
}

static void test_concurrent_admissions_only_one_fits(void)
{
	struct apply_host h;

	apply_host_init(&h, "xlite-test-admit-XXXXXX");
	g_assert_cmpint(race_two_admissions(&h, 300), ==, 1);
	g_assert_cmpuint(h.fake.doms->len, ==, 2);	/* dom0 and the winner */
	apply_host_dispose(&h);
}

/* Without the memory lock (callers claiming to hold it) both are admitted
 * on the same free memory: the previous test proves the lock, not luck. */
static void test_without_memory_lock_both_are_admitted(void)
{
	struct apply_host h;

	apply_host_init(&h, "xlite-test-admit-XXXXXX");
	h.opts.mem_lock_held = true;
	g_assert_cmpint(race_two_admissions(&h, 60000), ==, 2);
	apply_host_dispose(&h);
}

static void test_conf_memory_group(void)
{
	struct xlite_memconf mc;
	g_autofree char *dir = g_dir_make_tmp("xlite-test-conf-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "xlite.conf", NULL);
	char *err = NULL;

	xlite_memconf_init(&mc);
	g_assert_cmpuint(mc.dom0_reserve_kib, ==, 512 * MIB);
	g_assert_cmpint(xlite_memconf_load(&mc, file, &err), ==, 0);	/* no file: defaults */
	g_assert_true(g_file_set_contents(file, "[kernel-cache]\nmax-size = 1G\n[memory]\n"
					  "dom0-reserve = 1G\nheadroom = 32M\nbalancer-interval = 2\n",
					  -1, NULL));
	g_assert_cmpint(xlite_memconf_load(&mc, file, &err), ==, 0);
	g_assert_cmpuint(mc.dom0_reserve_kib, ==, 1024 * MIB);
	g_assert_cmpuint(mc.headroom_kib, ==, 32 * MIB);
	g_assert_cmpuint(mc.interval_s, ==, 2);
	g_assert_true(g_file_set_contents(file, "[memory]\ndom0-reserve = lots\n", -1, NULL));
	g_assert_cmpint(xlite_memconf_load(&mc, file, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "[memory] dom0-reserve: 'lots' is not a size"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpuint(mc.dom0_reserve_kib, ==, 1024 * MIB);	/* unchanged */
	g_assert_true(g_file_set_contents(file, "[memory]\nbalancer-interval = 0\n", -1, NULL));
	g_assert_cmpint(xlite_memconf_load(&mc, file, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "from 1 to 3600"));
	g_clear_pointer(&err, g_free);
	g_assert_true(g_file_set_contents(file, "[memory]\nreserve = 1G\n", -1, NULL));
	g_assert_cmpint(xlite_memconf_load(&mc, file, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "unknown key 'reserve'"));
	g_free(err);
	g_unlink(file);
	g_rmdir(dir);
}

/* What a guest writes is hostile: only sane, plain numbers make a demand. */
static void test_guest_reports_are_parsed_strictly(struct guest_fx *g, gconstpointer unused)
{
	static const struct { const char *total, *avail, *seq; bool ok; uint64_t demand; } cases[] = {
		{ "400000", "100000", "7", true, 350000 },	/* holds 450000 */
		{ "400000", "500000", "7", false, 0 },		/* available > total */
		{ "99999999999", "1", "7", false, 0 },		/* beyond twice the max */
		{ "400000x", "1", "7", false, 0 },
		{ "-1", "1", "7", false, 0 },
		{ " 400000", "1", "7", false, 0 },
		{ "400000", "100000", "", false, 0 },
		{ "1048576", "0", "1", true, 450000 },
		{ "400000", "400000", "1", true, 50000 },
		{ "1000", "1000", "1", true, 449000 },
	};
	size_t i;

	(void)unused;
	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *t = g_strdup_printf("/local/domain/%u/data/meminfo_total", g->domid);
		g_autofree char *a = g_strdup_printf("/local/domain/%u/data/meminfo_available", g->domid);
		g_autofree char *q = g_strdup_printf("/local/domain/%u/data/meminfo_seq", g->domid);
		uint64_t demand = 0, seq = 0;

		g->h.hv.ops->xs_write(&g->h.hv, t, cases[i].total);
		g->h.hv.ops->xs_write(&g->h.hv, a, cases[i].avail);
		g->h.hv.ops->xs_write(&g->h.hv, q, cases[i].seq);
		g_test_message("case %zu", i);
		g_assert_cmpint(xlite_mem_read_demand(&g->h.hv, g->domid, 450000, 512 * MIB, &demand, &seq), ==,
				cases[i].ok);
		if (cases[i].ok)
			g_assert_cmpuint(demand, ==, cases[i].demand);
	}
}

/* A guest's agent report: MemTotal 56 MiB short of what it holds, and
 * MemAvailable what it holds less DEMAND_MIB. */
static void agent_report(struct apply_host *h, uint32_t domid, uint64_t holds_mib,
			 uint64_t demand_mib)
{
	static const char *const nodes[] = { "meminfo_total", "meminfo_available", "meminfo_seq" };
	uint64_t v[] = { (holds_mib - 56) * MIB, (holds_mib - demand_mib) * MIB, 1 };
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(nodes); i++) {
		g_autofree char *path = g_strdup_printf("/local/domain/%u/data/%s", domid, nodes[i]);
		g_autofree char *val = g_strdup_printf("%llu", (unsigned long long)v[i]);

		g_assert_cmpint(h->hv.ops->xs_write(&h->hv, path, val), ==, 0);
	}
}

/* xlite info's contention on 77-overalloc.sh's host: guests can have 1200
 * MiB beside a ballast; o1 holds 733 MiB for its demand of 605, o2 and o3
 * (222 MiB each) have begun to fill: demands 117 and 118. 24 MiB short,
 * and every guest gives of its excess above its demand: o2 and o3, which
 * ask, are named (they were not: the squeeze fell on o1 alone). */
static void test_info_contention_names_who_is_short(void)
{
	struct apply_host h;
	struct xlite_memconf mc;
	struct xlite_mem_host mh;
	struct xlite_bal_summary sum;
	g_autofree char *xballast = NULL, *x1 = NULL, *x2 = NULL, *x3 = NULL;
	char *err = NULL, *shorts = NULL;
	uint32_t o1, o2, o3;

	apply_host_init(&h, "xlite-test-contention-XXXXXX");
	xlite_memconf_init(&mc);
	mc.headroom_kib = 128 * MIB;
	h.opts.memconf = &mc;
	xlite_mem_host_init(&mh);
	g_assert_cmpint(xlite_mem_host_read(&h.hv, &mc, &mh, &err), ==, 0);
	g_assert_cmpuint(mh.capacity_kib, >, 1200 * MIB);
	xballast = guest_xml("ballast", (unsigned int)(mh.capacity_kib / MIB - 1200),
			     (unsigned int)(mh.capacity_kib / MIB - 1200),
			     (unsigned int)(mh.capacity_kib / MIB - 1200));
	x1 = guest_xml("o1", 1024, 733, 192);
	x2 = guest_xml("o2", 1024, 222, 192);
	x3 = guest_xml("o3", 1024, 222, 192);
	run_guest(&h, xballast);
	o1 = run_guest(&h, x1);
	o2 = run_guest(&h, x2);
	o3 = run_guest(&h, x3);
	agent_report(&h, o1, 733, 605);
	agent_report(&h, o2, 222, 117);
	agent_report(&h, o3, 222, 118);
	g_assert_cmpint(xlite_mem_host_read(&h.hv, &mc, &mh, &err), ==, 0);
	xlite_report_contention(&h.hv, &mc, &mh, &sum, &shorts);
	g_test_message("wanted %llu MiB, capacity %llu, short %llu: '%s'",
		       (unsigned long long)(sum.wanted / MIB),
		       (unsigned long long)(mh.capacity_kib / MIB),
		       (unsigned long long)(sum.shortfall / MIB), shorts);
	g_assert_cmpuint(sum.shortfall, ==, 24 * MIB);
	g_assert_cmpstr(shorts, ==, "o1,o2,o3");
	g_free(shorts);
	/* memory enough: nobody is short */
	agent_report(&h, o2, 222, 100);
	agent_report(&h, o3, 222, 100);
	g_assert_cmpint(xlite_mem_host_read(&h.hv, &mc, &mh, &err), ==, 0);
	xlite_report_contention(&h.hv, &mc, &mh, &sum, &shorts);
	g_assert_cmpuint(sum.shortfall, ==, 0);
	g_assert_cmpstr(shorts, ==, "");
	g_free(shorts);
	xlite_mem_host_dispose(&mh);
	apply_host_dispose(&h);
}

/* One pass (balance --once, the daemon's loop): each guest's decision
 * with its name and reason, the contention, and the targets set in
 * xenstore; -n decides the same and sets nothing. */
static void test_a_pass_decides_names_and_applies(void)
{
	struct apply_host h;
	struct xlite_memconf mc;
	struct xlite_bal_pass dry, p;
	g_autofree char *x1 = NULL, *x2 = NULL;
	char *err = NULL, path[64], *v = NULL;
	uint32_t g1, g2;
	size_t i;

	apply_host_init(&h, "xlite-test-pass-XXXXXX");
	xlite_memconf_init(&mc);
	mc.headroom_kib = 64 * MIB;
	mc.hysteresis_kib = 8 * MIB;
	mc.step_limit_kib = 1024 * MIB;
	h.opts.memconf = &mc;
	x1 = guest_xml("p1", 1024, 512, 192);
	x2 = guest_xml("p2", 1024, 256, 192);
	g1 = run_guest(&h, x1);
	g2 = run_guest(&h, x2);
	agent_report(&h, g1, 512, 100);	/* wants 164: at its min 192 */
	agent_report(&h, g2, 256, 250);	/* wants 314 */
	xlite_bal_pass_init(&dry);
	g_assert_cmpint(xlite_bal_pass_run(&h.hv, &mc, true, NULL, h.dir, &dry, &err), ==, 0);
	g_assert_cmpuint(dry.n, ==, 2);
	for (i = 0; i < dry.n; i++)
		g_assert_true(dry.decisions[i].changed);
	g_assert_cmpstr(dry.decisions[0].name, ==, "p1");
	g_assert_cmpuint(dry.decisions[0].out.target, ==, 192 * MIB);
	g_assert_cmpstr(xlite_bal_reason_str(dry.decisions[0].out.reason), ==,
			xlite_bal_reason_str(XLITE_BAL_SHRINK));
	g_assert_cmpstr(dry.decisions[1].name, ==, "p2");
	g_assert_cmpuint(dry.decisions[1].out.target, ==, 314 * MIB);
	g_assert_cmpint(dry.decisions[1].out.reason, ==, XLITE_BAL_GROW);
	g_assert_cmpuint(dry.sum.shortfall, ==, 0);
	snprintf(path, sizeof(path), "/local/domain/%u/memory/target", g1);
	g_assert_cmpint(h.hv.ops->xs_read(&h.hv, path, &v), ==, 0);
	g_assert_cmpstr(v, ==, "524288");	/* -n: unchanged */
	g_clear_pointer(&v, g_free);
	xlite_bal_pass_init(&p);
	g_assert_cmpint(xlite_bal_pass_run(&h.hv, &mc, false, NULL, h.dir, &p, &err), ==, 0);
	g_assert_cmpuint(p.n, ==, 2);
	g_assert_null(p.decisions[0].apply_err);
	g_assert_cmpuint(p.decisions[1].out.target, ==, dry.decisions[1].out.target);
	g_assert_cmpint(h.hv.ops->xs_read(&h.hv, path, &v), ==, 0);
	g_assert_cmpstr(v, ==, "196608");
	g_free(v);
	xlite_bal_pass_dispose(&dry);
	xlite_bal_pass_dispose(&p);
	apply_host_dispose(&h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/memory/balance/a-pass-decides-names-and-applies",
			test_a_pass_decides_names_and_applies);
	g_test_add_func("/memory/sizes-take-xl-syntax", test_sizes_take_xl_syntax);
	g_test_add_func("/memory/order-refusals-name-rule-and-figures",
			test_order_refusals_name_rule_and_figures);
	g_test_add("/memory/a-domain-reads-its-figures", struct guest_fx, NULL, guest_setup, test_a_domain_reads_its_figures, guest_teardown);
	g_test_add("/memory/mem-set-moves-target-and-xen-limit", struct guest_fx, NULL, guest_setup, test_mem_set_moves_target_and_xen_limit, guest_teardown);
	g_test_add("/memory/mem-max-and-min-keep-the-order", struct guest_fx, NULL, guest_setup, test_mem_max_and_min_keep_the_order, guest_teardown);
	g_test_add("/memory/garbage-figures-are-refused", struct guest_fx, NULL, guest_setup, test_garbage_figures_are_refused, guest_teardown);
	g_test_add("/memory/vcpu-set-writes-availability", struct guest_fx, NULL, guest_setup, test_vcpu_set_writes_availability, guest_teardown);
	g_test_add("/memory/admission/refuses-minimums-that-do-not-fit", struct three_fx, NULL,
		   three_setup, test_admission_refuses_minimums_that_do_not_fit, NULL);
	g_test_add("/memory/admission/makes-room-from-the-most-above-demand", struct three_fx, NULL,
		   three_setup, test_admission_makes_room_from_the_most_above_demand, NULL);
	g_test_add_func("/memory/admission/room-not-freed-in-time-is-undone",
			test_room_not_freed_in_time_is_undone);
	g_test_add_func("/memory/admission/room-is-made-by-lowering-others",
			test_room_is_made_by_lowering_others);
	g_test_add_func("/memory/admission/concurrent-admissions-only-one-fits",
			test_concurrent_admissions_only_one_fits);
	g_test_add_func("/memory/admission/without-memory-lock-both-are-admitted",
			test_without_memory_lock_both_are_admitted);
	g_test_add_func("/memory/conf/memory-group", test_conf_memory_group);
	g_test_add("/memory/guest-reports-are-parsed-strictly", struct guest_fx, NULL, guest_setup, test_guest_reports_are_parsed_strictly, guest_teardown);
	g_test_add_func("/memory/info-contention-names-who-is-short",
			test_info_contention_names_who_is_short);
	return g_test_run();
}
