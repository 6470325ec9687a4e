/* xlite top's table (libtool/report/top.c): read on the fake hypervisor,
 * CPU % between two readings, the sort keys, the layout cut to a terminal,
 * and a hypervisor that cannot list its domains. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "libtool/report/top.h"
#include "tests/unit/hv-fake.h"

static struct xlite_top_row *row(struct xlite_top *t, guint i)
{
	return &g_array_index(t->rows, struct xlite_top_row, i);
}

static void add_row(struct xlite_top *t, uint32_t domid, const char *name, uint64_t cpu_ns,
		    uint64_t actual_kib)
{
	struct xlite_top_row r = { 0 };

	r.domid = domid;
	g_strlcpy(r.name, name, sizeof(r.name));
	g_strlcpy(r.state, "-b----", sizeof(r.state));
	r.cpu_ns = cpu_ns;
	r.cpu_pct = -1;
	r.actual_kib = r.max_kib = actual_kib;
	g_array_append_val(t->rows, r);
}

static void test_read_on_fake(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	struct xlite_top t;
	GString *out = g_string_new("");

	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	xlite_top_init(&t);
	g_assert_cmpint(xlite_top_read(&hv, "/nonexistent-xlite", NULL, &t), ==, 0);
	g_assert_cmpuint(t.rows->len, ==, 1);
	g_assert_cmpstr(row(&t, 0)->name, ==, "Domain-0");
	g_assert_cmpuint(row(&t, 0)->domid, ==, 0);
	/* the first reading has no CPU % */
	g_assert_cmpfloat(row(&t, 0)->cpu_pct, ==, -1);
	g_assert_cmpuint(t.nr_cpus, ==, 2);
	g_assert_cmpuint(t.xen_minor, ==, 17);
	xlite_top_format(out, &t, XLITE_TOP_SORT_ID, 0, 0);
	g_assert_nonnull(strstr(out->str, "xlite top - Xen 4.17.0-fake - sort: id\n"));
	g_assert_nonnull(strstr(out->str, "1 domains: "));
	g_assert_true(g_regex_match_simple("\nDomain-0 +0 [-rb]{2}---- +[0-9]+ +- ", out->str,
					   0, 0));
	g_string_free(out, TRUE);
	xlite_top_dispose(&t);
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

static void test_read_fails(void)
{
	struct xlite_hv_fake fake;
	struct xlite_hv hv;
	struct xlite_top t;

	xlite_hv_fake_init(&fake);
	xlite_hv_fake_attach(&hv, &fake);
	xlite_top_init(&t);
	fake.fail_op = "domain_list";
	fake.fail_at = 1;
	g_assert_cmpint(xlite_top_read(&hv, "", NULL, &t), ==, -EIO);
	g_assert_nonnull(strstr(xlite_hv_error(&hv), "domain_list: injected failure"));
	xlite_top_dispose(&t);
	xlite_hv_dispose(&hv);
	xlite_hv_fake_dispose(&fake);
}

static void test_rates(void)
{
	struct xlite_top prev, now;

	xlite_top_init(&prev);
	xlite_top_init(&now);
	prev.mono_us = 1000000;
	now.mono_us = 3000000;		/* 2 s later */
	add_row(&prev, 0, "Domain-0", 1000000000ull, 1);
	add_row(&prev, 5, "old", 0, 1);
	add_row(&now, 0, "Domain-0", 2000000000ull, 1);	/* 1 s of CPU in 2 s */
	add_row(&now, 5, "new", 4000000000ull, 1);	/* id 5 reused */
	add_row(&now, 6, "born", 1, 1);
	xlite_top_rates(&now, &prev);
	g_assert_cmpfloat_with_epsilon(row(&now, 0)->cpu_pct, 50.0, 1e-9);
	g_assert_cmpfloat(row(&now, 1)->cpu_pct, ==, -1);
	g_assert_cmpfloat(row(&now, 2)->cpu_pct, ==, -1);
	xlite_top_dispose(&prev);
	xlite_top_dispose(&now);
}

static char *order(struct xlite_top *t)
{
	GString *s = g_string_new("");
	guint i;

	for (i = 0; i < t->rows->len; i++)
		g_string_append_printf(s, "%s%s", i ? " " : "", row(t, i)->name);
	return g_string_free(s, FALSE);
}

static void test_sort_keys(void)
{
	struct xlite_top t;
	enum xlite_top_sort key;
	char *o;

	xlite_top_init(&t);
	add_row(&t, 3, "web", 0, 4096);
	add_row(&t, 0, "Domain-0", 0, 8192);
	add_row(&t, 7, "db", 0, 4096);
	row(&t, 0)->cpu_pct = 10;
	row(&t, 1)->cpu_pct = 5;
	row(&t, 2)->cpu_pct = 90;
	row(&t, 0)->io.rx_bytes = 100;
	row(&t, 2)->io.wr_sect = 50;
	xlite_top_sort(&t, XLITE_TOP_SORT_ID, false);
	g_assert_cmpstr((o = order(&t)), ==, "Domain-0 web db");
	g_free(o);
	xlite_top_sort(&t, XLITE_TOP_SORT_CPU, false);
	g_assert_cmpstr((o = order(&t)), ==, "db web Domain-0");
	g_free(o);
	/* ties (web and db: 4096) go by id */
	xlite_top_sort(&t, XLITE_TOP_SORT_MEM, false);
	g_assert_cmpstr((o = order(&t)), ==, "Domain-0 web db");
	g_free(o);
	xlite_top_sort(&t, XLITE_TOP_SORT_NAME, true);
	g_assert_cmpstr((o = order(&t)), ==, "web db Domain-0");
	g_free(o);
	xlite_top_sort(&t, XLITE_TOP_SORT_NET, false);
	g_assert_cmpstr((o = order(&t)), ==, "web Domain-0 db");
	g_free(o);
	xlite_top_sort(&t, XLITE_TOP_SORT_DISK, false);
	g_assert_cmpstr((o = order(&t)), ==, "db Domain-0 web");
	g_free(o);
	g_assert_true(xlite_top_sort_parse("disk", &key) && key == XLITE_TOP_SORT_DISK);
	g_assert_false(xlite_top_sort_parse("size", &key));
	g_assert_cmpstr(xlite_top_sort_name(XLITE_TOP_SORT_CPU), ==, "cpu");
	xlite_top_dispose(&t);
}

static void test_format_cut_to_terminal(void)
{
	struct xlite_top t;
	GString *out = g_string_new("");
	g_auto(GStrv) lines = NULL;
	guint i;

	xlite_top_init(&t);
	t.total_kib = 3145728;
	t.free_kib = 1048576;
	t.nr_cpus = 2;
	for (i = 0; i < 10; i++) {
		g_autofree char *name = g_strdup_printf("guest%u", i);

		add_row(&t, i + 1, name, 2500000000ull, 16384);
	}
	row(&t, 0)->cpu_pct = 12.345;
	row(&t, 0)->mem_known = true;
	row(&t, 0)->min_kib = 8192;
	row(&t, 0)->target_kib = 12288;
	row(&t, 0)->io.vifs = 1;
	row(&t, 0)->io.rx_bytes = 4096;	/* the guest sent 4 KiB */
	xlite_top_format(out, &t, XLITE_TOP_SORT_ID, 0, 0);
	lines = g_strsplit(out->str, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 4 + 10 + 1);
	g_assert_cmpstr(lines[2], ==, "Mem: 3145728k total, 2097152k used, 1048576k free    CPUs: 2");
	g_assert_true(g_str_has_prefix(lines[3], "NAME "));
	g_assert_nonnull(strstr(lines[3], "CPU(%)  MIN(M) TARGET(M) ACTUAL(M)  MAX(M) VCPUS NETS  "
				"NETTX(k)"));
	g_assert_true(g_regex_match_simple("^guest0 +1 -b---- +2 +12\\.3 +8 +12 +16 +16 +0 +1 +4 +0 ",
					   lines[4], 0, 0));
	g_assert_true(g_regex_match_simple("^guest1 +2 -b---- +2 +- +- +- +16 +16 ", lines[5], 0, 0));
	g_strfreev(lines);
	/* an 8-row, 40-column terminal */
	g_string_truncate(out, 0);
	xlite_top_format(out, &t, XLITE_TOP_SORT_ID, 40, 8);
	lines = g_strsplit(out->str, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 8 + 1);
	for (i = 0; lines[i]; i++)
		g_assert_cmpuint(strlen(lines[i]), <=, 40);
	g_assert_true(g_str_has_prefix(lines[7], "guest3 "));
	g_string_free(out, TRUE);
	xlite_top_dispose(&t);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/top/read-on-fake-first-cpu-unknown", test_read_on_fake);
	g_test_add_func("/report/top/read-fails-says-why", test_read_fails);
	g_test_add_func("/report/top/cpu-percent-same-domain-only", test_rates);
	g_test_add_func("/report/top/sort-keys-largest-first-ties-by-id", test_sort_keys);
	g_test_add_func("/report/top/format-columns-cut-to-terminal", test_format_cut_to_terminal);
	return g_test_run();
}
