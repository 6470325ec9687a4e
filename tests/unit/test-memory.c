/* Memory and vCPUs of running domains (libtool/memory/): sizes in xl's
 * syntax, min <= target <= max, the changes as libxl makes them, vCPU
 * hotplug nodes; the fake hypervisor plays Xen. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/memory/memory.h"
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

static char *node(struct apply_host *h, uint32_t domid, const char *rel)
{
	g_autofree char *path = g_strdup_printf("/local/domain/%u/%s", domid, rel);

	return g_strdup(g_tree_lookup(h->fake.xs, path));
}

static void test_a_domain_reads_its_figures(void)
{
	struct apply_host h;
	struct xlite_mem_dom d;
	uint32_t domid;
	char *err = NULL;

	start_guest(&h, &domid);
	g_assert_cmpint(xlite_mem_dom_read(&h.hv, domid, &d, &err), ==, 0);
	g_assert_true(d.min_known);
	g_assert_cmpuint(d.min_kib, ==, 192 * 1024);
	g_assert_cmpuint(d.target_kib, ==, 256 * 1024);
	g_assert_cmpuint(d.max_kib, ==, 512 * 1024);
	g_assert_cmpint(xlite_mem_dom_read(&h.hv, 999, &d, &err), ==, -ESRCH);
	g_free(err);
	apply_host_dispose(&h);
}

static void test_mem_set_moves_target_and_xen_limit(void)
{
	struct apply_host h;
	uint32_t domid;
	char *err = NULL;
	g_autofree char *t1 = NULL, *t2 = NULL;

	start_guest(&h, &domid);
	g_assert_cmpint(xlite_mem_set_target(&h.hv, domid, 400 * 1024, &err), ==, 0);
	t1 = node(&h, domid, "memory/target");
	g_assert_cmpstr(t1, ==, "409600");
	/* libxl's enforce: Xen's limit follows the target, plus 1 MiB */
	g_assert_cmpuint(xlite_hv_fake_dom(&h.fake, domid)->maxmem_kib, ==, 400 * 1024 + 1024);
	/* below the minimum, above the maximum: refused, nothing changed */
	g_assert_cmpint(xlite_mem_set_target(&h.hv, domid, 100 * 1024, &err), ==, -ERANGE);
	g_assert_nonnull(strstr(err, "minimum 192 MiB above the target 100 MiB"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_mem_set_target(&h.hv, domid, 513 * 1024, &err), ==, -ERANGE);
	g_assert_nonnull(strstr(err, "above the maximum 512 MiB"));
	g_clear_pointer(&err, g_free);
	t2 = node(&h, domid, "memory/target");
	g_assert_cmpstr(t2, ==, "409600");
	g_assert_cmpuint(xlite_hv_fake_dom(&h.fake, domid)->maxmem_kib, ==, 400 * 1024 + 1024);
	apply_host_dispose(&h);
}

static void test_mem_max_and_min_keep_the_order(void)
{
	struct apply_host h;
	uint32_t domid;
	char *err = NULL;
	g_autofree char *max = NULL, *min = NULL;

	start_guest(&h, &domid);
	g_assert_cmpint(xlite_mem_set_max(&h.hv, domid, 200 * 1024, &err), ==, -ERANGE);
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_mem_set_min(&h.hv, domid, 300 * 1024, &err), ==, -ERANGE);
	g_assert_nonnull(strstr(err, "minimum 300 MiB above the target 256 MiB"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_mem_set_max(&h.hv, domid, 384 * 1024, &err), ==, 0);
	g_assert_cmpint(xlite_mem_set_min(&h.hv, domid, 128 * 1024, &err), ==, 0);
	max = node(&h, domid, "memory/static-max");
	min = node(&h, domid, "xlite/memory-min");
	g_assert_cmpstr(max, ==, "393216");
	g_assert_cmpstr(min, ==, "131072");
	g_assert_cmpuint(xlite_hv_fake_dom(&h.fake, domid)->maxmem_kib, ==, 384 * 1024 + 1024);
	apply_host_dispose(&h);
}

/* Hostile or broken figures in xenstore are refused, not trusted. */
static void test_garbage_figures_are_refused(void)
{
	struct apply_host h;
	struct xlite_mem_dom d;
	uint32_t domid;
	char *err = NULL;
	g_autofree char *path = NULL;

	start_guest(&h, &domid);
	path = g_strdup_printf("/local/domain/%u/memory/target", domid);
	g_assert_cmpint(h.hv.ops->xs_write(&h.hv, path, "12abc"), ==, 0);
	g_assert_cmpint(xlite_mem_dom_read(&h.hv, domid, &d, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "expected a number of KiB"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(h.hv.ops->xs_write(&h.hv, path, "99999999999999999999"), ==, 0);
	g_assert_cmpint(xlite_mem_dom_read(&h.hv, domid, &d, &err), ==, -EINVAL);
	g_free(err);
	apply_host_dispose(&h);
}

static void test_vcpu_set_writes_availability(void)
{
	struct apply_host h;
	uint32_t domid;
	char *err = NULL;
	unsigned int i;

	start_guest(&h, &domid);
	g_assert_cmpint(xlite_vcpu_set_online(&h.hv, domid, 3, &err), ==, 0);
	for (i = 0; i < 4; i++) {
		g_autofree char *rel = g_strdup_printf("cpu/%u/availability", i);
		g_autofree char *v = node(&h, domid, rel);

		g_assert_cmpstr(v, ==, i < 3 ? "online" : "offline");
	}
	g_assert_cmpint(xlite_vcpu_set_online(&h.hv, domid, 5, &err), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "has 4 vCPUs at most"));
	g_clear_pointer(&err, g_free);
	g_assert_cmpint(xlite_vcpu_set_online(&h.hv, domid, 0, &err), ==, -EINVAL);
	g_free(err);
	apply_host_dispose(&h);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/memory/sizes-take-xl-syntax", test_sizes_take_xl_syntax);
	g_test_add_func("/memory/order-refusals-name-rule-and-figures",
			test_order_refusals_name_rule_and_figures);
	g_test_add_func("/memory/a-domain-reads-its-figures", test_a_domain_reads_its_figures);
	g_test_add_func("/memory/mem-set-moves-target-and-xen-limit",
			test_mem_set_moves_target_and_xen_limit);
	g_test_add_func("/memory/mem-max-and-min-keep-the-order", test_mem_max_and_min_keep_the_order);
	g_test_add_func("/memory/garbage-figures-are-refused", test_garbage_figures_are_refused);
	g_test_add_func("/memory/vcpu-set-writes-availability", test_vcpu_set_writes_availability);
	return g_test_run();
}
